"""A comparison baseline built from the published *description* of Espruino's step counter
(DESIGN.md, Steps): acceleration magnitude, DC removal, a short FIR band-pass, a threshold
(activity gate), a 2-16-samples-per-step window at 12.5 Hz, and the first steps of a burst
held back until the burst is long enough. Written from that description only (no code was
copied or consulted), so it stands for the *kind* of counter the reference is, not for its
exact behaviour. CPython only: it exists for `cloudpin bench steps` to compare against.

Its one free parameter, the threshold, is swept by the bench, so the baseline is shown at
its best rather than at a setting chosen to lose.
"""

import math

RATE_HZ = 12.5
_TAPS = 11
_BAND_HZ = (0.8, 3.0)
_HOLD = 6                 # steps held back at the start of a burst
_MIN_GAP, _MAX_GAP = 2, 16  # samples per step at 12.5 Hz


def _design_bandpass():
    """Windowed-sinc band-pass (Hamming), _TAPS long, for 12.5 Hz."""
    f1, f2 = (f / RATE_HZ for f in _BAND_HZ)
    mid = (_TAPS - 1) / 2
    taps = []
    for n in range(_TAPS):
        k = n - mid
        if k == 0:
            h = 2 * (f2 - f1)
        else:
            h = (math.sin(2 * math.pi * f2 * k) - math.sin(2 * math.pi * f1 * k)) / (math.pi * k)
        w = 0.54 - 0.46 * math.cos(2 * math.pi * n / (_TAPS - 1))
        taps.append(h * w)
    return taps


class ReferencePedometer:
    def __init__(self, threshold_mg=50, rate_hz=RATE_HZ):
        if rate_hz != RATE_HZ:
            raise ValueError("the reference design runs at 12.5 Hz only")
        self.threshold = threshold_mg
        self.taps = _design_bandpass()
        self.hist = [0.0] * _TAPS
        self.dc = None
        self.steps = 0
        self.low = True
        self.since = 1000
        self.run = 0

    def feed(self, x, y, z):
        m = math.sqrt(x * x + y * y + z * z)
        self.dc = m if self.dc is None else self.dc + (m - self.dc) / 16
        self.hist.pop(0)
        self.hist.append(m - self.dc)
        v = sum(h * t for h, t in zip(self.hist, self.taps, strict=True))
        self.since += 1
        if v < self.threshold / 2:
            self.low = True
        elif self.low and v > self.threshold:
            self.low = False
            if _MIN_GAP <= self.since <= _MAX_GAP:
                self.run += 1
                if self.run == _HOLD:
                    self.steps += _HOLD
                elif self.run > _HOLD:
                    self.steps += 1
            else:
                self.run = 1
            self.since = 0
        return self.steps
