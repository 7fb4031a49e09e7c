"""The companion's real bleak code against simulated pins (host_sim.bleak_backends.sim backend): the
pin's real GATT service (cloudpin.companion) on host_sim's BLE with pairing."""

import asyncio
import csv
import io
import json
import os
import subprocess
import sys

import pytest

from host_sim.pins.companion import CompanionWorld
from tools.companion import laptop as cli
from tools.device.pinlink import PinError

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def world(tmp_path):
    w = CompanionWorld.demo(str(tmp_path / "sim"), pins=3, seed=5, friends_per_pin=30)
    return w


def run(coro):
    return asyncio.run(coro)


def panel(pin):
    """A person reading the passkey off the pin's panel."""
    return pin.shown_passkey


def paired(world, pin):
    link = cli.Link(world, passkey=None, log=lambda m: None)
    world.passkey_provider = panel
    run(cli.pair(link, pin.address))
    return link


def test_scan_finds_pins_in_pairing_mode_strongest_first(world):
    pins = run(cli.Link(world, log=lambda m: None).scan(0.1))
    assert [p["address"] for p in pins] == [p.address for p in world.pins]
    assert [p["rssi"] for p in pins] == sorted((p.rssi for p in world.pins), reverse=True)
    assert pins[0]["name"] == "CPin-01"


def test_nothing_works_before_pairing(world):
    pin = world.pins[0]
    link = cli.Link(world, log=lambda m: None)
    with pytest.raises(PinError, match="pairing first"):
        run(cli.stats(link, pin.address))
    with pytest.raises(PinError, match="pairing first"):
        run(cli.profile_set(link, pin.address, {"name": "Mallory"}))
    assert pin.profile() is None


def test_wrong_passkey_fails_and_three_failures_lock_the_pin(world):
    pin = world.pins[1]
    link = cli.Link(world, passkey=0, log=lambda m: None)
    for _attempt in range(3):
        with pytest.raises(PinError, match="wrong passkey"):
            run(cli.pair(link, pin.address))
        assert pin.shown_passkey is None  # the panel stops showing it
    assert [ok for ok, _ in pin.ble.pairings] == [False, False, False]
    assert pin.service.locked()
    # Even the right passkey cannot get in while the pin is locked: it refuses the link.
    world.passkey_provider = panel
    with pytest.raises(PinError, match="refused"):
        run(cli.pair(cli.Link(world, log=lambda m: None), pin.address))


def test_pairing_bonds_so_later_runs_need_no_passkey(world, tmp_path):
    pin = world.pins[0]
    link = paired(world, pin)
    assert len(pin.passkeys_shown) == 1 and 0 <= pin.passkeys_shown[0] <= 999999
    assert run(cli.stats(link, pin.address))["stats"]["friends"] == 30
    # A new process: the world is rebuilt from its folder, the bonds survive on both sides.
    # Without the bond, profile_set would fail with "needs pairing first".
    again = CompanionWorld.demo(world.state_dir, pins=3, seed=5, friends_per_pin=30)
    link2 = cli.Link(again, log=lambda m: None)
    result = run(cli.profile_set(link2, pin.address, {"name": "Zoë Ångström", "org": "RTÉ"}))
    assert result["profile"] == {"name": "Zoë Ångström", "org": "RTÉ"}
    assert again.find(pin.address).profile() == {"name": "Zoë Ångström", "org": "RTÉ"}


@pytest.mark.parametrize("friends, medal", [(49, None), (50, "bronze"), (150, "bronze"),
                                            (151, "gold")])
def test_stats_show_the_medal(tmp_path, friends, medal):
    world = CompanionWorld.demo(str(tmp_path), pins=1, seed=2, friends_per_pin=friends)
    pin = world.pins[0]
    link = paired(world, pin)
    stats = run(cli.stats(link, pin.address))["stats"]
    assert stats["friends"] == friends and stats["medal"] == medal


def test_bad_profiles_are_refused_and_nothing_is_written(world):
    from bleak import BleakClient
    from cloudpin import companion as svc

    from host_sim.bleak_backends import sim as bleak_sim

    pin = world.pins[0]
    link = paired(world, pin)
    run(cli.profile_set(link, pin.address, {"name": "Ada"}))
    with pytest.raises(PinError, match="41 characters"):
        run(cli.profile_set(link, pin.address, {"name": "x" * 41}))

    async def raw_writes():
        # Past the companion's own checks, straight at the pin: the pin checks again.
        async with BleakClient(pin.address, backend=bleak_sim.SimClient) as client:
            verdicts = []
            for data in (b"\xff\xfe\xfd", b'{"name": "A\\u0007"}', b"[1, 2]", b"{" * 600):
                try:
                    await client.write_gatt_char(svc.PROFILE_UUID, data, response=True)
                    verdicts.append(bytes(await client.read_gatt_char(svc.RESULT_UUID)))
                except Exception as exc:  # noqa: BLE001 - the oversized write fails at ATT
                    verdicts.append(str(exc).encode())
            return verdicts

    verdicts = run(raw_writes())
    assert verdicts[0] == b"error: profile is not UTF-8"
    assert verdicts[1] == b"error: name contains a control character"
    assert verdicts[2].startswith(b"error: a profile is an object")
    assert b"ATT error 0x0d" in verdicts[3]
    assert pin.profile() == {"name": "Ada"}
    assert pin.service.errors == 0 and pin.ble.handler_errors == 0


