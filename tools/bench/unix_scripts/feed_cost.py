# Runs ON THE MICROPYTHON UNIX PORT (common subset): an accelerometer consumer's cost per
# sample (cloudpin.pedometer.Pedometer, cloudpin.handheld.Handheld: anything built with the
# rate and fed with feed(x, y, z)).
#   micropython tools/bench/unix_scripts/feed_cost.py RECORDING.csv REPEATS MODULE CLASS
# Prints one line: rate samples feed_us_total loop_us_total (ticks_us, integer microseconds),
# the best of REPEATS runs each; loop_us is the bare loop calling a no-op.
import sys
import time

from host_sim.people.replay import load_csv

rec = load_csv(sys.argv[1])
repeats = int(sys.argv[2])
module = sys.argv[3]
consumer = getattr(getattr(__import__("cloudpin." + module), module), sys.argv[4])
xs, ys, zs = rec.xs, rec.ys, rec.zs
n = len(rec)


def nothing(x, y, z):
    return 0


def run(fn):
    t0 = time.ticks_us()
    for i in range(n):
        fn(xs[i], ys[i], zs[i])
    return time.ticks_diff(time.ticks_us(), t0)


best_feed = best_loop = None
for _ in range(repeats):
    f = run(consumer(rec.rate_hz).feed)
    o = run(nothing)
    if best_feed is None or f < best_feed:
        best_feed = f
    if best_loop is None or o < best_loop:
        best_loop = o
print(rec.rate_hz, n, best_feed, best_loop)
