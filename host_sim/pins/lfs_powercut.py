# Power cuts at the flash, under the filesystem the pin really runs: MicroPython's own
# LittleFS v2 (vfs.VfsLfs2, in the unix port) mounted on host_sim.fakes.blockdev's NOR
# flash. For every write path of the whole firmware (the App on a board with storage only:
# a friend added, the profile changed, the day rolled over, a design chosen, the friends log
# compacted or repaired, the first boot), the power is cut during every block program and
# erase in turn, with the operation landing not at all, half, with wrong bits or whole;
# then the pin reboots (remount, a new App boots) and everything committed must be there,
# nothing may be corrupt, and the pin must go on working (one more write, reboot, check).
#
# main() prints one line per write path and `total_losses N`. Unix port only (CPython has
# no VfsLfs2); the call-level cuts (powercut.py) run on both runtimes.
import gc
import time

import vfs
from cloudpin.app import App
from cloudpin.board import Board
from cloudpin.card import Card

from host_sim.fakes.blockdev import TEARS, NorFlash, PowerCut
from host_sim.fakes.board import SeededBytes

MOUNT = "/flash"
DEPLOYED = b'{"name": "Ada Lovelace", "org": "Analytical Engines"}'


class _Tracked:
    """VfsLfs2 as mounted, remembering the files it opened: after a power cut the harness
    closes them itself (they fail, quietly) instead of leaving the garbage collector to
    close them later and print the failure."""

    def __init__(self, lfs):
        self.lfs = lfs
        self.files = []

    def open(self, path, mode):
        f = self.lfs.open(path, mode)
        self.files.append(f)
        if len(self.files) > 32:
            self.files = self.files[-16:]  # the firmware closes its files: keep the last
        return f

    def abandon(self):
        for f in self.files:
            try:
                f.close()
            except OSError:
                pass
        self.files = []

    def mount(self, readonly, mkfs):
        return self.lfs.mount(readonly, mkfs)

    def umount(self):
        return self.lfs.umount()

    def remove(self, path):
        return self.lfs.remove(path)

    def rename(self, old, new):
        return self.lfs.rename(old, new)

    def mkdir(self, path):
        return self.lfs.mkdir(path)

    def rmdir(self, path):
        return self.lfs.rmdir(path)

    def stat(self, path):
        return self.lfs.stat(path)

    def statvfs(self, path):
        return self.lfs.statvfs(path)

    def ilistdir(self, path):
        return self.lfs.ilistdir(path)

    def chdir(self, path):
        return self.lfs.chdir(path)

    def getcwd(self):
        return self.lfs.getcwd()


class Flash:
    """A NOR chip with LittleFS on it, mounted at /flash as the pin mounts its own at /."""

    def __init__(self, blocks=32):
        self.blocks = blocks
        self.chip = None
        self.fs = None
        self.fresh()

    def fresh(self):
        """A new, freshly formatted chip."""
        self.unmount()
        self.chip = NorFlash(self.blocks)
        vfs.VfsLfs2.mkfs(self.chip.connect())
        self.mount()

    def mount(self):
        self.unmount()
        self.fs = _Tracked(vfs.VfsLfs2(self.chip.connect()))
        vfs.mount(self.fs, MOUNT)

    def unmount(self):
        if self.fs is not None:
            vfs.umount(MOUNT)
            self.fs.abandon()
            self.fs = None
            gc.collect()

    def reboot(self):
        self.unmount()
        self.chip.reboot()
        self.mount()

    def restore(self, image):
        self.unmount()
        self.chip.restore(image)
        self.mount()

    def write(self, name, data):
        with open(MOUNT + "/" + name, "wb") as f:
            f.write(data)


def booted(log=None):
    """A pin with storage only (no panel, radio or sensor), booted from /flash."""
    board = Board("lfs", {}, storage_root=MOUNT, log=log or _quiet, random_bytes=SeededBytes(7))
    app = App(board)
    app.boot()
    app._boot_ticks = time.ticks_ms()  # what run() sets; these pins never run
    return app


def _quiet(*args):
    return None


