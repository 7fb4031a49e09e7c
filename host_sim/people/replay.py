"""Recorded motion: samples at a fixed rate, optionally labelled with true step times.

Common MicroPython subset (no csv module, no f-strings needed), so the same recording can be
replayed on CPython and on the unix port: into the pedometer directly, or into the emulated
LIS3DH (host_sim.fakes.lis3dh), which asks any motion source for `sample(t_ms, period_ms)`.

CSV format, one sample per line:  time_ms,x,y,z
- values in milli-g by default; for raw sensor counts pass scale_mg (milli-g per count),
- lines starting with '#' are comments; '# step,<time_ms>' lines label a true step,
- an optional header line (first field not a number) is skipped.
Samples are kept in array('h') (2 bytes each), so a few minutes fit the unix port's small heap.
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
        """The sample a sensor sampling at t_ms sees (the recording's latest at or before
        t_ms); past the end the last sample repeats (the wearer stands still)."""
        n = len(self.xs)
        if n == 0:
            return (0, 0, 1000)
        i = int(t_ms * self.rate_hz // 1000)
        if i < 0:
            i = 0
        elif i >= n:
            i = n - 1
        return (self.xs[i], self.ys[i], self.zs[i])

    def to_csv(self):
        lines = ["time_ms,x,y,z"]
        for t in self.step_times_ms:
            lines.append("# step,%d" % t)
        for i in range(len(self.xs)):
            lines.append("%d,%d,%d,%d" % (i * 1000 // self.rate_hz, self.xs[i], self.ys[i],
                                         self.zs[i]))
        return "\n".join(lines) + "\n"


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
