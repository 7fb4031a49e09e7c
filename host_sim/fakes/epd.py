"""Emulated e-paper controllers behind a FakeSPI and FakePins: attach_to_board(board) picks
the one the board's definition names (host_sim.fakes.epd_ssd168x for the SSD1680 / SSD1681,
host_sim.fakes.epd_uc8151 for the UC8151), both built on host_sim.fakes.epd_panel. Their
names are re-exported here. Common MicroPython subset: runs on the unix port too."""

from host_sim.fakes.epd_panel import FAST, FULL, PARTIAL, EmulatedPanel, EPDProtocolError
from host_sim.fakes.epd_ssd168x import SSD168xEmulator
from host_sim.fakes.epd_uc8151 import UC8151Emulator

__all__ = ("FAST", "FULL", "PARTIAL", "EmulatedPanel", "EPDProtocolError", "SSD168xEmulator",
           "UC8151Emulator", "attach_to_board")


def attach_to_board(board, durations=None, on_refresh=None):
    """An emulator for the board's panel controller on its SPI and panel pins, sized from
    its definition."""
    panel = board.part("panel") or {}
    p = board.panel_pins
    controller = panel.get("controller", "ssd1680")
    if controller == "uc8151":
        return UC8151Emulator(board.spi, p["cs"], p["dc"], p["rst"], p["busy"],
                              panel.get("width", 296), panel.get("height", 128), durations,
                              on_refresh)
    return SSD168xEmulator(board.spi, p["cs"], p["dc"], p["rst"], p["busy"], controller,
                           panel.get("width", 250), panel.get("height", 122), durations,
                           on_refresh)
