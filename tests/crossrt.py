"""Run the same script on CPython (with host_sim's shims) and on the MicroPython unix port.

    out = run_both("tests/portable/x.py")       # asserts both printed the same; returns it
    out = run_unix(code="print(1)", heapsize="64K")
    out = run_cpython("tests/portable/x.py")

Scripts see firmware/ and the repository root on their path (cloudpin, host_sim.fakes).
A missing `micropython` binary fails the test (MicroPythonNotFound), it never skips.
"""

import os
import subprocess
import sys

from host_sim.paths import REPO_ROOT
from host_sim.unixport import mpunix


def _abs(script):
    return script if os.path.isabs(script) else os.path.join(REPO_ROOT, script)


def run_unix(script=None, code=None, heapsize="96K", args=(), timeout=300, frozen=False):
    """frozen=True: firmware imported from .mpy, as frozen on the pin (for heap budgets)."""
    return mpunix.run(script=_abs(script) if script else None, code=code, heapsize=heapsize,
                      args=args, timeout=timeout, frozen=frozen)


def run_cpython(script=None, code=None, args=(), timeout=300):
    cmd = [sys.executable, "-m", "host_sim.runtime.portable"]
    cmd += [_abs(script)] if script else ["-c", code]
    cmd += list(args)
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO_ROOT, timeout=timeout)
    if proc.returncode != 0:
        raise AssertionError(f"CPython run failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def run_both(script=None, code=None, heapsize="96K", args=()):
    cpython = run_cpython(script, code, args)
    unix = run_unix(script, code, heapsize, args)
    assert cpython == unix, (
        "CPython and the unix port disagree:\n--- CPython\n%s\n--- unix port\n%s" % (cpython, unix))
    return cpython
