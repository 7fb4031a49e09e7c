# ruff: noqa: F821  (gc, time, json and the verdict helpers come from _prelude.py)
# Panel: the driver (cloudpin.drivers.epd.from_board) initialises the controller and
# shows a test pattern (checkerboard and border) with a full refresh; it must finish with
# BUSY low. On the unix pin the emulated controller's glass must then equal the pattern.
import asyncio

board = load_board()
spec = board.part("panel") or {}
controller = spec.get("controller", "?")
lacking = world_lacks("host_sim.fakes.epd")
try:
    from cloudpin.drivers import epd as drivers
    from cloudpin.drivers.epd_base import FULL
except ImportError:
    drivers = None
if drivers is None:
    waiting("cloudpin.drivers.epd", "(no panel driver on the pin for %s)" % controller)
elif lacking:
    waiting(lacking, "(the unix pin has no emulated %s controller)" % controller)
else:
    epd = drivers.from_board(board)
    if world is not None:
        epd.expect_ms = world.panel_expect_ms
    w, h = epd.width, epd.height
    epd.fill(1)
    for y in range(0, h, 16):
        for x in range(0, w, 16):
            if (x // 16 + y // 16) % 2:
                epd.fill_rect(x, y, 16, 16, 0)
    epd.rect(0, 0, w, h, 0)
    start = time.ticks_ms()
    asyncio.run(epd.show(FULL))
    took = time.ticks_diff(time.ticks_ms(), start)
    busy = board.panel_pins["busy"].value()
    data({"panel": "%s %dx%d" % (controller, w, h), "panel_full_refresh_ms": took})
    wrong = None
    if world is not None:
        wrong = world.panel.bytes_differing(epd.buffer, epd.rotation)
        data({"panel_bytes_differing": wrong})
    if busy:
        failed("BUSY still high after the full refresh returned")
    elif wrong:
        failed("the glass differs from the test pattern in %d bytes" % wrong)
    else:
        passed("%s %dx%d test pattern, full refresh %d ms%s" % (
            controller, w, h, took, "" if world is None else ", glass matches"))