def friend_card(i):
    return Card(bytes((0xF0, i & 0xFF, i >> 8 & 0xFF, 2, 3, 4, 5, 6)), "Friend %d" % i,
                "Org %d" % (i % 3), "Role", ("@friend%d" % i,))


def names(app):
    from cloudpin.card import decode

    return [decode(f.card).name for f in app.friends.friends()]


def make_friends(app, first, n):
    for i in range(first, first + n):
        app._on_friend(friend_card(i), b"\x00" * 6)


def _allowed(problems):
    # On LittleFS a file's content is committed whole at close, so a cut damages nothing;
    # what a cut can leave is a new slot file that is still empty (LittleFS creates the
    # file at open), a mirrored record's second copy that it did not reach, or a friend
    # stored whose errands save it did not reach. All are reported and put right; anything
    # else is damage a cut must not cause.
    return [p for p in problems if "second copy" not in p and "(a write cut short)" not in p
            and "(a save cut short?)" not in p]


# -- the write paths: setup(app) on a fresh flash, run(app) the write, check(app, done,
# before) after the reboot, before(app) what a reader sees before the write ---------------

def path_friend_added():
    def setup(app):
        make_friends(app, 0, 3)

    def run(app):
        make_friends(app, 3, 1)

    def check(app, done, before):
        got = names(app)
        assert got in (before, before + ["Friend 3"]), got
        assert not done or got == before + ["Friend 3"]

    return {"setup": setup, "run": run, "check": check}


def path_profile_changed():
    new = {"name": "Ada King", "org": "Countess of Lovelace", "handles": ["@ada"]}

    def run(app):
        app.set_profile(new)

    def check(app, done, before):
        assert app.profile in (before, new), app.profile
        assert not done or app.profile == new

    return {"run": run, "check": check, "before": lambda app: app.profile}


def path_day_rolled_over():
    def setup(app):
        app.activity.on_steps(20000, 4321)
        app._save()

    def run(app):
        from cloudpin.daily import DailySteps

        daily = DailySteps(app.store)
        daily.update(20000, 4321)
        daily.update(20001, 4400)  # the new day's first update writes the record
        app._closed(app.activity.on_steps(20001, 79, 4321))
        app.progress.on_steps(79)
        app._save()

    def check(app, done, before):
        days = app.activity.days()
        assert app.activity.day in (20000, 20001), days
        if app.activity.day == 20001:
            assert days[-2] == (20000, 4321, 0), days
        assert not done or app.activity.day == 20001

    return {"setup": setup, "run": run, "check": check}


def path_design_chosen():
    def setup(app):
        make_friends(app, 0, 1)  # the first friend unlocks Football (11)

    def run(app):
        assert app.choose_design(11)

    def check(app, done, before):
        assert app.design in (before, 11), app.design
        assert not done or app.design == 11

    return {"setup": setup, "run": run, "check": check, "before": lambda app: app.design}


def path_compaction():
    def setup(app):
        make_friends(app, 0, 6)
        for i in (1, 4):  # two taps by mistake, undone (what undo_last_friend does)
            app.activity.on_friend_undone()
            app.progress.on_friend_undone(False)
            app._save()
            app.friends.remove(friend_card(i).pin_id)

    def run(app):
        app.friends.compact()

    def check(app, done, before):
        assert names(app) == before, names(app)  # compaction changes nothing a reader sees

    return {"setup": setup, "run": run, "check": check}


