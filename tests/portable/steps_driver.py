# The real LIS3DH driver against the emulated chip, on a hand-wound clock so the unix port and
# CPython see the same samples. Prints what it checks; raises on any failure.
import gc
import time

from cloudpin.drivers.lis3dh import LIS3DH, LIS3DHError
from cloudpin.pedometer import Pedometer

from host_sim.fakes.hw import FakeI2C, FakePin
from host_sim.fakes.lis3dh import FakeLIS3DH
from host_sim.people.replay import load_csv


class Clock:
    def __init__(self):
        self.now = 1000

    def ticks_ms(self):
        return self.now

    def wind(self, ms):
        self.now = time.ticks_add(self.now, ms)


class Still:
    """Lying still, then (from moved_at_ms) tilted and shaken hard."""

    def __init__(self, moved_at_ms=None):
        self.moved_at_ms = moved_at_ms

    def sample(self, t_ms, period_ms):
        if self.moved_at_ms is not None and t_ms >= self.moved_at_ms:
            return (400 if (t_ms // 100) % 2 else -400, 120, 880)
        return (96, -200, 976)


def expect(cond, what):
    if not cond:
        raise AssertionError(what)
    print("ok", what)


def setup(source, addr=0x18):
    clock = Clock()
    i2c = FakeI2C(0)
    pin = FakePin("int1", FakePin.IN)
    chip = FakeLIS3DH(source, int1=pin, clock=clock)
    i2c.attach(addr, chip)
    return clock, i2c, pin, chip


# Identity: nothing at the address, or the wrong chip, is a clear error.
clock, i2c, pin, chip = setup(Still())
try:
    LIS3DH(i2c, 0x19)
    raise AssertionError("no error for an empty address")
except LIS3DHError as exc:
    expect("0x19" in str(exc), "empty address -> LIS3DHError")
chip.regs[0x0F] = 0x44
try:
    LIS3DH(i2c, 0x18)
    raise AssertionError("no error for a wrong WHO_AM_I")
except LIS3DHError as exc:
    expect("0x44" in str(exc), "WHO_AM_I 0x44 -> LIS3DHError")
chip.regs[0x0F] = 0x33

acc = LIS3DH(i2c)
for bad in (12, 200, 0):
    try:
        acc.start(bad)
        raise AssertionError("rate %r accepted" % bad)
    except ValueError:
        pass
print("ok bad rates rejected")

# 12.5 Hz: the chip runs at 25 Hz (ODR field 3) and the driver averages pairs.
acc.start(12.5)
expect(chip.regs[0x20] >> 4 == 3 and chip.regs[0x20] & 0x0F == 0x07, "12.5 Hz -> ODR 25 Hz")
expect(chip.regs[0x2E] >> 6 == 2 and chip.regs[0x24] & 0x40, "FIFO on, stream mode")
expect((chip.regs[0x23] >> 4) & 3 == 1 and chip.regs[0x23] & 0x80, "+-4 g, block update")
got = []


def sink(x, y, z):
    got.append((x, y, z))


clock.wind(400)  # 10 chip samples
n = acc.read_fifo(sink)
expect(n == 5 and len(got) == 5, "10 samples at 25 Hz -> 5 at 12.5 Hz")
expect(got[0] == (96, -200, 976), "values decoded exactly (8 mg steps at 4 g): %r" % (got[0],))
expect(acc.fifo_level() == 0, "one burst read popped the whole FIFO")
expect(not acc.overrun, "no overrun")

# Overrun: 2 s at 25 Hz is 50 samples; the FIFO keeps the newest 32 and says so.
got = []
clock.wind(2000)
n = acc.read_fifo(sink)
expect(acc.overrun and acc.overruns == 1, "overrun flagged")
expect(n == 16 and chip.overruns == 18, "32 kept (16 out), 18 dropped by the chip")
clock.wind(400)
n = acc.read_fifo(sink)
expect(n == 5 and not acc.overrun, "next read is normal again")

# Low power: 8-bit data, 32 mg steps at 4 g.
acc.start(25, low_power=True)
clock.wind(200)
got = []
acc.read_fifo(sink)
expect(chip.regs[0x20] & 0x08, "LPen set")
# 976 mg is 30.5 steps of 32 mg: the chip rounds to 31 (992 mg)
expect(got[0] == (96, -192, 992), "8-bit values: %r" % (got[0],))

# Motion wake: INT1 stays low while still, rises on movement, latches until INT1_SRC is read.
clock, i2c, pin, chip = setup(Still(moved_at_ms=3000))
acc = LIS3DH(i2c)
acc.start(25)
acc.wake_on_motion(threshold_mg=96, duration_ms=100)
expect(chip.regs[0x20] >> 4 == 2 and chip.regs[0x20] & 0x08, "wake mode: 10 Hz low power")
expect(chip.regs[0x22] == 0x40 and chip.regs[0x30] == 0x2A, "IA1 on INT1, X/Y/Z high events")
for _ in range(25):
    clock.wind(100)
    chip.update()
expect(pin.value() == 0, "still: INT1 low")
for _ in range(10):
    clock.wind(100)
    chip.update()
expect(pin.value() == 1, "moving: INT1 high")
src = acc.motion_source()
expect(src & 0x40, "INT1_SRC says IA")
expect(pin.value() == 0, "reading INT1_SRC releases INT1")

# A recording through the chip and the driver counts what feeding it directly counts.
del clock, i2c, pin, chip, acc
got = None
gc.collect()
rec = load_csv("tests/data/steps_lanyard_walk_25hz.csv")
direct = Pedometer(25)
for i in range(len(rec)):
    direct.feed(rec.xs[i], rec.ys[i], rec.zs[i])
clock, i2c, pin, chip = setup(rec)
acc = LIS3DH(i2c)
acc.start(25)
chip.restart(clock.now)
ped = Pedometer(25)
feed = ped.feed
total = 0
while total < len(rec) - 1:
    clock.wind(640)  # the service's poll: 16 samples
    total += acc.read_fifo(feed)
expect(ped.steps == direct.steps, "through the chip %d == direct %d" % (ped.steps, direct.steps))
print("true", rec.true_steps(), "counted", ped.steps)
