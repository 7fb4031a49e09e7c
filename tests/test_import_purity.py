"""Importing firmware touches no hardware and reads no clock: a board is handed in later.
Checked by importing every firmware module with machine/bluetooth and the clock booby-trapped."""

import glob
import os
import subprocess
import sys

from host_sim.paths import FIRMWARE_DIR, REPO_ROOT
from tests.crossrt import run_unix

MODULES = sorted(
    os.path.relpath(p, FIRMWARE_DIR)[:-3].replace(os.sep, ".").replace(".__init__", "")
    for p in glob.glob(os.path.join(FIRMWARE_DIR, "cloudpin", "**", "*.py"), recursive=True))

TRAPPED_IMPORT = """
import sys, host_sim
from host_sim.runtime import clock

class Trap:
    virtual = True
    def __getattr__(self, name):
        raise AssertionError("firmware read the clock at import time")

class TrapModule:
    def __getattr__(self, name):
        raise AssertionError("firmware touched hardware at import time: " + name)

clock.set_current(Trap())
sys.modules["machine"] = TrapModule()
sys.modules["bluetooth"] = TrapModule()
import importlib
for name in sys.argv[1:]:
    importlib.import_module(name)
print("imported", len(sys.argv) - 1)
"""


def test_there_are_modules_to_check():
    assert "cloudpin.app" in MODULES and "cloudpin.board" in MODULES


def test_importing_firmware_on_cpython_touches_nothing():
    proc = subprocess.run([sys.executable, "-c", TRAPPED_IMPORT, *MODULES],
                          capture_output=True, text=True, cwd=REPO_ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"imported {len(MODULES)}"


def test_every_firmware_module_imports_on_the_unix_port():
    # This checks the code is MicroPython, not the heap: fonts and designs are bytes that
    # stay in flash when frozen into the pin's image but land in RAM on the unix port.
    code = "".join(f"import {name}\n" for name in MODULES) + "print('ok')\n"
    assert run_unix(code=code, heapsize="512K").strip() == "ok"
