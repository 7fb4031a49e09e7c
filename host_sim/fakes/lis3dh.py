"""An emulated ST LIS3DH behind FakeI2C, fed by a motion source.

    chip = FakeLIS3DH(source, int1=board.accel_int)   # source.sample(t_ms, period_ms)
    board.i2c.attach(0x18, chip)
    chip = attach(board, source)                      # the same, at the board's address

What is emulated (datasheet register map): WHO_AM_I (0x33), CTRL_REG1-6, REFERENCE, STATUS,
OUT_X/Y/Z (left-justified 16 bit, 8/10/12-bit resolution for low-power/normal/high-resolution,
full scale 2-16 g, saturating), FIFO_CTRL (bypass, FIFO, stream; stream-to-FIFO is treated as
stream) and FIFO_SRC (WTM, OVRN_FIFO when 32 samples are stored, EMPTY, FSS), the 32-level
FIFO with overrun (stream mode drops the oldest), burst reads with the sub-address MSB
(auto-increment; in FIFO mode OUT_Z_H wraps to OUT_X_L and pops one sample), and the INT1
motion interrupt (INT1_CFG OR/AND of high/low events, INT1_THS, INT1_DURATION, latching with
LIR_INT1, the IA1 high-pass from CTRL_REG2, polarity from CTRL_REG6) driving a FakePin.
Not emulated: click, 6D, INT2, temperature/ADC, self-test, the FIFO watermark/overrun
interrupts on INT1 (writes are stored and ignored).

Time: the chip samples at its ODR on time.ticks_ms(); it catches up on every register access
(update()), and `run()` is a task that keeps it ticking (and INT1 moving) in a simulation.
A source's time starts at 0 when the chip is created (or at restart(t0)).

Common MicroPython subset: runs on the unix port, so the real driver is tested there too.
"""

import time

_ODR_HZ = (0, 1, 10, 25, 50, 100, 200, 400, 1600, 1344)
# Sensitivity in mg/digit per full-scale setting (datasheet table 4), by resolution.
_SENS_MG = {12: (1, 2, 4, 12), 10: (4, 8, 16, 48), 8: (16, 32, 64, 192)}
_THS_MG = (16, 32, 62, 186)
_MAX_CATCH_UP = 64  # samples; beyond that only the newest matter (FIFO depth 32)


