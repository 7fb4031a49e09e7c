"""E-paper drivers for Solomon SSD1680 (2.13" 250x122, 2.9" 296x128) and SSD1681 (1.54" 200x200).

A driver is a framebuf.FrameBuffer in the orientation the wearer sees (rotation 0/90/180/270
of the panel's native portrait RAM, see epd_base); graphics code draws on it and never knows
the panel.
`await epd.show(mode)` sends the picture and refreshes:

- FULL: both RAM planes get the new image (0x24 "new", 0x26 "previous"), then the full
  waveform (0x22 0xF7): black/white flashes, clears ghosts, 2-4 s.
- PARTIAL: only the window (native x aligned to 8 px) goes to 0x24, the controller drives
  just the pixels that differ from 0x26 (0x22 0xFF, display mode 2), then the same window is
  written to 0x26 so the *next* partial compares against what the panel really shows
  (forgetting that rewrite is the classic cause of smeared partial updates), and to 0x24
  once more: a panel whose OTP turns on RAM ping-pong (0x37 F[6]) swaps the planes' roles
  after a mode-2 refresh, so 0x24 then holds an older picture (GxEPD2 1.2.16 fixed the same
  on GDEH0154D67, "to work independent of OTP version").
- FAST: a full-image update with the LUT the controller picks for a high temperature
  (0x1A temperature override, load with 0x91, display with 0xC7): ~1.5 s, less flashing.

Deep sleep (0x10) keeps the panel's picture but the RAM planes are not to be trusted after
the hardware reset that wakes it, so the first show() after sleep() re-initialises and is
upgraded to FULL with both planes rewritten. show() returns the mode actually used.

BUSY is high while the controller works. It is awaited with asyncio.sleep_ms: other tasks
(BLE, pedometer) run during a 3 s refresh; a BUSY stuck high raises EPDTimeout.
"""

from micropython import const

from cloudpin.drivers.epd_base import FAST, FULL, MODE_NAMES, PARTIAL, EPaper, EPDTimeout

__all__ = ("SSD1680", "SSD1681", "FULL", "PARTIAL", "FAST", "MODE_NAMES", "EPDTimeout")

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


class SSD1680(EPaper):
    """SSD1680: up to 176 sources x 296 gates. Panels: 250x122 (2.13") and 296x128 (2.9")."""

    MAX_SOURCES = 176
    MAX_GATES = 296
    BUSY_LEVEL = 1
    # Sleep this long before polling BUSY: just under the shortest time measured on any
    # SSD1680 glass we support (host_sim/fakes/epd_glass.py, from GxEPD2's measurements).
    EXPECT_MS = (3000, 350, 1500)
    # 0x21: RAM options normal; B[7] source output mode S8..S167, as GxEPD2 and Waveshare
    # send it for 122/128-pixel SSD1680 glasses (the SSD1681 datasheet defines no B bits)
    UPDATE_CTRL1 = b"\x00\x80"

    def __init__(self, spi, cs, dc, rst, busy, width=250, height=122, rotation=90,
                 source_offset=0, gate_offset=0):
        super().__init__(spi, cs, dc, rst, busy, width, height, rotation, source_offset,
                         gate_offset)
        self._awake = False       # initialised since the last reset / deep sleep
        self._planes_ok = False   # 0x26 holds what the panel shows

    # -- controller set-up ----------------------------------------------------------------

    async def reset(self):
        """Hardware reset: the only way out of deep sleep. RAM is not trusted afterwards."""
        await self._hw_reset(_RESET_MS)
        self._awake = False
        self._planes_ok = False

    async def init(self):
        await self.reset()
        await self._wait_idle()
        self._command(_SW_RESET)
        await self._wait_idle(_RESET_MS)
        g = self.gate_offset + self.native_h - 1
        self._command(_DRIVER_OUTPUT, bytes((g & 0xFF, g >> 8, 0)))
        self._command(_DATA_ENTRY, b"\x03")  # x then y increment
        self._command(_BORDER, b"\x05")       # border follows LUT: white
        if self.UPDATE_CTRL1:
            self._command(_UPDATE_CTRL1, self.UPDATE_CTRL1)
        self._command(_TEMP_SENSOR, b"\x80")  # internal sensor
        self._awake = True

    def _window(self, xb0, xb1, y0, y1):
        # Native glass coordinates; x in bytes (8-pixel columns), inclusive ends; the RAM
        # window is where the glass is wired.
        xo = self.source_offset >> 3
        xb0 += xo
        xb1 += xo
        y0 += self.gate_offset
        y1 += self.gate_offset
        self._command(_RAM_X_WINDOW, bytes((xb0, xb1)))
        self._command(_RAM_Y_WINDOW, bytes((y0 & 0xFF, y0 >> 8, y1 & 0xFF, y1 >> 8)))
        self._command(_RAM_X_COUNTER, bytes((xb0,)))
        self._command(_RAM_Y_COUNTER, bytes((y0 & 0xFF, y0 >> 8)))

    def _write_plane(self, cmd, xb0, xb1, y0, y1):
        self._window(xb0, xb1, y0, y1)
        self._command(cmd)
        self._send_rows(xb0, xb1, y0, y1)

    # -- public ---------------------------------------------------------------------------

    async def _show(self, mode, window):
        """Send the frame buffer and refresh. window=(x, y, w, h) in logical pixels limits a
        PARTIAL update (None: whole screen). Returns the mode used: a partial with untrusted
        RAM planes (first show, after sleep) is done as FULL; None if the window is empty."""
        if not self._awake:
            await self.init()
        if mode == PARTIAL and not self._planes_ok:
            mode = FULL
        full = self.full_window()
        if mode == PARTIAL:
            win = full if window is None else self.native_window(*window)
            if win is None:
                return None
            self._write_plane(_WRITE_BW, *win)
            self._command(_UPDATE_CTRL2, bytes((_SEQ_PARTIAL,)))
            self._command(_MASTER_ACTIVATE)
            await self._wait_idle(self.expect_ms[PARTIAL])
            self._write_plane(_WRITE_PREV, *win)
            self._write_plane(_WRITE_BW, *win)
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
    EXPECT_MS = (2400, 450, 1200)
    UPDATE_CTRL1 = None   # GxEPD2's SSD1681 classes never send 0x21 either

    def __init__(self, spi, cs, dc, rst, busy, width=200, height=200, rotation=0,
                 source_offset=0, gate_offset=0):
        super().__init__(spi, cs, dc, rst, busy, width, height, rotation, source_offset,
                         gate_offset)


CONTROLLERS = {"ssd1680": SSD1680, "ssd1681": SSD1681}

