"""Step counting from a 3-axis accelerometer worn on the chest or on a lanyard.

    ped = Pedometer(25)          # samples per second, 12.5 to 100
    ped.feed(x, y, z)            # one sample, ints in milli-g, in any orientation
    ped.steps                    # steps counted so far (only ever grows)
    ped.gap()                    # samples were lost (FIFO overrun, sensor restart)

The algorithm, per sample, in integers (no floats, no allocation: everything is a small int
attribute; for inputs within +-16 g every intermediate stays below 2**30, so MicroPython
never makes a long int; tests/portable/steps_noalloc.py checks it under heap_lock):

1. Magnitude |a| = sqrt(x^2 + y^2 + z^2) by integer Newton steps from the previous magnitude
   (it changes little between samples, so one or two steps usually do). The magnitude
   ignores orientation, so a pin that hangs crooked, swings on its lanyard or is turned over
   in the hand reads the same; horizontal accelerations (a bus braking, gestures) barely
   change it (|g + h| ~ g + h^2/2g).
2. Band-pass: a running mean with a 0.6 s time constant is subtracted (removes gravity and
   slow drift), then two one-pole low-passes at 3.2 Hz smooth the heel-strike spike and
   sensor noise while keeping the step fundamental (1.4-3 Hz). Coefficients are computed for
   the sample rate, as multipliers over 256; states carry 4 fractional bits.
3. Candidate steps: a valley below -T followed by a rise above +T, with the step's instant
   taken at the upward zero crossing, interpolated between samples (at 12.5 Hz a sample is
   80 ms; interpolation keeps step intervals precise enough for the regularity test).
   T = max(T_MIN, a sixth of the recent peak-to-peak swing): small wiggles between real
   steps, and the tail of a bump, do not count. T_MIN (22 mg) is also the floor: steps
   whose band-passed swing stays under +-22 mg (a very soft shuffle) are not seen.
4. Regularity: people walk in rhythm; vehicles, gestures and knocks do not. A bout starts with
   a candidate and is confirmed only when K_CONFIRM (6) candidates in a row are spaced
   0.3-1.1 s apart, each interval within 3/16 (plus a quarter sample) of the bout's running
   interval, and each swing within a factor 1.75 of the previous one (a bus's suspension
   rings in rhythm too, but each cycle is half the one before). Left and right steps often
   differ (a limp; a lanyard tilted into the side sway shifts alternate crossings), so an
   interval also passes when it matches the one two back (same foot) and the two-step sum
   matches two running intervals: the stride is regular. Then all the pending steps are
   counted at once: nothing of a real bout is lost, only delayed by ~3 s; bouts shorter
   than K_CONFIRM steps are not counted (the price of ignoring rhythmic-looking noise).
   Every broken rhythm adds to an "unrest" level that decays by 1/8 per second; while more
   than one is recent, each asks one more step before a bout confirms (up to 4 more): a
   bumpy bus ride, which breaks rhythm constantly, must hold a rhythm longer to count,
   while a walk that starts from standing still is not delayed.
   In a confirmed bout a step counts while intervals stay within +-50 % of the running
   interval; an interval of about two steps counts two (a step too weak to see, even when
   that makes a gap over the 1.1 s pause limit); a candidate sooner than 5/8 of the interval
   is a double peak and is ignored; anything else, or a longer pause, ends the bout.

Constants were tuned on host_sim.people.motion's labelled sources with seeds 100-105 / 200-205;
`cloudpin bench steps` reports on other seeds (1000+ / 2000+), so its figures are held out.
"""

from micropython import const

_T_MIN = const(22)        # mg: the smallest swing half-amplitude that can be a step
_K_CONFIRM = const(6)     # candidates in rhythm before a bout counts
_TOL_16 = const(3)        # rhythm while confirming: |interval change| <= 3/16 of it ...
_SLACK = const(4)         # ... plus a quarter sample (1/16 sample units)
_SIM_16 = const(28)       # swings while confirming: within a factor 28/16 = 1.75
_UNREST_FREE = const(1)   # broken rhythms tolerated (recent, ~8 s memory) before ...
_UNREST_MAX = const(4)    # ... each one more asks one more step to confirm, up to 4 more
_FRAC = const(4)          # fractional bits of filter states
_ONE = const(16)          # one sample period in the time unit (1/16 sample)
_BIG = const(1 << 24)     # "long ago", caps the elapsed-time counters


