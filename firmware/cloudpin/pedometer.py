"""Step counting from a 3-axis accelerometer on a lanyard or the chest, and wherever else a
pin ends up: in a hand (held still or swinging), a trouser pocket, a bag, an armband.

    ped = Pedometer(25)          # samples per second, 12.5 to 100
    ped.feed(x, y, z)            # one sample, ints in milli-g, in any orientation
    ped.steps                    # steps counted so far (only ever grows)
    ped.gap()                    # samples were lost (FIFO overrun, sensor restart)

The algorithm, per sample, in integers (no floats, no allocation: small int attributes and two
arrays allocated once; for inputs within +-16 g every intermediate stays below 2**30, so
MicroPython never makes a long int; tests/portable/steps_noalloc.py checks it under heap_lock):

1. Magnitude |a| = sqrt(x^2 + y^2 + z^2) by integer Newton steps from the previous magnitude
   (it changes little between samples, so one or two steps usually do). The magnitude
   ignores orientation, so a pin that hangs crooked, swings on its lanyard or is turned over
   in the hand reads the same; horizontal accelerations (a bus braking, gestures) barely
   change it (|g + h| ~ g + h^2/2g).
2. Band-pass: a running mean with a 0.6 s time constant is subtracted (removes gravity and
   slow drift), then two one-pole low-passes at 3.2 Hz smooth the heel-strike spike and
   sensor noise while keeping the step fundamental (1.4-3 Hz). Coefficients are computed for
   the sample rate, as multipliers over 256; states carry 4 fractional bits. The result is
   also kept for the last ~4 s at 12.5-25 Hz (every 1-4 samples averaged, 2 mg units).
3. Candidate steps: a valley below -T followed by a rise above +T, with the step's instant
   taken at the upward zero crossing, interpolated between samples (at 12.5 Hz a sample is
   80 ms; interpolation keeps step intervals precise enough for the regularity test).
   T = max(T_MIN, a sixth of the recent peak-to-peak swing): small wiggles between real
   steps, and the tail of a bump, do not count; after a second without a candidate the
   swing estimate halves every second, so quieter steps after a knock are seen again.
   T_MIN (22 mg) is also the floor: steps whose band-passed swing stays under +-22 mg (a very
   soft shuffle) are not seen.
4. Regularity: people walk in rhythm; vehicles, gestures and knocks do not. A bout starts with
   a candidate and is confirmed only when K_CONFIRM (6) candidates in a row are spaced
   0.3-1.1 s apart, each interval within 3/16 (plus a quarter sample) of the bout's running
   interval, and each swing within a factor 1.75 of the previous one (a bus's suspension
   rings in rhythm too, but each cycle is half the one before). Bouts whose typical swing is
   under 128 mg (soft steps, or a bumpy ride) must hold their rhythm within 2/16.
   The signal's character differs with where the pin is carried, and the gate reads it from
   the candidates themselves rather than asking where the pin is:
   - on a lanyard or the chest, or held in the hand, steps are alike and evenly spaced;
   - in a pocket or a bag (and with a limp) the legs differ: the phone's side swings it more
     and the candidates' instants alternate short-long (0.35 s, 0.65 s) while the feet keep
     time. So a swing also passes when it is like the one two back (the same foot's), an
     interval passes when it matches the one two back and the two-step sum matches two
     running intervals (the stride is regular), a new bout starts from the mean of its
     last two intervals, and the running interval follows the stride's mean;
   - in a swinging hand (and in a pocket whose other step is too weak to be a candidate)
     the candidates may come once per stride. Bouts slower than 0.7 s per candidate are
     tested: if the last two intervals of signal correlate at half the interval with more
     than a quarter of their energy, the candidates are strides and count two steps each
     (a steady step rhythm at that interval swings the other way at half its period).
   Then all the pending steps are counted at once: nothing of a real bout is lost, only
   delayed by ~3 s; bouts shorter than K_CONFIRM steps are not counted (the price of
   ignoring rhythmic-looking noise). When the confirmed run followed a turbulent start (a
   hand or a pocket finding its rhythm, a weak step missed), the candidates before it are
   counted back: each interval of one step (0.6-1.4 of the step) or two (1.6-2.4) counts
   that many, until one is neither or the activity's start (the last 16 intervals at most).
   Every broken rhythm adds to an "unrest" level that decays by 1/16 per second; while more
   than one is recent, each asks one more step before a bout confirms (up to 4 more): a
   bumpy bus ride, which breaks rhythm constantly, must hold a rhythm longer to count,
   while a walk that starts from standing still is not delayed.
   In a confirmed bout a step counts while intervals stay within +-50 % of the running
   interval, or the two-step sum within +-25 % of two; an interval of about two steps counts
   two (a step too weak to see, even when that makes a gap over the 1.1 s pause limit); a
   candidate sooner than 5/8 of the interval is a double peak and is ignored; anything
   else, or a longer pause, ends the bout.

What the constants were fitted on. Everything up to the rhythm gate's stride handling was
first tuned on host_sim.people.motion's labelled sources (chest and lanyard, seeds 100-105 for
walking, 200-205 for not walking; since then also 106-115 for strolling and 206-225 for
vehicles), at 12.5, 25, 50 and 100 Hz. The changes for carried phones (same-foot swings and
intervals, stride means, the stride test, counting back, the 16 s unrest, the decaying
threshold, the weak-bout tolerance) were fitted on real walks: the Oxford Step Counter data
set's optimisation/ folder (github.com/Oxford-step-counter/DataSet, CC BY 4.0), walks of
Carmelo and Dario only (24 walks, 7,089 steps: armband, back and front pocket, hand, neck
pouch, purse), read through the LIS3DH as the pin reads them at 12.5-100 Hz. Jamie's walks
(24, 6,651 steps, including the swinging arm and carpet) are held out; of them only the first
30 s of Pixel_Jamie_Hard_SwingingArm_1 were looked at while tuning (for the count back), and
nothing was changed after the held-out figures were first computed. The stride test's threshold was set on a physical model of a swinging arm
(not committed) and the synthetic sources. `cloudpin bench steps` reports on other seeds
(1000+ / 2000+) and, with --oxford, on both groups of people, each in its own table.
"""

