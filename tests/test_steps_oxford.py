"""Real walks: the Oxford data set reader (on small folders in its format), the firmware's view
of a recording (replay.sensed) against the emulated LIS3DH and the real driver, a real walk
replayed through the chip into the step service, and the bench's real-data section."""

import json
import math
import os
import subprocess
import sys

import pytest

from host_sim import paths, runtime
from host_sim.people import oxford, replay

runtime.install()

from cloudpin.drivers.lis3dh import LIS3DH  # noqa: E402
from cloudpin.pedometer import Pedometer  # noqa: E402
from cloudpin.steps import StepService  # noqa: E402

from host_sim.fakes.board import sim_board  # noqa: E402
from host_sim.fakes.hw import FakeI2C  # noqa: E402
from host_sim.fakes.lis3dh import FakeLIS3DH, attach  # noqa: E402
from host_sim.fakes.memstore import MemStore  # noqa: E402
from host_sim.runtime.scheduler import Simulation  # noqa: E402

FIXTURES = os.path.join(paths.REPO_ROOT, "tests", "data", "oxford")
G = oxford.STANDARD_G


def fixture(placement):
    names = [n for n in os.listdir(FIXTURES) if placement.lower() in n and n.endswith(".csv")]
    assert len(names) == 1, names
    return replay.load_csv(os.path.join(FIXTURES, names[0]))


def write_walk(root, name, samples, feet, steps_in_stats=None):
    """An Oxford-format walk: samples [(t_ns, x, y, z m/s^2)], feet [(t_ns, f1, f2)]."""
    folder = os.path.join(root, "data", name)
    os.makedirs(folder)
    with open(os.path.join(folder, "accelerometer.csv"), "w") as f:
        for t, x, y, z in samples:
            f.write("%d,3,%r,%r,%r\n" % (t, x, y, z))
    with open(os.path.join(folder, "stepcounter.csv"), "w") as f:
        for t, a, b in feet:
            f.write("%d,%d,%d\n" % (t, a, b))
    phone, person, surface, placement = name.split("_")[:4]
    steps = sum(1 for (_, a, b), (_, pa, pb) in zip(feet[1:], feet, strict=False)
                for now, was in ((a, pa), (b, pb)) if now - was == 1)
    stats = os.path.join(root, "stats.csv")
    if not os.path.exists(stats):
        with open(stats, "w") as f:
            f.write("#dir, user, phone, position, surface, duration(s), steps \n")
    with open(stats, "a") as f:
        f.write("%s, %s, %s, %s, %s, 1, %d\n" % (name, person, phone, placement, surface,
                                                 steps if steps_in_stats is None
                                                 else steps_in_stats))


def test_reader_times_steps_and_placements(tmp_path):
    root = str(tmp_path / "optimisation")
    t0 = 5_000_000_000
    # 1 g on z, then 2 g from 10 ms on; a repeated time stamp is dropped.
    samples = [(t0, 0.0, 0.0, G), (t0 + 10_000_000, 0.0, 0.0, 2 * G),
               (t0 + 10_000_000, 0.0, 0.0, 9 * G), (t0 + 30_000_000, 0.0, G, G)]
    # Foot 1 lands at 100 ms, foot 2 at 200 ms, foot 1 again at 300 ms; a lift is no step.
    feet = [(t0, 1, 0), (t0 + 100_000_000, 0, 0), (t0 + 150_000_000, 1, 0),
            (t0 + 200_000_000, 1, 1), (t0 + 250_000_000, 0, 1), (t0 + 300_000_000, 1, 1)]
    write_walk(root, "Samsung_Ann_Hard_Backpocket_1", samples, feet)
    write_walk(root, "Pixel_Bob_Hard_ArmBand_1", samples, feet)
    walks = oxford.load(str(tmp_path))  # the data set's root works too
    assert [w.placement for w in walks] == ["BackPocket", "Armband"]
    w = oxford.load(root, people=("Ann",))[0]
    assert (w.person, w.phone, w.surface) == ("Ann", "Samsung", "Hard")
    assert w.step_times_ms == [150.0, 200.0, 300.0] and w.true_steps == 3
    assert w.steps_between(150, 300) == 2
    # The mean over a period weighs each phone sample by how long it held.
    assert w.sample(20, 20) == pytest.approx((0.0, 0.0, 1500.0))
    assert w.sample(30, 20) == pytest.approx((0.0, 0.0, 2000.0))
    assert w.sample(25) == pytest.approx((0.0, 0.0, 2000.0))  # no period: the latest


