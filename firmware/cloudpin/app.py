"""The pin's application: every service wired to one Board, state kept across reboots.

    app = App(board)
    asyncio.run(app.run())            # on the pin: forever
    await app.run(duration_ms=60000)  # tests and the simulator: a bounded run

boot() loads what flash holds (a damaged file is reported in the log and recovered from,
never a boot failure) and builds the services the board has parts for:

  steps    accelerometer -> pedometer -> today's steps      (board.i2c)
  display  the e-ink name tag and its overlays              (board.spi + panel pins)
  buttons  refresh, next design, undo the last friend       (board.buttons)
           (next design goes through the unlocked ones, then shows the locked design
           nearest to done with its errand, then starts over)
  radio    adverts, scanning, taps, contact cards           (board.ble)

and the app keeps the friends list, daily activity, errands and chosen design, all written
through cloudpin.store so a power cut loses nothing committed.

Power: the radio listens in short windows by default and continuously for a while when the
pin is picked up after lying still (the accelerometer's motion wake) or a button is pressed;
that is when a tap is about to happen.
"""

import asyncio
import gc
import json
import struct
import time

from micropython import const

from cloudpin import activity, errands
from cloudpin import profile as profiles
from cloudpin.friends import NOWHERE, FriendBook, org_hash
from cloudpin.store import Journal, Store
from cloudpin.wallclock import WallClock

_HEARTBEAT_MS = const(1000)
_HOUSEKEEPING_MS = const(10000)
_SAVE_EVERY_MS = const(300000)
UNDO_WINDOW_MS = const(30000)
_WAKE_MS = const(15000)
DEEP_SLEEP_AFTER_MS = const(1800000)
COMPANION_MODE_MS = const(120000)  # after a long press of A: the companion may connect

_IRQ_SCAN_RESULT = const(5)
_IRQ_CENTRAL_CONNECT = const(1)
_IRQ_CENTRAL_DISCONNECT = const(2)
_IRQ_GATTS_WRITE = const(3)
_IRQ_ENCRYPTION_UPDATE = const(28)
_IRQ_GET_SECRET = const(29)
_IRQ_SET_SECRET = const(30)
_IRQ_PASSKEY_ACTION = const(31)  # still this long (on a table, at night): deep sleep
DEFAULT_NAME = "Cloud Pin"
DEFAULT_PROFILE = {"name": DEFAULT_NAME}
# Store records kept in both slots (cloudpin.store): what cannot be rebuilt, and the small
# ones written too seldom to have a previous copy in the other slot.
MIRRORED = ("identity", "profile.json", "profile.deployed", "bonds", "design", "utc_offset")
_NOTICE_MS = const(60000)  # how long a storage or profile problem stays on the panel


class Stats:
    def __init__(self):
        self.uptime_ms = 0
        self.heartbeats = 0
        self.heap_peak = 0
        self.friends_made = 0
        self.met_again = 0
        self.undone = 0
        self.unlocks = 0
        self.saves = 0
        self.save_errors = 0


