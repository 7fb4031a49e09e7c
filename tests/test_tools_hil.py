"""Hardware-in-loop scripts through mpremote: against the unix-port pin by default, or a
real pin with `pytest --pin PORT` (see conftest.py). Every script must pass: the drivers and
the unix pin's emulators are all delivered."""

import json
import os
import subprocess
import sys

import pytest

from host_sim.unixport.pty_pin import UnixPin
from tools.device import deploy, hil

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.mark.parametrize("name", ["config", "heap", "buttons", "accel", "panel"])
def test_scripts_pass(pin_port, name):
    result = hil.run_script(pin_port, name)
    assert result.status == "PASS", (result.detail, result.log)


def test_ble_advert_is_seen_by_bleak_on_the_host(pin_port, pin_air):
    # On the unix pin the advert crosses to the host through host_sim.unixport.air files and
    # is scanned with bleak's backend hook (host_sim.bleak_backends.unixport); on a real pin, over the air.
    result = hil.run_script(pin_port, "ble", air_dir=pin_air)
    assert result.status == "PASS", result.detail
    assert result.data["ble_name"].startswith("CloudPin-HIL-")
    assert result.data["ble_name"] in result.detail and "RSSI" in result.detail


def test_heap_script_reports_figures(pin_port):
    result = hil.run_script(pin_port, "heap")
    assert result.data["heap_free"] > 30000
    assert result.data["heap_alloc"] > 0


def test_a_broken_configuration_fails(tmp_path):
    with UnixPin(str(tmp_path / "flash")) as pin:
        deploy.deploy(pin.port, deploy.load_board("devkit-breakout"),
                      deploy.load_profile(name="A"), allow_unix=True, log=lambda m: None)
        with open(os.path.join(pin.root, "board.json"), "w") as f:
            f.write('{"id": "x", "panel": {"controller": "ssd1680"}}')
        config = hil.run_script(pin.port, "config")
        assert config.status == "FAIL" and "panel" in config.detail
        # A script that raises on the pin is a FAIL with the exception, not a hang.
        buttons = hil.run_script(pin.port, "buttons")
        assert buttons.status == "FAIL" and "raised on the pin" in buttons.detail


def test_scripts_refuse_a_pin_without_firmware(tmp_path):
    with UnixPin(str(tmp_path / "empty")) as pin:
        result = hil.run_script(pin.port, "heap")
    assert result.status == "FAIL" and "cloudpin deploy" in result.detail


def test_cli_unix_prints_a_line_per_script_and_exits_by_the_results():
    proc = subprocess.run([sys.executable, "-m", "tools.cli", "hil", "--unix", "--board",
                           "lilygo-t5-v23-213", "--json"], capture_output=True, text=True,
                          cwd=REPO, timeout=180)
    report = json.loads(proc.stdout)
    lines = [ln for ln in proc.stderr.splitlines() if ln[:4] in ("PASS", "FAIL", "WAIT")]
    assert len(lines) == len(report["results"]) == len(hil.available_scripts())
    assert report["failed"] == 0 and report["waiting"] == 0
    assert proc.returncode == 0 and report["ok"]


@pytest.mark.parametrize("text, status, detail", [
    ("log\nHIL PASS fine\n", "PASS", "fine"),
    ("HIL DATA {\"a\": 1}\nHIL WAIT cloudpin.radio not yet\n", "WAIT", "cloudpin.radio not yet"),
    ("just logs, no verdict\n", "FAIL", "no verdict"),
    ("HIL FAIL first\nHIL PASS then\n", "FAIL", "script gave 2 verdicts"),
])
def test_verdict_parsing(text, status, detail):
    result = hil.parse_output("x", text)
    assert (result.status, result.detail) == (status, detail)


def test_an_advert_the_host_cannot_see_fails(tmp_path):
    from host_sim.bleak_backends import unixport as bleak_air

    bleak_air.use(str(tmp_path))  # empty air: the pin said it advertises, nothing arrives
    result = hil.Result("ble")
    result.status, result.advertising = "PASS", "CloudPin-HIL-0000"
    hil.check_advert_from_host(result, seconds=0.3, backend=bleak_air.AirScanner)
    assert result.status == "FAIL" and "did not see CloudPin-HIL-0000" in result.detail