def test_reader_errors_say_what_and_how(tmp_path):
    with pytest.raises(oxford.OxfordDataError, match="git clone https://github.com/Oxford"):
        oxford.find(str(tmp_path / "nowhere"))
    with pytest.raises(oxford.OxfordDataError, match="no stats.csv"):
        oxford.find(str(tmp_path))
    os.makedirs(tmp_path / "DataSet" / "optimisation")
    os.makedirs(tmp_path / "DataSet" / "validation" / "data")
    with open(tmp_path / "DataSet" / "validation" / "stats.csv", "w") as f:
        f.write("#\n")
    with pytest.raises(oxford.OxfordDataError, match="held-out"):
        oxford.find(str(tmp_path / "DataSet" / "validation"))
    root = str(tmp_path / "opt")
    t0 = 10**9
    write_walk(root, "Pixel_Cy_Hard_Purse_1", [(t0, 0, 0, G), (t0 + 10**7, 0, 0, G)],
               [(t0, 0, 0), (t0 + 10**8, 1, 0)], steps_in_stats=7)
    with pytest.raises(oxford.OxfordDataError, match="stepcounter.csv has 1 steps, "
                                                     "stats.csv says 7"):
        oxford.load(root)


def test_sensed_rounds_clips_and_decimates_like_the_chip():
    # 50 Hz samples in mg (sample i at 20 i ms). The chip's sample k, at 40 k ms at 25 Hz,
    # is the mean of samples 2k-1 and 2k, rounded to 8 mg (half away from zero) and clipped
    # to 10 bits (-4096..4088 mg); past the end the last sample repeats. The driver's 12.5 Hz
    # is the floor of the mean of two chip samples.
    xs = [0, 1003, 1003, 1005, 1004, 4990, 5010, -5000, -5000, 7, -1004, 0]
    rec = replay.Recording(50, xs, [0] * 12, [1000] * 12)
    assert list(replay.sensed(rec, 25, rec.duration_ms).xs) == [
        1000, 1008, 4088, -4096, -496, 0]
    assert list(replay.sensed(rec, 12.5, rec.duration_ms).xs) == [1004, -4, -248]
    assert list(replay.sensed(rec, 50, rec.duration_ms).xs) == [
        1000, 1000, 1008, 1008, 4088, 4088, -4096, -4096, 8, -1008, 0, 0]
    assert list(replay.sensed(rec, 25, rec.duration_ms).zs) == [1000] * 6
    with pytest.raises(replay.RecordingError, match="LIS3DH driver"):
        replay.sensed(rec, 30, 1000)


class Clock:
    def __init__(self):
        self.now = 5000

    def ticks_ms(self):
        return self.now


@pytest.mark.parametrize("rate", [12.5, 25, 50])
def test_sensed_is_what_the_real_driver_reads_from_the_emulated_chip(rate):
    rec = fixture("armband")
    clock = Clock()
    i2c = FakeI2C(0)
    chip = FakeLIS3DH(rec, clock=clock)
    i2c.attach(0x18, chip)
    acc = LIS3DH(i2c)
    acc.start(rate)
    chip.restart(clock.now)
    got = []
    while clock.now - 5000 < rec.duration_ms:
        clock.now += 200
        acc.read_fifo(lambda x, y, z: got.append((x, y, z)))
    want = replay.sensed(rec, rate, rec.duration_ms)
    assert len(want) > 20 * rate
    assert got[:len(want)] == list(zip(want.xs, want.ys, want.zs, strict=True))


def direct_count(rec, rate, extra_ms=0):
    # Past its end a recording repeats its last sample (the wearer stands still).
    view = replay.sensed(rec, rate, rec.duration_ms + extra_ms)
    ped = Pedometer(rate)
    for s in zip(view.xs, view.ys, view.zs, strict=True):
        ped.feed(*s)
    return ped.steps


@pytest.mark.parametrize("placement, rate", [("backpocket", 25), ("neckpouch", 12.5),
                                              ("swingingarm", 50)])
def test_real_walk_through_chip_and_service_counts_what_feed_counts(placement, rate):
    rec = fixture(placement)
    board = sim_board(log=lambda *a: None)
    sim = Simulation()
    try:
        chip = attach(board, rec)
        sim.spawn(chip.run())
        svc = StepService(board, MemStore(), lambda: 100, rate_hz=rate)
        sim.spawn(svc.run())
        sim.run_for(rec.duration_ms / 1000 + 4)
    finally:
        sim.close()
    assert svc.gaps == 0 and svc.accel.overruns == 0
    # The service read a few seconds of standing still after the excerpt: so does feed.
    direct = direct_count(rec, rate, extra_ms=3000)
    assert direct > 0.8 * rec.true_steps()
    assert svc.pedometer.steps == direct == svc.daily.today


