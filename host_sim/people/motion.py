"""Synthetic accelerometer motion for a pin worn on the chest or on a lanyard, labelled with
the true time of every step. CPython only (the simulator and the benchmark); the recordings it
renders (host_sim.people.replay.Recording) replay on both runtimes.

A Motion is built on a 200 Hz base grid in the *world* frame (x forward, y left, z up, milli-g
of specific force, so a pin at rest reads +1000 mg up). Rendering turns it into what the
sensor reports: rotated into a random mounting orientation plus any time-varying tilt (lanyard
swing, posture, someone picking the pin up), a per-axis zero-g offset, white sensor noise,
a box average over each sample period (the chip's digital low-pass), 8 mg quantisation and
clipping at +-4 g. The same motion renders at any rate, so rates are compared on identical
movement.

Sources (all deterministic for a seed; every one uses its own random.Random):
- walking(seed, placement, gait)  gait in walk / stroll / run / stairs (stroll: shuffling
  through a crowd, soft steps of +-30-70 mg); bouts separated by pauses,
  per-person cadence (1.4-2.4 Hz), amplitude, harmonics, step jitter, left/right asymmetry;
  the lanyard adds pendulum swing at the stride frequency, a springy hang and slaps
  against the chest.
- sitting_typing, standing_gesturing, vehicle (bus or train), handling (picking the pin up,
  looking at it, tapping it against another pin): no steps at all.
- host_sim.people.replay.load_csv for recorded files.

Amplitudes come from published chest/waist accelerometry: walking moves the trunk vertically by
roughly +-0.15-0.4 g per step, running +-0.7-1.5 g with a free-flight phase; vehicles give
broadband vibration of a few tens of mg plus suspension bounce after bumps (1-2 Hz, a classic
false-step source); a tap between pins is a 1-3 g spike lasting ~10 ms.
"""

import math
import random

from host_sim.people.replay import Recording

BASE_HZ = 200
_DT_MS = 1000 // BASE_HZ
PLACEMENTS = ("chest", "lanyard")
GAITS = ("walk", "stroll", "run", "stairs")
NEGATIVES = ("sitting_typing", "standing_gesturing", "vehicle", "handling")


