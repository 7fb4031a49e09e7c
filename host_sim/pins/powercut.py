# Cut the power at every filesystem call of every write path of cloudpin.store, with several
# amounts of the buffered data reaching flash, and what did not reach it cut off, zeroed,
# garbage or one bit wrong (the same length: a check that only looks at lengths fails
# here), then reboot and check that everything committed is there and nothing is corrupt.
# main() prints one summary line per write path and returns (trials, losses). Common
# subset: tests run it on both runtimes (tests/portable/store_powercut.py); `cloudpin bench
# day` reports its totals. The same cuts at the flash under LittleFS: lfs_powercut.py.
from cloudpin.store import Journal, Store

from host_sim.fakes.flashfs import FlashFS, PowerCut

TORN = (0.0, 0.3, 0.5, 0.99, 1.0)
DAMAGE = ("cut", "zeros", "garbage", "flip")
OLD = b"profile v1: Ada Lovelace"
NEW = b"profile v2: Ada King, Countess of Lovelace" * 3


def store_setup(fs, initial):
    st = Store("/d", fs)
    for value in initial:
        st.write("profile", value)


def check_store(initial):
    def run(fs):
        Store("/d", fs).write("profile", NEW)

    def verify(fs, completed):
        st = Store("/d", fs)
        got = st.read("profile")
        allowed = [NEW] + ([initial[-1]] if initial else [None])
        assert got in allowed, got
        assert not completed or got == NEW
        st.write("profile", b"after reboot")  # the store still works afterwards
        assert Store("/d", fs).read("profile") == b"after reboot"
        return st.problems

    return run, verify, lambda fs: store_setup(fs, initial)


FRIENDS = [b"friend %d" % i for i in range(3)]


def journal_setup(fs, torn_tail):
    j = Journal("/d/friends.log", fs)
    for rec in FRIENDS:
        j.append(rec)
    if torn_tail:
        fs.files["/d/friends.log"] += b"\xc0\xde\x01\x20\x00\x01\x02"  # a record cut short


def check_journal(torn_tail):
    def run(fs):
        j = Journal("/d/friends.log", fs)
        j.records()
        j.append(b"a new friend")

    def verify(fs, completed):
        j = Journal("/d/friends.log", fs)
        got = j.records()
        assert got in (FRIENDS, FRIENDS + [b"a new friend"]), got
        assert not completed or got == FRIENDS + [b"a new friend"]
        j.append(b"after reboot")
        assert Journal("/d/friends.log", fs).records() == got + [b"after reboot"]
        return j.problems

    return run, verify, lambda fs: journal_setup(fs, torn_tail)


def check_replace():
    def run(fs):
        Journal("/d/friends.log", fs).replace([(1, FRIENDS[0])])

    def verify(fs, completed):
        got = Journal("/d/friends.log", fs).records()
        assert got in (FRIENDS, FRIENDS[:1]), got
        assert not completed or got == FRIENDS[:1]
        return []

    return run, verify, lambda fs: journal_setup(fs, False)


def trial_all(name, run, verify, setup):
    clean = FlashFS()
    setup(clean)
    start = clean.calls
    run(clean)
    calls = clean.calls - start
    trials = losses = 0
    reported = 0
    for k in range(calls + 1):
        for torn in TORN:
            for damage in DAMAGE:
                fs = FlashFS()
                setup(fs)
                fs.cut_at = fs.calls + k
                fs.torn = torn
                fs.damage = damage
                completed = True
                try:
                    run(fs)
                except PowerCut:
                    completed = False
                fs.reboot()
                try:
                    if verify(fs, completed):
                        reported += 1
                except AssertionError as e:
                    losses += 1
                    print("LOSS", name, "cut at call", k, "torn", torn, damage, e)
                trials += 1
    print(name, "calls", calls, "trials", trials, "losses", losses, "damage_reported",
          reported > 0)
    return trials, losses


def main():
    trials = losses = 0
    for name, checks in (("store_first_write", check_store([])),
                         ("store_overwrite", check_store([OLD])),
                         ("store_third_write", check_store([OLD, b"v1.5"])),
                         ("journal_append", check_journal(False)),
                         ("journal_repair_then_append", check_journal(True)),
                         ("journal_replace", check_replace())):
        t, lost = trial_all(name, *checks)
        trials += t
        losses += lost
    print("total_losses", losses)
    return trials, losses
