"""E-paper drivers for Solomon SSD1680 (2.13" 250x122, 2.9" 296x128) and SSD1681 (1.54" 200x200).

A driver is a framebuf.FrameBuffer in the orientation the wearer sees (rotation 0/90/180/270
of the panel's native portrait RAM); graphics code draws on it and never knows the panel.
`await epd.show(mode)` sends the picture and refreshes:

- FULL: both RAM planes get the new image (0x24 "new", 0x26 "previous"), then the full
  waveform (0x22 0xF7): black/white flashes, clears ghosts, 2-4 s.
- PARTIAL: only the window (native x aligned to 8 px) goes to 0x24, the controller drives
  just the pixels that differ from 0x26 (0x22 0xFF, display mode 2), then the same window is
  written to 0x26 so the *next* partial compares against what the panel really shows.
  Forgetting that rewrite is the classic cause of smeared partial updates.
- FAST: a full-image update with the LUT the controller picks for a high temperature
  (0x1A temperature override, load with 0x91, display with 0xC7): ~1.5 s, less flashing.

Deep sleep (0x10) keeps the panel's picture but the RAM planes are not to be trusted after
the hardware reset that wakes it, so the first show() after sleep() re-initialises and is
upgraded to FULL with both planes rewritten. show() returns the mode actually used.

BUSY is high while the controller works. It is awaited with asyncio.sleep_ms: other tasks
(BLE, pedometer) run during a 3 s refresh; a BUSY stuck high raises EPDTimeout.
"""

import asyncio
import time

import framebuf
from micropython import const

FULL = const(0)
PARTIAL = const(1)
FAST = const(2)
MODE_NAMES = ("full", "partial", "fast")

_SW_RESET = const(0x12)
_DRIVER_OUTPUT = const(0x01)
_DATA_ENTRY = const(0x11)
_RAM_X_WINDOW = const(0x44)
_RAM_Y_WINDOW = const(0x45)
_RAM_X_COUNTER = const(0x4E)
_RAM_Y_COUNTER = const(0x4F)
_BORDER = const(0x3C)
_UPDATE_CTRL1 = const(0x21)
_UPDATE_CTRL2 = const(0x22)
_MASTER_ACTIVATE = const(0x20)
_TEMP_SENSOR = const(0x18)
_TEMP_WRITE = const(0x1A)
_WRITE_BW = const(0x24)
_WRITE_PREV = const(0x26)
_DEEP_SLEEP = const(0x10)

# 0x22 sequences (SSD1680 datasheet, "Display Update Control 2")
_SEQ_FULL = const(0xF7)      # clock+analog on, load temp, load LUT (mode 1), display, off
_SEQ_PARTIAL = const(0xFF)   # same with display mode 2: drive only pixels new != previous
_SEQ_LOAD_LUT = const(0x91)  # clock on, load LUT from the temperature register, clock off
_SEQ_DISPLAY = const(0xC7)   # display with the LUT already loaded (used after 0x91)
_FAST_TEMP = const(0x5A)     # 90 degC: the OTP picks its shortest (fast) waveform

_RESET_MS = const(10)
_POLL_MS = const(10)
_TIMEOUT_MS = const(10000)


class EPDTimeout(OSError):
    pass


