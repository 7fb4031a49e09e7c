"""package.json (the mip manifest) lists exactly firmware/cloudpin, and real `mpremote mip
install` puts a firmware on a pin that imports and validates its board and reads its designs
file."""

import os
import subprocess
import sys

from host_sim.unixport.pty_pin import UnixPin
from tools.gen import mip_package

MPREMOTE = os.path.join(os.path.dirname(sys.executable), "mpremote")


def test_package_json_is_up_to_date():
    assert mip_package.main(["--check"]) == 0, "run: python -m tools.gen.mip_package"


def test_mip_installs_the_firmware_on_a_stock_micropython(tmp_path):
    board = os.path.join(mip_package.REPO_ROOT, "boards", "lilygo-t5-v24-154.json")
    with UnixPin(str(tmp_path / "flash")) as pin:
        proc = subprocess.run(
            [MPREMOTE, "connect", pin.port, "mip", "install", mip_package.PACKAGE_JSON,
             "+", "fs", "cp", board, ":/board.json",
             "+", "exec", "from cloudpin import boarddef, designs, VERSION\n"
                          "b = bytearray(designs.BYTES)\n"
                          "print(designs.load(31, b), designs.check(), designs.path())\n"
                          "print(VERSION, boarddef.load('/board.json')['id'])"],
            capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        lib = os.path.join(pin.root, "lib")
        installed = sorted(
            os.path.relpath(os.path.join(folder, name), lib).replace(os.sep, "/")
            for folder, _dirs, files in os.walk(os.path.join(lib, "cloudpin")) for name in files)
    expected = sorted(dest for dest, _src in mip_package.build()["urls"])
    assert installed == expected
    assert proc.stdout.strip().splitlines()[-1] == "0.1.0 lilygo-t5-v24-154"
    # the designs file came through mip byte for byte: its header and CRC check out
    assert proc.stdout.strip().splitlines()[-2] == "True None /lib/cloudpin/designs.bin"
