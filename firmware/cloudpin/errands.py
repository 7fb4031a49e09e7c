"""Errands: what unlocks each of the 33 sport designs, and the progress toward it.

RULES is the one table of unlock rules, one row per design in the order of the designs
(cloudpin.designs.NAMES): (kind, target). Kinds, each a figure kept in Progress:

  START        unlocked from the start (the wearer always has a design to show)
  FRIENDS      friends in total                    ORGS        friends' distinct organisations
  DAY_FRIENDS  friends made in one day             HOUR_TAPS   friends made within one hour
  MET_AGAIN    times met a friend again            DAY_STEPS   steps in one day
  TOTAL_STEPS  steps since the pin was first worn  STREAK      days in a row with >= 5,000 steps
  DAYS_WORN    days the pin was worn               BOTH_DAY    a day with >= 10,000 steps
                                                               and >= 5 friends

MEDALS are two more rows of the same kind, as the real pins at the event had: bronze at 50
friends, gold above 150. Unlike a design a medal follows the count (medal()): undoing the
friend that made it takes it back, since that friend was a mistake.

Progress is pure logic fed with events (a friend made, a meeting again, a day closed, today's
steps) and serialised to a fixed 52-byte record for cloudpin.store. `update()` returns the
designs unlocked by the latest events so the app can show the unlock screen.
"""

import struct

from micropython import const

START = const(0)
FRIENDS = const(1)
ORGS = const(2)
DAY_FRIENDS = const(3)
HOUR_TAPS = const(4)
MET_AGAIN = const(5)
DAY_STEPS = const(6)
TOTAL_STEPS = const(7)
STREAK = const(8)
DAYS_WORN = const(9)
BOTH_DAY = const(10)

STREAK_STEPS = const(5000)
_HOUR_S = const(3600)
_TAPS_KEPT = const(5)  # the largest HOUR_TAPS target: only that many tap times are kept

# One row per design, in the order of cloudpin.designs.NAMES.
RULES = (
    (FRIENDS, 10),         # Aquatics
    (FRIENDS, 5),          # Archery
    (START, 0),            # Athletics
    (HOUR_TAPS, 3),        # Badminton
    (DAY_STEPS, 10000),    # Baseball/Softball
    (FRIENDS, 25),         # Basketball
    (MET_AGAIN, 3),        # Boxing
    (STREAK, 3),           # Canoe
    (TOTAL_STEPS, 50000),  # Cycling
    (DAYS_WORN, 5),        # Equestrian
    (HOUR_TAPS, 2),        # Fencing
    (FRIENDS, 1),          # Football
    (DAYS_WORN, 3),        # Golf
    (DAY_FRIENDS, 5),      # Gymnastics
    (ORGS, 5),             # Handball
    (ORGS, 10),            # Hockey
    (MET_AGAIN, 1),        # Judo
    (DAY_FRIENDS, 3),      # Karate
    (BOTH_DAY, 1),         # Modern Pentathlon
    (STREAK, 5),           # Rowing
    (FRIENDS, 50),         # Rugby
    (DAY_STEPS, 5000),     # Sailing
    (HOUR_TAPS, 5),        # Shooting
    (DAY_FRIENDS, 10),     # Skateboarding
    (TOTAL_STEPS, 100000), # Sport Climbing
    (ORGS, 3),             # Surfing
    (FRIENDS, 15),         # Table Tennis
    (MET_AGAIN, 5),        # Taekwondo
    (ORGS, 20),            # Tennis
    (DAY_STEPS, 20000),    # Triathlon
    (FRIENDS, 100),        # Volleyball
    (STREAK, 7),           # Weightlifting
    (DAY_STEPS, 15000),    # Wrestling
)
COUNT = const(33)
START_DESIGN = const(2)  # Athletics: the START row, every wearer's design until they choose

NO_MEDAL = const(0)
BRONZE = const(1)
GOLD = const(2)
# The medals' errands, lowest first: row i earns medal i + 1.
MEDALS = (
    (FRIENDS, 50),         # bronze
    (FRIENDS, 151),        # gold: more than 150
)
MEDAL_NAMES = (None, "bronze", "gold")


_MASK_BYTES = const(5)  # 33 designs, a bit each (a bytearray: 33 bits would be a big int
                        # on the ESP32, whose small ints stop at 2**30)
