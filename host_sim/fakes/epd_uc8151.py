"""An emulated UC8151 e-paper controller (black/white "KW" mode) behind FakeSPI + FakePins.

The UC8151 holds an old image (DTM1, 0x10) and a new one (DTM2, 0x13) and drives each pixel
by the LUT of its (old, new) pair: WW, BW, WB, BB. The emulator decodes the command stream
and applies the same rules as EmulatedPanel:
- OTP LUTs (PSR REG=0): a full refresh (4 s), ghosts cleared;
- register LUTs (PSR REG=1, 0x20-0x24 loaded): if the WW and BB LUTs drive nothing, only
  changed pixels move (partial, ghosts accumulate); otherwise every pixel is driven (fast).
  The refresh lasts as long as the VCOM LUT's frames at the 50 Hz default frame rate.
- partial mode (PTIN) with a window (PTL): image writes fill the window only.
BUSY_N is low while busy. It refuses (EPDProtocolError) what the real chip would not do:
bytes while busy, anything but a reset in deep sleep, a refresh with the power off (no PON)
or before PSR/TRES, a TRES that is not the panel's, register LUTs that were never loaded,
a PTL window whose x range is not whole bytes, a DSLP without the 0xA5 check code.
Common MicroPython subset.
"""

from host_sim.fakes.epd_panel import FAST, FULL, PARTIAL, EmulatedPanel, EPDProtocolError

# command -> parameter bytes (None: image data stream)
_PARAMS = {
    0x00: 1, 0x01: 5, 0x02: 0, 0x03: 1, 0x04: 0, 0x06: 3, 0x07: 1, 0x10: None, 0x11: 0,
    0x12: 0, 0x13: None, 0x20: 44, 0x21: 42, 0x22: 42, 0x23: 42, 0x24: 42, 0x30: 1, 0x50: 1,
    0x60: 1, 0x61: 3, 0x82: 1, 0x90: 7, 0x91: 0, 0x92: 0,
}
_DEFAULT_MS = {FULL: 4000, "power": 80, "reset": 2}
_FRAME_HZ = 50


