"""Board definitions: every shipped one is valid, broken ones get a message naming the fault."""

import copy
import glob
import json
import os

import pytest
from cloudpin import boarddef

from host_sim.paths import REPO_ROOT
from tests.crossrt import run_unix

BOARD_FILES = sorted(glob.glob(os.path.join(REPO_ROOT, "boards", "*.json")))


def _load(path):
    with open(path) as f:
        return json.load(f)


@pytest.mark.parametrize("path", BOARD_FILES, ids=[os.path.basename(p) for p in BOARD_FILES])
def test_shipped_board_is_valid(path):
    defn = boarddef.validate(_load(path))
    assert defn["id"] + ".json" == os.path.basename(path)


def test_shipped_boards_load_on_the_unix_port_too():
    code = "from cloudpin import boarddef\n" + "".join(
        "print(boarddef.load(%r)['id'])\n" % p for p in BOARD_FILES)
    out = run_unix(code=code).split()
    assert out == [os.path.basename(p)[:-5] for p in BOARD_FILES]


GOOD = _load(os.path.join(REPO_ROOT, "boards", "devkit-breakout.json"))


def _broken(change):
    defn = copy.deepcopy(GOOD)
    change(defn)
    return defn


@pytest.mark.parametrize("change, message", [
    (lambda d: d.pop("panel"), "missing section 'panel'"),
    (lambda d: d["panel"].update(controller="ssd9999"), "panel.controller 'ssd9999'"),
    (lambda d: d["panel"].update(width=400), "does not drive 400x122"),
    (lambda d: d["panel"].update(cs=34), "panel.cs: GPIO 34 is input-only"),
    (lambda d: d["panel"].update(dc="17"), "panel.dc: '17' is not an ESP32 GPIO"),
    (lambda d: d["panel"].update(rst=40), "panel.rst: 40 is not an ESP32 GPIO"),
    (lambda d: d["accel"].update(addr=0x30), "accel.addr must be 24"),
    (lambda d: d["buttons"]["a"].update(pin=5), "GPIO 5 is used twice: panel.cs and buttons.a"),
    (lambda d: d["battery"].update(divider=0), "battery.divider"),
    (lambda d: d.update(chip="ESP32-S3"), "chip 'ESP32-S3' is not supported"),
    (lambda d: d.pop("id"), "missing 'id'"),
    (lambda d: d["panel"].update(source_offset=4), "multiple of 8"),
    (lambda d: d["panel"].update(source_offset=64), "at offset 64,0 needs more than"),
    (lambda d: d["panel"].update(gate_offset=-1), "gate_offset must be a whole number"),
    (lambda d: d["panel"].update(glass=""), "panel.glass must be"),
])
def test_broken_definition_is_rejected_with_the_reason(change, message):
    with pytest.raises(boarddef.BoardError) as excinfo:
        boarddef.validate(_broken(change))
    assert message in str(excinfo.value)


@pytest.mark.parametrize("path", BOARD_FILES, ids=[os.path.basename(p) for p in BOARD_FILES])
def test_shipped_board_names_a_glass_the_simulator_knows(path):
    from host_sim.fakes.epd_glass import GLASSES, glass_for

    panel = _load(path)["panel"]
    glass = glass_for(panel["controller"], panel["width"], panel["height"], panel.get("glass"),
                      panel.get("source_offset", 0), panel.get("gate_offset", 0))
    assert glass.name in GLASSES and glass.source


def test_load_reports_missing_and_malformed_files(tmp_path):
    with pytest.raises(boarddef.BoardError, match="no board definition"):
        boarddef.load(str(tmp_path / "board.json"))
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "x", ')
    with pytest.raises(boarddef.BoardError, match="not valid JSON"):
        boarddef.load(str(bad))
