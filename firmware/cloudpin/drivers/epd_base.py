"""What every e-paper driver shares: a MONO_HLSB frame buffer in the orientation the wearer
sees, the SPI framing (CS, DC low for a command, high for its data), BUSY awaited with
asyncio (no CPU spin; a stuck line raises EPDTimeout), and rotation into the panel's native
RAM rows without a second frame buffer.

Geometry: a panel's RAM is portrait, `sources` pixels wide (8 per byte, MSB first) and
`gates` rows tall. The board definition gives width/height as the long and short sides;
rotation 0 = native portrait, 90 = landscape as worn, 180, 270. Where the glass sits in the
controller's outputs is wiring (panel.source_offset: the RAM x of its first column, a
multiple of 8; panel.gate_offset: the gate of its first row); native windows below are the
glass's, the controller drivers add the offsets.
"""

import asyncio
import time

import framebuf
from micropython import const

FULL = const(0)
PARTIAL = const(1)
FAST = const(2)
MODE_NAMES = ("full", "partial", "fast")

_POLL_MS = const(10)
_TIMEOUT_MS = const(10000)


class EPDTimeout(OSError):
    pass


class EPaper(framebuf.FrameBuffer):
    MAX_SOURCES = 0
    MAX_GATES = 0
    BUSY_LEVEL = 1               # BUSY's level while the controller works
    EXPECT_MS = (3000, 400, 1500)  # typical FULL, PARTIAL, FAST durations: sleep, then poll

    def __init__(self, spi, cs, dc, rst, busy, width, height, rotation, source_offset=0,
                 gate_offset=0):
        if rotation not in (0, 90, 180, 270):
            raise ValueError("rotation must be 0, 90, 180 or 270")
        gates, sources = (width, height) if width >= height else (height, width)
        if source_offset < 0 or gate_offset < 0 or source_offset % 8:
            raise ValueError("source_offset must be a multiple of 8, offsets >= 0")
        if source_offset + sources > self.MAX_SOURCES or \
                gate_offset + gates > self.MAX_GATES:
            raise ValueError("%s drives at most %dx%d" % (
                type(self).__name__, self.MAX_GATES, self.MAX_SOURCES))
        self.source_offset = source_offset
        self.gate_offset = gate_offset
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
        self._planes_ok = False   # the controller's old/previous image is what the glass shows
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
        level = self.BUSY_LEVEL
        while self.busy() == level:
            if time.ticks_diff(time.ticks_ms(), start) > _TIMEOUT_MS:
                raise EPDTimeout("e-paper BUSY stuck for %d ms" % _TIMEOUT_MS)
            await asyncio.sleep_ms(_POLL_MS)

    async def _hw_reset(self, ms):
        self.rst(0)
        await asyncio.sleep_ms(ms)
        self.rst(1)
        await asyncio.sleep_ms(ms)

    async def _show(self, mode, window):
        raise NotImplementedError  # each controller's refresh sequence

    async def show(self, mode=FULL, window=None):
        """Send the frame buffer and refresh (see the controller's _show). After any error
        (BUSY stuck, SPI failure) the next show starts again from a hardware reset and a
        full refresh: the controller's state is unknown."""
        try:
            return await self._show(mode, window)
        except Exception:
            self._awake = False
            self._planes_ok = False
            raise

    # -- rotation: logical frame buffer -> native RAM rows --------------------------------

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

    def _send_rows(self, xb0, xb1, y0, y1):
        """Data bytes of native rows y0..y1, byte columns xb0..xb1 (after a RAM command)."""
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

    def full_window(self):
        return 0, self._row_bytes - 1, 0, self.native_h - 1

    def native_window(self, x, y, w, h):
        """A logical rectangle -> native (xb0, xb1, y0, y1), x widened to whole bytes so a
        partial update never cuts an 8-pixel RAM column in half. None if empty."""
        x0, y0 = max(0, x), max(0, y)
        x1, y1 = min(self.width, x + w) - 1, min(self.height, y + h) - 1
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
