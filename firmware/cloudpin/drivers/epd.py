"""The e-paper driver for a board: picks the controller's module from the definition.

    epd = cloudpin.drivers.epd.from_board(board)   # board.part("panel"): controller, size,
                                                    # rotation, source/gate offsets; pins
                                                    # from board.panel_pins
"""


def driver_class(controller):
    if controller in ("ssd1680", "ssd1681"):
        from cloudpin.drivers import epd_ssd168x

        return epd_ssd168x.CONTROLLERS[controller]
    if controller == "uc8151":
        from cloudpin.drivers import epd_uc8151

        return epd_uc8151.UC8151
    raise ValueError("no driver for panel controller %r" % (controller,))


def from_board(board):
    panel = board.part("panel") or {}
    cls = driver_class(panel.get("controller"))
    p = board.panel_pins
    return cls(board.spi, p["cs"], p["dc"], p["rst"], p["busy"], panel.get("width", 250),
               panel.get("height", 122), panel.get("rotation", 90),
               panel.get("source_offset", 0), panel.get("gate_offset", 0))