_FMT = "<5sIHHHHIIHHHHIIIIIIH"  # the fields of Progress.to_bytes, in order
SIZE = struct.calcsize(_FMT)


_REASONS = {
    START: "Yours from the start",
    FRIENDS: "%d friends made",
    ORGS: "Friends from %d organisations",
    DAY_FRIENDS: "%d friends in one day",
    HOUR_TAPS: "%d taps within an hour",
    MET_AGAIN: "Met friends again %d times",
    DAY_STEPS: "%d steps in one day",
    TOTAL_STEPS: "%d steps in all",
    STREAK: "%d days in a row of 5000 steps",
    DAYS_WORN: "Worn on %d days",
    BOTH_DAY: "10000 steps, 5 friends in a day",
}


# The same errands as something to do, for the screen of a design still locked; indexed by
# kind (a tuple of strings is one constant: frozen, it stays in flash, where a dict is built
# on the heap at import).
_TODO = (
    "Yours from the start",                   # START
    "Make %d friends",                        # FRIENDS
    "Friends from %d organisations",          # ORGS
    "Make %d friends in a day",               # DAY_FRIENDS
    "Make %d friends in an hour",             # HOUR_TAPS
    "Meet friends again %d times",            # MET_AGAIN
    "Walk %d steps in a day",                 # DAY_STEPS
    "Walk %d steps in all",                   # TOTAL_STEPS
    "5000 steps a day, %d days in a row",     # STREAK
    "Wear the pin on %d days",                # DAYS_WORN
    "10000 steps, 5 friends in a day",     # BOTH_DAY
)


# A target of one reads better in words of its own.
_ONE = ((FRIENDS, "First friend made", "Make your first friend"),
        (MET_AGAIN, "Met a friend again", "Meet a friend again"))


def _words(rule, done):
    # done: what was done (the unlock screen); else what there is to do
    kind, target = rule
    if target == 1:
        for k, past, todo in _ONE:
            if k == kind:
                return past if done else todo
    text = _REASONS[kind] if done else _TODO[kind]
    return text % target if "%d" in text else text


def describe(design):
    """The errand of a design in words, for the unlock screen and the companion."""
    return _words(RULES[design], True)


def errand(design):
    """What is left to do to unlock a design, in words ("Make 25 friends")."""
    return _words(RULES[design], False)


def medal_errand(medal):
    """A medal's errand in words, as errand() ("Make 151 friends": gold is above 150)."""
    return _words(MEDALS[medal - 1], False)


