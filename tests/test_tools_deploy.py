"""cloudpin deploy and flash through real mpremote and esptool, against the unix-port pin on
a pseudo-terminal (host_sim.unixport.pty_pin)."""

import hashlib
import json
import os
import subprocess
import sys

import pytest

from host_sim.paths import REPO_ROOT
from host_sim.unixport.pty_pin import UnixPin
from tools.device import deploy, flash, pinlink
from tools.device.pinlink import PinError, check_device

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cloudpin(*args):
    return subprocess.run([sys.executable, "-m", "tools.cli", *args], capture_output=True,
                          text=True, cwd=REPO, timeout=120)


def snapshot(root):
    """{relative path: sha256} of every file under root."""
    out = {}
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, root)] = hashlib.sha256(f.read()).hexdigest()
    return out


@pytest.fixture
def unix_pin(tmp_path):
    with UnixPin(str(tmp_path / "flash")) as pin:
        yield pin


def test_deploy_writes_verifies_and_skips_unchanged(unix_pin):
    proc = cloudpin("deploy", "--port", unix_pin.port, "--board", "lilygo-t5-v24-154",
                    "--name", "Zoë Test", "--org", "EBU", "--unix-pin", "--json")
    assert proc.returncode == 0, proc.stderr
    first = json.loads(proc.stdout)  # exactly one JSON object on stdout
    assert first["ok"] and first["verified"] and first["written"] == first["files"]
    files = snapshot(unix_pin.root)
    assert "lib/cloudpin/boarddef.mpy" in files and "main.py" in files
    assert not any(p.startswith(".cloudpin-stage") for p in files)
    with open(os.path.join(unix_pin.root, "board.json"), encoding="utf-8") as f:
        assert json.load(f)["id"] == "lilygo-t5-v24-154"
    with open(os.path.join(unix_pin.root, "profile.json"), encoding="utf-8") as f:
        assert json.load(f) == {"name": "Zoë Test", "org": "EBU"}
    for path, data in deploy.data_files():  # designs.bin (and fonts), as they are
        assert files[path.lstrip("/")] == hashlib.sha256(data).hexdigest(), path
    assert "lib/cloudpin/designs.bin" in files
    # The pin itself can load what was deployed (compiled for its arch by mpy-cross), and
    # reads its designs from the data file beside the modules.
    out = subprocess.run([os.path.join(os.path.dirname(sys.executable), "mpremote"), "connect",
                          unix_pin.port, "exec",
                          "from cloudpin import boarddef, designs\n"
                          "b = bytearray(designs.BYTES)\n"
                          "print(designs.load(2, b), designs.check(), designs.path(), sum(b) > 0)\n"
                          "print(boarddef.load('/board.json')['id'])"],
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().endswith("lilygo-t5-v24-154"), out
    assert "True None /lib/cloudpin/designs.bin True" in out.stdout, out

    # Same firmware again: nothing to write, everything verified.
    second = json.loads(cloudpin("deploy", "--port", unix_pin.port, "--board",
                                 "lilygo-t5-v24-154", "--name", "Zoë Test", "--org", "EBU",
                                 "--unix-pin", "--json").stdout)
    assert second["written"] == 0 and second["unchanged"] == second["files"]
    assert snapshot(unix_pin.root) == files


def test_deploy_removes_stale_modules_and_changes_only_the_profile(unix_pin):
    board = deploy.load_board("devkit-breakout")
    deploy.deploy(unix_pin.port, board, deploy.load_profile(name="A"), allow_unix=True,
                  log=lambda m: None)
    stale = os.path.join(unix_pin.root, "lib", "cloudpin", "gone.mpy")
    with open(stale, "wb") as f:
        f.write(b"M\x06old")
    summary = deploy.deploy(unix_pin.port, board, deploy.load_profile(name="B"),
                            allow_unix=True, log=lambda m: None)
    assert summary["written"] == 1 and summary["removed"] == 1
    assert not os.path.exists(stale)
    with open(os.path.join(unix_pin.root, "profile.json"), encoding="utf-8") as f:
        assert json.load(f) == {"name": "B"}


def test_full_flash_is_refused_and_nothing_is_written(tmp_path):
    with UnixPin(str(tmp_path / "flash"), flash_kb=24) as pin:
        before = snapshot(pin.root)
        with pytest.raises(PinError, match="filesystem full.*nothing was written"):
            deploy.deploy(pin.port, deploy.load_board("devkit-breakout"),
                          deploy.load_profile(name="A"), allow_unix=True, log=lambda m: None)
        assert snapshot(pin.root) == before


def test_wrong_chip_unknown_board_bad_profile_and_no_device(unix_pin, tmp_path):
    before = snapshot(unix_pin.root)
    # The unix port is not an ESP32: without --unix-pin deploy refuses it.
    proc = cloudpin("deploy", "--port", unix_pin.port, "--board", "devkit-breakout",
                    "--name", "A", "--json")
    assert proc.returncode == 1 and "wrong chip" in json.loads(proc.stdout)["error"]

    proc = cloudpin("deploy", "--port", unix_pin.port, "--board", "lilygo-t9", "--name", "A")
    assert proc.returncode == 1
    assert "unknown board 'lilygo-t9'" in proc.stderr and "lilygo-t5-v23-213" in proc.stderr

    proc = cloudpin("deploy", "--port", unix_pin.port, "--board", "devkit-breakout",
                    "--name", "x" * 41, "--unix-pin")
    assert proc.returncode == 1 and "name is 41 characters" in proc.stderr

    latin1 = tmp_path / "me.json"
    latin1.write_bytes('{"name": "Zoë"}'.encode("latin-1"))
    proc = cloudpin("deploy", "--port", unix_pin.port, "--board", "devkit-breakout",
                    "--profile", str(latin1), "--unix-pin")
    assert proc.returncode == 1 and "not UTF-8" in proc.stderr

    proc = cloudpin("deploy", "--port", str(tmp_path / "ttyUSB9"), "--board", "devkit-breakout",
                    "--name", "A")
    assert proc.returncode == 1 and "no device at" in proc.stderr
    assert snapshot(unix_pin.root) == before


@pytest.mark.parametrize("info, words", [
    ({"platform": "esp32", "machine": "Generic ESP32 module with ESP32",
      "version": (1, 20, 0), "mpy": 6 | (1 << 8) | (10 << 10)}, ["wrong MicroPython", "1.20.0"]),
    ({"platform": "esp32", "machine": "Generic ESP32S3 module with ESP32S3",
      "version": (1, 29, 0), "mpy": 6 | (3 << 8) | (10 << 10)}, ["wrong chip", "ESP32S3"]),
    ({"platform": "rp2", "machine": "Raspberry Pi Pico", "version": (1, 29, 0),
      "mpy": 6 | (3 << 8) | (4 << 10)}, ["wrong chip", "rp2"]),
    ({"platform": "esp32", "machine": "Generic ESP32 module with ESP32", "version": (1, 30, 0),
      "mpy": 7 | (0 << 8) | (10 << 10)}, ["wrong MicroPython", "v7.0"]),
])
def test_device_checks(info, words):
    with pytest.raises(PinError) as err:
        check_device(info, {"id": "devkit-breakout", "chip": "ESP32"})
    for word in words:
        assert word in str(err.value)


def test_device_check_accepts_an_esp32_with_micropython_1_29():
    info = {"platform": "esp32", "machine": "Generic ESP32 module with ESP32",
            "version": (1, 29, 0), "mpy": 6 | (3 << 8) | (10 << 10)}
    assert check_device(info, {"id": "devkit-breakout"}) == "xtensawin"


def test_flash_checks_image_and_finds_no_bootloader_on_the_unix_pin(unix_pin, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("not firmware")
    with pytest.raises(PinError, match="not an ESP32 firmware image"):
        flash.check_image(str(bad))
    with pytest.raises(PinError, match="wrong chip: ESP32-S3"):
        flash.check_chip("ESP32-S3")
    # Real esptool on the pty: a MicroPython REPL is no ROM bootloader.
    proc = cloudpin("flash", "--port", unix_pin.port, "--json")
    assert proc.returncode == 1
    assert "no ESP32 bootloader answered" in json.loads(proc.stdout)["error"]
    proc = cloudpin("flash", "--port", str(tmp_path / "ttyUSB9"))
    assert proc.returncode == 1 and "no device at" in proc.stderr


def test_flash_filling_up_mid_copy_removes_the_partial_copy(tmp_path, monkeypatch):
    # statvfs promised room (another writer, a lying filesystem), then writes hit ENOSPC.
    real_info = pinlink.Pin.info

    def optimistic_info(self):
        info = real_info(self)
        info["free_blocks"] = 10000
        return info

    monkeypatch.setattr(pinlink.Pin, "info", optimistic_info)
    with UnixPin(str(tmp_path / "flash"), flash_kb=28) as pin:
        before = snapshot(pin.root)
        with pytest.raises(PinError, match="filesystem full while copying.*nothing on the pin"):
            deploy.deploy(pin.port, deploy.load_board("devkit-breakout"),
                          deploy.load_profile(name="A"), allow_unix=True, log=lambda m: None)
        assert snapshot(pin.root) == before
        assert not os.path.exists(os.path.join(pin.root, ".cloudpin-stage"))


def test_pin_lost_mid_copy_leaves_the_old_firmware_and_the_next_deploy_recovers(tmp_path):
    root = str(tmp_path / "flash")
    board = deploy.load_board("devkit-breakout")
    with UnixPin(root) as pin:
        deploy.deploy(pin.port, board, deploy.load_profile(name="Old"), allow_unix=True,
                      log=lambda m: None)
    before = snapshot(root)
    pin = UnixPin(root).start()
    stage = os.path.join(root, ".cloudpin-stage")
    os.makedirs(os.path.join(stage, "lib", "cloudpin"))  # leftovers of a crashed deploy
    with open(os.path.join(stage, "lib", "cloudpin", "app.mpy"), "wb") as f:
        f.write(b"half")

    def unplug_at_first_file(message):
        if message.startswith("[1/"):
            pin.stop()  # the cable comes out

    try:
        with pytest.raises(PinError, match="lost the pin during the copy"):
            deploy.deploy(pin.port, board, deploy.load_profile(name="New"), allow_unix=True,
                          log=unplug_at_first_file)
    finally:
        pin.stop()
    after = {p: h for p, h in snapshot(root).items() if not p.startswith(".cloudpin-stage")}
    assert after == before  # the firmware and profile in place are the old ones
    with UnixPin(root) as pin:  # plugged back in
        summary = deploy.deploy(pin.port, board, deploy.load_profile(name="New"),
                                allow_unix=True, log=lambda m: None)
    assert summary["verified"] and not os.path.exists(stage)
    with open(os.path.join(root, "profile.json"), encoding="utf-8") as f:
        assert json.load(f) == {"name": "New"}


def test_a_frozen_image_gets_only_its_configuration_and_data(tmp_path, monkeypatch):
    # A CLOUDPIN_ESP32 image has cloudpin frozen in; frozen modules win over /lib, so deploy
    # writes only the data files (which cannot be frozen) and boot/main/board/profile. (The
    # unix port cannot freeze our package: the detection result is given here, the rest of
    # the path is real.)
    real_info = pinlink.Pin.info

    def frozen_info(self):
        info = real_info(self)
        info.update(frozen=True, firmware="0.1.0")
        return info

    monkeypatch.setattr(pinlink.Pin, "info", frozen_info)
    with UnixPin(str(tmp_path / "flash")) as pin:
        summary = deploy.deploy(pin.port, deploy.load_board("devkit-breakout"),
                                deploy.load_profile(name="A"), allow_unix=True,
                                log=lambda m: None)
        files = snapshot(pin.root)
        # A frozen designs module (its __file__ names no folder on the filesystem) finds
        # its data in /lib/cloudpin, where deploy put it.
        with open(os.path.join(REPO_ROOT, "firmware/cloudpin/designs.py")) as f:
            source = f.read()
        code = ("g = {'__file__': '.frozen/cloudpin/designs.py', '__name__': 'designs'}\n"
                "exec(%r, g)\nb = bytearray(g['BYTES'])\n"
                "print(g['path'](), g['load'](2, b), g['check']())" % source)
        out = subprocess.run([os.path.join(os.path.dirname(sys.executable), "mpremote"),
                              "connect", pin.port, "exec", code],
                             capture_output=True, text=True, timeout=60)
    data = sorted(path.lstrip("/") for path, _ in deploy.data_files())
    assert "lib/cloudpin/designs.bin" in data
    assert summary["frozen_firmware"] and summary["files"] == 4 + len(data)
    assert sorted(files) == sorted(["board.json", "boot.py", "main.py", "profile.json"] + data)
    assert out.stdout.strip().endswith("/lib/cloudpin/designs.bin True None"), out


def test_frozen_package_detection_on_a_really_frozen_package():
    # The unix port has asyncio frozen in: the same detection code must call it frozen, and
    # a package from the filesystem (cloudpin from firmware/) not frozen.
    from host_sim.unixport import mpunix

    code = pinlink._INFO.replace("cloudpin", "asyncio")
    assert "'frozen': True" in mpunix.run(code=code)
    assert "'frozen': False" in mpunix.run(code=pinlink._INFO)
