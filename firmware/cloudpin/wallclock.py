"""Wall-clock time on a pin that has no battery-backed clock of its own.

The companion's time sync gives Unix time (and the wearer's UTC offset); from then on the
clock runs on time.ticks_ms(), re-anchored often so ticks_diff never nears its window
(2**29 ms, six days, on the ESP32). Before the first sync `now()` is None and the activity
day is the last one known (kept by the app on flash), so counts land on a sane day instead
of 1 January 1970.

The ESP32's RTC keeps counting through deep sleep and soft resets (not a power cut): a sync
also sets it (board.rtc), and restore() takes the time back from it after a wake-up.
"""

import time

from micropython import const

_REANCHOR_MS = const(3600000)
DAY_S = const(86400)


_VALID_FROM = 1500000000  # 2017: an RTC earlier than this lost its time


class WallClock:
    def __init__(self, rtc=None):
        self.rtc = rtc  # unix() -> int or None, set_unix(t); None: no RTC to keep
        self.synced = False
        self.utc_offset_s = 0
        self._base_unix_ms = 0
        self._base_ticks = 0

    def sync(self, unix_s, utc_offset_s=0):
        if not 1500000000 <= unix_s <= 4102444800:  # 2017..2100: anything else is a bad sync
            raise ValueError("time sync out of range")
        if not -14 * 3600 <= utc_offset_s <= 14 * 3600:
            raise ValueError("UTC offset out of range")
        self._set(int(unix_s), utc_offset_s)
        if self.rtc is not None:
            self.rtc.set_unix(int(unix_s))

    def _set(self, unix_s, utc_offset_s):
        self._base_unix_ms = unix_s * 1000
        self._base_ticks = time.ticks_ms()
        self.utc_offset_s = utc_offset_s
        self.synced = True

    def restore(self, utc_offset_s=0):
        """After a reset: the time from the RTC if it kept it. True if it did."""
        t = self.rtc.unix() if self.rtc is not None else None
        if t is None or t < _VALID_FROM:
            return False
        self._set(t, utc_offset_s)
        return True

    def now_ms(self):
        """Unix time in ms, or None before the first sync."""
        if not self.synced:
            return None
        now = time.ticks_ms()
        elapsed = time.ticks_diff(now, self._base_ticks)
        if elapsed > _REANCHOR_MS:
            self._base_unix_ms += elapsed
            self._base_ticks = now
            elapsed = 0
        return self._base_unix_ms + elapsed

    def now(self):
        ms = self.now_ms()
        return None if ms is None else ms // 1000

    def day(self):
        """The local day number (days since 1970-01-01 in the wearer's zone), or None."""
        s = self.now()
        return None if s is None else (s + self.utc_offset_s) // DAY_S
