"""Recorded motion: samples at a fixed rate, optionally labelled with true step times.

Common MicroPython subset (no csv module, no f-strings needed), so the same recording can be
replayed on CPython and on the unix port: into the pedometer directly, or into the emulated
LIS3DH (host_sim.fakes.lis3dh), which asks any motion source for `sample(t_ms, period_ms)`.

CSV format, one sample per line:  time_ms,x,y,z
- values in milli-g by default; for raw sensor counts pass scale_mg (milli-g per count),
- lines starting with '#' are comments; '# step,<time_ms>' lines label a true step,
- an optional header line (first field not a number) is skipped.
Samples are kept in array('h') (2 bytes each), so a few minutes fit the unix port's small heap.

sensed(source, rate_hz, duration_ms) is what the firmware reads from the LIS3DH sampling any
motion source (a Recording, a real walk of host_sim.people.oxford): the chip's rate and the
driver's averaging for rate_hz, the chip's mean over each period, its 8 mg steps at +-4 g.
"""

from array import array


class RecordingError(ValueError):
    pass


class Recording:
    """Samples (x, y, z) in milli-g taken every 1000/rate_hz ms, starting at t = 0."""

    def __init__(self, rate_hz, xs, ys, zs, step_times_ms=(), label="recording"):
        if not (len(xs) == len(ys) == len(zs)):
            raise RecordingError("x, y and z must have the same length")
        if rate_hz <= 0:
            raise RecordingError("rate_hz must be positive")
        self.rate_hz = rate_hz
        self.xs = xs
        self.ys = ys
        self.zs = zs
        self.step_times_ms = list(step_times_ms)
        self.label = label

    def __len__(self):
        return len(self.xs)

    @property
    def duration_ms(self):
        return len(self.xs) * 1000 // self.rate_hz

    def true_steps(self):
        return len(self.step_times_ms)

    def sample(self, t_ms, period_ms=0):
        """What a sensor sampling at t_ms every period_ms sees: the mean of the recording's
        samples in (t_ms - period_ms, t_ms] (the chip's ODR filter averages its period, so
        a 100 Hz recording read at 25 Hz does not alias), or the latest at or before t_ms
        when the period holds none. Past the end the last sample repeats (the wearer stands
        still)."""
        n = len(self.xs)
        if n == 0:
            return (0, 0, 1000)
        hi = _index(t_ms, self.rate_hz, n)
        lo = _index(t_ms - period_ms, self.rate_hz, n) + 1 if period_ms > 0 else hi
        if lo >= hi:
            return (self.xs[hi], self.ys[hi], self.zs[hi])
        sx = sy = sz = 0
        for i in range(lo, hi + 1):
            sx += self.xs[i]
            sy += self.ys[i]
            sz += self.zs[i]
        k = hi - lo + 1
        return (sx / k, sy / k, sz / k)

    def to_csv(self):
        lines = ["time_ms,x,y,z"]
        for t in self.step_times_ms:
            lines.append("# step,%d" % t)
        for i in range(len(self.xs)):
            lines.append("%d,%d,%d,%d" % (i * 1000 // self.rate_hz, self.xs[i], self.ys[i],
                                         self.zs[i]))
        return "\n".join(lines) + "\n"


