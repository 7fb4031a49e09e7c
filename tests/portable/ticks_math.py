# ticks_add / ticks_diff across the wrap-around: the shims must agree with the unix port.
# The period differs by port: 2**30 on the ESP32 (and in host_sim's shims), 2**62 on the 64-bit
# unix port. So values are printed relative to each runtime's own period, and deltas stay within
# the ESP32's +-2**29 window, where ticks_diff must be exact on every port.
import time

MAX = time.ticks_add(0, -1)
PERIOD = MAX + 1
HALF = 1 << 29  # the ESP32's half period
print("period_is_power_of_two", PERIOD & MAX == 0)
starts = (0, 1, 1000, PERIOD // 2 - 1, PERIOD // 2, MAX - 1000, MAX - 1, MAX)
deltas = (0, 1, -1, 999, -999, HALF - 1, -HALF, 123456789, -123456789)
for i, s in enumerate(starts):
    for d in deltas:
        t = time.ticks_add(s, d)
        assert 0 <= t <= MAX, (s, d, t)
        back = time.ticks_diff(t, s)
        assert back == d, (s, d, t, back)
        reverse = time.ticks_diff(s, t) if d != -HALF else None
        print(i, d, (t - s) % PERIOD == d % PERIOD, back, reverse)