def test_friends_download_resumes_after_the_pin_leaves_range(world, tmp_path):
    pin = world.pins[2]
    link = paired(world, pin)
    pin.ble.drop_after = 5  # the wearer walks away a few operations into the transfer
    result = run(cli.friends(link, pin.address))
    assert result["friends"] == pin.friend_list  # all of them, each once, in order
    assert result["reconnects"] >= 1
    vcf, csv_path = tmp_path / "f.vcf", tmp_path / "f.csv"
    cli.write_atomically(str(vcf), cli.to_vcard(result["friends"]))
    cli.write_atomically(str(csv_path), cli.to_csv(result["friends"]))
    text = vcf.read_text(encoding="utf-8")
    assert text.count("BEGIN:VCARD") == text.count("END:VCARD") == 30
    assert "FN:%s" % pin.friend_list[0]["name"] in text
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
    assert [r["name"] for r in rows] == [f["name"] for f in pin.friend_list]
    assert not [p for p in os.listdir(tmp_path) if ".tmp" in p]


def test_a_pin_that_never_comes_back_is_a_clear_error(world):
    pin = world.pins[0]
    link = paired(world, pin)
    pin.ble.active(False)  # battery out
    with pytest.raises(PinError, match="gave up on %s" % pin.address):
        run(cli.friends(link, pin.address))


def test_vcard_escapes_and_time_and_design(world):
    card = cli.to_vcard([{"name": "Ann, the; Great", "org": "A\\B", "met": 1780000000}])
    assert "FN:Ann\\, the\\; Great" in card and "ORG:A\\\\B" in card
    pin = world.pins[0]
    link = paired(world, pin)
    result = run(cli.time_sync(link, pin.address, now=1780000000))
    assert pin.service.clock[0] == 1780000000
    assert result["pin_time"] >= 1780000000
    assert run(cli.design_set(link, pin.address, 12))["design"] == 12
    with pytest.raises(PinError, match="0..32"):
        run(cli.design_set(link, pin.address, 34))


def test_cli_sim_end_to_end(tmp_path):
    base = [sys.executable, "-m", "tools.cli", "companion", "--sim", "--sim-dir",
            str(tmp_path / "sim"), "--json"]

    def cloudpin(*args):
        proc = subprocess.run(base + list(args), capture_output=True, text=True, cwd=REPO,
                              timeout=120)
        return proc.returncode, json.loads(proc.stdout)

    rc, scan = cloudpin("scan", "--timeout", "0.1")
    address = scan["pins"][0]["address"]
    assert rc == 0 and len(scan["pins"]) == 3
    rc, out = cloudpin("--passkey", "000000", "pair", address)
    assert rc == 1 and "wrong passkey" in out["error"]
    rc, out = cloudpin("--passkey", "panel", "pair", address)
    assert rc == 0 and out["paired"]
    rc, out = cloudpin("profile", "set", address, "--name", "Kwame Mensah", "--role", "Camera")
    assert rc == 0 and out["profile"] == {"name": "Kwame Mensah", "role": "Camera"}
    rc, out = cloudpin("friends", address, "--csv", str(tmp_path / "f.csv"))
    assert rc == 0 and out["total"] == 12 and (tmp_path / "f.csv").exists()
    rc, out = cloudpin("stats", address)
    assert rc == 0 and out["stats"]["friends"] == 12 and out["stats"]["medal"] is None


# -- defects found trying every command as a new user (issue 24) ---------------------------

def test_stats_show_the_design_just_chosen(world):
    pin = world.pins[0]
    link = paired(world, pin)
    before = run(cli.stats(link, pin.address))["stats"]["design"]
    choice = (before + 5) % 33
    assert run(cli.design_set(link, pin.address, choice)) == {
        "design": choice, "sport": cli.design_names()[choice]}
    assert run(cli.stats(link, pin.address))["stats"]["design"] == choice


