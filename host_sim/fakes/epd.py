"""Emulated e-paper controllers behind a FakeSPI and FakePins: attach_to_board(board) picks
the one the board's definition names (host_sim.fakes.epd_ssd168x for the SSD1680 / SSD1681,
host_sim.fakes.epd_uc8151 for the UC8151), both built on host_sim.fakes.epd_panel, driving
the glass the definition names (panel.glass, panel.source_offset, panel.gate_offset; see
host_sim.fakes.epd_glass) with waveforms decoded by host_sim.fakes.epd_waveform. Common
MicroPython subset: runs on the unix port too.

Where no datasheet or measurement settles how the chip behaves, the emulator takes the
reading the evidence favours and a switch selects the other (emulator_for options; each
is exercised against the foreign drivers' byte streams in tests/test_epd_foreign.py):

- source_mode_shift (False): SSD1680 0x21 B[7] (S8..S167) moves RAM x 0 to S8. Waveshare's
  2.13" V4 draws at RAM x 0 with and without it on one glass: it does not.
- load_keeps_host_lut (False): a 0x22 "load LUT" keeps a LUT written by 0x32. The datasheet
  loads the OTP's waveform into the same register: it does not. (GxEPD2_213_BN and _150_BN
  draw the same picture either way.)
- otp_pingpong (False, a glass option): the OTP display option turns RAM ping-pong on
  (0x37 F[6] turns it on or off in any case). GxEPD2 1.2.16 worked around OTPs that do.
- copy_new_to_old (True): the UC8151 copies NEW into OLD after a refresh (antirez; GxEPD2 and
  Waveshare's UC8151D partial paths rely on it).
- resolution_from_psr (False): before TRES the UC8151 lays image rows out by PSR RES.
  Adafruit's UC8151D driver (RES 96x230, no TRES) shows 128x296: it does not.
Other glass options: ambient_c (25), fast_from_c (80), vsh_black (True).
"""

import sys

from host_sim.fakes.epd_glass import glass_for
from host_sim.fakes.epd_panel import FAST, FULL, PARTIAL, EmulatedPanel, EPDProtocolError

__all__ = ("FAST", "FULL", "PARTIAL", "EmulatedPanel", "EPDProtocolError", "SSD168xEmulator",
           "UC8151Emulator", "attach_to_board", "emulator_for", "glass_for")

# The unix pin compiles these into its 256 KB heap: there each controller's module is
# imported when a board needs it (emulator_for); CPython re-exports both.
if sys.implementation.name != "micropython":
    from host_sim.fakes.epd_ssd168x import SSD168xEmulator
    from host_sim.fakes.epd_uc8151 import UC8151Emulator


def emulator_for(spi, pins, panel, durations=None, on_refresh=None, **options):
    """The emulated controller for a board definition's panel section on spi and pins
    (cs, dc, rst, busy). options: glass overrides (otp_pingpong, ambient_c, ...) and the
    controller's switches (source_mode_shift, copy_new_to_old, ...)."""
    controller = panel.get("controller", "ssd1680")
    width = panel.get("width", 296 if controller == "uc8151" else 250)
    height = panel.get("height", 128 if controller == "uc8151" else 122)
    switches = {}
    for key in ("source_mode_shift", "load_keeps_host_lut", "copy_new_to_old",
                "resolution_from_psr"):
        if key in options:
            switches[key] = options.pop(key)
    # options may override the offsets: a glass wired other than its board says
    source_offset = options.pop("source_offset", panel.get("source_offset", 0))
    gate_offset = options.pop("gate_offset", panel.get("gate_offset", 0))
    glass = glass_for(controller, width, height, panel.get("glass"), source_offset,
                      gate_offset, **options)
    cs, dc, rst, busy = pins["cs"], pins["dc"], pins["rst"], pins["busy"]
    if controller == "uc8151":
        from host_sim.fakes.epd_uc8151 import UC8151Emulator

        return UC8151Emulator(spi, cs, dc, rst, busy, width, height, durations, on_refresh,
                              glass, **switches)
    from host_sim.fakes.epd_ssd168x import SSD168xEmulator

    return SSD168xEmulator(spi, cs, dc, rst, busy, controller, width, height, durations,
                           on_refresh, glass, **switches)


def attach_to_board(board, durations=None, on_refresh=None, **options):
    """An emulator for the board's panel on its SPI and panel pins, sized and wired from
    its definition."""
    return emulator_for(board.spi, board.panel_pins, board.part("panel") or {}, durations,
                        on_refresh, **options)
