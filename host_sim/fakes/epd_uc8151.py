"""The emulated UltraChip UC8151 / UC8151C / UC8151D (IL0373) e-paper controller, black/white
("KW") and black/white/red ("KWR") modes, behind FakeSPI + FakePins.

No UC8151 datasheet text could be read for this; the command set and bit fields come from
the drivers that transcribe it (RIOT drivers/uc8151d/include/uc8151d_constants.h, Pimoroni
drivers/uc8151/uc8151.hpp, antirez/uc8151_micropython uc8151.py, Good Display's comments in
GxEPD2 src/epd/GxEPD2_290_T5D.cpp) and the sibling UC8179's. Where they are silent the
choice is named and, where the evidence is weak, a switch.

RAM: an OLD (DTM1 0x10) and a NEW (DTM2 0x13) image, 160x296 bits. Image data fills rows of
HRES/8 bytes from the top left, or the PTL (0x90) window while in partial mode (PTIN 0x91,
left by PTOUT 0x92); DRF (0x12) then drives only the window. Resolution: TRES (0x61) once it
is written; before, the glass's size (Adafruit's UC8151D driver sends PSR 0x1F, RES = 96x230,
and no TRES, and shows 128x296 correctly), or with `resolution_from_psr=True` the PSR RES bits.

PSR (0x00): RES[7:6], REG[5] (1: register LUTs 0x20-0x24, 0: the OTP's), KW/R[4] (1: KW),
UD[3] (1: gate 0 first), SHL[2] (1: source 0 first), SHD_N[1], RST_N[0] (0: soft reset); a
second byte (GxEPD2_290_T5's "VCOM to 0V fast") is taken. CDI (0x50) DDX[0] (bit 4) is the
data polarity: 1 (0x97, 0x17, 0xD7) a 1 bit is white, 0 (antirez's 0xCC) a 1 bit is black.
The pixel class is (OLD, NEW) by colour: WW, BW, WB, BB pick LUT 0x21, 0x22, 0x23, 0x24 (RIOT
W2W/B2W/W2B/B2B). PLL (0x30) sets the frame rate (host_sim.fakes.epd_waveform).

After a refresh the controller copies NEW into OLD (antirez uc8151.py: "When we refresh, the
new framebuffer is automatically copied to the old one"; GxEPD2_290_T5D and Waveshare's
EPD_2in9d rewrite only DTM2 between partial refreshes, whose WW/BB LUTs do not drive, which
works only if OLD follows): `copy_new_to_old` (default True).

BUSY_N is low while busy (PON, POF, DRF). FLG (0x71, status) is answered while busy (Waveshare
polls it in a loop); anything else while busy is refused. DSLP (0x07) needs the check code
0xA5, else it is ignored; only a hardware reset wakes it, and the images are lost.
Common MicroPython subset.
"""

from host_sim.fakes import epd_waveform as wf
from host_sim.fakes.epd_glass import glass_for
from host_sim.fakes.epd_panel import ANY, EmulatedPanel, EPDProtocolError, fill_undefined, take_bits

__all__ = ("UC8151Emulator", "EPDProtocolError")

_RAM_W = 160
_RAM_H = 296
_RB = _RAM_W // 8

_COMMANDS = {
    0x00: 2, 0x01: 5, 0x02: 0, 0x03: 1, 0x04: 0, 0x05: 0, 0x06: 3, 0x07: 1, 0x10: None,
    0x11: 0, 0x12: 0, 0x13: None, 0x17: 1, 0x20: 44, 0x21: 42, 0x22: 42, 0x23: 42,
    0x24: 42, 0x2A: ANY, 0x30: 1, 0x40: 0, 0x41: 1, 0x42: ANY, 0x43: 0, 0x50: 1, 0x51: 0,
    0x60: 1, 0x61: 3, 0x65: 3, 0x70: 0, 0x71: 0, 0x80: 0, 0x81: 0, 0x82: 1, 0x90: 7,
    0x91: 0, 0x92: 0, 0xA0: 0, 0xA1: 0, 0xA2: 0, 0xE0: 1, 0xE3: 1, 0xE5: 1,
}
_READS = (0x40, 0x43, 0x51, 0x70, 0x71, 0x81, 0xA2)
_OTP_WRITES = (0xA0, 0xA1)
_RES = ((96, 230), (96, 252), (128, 296), (160, 296))
_PSR_POR = 0x0F   # not published; every driver we read sets PSR before a refresh