from array import array

from micropython import const

_T_MIN = const(22)        # mg: the smallest swing half-amplitude that can be a step
_K_CONFIRM = const(6)     # candidates in rhythm before a bout counts
_TOL_16 = const(3)        # rhythm while confirming: |interval change| <= 3/16 of it ...
_SLACK = const(4)         # ... plus a quarter sample (1/16 sample units)
_SIM_16 = const(28)       # swings while confirming: within a factor 28/16 = 1.75
_UNREST_FREE = const(1)   # broken rhythms tolerated (recent, ~16 s memory) before ...
_UNREST_MAX = const(4)    # ... each one more asks one more step to confirm, up to 4 more
_WEAK_MG = const(128)     # a bout whose typical swing is under this (mg) ...
_WEAK_TOL_16 = const(2)   # ... must keep its rhythm within 2/16 while confirming
_FRAC = const(4)          # fractional bits of filter states
_ONE = const(16)          # one sample period in the time unit (1/16 sample)
_BIG = const(1 << 24)     # "long ago", caps the elapsed-time counters
_HIST = const(96)         # band-passed history for the stride test, at 12.5-25 Hz
_HIST_TOP = const(2047)   # history units are 2 mg, clipped to +-4 g: sums stay < 2**30
_BACK_N = const(16)       # candidate intervals kept for counting a turbulent start back


def _within(a, b, frac):
    """|a - b| <= b / frac."""
    dev = a - b
    return (dev if dev >= 0 else -dev) * frac <= b