class Motion:
    """World-frame dynamic acceleration and tilt on the base grid, plus the true steps."""

    def __init__(self, duration_s, seed, label, placement="chest"):
        self.n = int(duration_s * BASE_HZ)
        self.label = label
        self.placement = placement
        self.seed = seed
        self.rng = random.Random(seed)
        self.dx = [0.0] * self.n
        self.dy = [0.0] * self.n
        self.dz = [0.0] * self.n
        self.tilt_a = [0.0] * self.n  # rotation about world x (forward), radians
        self.tilt_b = [0.0] * self.n  # rotation about world y (left)
        self.step_times_ms = []
        self.orientation = _random_rotation(self.rng)
        self.offset = [self.rng.gauss(0, 25) for _ in range(3)]
        self.noise_mg = self.rng.uniform(3.0, 7.0)
        self._device = None

    def mount(self, orientation, offset):
        """See the motion through this mounting (rotation, zero-g offsets in mg) instead of
        the one drawn from the seed: one physical pin across several Motions."""
        self.orientation = orientation
        self.offset = offset
        self._device = None  # the device-frame cache was for the old mounting

    @property
    def duration_ms(self):
        return self.n * _DT_MS

    def idx(self, t_ms):
        return int(t_ms // _DT_MS)

    # -- building blocks ---------------------------------------------------------------

    def add_impulse(self, t_ms, axis, amp, width_ms):
        """A Gaussian spike (heel strike, a tap, a bump) along a world axis (0, 1, 2)."""
        arr = (self.dx, self.dy, self.dz)[axis]
        w = max(width_ms, 2.0)
        lo = max(0, self.idx(t_ms - 3 * w))
        hi = min(self.n, self.idx(t_ms + 3 * w) + 1)
        for i in range(lo, hi):
            u = (i * _DT_MS - t_ms) / w
            arr[i] += amp * math.exp(-u * u)

    def add_ringing(self, t_ms, axis, amp, freq_hz, zeta, cycles=6):
        """A damped oscillation (suspension bounce, a lanyard ringing)."""
        arr = (self.dx, self.dy, self.dz)[axis]
        w = 2 * math.pi * freq_hz
        lo = max(0, self.idx(t_ms))
        hi = min(self.n, self.idx(t_ms + cycles * 1000 / freq_hz) + 1)
        for i in range(lo, hi):
            t = (i * _DT_MS - t_ms) / 1000
            arr[i] += amp * math.exp(-zeta * w * t) * math.sin(w * t)

    def add_noise(self, axis, rms, lo_hz, hi_hz, t0_ms=0, t1_ms=None):
        """Band-limited noise: white noise through a one-pole high-pass and low-pass pair."""
        arr = (self.dx, self.dy, self.dz)[axis]
        rng = self.rng
        a_lp = math.exp(-2 * math.pi * hi_hz / BASE_HZ)
        a_hp = math.exp(-2 * math.pi * lo_hz / BASE_HZ)
        lo = max(0, self.idx(t0_ms))
        hi = self.n if t1_ms is None else min(self.n, self.idx(t1_ms))
        lp = hp_in = hp = 0.0
        gain = rms * math.sqrt(2 * BASE_HZ / max(hi_hz, 0.1)) * 0.9
        for i in range(lo, hi):
            lp = a_lp * lp + (1 - a_lp) * rng.gauss(0, gain)
            hp = a_hp * (hp + lp - hp_in)
            hp_in = lp
            arr[i] += hp

    def add_tilt(self, t_ms, dur_ms, da, db, hold_ms=None):
        """Smoothly tilt by (da, db) radians over dur_ms; back again after hold_ms if given.
        The translation of a tilt also accelerates the pin: added along x/y as a sine pulse."""
        n = self.n
        i0 = self.idx(t_ms)
        i1 = self.idx(t_ms + dur_ms)
        back0 = None if hold_ms is None else self.idx(t_ms + dur_ms + hold_ms)
        back1 = None if hold_ms is None else back0 + (i1 - i0)
        for i in range(max(0, i0), n):
            if i < i1:
                f = 0.5 - 0.5 * math.cos(math.pi * (i - i0) / max(1, i1 - i0))
            elif back0 is None or i < back0:
                f = 1.0
            elif i < back1:
                f = 0.5 + 0.5 * math.cos(math.pi * (i - back0) / max(1, back1 - back0))
            else:
                break
            self.tilt_a[i] += da * f
            self.tilt_b[i] += db * f

    def add_burst(self, t_ms, dur_ms, axis, amp, freq_hz, jitter=0.1):
        """Oscillation under a sine envelope (a gesture, laughing, fidgeting). Each half cycle
        lasts 1/(2 freq_hz) times a random factor in 1 +- jitter: 0.1 is nearly regular
        (laughing), 0.5 is the irregular back-and-forth of gestures."""
        arr = (self.dx, self.dy, self.dz)[axis]
        rng = self.rng
        lo = max(0, self.idx(t_ms))
        hi = min(self.n, self.idx(t_ms + dur_ms))
        sign = rng.choice((-1, 1))
        i = lo
        while i < hi:
            half = max(2, int(BASE_HZ / (2 * freq_hz) * rng.uniform(1 - jitter, 1 + jitter)))
            a = amp * rng.uniform(1 - jitter, 1)
            for j in range(half):
                if i + j >= hi:
                    break
                env = math.sin(math.pi * (i + j - lo) / max(1, hi - lo))
                arr[i + j] += sign * a * env * math.sin(math.pi * j / half)
            sign = -sign
            i += half

    # -- the sensor's view ---------------------------------------------------------------

    def _device_frame(self):
        """Per base sample (x, y, z) in the device frame, milli-g, before noise."""
        if self._device is not None:
            return self._device
        r = self.orientation
        off = self.offset
        out_x = [0.0] * self.n
        out_y = [0.0] * self.n
        out_z = [0.0] * self.n
        for i in range(self.n):
            fx = self.dx[i]
            fy = self.dy[i]
            fz = self.dz[i] + 1000.0
            a = self.tilt_a[i]
            if a:
                c, s = math.cos(a), math.sin(a)
                fy, fz = c * fy + s * fz, -s * fy + c * fz
            b = self.tilt_b[i]
            if b:
                c, s = math.cos(b), math.sin(b)
                fx, fz = c * fx - s * fz, s * fx + c * fz
            out_x[i] = r[0] * fx + r[3] * fy + r[6] * fz + off[0]
            out_y[i] = r[1] * fx + r[4] * fy + r[7] * fz + off[1]
            out_z[i] = r[2] * fx + r[5] * fy + r[8] * fz + off[2]
        self._device = (out_x, out_y, out_z)
        return self._device

    def sample(self, t_ms, period_ms=10):
        """What the sensor reports at t_ms sampling every period_ms (no noise): the mean over
        the last period, like the chip's digital low-pass. Used by the emulated LIS3DH."""
        xs, ys, zs = self._device_frame()
        hi = min(self.n, self.idx(t_ms) + 1)
        lo = max(0, min(hi - 1, hi - max(1, int(period_ms // _DT_MS))))
        if hi <= 0:
            return (xs[0], ys[0], zs[0])
        k = hi - lo
        return (sum(xs[lo:hi]) / k, sum(ys[lo:hi]) / k, sum(zs[lo:hi]) / k)

    def render(self, rate_hz, seed=None, quantum_mg=8, full_scale_mg=4000):
        """A Recording at rate_hz: averaged, noisy, quantised and clipped like the chip."""
        xs, ys, zs = self._device_frame()
        rng = random.Random(self.seed * 7919 + int(rate_hz * 10) if seed is None else seed)
        n = int(self.duration_ms * rate_hz // 1000)
        period = 1000.0 / rate_hz
        per = max(1, int(round(period / _DT_MS)))
        noise = self.noise_mg
        out = ([], [], [])
        for j in range(n):
            hi = min(self.n, int(j * period / _DT_MS) + 1)
            lo = max(0, hi - per)
            k = hi - lo
            for src, dst in ((xs, out[0]), (ys, out[1]), (zs, out[2])):
                v = sum(src[lo:hi]) / k + rng.gauss(0, noise)
                v = quantum_mg * round(v / quantum_mg)
                dst.append(int(max(-full_scale_mg, min(full_scale_mg, v))))
        return Recording(rate_hz, out[0], out[1], out[2], list(self.step_times_ms),
                         label="%s/%s" % (self.label, self.placement))


def _random_rotation(rng):
    """A uniformly random rotation matrix (row-major 3x3) from a random unit quaternion."""
    u1, u2, u3 = rng.random(), rng.random(), rng.random()
    a = math.sqrt(1 - u1)
    b = math.sqrt(u1)
    w, x, y, z = (a * math.sin(2 * math.pi * u2), a * math.cos(2 * math.pi * u2),
                  b * math.sin(2 * math.pi * u3), b * math.cos(2 * math.pi * u3))
    return (1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
            2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
            2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y))


# -- walking -------------------------------------------------------------------------------


class Person:
    """How one wearer moves: drawn once per seed, so a person is consistent across bouts."""

    def __init__(self, rng, gait):
        self.gait = gait
        if gait == "run":
            self.cadence = rng.uniform(2.4, 3.0)
            self.amp = rng.uniform(1100, 2000)  # stance peak
            self.stance = rng.uniform(0.35, 0.5)
            self.jitter = rng.uniform(0.015, 0.03)
        elif gait == "stroll":
            # Shuffling through a crowded hall: slow, short, soft steps.
            self.cadence = rng.uniform(1.4, 1.8)
            self.amp = rng.uniform(30, 70)
            self.jitter = rng.uniform(0.03, 0.06)
        elif gait == "stairs":
            self.cadence = rng.uniform(1.3, 1.8)
            self.amp = rng.uniform(120, 280)
            self.jitter = rng.uniform(0.04, 0.08)
        else:
            self.cadence = rng.uniform(1.4, 2.4)
            # Slow walkers move their trunk less: amplitude grows with cadence.
            self.amp = rng.uniform(0.6, 1.2) * (90 + 160 * (self.cadence - 1.4))
            self.jitter = rng.uniform(0.015, 0.045)
        self.amp_cv = rng.uniform(0.05, 0.15)
        self.h2 = rng.uniform(0.1, 0.5)
        self.h2_phase = rng.uniform(0, 2 * math.pi)
        self.ap = rng.uniform(0.3, 0.8)
        self.lat = rng.uniform(0.15, 0.5)
        self.asym = rng.uniform(0.0, 0.15)
        self.heel = rng.uniform(0.2, 0.8)  # heel-strike spike relative to amp
        self.lean = rng.uniform(-0.25, 0.35)  # forward lean of the trunk, radians


def walking(seed, placement="chest", gait="walk", duration_s=300, rate_of_bouts=None):
    """Bouts of walking (running, stairs) separated by pauses standing still."""
    m = Motion(duration_s, seed, gait, placement)
    rng = m.rng
    p = Person(rng, gait)
    m.add_tilt(0, 1, p.lean, rng.uniform(-0.1, 0.1))
    _standing_sway(m, rng)
    lanyard = placement == "lanyard"
    if lanyard:
        # Radians of lateral / fore-aft pendulum swing. The trunk's motion drives the
        # pendulum, so the swing grows with the gait's vigour (sqrt of the step amplitude
        # against a 200 mg walk): a shuffle barely swings a lanyard, a run flings it.
        drive = min(2.0, (p.amp / 200.0) ** 0.5)
        swing_l = rng.uniform(0.05, 0.15) * drive
        swing_a = rng.uniform(0.02, 0.08) * drive
        length_m = rng.uniform(0.25, 0.5)
        slap = rng.uniform(0.05, 0.3)
        spring_hz = rng.uniform(3.5, 7.0)
        spring_zeta = rng.uniform(0.15, 0.4)
    t = rng.uniform(1000, 5000)
    end = m.duration_ms - 3000
    vertical = [0.0] * m.n
    while t < end:
        # Most bouts are long; a few are a handful of steps (crossing a room).
        nsteps = rng.choice((4, 6, 10, 16, 24, 40, 60, 90, 120, 160))
        cadence = p.cadence * rng.uniform(0.93, 1.07)
        period = 1000.0 / cadence
        for k in range(nsteps):
            dur = period * (1 + rng.gauss(0, p.jitter))
            if t + dur >= end:
                break
            ramp = 0.55 if k == 0 else 0.8 if k == 1 else 0.7 if k == nsteps - 1 else 1.0
            amp = p.amp * ramp * max(0.5, 1 + rng.gauss(0, p.amp_cv))
            amp *= (1 + p.asym) if k % 2 else (1 - p.asym)
            _one_step(m, vertical, p, t, dur, amp, k)
            m.step_times_ms.append(int(t))
            if lanyard:
                _swing(m, t, dur, k, swing_l * ramp, swing_a * ramp, length_m)
                if rng.random() < slap:
                    m.add_impulse(t + dur * rng.uniform(0.1, 0.6), rng.choice((0, 1)),
                                  rng.uniform(100, 350) * (2.0 if gait == "run" else 1.0),
                                  rng.uniform(5, 15))
            t += dur
        t += rng.uniform(1500, 12000)
    if lanyard:
        vertical = _spring(vertical, spring_hz, spring_zeta)
    for i in range(m.n):
        m.dz[i] += vertical[i]
    return m


def _one_step(m, vertical, p, t0, dur, amp, k):
    lo = m.idx(t0)
    hi = min(m.n, m.idx(t0 + dur) + 1)
    side = 1 if k % 2 else -1
    for i in range(max(0, lo), hi):
        phi = (i * _DT_MS - t0) / dur
        if phi < 0 or phi >= 1:
            continue
        if p.gait == "run":
            s = p.stance
            if phi < s:
                v = amp * math.sin(math.pi * phi / s)
            else:
                v = -2 * amp * s / (math.pi * (1 - s))
        else:
            v = amp * (math.cos(2 * math.pi * phi)
                       + p.h2 * math.cos(4 * math.pi * phi + p.h2_phase))
        vertical[i] += v
        m.dx[i] += amp * p.ap * math.sin(2 * math.pi * phi + 0.6)
        m.dy[i] += amp * p.lat * side * math.sin(math.pi * phi)
    m.add_impulse(t0 + 10, 2, amp * p.heel, 12)


def _swing(m, t0, dur, k, swing_l, swing_a, length_m):
    """Pendulum swing of a hanging pin: lateral at the stride frequency, fore-aft at the step
    frequency; tilt rotates gravity across the axes, and the swing's centripetal pull adds
    along the lanyard (~L*theta'^2)."""
    lo = m.idx(t0)
    hi = min(m.n, m.idx(t0 + dur) + 1)
    side = 1 if k % 2 else -1
    w_l = math.pi / (dur / 1000)
    w_a = 2 * math.pi / (dur / 1000)
    for i in range(max(0, lo), hi):
        phi = (i * _DT_MS - t0) / dur
        if phi < 0 or phi >= 1:
            continue
        th_l = side * swing_l * math.cos(math.pi * phi)
        th_a = swing_a * math.sin(2 * math.pi * phi)
        m.tilt_a[i] += th_l
        m.tilt_b[i] += th_a
        rate_sq = ((swing_l * w_l * math.sin(math.pi * phi)) ** 2
                   + (swing_a * w_a * math.cos(2 * math.pi * phi)) ** 2)
        m.dz[i] += length_m * rate_sq / 9.81 * 1000


def _spring(sig, f_hz, zeta):
    """The pin hangs on a springy lanyard: a second-order low-pass with resonance."""
    w = 2 * math.pi * f_hz
    dt = 1.0 / BASE_HZ
    x = v = 0.0
    out = [0.0] * len(sig)
    for i, u in enumerate(sig):
        # semi-implicit Euler of x'' = w^2 (u - x) - 2 zeta w x'
        acc = w * w * (u - x) - 2 * zeta * w * v
        v += acc * dt
        x += v * dt
        out[i] = x
    return out


def _standing_sway(m, rng):
    """Quiet standing or sitting: breathing and postural sway, a few mg."""
    for axis in (0, 1, 2):
        m.add_noise(axis, rng.uniform(2, 6), 0.1, 2.0)
    br = rng.uniform(0.2, 0.35)
    amp = rng.uniform(0.005, 0.02)
    for i in range(m.n):
        m.tilt_b[i] += amp * math.sin(2 * math.pi * br * i / BASE_HZ)


# -- not walking ---------------------------------------------------------------------------


def sitting_typing(seed, placement="chest", duration_s=600):
    m = Motion(duration_s, seed, "sitting_typing", placement)
    rng = m.rng
    m.add_tilt(0, 1, rng.uniform(-0.5, 0.2), rng.uniform(-0.2, 0.2))  # reclined or hunched
    _standing_sway(m, rng)
    t = 0.0
    while t < m.duration_ms - 2000:
        what = rng.random()
        if what < 0.6:  # a typing burst: small jolts at 3-8 keys per second
            dur = rng.uniform(3000, 30000)
            k = t
            while k < t + dur and k < m.duration_ms:
                m.add_impulse(k, rng.choice((0, 1, 2)), rng.uniform(5, 30), 8)
                k += 1000 / rng.uniform(3, 8)
            t += dur
        elif what < 0.65:  # shifting in the chair
            d = rng.uniform(600, 2000)
            m.add_tilt(t, d, rng.uniform(-0.3, 0.3), rng.uniform(-0.2, 0.2))
            m.add_burst(t, d, rng.choice((0, 1, 2)), rng.uniform(40, 150), rng.uniform(0.7, 2))
            t += d
        elif what < 0.75:  # jiggling a knee: a fast, regular bounce (a classic false step)
            d = rng.uniform(4000, 30000)
            m.add_burst(t, d, 2, rng.uniform(15, 60), rng.uniform(3.5, 5.5), 0.1)
            t += d
        elif what < 0.9:  # reaching for something, coming back
            d = rng.uniform(500, 1200)
            m.add_tilt(t, d, rng.uniform(-0.6, -0.2), 0, hold_ms=rng.uniform(300, 3000))
            t += 2 * d
        else:  # laughing: the trunk bounces at 4-6 Hz for a second or two
            d = rng.uniform(800, 2500)
            m.add_burst(t, d, 2, rng.uniform(30, 120), rng.uniform(4, 6))
            t += d
        t += rng.uniform(500, 8000)
    return m


def standing_gesturing(seed, placement="chest", duration_s=600):
    m = Motion(duration_s, seed, "standing_gesturing", placement)
    rng = m.rng
    m.add_tilt(0, 1, rng.uniform(-0.1, 0.2), rng.uniform(-0.1, 0.1))
    _standing_sway(m, rng)
    t = 0.0
    while t < m.duration_ms - 3000:
        what = rng.random()
        d = rng.uniform(1000, 5000)
        if what < 0.5:  # talking with the hands: the trunk rocks, irregularly, at 1-3 Hz
            f = rng.uniform(1.0, 3.0)
            for axis in (0, 1, 2):
                m.add_burst(t, d, axis, rng.uniform(20, 120 if axis < 2 else 50), f, 0.5)
            if placement == "lanyard":
                m.add_tilt(t, d / 2, rng.uniform(-0.3, 0.3), rng.uniform(-0.3, 0.3),
                           hold_ms=rng.uniform(0, 1000))
        elif what < 0.7:  # weight shift from one foot to the other
            m.add_tilt(t, rng.uniform(500, 1500), rng.uniform(-0.08, 0.08), 0,
                       hold_ms=rng.uniform(1000, 8000))
            m.add_burst(t, 1000, 1, rng.uniform(30, 80), rng.uniform(0.5, 1.2))
        elif what < 0.85:  # nodding, turning to someone
            m.add_burst(t, d / 2, 2, rng.uniform(10, 40), rng.uniform(1.5, 3.0), 0.4)
            m.add_tilt(t, 600, 0, rng.uniform(-0.2, 0.2), hold_ms=rng.uniform(500, 3000))
        else:  # laughing
            m.add_burst(t, d / 2, 2, rng.uniform(40, 150), rng.uniform(4, 6))
        t += d + rng.uniform(500, 6000)
    return m


def vehicle(seed, placement="chest", duration_s=600):
    """A bus or a train: road/rail vibration, sway, braking, and suspension bounce after bumps
    (a few cycles at 1-2 Hz: looks like steps to a naive counter)."""
    m = Motion(duration_s, seed, "vehicle", placement)
    rng = m.rng
    train = rng.random() < 0.4
    m.add_tilt(0, 1, rng.uniform(-0.3, 0.2), rng.uniform(-0.2, 0.2))
    _standing_sway(m, rng)
    m.add_noise(2, rng.uniform(15, 60), 1.0, 15.0)   # road/rail roughness, vertical
    m.add_noise(1, rng.uniform(10, 35), 0.3, 5.0)    # lateral sway
    m.add_noise(0, rng.uniform(5, 20), 0.05, 1.0)    # speed changes
    bounce_hz = rng.uniform(1.0, 2.0)
    zeta = rng.uniform(0.12, 0.3)
    t = 0.0
    while t < m.duration_ms - 5000:
        gap = rng.expovariate(1 / (2500 if train else 4000))
        t += gap
        if train and rng.random() < 0.5:
            # rail joints: a pair of clacks (front and rear bogie)
            a = rng.uniform(60, 200)
            m.add_impulse(t, 2, a, 8)
            m.add_impulse(t + rng.uniform(300, 700), 2, a * 0.8, 8)
        else:
            m.add_ringing(t, 2, rng.uniform(80, 350), bounce_hz * rng.uniform(0.9, 1.1), zeta)
        if rng.random() < 0.05:  # braking or accelerating
            m.add_burst(t, rng.uniform(3000, 8000), 0, rng.uniform(80, 200), 0.08)
    return m


def handling(seed, placement="chest", duration_s=600):
    """Someone takes the pin in hand: turns it over to read it, fiddles with it, and taps it
    against a colleague's pin to swap contacts."""
    m = Motion(duration_s, seed, "handling", placement)
    m.pickups = []  # (start, end) ms of each time the pin is in hand
    rng = m.rng
    m.add_tilt(0, 1, rng.uniform(-0.1, 0.2), rng.uniform(-0.1, 0.1))
    _standing_sway(m, rng)
    t = rng.uniform(0, 3000)
    while t < m.duration_ms - 8000:
        # pick up, look (hand tremor), put back
        lift = rng.uniform(400, 1200)
        hold = rng.uniform(1500, 6000)
        m.add_tilt(t, lift, rng.uniform(-1.6, 1.6), rng.uniform(-1.6, 1.6), hold_ms=hold)
        m.pickups.append((int(t), int(t + 2 * lift + hold)))
        for axis in (0, 1, 2):
            m.add_burst(t, lift, axis, rng.uniform(100, 400), 1000 / lift / 2)
            m.add_burst(t + lift + hold, lift, axis, rng.uniform(100, 400), 1000 / lift / 2)
            m.add_noise(axis, rng.uniform(5, 15), 6, 12, t + lift, t + lift + hold)
        if rng.random() < 0.6:
            # tap it against another pin: 1-3 sharp knocks
            k = t + lift + rng.uniform(200, hold * 0.6)
            for _ in range(rng.choice((1, 2, 2, 3))):
                m.add_impulse(k, rng.choice((0, 1, 2)), rng.uniform(800, 2500), 5)
                m.add_ringing(k, rng.choice((0, 1)), rng.uniform(50, 150), rng.uniform(4, 8),
                              0.3)
                k += rng.uniform(250, 600)
        if rng.random() < 0.3:
            # fidget: turn it back and forth a few times
            k = t + lift + hold * 0.5
            for _ in range(rng.randint(2, 5)):
                d = rng.uniform(200, 500)
                m.add_tilt(k, d, rng.uniform(-0.8, 0.8), 0, hold_ms=d / 2)
                m.add_burst(k, 2 * d, 0, rng.uniform(100, 300), 1000 / d / 2)
                k += 2.5 * d
        t += lift * 2 + hold + rng.uniform(5000, 40000)
    return m


def tap_gesture(seed, placement="chest", duration_s=20, lift_at_ms=5000, hold_ms=2000):
    """Standing still, then a tap: at lift_at_ms the wearer takes the pin in hand and holds it
    out at arm's length (10-30 cm from the other person's pin) for hold_ms, then puts it back.
    Random within these ranges (from the seed):

    - the lift lasts 0.4-1.2 s (lift_ms); the pin travels toward the other person, mostly
      forward with some rise (lanyard, unclipped pin) or a slight drop (leaning in). Its
      acceleration is one full sine cycle along that direction (speed up, slow down: zero
      velocity at both ends, as a real move), peak 100-400 mg, drawn independently of the
      duration;
    - the attitude: a lanyard pin is pulled forward and usually turned up to face the other
      pin, 0.3-1.4 rad, mostly pitch with some roll; a chest-clipped pin is either leaned in
      with the trunk (0.2-0.5 rad pitch, 40 %), unclipped and held out (0.3-1.4 rad like a
      lanyard pin, 30 %; the clip takes 0.3-0.8 s of fiddling, 60-200 mg, and the lift
      starts half way through it), or both (30 %);
    - during the hold: hand tremor (5-15 mg at 6-12 Hz per axis) and a slow drift of the arm
      (+-0.05 rad); putting it back mirrors the lift (same duration, opposite travel).

    m.tap holds the gesture's times in ms, (start, out, back, end): the hand reaches the pin
    at start (= lift_at_ms), it is at arm's length from out to back (= out + hold_ms), and
    on the chest again at end.
    """
    m = Motion(duration_s, seed, "tap_gesture", placement)
    rng = m.rng
    m.add_tilt(0, 1, rng.uniform(-0.1, 0.2), rng.uniform(-0.1, 0.1))
    _standing_sway(m, rng)
    lift = rng.uniform(400, 1200)
    peak = rng.uniform(100, 400)
    mode = "hand"
    if placement == "chest":
        r = rng.random()
        mode = "lean" if r < 0.4 else "unclip" if r < 0.7 else "both"
    t = float(lift_at_ms)
    if mode in ("unclip", "both"):
        # fingers at the clip: small irregular jolts; the arm starts moving half way through
        fiddle = rng.uniform(300, 800)
        for axis in (0, 1, 2):
            m.add_burst(t, fiddle, axis, rng.uniform(60, 200), rng.uniform(2, 5), 0.5)
        t += fiddle / 2
    if mode == "lean":
        angle = rng.uniform(0.2, 0.5)
        roll = rng.uniform(-0.1, 0.1)
        elevation = rng.uniform(-0.4, 0.0)
    else:
        angle = rng.uniform(0.3, 1.4)
        roll = rng.uniform(-0.4, 0.4) * angle
        elevation = rng.uniform(-0.2, 0.8)
        if mode == "both":
            angle += rng.uniform(0.2, 0.5)
    pitch = rng.choice((-1, 1)) * math.sqrt(max(0.0, angle * angle - roll * roll))
    heading = rng.uniform(-0.4, 0.4)  # the other person is not quite straight ahead
    ux = math.cos(elevation) * math.cos(heading)
    uy = math.cos(elevation) * math.sin(heading)
    uz = math.sin(elevation)
    back = t + lift + hold_ms
    for t0, sign in ((t, 1), (back, -1)):
        lo = max(0, m.idx(t0))
        hi = min(m.n, m.idx(t0 + lift) + 1)
        for i in range(lo, hi):
            a = sign * peak * math.sin(2 * math.pi * (i * _DT_MS - t0) / lift)
            m.dx[i] += a * ux
            m.dy[i] += a * uy
            m.dz[i] += a * uz
    m.add_tilt(t, lift, roll, pitch, hold_ms=hold_ms)
    drift = rng.uniform(600, 1500)
    k = t + lift
    while k < back - drift:
        m.add_tilt(k, drift, rng.uniform(-0.05, 0.05), rng.uniform(-0.05, 0.05),
                   hold_ms=drift / 2)
        k += 2 * drift
    for axis in (0, 1, 2):
        m.add_noise(axis, rng.uniform(5, 15), 6, 12, t, back)
    m.tap = (int(lift_at_ms), int(t + lift), int(back), int(back + lift))
    return m


SOURCES = {
    "sitting_typing": sitting_typing,
    "standing_gesturing": standing_gesturing,
    "vehicle": vehicle,
    "handling": handling,
    "tap_gesture": tap_gesture,  # not in NEGATIVES: it is the positive class of Handheld
}


def negative(kind, seed, placement="chest", duration_s=600):
    try:
        make = SOURCES[kind]
    except KeyError:
        raise ValueError("unknown motion %r: expected one of %s"
                         % (kind, ", ".join(SOURCES))) from None
    return make(seed, placement, duration_s)