def path_log_repair():
    def setup(app):
        make_friends(app, 0, 5)
        path = MOUNT + "/data/friends.log"
        with open(path, "rb") as f:
            log = bytearray(f.read())
        log[len(log) // 2] ^= 0x40  # flash damage in the third friend
        with open(path, "wb") as f:
            f.write(log)

    def run(app):
        booted()  # the boot finds the damage and rewrites the log without it

    def check(app, done, before):
        got = names(app)
        assert got == ["Friend 0", "Friend 1", "Friend 3", "Friend 4"], got

    # The damage is there before the write: a boot after the cut finds it again, reports
    # it and finishes the repair.
    return {"setup": setup, "run": run, "check": check, "damaged": True, "boot": True}


def _churn(app, writes):
    # A flash that has been in use: the directory's metadata blocks part full, so that
    # some writes make LittleFS compact them (erase, copy, relocate) in the middle.
    for _ in range(writes):
        app._save()


def compacting_age(path, flash, limit=150):
    """The fewest saves before the write at which the write itself makes LittleFS erase
    a block of the directory's metadata (compact it): the hardest place to lose power.
    None if none up to `limit`."""
    flash.fresh()
    flash.write("profile.json", DEPLOYED)
    app = booted()
    if path.get("setup") is not None:
        path["setup"](app)
    usual = None  # what the write erases on a fresh flash (new blocks of file data)
    for age in range(limit):
        image = flash.chip.image()
        erased = sum(flash.chip.erases)
        path["run"](None if path.get("boot") else booted())
        erased = sum(flash.chip.erases) - erased
        if usual is None:
            usual = erased
        elif erased > usual:
            return age
        flash.restore(image)
        booted()._save()
    return None


def trial_all(name, path, flash, age=0):
    setup, run, check = path.get("setup"), path["run"], path["check"]
    before_fn = path.get("before", names)
    flash.fresh()
    flash.write("profile.json", DEPLOYED)
    first = booted()
    pin_id = first.pin_id
    _churn(first, age)
    if setup is not None:
        setup(first)
    image = flash.chip.image()
    erases = sum(flash.chip.erases)
    is_boot = path.get("boot")  # the write is the boot itself
    base = None if is_boot else booted()
    before = None if is_boot else before_fn(base)
    start = flash.chip.ops
    run(base)
    ops = flash.chip.ops - start
    erases = sum(flash.chip.erases) - erases
    trials = losses = reported = 0
    for k in range(ops + 1):
        for tear in TEARS if k < ops else ("none",):  # k == ops: no cut, the write ends
            flash.restore(image)
            app = None if is_boot else booted()
            flash.chip.cut_at = flash.chip.ops + k
            flash.chip.tear = tear
            try:
                run(app)
            except (PowerCut, OSError):
                if flash.chip.powered:
                    raise  # a real error, not the cut
            done = flash.chip.powered
            flash.reboot()
            trials += 1
            try:
                app = booted()
                check(app, done, before)
                assert app.pin_id == pin_id, "the pin's ID changed"
                if not path.get("damaged"):
                    assert not _allowed(app.problems), app.problems
                if app.problems:
                    reported += 1
                make_friends(app, 50, 1)  # and the pin goes on working
                flash.reboot()
                again = booted()
                assert "Friend 50" in names(again), names(again)
                assert not _allowed(again.problems), again.problems
            except AssertionError as exc:
                losses += 1
                print("LOSS", name, "cut at op", k, tear, exc)
    print(name, "age", age, "ops", ops, "erases", erases, "trials", trials, "losses", losses,
          "recoveries_reported", reported)
    return trials, losses


def trial_first_boot(flash):
    # The very first boot writes the identity (both slots) and takes the deployed profile.
    flash.fresh()
    flash.write("profile.json", DEPLOYED)
    image = flash.chip.image()
    start = flash.chip.ops
    booted()
    ops = flash.chip.ops - start
    trials = losses = 0
    for k in range(ops):
        for tear in TEARS:
            flash.restore(image)
            flash.chip.cut_at = flash.chip.ops + k
            flash.chip.tear = tear
            try:
                booted()
            except (PowerCut, OSError):
                if flash.chip.powered:
                    raise
            flash.reboot()
            trials += 1
            try:
                app = booted()
                assert app.profile["name"] == "Ada Lovelace", app.profile
                pin_id = app.pin_id
                flash.reboot()
                again = booted()
                assert again.pin_id == pin_id, "the pin's ID changed after the first boot"
                assert not _allowed(again.problems), again.problems
            except AssertionError as exc:
                losses += 1
                print("LOSS first_boot cut at op", k, tear, exc)
    print("first_boot ops", ops, "trials", trials, "losses", losses)
    return trials, losses


PATHS = (("friend_added", path_friend_added), ("profile_changed", path_profile_changed),
         ("day_rolled_over", path_day_rolled_over), ("design_chosen", path_design_chosen),
         ("compaction", path_compaction), ("log_repair", path_log_repair))


def naive_replace(journal, records):
    """What a careless compaction does: write the copy, delete the log, rename the copy
    (no atomic rename over the old file). The harness must find the friends it loses."""
    tmp = journal.path + ".tmp"
    with open(tmp, "wb") as f:
        for kind, body in records:
            from cloudpin.store import _frame

            f.write(_frame(kind, body))
            f.write(body)
    journal.fs.remove(journal.path)
    journal.fs.rename(tmp, journal.path)
    journal._checked = False


def main(only=None):
    if only == "naive":
        from cloudpin import store

        store.Journal.replace = naive_replace
        only = "compaction"
    flash = Flash()
    trials, losses = trial_first_boot(flash) if only in (None, "first_boot") else (0, 0)
    for name, make in PATHS:
        if only in (None, name):
            ages = [0]
            hard = compacting_age(make(), flash)
            if hard:
                ages.append(hard)
            for age in ages:
                t, lost = trial_all(name, make(), flash, age)
                trials += t
                losses += lost
    flash.unmount()
    print("total_trials", trials)
    print("total_losses", losses)
    return trials, losses


# -- a full flash -----------------------------------------------------------------------

def _fill(step):
    """Fill /flash until LittleFS says ENOSPC, in files of `step` bytes (the last one
    partly): what is left is less than one more step. Returns the files written."""
    n = 0
    chunk = b"\x5a" * step
    while True:
        path = MOUNT + "/filler%d" % n
        try:
            with open(path, "wb") as f:
                f.write(chunk)
        except OSError as exc:
            if exc.errno != 28:
                raise
            try:
                import os

                os.remove(path)
            except OSError:
                pass
            return n
        n += 1


def full_flash(step=512):
    """The flash fills up in the middle of the pin's writes: each write is refused with
    ENOSPC, nothing committed is lost, the pin keeps working from RAM, and once there is
    room again everything works. Prints what happened; returns the number of failures."""
    import os

    failures = 0
    logged = []
    flash = Flash(blocks=24)
    flash.write("profile.json", DEPLOYED)
    app = booted(lambda *a: logged.append(" ".join(str(x) for x in a)))
    make_friends(app, 0, 5)
    app.choose_design(11)
    profile, design = app.profile, app.design
    fillers = _fill(step)
    refused = 0
    new = {"name": "Ada King"}
    # friends keep coming: each is refused (logged), none of the earlier ones is harmed
    for i in range(5, 25):
        before = app.friends.count
        make_friends(app, i, 1)
        if app.friends.count == before:
            refused += 1
    try:
        app.set_profile(new)
        profile = new  # small records can still fit in the directory's metadata
    except OSError as exc:
        print("full: profile write refused:", "ENOSPC" if exc.errno == 28 else exc)
    if app.profile != profile:
        failures += 1
        print("FAIL the profile in RAM is not what the flash holds:", app.profile)
    app._save()  # housekeeping on a full flash: logged, not raised
    from cloudpin.daily import DailySteps

    daily = DailySteps(app.store, save_every=1)
    daily.update(20000, 10)
    daily.update(20001, 20)
    print("full: friends refused", refused, "of 20; saves failed", app.stats.save_errors,
          "; steps saves failed", daily.save_errors)
    print("full: logged", len([line for line in logged if "could not" in line]),
          "'could not store' lines")
    flash.reboot()
    again = booted()
    kept = names(again)
    if kept[:5] != ["Friend %d" % i for i in range(5)] or again.profile != profile \
            or again.design != design:
        failures += 1
        print("FAIL after the reboot:", kept, again.profile, again.design)
    print("full: after the reboot", len(kept), "friends, design", again.design,
          "problems", len(_allowed(again.problems)))
    for i in range(fillers):
        os.remove(MOUNT + "/filler%d" % i)
    make_friends(again, 90, 1)
    again.set_profile(new)
    flash.reboot()
    last = booted()
    if "Friend 90" not in names(last) or last.profile != new:
        failures += 1
        print("FAIL once there is room again:", names(last), last.profile)
    print("full: room again,", len(names(last)), "friends, profile", last.profile["name"])
    flash.unmount()
    print("full_failures", failures)
    return failures