class Progress:
    def __init__(self):
        self.friends = 0
        self.orgs = 0
        self.best_day_friends = 0
        self.best_hour_taps = 0
        self.met_again = 0
        self.best_day_steps = 0
        self.total_steps = 0  # steps of closed days
        self.streak = 0  # current run of days with >= STREAK_STEPS
        self.best_streak = 0
        self.days_worn = 0
        self.both_days = 0
        self.today_steps = 0
        self.today_friends = 0
        self._taps = [0] * _TAPS_KEPT  # the last tap times (seconds), oldest first
        self.unlocked = bytearray(_MASK_BYTES)  # bit i: design i is unlocked
        self.update()

    # -- events ----------------------------------------------------------------------

    def on_friend(self, now_s, new_org):
        """A friendship was made at now_s: Unix seconds once the clock is synced (before
        that the app passes seconds since boot; a tap time from an earlier boot then only
        fails to count toward HOUR_TAPS, it never counts wrongly)."""
        self.friends += 1
        self.today_friends += 1
        if new_org:
            self.orgs += 1
        taps = self._taps
        for i in range(_TAPS_KEPT - 1):
            taps[i] = taps[i + 1]
        taps[_TAPS_KEPT - 1] = now_s + 1  # +1: zero marks an empty slot
        within = 0
        for t in taps:
            if t and 0 <= now_s + 1 - t < _HOUR_S:
                within += 1
        self.best_hour_taps = max(self.best_hour_taps, within)
        self.best_day_friends = max(self.best_day_friends, self.today_friends)

    def on_friend_undone(self, org_gone):
        """The wearer undid the last friendship: take back what it counted."""
        if self.friends:
            self.friends -= 1
        if self.today_friends:
            self.today_friends -= 1
        if org_gone and self.orgs:
            self.orgs -= 1

    def on_met_again(self):
        self.met_again += 1

    def on_steps(self, today_steps):
        self.today_steps = today_steps
        self.best_day_steps = max(self.best_day_steps, today_steps)

    def on_day_closed(self, steps, friends, consecutive=True):
        """The day rolled over with these totals. consecutive=False when days were skipped
        (the pin lay in a drawer), which breaks a streak."""
        self.total_steps += steps
        if steps or friends:
            self.days_worn += 1
        if steps >= 10000 and friends >= 5:
            self.both_days += 1
        if steps >= STREAK_STEPS:
            self.streak = self.streak + 1 if consecutive else 1
        else:
            self.streak = 0
        self.best_streak = max(self.best_streak, self.streak)
        self.today_steps = 0
        self.today_friends = 0

    # -- evaluation ------------------------------------------------------------------

    def value(self, kind):
        if kind == FRIENDS:
            return self.friends
        if kind == ORGS:
            return self.orgs
        if kind == DAY_FRIENDS:
            return self.best_day_friends
        if kind == HOUR_TAPS:
            return self.best_hour_taps
        if kind == MET_AGAIN:
            return self.met_again
        if kind == DAY_STEPS:
            return self.best_day_steps
        if kind == TOTAL_STEPS:
            return self.total_steps + self.today_steps
        if kind == STREAK:
            # Today counts toward the streak once it reaches the threshold.
            return max(self.best_streak,
                       self.streak + (1 if self.today_steps >= STREAK_STEPS else 0))
        if kind == DAYS_WORN:
            return self.days_worn + (1 if self.today_steps or self.today_friends else 0)
        if kind == BOTH_DAY:
            return self.both_days + (
                1 if self.today_steps >= 10000 and self.today_friends >= 5 else 0)
        return 1  # START

    def progress(self, design):
        """(value, target) of the design's errand; value is capped at target."""
        kind, target = RULES[design]
        if kind == START:
            return 1, 1
        return min(self.value(kind), target), target

    def update(self):
        """Unlock what the events so far have earned; returns the list of designs unlocked
        just now (empty if none). Unlocks are never taken back, not even by an undo."""
        fresh = []
        for i in range(COUNT):
            if not self.is_unlocked(i):
                kind, target = RULES[i]
                if kind == START or self.value(kind) >= target:
                    self.unlocked[i >> 3] |= 1 << (i & 7)
                    fresh.append(i)
        return fresh

    def medal(self):
        """NO_MEDAL, BRONZE or GOLD: the highest of MEDALS whose errand the figures meet now."""
        medal = NO_MEDAL
        for i in range(len(MEDALS)):
            kind, target = MEDALS[i]
            if self.value(kind) >= target:
                medal = i + 1
        return medal

    def closest_locked(self):
        """The locked design nearest to done (the largest share of its target; the first
        of equals), or None when every design is unlocked."""
        best, best_num, best_den = None, -1, 1
        for i in range(COUNT):
            if not self.is_unlocked(i):
                value, target = self.progress(i)
                if value * best_den > best_num * target:
                    best, best_num, best_den = i, value, target
        return best

    def is_unlocked(self, design):
        return bool(self.unlocked[design >> 3] >> (design & 7) & 1)

    def unlocked_designs(self):
        return [i for i in range(COUNT) if self.is_unlocked(i)]

    # -- storage ---------------------------------------------------------------------

    def to_bytes(self):
        t = self._taps
        return struct.pack(
            _FMT, bytes(self.unlocked), self.friends, self.orgs, self.best_day_friends,
            self.best_hour_taps, self.met_again, self.best_day_steps, self.total_steps,
            self.streak, self.best_streak, self.days_worn, self.both_days,
            t[0], t[1], t[2], t[3], t[4], self.today_steps, self.today_friends)


def from_bytes(data):
    """A Progress from Progress.to_bytes() output; a fresh one if data is None or malformed
    (a damaged record costs the figures, never the boot)."""
    p = Progress()
    if data is None or len(data) != SIZE:
        return p
    f = struct.unpack(_FMT, data)
    (unlocked, p.friends, p.orgs, p.best_day_friends, p.best_hour_taps, p.met_again,
     p.best_day_steps, p.total_steps, p.streak, p.best_streak, p.days_worn,
     p.both_days) = f[:12]
    p._taps = list(f[12:17])
    p.today_steps, p.today_friends = f[17], f[18]
    p.unlocked = bytearray(unlocked)
    p.update()  # designs added to RULES since this was saved, and the START ones
    return p