class FakeLIS3DH:
    def __init__(self, source, int1=None, noise_mg=0, seed=1, clock=None):
        # clock: anything with ticks_ms(); the time module by default (virtual in a
        # Simulation). Tests on the unix port pass a hand-wound clock.
        self.clock = clock or time
        self.source = source
        self.int1 = int1
        self.regs = bytearray(0x40)
        self.regs[0x0F] = 0x33
        self.regs[0x20] = 0x07  # power-down, axes enabled (reset value)
        self.fifo = []
        self.overruns = 0  # samples dropped by stream mode (for tests)
        self.samples_taken = 0
        self._out = (0, 0, 0)      # latest sample, raw counts before justification
        self._t0 = self.clock.ticks_ms()
        self._next = None          # ticks of the next sample, None while powered down
        self._noise = noise_mg
        self._rng = seed & 0x7FFFFFFF or 1
        self._hp = [0, 0, 0]       # high-pass reference (mg << 8) for the IA1 path
        self._hp_init = False
        self._ia_count = 0
        self._ia = False
        self._int1_src = 0

    def restart(self, t0_ms=None):
        self._t0 = self.clock.ticks_ms() if t0_ms is None else t0_ms

    # -- configuration decoded from registers ---------------------------------------------

    def odr_hz(self):
        return _ODR_HZ[self.regs[0x20] >> 4] if (self.regs[0x20] >> 4) < len(_ODR_HZ) else 0

    def _mode_bits(self):
        lp = self.regs[0x20] & 0x08
        hr = self.regs[0x23] & 0x08
        if lp:
            return 8
        return 12 if hr else 10

    def _fifo_mode(self):
        if not self.regs[0x24] & 0x40:
            return 0
        return self.regs[0x2E] >> 6

    # -- sampling ---------------------------------------------------------------------------

    def _rand(self):
        # A small LCG so noise is identical on CPython and the unix port.
        self._rng = (self._rng * 1103515245 + 12345) & 0x7FFFFFFF
        return self._rng

    def update(self):
        """Take every sample due up to now."""
        odr = self.odr_hz()
        now = self.clock.ticks_ms()
        if odr == 0 or odr > 400:
            self._next = None
            return
        period = 1000 // odr
        if self._next is None:
            self._next = time.ticks_add(now, period)
            return
        behind = time.ticks_diff(now, self._next) // period + 1
        if behind > _MAX_CATCH_UP:
            self._next = time.ticks_add(self._next, (behind - _MAX_CATCH_UP) * period)
        while time.ticks_diff(now, self._next) >= 0:
            self._sample(time.ticks_diff(self._next, self._t0), period)
            self._next = time.ticks_add(self._next, period)

    def _sample(self, t_ms, period):
        mg = self.source.sample(t_ms, period)
        bits = self._mode_bits()
        lsb_mg = _SENS_MG[bits][(self.regs[0x23] >> 4) & 3]
        top = (1 << (bits - 1)) - 1
        counts = []
        for axis in range(3):
            v = mg[axis]
            if self._noise:
                v += (self._rand() % (2 * self._noise + 1)) - self._noise
            c = int(v / lsb_mg + (0.5 if v >= 0 else -0.5))
            if c > top:
                c = top
            elif c < -top - 1:
                c = -top - 1
            counts.append(c)
        self._out = (counts[0] << (16 - bits), counts[1] << (16 - bits),
                     counts[2] << (16 - bits))
        self.samples_taken += 1
        mode = self._fifo_mode()
        if mode == 1:  # FIFO mode: stops when full
            if len(self.fifo) < 32:
                self.fifo.append(self._out)
        elif mode >= 2:  # stream: the newest 32
            self.fifo.append(self._out)
            if len(self.fifo) > 32:
                self.fifo.pop(0)
                self.overruns += 1
        self._interrupt(mg)

    def _interrupt(self, mg):
        cfg = self.regs[0x30]
        if not cfg & 0x3F:
            return
        fs_idx = (self.regs[0x23] >> 4) & 3
        ths = (self.regs[0x32] & 0x7F) * _THS_MG[fs_idx]
        hp = self.regs[0x21] & 0x01
        vals = [0, 0, 0]
        for axis in range(3):
            v = int(mg[axis])
            if hp:
                if not self._hp_init:
                    self._hp[axis] = v << 8
                # normal-mode high-pass: a slow reference the signal is measured against
                ref = self._hp[axis]
                ref += ((v << 8) - ref) >> 4
                self._hp[axis] = ref
                v -= ref >> 8
            vals[axis] = v
        self._hp_init = True
        src = 0
        for axis in range(3):
            if vals[axis] > ths:
                src |= 2 << (2 * axis)
            elif vals[axis] < -ths:
                src |= 1 << (2 * axis)
        enabled = src & cfg & 0x3F
        if cfg & 0x80:  # AND of the enabled events
            hit = enabled == (cfg & 0x3F)
        else:
            hit = enabled != 0
        self._ia_count = self._ia_count + 1 if hit else 0
        duration = self.regs[0x33] & 0x7F
        latched = self.regs[0x24] & 0x08
        if self._ia_count > duration:
            self._ia = True
            self._int1_src = 0x40 | src
        elif not latched:
            self._ia = False
            self._int1_src = src
        self._drive_int1()

    def _drive_int1(self):
        if self.int1 is None:
            return
        active = self._ia and bool(self.regs[0x22] & 0x40)
        if self.regs[0x25] & 0x02:  # INT_POLARITY: active low
            active = not active
        self.int1.drive(1 if active else 0)

    # -- the I2C device contract -------------------------------------------------------

    def read_reg(self, reg, n):
        self.update()
        auto = reg & 0x80
        addr = reg & 0x7F
        out = bytearray(n)
        for i in range(n):
            out[i] = self._read_one(addr)
            if auto:
                if addr == 0x2D and self._fifo_mode():
                    addr = 0x28  # FIFO burst: wrap to OUT_X_L for the next sample
                else:
                    addr = (addr + 1) & 0x7F
        return bytes(out)

    def _read_one(self, addr):
        if 0x28 <= addr <= 0x2D:
            fifo = self._fifo_mode()
            if fifo and self.fifo:
                sample = self.fifo[0]
            else:
                sample = self._out
            v = sample[(addr - 0x28) >> 1] & 0xFFFF
            b = (v >> 8) if addr & 1 else (v & 0xFF)
            if fifo and self.fifo and addr == 0x2D:
                self.fifo.pop(0)  # reading OUT_Z_H completes the sample
            return b
        if addr == 0x2F:
            n = len(self.fifo)
            fth = self.regs[0x2E] & 0x1F
            src = n & 0x1F
            if n >= 32:
                src = 0x40 | 0x1F
            if n == 0:
                src |= 0x20
            if n > fth:
                src |= 0x80
            return src
        if addr == 0x27:
            return 0x0F if self._next is not None else 0
        if addr == 0x26:
            self._hp_init = False  # reading REFERENCE resets the high-pass filter
            return self.regs[0x26]
        if addr == 0x31:
            v = self._int1_src
            if self.regs[0x24] & 0x08:  # latched: reading releases it
                self._ia = False
                self._ia_count = 0
                self._int1_src = 0
                self._drive_int1()
            return v
        return self.regs[addr]

    def write_reg(self, reg, data):
        self.update()
        auto = reg & 0x80
        addr = reg & 0x7F
        for b in data:
            self._write_one(addr, b)
            if auto:
                addr = (addr + 1) & 0x7F

    def _write_one(self, addr, value):
        if addr in (0x0F, 0x27, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x2F, 0x31):
            return  # read-only
        old_odr = self.regs[0x20] >> 4
        self.regs[addr] = value
        if addr == 0x20 and (value >> 4) != old_odr:
            self._next = None
            self.update()
        elif addr == 0x2E and (value >> 6) == 0:
            self.fifo = []  # bypass mode empties the FIFO
        elif addr == 0x24 and value & 0x80:
            self._reboot()
        elif addr in (0x22, 0x25):
            self._drive_int1()

    def _reboot(self):
        for i in range(0x1E, 0x40):
            self.regs[i] = 0
        self.regs[0x20] = 0x07
        self.fifo = []
        self._next = None

    async def run(self):
        """Keep sampling in a simulation even when nobody reads (INT1 must still fire)."""
        import asyncio

        while True:
            self.update()
            odr = self.odr_hz()
            await asyncio.sleep_ms(1000 // odr if 0 < odr <= 400 else 50)


def attach(board, source, addr=None, noise_mg=0):
    """Put an emulated LIS3DH on a simulated board's I2C bus (at the address its definition
    names, 0x18 by default) with INT1 on board.accel_int. Returns the chip; in a simulation
    also spawn chip.run() so INT1 moves while nobody reads."""
    if addr is None:
        addr = (board.part("accel") or {}).get("addr", 0x18)
    chip = FakeLIS3DH(source, int1=board.accel_int, noise_mg=noise_mg)
    board.i2c.attach(addr, chip)
    return chip