class SSD1680(framebuf.FrameBuffer):
    """SSD1680: up to 176 sources x 296 gates. Panels: 250x122 (2.13") and 296x128 (2.9").

    width/height: the panel's long and short sides as in the board definition (gates x
    sources); rotation: 0 = native portrait, 90 = landscape as worn, 180, 270.
    """

    MAX_SOURCES = 176
    MAX_GATES = 296
    # Typical durations (datasheet waveforms at 25 degC), used to sleep before polling BUSY.
    EXPECT_MS = (3000, 400, 1500)

    def __init__(self, spi, cs, dc, rst, busy, width=250, height=122, rotation=90):
        if rotation not in (0, 90, 180, 270):
            raise ValueError("rotation must be 0, 90, 180 or 270")
        gates, sources = (width, height) if width >= height else (height, width)
        if sources > self.MAX_SOURCES or gates > self.MAX_GATES:
            raise ValueError("%s drives at most %dx%d" % (
                type(self).__name__, self.MAX_GATES, self.MAX_SOURCES))
        if rotation in (90, 270):
            w, h = gates, sources
        else:
            w, h = sources, gates
        buf = bytearray(((w + 7) // 8) * h)
        super().__init__(buf, w, h, framebuf.MONO_HLSB)
        self.buffer = buf
        self.width = w
        self.height = h
        self.spi, self.cs, self.dc, self.rst, self.busy = spi, cs, dc, rst, busy
        self.native_w = sources          # RAM x (bits within a byte run along it)
        self.native_h = gates            # RAM y
        self.rotation = rotation
        self._row_bytes = (sources + 7) // 8
        self._row = bytearray(self._row_bytes)   # one native row, reused (no per-show alloc)
        self._cmd = bytearray(1)
        self._awake = False       # initialised since the last reset / deep sleep
        self._planes_ok = False   # 0x26 holds what the panel shows
        self.fill(1)
        self.refreshes = [0, 0, 0]  # per mode, for stats
        self.expect_ms = self.EXPECT_MS  # tests with a fast emulated panel shorten these

    # -- bus ----------------------------------------------------------------------------

    def _command(self, cmd, data=None):
        self._cmd[0] = cmd
        self.cs(0)
        self.dc(0)
        self.spi.write(self._cmd)
        if data is not None:
            self.dc(1)
            self.spi.write(data)
        self.cs(1)

    def _data(self, data):
        self.cs(0)
        self.dc(1)
        self.spi.write(data)
        self.cs(1)

    async def _wait_idle(self, expect_ms=0):
        if expect_ms:
            await asyncio.sleep_ms(expect_ms)
        start = time.ticks_ms()
        while self.busy():
            if time.ticks_diff(time.ticks_ms(), start) > _TIMEOUT_MS:
                raise EPDTimeout("e-paper BUSY stuck high for %d ms" % _TIMEOUT_MS)
            await asyncio.sleep_ms(_POLL_MS)

    # -- controller set-up ----------------------------------------------------------------

    async def reset(self):
        """Hardware reset: the only way out of deep sleep. RAM is not trusted afterwards."""
        self.rst(0)
        await asyncio.sleep_ms(_RESET_MS)
        self.rst(1)
        await asyncio.sleep_ms(_RESET_MS)
        self._awake = False
        self._planes_ok = False

    async def init(self):
        await self.reset()
        await self._wait_idle()
        self._command(_SW_RESET)
        await self._wait_idle(_RESET_MS)
        g = self.native_h - 1
        self._command(_DRIVER_OUTPUT, bytes((g & 0xFF, g >> 8, 0)))
        self._command(_DATA_ENTRY, b"\x03")  # x then y increment
        self._command(_BORDER, b"\x05")       # border follows LUT: white
        self._command(_UPDATE_CTRL1, b"\x00\x80")  # B/W only: "red" RAM is our previous image
        self._command(_TEMP_SENSOR, b"\x80")  # internal sensor
        self._awake = True

    def _window(self, xb0, xb1, y0, y1):
        # Native coordinates; x in bytes (8-pixel columns), inclusive ends.
        self._command(_RAM_X_WINDOW, bytes((xb0, xb1)))
        self._command(_RAM_Y_WINDOW, bytes((y0 & 0xFF, y0 >> 8, y1 & 0xFF, y1 >> 8)))
        self._command(_RAM_X_COUNTER, bytes((xb0,)))
        self._command(_RAM_Y_COUNTER, bytes((y0 & 0xFF, y0 >> 8)))

    # -- rotation: logical framebuffer -> native RAM rows ---------------------------------

    def _native_row(self, ny, xb0, xb1, pixel):
        """Fill self._row[xb0..xb1] with native row ny of a rotated frame buffer. pixel is
        self.pixel, bound once per plane by the caller (a bound method per row is garbage)."""
        row = self._row
        rot = self.rotation
        nw1 = self.native_w - 1
        nh1 = self.native_h - 1
        for b in range(xb0, xb1 + 1):
            v = 0
            nx = b << 3
            for k in range(8):
                x = nx + k
                if x > nw1:
                    v = (v << 1) | 1   # beyond the glass: white
                    continue
                if rot == 90:
                    p = pixel(ny, nw1 - x)
                elif rot == 180:
                    p = pixel(nw1 - x, nh1 - ny)
                else:
                    p = pixel(nh1 - ny, x)
                v = (v << 1) | (1 if p else 0)
            row[b] = v

    def _write_plane(self, cmd, xb0, xb1, y0, y1):
        self._window(xb0, xb1, y0, y1)
        self._command(cmd)
        rb = self._row_bytes
        if self.rotation == 0:
            # the frame buffer's rows are the RAM's rows: send them as they are
            mv = memoryview(self.buffer)
            if xb0 == 0 and xb1 == rb - 1:
                self._data(mv[y0 * rb:(y1 + 1) * rb])
                return
            for ny in range(y0, y1 + 1):
                self._data(mv[ny * rb + xb0:ny * rb + xb1 + 1])
            return
        out = memoryview(self._row)[xb0:xb1 + 1]  # one view per plane, not per row
        pixel = self.pixel
        for ny in range(y0, y1 + 1):
            self._native_row(ny, xb0, xb1, pixel)
            self._data(out)

    def native_window(self, x, y, w, h):
        """A logical rectangle -> native (xb0, xb1, y0, y1), x widened to whole bytes so a
        partial update never cuts an 8-pixel RAM column in half."""
        x0, y0, x1, y1 = max(0, x), max(0, y), min(self.width, x + w) - 1, min(self.height, y + h) - 1
        if x1 < x0 or y1 < y0:
            return None
        rot = self.rotation
        nw1, nh1 = self.native_w - 1, self.native_h - 1
        if rot == 0:
            nx0, nx1, ny0, ny1 = x0, x1, y0, y1
        elif rot == 90:
            nx0, nx1, ny0, ny1 = nw1 - y1, nw1 - y0, x0, x1
        elif rot == 180:
            nx0, nx1, ny0, ny1 = nw1 - x1, nw1 - x0, nh1 - y1, nh1 - y0
        else:
            nx0, nx1, ny0, ny1 = y0, y1, nh1 - x1, nh1 - x0
        return nx0 >> 3, nx1 >> 3, ny0, ny1

    # -- public ---------------------------------------------------------------------------

    async def show(self, mode=FULL, window=None):
        """Send the frame buffer and refresh. window=(x, y, w, h) in logical pixels limits a
        PARTIAL update (None: whole screen). Returns the mode used: a partial with untrusted
        RAM planes (first show, after sleep) is done as FULL."""
        if not self._awake:
            await self.init()
        if mode == PARTIAL and not self._planes_ok:
            mode = FULL
        full = (0, self._row_bytes - 1, 0, self.native_h - 1)
        if mode == PARTIAL:
            win = full if window is None else self.native_window(*window)
            if win is None:
                return None
            self._write_plane(_WRITE_BW, *win)
            self._command(_UPDATE_CTRL2, bytes((_SEQ_PARTIAL,)))
            self._command(_MASTER_ACTIVATE)
            await self._wait_idle(self.expect_ms[PARTIAL])
            self._write_plane(_WRITE_PREV, *win)
        else:
            self._write_plane(_WRITE_BW, *full)
            self._write_plane(_WRITE_PREV, *full)
            if mode == FAST:
                self._command(_TEMP_WRITE, bytes((_FAST_TEMP, 0)))
                self._command(_UPDATE_CTRL2, bytes((_SEQ_LOAD_LUT,)))
                self._command(_MASTER_ACTIVATE)
                await self._wait_idle()
                self._command(_UPDATE_CTRL2, bytes((_SEQ_DISPLAY,)))
            else:
                self._command(_UPDATE_CTRL2, bytes((_SEQ_FULL,)))
            self._command(_MASTER_ACTIVATE)
            await self._wait_idle(self.expect_ms[mode])
        self._planes_ok = True
        self.refreshes[mode] += 1
        return mode

    async def sleep(self):
        """Deep sleep (about 1 uA). The picture stays; the next show() wakes the panel."""
        if not self._awake:
            return
        await self._wait_idle()
        self._command(_DEEP_SLEEP, b"\x01")
        self._awake = False
        self._planes_ok = False


class SSD1681(SSD1680):
    """SSD1681: 200 sources x 200 gates, the 1.54" 200x200 panel. Same command set."""

    MAX_SOURCES = 200
    MAX_GATES = 200
    EXPECT_MS = (2000, 400, 1200)

    def __init__(self, spi, cs, dc, rst, busy, width=200, height=200, rotation=0):
        super().__init__(spi, cs, dc, rst, busy, width, height, rotation)


CONTROLLERS = {"ssd1680": SSD1680, "ssd1681": SSD1681}


def from_board(board):
    """The panel driver for a Board (definition "panel": controller, width, height, rotation)."""
    panel = board.part("panel") or {}
    cls = CONTROLLERS.get(panel.get("controller"))
    if cls is None:
        raise ValueError("no driver for panel controller %r" % panel.get("controller"))
    p = board.panel_pins
    return cls(board.spi, p["cs"], p["dc"], p["rst"], p["busy"], panel.get("width", 250),
               panel.get("height", 122), panel.get("rotation", 90))
