# Feeds a labelled recording to the pedometer and prints what it counted. Run on CPython and
# on the unix port: the integer pipeline must give identical counts (and intermediate state).
import sys

from cloudpin.pedometer import Pedometer

from host_sim.people.replay import load_csv

path = sys.argv[1] if len(sys.argv) > 1 else "tests/data/steps_lanyard_walk_25hz.csv"
rec = load_csv(path)
ped = Pedometer(rec.rate_hz)
trace = []
for i in range(len(rec)):
    ped.feed(rec.xs[i], rec.ys[i], rec.zs[i])
    if i % 250 == 0:
        trace.append("%d:%d:%d:%d" % (i, ped.steps, ped._mag, ped._lp2))
print("rate", rec.rate_hz, "samples", len(rec))
print("true", rec.true_steps(), "counted", ped.steps, "candidates", ped.candidates)
print("trace", " ".join(trace))
