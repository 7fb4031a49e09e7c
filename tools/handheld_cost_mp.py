# Runs ON THE MICROPYTHON UNIX PORT (common subset): the Handheld detector's cost per sample.
#   micropython tools/handheld_cost_mp.py RECORDING.csv REPEATS
# Prints one line: rate samples feed_us_total loop_us_total pickups (ticks_us, integer us).
import sys
import time

from cloudpin.handheld import Handheld

from host_sim.replay import load_csv

rec = load_csv(sys.argv[1])
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
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
hh = None
for _ in range(repeats):
    hh = Handheld(rec.rate_hz)
    f = run(hh.feed)
    o = run(nothing)
    if best_feed is None or f < best_feed:
        best_feed = f
    if best_loop is None or o < best_loop:
        best_loop = o
print(rec.rate_hz, n, best_feed, best_loop, hh.pickups if hh else 0)
