"""The emulated Solomon SSD1680 / SSD1681 e-paper controller (SSD168xEmulator), decoded by
the datasheets, not by our driver: SSD1680 Rev 0.14 (Jun 2019) and SSD1681 Rev 0.13, as
transcribed page by page in a public hardware record (the § and page numbers below are the
datasheets'). The SSD1681 document is an edited copy of the SSD1680's with the same command
set; its printed power-on RAM window (15h / 127h) is the SSD1680's and cannot drive 200x200,
so the emulator uses the whole RAM (18h / C7h), which Waveshare's EPD_1in54_V2 DisplayPart
relies on after a reset.

RAM (§6.5 p.13): two planes of 176x296 (SSD1681 200x200) bits, "B/W" written by 0x24 (1 =
white) and "RED" by 0x26; a black/white panel keeps the previous image in RED. Per pixel the
pair selects LUT RED*2+BW; in B/W mode the OTP's LUT2 = LUT0 and LUT3 = LUT1. The address
counter (0x11 data entry, 0x44/0x45 window, 0x4E/0x4F counters, §7 p.23/p.31, §8.4) steps in X
or Y, up or down, and reloads at the window's end; windows may run backwards (start > end).
0x01 (§7 p.20): gates = A[8:0]+1 (9 bits), B[2] GD, B[1] SM, B[0] TB; TB=1 shows RAM row k on
gate MUX-1-k (Waveshare's 1.54" V2 writes its full-refresh images that way and its partial
ones, after a reset, the other way; both only agree on the glass if TB mirrors).

0x22 (§7 p.26) is a bit field (the datasheet lists values, Zephyr's ssd16xx_regs.h and u8g2
name the bits; every listed value decodes): 0x80 clock on, 0x40 analog on, 0x20 load the
temperature, 0x10 load the LUT from OTP for it, 0x08 display mode 2, 0x04 display, 0x02
analog off, 0x01 clock off, run in that order by 0x20. "Load LUT" copies the OTP waveform
setting for the temperature into the LUT register (§6.9 p.17: "the matching WS is loaded into
the LUT registers"), the same register 0x32 writes (§6.7 Fig. 6-6): so a load replaces a LUT
written by 0x32. That is an inference (no source says it either way; GxEPD2_213_BN and
GxEPD2_150_BN write 0x32 and then send 0xF8/0xFC, which carry the load bit, so their 0x32
LUT is dead code if it holds); `load_keeps_host_lut=True` models the other reading.
No OTP range for the temperature: "display will not be updated" (§6.9 p.17).

0x37 F[6] (§7 p.30): RAM ping-pong for display mode 2 (POR off): after a mode-2 display the
planes swap roles, the shown image becomes the previous one and 0x24 writes the other plane.
0x21 (§7 p.25): A[7:4] RED and A[3:0] B/W RAM option (0000 normal, 0100 read as 0, 1000
inverted); B[7] source output mode S8..S167. Whether B[7] also moves RAM x 0 to S8 is not
documented; Waveshare's 2.13" V4 draws at RAM x 0 with B[7]=1 (full refresh) and B[7]=0
(its fast and partial paths, after a reset) on one glass, so the default is that it does
not; `source_mode_shift=True` models the other reading. Where a glass sits is its wiring
(host_sim.fakes.epd_glass source_offset).

BUSY (§5 BUSY pin; 0x20 "User should not interrupt this operation to avoid corruption of
panel images", §7 p.25): high during 0x12, 0x20 and in deep sleep ("BUSY pad will keep output
high", 0x10 §7 p.23); not after a hardware reset (Adafruit's CircuitPython driver sends 0x12
1 ms after RST rises, Waveshare's V4 partial path sends commands at once). Bytes while BUSY are
refused, except register writes while only a load (no display) runs (Waveshare's EPD_1in54_V2
sets its RAM counters during 0xB1): taken and flagged. Deep sleep (0x10, §7 p.23): mode 1
keeps RAM, mode 2 loses it; only a hardware reset leaves it. 0x12 resets registers, not RAM.
Parameters are taken as they arrive: missing trailing bytes leave the rest of the register
as it was (GxEPD2's GDEY classes send 0x1A with one byte), extra ones are ignored.
Common MicroPython subset: runs on the unix port too.
"""

