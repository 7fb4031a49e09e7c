"""Daily activity: steps and friends per day, 14 days kept, sane before the first sync."""

from tests.crossrt import run_both


def test_days_roll_the_same_on_both_runtimes():
    out = dict(line.split(" ", 1) for line in
               run_both("tests/portable/activity_days.py").splitlines())
    # Counted before the first sync, relabelled as the synced day rather than a 1970 day.
    assert out["unsynced"] == "[] [] [(0, 120, 1)]"
    assert out["first_sync"] == "[] [(20000, 150, 1)]"
    # The closed day carries the step service's exact total for it.
    assert out["new_day"].startswith("[(20000, 480, 1, True)]")
    # Days skipped (the pin in a drawer) close as not consecutive: streaks break.
    assert out["gap"] == "[(20001, 900, 1, False)]"
    # A clock that jumps back keeps counting into the current day.
    assert out["clock_back"] == "[] 20004"
    assert out["history"] == "14 (20010, 10, 0) (20024, 24, 0)"
    assert out["roundtrip"] == "True 150"
    assert out["corrupt"] == "[(0, 0, 0)]"


def test_steps_before_the_first_sync_belong_to_the_synced_day():
    # Day 0 is "never synced": the first real day relabels what was counted, on both runtimes.
    code = (
        "from cloudpin.daily import DailySteps\n"
        "from host_sim.fakes.memstore import MemStore\n"
        "daily = DailySteps(MemStore())\n"
        "daily.update(0, 120)\n"
        "daily.update(20000, 150)\n"
        "print(daily.day, daily.today, daily.yesterday)\n"
        "daily.update(20001, 160)\n"
        "print(daily.day, daily.today, daily.yesterday)\n")
    assert run_both(code=code) == "20000 150 0\n20001 10 150\n"
