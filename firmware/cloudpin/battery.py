"""Battery level from the ADC on the board's divider.

A single-cell LiPo's charge is read off its resting voltage (a typical 1000 mAh cell's
discharge curve at 0.2 C; the panel's refresh and the radio sag it, so the app averages).
"""

# (millivolts, percent), falling
_CURVE = ((4200, 100), (4100, 90), (4000, 78), (3900, 64), (3800, 50), (3750, 40),
          (3700, 28), (3650, 16), (3600, 8), (3500, 3), (3300, 0))


def percent(millivolts):
    if millivolts >= _CURVE[0][0]:
        return 100
    for i in range(1, len(_CURVE)):
        mv, pct = _CURVE[i]
        if millivolts >= mv:
            hi_mv, hi_pct = _CURVE[i - 1]
            return pct + (hi_pct - pct) * (millivolts - mv) // (hi_mv - mv)
    return 0


class Battery:
    def __init__(self, adc, divider):
        self.adc = adc
        self.divider = divider
        self._avg_mv = 0

    def millivolts(self):
        """The cell's voltage, smoothed over readings (refreshes and bursts sag it)."""
        mv = int(self.adc.read_uv() * self.divider) // 1000
        self._avg_mv = mv if not self._avg_mv else (self._avg_mv * 3 + mv) // 4
        return self._avg_mv

    def percent(self):
        return percent(self.millivolts())