class App:
    def __init__(self, board, company_id=None, radio_options=None, measure_heap=False):
        self.board = board
        # measure_heap: collect garbage before each heap sample, so heap_peak is the live
        # peak (a diagnostic: a collection a second costs the pin a few ms each time).
        self.measure_heap = measure_heap
        self.stats = Stats()
        self.clock = WallClock(board.rtc)
        self.company_id = company_id
        self.radio_options = radio_options or {}
        # State objects are made here (no I/O) and filled from flash by boot().
        self.data_dir = board.path("data")
        self.store = Store(self.data_dir, mirrored=MIRRORED)
        self.friends = FriendBook(Journal(self.data_dir + "/friends.log"))
        self.activity = activity.Activity()
        self.progress = errands.Progress()
        self._booted = False
        self.profile = DEFAULT_PROFILE
        self.pin_id = b""
        self.design = 0
        self._previewed = False  # the last "next design" showed a locked one's errand
        self.steps = None
        self.display = None
        self.buttons = None
        self.radio = None
        self.companion = None
        self._companion_until = None  # ticks_ms while companion mode is open
        self._companion_conns = []
        self._companion_handles = ()
        self._radio_irq = _no_irq  # set by _start_radio: the BLE events' two destinations
        self._companion_irq = _no_irq
        self._radio_wants = _no_irq
        self.battery = None
        self.problems = []  # damage found on flash at boot and what was done about it
        self._boot_problems = []
        self._last_friend = None  # (pin ID, org hash, ticks_ms) of the latest friendship
        self._dirty = False
        self._stop = False
        self._still_since = None  # ticks_ms since the accelerometer saw no motion

    # -- boot ------------------------------------------------------------------------

    def boot(self):
        b = self.board
        _makedirs(self.data_dir)
        self._booted = True
        self.friends.load()
        self.activity = activity.from_bytes(self.store.read("activity"))
        self.progress = errands.from_bytes(self.store.read("errands"))
        offset = self.store.read("utc_offset")
        offset = struct.unpack("<i", offset)[0] if offset and len(offset) == 4 else 0
        if not -14 * 3600 <= offset <= 14 * 3600:
            b.log("storage: ignoring an impossible UTC offset", offset)
            offset = 0
        if self.clock.restore(offset):
            b.log("clock: time kept by the RTC through the reset")
        self._boot_problems = []
        self.pin_id = self._identity()
        self.profile = self._load_profile()
        self.design = self._load_design()
        self._check_friends()
        self._build_services()
        if self.companion is not None:
            self.companion.load_bonds()  # read now, so damage to them is found at boot
        self.problems = (self.store.problems + self.friends.problems
                         + self._boot_problems)
        for problem in self.problems:
            b.log("storage:", problem)
        self._show_problems()
        b.log("cloudpin: boot on board", b.name, "with", self.friends.count, "friends")

    def _check_friends(self):
        # The errands count the friends on the list (saved right after each friend and
        # before each undo). A log cut between two records, emptied or deleted reads as a
        # shorter log: fewer friends than counted is a loss. More than counted is a save
        # the power cut short (or a lost undo). Either way: say so, and count again.
        counted = self.progress.friends
        have = self.friends.count
        if have == counted:
            return
        if have < counted:
            self._boot_problems.append("friends: %d on flash, %d were made: %d lost"
                                       % (have, counted, counted - have))
        else:
            self._boot_problems.append("friends: %d on flash, the errands counted %d (a save "
                                       "cut short?); counting %d" % (have, counted, have))
        self.progress.friends = have
        self._keep("errands", self.progress.to_bytes())

    def _identity(self):
        # The pin's permanent ID (in its contact card, never in adverts): made once, kept in
        # both store slots (losing it, old friends would no longer recognise this pin).
        pin_id = self.store.read("identity")
        if pin_id is not None and len(pin_id) == 8:
            return pin_id
        damaged = [p for p in self.store.problems if p.startswith("identity")]
        if pin_id is not None or damaged:
            self._boot_problems.append("identity: no intact copy; this pin gets a new ID")
        pin_id = bytes(self.board.random_bytes(8))
        try:
            self.store.write("identity", pin_id)
        except OSError as exc:
            self._boot_problems.append("identity: could not store it (%s)" % exc)
        return pin_id

    def _load_profile(self):
        # Two sources: /profile.json, written by `cloudpin deploy`, and the store's copy,
        # written by the companion. A deployed file that changed since it was last taken
        # wins (someone just deployed); otherwise the store's copy (the companion's edits).
        # Whatever either holds, the pin boots: fields that fail cloudpin.cardtext's rule
        # are dropped (and reported on the panel and in the log), the rest are used.
        deployed = _read_file(self.board.path("profile.json"))
        fallback = None
        if deployed is not None and deployed != self.store.read("profile.deployed"):
            data = self._parse_profile(deployed, "deployed /profile.json")
            try:
                clean = profiles.validate(data)
            except profiles.ProfileError as exc:
                # A broken deploy: the pin keeps the profile it had, if it has one.
                if data is not _UNREADABLE:
                    self._boot_problems.append("profile: deployed /profile.json refused "
                                                  "(%s)" % exc)
                    fallback = data
            else:
                try:
                    self.store.write("profile.json", json.dumps(clean).encode())
                    self.store.write("profile.deployed", deployed)
                except OSError as exc:
                    self._boot_problems.append("profile: could not store the deployed "
                                                  "profile (%s)" % exc)
                return clean
        stored = self.store.read("profile.json")
        if stored is not None:
            data = self._parse_profile(stored, "stored profile")
            if data is not _UNREADABLE:
                return self._salvage(data, "stored profile")
        if fallback is not None:
            return self._salvage(fallback, "deployed /profile.json")
        return dict(DEFAULT_PROFILE)

    def _parse_profile(self, raw, what):
        try:
            return json.loads(raw)
        except Exception as exc:  # noqa: BLE001 - whatever flash holds, the pin boots
            self._boot_problems.append("profile: %s is not JSON (%s); not used"
                                          % (what, exc))
            return _UNREADABLE

    def _salvage(self, data, what):
        clean, problems = profiles.salvage(data, DEFAULT_NAME)
        for problem in problems:
            self._boot_problems.append("profile: %s: %s" % (what, problem))
        return clean

    def _show_problems(self):
        # On the panel too: on a real pin nobody reads the log.
        if self.display is None or not self.problems:
            return
        mine = [p for p in self.problems if p.startswith("profile")]
        title = "Check your profile" if mine else "Storage repaired"
        self.display.notice(title, (mine or self.problems)[:3], _NOTICE_MS)

    def _load_design(self):
        raw = self.store.read("design")
        design = raw[0] if raw else -1
        if 0 <= design < errands.COUNT and self.progress.is_unlocked(design):
            return design
        return errands.START_DESIGN  # never chosen: the same one every boot

    def _build_services(self):
        b = self.board
        if b.i2c is not None:
            from cloudpin.steps import StepService

            self.steps = StepService(b, self.store, self.day)
            self.steps.on_motion = self._on_motion
        if b.spi is not None and b.panel_pins:
            from cloudpin import designs
            from cloudpin.display import Display
            from cloudpin.drivers import epd

            problem = designs.check()  # a missing or damaged designs file: say so, draw on
            if problem:
                self.problems.append(problem)
                b.log("display:", problem)
            self.display = Display(epd.from_board(b), log=b.log)
            self._show_profile()
        if b.buttons:
            from cloudpin.buttons import Buttons

            self.buttons = Buttons(b.buttons, self.on_action)
        if b.battery_adc is not None:
            from cloudpin.battery import Battery

            self.battery = Battery(b.battery_adc, (b.part("battery") or {}).get("divider", 2))
        if b.ble is not None:
            from cloudpin.radio import Radio

            options = dict(self.radio_options)
            if self.steps is not None:
                # Taps need the pin in hand (or, with neither pin in hand, stirred); None
                # (no working sensor) leaves the radio judging by RSSI alone.
                options.setdefault("is_held", self.steps.in_hand)
                options.setdefault("is_stirred", self.steps.stirred)
            company = self.company_id
            if company is None:
                company = b.definition.get("company_id")
            if company is not None:
                options["company_id"] = company
            self.radio = Radio(b.ble, profiles.to_card(self.profile, self.pin_id),
                               on_friend=self._on_friend, on_met_again=self._on_met_again,
                               is_friend=self.friends.is_friend, rng=b.random_bytes,
                               log=b.log, **options)
            from cloudpin import companion

            self.companion = companion.CompanionService(
                b.ble, self.store, show_passkey=self._show_passkey,
                friends=self._friends_page, stats=self.figures,
                set_profile=self.set_profile, on_time=self._on_companion_time,
                on_design=self._on_companion_design, log=b.log)

    def _start_radio(self):
        # One registration for the card service and the companion's, then one IRQ handler
        # that hands each event to the service it belongs to.
        from cloudpin import companion

        radio, comp = self.radio, self.companion
        if radio is None or comp is None:
            return
        (handles,) = radio.start((companion.definition(),))
        comp.configure()
        comp.attach(handles)
        self._radio_irq = radio._irq
        self._companion_irq = comp.irq
        self._companion_handles = handles
        self._radio_wants = radio.wants_central
        self.board.ble.irq(self._ble_irq)

    def _ble_irq(self, event, data):
        if event == _IRQ_SCAN_RESULT:  # the hot path: straight through
            return self._radio_irq(event, data)
        if event == _IRQ_CENTRAL_CONNECT:
            if not self._radio_wants(data[2]) and self._companion_open():
                self._companion_conns.append(data[0])
                return self._companion_irq(event, data)
        elif event == _IRQ_CENTRAL_DISCONNECT:
            if data[0] in self._companion_conns:
                self._companion_conns.remove(data[0])
                return self._companion_irq(event, data)
        elif event == _IRQ_GATTS_WRITE:
            if data[1] in self._companion_handles:
                return self._companion_irq(event, data)
        elif event in (_IRQ_ENCRYPTION_UPDATE, _IRQ_GET_SECRET, _IRQ_SET_SECRET,
                       _IRQ_PASSKEY_ACTION):
            return self._companion_irq(event, data)
        return self._radio_irq(event, data)

    def _companion_open(self):
        until = self._companion_until
        if until is None:
            return False
        if time.ticks_diff(until, time.ticks_ms()) > 0:
            return True
        self._companion_until = None
        if self.radio is not None:
            self.radio.advert_override = None
        return False

    def open_companion_mode(self):
        """Let the companion find and connect to this pin for COMPANION_MODE_MS."""
        if self.radio is None:
            return False
        from cloudpin import companion

        self._companion_until = time.ticks_add(time.ticks_ms(), COMPANION_MODE_MS)
        name = "Pin" + "".join("%02X" % b for b in self.pin_id[:2])
        self.radio.advert_override = companion.pairing_advert(name)
        self.board.log("companion: open for pairing as", name)
        return True

    def _show_passkey(self, passkey):
        if self.display is not None:
            if passkey is None:
                self.display.pairing_done()
            else:
                self.display.pairing(passkey, self.profile.get("name", ""))

    def _friends_page(self, start):
        from cloudpin.card import decode

        def items():
            for f in self.friends.friends(start):
                try:
                    c = decode(f.card)
                except ValueError:
                    continue
                yield {"name": c.name, "org": c.org, "role": c.role,
                       "handles": list(c.handles), "met": f.met_unix, "day": f.day}

        return self.friends.count, items()

    def figures(self):
        """What the companion's stats show."""
        return {"steps_today": self.activity.steps, "friends_today": self.activity.friends,
                "storage_problems": len(self.problems),
                "friends": self.friends.count, "design": self.design,
                "medal": errands.MEDAL_NAMES[self.progress.medal()],
                "unlocked": self.progress.unlocked_designs(),
                # the last week: [day, steps, friends]; the whole reply must fit one
                # 512-byte attribute
                "days": [list(d) for d in self.activity.days()[-7:]],
                "battery": self.battery.percent() if self.battery is not None else None}

    def _on_companion_time(self, epoch, tz_minutes):
        self.sync_time(epoch, tz_minutes * 60)

    def _on_companion_design(self, design):
        if not self.choose_design(design):
            raise ValueError("design %d is not unlocked yet" % design)

    # -- time ------------------------------------------------------------------------

    def day(self):
        """Today's number: from the synced clock, else the last day known (0: never synced)."""
        d = self.clock.day()
        return self.activity.day if d is None else d

    def sync_time(self, unix_s, utc_offset_s=0):
        """The companion's time sync (raises ValueError, changing nothing, if implausible)."""
        self.clock.sync(unix_s, utc_offset_s)
        self._keep("utc_offset", struct.pack("<i", utc_offset_s))
        self._housekeeping_step()

    def _now_s(self):
        t = self.clock.now()
        if t is None:  # before a time sync: seconds since boot
            t = time.ticks_diff(time.ticks_ms(), self._boot_ticks) // 1000
        return t

    # -- events from the services ----------------------------------------------------

    def _on_friend(self, card, peer):
        day = self.day()
        x = y = NOWHERE
        where = self.board.where() if self.board.where is not None else None
        if where is not None:
            x = max(-32767, min(32767, int(where[0] * 10)))
            y = max(-32767, min(32767, int(where[1] * 10)))
        org = org_hash(card.org) if card.org else 0
        try:
            added = self.friends.add(card.pin_id, card.encode(), self.clock.now() or 0, day,
                                     org, x, y)
        except OSError as exc:  # flash full or failing: the tap is lost, the pin lives on
            self.board.log("friends: could not store a new friend:", exc)
            if self.display is not None:
                self.display.notice("Flash full", ["%s was not saved" % card.name,
                                                   "the pin's flash is full"])
            return
        if not added:
            self._on_met_again(card, peer)
            return
        self.stats.friends_made += 1
        self._closed(self.activity.on_friend(day))
        self.progress.on_friend(self._now_s(), self.friends.new_org)
        self._last_friend = (card.pin_id, org, time.ticks_ms())
        self.board.log("friends: new friend", card.name, "(%d in all)" % self.friends.count)
        if self.display is not None:
            self.display.new_friend({"name": card.name, "org": card.org, "role": card.role},
                                    self.friends.count)
        self._unlock()
        self._save()

    def _on_met_again(self, card, peer):
        self.stats.met_again += 1
        self.progress.on_met_again()
        self.board.log("friends: met", card.name, "again")
        self._unlock()
        self._dirty = True

    def _on_motion(self):
        # Picked up after lying still: a tap may be coming, listen continuously for a while.
        if self.radio is not None:
            self.radio.wake(time.ticks_ms(), _WAKE_MS)

    def on_action(self, action):
        from cloudpin import buttons

        if action == buttons.REFRESH:
            self._on_motion()
            self._housekeeping_step()
        elif action == buttons.NEXT_DESIGN:
            self.next_design()
        elif action == buttons.UNDO_FRIEND:
            self.undo_last_friend()
        elif action == buttons.PAIRING:
            self.open_companion_mode()

    # -- what the wearer (buttons, companion) asks for --------------------------------

    def next_design(self):
        """The button's "next design": the next unlocked one; after the last, once, the
        locked design nearest to done with its errand (the design shown stays); then the
        first again. Returns the design chosen, or None when it showed a locked one."""
        unlocked = self.progress.unlocked_designs()
        later = [d for d in unlocked if d > self.design]
        if later:
            self.choose_design(later[0])
            return later[0]
        ahead = None if self._previewed else self.progress.closest_locked()
        if ahead is not None and self.display is not None:
            self._previewed = True
            self.display.locked(ahead, errands.errand(ahead), self.progress.progress(ahead))
            return None
        self.choose_design(unlocked[0])
        return unlocked[0]

    def choose_design(self, design):
        """Show `design` (an unlocked one); False if it is not unlocked."""
        if not (0 <= design < errands.COUNT and self.progress.is_unlocked(design)):
            return False
        self._previewed = False
        self.design = design
        self._keep("design", bytes((design,)))
        if self.display is not None:
            self.display.locked_done()
        self._show_profile()
        return True

    def undo_last_friend(self):
        """Take back the friendship made in the last 30 s (a tap by mistake)."""
        last = self._last_friend
        if last is None or time.ticks_diff(time.ticks_ms(), last[2]) > UNDO_WINDOW_MS:
            return False
        self._last_friend = None
        if not self.friends.is_friend(last[0]):
            return False
        org = last[1]
        before = (self.activity.to_bytes(), self.progress.to_bytes())
        self.activity.on_friend_undone()
        self.progress.on_friend_undone(bool(org) and self.friends.org_count(org) == 1)
        # The counters are saved before the tombstone: a power cut between leaves the log one
        # friend more than the errands count, never fewer (boot reports fewer as a loss).
        self._save()
        try:
            self.friends.remove(last[0])
        except OSError as exc:
            self.activity = activity.from_bytes(before[0])
            self.progress = errands.from_bytes(before[1])
            self._save()
            self.board.log("friends: could not undo (%r)" % (exc,))
            return False
        self.stats.undone += 1
        self._update_status()
        self.board.log("friends: undid the last friend")
        return True

    def set_profile(self, fields):
        """A new profile (companion); raises ProfileError (invalid) or OSError (flash full)
        and changes nothing, on flash or in RAM, if it cannot be taken."""
        clean = profiles.validate(fields)
        card = profiles.to_card(clean, self.pin_id).encode()  # before anything changes
        self.store.write("profile.json", json.dumps(clean).encode())
        self._use_profile(clean, card)

    def _use_profile(self, clean, card=None):
        if card is None:
            card = profiles.to_card(clean, self.pin_id).encode()
        self.profile = clean
        if self.radio is not None:
            self.radio.card_bytes = card
        self._show_profile()

    # -- bookkeeping -----------------------------------------------------------------

    def _closed(self, days):
        for _, steps, friends, consecutive in days:
            self.progress.on_day_closed(steps, friends, consecutive)
            self._dirty = True

    def _unlock(self):
        for design in self.progress.update():
            self.stats.unlocks += 1
            self._dirty = True
            self.board.log("errands: unlocked design", design, "-", errands.describe(design))
            if self.display is not None:
                self.display.unlocked(design, errands.describe(design))

    def _save(self):
        if self.companion is not None and self.companion.handles is not None:
            self.companion.refresh()
        ok = self._keep("activity", self.activity.to_bytes())
        ok = self._keep("errands", self.progress.to_bytes()) and ok
        self._dirty = not ok  # try again at the next housekeeping
        self.stats.saves += 1

    def _keep(self, name, data):
        """Write a record the pin can live without for a while: a full or failing flash is
        logged, and the pin works on from RAM (the next save tries again)."""
        try:
            self.store.write(name, data)
            return True
        except OSError as exc:
            self.stats.save_errors += 1
            if self.stats.save_errors <= 3 or self.stats.save_errors % 100 == 0:
                self.board.log("storage: could not write", name, "(%r)" % exc)
            return False

    def _show_profile(self):
        if self.display is not None:
            p = self.profile
            self.display.set_profile({"name": p.get("name", ""), "org": p.get("org", ""),
                                      "role": p.get("role", ""), "link": p.get("link", ""),
                                      "sport": self.design})

    def _update_status(self):
        if self.display is None:
            return
        radio = self.radio
        self.display.set_status(
            steps=self.activity.steps, friends=self.activity.friends,
            medal=self.progress.medal(),
            battery=self.battery.percent() if self.battery is not None else None,
            ble="off" if radio is None else "on")

    def _housekeeping_step(self):
        day = self.day()
        if self.steps is not None:
            daily = self.steps.daily
            self._closed(self.activity.on_steps(day, daily.today, daily.yesterday))
        else:
            self._closed(self.activity.on_steps(day, self.activity.steps))
        self.progress.on_steps(self.activity.steps)
        self._unlock()
        self._update_status()

    def _should_deep_sleep(self, now):
        """Still for DEEP_SLEEP_AFTER_MS (the step service put the sensor to motion-wake and
        nothing moved): nobody is wearing the pin, so nobody can tap it either."""
        if self.board.deep_sleep is None or self.steps is None or not self.steps.sleeping:
            self._still_since = None
            return False
        if self._still_since is None:
            self._still_since = now
        return time.ticks_diff(now, self._still_since) >= DEEP_SLEEP_AFTER_MS

    async def _housekeeping(self):
        last_save = time.ticks_ms()
        while not self._stop:
            await asyncio.sleep_ms(_HOUSEKEEPING_MS)
            self._housekeeping_step()
            now = time.ticks_ms()
            if self._dirty or time.ticks_diff(now, last_save) >= _SAVE_EVERY_MS:
                self._save()
                last_save = now
            if self._should_deep_sleep(now):
                self.board.log("power: still for %d min, deep sleep until moved"
                               % (DEEP_SLEEP_AFTER_MS // 60000))
                self.shutdown()
                self.board.deep_sleep()  # on the pin this does not return

    def _sample_heap(self):
        alloc = getattr(gc, "mem_alloc", None)
        if alloc is not None:
            if self.measure_heap:
                gc.collect()
            used = alloc()
            if used > self.stats.heap_peak:
                self.stats.heap_peak = used

    async def _heartbeat(self):
        # Keeps uptime and the heap high-water mark.
        stats = self.stats
        while not self._stop:
            await asyncio.sleep_ms(_HEARTBEAT_MS)
            stats.heartbeats += 1
            stats.uptime_ms = time.ticks_diff(time.ticks_ms(), self._boot_ticks)
            self._sample_heap()

    def stop(self):
        self._stop = True

    async def run(self, duration_ms=None):
        # Read here, not in __init__: constructing an App reads no clock.
        self._boot_ticks = time.ticks_ms()
        if not self._booted:
            self.boot()
        if self.radio is not None:
            self._start_radio()
        self._housekeeping_step()
        self._sample_heap()
        coros = [self._heartbeat(), self._housekeeping()]
        for service in (self.steps, self.display, self.buttons, self.radio):
            if service is not None:
                coros.append(service.run())
        tasks = [asyncio.create_task(c) for c in coros]
        try:
            if duration_ms is None:
                await asyncio.gather(*tasks)
                return
            await asyncio.sleep_ms(duration_ms)
            await asyncio.sleep_ms(0)  # what is due at the very end still runs
        finally:
            self.stop()
            for task in tasks:
                task.cancel()
            await asyncio.sleep_ms(0)  # let cancelled services run their cleanup
            self.shutdown()
        self.stats.uptime_ms = time.ticks_diff(time.ticks_ms(), self._boot_ticks)

    def shutdown(self):
        """Commit everything before a planned stop or sleep."""
        if not self._booted:
            return
        self._save()
        if self.steps is not None:
            self.steps.daily.flush()


_UNREADABLE = object()  # a profile file that is not JSON at all


def _no_irq(*args):
    return None


def _makedirs(path):
    import os

    prefix = "/" if path.startswith("/") else ""
    parts = []
    for part in path.split("/"):
        if part:
            parts.append(part)
            try:
                os.mkdir(prefix + "/".join(parts))
            except OSError:
                pass  # exists (or cannot be made: the store's writes will say so)


def _read_file(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None
