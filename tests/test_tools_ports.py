"""Ports as the ecosystem finds them (cloudpin ports, -p, auto, CLOUDPIN_PORT) and the device
tools' behaviour on a port that does not answer: a "connecting to" line and a timeout, not a
silent hang; `hil --port` stops at the first failure and says what to check. Against the
unix-port pin on a pseudo-terminal (host_sim.unixport.pty_pin) and a pty nobody answers on."""

import json
import os
import pty
import subprocess
import sys
import tty

import pytest

from host_sim.paths import REPO_ROOT
from host_sim.unixport.pty_pin import UnixPin
from tools.device import deploy, ports
from tools.device.pinlink import PinError


def cloudpin(*args, env=None):
    # The timeout only guards the suite: a hang (the old behaviour) fails here.
    return subprocess.run([sys.executable, "-m", "tools.cli", *args], capture_output=True,
                          text=True, cwd=REPO_ROOT, timeout=120,
                          env=dict(os.environ, **(env or {})))


@pytest.fixture
def silent_port():
    """A pseudo-terminal nobody reads or answers on: a port with a dead device behind it."""
    master, slave = pty.openpty()
    tty.setraw(slave)
    try:
        yield os.ttyname(slave)
    finally:
        os.close(slave)
        os.close(master)


def _port(device, vid=None):
    return {"device": device, "looks_like_pin": vid in ports.PIN_VIDS, "vid": vid}


def test_auto_finds_the_one_usb_pin_and_explains_none_or_several():
    assert ports.find_pin_port([_port("/dev/ttyS0"), _port("/dev/ttyUSB0", 0x10C4)]) == \
        "/dev/ttyUSB0"
    with pytest.raises(PinError, match=r"no pin found \(serial ports here: /dev/ttyS0;.*-p PORT"
                                       r".*CLOUDPIN_PORT"):
        ports.find_pin_port([_port("/dev/ttyS0")])
    with pytest.raises(PinError, match="several ports look like a pin "
                                       r"\(/dev/ttyUSB0, /dev/ttyACM0\)"):
        ports.find_pin_port([_port("/dev/ttyUSB0", 0x1A86), _port("/dev/ttyACM0", 0x303A)])


def test_the_flag_wins_then_the_environment():
    assert ports.resolve("/dev/ttyUSB7", {"CLOUDPIN_PORT": "/dev/ttyUSB1"}) == "/dev/ttyUSB7"
    assert ports.resolve(None, {"CLOUDPIN_PORT": "/dev/ttyUSB1"}) == "/dev/ttyUSB1"


def test_ports_lists_what_pyserial_sees():
    proc = cloudpin("ports", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    from serial.tools import list_ports

    assert out["ok"] is True
    assert [p["device"] for p in out["ports"]] == sorted(p.device for p in list_ports.comports())
    for p in out["ports"]:
        assert p["looks_like_pin"] == (p["vid"] in ports.PIN_VIDS)
    text = cloudpin("ports").stdout
    assert "port" in text.splitlines()[0] or text.strip() == "no serial ports"


def test_deploy_takes_its_port_from_the_environment_and_says_where_it_connects(tmp_path):
    with UnixPin(str(tmp_path / "flash")) as pin:
        proc = cloudpin("deploy", "--board", "devkit-breakout", "--name", "Env Port",
                        "--unix-pin", "--json", env={"CLOUDPIN_PORT": pin.port})
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["ok"] and out["port"] == pin.port and out["verified"]
    assert "connecting to %s ..." % pin.port in proc.stderr


@pytest.mark.parametrize("command", [
    ("deploy", "--board", "devkit-breakout", "--name", "X"),
    ("hil",),
])
def test_a_port_that_never_answers_times_out_with_what_to_check(silent_port, command):
    proc = cloudpin(*command, "-p", silent_port, "--connect-timeout", "1", "--json")
    assert proc.returncode == 1, proc.stderr
    out = json.loads(proc.stdout)  # one object, nothing mpremote printed
    assert out["ok"] is False
    assert "no MicroPython answered on %s within 1 s" % silent_port in out["error"]
    assert "cloudpin ports" in out["error"]
    assert "connecting to %s ..." % silent_port in proc.stderr
    assert "Traceback" not in proc.stderr


def test_hil_on_a_port_with_nothing_plugged_in_fails_once():
    # It used to print six identical "FAIL ... raised on the pin: no device" lines.
    proc = cloudpin("hil", "-p", "/dev/ttyCLOUDPIN-nothing")
    assert proc.returncode == 1
    assert "no device at /dev/ttyCLOUDPIN-nothing" in proc.stderr
    assert proc.stderr.count("no device") == 1
    assert "FAIL" not in proc.stdout + proc.stderr


def test_hil_port_stops_at_the_first_failure_and_says_what_to_check(tmp_path):
    with UnixPin(str(tmp_path / "flash")) as pin:
        deploy.deploy(pin.port, deploy.load_board("devkit-breakout"),
                      deploy.load_profile(name="A"), allow_unix=True, log=lambda m: None)
        with open(os.path.join(pin.root, "board.json"), "w") as f:
            f.write('{"id": "x", "panel": {"controller": "ssd1680"}}')
        stopped = cloudpin("hil", "-p", pin.port, "--script", "config", "--script", "heap",
                           "--json")
        going = cloudpin("hil", "-p", pin.port, "--script", "config", "--script", "heap",
                         "--keep-going", "--json")
    assert stopped.returncode == 1
    out = json.loads(stopped.stdout)
    assert [r["script"] for r in out["results"]] == ["config"]
    assert out["not_run"] == ["heap"] and out["ok"] is False
    assert "check the board and profile files" in out["error"]
    assert "check: the board and profile files" in stopped.stderr
    assert "stopped at the first failure, not run: heap" in stopped.stderr
    assert [r["script"] for r in json.loads(going.stdout)["results"]] == ["config", "heap"]
