"""Daily activity: steps and friends made today, and the last 14 days.

Fed with the local day number (cloudpin.wallclock) and today's counts; returns the days it
closed so the app can hand them to the errands. Kept on flash through cloudpin.store as one
fixed-size record.

Before the first time sync the day number is unknown. The app then passes None and counting
goes on in the last day known (from flash), or in day 0 on a pin that was never synced; when
the first sync arrives, day 0's counts are relabelled as the synced day's instead of closing a
"day" that began in 1970. A day number earlier than the current one means a bad clock, not
time travel: counts stay in the current day.
"""

import struct

from micropython import const

HISTORY = const(14)
_ENTRY = "<IIH"  # day, steps, friends
_ENTRY_SIZE = const(10)
SIZE = const(_ENTRY_SIZE * (HISTORY + 1))


class Activity:
    def __init__(self):
        self.day = 0  # 0: never synced
        self.steps = 0
        self.friends = 0
        self.history = []  # [(day, steps, friends)], newest last, at most HISTORY

    def _roll(self, day, yesterday_steps=None):
        """Move to `day`. Returns [(closed_day, steps, friends, consecutive)]."""
        if day is None or day == self.day:
            return []
        if self.day == 0:
            self.day = day  # first sync: what was counted belongs to today
            return []
        if day < self.day:
            return []  # a clock that went back: keep counting into the current day
        steps = self.steps if yesterday_steps is None else yesterday_steps
        closed = [(self.day, steps, self.friends, day == self.day + 1)]
        self.history.append((self.day, steps, self.friends))
        if len(self.history) > HISTORY:
            self.history.pop(0)
        self.day = day
        self.steps = 0
        self.friends = 0
        return closed

    def on_steps(self, day, today_steps, yesterday_steps=None):
        """Today's step count from the step service (cloudpin.daily). When it reports a new
        day, it also gives the exact total of the day that ended."""
        closed = self._roll(day, yesterday_steps)
        self.steps = today_steps
        return closed

    def on_friend(self, day):
        closed = self._roll(day)
        self.friends += 1
        return closed

    def on_friend_undone(self):
        if self.friends:
            self.friends -= 1

    def days(self):
        """The last days, oldest first, today last: [(day, steps, friends)]."""
        return self.history + [(self.day, self.steps, self.friends)]

    def to_bytes(self):
        out = bytearray(SIZE)
        struct.pack_into(_ENTRY, out, 0, self.day, self.steps, self.friends)
        for i, entry in enumerate(self.history):
            struct.pack_into(_ENTRY, out, _ENTRY_SIZE * (i + 1), entry[0], entry[1], entry[2])
        return bytes(out)


def from_bytes(data):
    """An Activity from to_bytes(); a fresh one if data is None or malformed."""
    a = Activity()
    if data is None or len(data) != SIZE:
        return a
    a.day, a.steps, a.friends = struct.unpack_from(_ENTRY, data, 0)
    for i in range(HISTORY):
        entry = struct.unpack_from(_ENTRY, data, _ENTRY_SIZE * (i + 1))
        if entry[0]:
            a.history.append(entry)
    return a
