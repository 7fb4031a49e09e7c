# The step service on real asyncio (MicroPython's on the unix port, CPython's here too) and
# the real clock: the pin lies still, the service puts the sensor into motion-wake mode, the
# pin is picked up, INT1 fires through the pin IRQ and ThreadSafeFlag, counting resumes.
# Asserts the order of events only, never how long anything took.
import asyncio
import time

from cloudpin.steps import StepService

from host_sim.fakes.board import sim_board
from host_sim.fakes.lis3dh import attach
from host_sim.fakes.memstore import MemStore as Store


class PickedUp:
    """Still until `moving` is set, then shaken."""

    def __init__(self):
        self.moving = False

    def sample(self, t_ms, period_ms):
        if self.moving:
            return (500 if (t_ms // 80) % 2 else -500, 0, 1000)
        return (0, 16, 1000)


async def main():
    board = sim_board(log=lambda *a: None)
    source = PickedUp()
    chip = attach(board, source)
    ticker = asyncio.create_task(chip.run())
    svc = StepService(board, Store(), lambda: 7, rate_hz=25, idle_ms=600)
    woke = []
    svc.on_motion = lambda: woke.append(1)
    task = asyncio.create_task(svc.run())
    t0 = time.ticks_ms()
    while not svc.sleeping and time.ticks_diff(time.ticks_ms(), t0) < 20000:
        await asyncio.sleep_ms(50)
    print("asleep", svc.sleeping, "wake mode ODR", chip.odr_hz(), "LPen", chip.regs[0x20] >> 3 & 1)
    source.moving = True
    t0 = time.ticks_ms()
    while not woke and time.ticks_diff(time.ticks_ms(), t0) < 20000:
        await asyncio.sleep_ms(50)
    await asyncio.sleep_ms(100)
    print("woke", len(woke), "sleeping", svc.sleeping, "streaming ODR", chip.odr_hz(),
          "FIFO mode", chip.regs[0x2E] >> 6)
    task.cancel()
    ticker.cancel()
    await asyncio.sleep_ms(0)


asyncio.run(main())
