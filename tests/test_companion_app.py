"""The companion's GATT service inside the whole app: beside the tap radio on one stack,
reachable only in companion mode (a long press), behind a passkey shown on the panel."""

import json
import struct

import pytest
from cloudpin import buttons
from cloudpin.app import App
from cloudpin.companion import DESIGNS

from host_sim.fakes import epd as fake_epd
from host_sim.fakes.board import sim_board
from host_sim.radio import bluetooth as fake_ble
from host_sim.radio.bluetooth_secure import AttError, LinkLost, PairingFailed, SecureBLE
from host_sim.runtime.scheduler import Simulation

LAPTOP = b"\x10\x20\x30\x40\x50\x60"


@pytest.fixture
def pin(tmp_path):
    fake_ble.install()  # `import bluetooth` finds the fake, as on the pin the real one
    ble = SecureBLE(mac=b"\x24\x0a\xc4\x00\x00\x01", name="pin")
    board = sim_board("pin", storage_root=str(tmp_path), ble=ble, log=lambda *a: None)
    fake_epd.attach_to_board(board)
    app = App(board)
    with Simulation() as sim:
        sim.spawn(app.run())
        sim.run_for(2)
        yield sim, app, ble


def _handles(ble):
    for uuid, chars in ble.central_services():
        if "c10d0b00" in str(uuid):
            return [vh for vh, _flags, _uuid in chars]
    raise AssertionError("no companion service registered")


class _ReadOffThePanel:
    """The person types what the panel shows (int() is taken after the pin has drawn it)."""

    def __init__(self, app):
        self.app = app

    def __int__(self):
        overlay = self.app.display._overlay
        assert overlay is not None, "no passkey on the panel"
        return overlay[1][0]  # layouts.pairing(passkey, name)


def _pair(sim, app, ble):
    app.on_action(buttons.PAIRING)
    sim.run_for(0.5)  # the radio's poll puts the companion's advert up
    ble.central_connect(LAPTOP)
    with pytest.raises(PairingFailed):
        ble.central_pair(123)  # a wrong passkey (one in a million it is right): link drops
    ble.central_connect(LAPTOP)
    ble.central_pair(_ReadOffThePanel(app))
    assert app.display._overlay is None  # the passkey screen is gone once paired
    return ble.pairings


def test_outside_companion_mode_a_central_is_turned_away(pin):
    sim, app, ble = pin
    with pytest.raises(LinkLost):
        ble.central_connect(LAPTOP)
    assert app.radio.stats.rejected_connects == 1


def test_companion_sets_profile_time_and_design_and_reads_friends_and_stats(pin):
    sim, app, ble = pin
    assert [ok for ok, _ in _pair(sim, app, ble)] == [False, True]
    h = _handles(ble)
    result = h[5]

    ble.central_write(h[0], json.dumps({"name": "Ada Lovelace", "org": "BBC",
                                        "handles": ["@ada"]}).encode())
    assert ble.central_read(result) == b"ok"
    assert app.profile["name"] == "Ada Lovelace"
    assert app.store.read("profile.json") is not None
    # the contact card the radio hands out changed too
    assert b"Ada Lovelace" in app.radio.card_bytes

    ble.central_write(h[0], b'{"name": ""}')
    assert ble.central_read(result).startswith(b"error: name is required")
    assert app.profile["name"] == "Ada Lovelace"

    ble.central_write(h[1], struct.pack("<Ih", 1_785_571_200, 120))
    assert ble.central_read(result) == b"ok" and app.clock.synced
    assert app.clock.utc_offset_s == 7200

    ble.central_write(h[4], bytes((0,)))  # Aquatics: 10 friends needed
    assert b"not unlocked" in ble.central_read(result)
    ble.central_write(h[4], bytes((DESIGNS,)))
    assert ble.central_read(result).startswith(b"error")
    assert app.design == 2

    stats = json.loads(ble.central_read(h[3]))
    assert stats["friends"] == 0 and stats["unlocked"] == [2] and stats["medal"] is None
    app.progress.friends = 50  # as if 50 taps had happened: the bronze medal
    app.companion.refresh()
    assert json.loads(ble.central_read(h[3]))["medal"] == "bronze"
    ble.central_write(h[2], b"\x00\x00")
    assert json.loads(ble.central_read(h[2])) == {"total": 0, "start": 0, "friends": []}


def test_companion_mode_closes_after_two_minutes(pin):
    sim, app, ble = pin
    app.on_action(buttons.PAIRING)
    sim.run_for(121)
    with pytest.raises(LinkLost):
        ble.central_connect(LAPTOP)


def test_unpaired_links_read_nothing(pin):
    sim, app, ble = pin
    app.on_action(buttons.PAIRING)
    sim.run_for(0.5)
    ble.central_connect(LAPTOP)
    h = _handles(ble)
    with pytest.raises(AttError):
        ble.central_read(h[0])
    with pytest.raises(AttError):
        ble.central_write(h[0], b'{"name": "Mallory"}')
    assert app.profile["name"] != "Mallory"


def test_stats_fit_one_attribute_even_after_a_busy_fortnight(pin):
    sim, app, ble = pin
    for day in range(20000, 20016):
        app.activity.on_steps(day, 123456, yesterday_steps=123456)
        app.activity.friends = 99
    app.progress.friends = 151
    app.progress.unlocked = bytearray(b"\xff\xff\xff\xff\x01")  # all 33 designs
    app.companion.refresh()
    _pair(sim, app, ble)
    stats = json.loads(ble.central_read(_handles(ble)[3]))  # valid JSON, not cut off
    assert len(stats["days"]) == 7 and len(stats["unlocked"]) == 33
    assert stats["medal"] == "gold"
