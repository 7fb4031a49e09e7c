"""Make CPython look enough like MicroPython for firmware/ to run unchanged, on virtual time.

Here: install() (below), clock.py (ticks with MicroPython's wrap-around, virtual or real),
scheduler.py (a discrete-event asyncio loop on the virtual clock: Simulation), shims/
(CPython stand-ins for `micropython` and `framebuf`), portable.py (run a script as the unix
port would, on CPython). May import only host_sim.paths and itself.

install() is idempotent. It adds, without touching anything CPython already has:
- modules `micropython` and `framebuf` (host_sim.runtime.shims), `ure` (CPython's re),
- time.ticks_ms/ticks_us/ticks_add/ticks_diff/sleep_ms/sleep_us, reading host_sim.runtime.clock's
  current clock (virtual inside a Simulation), with MicroPython's 2**30 wrap-around,
- asyncio.sleep_ms, asyncio.wait_for_ms and asyncio.ThreadSafeFlag,
- firmware/ on sys.path, so `import cloudpin` finds the pin's package.
"""

import asyncio
import sys
import time

from host_sim.paths import FIRMWARE_DIR
from host_sim.runtime import clock as _clock

_installed = False


class ThreadSafeFlag:
    """MicroPython's asyncio.ThreadSafeFlag: set() from an IRQ, one waiter wakes and clears."""

    def __init__(self):
        self._event = asyncio.Event()

    def set(self):
        self._event.set()

    def clear(self):
        self._event.clear()

    async def wait(self):
        await self._event.wait()
        self._event.clear()


def _sleep_ms(ms):
    return asyncio.sleep(ms / 1000)


def _wait_for_ms(aw, timeout_ms):
    return asyncio.wait_for(aw, timeout_ms / 1000)


def _ticks_ms():
    return _clock.current().ticks_ms()


def _ticks_us():
    return _clock.current().ticks_us()


def _sleep_ms_blocking(ms):
    _clock.current().sleep_us(ms * 1000)


def _sleep_us_blocking(us):
    _clock.current().sleep_us(us)


def install():
    global _installed
    if _installed:
        return
    from host_sim.runtime.shims import framebuf, micropython

    sys.modules.setdefault("micropython", micropython)
    sys.modules.setdefault("framebuf", framebuf)
    # micropython-qr imports MicroPython's `ure` name; CPython's re does what it uses.
    import re

    sys.modules.setdefault("ure", re)
    time.ticks_ms = _ticks_ms
    time.ticks_us = _ticks_us
    time.ticks_add = _clock.ticks_add
    time.ticks_diff = _clock.ticks_diff
    time.sleep_ms = _sleep_ms_blocking
    time.sleep_us = _sleep_us_blocking
    asyncio.sleep_ms = _sleep_ms
    asyncio.wait_for_ms = _wait_for_ms
    asyncio.ThreadSafeFlag = ThreadSafeFlag
    if FIRMWARE_DIR not in sys.path:
        sys.path.insert(0, FIRMWARE_DIR)
    _installed = True