class UC8151Emulator(EmulatedPanel):
    COMMANDS = _COMMANDS
    READS = _READS
    BUSY_LEVEL = 0
    CHIP = "UC8151"

    def __init__(self, spi, cs, dc, rst, busy, width=296, height=128, durations=None,
                 on_refresh=None, glass=None, copy_new_to_old=True,
                 resolution_from_psr=False):
        if glass is None or isinstance(glass, str):
            glass = glass_for("uc8151", width, height, glass)
        if glass.source_offset + glass.sources > _RAM_W or \
                glass.gate_offset + glass.gates > _RAM_H:
            raise ValueError("uc8151 cannot drive %dx%d at offset %d,%d" % (
                glass.sources, glass.gates, glass.source_offset, glass.gate_offset))
        self.controller = "uc8151"
        self.copy_new_to_old = copy_new_to_old
        self.resolution_from_psr = resolution_from_psr
        self._col_key = None
        self._col_mask = None
        super().__init__(spi, cs, dc, rst, busy, glass, durations, on_refresh)
        self.ram_old = bytearray(_RB * _RAM_H)
        self.ram_new = bytearray(_RB * _RAM_H)
        fill_undefined(self.ram_old, 8151)
        fill_undefined(self.ram_new, 8152)
        self._por()

    def _por(self):
        self.psr = _PSR_POR
        self.tres = None
        self.cdi_ddx = 1
        self.pll = wf.UC8151_PLL_POR
        self.powered = False
        self.luts = {}
        self.partial_mode = False
        self.ptl = None
        self.cmd = None
        self.params = bytearray()
        self._pos = 0
        self._overflow = False

    def _wake(self):
        fill_undefined(self.ram_old, 8161)
        fill_undefined(self.ram_new, 8162)

    # -- geometry -------------------------------------------------------------------------------

    def resolution(self):
        if self.tres is not None:
            return self.tres
        if self.resolution_from_psr:
            return _RES[self.psr >> 6]
        return ((self.glass.source_offset + self.sources + 7) // 8 * 8,
                self.glass.gate_offset + self.gates)

    def _window(self):
        """(x0 byte, x1 byte, y0, y1) the image data fills."""
        hres, vres = self.resolution()
        if self.partial_mode and self.ptl is not None:
            return self.ptl
        return 0, hres // 8 - 1, 0, vres - 1

    # -- bus ----------------------------------------------------------------------------------

    def _busy_allows(self, dc, data):
        # FLG and the other reads may be polled while busy: Waveshare's EPD_2in9d ReadBusy
        # sends 0x71 until BUSY_N rises and never reads the byte.
        return not dc and len(data) == 1 and data[0] in _READS

    def _read(self, cmd, n):
        if cmd == 0x71:   # FLG: bit 0 = BUSY_N (1: idle); the other flags are not modelled
            return bytes((0 if self.busy() else 1,)) + b"\x00" * (n - 1)
        return None

    def _stream_start(self, cmd):
        self._pos = 0
        self._overflow = False

    def _stream(self, cmd, data):
        plane = self.ram_old if cmd == 0x10 else self.ram_new
        x0, x1, y0, y1 = self._window()
        w = x1 - x0 + 1
        total = w * (y1 - y0 + 1)
        pos = self._pos
        for b in data:
            if pos >= total:
                if not self._overflow:
                    self._overflow = True
                    self.flag("image data beyond the %s (%d bytes): ignored" % (
                        "partial window" if self.partial_mode else "resolution", total))
                break
            r, c = divmod(pos, w)
            plane[(y0 + r) * _RB + x0 + c] = b
            pos += 1
        self._pos = pos

    # -- commands -----------------------------------------------------------------------------

    def _execute(self, cmd, p):
        n = len(p)
        if cmd == 0x00:           # PSR (RIOT UC8151D_PANEL_SETTING_*, Pimoroni PSR_FLAGS)
            if not p[0] & 1:
                self._por()       # RST_N = 0: soft reset
                self.psr = p[0] | 1
                return
            self.psr = p[0]
            if not p[0] & 0x10:
                self.flag("PSR 0x%02x selects KWR (black/white/red) mode on a black/white "
                          "glass: DTM1 is the picture, DTM2 (red) has no ink" % p[0])
        elif cmd == 0x61:         # TRES: HRES[7:3], VRES[8:0]
            hres = p[0] & 0xF8
            vres = ((p[1] & 1) << 8 | p[2]) if n > 2 else self.resolution()[1]
            self.tres = (hres, vres)
            want = self.resolution()
            need = (self.glass.source_offset + self.sources, self.glass.gate_offset + self.gates)
            if hres < need[0] or vres < need[1]:
                self.flag("TRES %dx%d is smaller than the glass (%dx%d): rows are %d bytes "
                          "and the glass beyond is not driven" % (hres, vres, need[0],
                                                                  need[1], hres // 8))
            elif hres > (need[0] + 7) // 8 * 8:
                self.flag("TRES %dx%d is wider than the glass: image rows of %d bytes shear "
                          "a picture laid out for %d" % (want[0], want[1], hres // 8,
                                                         (need[0] + 7) // 8))
        elif cmd == 0x04:         # PON: BUSY_N low until the voltages are up
            if self.powered:
                return
            self.powered = True
            self._set_busy(self.durations.get("power", self.glass.power_on_ms), "power on")
        elif cmd == 0x02:         # POF
            self.powered = False
            self._set_busy(self.durations.get("power", self.glass.power_off_ms), "power off")
        elif cmd == 0x07:         # DSLP: only with the check code 0xA5 (GxEPD2 "check code")
            if p[0] != 0xA5:
                self.flag("DSLP with check code 0x%02x, not 0xA5: ignored, the chip stays "
                          "awake" % p[0])
                return
            self._enter_sleep(1)
        elif 0x20 <= cmd <= 0x24:  # LUTC 44 bytes, LUTWW/BW/WB/BB 42 (7 groups of 6)
            size = 44 if cmd == 0x20 else 42
            lut = bytearray(self.luts.get(cmd, bytes(size)))
            lut[:n] = p
            self.luts[cmd] = bytes(lut)
        elif cmd == 0x30:         # PLL: M[5:3], N[2:0] (host_sim.fakes.epd_waveform)
            self.pll = p[0]
            if wf.uc8151_frame_us(p[0]) is None:
                self.flag("PLL 0x%02x: M or N is 0, not a frame rate; refreshes are timed at "
                          "the power-on 50 Hz" % p[0])
        elif cmd == 0x50:         # CDI: VBD[7:6] border, DDX[5:4] data polarity, CDI[3:0]
            self.cdi_ddx = (p[0] >> 4) & 1
        elif cmd == 0x90:         # PTL: HRST, HRED, VRST, VRED, PT_SCAN
            self._set_ptl(p)
        elif cmd == 0x91:         # PTIN / PTOUT: in partial mode data and DRF use the window
            self.partial_mode = True
        elif cmd == 0x92:
            self.partial_mode = False
        elif cmd == 0x12:         # DRF
            self._refresh()
        elif cmd in _OTP_WRITES:
            self.flag("0x%02x programs the OTP (irreversible on a real chip): not emulated"
                      % cmd)
        else:
            self._unmodelled(cmd)   # PWR, PFS, BTST, TCON, VDCS, TSE, LPD, GSST, ...

    def _set_ptl(self, p):
        if len(p) < 6:
            self.flag("PTL with %d of its 7 bytes: the window is not changed" % len(p))
            return
        hres, vres = self.resolution()
        x0, x1 = p[0] >> 3, p[1] >> 3        # HRST[7:3], HRED[7:3]: whole bytes
        y0 = (p[2] & 1) << 8 | p[3]
        y1 = (p[4] & 1) << 8 | p[5]
        if x0 > x1 or y0 > y1 or x1 >= hres // 8 or y1 >= vres:
            self.flag("PTL window %d..%d x %d..%d is outside %dx%d or reversed: clipped"
                      % (p[0], p[1], y0, y1, hres, vres))
            x1 = min(x1, hres // 8 - 1)
            y1 = min(y1, vres - 1)
            x0 = min(x0, x1)
            y0 = min(y0, y1)
        self.ptl = (x0, x1, y0, y1)

    # -- DRF ----------------------------------------------------------------------------------

    def _waveform(self):
        g = self.glass
        if not self.psr & 0x20:     # REG=0: the OTP waveform, frame-counted
            us = wf.uc8151_frame_us(self.pll) or wf.uc8151_frame_us(wf.UC8151_PLL_POR)
            ms = g.full_ms * g.full_hz * us // 1000000
            return wf.otp_full(ms, "OTP waveform at %d Hz" % (1000000 // us))
        missing = [r for r in range(0x20, 0x25) if r not in self.luts]
        if missing:
            self.flag("PSR selects register LUTs but %s never written since reset: those "
                      "hold zeros, their pixels are not driven" % ", ".join(
                          "0x%02x" % r for r in missing))
        luts = {}
        for r in range(0x20, 0x25):
            luts[r] = self.luts.get(r) or bytes(44 if r == 0x20 else 42)
        return wf.uc8151_luts(luts, self.pll, g.vsh_black)

    def _refresh(self):
        if not self.powered:
            self.flag("DRF with the power off (no PON since reset or POF): the panel is not "
                      "driven, the glass keeps its picture")
            return
        wave = self._waveform()
        mode = wave.mode(self.glass.full_ms)
        self._apply(wave, mode)
        if self.copy_new_to_old and self.psr & 0x10:   # KW mode: DTM1 is the old image
            self.ram_old[:] = self.ram_new
        self._set_busy(self.durations.get(mode, wave.ms), "refresh")

    # -- RAM -> glass --------------------------------------------------------------------------

    def _glass_row(self, g, old, new, mask):
        hres, vres = self.resolution()
        psr = self.psr
        gate = g + self.glass.gate_offset
        if gate >= vres:
            return False
        r = gate if psr & 0x08 else vres - 1 - gate            # UD
        if r >= _RAM_H:
            return False
        s0 = self.glass.source_offset
        n = self.sources
        white = self.cdi_ddx == 1
        base = r * _RB
        shl = psr & 0x04
        x0 = s0 if shl else hres - 1 - s0
        kwr = not psr & 0x10
        take_bits(self.ram_old if kwr else self.ram_new, base, x0, n, new, white,
                  mirror=not shl, limit=hres)
        take_bits(self.ram_old, base, x0, n, old, white, mirror=not shl, limit=hres)
        # glass columns past the resolution, and outside the partial window, are not driven
        win = self.ptl if self.partial_mode and self.ptl is not None else None
        if win is not None and not win[2] <= r <= win[3]:
            return False
        mask[:] = self._columns(hres, shl, win)
        return True

    def _columns(self, hres, shl, win):
        key = (hres, shl, win)
        if key != self._col_key:
            self._col_key = key
            s0 = self.glass.source_offset
            m = bytearray(b"\xff" * self.row_bytes)
            for k in range(self.sources):
                x = s0 + k if shl else hres - 1 - s0 - k
                if x < 0 or x >= hres or (win is not None and not win[0] <= x >> 3 <= win[1]):
                    m[k >> 3] &= ~(0x80 >> (k & 7))
            self._col_mask = m
        return self._col_mask
