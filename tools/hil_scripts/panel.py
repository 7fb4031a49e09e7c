# ruff: noqa: F821  (gc, time, json and the verdict helpers come from _prelude.py)
# Panel: the driver (cloudpin.drivers.epd_*) initialises the controller and shows a test
# pattern (checkerboard + border) with a full refresh; BUSY must go low again in time.
board = load_board()
panel = board.part("panel") or {}
controller = panel.get("controller", "?")
lacking = world_lacks("host_sim.fakes.epd")
drivers = []
try:
    import os

    drivers = [n.split(".")[0] for n in os.listdir("/lib/cloudpin/drivers") if n.startswith("epd_")]
except OSError:
    pass
if not drivers:
    waiting("cloudpin.drivers.epd_*", "(no panel driver on the pin for %s)" % controller)
elif lacking:
    waiting(lacking, "(the unix pin has no emulated %s controller yet)" % controller)
else:
    mod = __import__("cloudpin.drivers." + drivers[0], None, None, ("x",))
    make = getattr(mod, "from_board", None)
    if make is None:
        failed("cloudpin.drivers.%s has no from_board(board); HIL expects one" % drivers[0])
    else:
        epd = make(board)
        w, h = epd.width, epd.height
        epd.fill(1)
        for y in range(0, h, 16):
            for x in range(0, w, 16):
                if (x // 16 + y // 16) % 2:
                    epd.fill_rect(x, y, 16, 16, 0)
        epd.rect(0, 0, w, h, 0)
        start = time.ticks_ms()
        epd.show("full") if hasattr(epd, "show") else None
        busy = board.panel_pins["busy"]
        while busy.value() and time.ticks_diff(time.ticks_ms(), start) < 10000:
            time.sleep_ms(20)
        took = time.ticks_diff(time.ticks_ms(), start)
        data({"panel_full_refresh_ms": took, "panel": "%s %dx%d" % (controller, w, h)})
        if busy.value():
            failed("BUSY still high 10 s after a full refresh")
        else:
            passed("%s %dx%d test pattern, full refresh %d ms" % (controller, w, h, took))
