"""The simulator's virtual clock and event loop."""

import asyncio
import random
import time

import pytest

from host_sim.runtime import clock
from host_sim.runtime.scheduler import Simulation, SimulationStalled


def _crowd_trace(seed, tasks=50, seconds=3600):
    trace = []

    async def pin(i, rng):
        while True:
            await asyncio.sleep_ms(rng.randint(1, 30000))
            trace.append((time.ticks_ms(), i))

    with Simulation() as sim:
        for i in range(tasks):
            sim.spawn(pin(i, random.Random(seed * 1000 + i)))
        sim.run_for(seconds)
        assert sim.now_s == pytest.approx(seconds)
    return trace


def test_an_hour_of_many_tasks_is_deterministic_for_a_seed():
    first = _crowd_trace(seed=7)
    assert len(first) > 50 * 100  # each task woke many times in the virtual hour
    assert first == _crowd_trace(seed=7)
    assert first != _crowd_trace(seed=8)


def test_ticks_follow_the_virtual_clock_and_wrap_at_2_pow_30():
    with Simulation(start_ticks_ms=clock.TICKS_MAX - 499) as sim:
        start = time.ticks_ms()
        assert start == clock.TICKS_MAX - 499
        sim.run_for(1.0)
        now = time.ticks_ms()
        assert now == 500  # wrapped
        assert time.ticks_diff(now, start) == 1000
        assert time.ticks_diff(start, now) == -1000
        assert time.ticks_add(start, 1000) == now


def test_a_firmware_task_keeps_its_period_across_the_wrap():
    # A deadline loop written the MicroPython way: ticks_add for the deadline, ticks_diff to
    # compare, never plain arithmetic on ticks.
    fired = []

    async def every_250ms():
        deadline = time.ticks_add(time.ticks_ms(), 250)
        while True:
            wait = time.ticks_diff(deadline, time.ticks_ms())
            if wait > 0:
                await asyncio.sleep_ms(wait)
            fired.append(time.ticks_ms())
            deadline = time.ticks_add(deadline, 250)

    with Simulation(start_ticks_ms=clock.TICKS_MAX - 1000) as sim:
        sim.spawn(every_250ms())
        sim.run_for(3.1)
    assert len(fired) == 12
    gaps = [time.ticks_diff(b, a) for a, b in zip(fired, fired[1:], strict=False)]
    assert gaps == [250] * 11
    assert fired[0] > fired[-1]  # the run really crossed the wrap


def test_blocking_sleep_in_a_driver_advances_virtual_time():
    async def reset_pulse():
        time.sleep_ms(10)  # as a driver's reset pulse would

    with Simulation() as sim:
        t0 = time.ticks_ms()
        sim.run_until_complete(reset_pulse())
        assert time.ticks_diff(time.ticks_ms(), t0) == 10


def test_a_dying_task_fails_the_run():
    async def broken():
        await asyncio.sleep_ms(100)
        raise ValueError("bad advert")

    with Simulation() as sim:
        sim.spawn(broken())
        with pytest.raises(ValueError, match="bad advert"):
            sim.run_for(1)


def test_waiting_for_something_that_never_comes_is_reported():
    with Simulation() as sim:
        with pytest.raises(SimulationStalled):
            sim.run_until_complete(asyncio.Event().wait())


def test_thread_safe_flag_wakes_a_waiter_once():
    woke = []

    async def waiter(flag):
        while True:
            await flag.wait()
            woke.append(time.ticks_ms())

    with Simulation() as sim:
        flag = asyncio.ThreadSafeFlag()
        sim.spawn(waiter(flag))
        sim.loop.call_later(0.5, flag.set)
        sim.loop.call_later(0.7, flag.set)
        sim.run_for(1)
    assert [time.ticks_diff(t, woke[0]) for t in woke] == [0, 200]


def test_outside_a_simulation_ticks_are_real():
    assert not clock.current().virtual
    a = time.ticks_ms()
    time.sleep_ms(2)
    assert time.ticks_diff(time.ticks_ms(), a) >= 2
