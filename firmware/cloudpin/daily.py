"""Steps per day, kept on flash with a date-stamped baseline.

    daily = DailySteps(store)          # store.read(name) -> bytes|None, store.write(name, data)
    daily.update(day, ped.steps)       # often (each FIFO read); day = local day number
    daily.today, daily.yesterday, daily.lifetime
    daily.flush()                      # before sleeping or a planned reboot

The record is {"day": d, "base": b, "life": n, "yday": y}: the lifetime step count n and
the lifetime count b when day d began, so today = n - b. The pedometer counts from 0 at every
boot; only its *increase* since the last update is added, so a reboot does not count anything
twice, and the stored record carries the day's steps across it. A new day is noticed from the
date, not from being awake at midnight: a pin that sleeps through midnight starts the new day
at its first update after waking, with yesterday's total kept. Steps counted in the update
that first sees the new date go to the new day (the FIFO holds at most a few seconds, so they
were taken after midnight).

A day number *earlier* than the stored one means the clock is wrong (lost time), not that time
went back: counting continues into the stored day rather than wiping it.

Flash wear and loss: the record is written when the day changes, every SAVE_EVERY new steps,
and on flush(); an unplanned reset loses at most SAVE_EVERY - 1 steps. A write the flash
refuses (full) is logged and tried again at the next save; counting goes on. A record that does not
parse (corrupt, or from another version) is reported through `log` and replaced, never a crash.
"""

import json

SAVE_EVERY = 50
RECORD = "steps.json"


class DailySteps:
    def __init__(self, store, name=RECORD, save_every=SAVE_EVERY, log=None):
        self.store = store
        self.name = name
        self.save_every = save_every
        self.log = log
        self.day = None
        self.base = 0
        self.lifetime = 0
        self.yesterday = 0
        self.clock_warnings = 0
        self.save_errors = 0
        self._seen = 0      # the pedometer total already added
        self._unsaved = 0
        self._load()

    @property
    def today(self):
        return self.lifetime - self.base

    def _load(self):
        data = self.store.read(self.name)
        if data is None:
            return
        try:
            if not isinstance(data, str):
                data = bytes(data).decode()
            rec = json.loads(data)
            day = rec["day"]
            base = rec["base"]
            life = rec["life"]
            yday = rec.get("yday", 0)
            for v in (day, base, life, yday):
                if not isinstance(v, int) or isinstance(v, bool) or v < 0:
                    raise ValueError("not a count")
            if base > life:
                raise ValueError("baseline above lifetime")
        except Exception as exc:  # whatever is on flash, the pin must boot and count
            self._say("steps: ignoring unreadable %s (%s); starting from zero" % (self.name, exc))
            return
        self.day = day
        self.base = base
        self.lifetime = life
        self.yesterday = yday

    def _say(self, msg):
        if self.log is not None:
            self.log(msg)

    def update(self, day, total):
        """Account for the pedometer's total (steps since boot) on local day `day`."""
        delta = total - self._seen
        if delta < 0:
            # A new Pedometer (restarted service): its count starts again from zero.
            delta = total
        self._seen = total
        if self.day is None:
            self.day = day
            self.base = self.lifetime
            self._unsaved += 1  # write the first record soon
        elif self.day == 0 and day > 0:
            # Day 0 is "never synced" (cloudpin.activity): the first time sync relabels
            # what was counted before it as the synced day's, it does not close a 1970 day.
            self.day = day
            self._unsaved += 1
        elif day > self.day:
            self.yesterday = self.today if day == self.day + 1 else 0
            self.day = day
            self.base = self.lifetime
            self.lifetime += delta
            self.save()
            return self.today
        elif day < self.day:
            self.clock_warnings += 1
            if self.clock_warnings == 1:
                self._say("steps: date went back from day %d to %d; keeping day %d"
                          % (self.day, day, self.day))
        self.lifetime += delta
        self._unsaved += delta
        if self._unsaved >= self.save_every:
            self.save()
        return self.today

    def save(self):
        if self.day is None:
            return
        rec = {"day": self.day, "base": self.base, "life": self.lifetime,
               "yday": self.yesterday}
        try:
            self.store.write(self.name, json.dumps(rec).encode())
        except OSError as exc:  # flash full or failing: keep counting, try again later
            self.save_errors += 1
            if self.save_errors == 1:
                self._say("steps: could not save %s (%r); counting on" % (self.name, exc))
            self._unsaved = max(self._unsaved, 1)
            return
        self._unsaved = 0

    def flush(self):
        if self._unsaved:
            self.save()
