"""The pin's application: asyncio tasks wired to one Board.

    app = App(board)
    asyncio.run(app.run())            # on the pin: forever
    await app.run(duration_ms=60000)  # tests and the simulator: a bounded run

Each service (radio, display, pedometer, storage, ...) is a task started here with the parts
of the board it needs; a board without a part leaves that service off.
"""

import asyncio
import gc
import time

from micropython import const

_HEARTBEAT_MS = const(1000)


class Stats:
    def __init__(self):
        self.uptime_ms = 0
        self.heartbeats = 0
        self.heap_peak = 0


class App:
    def __init__(self, board):
        self.board = board
        self.stats = Stats()
        self._stop = False

    def _sample_heap(self):
        alloc = getattr(gc, "mem_alloc", None)
        if alloc is not None:
            used = alloc()
            if used > self.stats.heap_peak:
                self.stats.heap_peak = used

    async def _heartbeat(self):
        # Keeps uptime and the heap high-water mark; services report through self.stats.
        stats = self.stats
        while not self._stop:
            await asyncio.sleep_ms(_HEARTBEAT_MS)
            stats.heartbeats += 1
            stats.uptime_ms = time.ticks_diff(time.ticks_ms(), self._boot_ticks)
            self._sample_heap()

    def stop(self):
        self._stop = True

    async def run(self, duration_ms=None):
        # Read here, not in __init__: constructing an App reads no clock.
        self._boot_ticks = time.ticks_ms()
        self.board.log("cloudpin: boot on board", self.board.name)
        self._sample_heap()
        tasks = [asyncio.create_task(self._heartbeat())]
        if duration_ms is None:
            await asyncio.gather(*tasks)
            return
        await asyncio.sleep_ms(duration_ms)
        await asyncio.sleep_ms(0)  # what is due at the very end still runs
        self.stop()
        for task in tasks:
            task.cancel()
        self.stats.uptime_ms = time.ticks_diff(time.ticks_ms(), self._boot_ticks)
