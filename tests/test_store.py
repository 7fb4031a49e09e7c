"""cloudpin.store: committed data survives a power cut at every filesystem call."""

from cloudpin import store

from host_sim.fakes.flashfs import FlashFS
from host_sim.pins import powercut
from tests.crossrt import run_both

SCRIPT = "tests/portable/store_powercut.py"


def test_power_cut_at_every_call_loses_nothing_on_both_runtimes():
    out = run_both(SCRIPT, heapsize="256K")
    lines = out.splitlines()
    assert lines[-1] == "total_losses 0"
    paths = [line.split() for line in lines[:-1]]
    assert len(paths) == 6
    for fields in paths:
        name, calls, trials, losses = fields[0], int(fields[2]), int(fields[4]), int(fields[6])
        assert calls >= 3 and trials == (calls + 1) * 5 * 4 and losses == 0, name


class _InPlaceStore(store.Store):
    """What a naive pin would do: overwrite one file in place."""

    def write(self, name, data):
        f = self.fs.open(self._slot_path(name, 0), "wb")
        f.write(data)
        f.close()

    def read(self, name):
        try:
            f = self.fs.open(self._slot_path(name, 0), "rb")
        except OSError:
            return None
        data = f.read()
        f.close()
        return data


def test_the_harness_catches_a_store_that_writes_in_place(monkeypatch, capsys):
    monkeypatch.setattr(powercut, "Store", _InPlaceStore)
    trials, losses = powercut.trial_all("naive", *powercut.check_store([powercut.OLD]))
    assert trials > 0 and losses > 0
    assert "LOSS naive" in capsys.readouterr().out


def test_damaged_files_are_reported_not_fatal():
    fs = FlashFS()
    st = store.Store("/d", fs)
    st.write("day", b"steps=100")
    fs.files["/d/day.1"] = b"garbage that is not a store file"
    fresh = store.Store("/d", fs)
    assert fresh.read("day") == b"steps=100"
    assert any("not a store file" in p for p in fresh.problems)

    fs.files["/d/friends.log"] = b"\x00\x01\x02"
    journal = store.Journal("/d/friends.log", fs)
    assert journal.records() == []
    assert journal.problems and journal.needs_repair()
    assert journal.repair() and fs.files["/d/friends.log"] == b""


def test_store_works_on_a_real_directory(tmp_path):
    st = store.Store(str(tmp_path))
    assert st.read("profile") is None
    for i in range(5):
        st.write("profile", b"v%d" % i)
    assert store.Store(str(tmp_path)).read("profile") == b"v4"
    j = store.Journal(str(tmp_path / "friends.log"))
    for i in range(3):
        j.append(b"f%d" % i)
    assert store.Journal(str(tmp_path / "friends.log")).records() == [b"f0", b"f1", b"f2"]


def _mutant(source):
    import types

    mod = types.ModuleType("store_mutant")
    exec(compile(source, "store_mutant.py", "exec"), mod.__dict__)
    return mod


def _store_source():
    with open(store.__file__, encoding="utf-8") as f:
        return f.read()


def test_the_damage_checks_pass_on_both_runtimes():
    out = run_both("tests/portable/store_damage.py", heapsize="128K")
    assert out.splitlines()[-1] == "total_failures 0"
    for label in ("store", "mirrored", "journal", "legacy"):
        assert "%s cases " % label in out


def test_taking_out_any_crc_check_fails_the_damage_checks(capsys):
    import re

    from host_sim.pins import flashdamage

    source = _store_source()
    checks = list(re.finditer(r"binascii\.crc32\(.*?\) != crc", source))
    assert len(checks) == 3  # store slots, journal records, first-format records
    mutants = [source[:m.start()] + "False" + source[m.end():] for m in checks]
    # ... and the other defences: resynchronising after damage, healing a mirrored copy
    for old, new in (("nxt = _resync(f, pos, size)", "nxt = size"),
                     ("                self._heal(name, body,", "                0 and self._heal(name, body,")):
        assert source.count(old) == 1, old
        mutants.append(source.replace(old, new))
    for i, mutant in enumerate(mutants):
        mod = _mutant(mutant)
        total, failures = flashdamage.main(mod.Store, mod.Journal)
        assert total > 0 and failures > 0, "mutant %d survived the damage checks" % i
    unchanged = _mutant(source)  # the harness itself passes the real store, loaded this way
    assert flashdamage.main(unchanged.Store, unchanged.Journal)[1] == 0
    capsys.readouterr()


def test_a_friend_the_flash_cannot_take_is_said_on_the_panel_and_the_pin_goes_on(tmp_path):
    from cloudpin.card import Card

    from tests.test_profile_text import _booted

    app = _booted(tmp_path, [])
    app.boot()
    app._boot_ticks = 0

    def full(*args):
        raise OSError(28, "ENOSPC")

    app.friends.journal.append = full
    app._on_friend(Card(b"\x01" * 8, "Grace Hopper"), b"\x00" * 6)
    assert app.friends.count == 0 and app.stats.friends_made == 0
    overlay = app.display._overlay
    assert overlay[1][0] == "Flash full" and "Grace Hopper was not saved" in overlay[1][1]
    app.store.write = full  # the housekeeping save on a full flash: counted, not raised
    app._save()
    assert app.stats.save_errors == 2 and app._dirty
