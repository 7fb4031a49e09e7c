"""Step counting on both runtimes: the same recording gives the same counts on CPython and on
the MicroPython unix port; the real driver runs against the emulated LIS3DH on both; the
daily baseline logic holds on both. A missing micropython binary fails, it does not skip."""

import re

from tests.crossrt import run_both


def _field(out, name):
    return int(re.search(r"\b%s (\d+)" % name, out).group(1))


def test_recording_same_counts_on_both_runtimes():
    out = run_both("tests/portable/steps_recording.py")
    true, counted = _field(out, "true"), _field(out, "counted")
    assert true == 88
    # 90 s of lanyard walking in short bouts: bouts under six steps are not counted by
    # design; the rest must be found.
    assert 0.85 * true <= counted <= true, out


def test_driver_through_emulated_chip_on_both_runtimes():
    # The script holds the fake chip, a 90 s recording and two pedometers at once: more than
    # the firmware alone ever does, hence a larger heap than the pin's default 96K.
    out = run_both("tests/portable/steps_driver.py", heapsize="160K")
    assert "ok overrun flagged" in out
    assert "ok reading INT1_SRC releases INT1" in out
    assert re.search(r"ok through the chip (\d+) == direct \1", out)


def test_daily_baseline_on_both_runtimes():
    out = run_both("tests/portable/steps_daily.py")
    assert "ok asleep across midnight" in out
    assert "ok reboot neither lost nor double-counted" in out
    assert out.count("ignored") == 5


def test_hot_path_allocates_nothing_on_the_unix_port():
    # heap_lock() on the unix port turns any allocation into MemoryError.
    out = run_both("tests/portable/steps_noalloc.py")
    assert "feed: 3000 samples without allocating" in out
    assert "slow walk (stride test): 1500 samples without allocating" in out
    assert "read_fifo: 620 samples" in out
    assert "at 12.5 Hz (decimating): 46 samples" in out


def test_service_sleeps_and_wakes_on_real_asyncio_both_runtimes():
    # Real clock, real asyncio (MicroPython's own on the unix port): asserts the sequence
    # (asleep in 10 Hz low-power wake mode, woken by INT1, streaming again), not timings.
    out = run_both("tests/portable/steps_service_rt.py", heapsize="160K")
    assert "asleep True wake mode ODR 10 LPen 1" in out
    assert "woke 1 sleeping False streaming ODR 25 FIFO mode 2" in out


def test_real_walks_same_counts_on_both_runtimes():
    # One 30 s excerpt per placement of the Oxford data set (tests/data/oxford/README.md),
    # read through the chip's view at 12.5, 25 and 50 Hz. An excerpt starts mid-walk: its
    # first step has no rhythm yet, so a step or two is lost by design; the held-out
    # person's swinging arm loses the most (cloudpin bench steps --oxford has whole walks).
    # A 30 s recording at 50 Hz and its view at a rate, both growing arrays: more heap than
    # the firmware alone needs (the pin streams), hence the larger heap.
    out = run_both("tests/portable/steps_oxford.py", heapsize="160K")
    lines = [line.split() for line in out.strip().splitlines()]
    assert len(lines) == 7
    totals = {}
    for fields in lines:
        true = int(fields[2])
        assert fields[1] == "true" and fields[3] == "counted" and true >= 45
        for cell in fields[4:]:
            rate, counted = cell.split(":")
            assert abs(int(counted) - true) <= 4, (fields[0], rate, counted, true)
            row = totals.setdefault(rate, [0, 0])
            row[0] += int(counted)
            row[1] += true
    assert sorted(totals) == ["12.5", "25", "50"]
    for rate, (counted, true) in totals.items():
        assert abs(counted - true) <= 0.03 * true, (rate, counted, true)
