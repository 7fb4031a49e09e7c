"""Cut the fixtures in this folder from a local copy of the Oxford Step Counter data set's
optimisation/ folder (see README.md):  python tests/data/oxford/cut.py DataSet/optimisation"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", ".."))

# One walk per placement, 30 s from the middle of it (60-90 s: steady walking), at 50 Hz: the
# chip's 25 and 50 Hz and the driver's 12.5 Hz are averages of these samples.
EXCERPTS = (
    ("Samsung_Carmelo_Hard_Armband_1", 60000, 90000),
    ("Samsung_Dario_Hard_BackPocket_1", 60000, 90000),
    ("Samsung_Carmelo_Hard_FrontPocket_1", 60000, 90000),
    ("Samsung_Dario_Hard_InHand_1", 60000, 90000),
    ("Samsung_Carmelo_Hard_NeckPouch_1", 60000, 90000),
    ("Samsung_Dario_Hard_Purse_1", 60000, 90000),
    ("Pixel_Jamie_Hard_SwingingArm_1", 60000, 90000),
)
RATE_HZ = 50


def file_name(walk_name):
    return walk_name.lower() + "_50hz.csv"


def main(argv):
    from host_sim.people import oxford

    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    names = [e[0] for e in EXCERPTS]
    walks = {w.name: w for w in oxford.load(argv[1], names=names)}
    for name, t0, t1 in EXCERPTS:
        w = walks[name]
        rec = oxford.excerpt(w, t0, t1, RATE_HZ)
        path = os.path.join(HERE, file_name(name))
        with open(path, "w") as f:
            f.write(oxford.fixture_csv(w, rec, t0))
        print("%s: %d samples, %d true steps" % (path, len(rec), rec.true_steps()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
