"""ST LIS3DH accelerometer over machine.I2C: identity, range, data rate, FIFO bursts,
low-power mode and the INT1 motion-wake interrupt.

    acc = LIS3DH(board.i2c, addr=0x18)        # raises LIS3DHError if nothing answers as one
    acc.start(rate_hz=25, range_g=4)          # normal mode (10 bit), FIFO in stream mode
    n = acc.read_fifo(ped.feed)               # every sample since last time, in milli-g
    acc.wake_on_motion(threshold_mg=96)       # low power; INT1 rises when the pin moves
    acc.motion_source()                       # reading INT1_SRC releases the latched INT1

Data rates: the chip has 1/10/25/50/100/200/400 Hz (datasheet table 31), not 12.5 Hz. A
request for 12.5 Hz runs the chip at 25 Hz and the driver averages pairs of samples (a
two-tap low-pass before decimation, so nothing aliases): the pedometer sees exactly 12.5 Hz.
Other supported rates (10, 25, 50, 100 Hz) are native.

Hot path (read_fifo): one register read for the fill level, one burst read of 6 bytes per
sample into a buffer allocated once (the sub-address MSB makes the chip auto-increment, and
in FIFO mode it wraps from OUT_Z_H back to OUT_X_L, popping one sample each round), and
integer decoding; no allocation per call.
"""

from micropython import const

_WHO_AM_I = const(0x0F)
_IDENTITY = const(0x33)
_CTRL_REG1 = const(0x20)
_CTRL_REG2 = const(0x21)
_CTRL_REG3 = const(0x22)
_CTRL_REG4 = const(0x23)
_CTRL_REG5 = const(0x24)
_CTRL_REG6 = const(0x25)
_REFERENCE = const(0x26)
_OUT_X_L = const(0x28)
_FIFO_CTRL = const(0x2E)
_FIFO_SRC = const(0x2F)
_INT1_CFG = const(0x30)
_INT1_SRC = const(0x31)
_INT1_THS = const(0x32)
_INT1_DURATION = const(0x33)
_AUTO_INC = const(0x80)  # sub-address MSB: auto-increment over a multi-byte read

_FIFO_DEPTH = const(32)
_FIFO_OVRN = const(0x40)
_FIFO_FSS = const(0x1F)
_FM_BYPASS = const(0x00)
_FM_STREAM = const(0x80)

_LPEN = const(0x08)
_XYZ_EN = const(0x07)
_BDU = const(0x80)
_FIFO_EN = const(0x40)
_LIR_INT1 = const(0x08)
_I1_IA1 = const(0x40)
_HP_IA1 = const(0x01)

# ODR field (CTRL_REG1 bits 7-4) per native rate.
_ODR = {1: 1, 10: 2, 25: 3, 50: 4, 100: 5, 200: 6, 400: 7}
# Requested pedometer rate -> (chip rate, samples averaged per output sample).
RATES = {10: (10, 1), 12.5: (25, 2), 25: (25, 1), 50: (50, 1), 100: (100, 1)}
# Full scale (g) -> (FS field, milli-g per digit in normal 10-bit mode, in 8-bit low power,
# INT1_THS milli-g per LSB). Datasheet tables 4 and 48.
_RANGES = {2: (0, 4, 16, 16), 4: (1, 8, 32, 32), 8: (2, 16, 64, 62), 16: (3, 48, 192, 186)}


class LIS3DHError(OSError):
    pass


