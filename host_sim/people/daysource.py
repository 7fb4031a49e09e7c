"""What one pin's accelerometer feels over a day (DaySource): segments of walking, tap
gestures, pick-ups and standing motion from host_sim.people.motion, built when first
sampled. host_sim.people.dayplan and host_sim.people.scenarios fill them."""

import bisect

from host_sim.people import motion

# How often someone standing at the event takes their pin in hand without tapping (reads it,
# straightens the lanyard). No field figure: an assumption, deliberately generous, settable
# (cloudpin bench tap --handling-per-hour).
HANDLING_PER_HOUR = 6.0
_CHUNK_S = 600.0  # standing motion is built in chunks: memory stays flat over long runs


class DaySource:
    """The accelerometer's view of a day: walking segments (host_sim.people.motion.walking, built
    when first sampled and dropped afterwards), handling around taps and pick-ups, and a pin
    at rest otherwise (gravity in the wearer's orientation)."""

    def __init__(self, seed, placement):
        self.seed = seed
        self.placement = placement
        self.segments = []  # (t0_ms, t1_ms, kind, seed), sorted, not overlapping
        self._starts = []
        self._current = None  # (index, Motion)
        self._steps = {}  # segment index -> true steps (ms, absolute)
        rest = motion.Motion(1, seed, "rest", placement)
        # One pin, one mounting: every segment's motion is seen through the same orientation
        # and zero-g offsets (each Motion draws its own; left alone, the pin would seem to
        # turn over at every segment boundary).
        self._orientation = rest.orientation
        self._offset = rest.offset
        self._rest = rest.sample(500, 40)

    def add(self, t0_s, t1_s, kind, seed, **params):
        """Motion `kind` from t0_s to t1_s: "walk", a host_sim.people.motion negative class, or
        "tap_gesture" (params: lift_at_ms, hold_ms, relative to t0_s)."""
        self.segments.append((int(t0_s * 1000), int(t1_s * 1000), kind, seed, params))

    def finish(self):
        self.segments.sort()
        self._starts = [s[0] for s in self.segments]

    def _motion(self, i):
        cur = self._current
        if cur is not None and cur[0] == i:
            return cur[1]
        t0, t1, kind, seed, params = self.segments[i]
        dur = max(1.0, (t1 - t0) / 1000.0)
        if kind == "walk":
            m = motion.walking(seed, self.placement, "walk", duration_s=dur)
        elif kind == "tap_gesture":
            m = motion.tap_gesture(seed, self.placement, duration_s=dur, **params)
        else:
            m = motion.negative(kind, seed, self.placement, duration_s=dur)
        m.mount(self._orientation, self._offset)
        self._steps[i] = [t0 + t for t in m.step_times_ms]
        self._current = (i, m)
        return m

    def sample(self, t_ms, period_ms=40):
        i = bisect.bisect_right(self._starts, t_ms) - 1
        if i >= 0:
            t0, t1 = self.segments[i][0], self.segments[i][1]
            if t_ms < t1:
                return self._motion(i).sample(t_ms - t0, period_ms)
        return self._rest

    def true_steps(self, until_ms=None):
        """Every real step of the day (walking segments are built to count them)."""
        total = 0
        for i, seg in enumerate(self.segments):
            if seg[2] != "walk" or (until_ms is not None and seg[0] >= until_ms):
                continue
            if i not in self._steps:
                cur = self._current
                self._motion(i)
                self._current = cur
            total += sum(1 for t in self._steps[i] if until_ms is None or t < until_ms)
        return total


def add_standing(src, rng, t0, t1, handling_per_hour=HANDLING_PER_HOUR):
    """Standing and talking from t0 to t1, with pick-ups (motion.handling) now and then."""
    t = t0
    next_pick = t0 + (rng.expovariate(handling_per_hour / 3600.0)
                      if handling_per_hour > 0 else float("inf"))
    while t < t1:
        end = min(t1, t + _CHUNK_S, next_pick)
        if end > t:
            src.add(t, end, "standing_gesturing", rng.getrandbits(32))
        t = end
        if t >= next_pick and t < t1:
            # one pick-up: motion.handling starts it in its first 3 s and needs ~8 s after
            end = min(t1, t + 20.0)
            src.add(t, end, "handling", rng.getrandbits(32))
            t = end
            next_pick = t + rng.expovariate(handling_per_hour / 3600.0)