from host_sim.fakes import epd_waveform as wf
from host_sim.fakes.epd_glass import glass_for
from host_sim.fakes.epd_panel import (
    FAST,
    EmulatedPanel,
    EPDProtocolError,
    fill_undefined,
    take_bits,
)

__all__ = ("SSD168xEmulator", "EPDProtocolError")

# (RAM width in pixels, RAM rows): §1 "176 source x 296 gate", SSD1681 200 x 200
CONTROLLERS = {"ssd1680": (176, 296), "ssd1681": (200, 200)}

# The §7 command table: command -> parameter bytes (None: RAM data until the next command)
_COMMANDS = {
    0x01: 3, 0x03: 1, 0x04: 3, 0x08: 0, 0x09: 4, 0x0A: 0, 0x0C: 4, 0x0F: 2, 0x10: 1,
    0x11: 1, 0x12: 0, 0x14: 1, 0x15: 1, 0x18: 1, 0x1A: 2, 0x1B: 0, 0x1C: 3, 0x20: 0,
    0x21: 2, 0x22: 1, 0x24: None, 0x26: None, 0x27: 0, 0x28: 0, 0x29: 1, 0x2A: 0,
    0x2B: 2, 0x2C: 1, 0x2D: 0, 0x2E: 0, 0x2F: 0, 0x30: 0, 0x31: 0, 0x32: 153, 0x34: 0,
    0x35: 0, 0x36: 0, 0x37: 10, 0x38: 10, 0x39: 1, 0x3C: 1, 0x3F: 1, 0x41: 1, 0x44: 2,
    0x45: 4, 0x46: 1, 0x47: 1, 0x4E: 1, 0x4F: 2, 0x7F: 0,
}
# Accepted with no effect on the picture (counted in `unmodelled`): voltages, booster, VCOM,
# border, detection, EOPT, initial code / user ID registers, OTP program mode, NOP:
# 0x03, 0x04, 0x0C, 0x09, 0x14, 0x15, 0x1C, 0x28, 0x29, 0x2B, 0x2C, 0x38, 0x39, 0x3C, 0x3F,
# 0x41, 0x7F.
_OTP_WRITES = (0x08, 0x2A, 0x30, 0x36)   # program the panel's OTP (§7: "Program ...")
_READS = (0x1B, 0x27, 0x2D, 0x2E, 0x2F, 0x35)
# Registers a driver may set while a load (no display) runs: nothing in a load reads them.
_TAKEN_WHILE_LOADING = (0x01, 0x03, 0x04, 0x0C, 0x0F, 0x11, 0x18, 0x21, 0x2C, 0x3C, 0x3F,
                        0x44, 0x45, 0x4E, 0x4F)
_SWRESET_MS = 2   # BUSY after 0x12: not measured; GxEPD2 waits a fixed 10 ms unpolled


