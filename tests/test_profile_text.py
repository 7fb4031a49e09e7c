"""One validation for every text that reaches a card (cloudpin.cardtext): the profile, the
companion's writes, `cloudpin deploy`'s flags and cards from the air agree; a refused write
changes nothing; whatever profile flash holds, the pin boots and says what it dropped."""

import json
import os
import subprocess
import sys

from cloudpin import profile as profiles
from cloudpin.app import MIRRORED, App
from cloudpin.store import Store

from host_sim.fakes import epd as fake_epd
from host_sim.fakes.board import sim_board
from host_sim.radio import bluetooth as fake_ble
from host_sim.radio.bluetooth_secure import SecureBLE
from host_sim.runtime.scheduler import Simulation
from tests.crossrt import run_both
from tests.test_companion_app import _handles, _pair, pin  # noqa: F401 - the fixture

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_the_rule_is_the_same_for_profile_and_cards_on_both_runtimes():
    out = run_both("tests/portable/cardtext_rule.py")
    assert out.count("accepted ") == 15 and out.count("rejected ") == 20
    assert "largest card 497 bytes of 500 True" in out
    assert "salvaged [('handles', ['@ada']), ('name', 'Cloud Pin'), ('org', 'BBC')]" in out


def test_a_refused_companion_write_changes_nothing_on_flash_or_in_ram(pin):  # noqa: F811
    # The reproduction: this write used to be answered with an error after it was stored,
    # and the next boot raised CardError.
    sim, app, ble = pin
    _pair(sim, app, ble)
    h = _handles(ble)
    ble.central_write(h[0], json.dumps({"name": "Ada Lovelace", "org": "BBC"}).encode())
    assert ble.central_read(h[5]) == b"ok"
    stored = app.store.read("profile.json")
    card = app.radio.card_bytes
    files = {n: open(os.path.join(app.data_dir, n), "rb").read()
             for n in sorted(os.listdir(app.data_dir))}

    for bad in ({"name": "Ada\u0080x"}, {"name": "Ada", "org": "\u202eCBB"},
                {"name": "Ada", "handles": ["@a\x1b[2J"]}, {"name": "x" * 41}):
        ble.central_write(h[0], json.dumps(bad).encode())
        assert ble.central_read(h[5]).startswith(b"error: "), bad
        assert app.profile == {"name": "Ada Lovelace", "org": "BBC"}
        assert app.radio.card_bytes == card
        assert app.store.read("profile.json") == stored
        assert ble.central_read(h[0]) == stored  # a read shows what is really kept
    assert {n: open(os.path.join(app.data_dir, n), "rb").read()
            for n in sorted(os.listdir(app.data_dir))} == files

    again = App(app.board)
    again.boot()  # and the next boot is a boot
    assert again.profile == {"name": "Ada Lovelace", "org": "BBC"}


def _booted(tmp_path, logged):
    fake_ble.install()
    board = sim_board("pin", storage_root=str(tmp_path), log=lambda *a: logged.append(a),
                      ble=SecureBLE(mac=b"\x24\x0a\xc4\x00\x00\x02", name="pin"))
    fake_epd.attach_to_board(board)
    return App(board)


def test_a_stored_profile_that_cannot_make_a_card_boots_with_what_it_can_use(tmp_path):
    # What the old firmware stored for {"name": "Ada\u0080x"}: CRC-intact, text refused.
    store = Store(str(tmp_path / "data"), mirrored=MIRRORED)
    os.makedirs(str(tmp_path / "data"))
    store.write("profile.json", json.dumps({"name": "Ada\u0080x", "org": "BBC",
                                            "role": "Camera \u202e"}).encode())
    logged = []
    app = _booted(tmp_path, logged)
    with Simulation() as sim:
        sim.spawn(app.run())
        sim.run_for(2)
        assert app.profile == {"name": "Cloud Pin", "org": "BBC"}
        assert b"Cloud Pin" in app.radio.card_bytes and b"BBC" in app.radio.card_bytes
        text = " ".join(" ".join(str(x) for x in line) for line in logged)
        assert "name dropped: name contains a control character" in text
        assert "role dropped" in text
        screen = app.display.screen  # on the panel too, not only in a log nobody reads
        assert screen.kind == "notice" and screen.key[1] == "Check your profile"
        assert any("name dropped" in line for line in screen.key[2])
        assert app.figures()["storage_problems"] == 2 + 1  # name, role, default name
        sim.run_for(65)
        assert app.display.screen.kind == "tag"  # then the name tag, with the default name


def test_damaged_or_hostile_profile_files_never_stop_a_boot(tmp_path):
    for i, raw in enumerate((b"", b"\xff\xfe", b"[1, 2]", b"{" * 600, b'{"name": 5}',
                             b'{"name": "\\u0000"}', b'"Ada"', b"null", b'{"name": "A\\ud800"}')):
        root = tmp_path / str(i)
        os.makedirs(str(root / "data"))
        with open(str(root / "profile.json"), "wb") as f:
            f.write(raw)  # a broken deploy (the tool refuses these; a hand or a bad copy)
        logged = []
        app = _booted(root, logged)
        app.boot()
        assert app.profile == {"name": "Cloud Pin"}, raw
        assert app.radio is not None and b"Cloud Pin" in app.radio.card_bytes
        assert any("profile" in str(line) for line in logged), raw


def _deploy(*args):
    # bytes arguments: what a shell passes for $'Ada\xff'
    return subprocess.run([sys.executable, "-m", "tools.cli", "deploy", "--board",
                           "devkit-breakout", "--port", "/nonexistent/ttyUSB9", *args],
                          capture_output=True, cwd=REPO, timeout=60)


def test_deploy_flags_go_through_the_same_rule():
    for name, words in ((b"Ada\xc2\x80x", b"name contains a control character"),
                        (b"Ada\xff", b"name is not valid UTF-8"),
                        (b"Ada\xe2\x80\xae", b"name contains an invisible")):
        proc = _deploy(b"--name", name)
        assert proc.returncode == 1, proc
        assert words in proc.stderr and b"Traceback" not in proc.stderr, proc.stderr
    proc = _deploy(b"--name", b"Ada", b"--org", b"\xed\xa0\x80", b"--json")
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr
    assert json.loads(proc.stdout)["error"] == "profile: org is not valid UTF-8"
    # A good name in any script gets as far as looking for the pin.
    proc = _deploy(b"--name", "Zażółć 王小明 Ёлка".encode())
    assert proc.returncode == 1 and b"no device at" in proc.stderr


def test_profile_and_cards_share_their_limits():
    from cloudpin import card, cardtext

    assert profiles.FIELDS["name"][1] == cardtext.NAME and card.MAX_NAME == cardtext.NAME[1]
    assert card.MAX_HANDLE == cardtext.HANDLE[1] and card.MAX_HANDLES == profiles.MAX_HANDLES
