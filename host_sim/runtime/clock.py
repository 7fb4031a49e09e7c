"""Clocks with MicroPython's ticks semantics, virtual or real.

MicroPython's ticks_ms/ticks_us count modulo 2**30 (TICKS_PERIOD) and must only be compared
with ticks_diff. Firmware reads `time.ticks_ms()`; under CPython host_sim.runtime makes that
call read the *current* clock below: a RealClock by default, a VirtualClock while a
simulation runs. A VirtualClock only moves when something advances it (the simulation's event
loop jumping to its next timer, or a blocking time.sleep_ms in a driver), so an hour of a crowd
runs in seconds and identically for the same seed.
"""

import time as _time

TICKS_PERIOD = 1 << 30
TICKS_MAX = TICKS_PERIOD - 1
_TICKS_HALF = TICKS_PERIOD // 2


def ticks_add(ticks, delta):
    return (ticks + delta) & TICKS_MAX


def ticks_diff(end, start):
    # Signed difference in (-PERIOD/2, PERIOD/2], exactly MicroPython's definition.
    return ((end - start + _TICKS_HALF) & TICKS_MAX) - _TICKS_HALF


class VirtualClock:
    """Integer microseconds since the simulation started; never moves by itself.

    start_ticks_ms sets where ticks_ms begins, so a test can start just before the 2**30
    wrap-around on purpose.
    """

    virtual = True

    def __init__(self, start_ticks_ms=0):
        self.elapsed_us = 0
        self._origin_us = (start_ticks_ms & TICKS_MAX) * 1000

    def advance_us(self, us):
        if us < 0:
            raise ValueError("a clock cannot go backwards")
        self.elapsed_us += int(us)

    def advance_to_us(self, elapsed_us):
        if elapsed_us > self.elapsed_us:
            self.elapsed_us = int(elapsed_us)

    def seconds(self):
        """Elapsed virtual seconds as a float (the event loop's time base)."""
        return self.elapsed_us / 1e6

    def ticks_ms(self):
        return ((self._origin_us + self.elapsed_us) // 1000) & TICKS_MAX

    def ticks_us(self):
        return (self._origin_us + self.elapsed_us) & TICKS_MAX

    def sleep_us(self, us):
        # A blocking sleep in firmware (e.g. a reset pulse) holds up everything, as on the pin.
        self.advance_us(us)


class RealClock:
    """Ticks from the host's monotonic clock, for code run outside a simulation."""

    virtual = False

    def __init__(self):
        self._t0 = _time.monotonic_ns()

    def seconds(self):
        return (_time.monotonic_ns() - self._t0) / 1e9

    def ticks_ms(self):
        return ((_time.monotonic_ns() - self._t0) // 1_000_000) & TICKS_MAX

    def ticks_us(self):
        return ((_time.monotonic_ns() - self._t0) // 1_000) & TICKS_MAX

    def sleep_us(self, us):
        _time.sleep(us / 1e6)


_current = RealClock()


def current():
    return _current


def set_current(clock):
    """Make `clock` the one time.ticks_* read; returns the previous one."""
    global _current
    previous, _current = _current, clock
    return previous
