# Feeds a recording to the Handheld detector and prints every change of `held` (with the
# sample index and pickups) and of `stirred` and `fresh`, then feeds more under heap_lock (the
# hot path allocates nothing; on CPython heap_lock is a no-op shim). Run on CPython and on the
# unix port by tests/test_handheld.py: the integer pipeline must give identical sequences.
import sys

import micropython
from cloudpin.handheld import Handheld

from host_sim.people.replay import load_csv

rec = load_csv(sys.argv[1])
hh = Handheld(rec.rate_hz)
feed = hh.feed  # bind once: a bound method is an allocation
xs, ys, zs = rec.xs, rec.ys, rec.zs
n = len(rec)
events = []
was = False
stirred = fresh = False
for i in range(n):
    now = bool(feed(xs[i], ys[i], zs[i]))
    if now != was:
        events.append("%d:%d:%d" % (i, 1 if now else 0, hh.pickups))
        was = now
    if bool(hh.stirred) != stirred:
        stirred = not stirred
        events.append("%d:stirred:%d" % (i, 1 if stirred else 0))
    if bool(hh.fresh) != fresh:
        fresh = not fresh
        events.append("%d:fresh:%d" % (i, 1 if fresh else 0))
    if i == n // 2:
        hh.gap()
        events.append("%d:gap" % i)
print("rate", rec.rate_hz, "samples", n, "pickups", hh.pickups)
print("events", " ".join(events))


def locked(feed, xs, ys, zs, n):
    micropython.heap_lock()
    try:
        for i in range(n):
            feed(xs[i], ys[i], zs[i])
    finally:
        micropython.heap_unlock()


locked(feed, xs, ys, zs, n)
print("locked: %d samples without allocating, pickups %d" % (n, hh.pickups))
