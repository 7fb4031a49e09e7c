"""A discrete-event asyncio loop on virtual time.

CPython's own asyncio runs the firmware's tasks (MicroPython's asyncio is a subset of it);
only the selector differs. Where a normal loop would block in select() until the next timer,
this one moves the VirtualClock to that timer and returns at once. No real I/O exists in a
simulation, so time only passes when every task is waiting: many pins share one loop and one
clock, and a run is deterministic for a given seed (ready callbacks run in FIFO order, timers
in order of deadline, then of scheduling).
"""

import asyncio
import selectors

from host_sim.runtime import clock as _clock


class SimulationStalled(RuntimeError):
    """Every task waits on something that no timer or task will ever set."""


class _VirtualSelector(selectors.BaseSelector):
    def __init__(self, vclock):
        self._clock = vclock
        self._keys = {}

    def register(self, fileobj, events, data=None):
        fd = fileobj if isinstance(fileobj, int) else fileobj.fileno()
        key = selectors.SelectorKey(fileobj, fd, events, data)
        self._keys[fd] = key
        return key

    def unregister(self, fileobj):
        fd = fileobj if isinstance(fileobj, int) else fileobj.fileno()
        return self._keys.pop(fd)

    def select(self, timeout=None):
        if timeout is None:
            raise SimulationStalled(
                "simulation stalled: every task is waiting and no timer is pending")
        if timeout > 0:
            # Land exactly on the timer's microsecond: rounding (not ceil) keeps float noise
            # from adding a microsecond per sleep; the loop counts a timer within half a
            # microsecond as due (VirtualEventLoop._clock_resolution).
            self._clock.advance_us(max(1, round(timeout * 1e6)))
        return []

    def get_map(self):
        return self._keys

    def close(self):
        self._keys.clear()


class VirtualEventLoop(asyncio.SelectorEventLoop):
    def __init__(self, vclock):
        self.clock = vclock
        super().__init__(_VirtualSelector(vclock))
        self._clock_resolution = 0.5e-6
        self._failure = None
        self.set_exception_handler(self._on_exception)

    def time(self):
        return self.clock.seconds()

    def _on_exception(self, loop, context):
        # A firmware task that dies must fail the simulation, not print and carry on.
        if self._failure is None:
            self._failure = context.get("exception") or RuntimeError(context.get("message"))

    def raise_failure(self):
        if self._failure is not None:
            failure, self._failure = self._failure, None
            raise failure


class Simulation:
    """Owns a VirtualClock and the loop that runs every simulated pin's tasks.

        sim = Simulation(start_ticks_ms=0)
        sim.spawn(app.run())
        sim.run_for(60)          # 60 virtual seconds
        sim.close()

    While a Simulation is active (between construction and close), time.ticks_* in this
    process read its clock.
    """

    def __init__(self, start_ticks_ms=0):
        from host_sim import runtime

        runtime.install()
        self.clock = _clock.VirtualClock(start_ticks_ms)
        self.loop = VirtualEventLoop(self.clock)
        self._previous_clock = _clock.set_current(self.clock)
        self._tasks = []

    @property
    def now_s(self):
        return self.clock.seconds()

    def spawn(self, coro):
        task = self.loop.create_task(coro)
        task.add_done_callback(self._task_done)
        self._tasks.append(task)
        return task

    def _task_done(self, task):
        if not task.cancelled() and task.exception() is not None:
            self.loop._on_exception(self.loop, {"exception": task.exception()})
            self.loop.stop()

    def run_for(self, seconds, progress=None, step_s=None):
        """Run every task for `seconds` of virtual time. `progress(done_s, total_s)` is called
        every `step_s` virtual seconds (default: a hundredth of the run)."""
        end = self.clock.seconds() + seconds
        step = step_s or max(seconds / 100.0, 1e-3)
        while True:
            remaining = end - self.clock.seconds()
            if remaining <= 0:
                break
            self._run(asyncio.sleep(min(step, remaining)))
            self._settle()
            if progress is not None:
                progress(seconds - max(0.0, end - self.clock.seconds()), seconds)

    def _settle(self):
        # Let every task woken at this very instant run before control returns: "run for 60 s"
        # includes what is due at 60 s, whatever order the timers were made in.
        for _ in range(1000):
            if not self.loop._ready:
                return
            self._run(asyncio.sleep(0))

    def run_until_complete(self, coro):
        return self._run(coro)

    def _run(self, coro):
        try:
            result = self.loop.run_until_complete(coro)
        except RuntimeError:
            # The loop was stopped because a task died: raise that task's error instead.
            self.loop.raise_failure()
            raise
        self.loop.raise_failure()
        return result

    def close(self):
        for task in self._tasks:
            task.cancel()
        try:
            self.loop.run_until_complete(asyncio.sleep(0))
        finally:
            self.loop.close()
            _clock.set_current(self._previous_clock)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
