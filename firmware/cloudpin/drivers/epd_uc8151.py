"""E-paper driver for UltraChip UC8151 (IL0373-class) panels: 296x128 and 250x122 black/white.

Same shape as the SSD168x drivers (a FrameBuffer with `await show(mode, window)`, `sleep()`),
different controller. The UC8151 keeps an "old" (DTM1, 0x10) and a "new" (DTM2, 0x13) image
and picks a waveform per pixel from the (old, new) pair through four LUTs: WW, BW, WB, BB.

- FULL: LUTs from the panel's OTP (PSR REG=0): every pixel flashes, ghosts cleared. Both
  images are written with the new picture, so the next partial compares against the truth.
- PARTIAL: register LUTs (PSR REG=1) whose WW and BB entries do not drive at all, so only
  changed pixels move; partial mode (PTIN 0x91) with a window (PTL 0x90) whose x range is
  whole bytes; afterwards DTM1 gets the same window (the "previous image" rewrite).
- FAST: register LUTs that drive every pixel with a short waveform.

BUSY_N is LOW while the controller works. Deep sleep (DSLP 0x07 with check code 0xA5) after
power off; only a hardware reset wakes it and the images must be written again.

The register LUTs below are our own short waveforms (7 groups of: level select for 4
phases, 4 frame counts, repeat; VCOM has 2 more bytes). They follow the datasheet's format;
their exact levels and timings are to be tuned on real glass (see the report of issue 5).
"""

from micropython import const

from cloudpin.drivers.epd_base import FAST, FULL, MODE_NAMES, PARTIAL, EPaper, EPDTimeout

__all__ = ("UC8151", "FULL", "PARTIAL", "FAST", "MODE_NAMES", "EPDTimeout")

_PSR = const(0x00)
_POF = const(0x02)
_PON = const(0x04)
_DSLP = const(0x07)
_DTM1 = const(0x10)
_DRF = const(0x12)
_DTM2 = const(0x13)
_LUT_VCOM = const(0x20)
_CDI = const(0x50)
_TRES = const(0x61)
_PTL = const(0x90)
_PTIN = const(0x91)
_PTOUT = const(0x92)

_PSR_OTP = const(0x1F)   # KW (black/white) mode, scan up, shift right, booster on, LUT OTP
_PSR_REG = const(0x3F)   # the same with REG=1: LUTs from registers 0x20-0x24
_RESET_MS = const(10)

# 0x20 VCOM (44 bytes), 0x21 WW, 0x22 BW, 0x23 WB, 0x24 BB (42 bytes each)
_Z6 = b"\x00" * 6
_PARTIAL_LUTS = (
    b"\x00\x0a\x0a\x00\x00\x01" + _Z6 * 6 + b"\x00\x00",
    _Z6 * 7,                                   # WW: unchanged white, not driven
    b"\xa0\x0a\x0a\x00\x00\x01" + _Z6 * 6,     # BW: black -> white
    b"\x50\x0a\x0a\x00\x00\x01" + _Z6 * 6,     # WB: white -> black
    _Z6 * 7,                                   # BB: unchanged black, not driven
)
_FAST_LUTS = (
    b"\x00\x0a\x0a\x0a\x00\x02" + _Z6 * 6 + b"\x00\x00",
    b"\x60\x0a\x0a\x0a\x00\x02" + _Z6 * 6,     # WW: a short black-white shake, ends white
    b"\x60\x0a\x0a\x0a\x00\x02" + _Z6 * 6,
    b"\x90\x0a\x0a\x0a\x00\x02" + _Z6 * 6,     # ends black
    b"\x90\x0a\x0a\x0a\x00\x02" + _Z6 * 6,
)