def test_bench_real_section_on_an_oxford_folder(tmp_path):
    # Two real excerpts written back in the data set's own format (ns, m/s^2, foot
    # switches): one of a person the pedometer was tuned on, one of a held-out person.
    root = str(tmp_path / "optimisation")
    for placement, name in (("neckpouch", "Samsung_Carmelo_Hard_NeckPouch_9"),
                            ("swingingarm", "Pixel_Jamie_Hard_SwingingArm_9")):
        rec = fixture(placement)
        t0 = 7 * 10**12
        period_ns = 10**9 // rec.rate_hz
        samples = [(t0 + i * period_ns, rec.xs[i] * G / 1000, rec.ys[i] * G / 1000,
                    rec.zs[i] * G / 1000) for i in range(len(rec))]
        feet = [(t0, 0, 0)]
        for k, t in enumerate(rec.step_times_ms):
            up = (1, 0) if k % 2 == 0 else (0, 1)
            feet += [(t0 + int(t * 1e6) - 50_000_000, 0, 0), (t0 + int(t * 1e6),) + up]
        write_walk(root, name, samples, feet)
    proc = subprocess.run(
        [sys.executable, "-m", "tools.cli", "bench", "steps", "--json", "--seeds", "1",
         "--walk-minutes", "0.5", "--other-minutes", "0.5", "--rates", "12.5,25",
         "--no-cost", "--oxford", root],
        capture_output=True, text=True, cwd=paths.REPO_ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr
    real = json.loads(proc.stdout)["real"]
    assert real["split"]["tuned_on"] == ["Carmelo"] and real["split"]["held_out"] == ["Jamie"]
    assert "oxford: read 2/2 walks" in proc.stderr
    for key, placement in (("tuned_on", "NeckPouch"), ("held_out", "SwingingArm")):
        group = real[key]
        row = [w for w in real["walks"] if w["placement"] == placement][0]
        assert row["true"] == fixture(placement.lower()).true_steps()
        for rate in ("12.5", "25"):
            cell = group["by_placement"][placement][rate]
            assert cell == group["by_rate"][rate]  # one walk per group
            assert cell["counted"] == row["counted"][rate]
            assert cell["error_pct"] == round(100.0 * (cell["counted"] - cell["true"])
                                              / cell["true"], 2)
        assert group["targets"]["met"] == (
            all(abs(c["error_pct"]) <= 2 for c in group["by_rate"].values())
            and all(abs(c["error_pct"]) <= 5 for c in group["by_placement"][placement]
                    .values()))


def test_bench_says_how_to_get_the_data(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "tools.cli", "bench", "steps", "--oxford",
                           str(tmp_path / "DataSet")],
                          capture_output=True, text=True, cwd=paths.REPO_ROOT, timeout=60)
    assert proc.returncode != 0
    assert "does not exist" in proc.stderr and "git clone" in proc.stderr
    assert proc.stdout == ""


def test_excerpt_keeps_the_window_and_its_steps(tmp_path):
    root = str(tmp_path / "optimisation")
    t0 = 10**9
    # 2 s of a 2 Hz vertical swing sampled unevenly, steps at 250 ms intervals.
    samples, t = [], 0
    while t < 2_000_000_000:
        z = G * (1 + 0.3 * math.sin(2 * math.pi * 2 * t / 1e9))
        samples.append((t0 + t, 0.0, 0.0, z))
        t += 2_000_000 if (t // 1_000_000) % 7 else 3_000_000
    feet = [(t0, 0, 0)] + [(t0 + k * 250_000_000, k % 2, (k + 1) % 2) for k in range(1, 8)]
    write_walk(root, "Pixel_Dee_Hard_InHand_1", samples, feet)
    w = oxford.load(root)[0]
    rec = oxford.excerpt(w, 500, 1500, 50)
    assert len(rec) == 50 and rec.rate_hz == 50
    assert rec.step_times_ms == [0, 250, 500, 750]  # steps at 500-1250 ms, re-based
    for i in (0, 13, 49):
        assert rec.zs[i] == round(w.sample(500 + i * 20, 20)[2])
    text = oxford.fixture_csv(w, rec, 500)
    assert "CC BY 4.0" in text and "Pixel_Dee_Hard_InHand_1" in text
    back = replay.parse_csv(text)
    assert list(back.zs) == list(rec.zs) and back.step_times_ms == rec.step_times_ms


def test_fixtures_carry_their_attribution():
    with open(os.path.join(FIXTURES, "README.md")) as f:
        readme = f.read()
    assert "CC BY 4.0" in readme and "https://github.com/Oxford-step-counter/DataSet" in readme
    names = sorted(n for n in os.listdir(FIXTURES) if n.endswith(".csv"))
    assert len(names) == 7
    for name in names:
        rec = fixture(name[:-len("_50hz.csv")])
        assert "`%s` |" % name in readme
        assert ("| %d |" % rec.true_steps()) in readme.split(name)[1].split("\n")[0]
        with open(os.path.join(FIXTURES, name)) as f:
            head = f.readline()
        assert "Oxford Step Counter data set, optimisation/data/" in head and "CC BY 4.0" in head
