"""The step-counting service: accelerometer -> pedometer -> daily totals, sleeping the sensor
in low-power motion-wake mode while the pin lies still.

    steps = StepService(board, store, day_fn)      # day_fn() -> local day number (int)
    asyncio.create_task(steps.run())
    steps.daily.today / .yesterday / .lifetime     # for the display and the companion
    steps.on_motion = callback                     # called when the pin wakes up moving
    steps.in_hand()                                # True/False: is the pin in hand? None: no sensor

Every poll (about half the FIFO at the sampling rate, so nothing overflows) the FIFO is read in
one burst into Pedometer.feed and Handheld.feed (is the pin in someone's hand? the radio asks),
and the new total goes to DailySteps. When no step-like swing has been seen for idle_ms, the
sensor switches to 10 Hz low-power motion wake and the task waits on INT1; the first movement
wakes it (and calls on_motion, e.g. to wake the radio), the pedometer and the handheld
detector are told about the gap, and counting resumes. A missing or broken accelerometer
is logged once and the service stays off; read errors later on (a bus glitch) lose those
samples, are logged once and counted in bus_errors, and the sensor is restarted.
"""

import asyncio

from micropython import const

from cloudpin.daily import DailySteps
from cloudpin.drivers.lis3dh import LIS3DH, RATES
from cloudpin.handheld import Handheld
from cloudpin.pedometer import Pedometer

# The sensor sleeps (motion wake) only after 10 min without a step: its 25 Hz costs ~5 uA
# more than the wake mode, nothing beside the ESP32's 40 mA, while every wake loses the
# first seconds of a walk (measured in the simulator: 20 s walks after 200 s pauses kept 22
# of 58 steps with a 2 min idle, 54 of 58 with 10 min). 64 mg wakes on the first steps.
_IDLE_MS = const(600000)
_WAKE_MG = const(64)
_RETRY_MS = const(2000)


class StepService:
    def __init__(self, board, store, day_fn, rate_hz=25, idle_ms=_IDLE_MS, wake_mg=_WAKE_MG):
        if rate_hz not in RATES:
            raise ValueError("step rate %r Hz: one of %s" % (rate_hz, sorted(RATES)))
        self.board = board
        self.day_fn = day_fn
        self.rate_hz = rate_hz
        self.idle_ms = idle_ms
        self.wake_mg = wake_mg
        self.daily = DailySteps(store, log=board.log)
        self.pedometer = Pedometer(rate_hz)
        self.handheld = Handheld(rate_hz)
        self.accel = None
        self.on_motion = _no_motion  # the app's: called when the pin wakes up moving
        self.sleeping = False
        self._streaming = False
        self.wakes = 0
        self.gaps = 0
        self.bus_errors = 0
        self._flag = None
        self._irq_handler = self._irq  # bound once: no allocation in the IRQ
        self._feed = self._feed_both  # bound once: the FIFO loop calls it per sample

    def _feed_both(self, x, y, z):
        self.pedometer.feed(x, y, z)
        self.handheld.feed(x, y, z)

    def _gap(self):
        # Samples were lost: neither consumer may join the two sides of the gap.
        self.pedometer.gap()
        self.handheld.gap()

    def in_hand(self):
        """Whether the pin is in someone's hand as for a tap (picked up in the last few
        seconds: cloudpin.handheld's `fresh`); None without a working sensor. False while
        the sensor sleeps: the pin has been still for idle_ms."""
        return self._sensed(self.handheld.fresh)

    def stirred(self):
        """Whether the wearer tilted the pin lately (a lean-in; with neither pin in hand a
        tap needs it); None and False as for in_hand()."""
        return self._sensed(self.handheld.stirred)

    def _sensed(self, value):
        if self.accel is None or (self.bus_errors and not self._streaming):
            return None  # no sensor, or it stopped answering: the radio goes by RSSI alone
        if self.sleeping:
            return False
        return bool(value)

    def _irq(self, pin):
        flag = self._flag
        if flag is not None:
            flag.set()

    def _open(self):
        board = self.board
        if board.i2c is None:
            board.log("steps: no accelerometer on this board; step counting off")
            return None
        addr = (board.part("accel") or {}).get("addr", 0x18)
        try:
            self.accel = LIS3DH(board.i2c, addr)
        except OSError as exc:
            board.log("steps: accelerometer unusable, step counting off:", exc)
            return None
        return self.accel

    async def run(self):
        acc = self._open()
        if acc is None:
            return
        ped = self.pedometer
        feed = self._feed
        # 16 chip samples: half the FIFO, a safe margin for a busy event loop.
        poll_ms = 16 * 1000 // RATES[self.rate_hz][0]
        samples_per_idle = self.idle_ms * self.rate_hz // 1000
        try:
            await self._restart(acc)
            quiet = 0
            last_candidates = ped.candidates
            while True:
                await asyncio.sleep_ms(poll_ms)
                try:
                    n = acc.read_fifo(feed)
                except OSError as exc:
                    # A glitch on the bus (ESD, a loose breakout): the samples are lost, not
                    # the service. Start the chip again once it answers.
                    self.bus_errors += 1
                    if self.bus_errors == 1:
                        self.board.log("steps: accelerometer read failed, retrying:", exc)
                    self._gap()
                    await self._restart(acc)
                    continue
                if acc.overrun:
                    self._gap()
                    self.gaps += 1
                self.daily.update(self.day_fn(), ped.steps)
                if ped.candidates != last_candidates:
                    last_candidates = ped.candidates
                    quiet = 0
                else:
                    quiet += n
                if self.board.accel_int is not None and quiet >= samples_per_idle:
                    try:
                        await self._sleep_until_motion(acc, self.board.accel_int)
                    except OSError:
                        self.bus_errors += 1
                    await self._restart(acc)
                    self._gap()
                    quiet = 0
        finally:
            self.daily.flush()

    async def _restart(self, acc):
        """(Re)start streaming; while the chip does not answer, retry every few seconds."""
        self._streaming = False
        while True:
            try:
                acc.start(self.rate_hz)
                self._streaming = True
                return
            except OSError:
                self.bus_errors += 1
                await asyncio.sleep_ms(_RETRY_MS)

    async def _sleep_until_motion(self, acc, pin):
        self.daily.flush()
        flag = self._flag
        if flag is None:
            flag = self._flag = asyncio.ThreadSafeFlag()
        self.sleeping = True
        acc.wake_on_motion(self.wake_mg)
        pin.irq(handler=self._irq_handler, trigger=pin.IRQ_RISING)
        try:
            if not pin.value():  # an edge before the handler was set would be missed
                await flag.wait()
        finally:
            pin.irq(handler=None)
            acc.motion_source()  # release the latched INT1
            self.sleeping = False
        self.wakes += 1
        self.on_motion()


def _no_motion():
    pass
