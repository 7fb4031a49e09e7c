"""Real walks: the Oxford Step Counter data set's `optimisation/` folder, read as the pin's
accelerometer would feel it. CPython only (the benchmark and the scripts that cut fixtures).

    walks = load("DataSet/optimisation")          # every walk stats.csv lists
    w = walks[0]; w.person, w.placement, w.true_steps
    rec = replay.sensed(w, 25, w.duration_ms)     # what the firmware reads at 25 Hz

The data set (Oxford Step Counter, https://github.com/Oxford-step-counter/DataSet, CC BY 4.0;
described in D. Salvi, C. Velardo, J. Brynes, L. Tarassenko, "An optimised algorithm for
accurate steps counting from smart-phone accelerometry", IEEE EMBC 2018): phones carried
by three people (Jamie, Carmelo, Dario) in a hand, a neck pouch, an armband, a purse, a front
and a back trouser pocket and (Jamie only) a swinging arm, walking on hard floor (Jamie also
on carpet). Each walk's folder holds `accelerometer.csv` (nanosecond time stamp, accuracy,
x, y, z in m/s^2, at the phone's own irregular rate: ~200-400 Hz) and `stepcounter.csv`
(foot switches under both feet: a step is a switch going 0 -> 1, as the data set's own
stats.js counts them; stats.csv lists the totals, which this reader checks against).

Only `optimisation/` is ever read: the data set's `validation/` folder is the held-out test
of this project and must not be opened (load() refuses a path inside it).

A walk is a motion source for host_sim.fakes.lis3dh: sample(t_ms, period_ms) is the mean of
the phone's signal over the period ending at t_ms, weighting each phone sample by how long
it held (the phone's samples are unevenly spaced and sometimes repeated), which is what a
sensor's ODR filter delivers. Time 0 is the phone's first sample; step times use that origin.
"""

import bisect
import os

STANDARD_G = 9.80665  # m/s^2 per g
MIRROR = "https://github.com/Oxford-step-counter/DataSet"
HOW_TO_GET = ("get it with `git clone %s` and pass its optimisation/ folder "
              "(for example --oxford DataSet/optimisation)" % MIRROR)
# Folder names spell some placements two ways (ArmBand/Armband, Backpocket/BackPocket).
PLACEMENTS = {"armband": "Armband", "backpocket": "BackPocket", "frontpocket": "FrontPocket",
              "inhand": "InHand", "neckpouch": "NeckPouch", "purse": "Purse",
              "swingingarm": "SwingingArm"}


class OxfordDataError(ValueError):
    pass


class Walk:
    """One recording: the phone's samples (time in ms from its first sample, x/y/z in mg),
    the true step times (ms, same origin) and what stats.csv says about it."""

    def __init__(self, name, person, phone, placement, surface, times_ms, xs, ys, zs,
                 step_times_ms):
        self.name = name
        self.person = person
        self.phone = phone
        self.placement = placement
        self.surface = surface
        self.step_times_ms = step_times_ms
        self.label = "oxford/" + name
        self._t = times_ms
        # Running integrals (mg*ms) of each axis, the signal held from one sample to the
        # next: the mean over any window is two look-ups.
        self._cum = [_integral(times_ms, v) for v in (xs, ys, zs)]
        self._v = (xs, ys, zs)

    def __repr__(self):
        return "<Walk %s: %d steps, %.0f s>" % (self.name, self.true_steps,
                                                self.duration_ms / 1000)

    @property
    def true_steps(self):
        return len(self.step_times_ms)

    @property
    def duration_ms(self):
        return int(self._t[-1])

    def steps_between(self, t0_ms, t1_ms):
        """True steps with t0_ms <= time < t1_ms."""
        s = self.step_times_ms
        return bisect.bisect_left(s, t1_ms) - bisect.bisect_left(s, t0_ms)

    def sample(self, t_ms, period_ms=0):
        """The mean acceleration (mg, floats) over (t_ms - period_ms, t_ms]; with no period,
        the phone's latest sample at or before t_ms."""
        if period_ms <= 0:
            i = max(0, bisect.bisect_right(self._t, t_ms) - 1)
            return (self._v[0][i], self._v[1][i], self._v[2][i])
        a = t_ms - period_ms
        return tuple((self._at(k, t_ms) - self._at(k, a)) / period_ms for k in range(3))

    def _at(self, axis, t):
        times = self._t
        if t <= times[0]:
            return self._v[axis][0] * (t - times[0])  # before the first sample: held back
        i = bisect.bisect_right(times, t) - 1
        return self._cum[axis][i] + self._v[axis][i] * (t - times[i])


def _integral(times, values):
    out = [0.0] * len(times)
    acc = 0.0
    for i in range(1, len(times)):
        acc += values[i - 1] * (times[i] - times[i - 1])
        out[i] = acc
    return out


def find(path):
    """The optimisation/ folder at path (or inside it, if path is the data set's root)."""
    if not path:
        raise OxfordDataError("no Oxford data given: " + HOW_TO_GET)
    real = os.path.realpath(path)
    parts = real.split(os.sep)
    for i, part in enumerate(parts):
        if part == "validation" and \
                os.path.isdir(os.sep.join(parts[:i] + ["optimisation"]) or os.sep):
            raise OxfordDataError("%s is inside the data set's validation/ folder, the "
                                  "held-out test: this project reads optimisation/ only"
                                  % path)
    for cand in (real, os.path.join(real, "optimisation")):
        if os.path.isfile(os.path.join(cand, "stats.csv")) and \
                os.path.isdir(os.path.join(cand, "data")):
            return cand
    if not os.path.exists(real):
        raise OxfordDataError("%s does not exist: %s" % (path, HOW_TO_GET))
    raise OxfordDataError("%s holds no stats.csv and data/ folder of the Oxford data set's "
                          "optimisation/: %s" % (path, HOW_TO_GET))


