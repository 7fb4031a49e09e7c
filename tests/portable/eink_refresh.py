# The refresh policy's rules, on both runtimes.
import time

from cloudpin.refresh import FULL, NONE, PARTIAL, RefreshPolicy, align8


def expect(got, want, what):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))
    print(what, got)


p = RefreshPolicy(250, 122, max_partials=3)
regions = {"steps": ((56, 82, 60, 36), 10), "friends": ((120, 82, 52, 36), 1)}
expect(p.decide("A", regions, 0), (FULL, None), "first decision is full")
expect(p.decide("A", regions, 1000), (NONE, None), "nothing changed")
regions["steps"] = ((56, 82, 60, 36), 11)
mode, win = p.decide("A", regions, 2000)
expect(mode, PARTIAL, "counter changed")
expect(win, (56, 80, 64, 40), "window aligned to 8 on both axes")
expect(p.decide("A", regions, 2500), (NONE, None), "same counter again")
regions["steps"] = ((56, 82, 60, 36), 12)
regions["friends"] = ((120, 82, 52, 36), 2)
expect(p.decide("A", regions, 3000), (PARTIAL, (56, 80, 120, 40)), "two regions: union")
regions["friends"] = ((120, 82, 52, 36), 3)
expect(p.decide("A", regions, 4000)[0], PARTIAL, "third partial")
regions["friends"] = ((120, 82, 52, 36), 4)
expect(p.decide("A", regions, 5000), (FULL, None), "after max_partials: full")
regions["friends"] = ((120, 82, 52, 36), 5)
expect(p.decide("A", regions, 6000)[0], PARTIAL, "partials again after the full")
expect(p.decide("B", regions, 7000), (FULL, None), "layout change: full")
p.wake()
expect(p.decide("B", regions, 8000), (FULL, None), "after wake: full")
expect(align8(245, 118, 10, 10, 250, 122), (240, 112, 10, 10), "clipped at the edge")
expect(align8(-3, -3, 5, 5, 250, 122), (0, 0, 8, 8), "clipped at the origin")

# periodic clean-up, wrap-safe: start just before the ticks wrap (2**30 on the ESP32 and in
# the shim, 2**62 on the 64-bit unix port: ticks_add knows)
q = RefreshPolicy(250, 122, max_partials=100, full_every_ms=60000)
start = time.ticks_add(0, -1000)
r = {"steps": ((0, 0, 8, 8), 0)}
expect(q.decide("A", r, start)[0], FULL, "first")
r["steps"] = ((0, 0, 8, 8), 1)
expect(q.decide("A", r, time.ticks_add(start, 30000))[0], PARTIAL, "30 s later: partial")
r["steps"] = ((0, 0, 8, 8), 2)
expect(q.decide("A", r, time.ticks_add(start, 61000))[0], FULL,
       "61 s after the last full, across the ticks wrap: full")
print("counts", p.counts, q.counts)