def _index(t_ms, rate_hz, n):
    """The last sample at or before t_ms, within 0..n-1."""
    i = int(t_ms * rate_hz // 1000)
    return 0 if i < 0 else n - 1 if i >= n else i


# What the firmware reads: the step service starts the LIS3DH at +-4 g in normal (10-bit)
# mode, 8 mg per digit (cloudpin.drivers.lis3dh.start's defaults), saturating at 10 bits.
LSB_MG = 8
_TOP = 511


def sensed(source, rate_hz, duration_ms, label=None):
    """The Recording the firmware reads at rate_hz from a LIS3DH sampling `source` (anything
    with sample(t_ms, period_ms), in milli-g): the chip's rate and the driver's averaging of
    chip samples from cloudpin.drivers.lis3dh.RATES (12.5 Hz is the chip at 25 Hz, pairs
    averaged), each chip sample the mean over its period, rounded to 8 mg and clipped as the
    chip does (host_sim.fakes.lis3dh). Chip sample k (from 1) is taken at k chip periods;
    output sample i is the i-th the driver hands on. The source's step labels carry over."""
    from cloudpin.drivers.lis3dh import RATES

    if rate_hz not in RATES:
        raise RecordingError("rate %r Hz: the LIS3DH driver has %s" % (rate_hz, sorted(RATES)))
    odr, decim = RATES[rate_hz]
    period = 1000 // odr
    xs = array("h")
    ys = array("h")
    zs = array("h")
    acc = [0, 0, 0]
    got = 0
    for k in range(1, int(duration_ms) // period + 1):
        v = source.sample(k * period, period)
        for axis in range(3):
            c = v[axis] / LSB_MG
            c = int(c + 0.5) if c >= 0 else int(c - 0.5)
            if c > _TOP:
                c = _TOP
            elif c < -_TOP - 1:
                c = -_TOP - 1
            acc[axis] += c * LSB_MG
        got += 1
        if got == decim:
            xs.append(acc[0] // decim)
            ys.append(acc[1] // decim)
            zs.append(acc[2] // decim)
            acc[0] = acc[1] = acc[2] = 0
            got = 0
    steps = getattr(source, "step_times_ms", ())
    return Recording(rate_hz, xs, ys, zs, [int(t) for t in steps],
                     label or getattr(source, "label", "sensed"))


def parse_csv(lines, scale_mg=None, label="csv"):
    """Parse `time_ms,x,y,z` lines (a string, or any iterable of lines such as an open file)
    into a Recording. The rate comes from the time stamps (median spacing); samples must be
    evenly spaced within 25 % jitter."""
    if isinstance(lines, str):
        lines = lines.split("\n")
    first = last = first_gap = None
    xs = array("h")
    ys = array("h")
    zs = array("h")
    steps = []
    lineno = 0
    for raw in lines:
        lineno += 1
        line = raw.strip()
        if not line:
            continue
        if line[0] == "#":
            body = line[1:].strip()
            if body.startswith("step,"):
                try:
                    steps.append(int(body[5:]))
                except ValueError:
                    raise RecordingError("line %d: bad step label %r" % (lineno, line)) from None
            continue
        fields = line.split(",")
        if len(fields) != 4:
            raise RecordingError("line %d: expected time_ms,x,y,z, got %r" % (lineno, line))
        try:
            t = int(float(fields[0]))
        except ValueError:
            if first is None:
                continue  # a header line
            raise RecordingError("line %d: bad time %r" % (lineno, fields[0])) from None
        try:
            vals = [float(f) for f in fields[1:]]
        except ValueError:
            raise RecordingError("line %d: bad sample %r" % (lineno, line)) from None
        if scale_mg is not None:
            vals = [v * scale_mg for v in vals]
        for v in vals:
            if not -32768 <= v <= 32767:
                raise RecordingError("line %d: %r is beyond +-32 g" % (lineno, v))
        if first is None:
            first = t
        else:
            # Even spacing: every gap within 25 % of the first one.
            gap = t - last
            if first_gap is None:
                if gap <= 0:
                    raise RecordingError("line %d: time stamps must increase" % lineno)
                first_gap = gap
            elif gap * 4 < first_gap * 3 or gap * 4 > first_gap * 5 + 4:
                raise RecordingError("line %d: samples are not evenly spaced (%d ms after %d "
                                     "ms)" % (lineno, gap, first_gap))
        last = t
        xs.append(int(round(vals[0])))
        ys.append(int(round(vals[1])))
        zs.append(int(round(vals[2])))
    if len(xs) < 2:
        raise RecordingError("a recording needs at least two samples")
    rate = 1000 * (len(xs) - 1) / (last - first)
    if abs(rate - round(rate)) < 1e-6:
        rate = int(round(rate))
    return Recording(rate, xs, ys, zs, steps, label)


def load_csv(path, scale_mg=None):
    with open(path) as f:
        return parse_csv(f, scale_mg, label=path)
