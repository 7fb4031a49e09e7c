"""The emulated SSD1680 / SSD1681 e-paper controller (SSD168xEmulator).

It decodes the byte stream the real driver sends (command when DC is low, parameters and
RAM data when DC is high, only while CS is low), keeps both RAM planes (0x24 "new",
0x26 "previous") and the picture the glass shows, and computes BUSY from the virtual clock:
a refresh keeps BUSY high for as long as the real waveform takes.

What the glass shows follows the controller's rules, so driver bugs show up as wrong pixels:
- full (0x22 0xF7) and fast (0xC7 after a 0x91 LUT load): the glass becomes RAM 0x24 and
  ghosts are cleared;
- partial (0x22 0xFF, display mode 2): only pixels where 0x24 differs from 0x26 are driven.
  A driver that forgets to rewrite 0x26 afterwards leaves pixels the next partial does not
  drive although they should change (mismatch_pixels() > 0). Every pixel a partial drives
  leaves a ghost until the next full refresh (ghost_pixels()).

It raises EPDProtocolError, with a message saying what was wrong, for what a real panel would
not do: any byte while BUSY, anything but a hardware reset during deep sleep, RAM writes or
refreshes before the controller is configured, windows outside the RAM, unknown commands,
update sequences it does not know. Common MicroPython subset: runs on the unix port too.
PNG export lives in host_sim.eink.png (CPython, Pillow).
"""

from host_sim.fakes.epd_panel import FAST, FULL, PARTIAL, EmulatedPanel, EPDProtocolError

# (max sources, max gates, default durations in ms)
CONTROLLERS = {
    "ssd1680": (176, 296, {FULL: 3000, PARTIAL: 400, FAST: 1500, "lut": 100, "reset": 2}),
    "ssd1681": (200, 200, {FULL: 2000, PARTIAL: 400, FAST: 1200, "lut": 100, "reset": 2}),
}

# command -> number of parameter bytes (None: RAM data stream)
_PARAMS = {
    0x01: 3, 0x03: 1, 0x04: 3, 0x0C: 5, 0x10: 1, 0x11: 1, 0x12: 0, 0x18: 1, 0x1A: 2,
    0x20: 0, 0x21: 2, 0x22: 1, 0x24: None, 0x26: None, 0x2C: 1, 0x3C: 1, 0x44: 2, 0x45: 4,
    0x4E: 1, 0x4F: 2,
}