def catalogue(path):
    """stats.csv's rows: [(name, person, phone, placement, surface, steps)]."""
    root = find(path)
    rows = []
    with open(os.path.join(root, "stats.csv")) as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            cols = [c.strip() for c in line.split(",")]
            if len(cols) != 7:
                raise OxfordDataError("stats.csv line %d: expected 7 columns, got %r"
                                      % (lineno, line))
            name, person, phone, placement, surface, _, steps = cols
            key = placement.lower()
            if key not in PLACEMENTS:
                raise OxfordDataError("stats.csv line %d: unknown placement %r"
                                      % (lineno, placement))
            rows.append((name, person, phone, PLACEMENTS[key], surface, int(steps)))
    return rows


def load(path, people=None, names=None, progress=None):
    """The walks stats.csv lists (only those of `people` / with `names` when given)."""
    root = find(path)
    rows = [r for r in catalogue(root) if (people is None or r[1] in people)
            and (names is None or r[0] in names)]
    walks = []
    for i, (name, person, phone, placement, surface, steps) in enumerate(rows):
        folder = os.path.join(root, "data", name)
        t0, times, xs, ys, zs = _read_accelerometer(os.path.join(folder, "accelerometer.csv"))
        step_times = _read_steps(os.path.join(folder, "stepcounter.csv"), t0)
        if len(step_times) != steps:
            raise OxfordDataError("%s: stepcounter.csv has %d steps, stats.csv says %d"
                                  % (name, len(step_times), steps))
        walks.append(Walk(name, person, phone, placement, surface, times, xs, ys, zs,
                          step_times))
        if progress:
            progress(i + 1, len(rows), name)
    return walks


def _read_accelerometer(path):
    try:
        f = open(path)
    except OSError as exc:
        raise OxfordDataError("%s: %s (%s)" % (path, exc.strerror, HOW_TO_GET)) from None
    scale = 1000.0 / STANDARD_G
    times, xs, ys, zs = [], [], [], []
    t0 = None
    last = None
    with f:
        for lineno, line in enumerate(f, 1):
            cols = line.split(",")
            if len(cols) < 5:
                if line.strip():
                    raise OxfordDataError("%s line %d: expected time,accuracy,x,y,z"
                                          % (path, lineno))
                continue
            try:
                t = int(cols[0])
                x, y, z = float(cols[2]), float(cols[3]), float(cols[4])
            except ValueError:
                raise OxfordDataError("%s line %d: bad sample %r"
                                      % (path, lineno, line.strip())) from None
            if t0 is None:
                t0 = t
            if last is not None and t <= last:
                continue  # a repeated or out-of-order time stamp adds no time
            last = t
            times.append((t - t0) / 1e6)
            xs.append(x * scale)
            ys.append(y * scale)
            zs.append(z * scale)
    if len(times) < 2:
        raise OxfordDataError("%s: fewer than two samples" % path)
    return t0, times, xs, ys, zs


def _read_steps(path, t0):
    """Step times (ms after t0): a foot switch going from 0 to 1 (as stats.js counts)."""
    out = []
    prev = None
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            cols = line.strip().split(",")
            if len(cols) < 3:
                continue
            try:
                t, feet = int(cols[0]), (int(cols[1]), int(cols[2]))
            except ValueError:
                raise OxfordDataError("%s line %d: bad row %r" % (path, lineno, line)) from None
            if prev is not None:
                for k in (0, 1):
                    if feet[k] - prev[k] == 1:
                        out.append((t - t0) / 1e6)
            prev = feet
    out.sort()
    return out


def excerpt(walk, t0_ms, t1_ms, rate_hz=50):
    """A replay.Recording of walk's [t0_ms, t1_ms) at rate_hz: sample i (at i periods, time
    re-based to t0_ms) is the walk's mean over the period ending there, in whole milli-g (not
    yet quantised like the chip: replay.sensed does that at any rate whose chip period is a
    multiple of this one); the true steps inside the window carry over."""
    from array import array

    from host_sim.people.replay import Recording

    period = 1000.0 / rate_hz
    n = int((t1_ms - t0_ms) // period)
    out = (array("h"), array("h"), array("h"))
    for i in range(n):
        v = walk.sample(t0_ms + i * period, period)
        for axis in range(3):
            out[axis].append(int(round(v[axis])))
    steps = [int(round(t - t0_ms)) for t in walk.step_times_ms if t0_ms <= t < t0_ms + n * period]
    return Recording(rate_hz, out[0], out[1], out[2], steps,
                     label="%s %d-%d s" % (walk.label, t0_ms // 1000, t1_ms // 1000))


def fixture_csv(walk, rec, t0_ms):
    """rec (an excerpt of walk) as replay CSV, headed by where it comes from and the
    licence's attribution."""
    head = ["# Oxford Step Counter data set, optimisation/data/%s (%s, %s, %s), CC BY 4.0,"
            % (walk.name, walk.person, walk.phone, walk.placement),
            "# %s" % MIRROR,
            "# changed: %.1f-%.1f s of the walk, averaged over each %g ms (%g Hz), m/s^2 -> mg"
            % (t0_ms / 1000, t0_ms / 1000 + rec.duration_ms / 1000, 1000 / rec.rate_hz,
               rec.rate_hz),
            "# true steps (foot switches 0 -> 1) in the window: %d" % rec.true_steps()]
    return "\n".join(head) + "\n" + rec.to_csv()