class UC8151(EPaper):
    MAX_SOURCES = 160
    MAX_GATES = 296
    BUSY_LEVEL = 0
    # Sleep before polling: under the OTP full refresh measured on GDEW029T5D (3251 ms at the
    # power-on 50 Hz, GxEPD2) and our partial LUT's 20 + 2 frames at 50 Hz.
    EXPECT_MS = (3000, 400, 1200)

    def __init__(self, spi, cs, dc, rst, busy, width=296, height=128, rotation=90,
                 source_offset=0, gate_offset=0):
        super().__init__(spi, cs, dc, rst, busy, width, height, rotation, source_offset,
                         gate_offset)
        # image rows start at RAM x 0: a glass wired further in is written through a
        # partial window (PTIN/PTL/PTOUT) even for a full refresh, as GxEPD2 does
        self._offset = bool(source_offset or gate_offset)
        self._awake = False
        self._planes_ok = False   # DTM1 holds what the panel shows
        self._luts = None         # which register LUTs are loaded: PARTIAL, FAST or None

    async def reset(self):
        await self._hw_reset(_RESET_MS)
        self._awake = False
        self._planes_ok = False
        self._luts = None

    async def init(self):
        await self.reset()
        await self._wait_idle()
        self._command(_PSR, bytes((_PSR_OTP,)))
        self._command(_CDI, b"\x97")  # white border, data polarity: 1 = white
        hres = (self.source_offset + self.native_w + 7) // 8 * 8
        v = self.gate_offset + self.native_h
        self._command(_TRES, bytes((hres, v >> 8, v & 0xFF)))
        self._command(_PON)
        await self._wait_idle()
        self._awake = True

    def _load_luts(self, which):
        if self._luts == which:
            return
        luts = _PARTIAL_LUTS if which == PARTIAL else _FAST_LUTS
        for i in range(5):
            self._command(_LUT_VCOM + i, luts[i])
        self._luts = which

    def _image(self, cmd, win):
        self._command(cmd)
        self._send_rows(*win)

    def _ptl(self, win):
        """PTL: the partial window in RAM coordinates (the glass's, moved by the offsets)."""
        xb0, xb1, y0, y1 = win
        x = self.source_offset
        y0 += self.gate_offset
        y1 += self.gate_offset
        self._command(_PTL, bytes(((xb0 << 3) + x, ((xb1 << 3) | 7) + x, y0 >> 8, y0 & 0xFF,
                                   y1 >> 8, y1 & 0xFF, 1)))

    async def _show(self, mode, window):
        """As SSD1680.show: returns the mode used (PARTIAL becomes FULL while the old image
        is not trusted), None for an empty window."""
        if not self._awake:
            await self.init()
        if mode == PARTIAL and not self._planes_ok:
            mode = FULL
        full = self.full_window()
        if mode == PARTIAL:
            win = full if window is None else self.native_window(*window)
            if win is None:
                return None
            self._command(_PSR, bytes((_PSR_REG,)))
            self._load_luts(PARTIAL)
            self._command(_PTIN)
            self._ptl(win)
            self._image(_DTM2, win)
            self._command(_DRF)
            await self._wait_idle(self.expect_ms[PARTIAL])
            self._image(_DTM1, win)
            self._command(_PTOUT)
        else:
            if mode == FAST:
                self._command(_PSR, bytes((_PSR_REG,)))
                self._load_luts(FAST)
            else:
                self._command(_PSR, bytes((_PSR_OTP,)))
            if self._offset:
                self._command(_PTIN)
                self._ptl(full)
            self._image(_DTM1, full)
            self._image(_DTM2, full)
            if self._offset:
                self._command(_PTOUT)
            self._command(_DRF)
            await self._wait_idle(self.expect_ms[mode])
        self._planes_ok = True
        self.refreshes[mode] += 1
        return mode

    async def sleep(self):
        if not self._awake:
            return
        await self._wait_idle()
        self._command(_POF)
        await self._wait_idle()
        self._command(_DSLP, b"\xa5")
        self._awake = False
        self._planes_ok = False
        self._luts = None