class SSD168xEmulator(EmulatedPanel):
    PARAMS = _PARAMS
    RAM_COMMANDS = (0x24, 0x26)

    def __init__(self, spi, cs, dc, rst, busy, controller="ssd1680", width=250, height=122,
                 durations=None, on_refresh=None):
        if controller not in CONTROLLERS:
            raise ValueError("unknown controller %r" % controller)
        max_src, max_gates, default_ms = CONTROLLERS[controller]
        gates, sources = (width, height) if width >= height else (height, width)
        if sources > max_src or gates > max_gates:
            raise ValueError("%s cannot drive %dx%d" % (controller, width, height))
        ms = dict(default_ms)
        if durations:
            ms.update(durations)
        self.controller = controller
        self.ram_x_bytes = (max_src + 7) // 8
        self.max_gates = max_gates
        super().__init__(spi, cs, dc, rst, busy, sources, gates, ms, on_refresh)
        self._power_on()
        # the SSD168x names of the planes: 0x24 "black/white" (new), 0x26 "red" (previous)
        self.ram_bw = self.ram_new
        self.ram_prev = self.ram_old

    def _power_on(self):
        self.configured = False   # 0x01 driver output seen since the last reset
        self.mux_gates = None
        self.entry_mode = 0x03
        self.win = [0, self.row_bytes - 1, 0, self.gates - 1]
        self.x = 0
        self.y = 0
        self.seq = None
        self.lut = None
        self.temp_override = None
        self.cmd = None
        self.params = bytearray()

    # -- SPI -----------------------------------------------------------------------------

    def spi_write(self, data):
        if not self._check_bus(data):
            return  # not selected
        if self.dc.value():
            self._data(data)
        else:
            for b in data:
                self._command(b)

    def _command(self, cmd):
        self._finish()
        if cmd not in _PARAMS:
            raise EPDProtocolError("command 0x%02x is not an SSD168x command this emulator "
                                   "knows" % cmd)
        self.cmd = cmd
        self.params = bytearray()
        if cmd in (0x24, 0x26):
            if not self.configured:
                raise EPDProtocolError("RAM write 0x%02x before driver output control 0x01 "
                                       "(controller not initialised since reset)" % cmd)
            if self.entry_mode != 0x03:
                raise EPDProtocolError("data entry mode 0x%02x not emulated (use 0x03)"
                                       % self.entry_mode)
        elif _PARAMS[cmd] == 0:
            self._execute(cmd, self.params)
            self.cmd = None

    def _ram_data(self, cmd, data):
        self._ram_write(self.ram_bw if cmd == 0x24 else self.ram_prev, data)

    def _ram_write(self, plane, data):
        xs, xe, ys, ye = self.win
        rb, gates = self.row_bytes, self.gates
        x, y = self.x, self.y
        for b in data:
            if x < rb and y < gates:
                plane[y * rb + x] = b
            x += 1
            if x > xe:
                x = xs
                y += 1
                if y > ye:
                    y = ys
        self.x, self.y = x, y

    def _execute(self, cmd, p):
        if cmd == 0x12:  # software reset: registers to defaults, RAM kept
            self._power_on()
            self._set_busy(self.durations["reset"])
        elif cmd == 0x01:
            self.mux_gates = (p[0] | (p[1] << 8)) + 1
            if self.mux_gates != self.gates:
                raise EPDProtocolError("driver output control: %d gates, the panel has %d"
                                       % (self.mux_gates, self.gates))
            self.configured = True
        elif cmd == 0x11:
            self.entry_mode = p[0]
        elif cmd == 0x44:
            if p[0] > p[1] or p[1] >= self.ram_x_bytes:
                raise EPDProtocolError("RAM x window %d..%d (bytes) outside 0..%d"
                                       % (p[0], p[1], self.ram_x_bytes - 1))
            self.win[0], self.win[1] = p[0], p[1]
        elif cmd == 0x45:
            y0, y1 = p[0] | (p[1] << 8), p[2] | (p[3] << 8)
            if y0 > y1 or y1 >= self.max_gates:
                raise EPDProtocolError("RAM y window %d..%d outside 0..%d"
                                       % (y0, y1, self.max_gates - 1))
            self.win[2], self.win[3] = y0, y1
        elif cmd == 0x4E:
            self.x = p[0]
        elif cmd == 0x4F:
            self.y = p[0] | (p[1] << 8)
        elif cmd == 0x22:
            self.seq = p[0]
        elif cmd == 0x1A:
            self.temp_override = p[0]
        elif cmd == 0x10:
            if p[0] & 0x03:
                self.asleep = True
        elif cmd == 0x20:
            self._activate()
        # 0x03, 0x04, 0x0C, 0x18, 0x21, 0x2C, 0x3C: accepted, no visible effect modelled

    def _activate(self):
        seq = self.seq
        if seq is None:
            raise EPDProtocolError("master activation 0x20 without an update sequence 0x22")
        if seq == 0x91:
            self.lut = FAST if self.temp_override is not None and self.temp_override >= 0x50 \
                else FULL
            self._set_busy(self.durations["lut"])
            return
        if not self.configured:
            raise EPDProtocolError("display update before driver output control 0x01")
        if seq == 0xF7:
            mode = FULL
        elif seq in (0xFF, 0xFC):
            mode = PARTIAL
        elif seq == 0xC7:
            if self.lut is None:
                raise EPDProtocolError("update 0xC7 uses the loaded LUT but none was loaded "
                                       "(0x22 0x91 + 0x20 first)")
            mode = self.lut
        else:
            raise EPDProtocolError("update sequence 0x%02x not emulated (0xF7 full, 0xFF "
                                   "partial, 0x91 then 0xC7 fast)" % seq)
        self._refresh(mode)
        self._set_busy(self.durations[mode])