class LIS3DH:
    def __init__(self, i2c, addr=0x18):
        self.i2c = i2c
        self.addr = addr
        self._one = bytearray(1)
        self._buf = bytearray(6 * _FIFO_DEPTH)
        mv = memoryview(self._buf)
        # One view per burst length, made once: slicing in read_fifo would allocate.
        self._views = [mv[:6 * n] for n in range(_FIFO_DEPTH + 1)]
        try:
            ident = self._read(_WHO_AM_I)
        except OSError as exc:
            raise LIS3DHError(
                "no accelerometer at I2C address 0x%02x (%s)" % (addr, exc)) from None
        if ident != _IDENTITY:
            raise LIS3DHError("device at 0x%02x says WHO_AM_I=0x%02x, not a LIS3DH (0x33)"
                              % (addr, ident))
        self.rate_hz = 0
        self.odr_hz = 0
        self.range_g = 0
        self.low_power = False
        self.overruns = 0     # FIFO overruns seen (samples were lost)
        self.overrun = False  # the last read_fifo found the FIFO full: a gap may precede it
        self._decim = 1
        self._mg = 8
        self._shift = 6
        self._acc_x = self._acc_y = self._acc_z = 0
        self._acc_n = 0

    # -- registers ---------------------------------------------------------------------

    def _read(self, reg):
        self.i2c.readfrom_mem_into(self.addr, reg, self._one)
        return self._one[0]

    def _write(self, reg, value):
        self._one[0] = value
        self.i2c.writeto_mem(self.addr, reg, self._one)

    # -- configuration -------------------------------------------------------------------

    def start(self, rate_hz=25, range_g=4, low_power=False):
        """Sample continuously into the FIFO (stream mode) at rate_hz (10, 12.5, 25, 50 or
        100), +-range_g full scale (2, 4, 8, 16). Normal mode is 10 bit (8 mg at 4 g);
        low_power is 8 bit (32 mg at 4 g) and saves a few microamps."""
        if rate_hz not in RATES:
            raise ValueError("rate %r Hz: the LIS3DH driver supports %s"
                             % (rate_hz, ", ".join([str(r) for r in sorted(RATES)])))
        if range_g not in _RANGES:
            raise ValueError("range must be 2, 4, 8 or 16 g, not %r" % (range_g,))
        odr, decim = RATES[rate_hz]
        fs, mg_normal, mg_lp, _ = _RANGES[range_g]
        self._write(_CTRL_REG1, 0)  # power down while reconfiguring
        self._write(_INT1_CFG, 0)
        self._write(_CTRL_REG3, 0)
        self._write(_CTRL_REG2, 0)
        self._write(_CTRL_REG4, _BDU | (fs << 4))
        self._write(_CTRL_REG5, _FIFO_EN)
        self._write(_FIFO_CTRL, _FM_BYPASS)  # bypass empties the FIFO ...
        self._write(_FIFO_CTRL, _FM_STREAM)  # ... stream keeps the newest 32 samples
        self._write(_CTRL_REG1, (_ODR[odr] << 4) | (_LPEN if low_power else 0) | _XYZ_EN)
        self.rate_hz = rate_hz
        self.odr_hz = odr
        self.range_g = range_g
        self.low_power = low_power
        self._decim = decim
        self._mg = mg_lp if low_power else mg_normal
        self._shift = 8 if low_power else 6
        self._acc_n = 0
        self.overrun = False

    def fifo_level(self):
        src = self._read(_FIFO_SRC)
        return _FIFO_DEPTH if src & _FIFO_OVRN else src & _FIFO_FSS

    def read_fifo(self, sink):
        """Pop every stored sample and call sink(x, y, z) (ints, milli-g) for each output
        sample (after decimation). Returns how many sink calls were made."""
        src = self._read(_FIFO_SRC)
        if src & _FIFO_OVRN:
            n = _FIFO_DEPTH
            self.overrun = True
            self.overruns += 1
        else:
            n = src & _FIFO_FSS
            self.overrun = False
        if n == 0:
            return 0
        view = self._views[n]
        self.i2c.readfrom_mem_into(self.addr, _OUT_X_L | _AUTO_INC, view)
        buf = self._buf
        shift = self._shift
        mg = self._mg
        decim = self._decim
        out = 0
        for i in range(0, 6 * n, 6):
            x = buf[i] | (buf[i + 1] << 8)
            y = buf[i + 2] | (buf[i + 3] << 8)
            z = buf[i + 4] | (buf[i + 5] << 8)
            # Left-justified two's complement: sign-extend 16 bits, drop the unused bits.
            if x & 0x8000:
                x -= 0x10000
            if y & 0x8000:
                y -= 0x10000
            if z & 0x8000:
                z -= 0x10000
            x = (x >> shift) * mg
            y = (y >> shift) * mg
            z = (z >> shift) * mg
            if decim == 1:
                sink(x, y, z)
                out += 1
                continue
            self._acc_x += x
            self._acc_y += y
            self._acc_z += z
            self._acc_n += 1
            if self._acc_n == decim:
                sink(self._acc_x // decim, self._acc_y // decim, self._acc_z // decim)
                out += 1
                self._acc_x = self._acc_y = self._acc_z = 0
                self._acc_n = 0
        return out

    def read(self):
        """The latest sample (x, y, z) in milli-g, outside the FIFO (bypass mode only)."""
        view = self._views[1]
        self.i2c.readfrom_mem_into(self.addr, _OUT_X_L | _AUTO_INC, view)
        b = self._buf
        vals = []
        for i in (0, 2, 4):
            v = b[i] | (b[i + 1] << 8)
            if v & 0x8000:
                v -= 0x10000
            vals.append((v >> self._shift) * self._mg)
        return tuple(vals)

    # -- sleeping --------------------------------------------------------------------------

    def wake_on_motion(self, threshold_mg=96, duration_ms=100, rate_hz=10):
        """Low-power mode (8 bit, 10 Hz by default, a few uA) with the FIFO off; INT1 goes high
        (and stays high until motion_source() is read) when any axis moves more than
        threshold_mg away from where it rests, for duration_ms. The high-pass filter on the
        interrupt path removes gravity, so orientation does not matter."""
        if rate_hz not in _ODR or rate_hz > 100:
            raise ValueError("wake rate must be 1, 10, 25, 50 or 100 Hz")
        range_g = self.range_g or 2
        fs, _, mg_lp, ths_mg = _RANGES[range_g]
        ths = (threshold_mg + ths_mg - 1) // ths_mg
        if not 1 <= ths <= 127:
            raise ValueError("threshold %d mg is outside 1..127 steps of %d mg"
                             % (threshold_mg, ths_mg))
        dur = duration_ms * rate_hz // 1000
        if dur > 127:
            dur = 127
        self._write(_CTRL_REG1, 0)
        self._write(_FIFO_CTRL, _FM_BYPASS)
        self._write(_CTRL_REG5, _LIR_INT1)
        self._write(_CTRL_REG4, _BDU | (fs << 4))
        self._write(_CTRL_REG2, _HP_IA1)  # high-pass (normal mode) on the IA1 path
        self._write(_INT1_THS, ths)
        self._write(_INT1_DURATION, dur)
        self._write(_CTRL_REG1, (_ODR[rate_hz] << 4) | _LPEN | _XYZ_EN)
        self._read(_REFERENCE)  # resets the high-pass filter to the current position
        self._write(_INT1_CFG, 0x2A)  # OR of X, Y, Z high events
        self._read(_INT1_SRC)  # release anything latched before
        self._write(_CTRL_REG3, _I1_IA1)
        self.rate_hz = 0
        self.odr_hz = rate_hz
        self.low_power = True
        self._mg = mg_lp
        self._shift = 8

    def motion_source(self):
        """Read INT1_SRC: bit 6 (IA) set if motion fired; reading releases a latched INT1."""
        return self._read(_INT1_SRC)

    def power_down(self):
        self._write(_CTRL_REG3, 0)
        self._write(_INT1_CFG, 0)
        self._write(_CTRL_REG1, 0)
        self.rate_hz = 0
        self.odr_hz = 0
