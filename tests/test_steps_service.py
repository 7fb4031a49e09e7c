"""The step service in the simulator: a simulated board with the emulated LIS3DH on its I2C
bus, fed by generated walking; virtual time, so minutes run in a second."""

from host_sim import runtime
from host_sim.people import motion

runtime.install()

from cloudpin.steps import StepService  # noqa: E402

from host_sim.fakes.board import sim_board  # noqa: E402
from host_sim.fakes.lis3dh import FakeLIS3DH, attach  # noqa: E402
from host_sim.fakes.memstore import MemStore as DictStore  # noqa: E402
from host_sim.runtime.scheduler import Simulation  # noqa: E402


def run_service(source, seconds, rate_hz=25, idle_ms=120000, board_i2c=True, day=lambda: 100):
    logs = []
    board = sim_board(log=lambda *a: logs.append(" ".join(str(x) for x in a)))
    store = DictStore()
    sim = Simulation(start_ticks_ms=(1 << 30) - 20000)  # wraps ticks during the run
    try:
        if board_i2c:
            chip = attach(board, source)
        else:
            chip = FakeLIS3DH(source, int1=board.accel_int)  # on no bus at all
        sim.spawn(chip.run())
        svc = StepService(board, store, day, rate_hz=rate_hz, idle_ms=idle_ms)
        woke = []
        svc.on_motion = lambda: woke.append(sim.now_s)
        sim.spawn(svc.run())
        sim.run_for(seconds)
    finally:
        sim.close()
    return svc, store, logs, woke


def test_counts_walking_through_driver_and_chip():
    m = motion.walking(21, "chest", "walk", duration_s=180)
    svc, store, logs, woke = run_service(m, 185)
    true = len(m.step_times_ms)
    assert abs(svc.daily.today - true) <= 0.05 * true, (svc.daily.today, true)
    assert svc.gaps == 0 and svc.accel.overruns == 0
    assert b'"day": 100' in store.files["steps.json"]


def test_sleeps_when_still_and_wakes_on_motion():
    m = motion.walking(22, "lanyard", "walk", duration_s=240)
    svc, store, logs, woke = run_service(m, 245, rate_hz=12.5, idle_ms=5000)
    true = len(m.step_times_ms)
    assert svc.wakes >= 1 and len(woke) == svc.wakes
    # Each wake costs the steps before the pin noticed it moved and re-confirmed a bout.
    assert 0.85 * true <= svc.daily.today <= true, (svc.daily.today, true)


def test_board_without_accelerometer_logs_and_stays_off():
    m = motion.walking(23, "chest", "walk", duration_s=10)
    svc, store, logs, woke = run_service(m, 5, board_i2c=False)
    assert svc.accel is None
    assert any("accelerometer unusable" in line for line in logs), logs


def test_survives_the_accelerometer_dropping_off_the_bus():
    m = motion.walking(24, "chest", "walk", duration_s=200)
    logs = []
    board = sim_board(log=lambda *a: logs.append(" ".join(str(x) for x in a)))
    sim = Simulation()
    try:
        chip = attach(board, m)
        sim.spawn(chip.run())
        svc = StepService(board, DictStore(), lambda: 100, rate_hz=50)
        sim.spawn(svc.run())
        sim.run_for(60)
        before = svc.daily.today
        board.i2c.detach(0x18)  # the breakout's connector works loose ...
        sim.run_for(10)
        board.i2c.attach(0x18, chip)  # ... and is pushed back
        sim.run_for(130)
    finally:
        sim.close()
    assert svc.bus_errors >= 1
    assert sum("read failed" in line for line in logs) == 1, logs  # logged once
    # Steps during the outage are lost; counting resumed after it.
    true_after_outage = sum(1 for t in m.step_times_ms if t >= 70000)
    true_since_before = sum(1 for t in m.step_times_ms if t >= 60000)
    counted_after = svc.daily.today - before
    assert before > 0
    assert 0.9 * true_after_outage <= counted_after <= true_since_before, (
        counted_after, true_after_outage, true_since_before)


def test_in_hand_and_stirred_through_driver_and_chip_and_none_without_a_sensor():
    import asyncio

    m = motion.tap_gesture(5, "lanyard", duration_s=30, lift_at_ms=10000, hold_ms=3000)
    start, _out, back, _end = m.tap
    seen = []
    board = sim_board()
    sim = Simulation()
    try:
        chip = attach(board, m)
        sim.spawn(chip.run())
        svc = StepService(board, DictStore(), lambda: 100)
        assert svc.in_hand() is None  # not opened yet: the radio goes by RSSI alone

        async def watch():
            while True:
                seen.append((sim.now_s * 1000, svc.in_hand(), svc.stirred()))
                await asyncio.sleep_ms(100)

        sim.spawn(svc.run())
        sim.spawn(watch())
        sim.run_for(30)
    finally:
        sim.close()
    before = [(h, st) for t, h, st in seen if 1000 < t < start]
    during = [(h, st) for t, h, st in seen if start + 1600 < t < back]
    after = [(h, st) for t, h, st in seen if t > back + 1500 + 6000]  # the 1 s latch long over
    assert before and all(v == (False, False) for v in before)
    assert during and all(v == (True, True) for v in during)
    assert after and all(v == (False, False) for v in after)
    bare, *_ = run_service(m, 2, board_i2c=False)
    assert bare.in_hand() is None and bare.stirred() is None  # no accelerometer at all