def _alike(a, b):
    """Swings a and b within a factor _SIM_16/16 of each other (or no b to compare)."""
    return not b or (a * _SIM_16 >= b * 16 and a * 16 <= b * _SIM_16)


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
        self._last_swing = 0   # the previous candidate's swing and the one before (the
        self._last_swing2 = 0  # same foot's, in a pocket)
        self._last_d = 0   # the previous interval and the one before, for the stride
        self._last_d2 = 0  # (two-step) test
        self._cross = _BIG  # time since the last upward zero crossing
        self._since = _BIG  # time since the last candidate's crossing
        self._interval = 0
        self._pending = 0
        self._confirmed = False
        self._unrest = 0   # recent broken rhythms, 1/16 units, decays by 1/16 per second
        self._tick = 0
        # Intervals (1/16 sample) of the latest candidates not yet counted, since the
        # activity began: a ring, newest at _ivp - 1; _iv_n of them are valid.
        self._ivs = array("H", [0] * _BACK_N)
        self._ivp = 0
        self._iv_n = 0
        # History of the band-passed signal, one value per `dec` samples (12.5-25 Hz), for
        # the stride test; allocated once.
        dec = int(rate_hz / 25 + 0.5)
        self._dec = dec if dec > 1 else 1
        self._dec_n = 0
        self._dec_sum = 0
        self._hist = array("h", [0] * _HIST)
        self._pos = 0
        self._stride_min = int(0.7 * rate_hz * _ONE)  # shorter intervals are never strides

    def gap(self):
        """Samples were lost: intervals across the gap mean nothing, so end the bout."""
        self._since = _BIG
        self._cross = _BIG
        self._pending = 0
        self._confirmed = False
        self._armed = False
        self._iv_n = 0

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
        n = self._dec_n + 1
        h = self._dec_sum + lp2
        if n >= self._dec:
            h = (h // n) >> (_FRAC + 1)
            if h > _HIST_TOP:
                h = _HIST_TOP
            elif h < -_HIST_TOP:
                h = -_HIST_TOP
            pos = self._pos
            self._hist[pos] = h
            self._pos = pos + 1 if pos < _HIST - 1 else 0
            n = 0
            h = 0
        self._dec_n = n
        self._dec_sum = h

        tick = self._tick + 1
        if tick >= self._per_s:
            tick = 0
            self._unrest -= self._unrest >> 4
            if self._since > self._max_i:
                # No step for a while: the threshold comes down (halving every second) so
                # that quieter steps after a knock or a vigorous bout are seen again.
                self._swing -= self._swing >> 1
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
                (2 * interval - d) * 3 <= interval and _alike(swing, prev):
            # In a confirmed walk, a gap of about two steps is a step too weak to see (it
            # can exceed the pause limit for a slow walker): count both.
            self.steps += 2
            self._last_d2 = self._last_d = d >> 1
            self._last_swing2 = prev
            self._last_swing = swing
            return True
        if d > self._max_i:
            # After a pause (or at the start): this may be the first step of a bout.
            self._pending = 1
            self._iv_n = 0  # an activity starts with this candidate
            self._confirmed = False
            self._interval = 0
            self._swing = swing
            self._last_swing = swing
            self._last_swing2 = 0
            self._last_d = 0
            self._last_d2 = 0
            return True
        if d < self._min_i or (self._confirmed and d < (interval * 5) >> 3):
            # Too soon: a double peak within one step. Keep timing from the real step.
            return False
        pos = self._ivp
        self._ivs[pos] = d if d < 0xFFFF else 0xFFFF
        self._ivp = pos + 1 if pos < _BACK_N - 1 else 0
        if self._iv_n < _BACK_N:
            self._iv_n += 1
        prev2 = self._last_swing2
        self._last_swing2 = prev
        self._last_swing = swing
        # Steps of one walk look alike; a bump's ringing shrinks by half or more per cycle.
        # In a pocket or a bag the legs differ (the phone's side swings it more): then each
        # step is like the one two back, the same foot's.
        similar = _alike(swing, prev) or (prev2 and _alike(swing, prev2))
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
            # Short-long alternation (a pocket, a swinging hand) keeps the stride regular.
            stride = last and _within(d + last, 2 * interval, 4)
            if dev <= interval >> 1 and interval >= self._stride_min and \
                    self._strided(interval):
                # Locked on strides: the signal repeats at half the interval, so each
                # candidate is two steps. From now on the interval is the step's.
                self.steps += 2
                interval >>= 1
                d >>= 1
                stride = False
            elif dev <= interval >> 1 or stride:
                self.steps += 1
            elif similar and d > interval and _within(d, 2 * interval, 3):
                self.steps += 2
                d >>= 1
            else:
                self._restart(d, swing)
                return True
            # The running interval follows the stride's mean when the steps alternate.
            self._interval = (3 * interval + ((d + last) >> 1 if stride else d)) >> 2
            self._swing = (3 * ref + swing) >> 2
            self._iv_n = 0  # counted up to here
            return True
        # Soft steps look like a bumpy ride: their rhythm must be tighter.
        tol = _WEAK_TOL_16 if self._swing < (_WEAK_MG << _FRAC) else _TOL_16
        raw = d
        step_ok = dev * 16 <= interval * tol + _SLACK * 16
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
            if sdev * 16 <= 2 * interval * tol + _SLACK * 16 and \
                    same * 16 <= interval * tol + _SLACK * 16:
                step_ok = True
                d = (d + last) >> 1
        if similar and step_ok:
            self._pending += 1
            if last and _within(raw + last, 2 * interval, 4):
                d = (raw + last) >> 1  # steps alternate: the stride's mean is the step
            self._interval = (interval + d) >> 1
            self._swing = (ref + swing) >> 1
            k = (self._unrest >> 4) - _UNREST_FREE
            if k < 0:
                k = 0
            elif k > _UNREST_MAX:
                k = _UNREST_MAX
            if self._pending >= _K_CONFIRM + k:
                run = self._pending
                back = self._count_back(run - 1)
                if self._interval >= self._stride_min and self._strided(self._interval):
                    # The candidates were strides (see above): each is two steps.
                    run <<= 1
                    back <<= 1
                    self._interval >>= 1
                self.steps += run + back
                self._pending = 0
                self._confirmed = True
                self._iv_n = 0  # counted up to here
        else:
            self._restart(d, swing)
        return True

    def _strided(self, interval):
        """Whether candidates `interval` apart (1/16 sample) come once per stride: the last
        two intervals of signal repeat at half the interval (correlation above a quarter of
        the energy). A steady step rhythm swings the other way at half its period (there
        the correlation is strongly negative); a swinging hand or a pocket whose other step
        is too weak to be a candidate repeats at half the stride."""
        dec16 = self._dec * _ONE
        half = (interval + dec16) // (dec16 << 1)
        w = ((interval + (dec16 >> 1)) // dec16) << 1
        if w + half > _HIST:
            w = _HIST - half
        hist = self._hist
        p = self._pos - 1
        energy = 0
        corr = 0
        for j in range(w):
            a = hist[(p - j) % _HIST]
            energy += a * a
            corr += a * hist[(p - j - half) % _HIST]
        return corr > (energy >> 2)

    def _count_back(self, skip):
        """Steps before the confirmed run (whose last `skip` intervals are its own): a
        turbulent start (a hand or a pocket finding its rhythm, a weak step missed) broke
        earlier runs. Going back from the run's first candidate, each interval that is one
        step (0.6-1.4 of the step) or two (1.6-2.4) counts that many; the first that is
        neither, or the start of the activity, ends it."""
        p = self._interval
        n = 0
        i = self._ivp - 1 - skip
        for _ in range(self._iv_n - skip):
            d = self._ivs[i % _BACK_N]
            if 3 * p <= 5 * d <= 7 * p:
                n += 1
            elif 8 * p <= 5 * d <= 12 * p:
                n += 2
            else:
                break
            i -= 1
        return n

    def _restart(self, d, swing):
        # The previous candidate and this one may start a new bout.
        self._unrest += 16
        self._confirmed = False
        self._pending = 2
        last = self._last_d2  # by now the interval before this one
        if last >= self._min_i:
            # In a pocket the candidates' instants alternate short-long (0.35 s, 0.65 s)
            # while the feet keep time: the step is half the stride, not this interval.
            self._interval = (d + last) >> 1
        else:
            self._interval = d
        self._swing = swing
        # _last_d/_last_d2 keep the interval history: a limp's long-short pattern must be
        # able to start a bout.
