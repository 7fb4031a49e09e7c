"""The display service on a simulated pin (virtual time): which refreshes happen when."""

from host_sim import runtime

runtime.install()

from host_sim.fakes.board import sim_board  # noqa: E402
from host_sim.fakes.epd import attach_to_board  # noqa: E402
from host_sim.runtime.scheduler import Simulation  # noqa: E402

PROFILE = {"name": "Maria Fernández", "org": "RTVE", "role": "Camera",
           "link": "https://cloudpin.example/c/3f2a9c01", "sport": 11}


def _modes(emu):
    return [m for m, _ in emu.history]


def test_display_service_refreshes_only_what_changed():
    from cloudpin.display import Display
    from cloudpin.drivers import epd as epd_drivers

    with Simulation() as sim:
        board = sim_board()
        emu = attach_to_board(board)
        epd = epd_drivers.from_board(board)
        display = Display(epd, max_partials=3, hold_ms=10000, sleep_after_ms=120000,
                          min_interval_ms=20000)
        display.set_profile(PROFILE)
        display.set_status(steps=10, friends=1, battery=80, ble="on")
        sim.spawn(display.run())
        sim.run_for(5)
        assert _modes(emu) == ["full"]
        assert emu.logical(90)[0] == epd.buffer

        sim.run_for(60)                      # nothing changes: no refresh
        assert _modes(emu) == ["full"]

        display.set_status(steps=11)
        sim.run_for(2)
        assert _modes(emu) == ["full", "partial"]
        assert emu.logical(90)[0] == epd.buffer and emu.mismatch_pixels() == 0

        display.set_status(steps=12)         # within min_interval: waits, then partial
        sim.run_for(5)
        assert _modes(emu)[-1] == "partial" and len(emu.history) == 2
        sim.run_for(20)
        assert _modes(emu) == ["full", "partial", "partial"]

        display.new_friend({"name": "Łukasz Dąbrowski", "org": "TVP"}, 2)
        sim.run_for(4)                       # urgent: no min-interval wait; new layout: full
        assert _modes(emu)[-1] == "full" and display.screen.kind == "friend"
        sim.run_for(12)                      # hold over: back to the tag
        assert display.screen.kind == "tag" and _modes(emu)[-1] == "full"

        for i in range(4):                   # 3 partials, then the 4th change is a full
            display.set_status(steps=100 + i)
            sim.run_for(25)
        assert _modes(emu)[-4:] == ["partial", "partial", "partial", "full"]
        assert emu.logical(90)[0] == epd.buffer and emu.mismatch_pixels() == 0

        sim.run_for(150)                     # idle: the panel sleeps
        assert emu.asleep
        n = len(emu.history)
        display.set_status(friends=5)
        sim.run_for(5)                       # woken: full refresh, RAM rewritten
        assert _modes(emu)[n:] == ["full"] and not emu.asleep
        assert emu.logical(90)[0] == epd.buffer
        assert display.qr.computed == 1      # the QR code was encoded once


def test_display_survives_a_stuck_panel_and_recovers():
    from cloudpin.display import Display
    from cloudpin.drivers import epd as epd_drivers

    logs = []
    with Simulation() as sim:
        board = sim_board()
        emu = attach_to_board(board)
        epd = epd_drivers.from_board(board)
        display = Display(epd, min_interval_ms=0, log=lambda *a: logs.append(a))
        display.retry_ms = 30000
        display.set_profile(PROFILE)
        busy = board.panel_pins["busy"]
        busy.drive_from(lambda: 1)            # BUSY never falls: a loose flex cable
        sim.spawn(display.run())
        sim.run_for(20)
        assert display.errors == 1 and "BUSY" in repr(logs[0])
        assert emu.history == []
        busy.drive_from(lambda: 1 if emu.busy() else 0)   # reseated
        sim.run_for(60)
        assert [m for m, _ in emu.history] == ["full"]
        assert emu.logical(90)[0] == epd.buffer and display.errors == 1