def _coef(alpha):
    """A one-pole filter coefficient as a multiplier over 256 (1..256)."""
    k = int(alpha * 256 + 0.5)
    return 1 if k < 1 else 256 if k > 256 else k


class Pedometer:
    def __init__(self, rate_hz):
        if not 12.5 <= rate_hz <= 100:
            raise ValueError("pedometer rate must be 12.5-100 Hz, not %r" % (rate_hz,))
        import math

        self.rate_hz = rate_hz
        self._a_dc = _coef(1.0 / (0.6 * rate_hz))
        self._a_lp = _coef(1.0 - math.exp(-2 * math.pi * 3.2 / rate_hz))
        # Interval limits in 1/16 sample.
        self._min_i = int(0.3 * rate_hz * _ONE)
        self._max_i = int(1.1 * rate_hz * _ONE)
        self._per_s = int(rate_hz + 0.5)
        self.steps = 0
        self.candidates = 0  # for diagnostics: step-like swings seen, counted or not
        self._mag = 1000
        self._dc = -1  # unset: initialised from the first sample
        self._lp1 = 0
        self._lp2 = 0
        self._prev = 0
        self._armed = False
        self._hi = 0       # highest value since the last candidate
        self._lo = 0       # lowest value since the last candidate
        self._swing = 0    # running typical swing (peak - trough) of steps in this bout
        self._last_swing = 0
        self._last_d = 0   # the previous interval and the one before, for the stride
        self._last_d2 = 0  # (two-step) test
        self._cross = _BIG  # time since the last upward zero crossing
        self._since = _BIG  # time since the last candidate's crossing
        self._interval = 0
        self._pending = 0
        self._confirmed = False
        self._unrest = 0   # recent broken rhythms, 1/16 units, decays by 1/8 per second
        self._tick = 0

    def gap(self):
        """Samples were lost: intervals across the gap mean nothing, so end the bout."""
        self._since = _BIG
        self._cross = _BIG
        self._pending = 0
        self._confirmed = False
        self._armed = False

    def feed(self, x, y, z):
        s = x * x + y * y + z * z
        m = self._mag
        if m < 1:
            m = 1
        # Newton's method from last sample's magnitude: one or two steps while walking, a
        # few more after a jolt; stops when it no longer moves.
        for _ in range(8):
            n = (m + s // m) >> 1
            if -1 <= n - m <= 1:
                m = n
                break
            m = n
        self._mag = m
        v = m << _FRAC
        dc = self._dc
        if dc < 0:
            dc = v
        dc += ((v - dc) * self._a_dc) >> 8
        self._dc = dc
        a = self._a_lp
        lp1 = self._lp1 + (((v - dc) - self._lp1) * a >> 8)
        self._lp1 = lp1
        lp2 = self._lp2 + ((lp1 - self._lp2) * a >> 8)
        self._lp2 = lp2

        tick = self._tick + 1
        if tick >= self._per_s:
            tick = 0
            self._unrest -= self._unrest >> 3
        self._tick = tick

        since = self._since + _ONE
        if since > _BIG:
            since = _BIG
        cross = self._cross + _ONE
        if cross > _BIG:
            cross = _BIG
        prev = self._prev
        self._prev = lp2
        if prev < 0 <= lp2:
            # Upward zero crossing between the samples: how long ago, in 1/16 sample.
            cross = (_ONE * lp2) // (lp2 - prev)
        self._cross = cross
        self._since = since
        if lp2 > self._hi:
            self._hi = lp2
        if lp2 < self._lo:
            self._lo = lp2

        t = (self._swing * 43) >> 8  # a sixth of the typical swing
        if t < (_T_MIN << _FRAC):
            t = _T_MIN << _FRAC
        if lp2 < -t:
            self._armed = True
        elif self._armed and lp2 > t:
            self._armed = False
            if self._candidate(since - cross, self._hi - self._lo):
                self._since = cross  # intervals are measured from this candidate on
            self._hi = lp2
            self._lo = lp2
        return self.steps

    def _candidate(self, d, swing):
        # d: time since the previous candidate, 1/16 sample. Returns False to ignore this one
        # for timing (a double peak inside one step).
        self.candidates += 1
        ref = self._swing
        interval = self._interval
        prev = self._last_swing
        if self._confirmed and d > self._max_i and (d - 2 * interval) * 3 <= interval and \
                (2 * interval - d) * 3 <= interval and swing * _SIM_16 >= prev * 16 and \
                swing * 16 <= prev * _SIM_16:
            # In a confirmed walk, a gap of about two steps is a step too weak to see (it
            # can exceed the pause limit for a slow walker): count both.
            self.steps += 2
            self._last_d2 = self._last_d = d >> 1
            self._last_swing = swing
            return True
        if d > self._max_i:
            # After a pause (or at the start): this may be the first step of a bout.
            self._pending = 1
            self._confirmed = False
            self._interval = 0
            self._swing = swing
            self._last_swing = swing
            self._last_d = 0
            self._last_d2 = 0
            return True
        if d < self._min_i or (self._confirmed and d < (interval * 5) >> 3):
            # Too soon: a double peak within one step. Keep timing from the real step.
            return False
        prev = self._last_swing
        self._last_swing = swing
        # Steps of one walk look alike; a bump's ringing shrinks by half or more per cycle.
        if prev and (swing * _SIM_16 < prev * 16 or swing * 16 > prev * _SIM_16):
            similar = False
        else:
            similar = True
        last = self._last_d
        last2 = self._last_d2
        self._last_d2 = last
        self._last_d = d
        if not interval:
            self._interval = d
            self._pending = 2
            self._swing = (ref + swing) >> 1
            return True
        dev = d - interval
        if dev < 0:
            dev = -dev
        if self._confirmed:
            if dev <= interval >> 1:
                self.steps += 1
            elif similar and d > interval and (d - 2 * interval) * 3 <= interval and \
                    (2 * interval - d) * 3 <= interval:
                self.steps += 2
                d >>= 1
            else:
                self._restart(d, swing)
                return True
            self._interval = (3 * interval + d) >> 2
            self._swing = (3 * ref + swing) >> 2
            return True
        step_ok = dev * 16 <= interval * _TOL_16 + _SLACK * 16
        if not step_ok and last2:
            # Left and right steps often differ (a limp, a lanyard tilted into the side
            # sway): then the stride is what stays regular. Short-long-short-long passes
            # when this interval matches the one two back (same foot) and the two-step sum
            # matches two running intervals.
            sdev = d + last - 2 * interval
            if sdev < 0:
                sdev = -sdev
            same = d - last2
            if same < 0:
                same = -same
            if sdev * 16 <= 2 * interval * _TOL_16 + _SLACK * 16 and \
                    same * 16 <= interval * _TOL_16 + _SLACK * 16:
                step_ok = True
                d = (d + last) >> 1
        if similar and step_ok:
            self._pending += 1
            self._interval = (interval + d) >> 1
            self._swing = (ref + swing) >> 1
            k = (self._unrest >> 4) - _UNREST_FREE
            if k < 0:
                k = 0
            elif k > _UNREST_MAX:
                k = _UNREST_MAX
            if self._pending >= _K_CONFIRM + k:
                self.steps += self._pending
                self._pending = 0
                self._confirmed = True
        else:
            self._restart(d, swing)
        return True

    def _restart(self, d, swing):
        # The previous candidate and this one may start a new bout.
        self._unrest += 16
        self._confirmed = False
        self._pending = 2
        self._interval = d
        self._swing = swing
        # _last_d/_last_d2 keep the interval history: a limp's long-short pattern must be
        # able to start a bout.
