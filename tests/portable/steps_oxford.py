# Real walks (excerpts of the Oxford Step Counter data set in tests/data/oxford/, one per
# placement) read as the firmware reads them through the LIS3DH at 12.5, 25 and 50 Hz
# (replay.sensed), counted by the pedometer. Run on CPython and on the unix port: the integer
# pipeline must give the same counts on both.
import gc
import os

from cloudpin.pedometer import Pedometer

from host_sim.people.replay import load_csv, sensed

FOLDER = "tests/data/oxford"
RATES = (12.5, 25, 50)

names = sorted(n for n in os.listdir(FOLDER) if n.endswith("_50hz.csv"))
for name in names:
    rec = load_csv(FOLDER + "/" + name)
    counts = []
    for rate in RATES:
        view = sensed(rec, rate, rec.duration_ms)
        ped = Pedometer(rate)
        feed = ped.feed
        xs, ys, zs = view.xs, view.ys, view.zs
        for i in range(len(view)):
            feed(xs[i], ys[i], zs[i])
        counts.append("%s:%d" % (rate, ped.steps))
        view = ped = feed = xs = ys = zs = None
        gc.collect()
    print(name[:-9], "true", rec.true_steps(), "counted", " ".join(counts))
    rec = None
    gc.collect()
