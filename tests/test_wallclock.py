"""The pin's wall clock: synced by the companion, then carried by ticks."""

import pytest
from cloudpin.wallclock import WallClock

from host_sim.runtime import clock
from host_sim.runtime.scheduler import Simulation
from tests.crossrt import run_both

NOON_UTC = 1_763_899_200  # 2025-11-23 12:00:00 UTC


def test_before_the_first_sync_there_is_no_time():
    wc = WallClock()
    assert wc.now() is None and wc.day() is None and not wc.synced


def test_runs_for_days_across_the_ticks_wrap():
    with Simulation(start_ticks_ms=clock.TICKS_MAX - 10_000) as sim:
        wc = WallClock()
        wc.sync(NOON_UTC, utc_offset_s=3600)
        day0 = wc.day()
        for hour in range(1, 24 * 8 + 1):  # eight days, read hourly as the app would
            sim.run_for(3600)
            assert wc.now() == NOON_UTC + hour * 3600
        assert wc.day() == day0 + 8
    assert day0 == (NOON_UTC + 3600) // 86400


def test_local_midnight_depends_on_the_offset():
    with Simulation() as sim:
        wc = WallClock()
        wc.sync(NOON_UTC + 11 * 3600, utc_offset_s=-3600)  # 23:00 UTC, 22:00 local
        d = wc.day()
        sim.run_for(3600)
        assert wc.day() == d  # 23:00 local
        sim.run_for(3600)
        assert wc.day() == d + 1


@pytest.mark.parametrize("unix_s, offset", [(0, 0), (5_000_000_000, 0), (NOON_UTC, 15 * 3600)])
def test_implausible_syncs_are_refused(unix_s, offset):
    wc = WallClock()
    with pytest.raises(ValueError):
        wc.sync(unix_s, offset)
    assert not wc.synced


def test_same_answers_on_the_unix_port():
    code = (
        "from cloudpin.wallclock import WallClock\n"
        "w = WallClock()\n"
        "print(w.now(), w.day())\n"
        f"w.sync({NOON_UTC}, 7200)\n"
        f"print(w.now() - {NOON_UTC} < 5, w.day(), w.utc_offset_s)\n"
        "try:\n"
        "    w.sync(12, 0)\n"
        "except ValueError as e:\n"
        "    print('refused', e)\n")
    out = run_both(code=code)
    assert out.splitlines()[1] == f"True {(NOON_UTC + 7200) // 86400} 7200"
