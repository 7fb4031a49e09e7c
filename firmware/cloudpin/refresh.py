"""When and how to refresh the e-paper: pure logic, fed with what is on screen and now_ms.

    policy = RefreshPolicy(max_partials=8)
    mode, window = policy.decide(screen.key, screen.regions, now_ms)
    # mode: NONE, PARTIAL (window = (x, y, w, h)) or FULL (window None)

Rules (ghosts build up with every partial refresh; a full one clears them but flashes):
- FULL when the layout changes (screen key differs: another screen, a new profile), on the
  first decision and after wake() (deep sleep leaves the RAM planes untrusted), after
  max_partials partial refreshes, and when a partial has been pending ghosts for longer than
  full_every_ms (optional: a clean-up once in a while even for a slowly changing counter).
- PARTIAL when only regions' values changed (steps, friends, battery, BLE): one window
  covering the changed regions, widened to multiples of 8 pixels on both axes (the panel's
  RAM columns are bytes; with rotation either axis may be the byte axis).
- NONE when nothing changed.
"""

import time

NONE = -1
FULL = 0
PARTIAL = 1


def align8(x, y, w, h, width, height):
    """(x, y, w, h) widened to 8-pixel boundaries and clipped to the screen."""
    x0 = max(0, x) & ~7
    y0 = max(0, y) & ~7
    x1 = min(width, (x + w + 7) & ~7)
    y1 = min(height, (y + h + 7) & ~7)
    return x0, y0, x1 - x0, y1 - y0


class RefreshPolicy:
    def __init__(self, width, height, max_partials=8, full_every_ms=0):
        self.width = width
        self.height = height
        self.max_partials = max_partials
        self.full_every_ms = full_every_ms
        self._key = None
        self._values = {}
        self._partials = 0
        self._last_full_ms = None
        self.counts = [0, 0]  # FULL, PARTIAL decided

    def wake(self):
        """The panel came out of deep sleep: the next refresh must be full."""
        self._key = None

    def decide(self, key, regions, now_ms):
        """regions: name -> ((x, y, w, h), value). Returns (mode, window)."""
        full = key != self._key or self._partials >= self.max_partials
        if not full and self.full_every_ms and self._partials and self._last_full_ms is not None:
            full = time.ticks_diff(now_ms, self._last_full_ms) >= self.full_every_ms
        if full:
            self._remember(key, regions)
            self._partials = 0
            self._last_full_ms = now_ms
            self.counts[FULL] += 1
            return FULL, None
        x0 = y0 = 1 << 20
        x1 = y1 = -1
        values = self._values
        for name in regions:
            rect, value = regions[name]
            if name in values and values[name] == value:
                continue
            values[name] = value
            x, y, w, h = rect
            x0, y0 = min(x0, x), min(y0, y)
            x1, y1 = max(x1, x + w), max(y1, y + h)
        if x1 < 0:
            return NONE, None
        self._partials += 1
        self.counts[PARTIAL] += 1
        return PARTIAL, align8(x0, y0, x1 - x0, y1 - y0, self.width, self.height)

    def _remember(self, key, regions):
        self._key = key
        values = {}
        for name in regions:
            values[name] = regions[name][1]
        self._values = values