class SSD168xEmulator(EmulatedPanel):
    COMMANDS = _COMMANDS
    READS = _READS
    BUSY_IN_SLEEP = True   # 0x10: "BUSY pad will keep output high"

    def __init__(self, spi, cs, dc, rst, busy, controller="ssd1680", width=250, height=122,
                 durations=None, on_refresh=None, glass=None, source_mode_shift=False,
                 load_keeps_host_lut=False):
        if controller not in CONTROLLERS:
            raise ValueError("unknown controller %r" % controller)
        if glass is None or isinstance(glass, str):
            glass = glass_for(controller, width, height, glass)
        ram_w, ram_h = CONTROLLERS[controller]
        if glass.source_offset + glass.sources > ram_w or \
                glass.gate_offset + glass.gates > ram_h:
            raise ValueError("%s cannot drive %dx%d at offset %d,%d" % (
                controller, glass.sources, glass.gates, glass.source_offset,
                glass.gate_offset))
        self.controller = controller
        self.CHIP = controller.upper()
        self.ram_w, self.ram_h = ram_w, ram_h
        self.ram_rb = ram_w // 8
        self.source_mode_shift = source_mode_shift
        self.load_keeps_host_lut = load_keeps_host_lut
        super().__init__(spi, cs, dc, rst, busy, glass, durations, on_refresh)
        self.planes = [bytearray(self.ram_rb * ram_h), bytearray(self.ram_rb * ram_h)]
        fill_undefined(self.planes[0], 1680)
        fill_undefined(self.planes[1], 1681)
        self.written = [False, False]   # a plane holds something a driver wrote
        self.bw = 0   # the plane 0x24 writes; ping-pong swaps it, resets keep it (see _por)
        self._por()

    # names the tests and the live view use: the plane 0x24 writes, and the previous image
    @property
    def ram_bw(self):
        return self.planes[self.bw]

    @property
    def ram_prev(self):
        return self.planes[1 - self.bw]

    ram_new = ram_bw
    ram_old = ram_prev

    def _por(self):
        """Register values after RES# or 0x12 (§7 per command). The RAM and which plane
        plays which role after ping-pong are kept: Waveshare's EPD_2IN9_V2_Display_Partial
        resets the chip before every partial, sets ping-pong again and writes only 0x24,
        which shows the right picture only if the swap survived the reset."""
        self.mux = self.ram_h
        self.gd = self.sm = self.tb = 0
        self.scan_start = 0
        self.entry = 0x03
        self.win = [0, self.ram_rb - 1, 0, self.ram_h - 1]
        self.x = 0
        self.y = 0
        self.ram_opt = 0x00
        self.source_mode = 0x00
        self.seq = 0xFF
        self.sensor = 0x48          # external sensor (none on our boards)
        self.temp_raw = 0x7FF       # 12-bit, 1/16 degC (§6.8.3)
        self.lut = None             # the LUT register's waveform (None: nothing loaded)
        self.host_lut = False
        self.pingpong = self.glass.otp_pingpong
        self.clock = False
        self.analog = False
        self.cmd = None
        self.params = bytearray()

    def _wake(self):
        if self.sleep_mode == 3:    # deep sleep mode 2: "RAM data not retained"
            for i in (0, 1):
                fill_undefined(self.planes[i], 1690 + i)
                self.written[i] = False
            self.bw = 0

    # -- bus ----------------------------------------------------------------------------------

    def _busy_allows(self, dc, data):
        if self._busy_what != "load":
            return False
        cmd = self.cmd if dc else data[0]
        if cmd in _TAKEN_WHILE_LOADING and (dc or len(data) == 1):
            self.flag("0x%02x sent while BUSY (a 0x20 load sequence ran): the datasheet says "
                      "to wait (BUSY pin, §5); the register is taken" % cmd)
            return True
        return False

    def _read(self, cmd, n):
        if cmd == 0x2F:   # status (§7 p.30): HV ready, VCI normal, chip ID 01
            return bytes((0x01,)) + b"\x00" * (n - 1)
        if cmd == 0x2E:   # user ID: 10 bytes (0 on the glasses the emulator knows)
            return b"\x00" * n
        return None

    def _stream_start(self, cmd):
        self._check_counter()

    def _stream(self, cmd, data):
        plane = 1 - self.bw if cmd == 0x26 else self.bw
        self.written[plane] = True
        self._ram_write(self.planes[plane], data)

    def _check_counter(self):
        xs, xe, ys, ye = self.win
        if not (min(xs, xe) <= self.x <= max(xs, xe) and min(ys, ye) <= self.y <= max(ys, ye)):
            self.flag("RAM write with the address counter (%d, %d) outside the window "
                      "%d..%d x %d..%d: it wraps at the RAM's end, not at the window's"
                      % (self.x, self.y, xs, xe, ys, ye))

    def _ram_write(self, plane, data):
        xs, xe, ys, ye = self.win
        e = self.entry
        dx = 1 if e & 1 else -1
        dy = 1 if e & 2 else -1
        y_first = e & 4
        rb, rows = self.ram_rb, self.ram_h
        x, y = self.x, self.y
        for b in data:
            if 0 <= x < rb and 0 <= y < rows:
                plane[y * rb + x] = b
            if y_first:
                if y == ye:
                    y = ys
                    x = xs if x == xe else (x + dx) % 256
                else:
                    y = (y + dy) % 512
            else:
                if x == xe:
                    x = xs
                    y = ys if y == ye else (y + dy) % 512
                else:
                    x = (x + dx) % 256
        self.x, self.y = x, y

    # -- commands -----------------------------------------------------------------------------

    def _execute(self, cmd, p):
        n = len(p)
        if cmd == 0x12:           # SW reset, §7 p.23: registers, not RAM; BUSY while it runs
            self._por()
            self._set_busy(self.durations.get("reset", _SWRESET_MS), "SW reset")
        elif cmd == 0x01:         # driver output control, §7 p.20: MUX = A[8:0] + 1, GD/SM/TB
            lo = p[0]
            hi = p[1] if n > 1 else (self.mux - 1) >> 8
            self.mux = (lo | ((hi & 1) << 8)) + 1   # A[8:0]: 9 bits
            if n > 2:
                self.gd, self.sm, self.tb = (p[2] >> 2) & 1, (p[2] >> 1) & 1, p[2] & 1
            if self.mux > self.ram_h:
                self.flag("0x01: %d gates, the %s has %d: gates beyond are not driven"
                          % (self.mux, self.CHIP, self.ram_h))
                self.mux = self.ram_h
            elif self.mux < self.glass.gate_offset + self.gates:
                self.flag("0x01: %d gates, the glass has %d rows: rows %d.. are never "
                          "driven" % (self.mux, self.gates, self.mux - self.glass.gate_offset))
        elif cmd == 0x0F:         # gate scan start, SSD1680 §8.2 p.36 (not in its §7 table)
            if self.controller != "ssd1680":
                self._unmodelled(cmd)   # not in the SSD1681 datasheet
                return
            lo = p[0]
            hi = p[1] if n > 1 else self.scan_start >> 8
            self.scan_start = lo | ((hi & 1) << 8)
        elif cmd == 0x10:         # deep sleep, §7 p.23: 01 mode 1 (RAM kept), 11 mode 2 (lost)
            mode = p[0] & 3
            if mode == 0:
                return                  # normal mode (nano-gui sends it after every refresh)
            if mode == 2:
                self.flag("0x10 0x%02x: not a documented deep sleep mode, taken as mode 2 "
                          "(RAM lost)" % p[0])
                mode = 3
            self._enter_sleep(mode)
        elif cmd == 0x11:         # data entry mode, §7 p.23: ID[1:0] X/Y up or down, AM axis
            self.entry = p[0] & 7
        elif cmd == 0x18:         # temperature sensor: 48h external (POR), 80h internal
            self.sensor = p[0]
        elif cmd == 0x1A:         # temperature register, §6.8.3 p.16: A[11:4], A[3:0] << 4
            hi = p[0]
            lo = p[1] >> 4 if n > 1 else self.temp_raw & 0xF
            self.temp_raw = (hi << 4) | lo
        elif cmd == 0x21:         # display update control 1, §7 p.25
            self.ram_opt = p[0]
            if n > 1:
                self.source_mode = p[1]
        elif cmd == 0x22:         # display update control 2, §7 p.26 (run by 0x20)
            self.seq = p[0]
        elif cmd == 0x20:         # master activation, §7 p.25
            self._activate()
        elif cmd == 0x32:         # write LUT register, §6.7 Fig. 6-6 p.15, §7 p.29
            self._write_lut(p)
        elif cmd == 0x37:         # display option, §7: F[6] RAM ping-pong for display mode 2
            if n > 5:
                self.pingpong = bool(p[5] & 0x40)
            self._unmodelled(cmd)       # the display-mode bits: our OTP model has one WS
        elif cmd == 0x44:         # RAM X start/end in bytes, §7 p.31, §8.4 p.38
            self.win[0] = p[0] & 0x3F
            if n > 1:
                self.win[1] = p[1] & 0x3F
        elif cmd == 0x45:         # RAM Y start/end in gates, 9 bits, §7 p.31
            hi = p[1] if n > 1 else self.win[2] >> 8
            self.win[2] = p[0] | ((hi & 1) << 8)
            if n > 2:
                hi = p[3] if n > 3 else self.win[3] >> 8
                self.win[3] = p[2] | ((hi & 1) << 8)
        elif cmd == 0x4E:         # RAM X / Y address counters, §7 p.31
            self.x = p[0] & 0x3F
        elif cmd == 0x4F:
            hi = p[1] if n > 1 else self.y >> 8
            self.y = p[0] | ((hi & 1) << 8)
        elif cmd in (0x46, 0x47):  # auto write RED / B/W RAM, §7: BUSY while it runs
            self._auto_pattern(cmd, p[0])
        elif cmd in _OTP_WRITES:  # initial code, VCOM, WS, OTP selection: OTP programming
            self.flag("0x%02x programs the panel's OTP (irreversible on a real chip): not "
                      "emulated, nothing changes" % cmd)
        else:
            self._unmodelled(cmd)   # the list above, the reads, 0x31 (load WS OTP), 0x34 (CRC)

    def _write_lut(self, p):
        if len(p) < 153:
            self.flag("0x32 with %d of its 153 LUT bytes: the rest keep their old values"
                      % len(p))
            old = bytearray(153)
            p = bytes(p) + bytes(old[len(p):])
        self.lut = wf.ssd168x_lut(p, self.glass.vsh_black)
        self.host_lut = True
        if wf.ssd168x_lut_frames(p) and p[144] != 0x22:
            self.flag("0x32 LUT frame-rate code 0x%02x: timed at FR 2's measured frame"
                      % p[144])

    def _auto_pattern(self, cmd, a):
        # 0x46/0x47 (§7 p.32): fill the RED / B/W plane with a regular pattern; only the
        # uniform fills drivers use (step = whole RAM) are modelled.
        plane = self.planes[1 - self.bw if cmd == 0x46 else self.bw]
        value = 0xFF if a & 0x80 else 0x00
        for i in range(len(plane)):
            plane[i] = value
        self.written[1 - self.bw if cmd == 0x46 else self.bw] = True
        self._set_busy(self.durations.get("lut", self.glass.power_on_ms), "load")

    # -- 0x20: the 0x22 sequence --------------------------------------------------------------

    def _temperature_c(self):
        raw = self.temp_raw
        if raw & 0x800:
            raw -= 0x1000
        return raw / 16

    def _otp_waveform(self, mode2):
        """The waveform setting the OTP holds for the temperature register (§6.9)."""
        g = self.glass
        t = self._temperature_c()
        if mode2:
            if g.partial_ms is None:
                return None
            return wf.otp_partial(g.partial_ms)
        if t >= g.fast_from_c:
            if g.fast_ms is not None:
                return wf.otp_full(g.fast_ms, "OTP display mode 1 at %d degC" % t, FAST)
            self.flag("LUT loaded for %d degC: no fast waveform is known for %s, the "
                      "full one is assumed" % (t, g.name))
        return wf.otp_full(g.full_ms)

    def _activate(self):
        seq = self.seq
        g = self.glass
        if seq & 0x80:
            self.clock = True
        if not self.clock:
            self.flag("0x20 with 0x22 = 0x%02x and the clock off: nothing runs" % seq)
            return
        power_ms = 0
        if seq & 0x40 and not self.analog:
            self.analog = True
            power_ms = g.power_on_ms
        if seq & 0x20:
            if self.sensor == 0x80:
                self.temp_raw = int(g.ambient_c * 16) & 0xFFF
            else:
                self.flag("load temperature with the external sensor selected (0x18 = "
                          "0x%02x) and none fitted: the register keeps %d degC" % (
                              self.sensor, self._temperature_c()))
            power_ms = power_ms or g.power_on_ms
        mode2 = bool(seq & 0x08)
        if seq & 0x10:
            if self.host_lut and self.load_keeps_host_lut:
                pass
            else:
                self.lut = self._otp_waveform(mode2)
                self.host_lut = False
                if self.lut is None:
                    self.flag("load LUT for display mode 2: %s has no mode-2 waveform in "
                              "OTP; a display now does not update the glass (§6.9)"
                              % g.name)
            power_ms = power_ms or g.power_on_ms
        shown = None
        if seq & 0x04:
            shown = self._display(mode2)
        if seq & 0x02 and self.analog:
            self.analog = False
            if shown is None:
                power_ms += g.power_off_ms
        if seq & 0x01:
            self.clock = False
        if shown is not None:
            self._set_busy(shown, "display")
        else:
            key = "lut" if seq & 0x30 and not seq & 0x42 else "power"
            self._set_busy(self.durations.get(key, power_ms), "load")

    def _display(self, mode2):
        """Drive the glass with the LUT register; returns how long it takes (ms)."""
        wave = self.lut
        if not self.analog:
            self.flag("display with the analog block off (0x22 without bit 6 since power "
                      "off): the panel is not driven, the glass keeps its picture")
            return 0
        if wave is None:
            self.flag("display with no waveform in the LUT register (none loaded or written "
                      "since reset): the glass keeps its picture")
            return 0
        mode = wave.mode(self.glass.full_ms)
        prev = 1 - self.bw
        if not self.written[prev] and (wave.finals[wf.BB] != wave.finals[wf.WB] or
                                       wave.finals[wf.BW] != wave.finals[wf.WW]):
            self.flag("%s against a previous image (0x26) never written since power-up: "
                      "undefined RAM decides which pixels move; where it equals the new "
                      "image the glass keeps its old picture" % wave.name)
        self._apply(wave, mode)
        if mode2 and self.pingpong:
            self.bw = 1 - self.bw
        return self.durations.get(mode, wave.ms)

    # -- RAM -> glass --------------------------------------------------------------------------

    def _ram_row(self, g):
        """RAM row shown on glass row g, or None if its gate is not scanned (0x01 GD, SM,
        TB, MUX; 0x0F scan start)."""
        gate = g + self.glass.gate_offset
        mux = self.mux
        if gate >= mux:
            return None
        if self.gd:
            gate ^= 1
            if gate >= mux:
                return None
        if self.sm:
            k = gate // 2 if gate % 2 == 0 else (mux + 1) // 2 + gate // 2
        else:
            k = gate
        if self.tb:
            k = mux - 1 - k
        return (k + self.scan_start) % mux

    def _glass_row(self, g, old, new, mask):
        r = self._ram_row(g)
        if r is None:
            return False
        x0 = self.glass.source_offset
        if self.source_mode_shift and self.source_mode & 0x80:
            x0 -= 8
        base = r * self.ram_rb
        opt = self.ram_opt
        n = self.sources
        red, bw = self.planes[1 - self.bw], self.planes[self.bw]
        take_bits(bw, base, x0, n, new, True, limit=self.ram_w)
        take_bits(red, base, x0, n, old, True, limit=self.ram_w)
        _ram_option(new, opt & 0x0F)
        _ram_option(old, opt >> 4)
        for j in range(self.row_bytes):
            mask[j] = 0xFF
        if x0 < 0:   # S0..S7 are not outputs in source mode S8..S167
            for k in range(-x0):
                mask[k >> 3] &= ~(0x80 >> (k & 7))
        return True


def _ram_option(row, opt):
    if opt & 0x4:          # 0100: bypass RAM content as 0
        for j in range(len(row)):
            row[j] = 0
    elif opt & 0x8:        # 1000: inverse RAM content
        for j in range(len(row)):
            row[j] ^= 0xFF