def test_the_locked_picture_is_not_a_choice(world):
    from tools.bench.report import UsageError

    pin = world.pins[0]
    link = paired(world, pin)
    assert len(cli.design_names()) == 33 and "locked" not in [n.lower() for n in
                                                               cli.design_names()]
    with pytest.raises(UsageError, match="0..32"):
        cli.parse_design("33")
    with pytest.raises(PinError, match="0..32"):
        run(cli.design_set(link, pin.address, 33))
    # straight at the simulated pin, past the companion's check: it refuses, as a pin does
    from bleak import BleakClient
    from cloudpin import companion as svc

    from host_sim.bleak_backends import sim as bleak_sim

    async def raw():
        async with BleakClient(pin.address, backend=bleak_sim.SimClient) as client:
            await client.write_gatt_char(svc.DESIGN_UUID, bytes((33,)), response=True)
            return bytes(await client.read_gatt_char(svc.RESULT_UUID))

    assert run(raw()).startswith(b"error")
    assert cli.parse_design("judo") == cli.design_names().index("Judo")


def test_design_list_names_the_sports_and_what_the_pin_shows(world):
    pin = world.pins[1]
    link = paired(world, pin)
    run(cli.design_set(link, pin.address, 7))
    rows = run(cli.design_list(link, pin.address))["designs"]
    assert [r["sport"] for r in rows] == cli.design_names()
    assert rows[0]["sport"] == "Aquatics" and len(rows) == 33
    assert [r["design"] for r in rows if r["current"]] == [7]
    assert run(cli.design_list(link))["designs"][11] == {"design": 11, "sport": "Football"}


def test_an_address_never_seen_is_not_a_lost_link(world):
    lines = []
    link = cli.Link(world, log=lines.append)
    with pytest.raises(PinError, match="no pin at 24:0A:C4:00:00:99.*scan"):
        run(cli.stats(link, "24:0A:C4:00:00:99"))
    assert not [ln for ln in lines if "lost" in ln or "reconnecting" in ln]
    assert link.reconnects == 0


@pytest.mark.parametrize("name, n_field", [
    ("Mateus Le Guen", "N:Le Guen;Mateus;;;"),
    ("Ludwig van Beethoven", "N:van Beethoven;Ludwig;;;"),
    ("Mary Ann Smith", "N:Smith;Mary Ann;;;"),
    ("Anna-Katharina Schmidt", "N:Schmidt;Anna-Katharina;;;"),
    ("Oisín Byrne", "N:Byrne;Oisín;;;"),
    ("Prince", "N:Prince;;;;"),
])
def test_vcard_family_names(name, n_field):
    assert n_field in cli.to_vcard([{"name": name}]).split("\r\n")


def test_handles_have_a_flag_and_are_exported(world, tmp_path):
    pin = world.pins[0]
    link = paired(world, pin)
    parser = __import__("tools.cli", fromlist=["build_parser"]).build_parser()
    args = parser.parse_args(["companion", "--sim", "profile", "set", pin.address,
                              "--name", "Ada", "--handle", "@ada", "--handle",
                              "linkedin.com/in/ada"])
    fields = cli._profile_fields(args)
    assert fields == {"name": "Ada", "handles": ["@ada", "linkedin.com/in/ada"]}
    assert run(cli.profile_set(link, pin.address, fields))["profile"]["handles"] == [
        "@ada", "linkedin.com/in/ada"]
    friend = {"name": "Ada Lovelace", "handles": ["@ada", "x;y"]}
    card = cli.to_vcard([friend])
    assert "X-SOCIALPROFILE:@ada" in card and "X-SOCIALPROFILE:x\\;y" in card
    row = next(csv.DictReader(io.StringIO(cli.to_csv([friend]))))
    assert row["handles"] == "@ada x;y"


def test_options_work_after_the_action_too(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "tools.cli", "companion", "scan", "--sim",
                           "--sim-dir", str(tmp_path / "sim"), "--sim-pins", "2", "--timeout",
                           "0.1", "--json"], capture_output=True, text=True, cwd=REPO,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["ok"] and len(out["pins"]) == 2


def test_scan_without_bluetooth_is_one_clear_error_that_suggests_sim(tmp_path):
    # The real bleak backend on a machine with no system D-Bus (no BlueZ): it used to end
    # in a 48-line D-Bus traceback with nothing on stdout, even with --json.
    env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS="unix:path=%s" % (tmp_path / "no-bus"))
    proc = subprocess.run([sys.executable, "-m", "tools.cli", "companion", "scan", "--timeout",
                           "1", "--json"], capture_output=True, text=True, cwd=REPO,
                          timeout=120, env=env)
    assert proc.returncode == 1
    out = json.loads(proc.stdout)
    assert out["ok"] is False and "--sim" in out["error"] and "Bluetooth" in out["error"]
    assert "Traceback" not in proc.stderr and len(proc.stderr.splitlines()) <= 2