class UC8151Emulator(EmulatedPanel):
    PARAMS = _PARAMS
    RAM_COMMANDS = (0x10, 0x13)
    BUSY_LEVEL = 0

    def __init__(self, spi, cs, dc, rst, busy, width=296, height=128, durations=None,
                 on_refresh=None):
        gates, sources = (width, height) if width >= height else (height, width)
        if sources > 160 or gates > 296:
            raise ValueError("uc8151 cannot drive %dx%d" % (width, height))
        ms = dict(_DEFAULT_MS)
        if durations:
            ms.update(durations)
        self.controller = "uc8151"
        super().__init__(spi, cs, dc, rst, busy, sources, gates, ms, on_refresh)
        self._power_on()

    def _power_on(self):
        self.psr = None
        self.tres = None
        self.powered = False
        self.luts = {}
        self.partial_mode = False
        self.win = (0, self.row_bytes - 1, 0, self.gates - 1)
        self.cmd = None
        self.params = bytearray()
        self._pos = 0

    def spi_write(self, data):
        if not self._check_bus(data):
            return
        if self.dc.value():
            self._data(data)
        else:
            for b in data:
                self._command(b)

    def _command(self, cmd):
        self._finish()
        if cmd not in _PARAMS:
            raise EPDProtocolError("command 0x%02x is not a UC8151 command this emulator "
                                   "knows" % cmd)
        self.cmd = cmd
        self.params = bytearray()
        if cmd in (0x10, 0x13):
            if self.tres is None:
                raise EPDProtocolError("image write 0x%02x before the resolution (TRES "
                                       "0x61)" % cmd)
            self._pos = 0
        elif _PARAMS[cmd] == 0:
            self._execute(cmd, self.params)
            self.cmd = None

    def _ram_data(self, cmd, data):
        self._image(self.ram_old if cmd == 0x10 else self.ram_new, data)

    def _image(self, plane, data):
        # Row-major within the window (the whole frame outside partial mode).
        xb0, xb1, y0, y1 = self.win if self.partial_mode else (0, self.row_bytes - 1, 0,
                                                                self.gates - 1)
        w = xb1 - xb0 + 1
        total = w * (y1 - y0 + 1)
        pos = self._pos
        rb = self.row_bytes
        for b in data:
            if pos >= total:
                raise EPDProtocolError("image data beyond the %s (%d bytes)" % (
                    "partial window" if self.partial_mode else "frame", total))
            y, x = divmod(pos, w)
            plane[(y0 + y) * rb + xb0 + x] = b
            pos += 1
        self._pos = pos

    def _execute(self, cmd, p):
        if cmd == 0x00:
            self.psr = p[0]
        elif cmd == 0x61:
            hres, vres = p[0], (p[1] << 8) | p[2]
            if hres != self.row_bytes * 8 or vres != self.gates:
                raise EPDProtocolError("TRES %dx%d, the panel is %dx%d (sources rounded up "
                                       "to 8)" % (hres, vres, self.row_bytes * 8, self.gates))
            self.tres = (hres, vres)
        elif cmd == 0x04:
            self.powered = True
            self._set_busy(self.durations["power"])
        elif cmd == 0x02:
            self.powered = False
            self._set_busy(self.durations["power"])
        elif cmd == 0x07:
            if p[0] != 0xA5:
                raise EPDProtocolError("deep sleep needs the check code 0xA5, got 0x%02x"
                                       % p[0])
            self.asleep = True
        elif 0x20 <= cmd <= 0x24:
            self.luts[cmd] = bytes(p)
        elif cmd == 0x91:
            self.partial_mode = True
        elif cmd == 0x92:
            self.partial_mode = False
        elif cmd == 0x90:
            hrst, hred = p[0], p[1]
            vrst, vred = (p[2] << 8) | p[3], (p[4] << 8) | p[5]
            if hrst & 7 or hred & 7 != 7:
                raise EPDProtocolError("partial window x %d..%d: must start at a multiple "
                                       "of 8 and end at one less" % (hrst, hred))
            if hrst > hred or hred >= self.row_bytes * 8 or vrst > vred or vred >= self.gates:
                raise EPDProtocolError("partial window %d..%d x %d..%d outside the panel"
                                       % (hrst, hred, vrst, vred))
            self.win = (hrst >> 3, hred >> 3, vrst, vred)
        elif cmd == 0x12:
            self._display()
        # 0x01, 0x03, 0x06, 0x11, 0x30, 0x50, 0x60, 0x82: accepted, no visible effect

    def _display(self):
        if self.psr is None or self.tres is None:
            raise EPDProtocolError("display refresh before panel setting (PSR 0x00) and "
                                   "resolution (TRES 0x61)")
        if not self.powered:
            raise EPDProtocolError("display refresh with the power off (PON 0x04 first)")
        if not self.psr & 0x20:
            mode, ms = FULL, self.durations[FULL]
        else:
            for reg in range(0x20, 0x25):
                if reg not in self.luts:
                    raise EPDProtocolError("PSR selects register LUTs but LUT 0x%02x was "
                                           "never loaded" % reg)
            idle = _drives_nothing(self.luts[0x21]) and _drives_nothing(self.luts[0x24])
            mode = PARTIAL if idle else FAST
            ms = self.durations.get(mode) or _lut_ms(self.luts[0x20])
        self._refresh(mode)
        self._set_busy(ms)


def _drives_nothing(lut):
    # level-select bytes (first of each 6-byte group) all 0 = every phase at VCOM: no drive
    for g in range(0, 42, 6):
        if lut[g] and (lut[g + 1] or lut[g + 2] or lut[g + 3] or lut[g + 4]):
            return False
    return True


def _lut_ms(vcom):
    frames = 0
    for g in range(0, 42, 6):
        frames += (vcom[g + 1] + vcom[g + 2] + vcom[g + 3] + vcom[g + 4]) * max(1, vcom[g + 5])
    return frames * 1000 // _FRAME_HZ
