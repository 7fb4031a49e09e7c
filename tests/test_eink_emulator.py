"""The emulated controllers with our own drivers and hand-made byte streams: what a real chip
refuses, what it takes with a visible consequence (flags), durations on virtual time, ghosts,
deep sleep, the stale-previous-image bug, RAM ping-pong, wiring offsets, PNG export. The
foreign drivers' streams are in test_epd_foreign.py."""

import pytest
from PIL import Image

from host_sim import runtime

runtime.install()  # firmware/ on sys.path, MicroPython shims: before importing the fakes

from host_sim.fakes.board import sim_board  # noqa: E402
from host_sim.fakes.epd import EPDProtocolError, attach_to_board  # noqa: E402
from host_sim.runtime.scheduler import Simulation  # noqa: E402


@pytest.fixture
def sim():
    s = Simulation()
    yield s
    s.close()


@pytest.fixture
def panel(sim):
    from cloudpin.drivers import epd as epd_drivers

    board = sim_board()
    emu = attach_to_board(board)
    return board, emu, epd_drivers.from_board(board)


def _send(board, cmd, data=b""):
    p = board.panel_pins
    p["cs"](0)
    p["dc"](0)
    board.spi.write(bytes((cmd,)))
    if data:
        p["dc"](1)
        board.spi.write(data)
    p["cs"](1)


def test_full_refresh_takes_the_measured_time(sim, panel):
    # the default 2.13" board drives a DEPG0213BN: GxEPD2 measured 4011934 us full and
    # 736721 us partial on it
    board, emu, epd = panel
    assert emu.glass.name == "DEPG0213BN"
    start = sim.now_s
    assert sim.run_until_complete(epd.show(0)) == 0
    took = sim.now_s - start
    assert 4.01 <= took < 4.2  # waveform + reset waits and polling granularity (virtual)
    start = sim.now_s
    sim.run_until_complete(epd.show(1, (0, 0, 8, 8)))
    assert 0.73 <= sim.now_s - start < 0.8


def test_command_while_busy_is_rejected(sim, panel):
    board, emu, epd = panel
    sim.run_until_complete(epd.show(0))
    _send(board, 0x22, b"\xf7")
    _send(board, 0x20)
    assert board.panel_pins["busy"].value() == 1
    with pytest.raises(EPDProtocolError, match="BUSY"):
        _send(board, 0x24)


def test_ram_write_in_deep_sleep_is_rejected_and_busy_stays_high(sim, panel):
    board, emu, epd = panel
    sim.run_until_complete(epd.show(0))
    sim.run_until_complete(epd.sleep())
    assert board.panel_pins["busy"].value() == 1   # 0x10: "BUSY pad will keep output high"
    with pytest.raises(EPDProtocolError, match="deep sleep"):
        _send(board, 0x24, b"\x00")


def _reset(board):
    rst = board.panel_pins["rst"]
    rst(0)
    rst(1)


def test_deep_sleep_mode_1_keeps_the_ram_and_mode_2_loses_it(sim, panel):
    board, emu, epd = panel
    sim.run_until_complete(epd.show(0))
    kept = (bytes(emu.ram_bw), bytes(emu.ram_prev))
    _send(board, 0x10, b"\x01")            # mode 1: "RAM data retained"
    _reset(board)
    assert (bytes(emu.ram_bw), bytes(emu.ram_prev)) == kept and not emu.asleep
    _send(board, 0x10, b"\x03")            # mode 2: "RAM data not retained"
    _reset(board)
    assert bytes(emu.ram_bw) != kept[0] and bytes(emu.ram_prev) != kept[1]
    assert board.panel_pins["busy"].value() == 0


def test_what_the_chip_refuses_and_what_it_takes(sim, panel):
    board, emu, epd = panel
    sim.run_until_complete(epd.reset())
    with pytest.raises(EPDProtocolError, match="not in the SSD1680 datasheet"):
        _send(board, 0x99)
    # taken like the chip takes them: RAM writes before 0x01 (power-on values), a gate
    # count other than the glass's, 9-bit gate counts, a short 0x1A, a falling window
    _send(board, 0x24, b"\x00")
    _send(board, 0x01, bytes((0x27, 0x01, 0x00)))   # 296 gates on a 250-row glass
    assert emu.mux == 296 and emu.flags == []
    _send(board, 0x01, b"\xc7\xff\x00")             # A[8:0] = 0x1C7: 456 > 296
    assert emu.mux == 296 and "456 gates" in emu.flags[-1]
    _send(board, 0x1A, b"\x64")                       # one byte: A[11:4] ...
    _send(board, 0x7F)                                 # ... taken when the next command ends it
    assert emu.temp_raw >> 4 == 0x64
    _send(board, 0x11, b"\x01")
    _send(board, 0x45, b"\xf9\x00\x00\x00")
    assert emu.win[2:] == [249, 0] and emu.entry == 1
    _send(board, 0x3C, b"\x05\x00\x00")            # two bytes too many: ignored
    assert "0x3c takes 1 parameter byte(s): 2 more ignored" in emu.flags[-1]
    # 0x20 with a sequence that enables nothing after reset: nothing runs (flagged)
    _send(board, 0x22, b"\x0c")
    _send(board, 0x20)
    assert "clock off: nothing runs" in emu.flags[-1] and emu.history == []
    _send(board, 0x22, b"\x8c")                       # clock on, display, no analog
    _send(board, 0x20)
    assert "analog block off" in emu.flags[-1] and emu.history == []


@pytest.mark.parametrize("seq, busy_ms, refresh", (
    (0x80, 0, None), (0xC0, 96, None), (0x91, 96, None), (0x99, 96, None),
    (0xB1, 96, None), (0xB9, 96, None), (0xF8, 96, None), (0xE0, 96, None),
    (0xC7, 4012, "full"), (0xF7, 4012, "full"), (0xF4, 4012, "full"),
    (0xFF, 737, "partial"), (0xFC, 737, "partial"), (0xCF, 737, "partial"),
    (0xD7, 4012, "full"),
))
def test_every_display_update_sequence_decodes(sim, panel, seq, busy_ms, refresh):
    # 0x22 is a bit field: clock, analog, temperature, LUT, mode 2, display, off, off.
    board, emu, epd = panel
    sim.run_until_complete(epd.show(0))                # a LUT is loaded, RAM written
    sim.run_until_complete(epd._wait_idle())
    n = len(emu.history)
    if seq in (0xC7, 0xCF):
        _send(board, 0x22, b"\x99" if seq == 0xCF else b"\x91")   # load the LUT first
        _send(board, 0x20)
        sim.run_until_complete(epd._wait_idle())
        n = len(emu.history)
    _send(board, 0x22, bytes((seq,)))
    _send(board, 0x20)
    from tests.epd_replay import busy_left

    assert busy_left(emu) == busy_ms
    assert [m for m, _ in emu.history[n:]] == ([refresh] if refresh else [])
    assert emu.flags == []


def test_forgetting_the_previous_image_rewrite_smears_partials(sim):
    from cloudpin.drivers import epd_ssd168x

    class Forgetful(epd_ssd168x.SSD1680):
        # the classic bug: never write 0x26 after a partial
        def _write_plane(self, cmd, *win):
            if cmd == 0x26 and self._planes_ok:
                return
            super()._write_plane(cmd, *win)

    for cls, smeared in ((epd_ssd168x.SSD1680, False), (Forgetful, True)):
        board = sim_board()
        emu = attach_to_board(board)
        p = board.panel_pins
        epd = cls(board.spi, p["cs"], p["dc"], p["rst"], p["busy"], 250, 122, 90)
        sim.run_until_complete(epd.show(0))
        epd.fill_rect(16, 16, 16, 16, 0)          # black square
        sim.run_until_complete(epd.show(1, (16, 16, 16, 16)))
        epd.fill_rect(16, 16, 16, 16, 1)          # and back to white
        sim.run_until_complete(epd.show(1, (16, 16, 16, 16)))
        assert (emu.mismatch_pixels() > 0) == smeared
        assert (emu.logical(90)[0] != epd.buffer) == smeared


def test_partials_stay_right_when_the_otp_turns_ram_ping_pong_on(sim):
    # Some OTPs set 0x37 F[6]: after a display-mode-2 refresh the planes swap roles. A
    # driver that rewrites only 0x26 after a partial (ours before issue 21, GxEPD2's
    # GDEH0154D67 class before 1.2.16, "ping-pong issue") leaves an old picture in 0x24,
    # and the next partial puts it back on the glass. Ours rewrites both planes.
    from cloudpin.drivers import epd_ssd168x

    class OnlyPrevious(epd_ssd168x.SSD1680):
        last = None

        def _write_plane(self, cmd, *win):
            skip = cmd == 0x24 and self.last == 0x26   # the 0x24 rewrite after a partial
            self.last = cmd
            if not skip:
                super()._write_plane(cmd, *win)

    for cls, right in ((epd_ssd168x.SSD1680, True), (OnlyPrevious, False)):
        board = sim_board(definition={"id": "t", "panel": {
            "controller": "ssd1680", "width": 296, "height": 128, "rotation": 90,
            "glass": "GDEY029T94"}})
        emu = attach_to_board(board, otp_pingpong=True)
        p = board.panel_pins
        epd = cls(board.spi, p["cs"], p["dc"], p["rst"], p["busy"], 296, 128, 90)
        sim.run_until_complete(epd.show(0))
        for x in (16, 64, 112):
            epd.fill_rect(x, 16, 16, 16, 0)
            sim.run_until_complete(epd.show(1, (x, 16, 16, 16)))
        assert (emu.logical(90)[0] == epd.buffer) == right


def test_a_glass_wired_at_an_offset_needs_the_board_to_say_so(sim):
    # Adafruit's MagTag ships two SSD1680 glasses, one at RAM x 0 and one at RAM x 8
    # (CircuitPython board.c: "FPC-7519rev.b ... need colstart=8"): the board definition
    # says where the glass is, the driver writes there.
    from cloudpin.drivers import epd as epd_drivers

    panel = {"controller": "ssd1680", "width": 250, "height": 122, "rotation": 90,
             "source_offset": 8}
    board = sim_board(definition={"id": "t", "panel": panel})
    emu = attach_to_board(board)
    epd = epd_drivers.from_board(board)
    epd.fill_rect(0, 0, 40, 20, 0)
    sim.run_until_complete(epd.show(0))
    assert emu.logical(90)[0] == epd.buffer
    board = sim_board(definition={"id": "t", "panel": dict(panel, source_offset=0)})
    emu = attach_to_board(board, source_offset=8)     # the glass is at 8, the board says 0
    epd = epd_drivers.from_board(board)
    epd.fill_rect(0, 0, 40, 20, 0)
    sim.run_until_complete(epd.show(0))
    assert emu.logical(90)[0] != epd.buffer


def test_ghosts_accumulate_until_full_and_png_shows_them(sim, panel, tmp_path):
    from host_sim.eink.png import emulator_png

    board, emu, epd = panel
    sim.run_until_complete(epd.show(0))
    epd.fill_rect(0, 0, 40, 20, 0)
    sim.run_until_complete(epd.show(1, (0, 0, 40, 20)))
    assert emu.ghost_pixels() == 40 * 20
    assert emu.partials_since_full == 1
    path = emulator_png(emu, str(tmp_path / "ghost.png"), 90)
    img = Image.open(path)
    assert img.size == (250, 122)
    assert img.getpixel((5, 5)) == 60          # black, ghosting
    assert img.getpixel((100, 100)) == 255     # untouched white
    sim.run_until_complete(epd.show(0))
    assert emu.ghost_pixels() == 0
    assert Image.open(emulator_png(emu, path, 90)).getpixel((5, 5)) == 0


def test_busy_stuck_high_times_out(sim, panel):
    from cloudpin.drivers import epd_ssd168x

    board, emu, epd = panel
    board.panel_pins["busy"].drive_from(lambda: 1)
    with pytest.raises(epd_ssd168x.EPDTimeout):
        sim.run_until_complete(epd.show(0))


def test_screen_recorder_saves_every_refresh(sim, tmp_path):
    from cloudpin.drivers import epd as epd_drivers

    from host_sim.eink.screens import record_board

    board = sim_board("pin-7")
    emu, rec = record_board(board, str(tmp_path))
    epd = epd_drivers.from_board(board)
    sim.run_until_complete(epd.show(0))
    epd.fill_rect(0, 0, 8, 8, 0)
    sim.run_until_complete(epd.show(1, (0, 0, 8, 8)))
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["pin-7-0001-full.png", "pin-7-0002-partial.png"]


def _uc_panel(sim, width=296, height=128, rotation=90):
    from cloudpin.drivers import epd

    board = sim_board(definition={"id": "uc", "panel": {
        "controller": "uc8151", "width": width, "height": height, "rotation": rotation}})
    return board, attach_to_board(board), epd.from_board(board)


def test_uc8151_busy_is_active_low_and_partial_duration_follows_the_lut(sim):
    board, emu, drv = _uc_panel(sim)
    assert board.panel_pins["busy"].value() == 1          # idle: BUSY_N high
    sim.run_until_complete(drv.show(0))
    assert emu.history[-1][0] == "full"
    drv.fill_rect(0, 0, 16, 16, 0)
    start = sim.now_s
    sim.run_until_complete(drv.show(1, (0, 0, 16, 16)))
    assert emu.history[-1][0] == "partial"
    assert 0.439 <= sim.now_s - start < 0.5               # (10 + 10 + 2) frames at 50 Hz
    assert emu.logical(90)[0] == drv.buffer and emu.mismatch_pixels() == 0
    assert emu.flags == []


def test_uc8151_what_it_refuses_and_what_it_takes(sim):
    board, emu, drv = _uc_panel(sim)
    sim.run_until_complete(drv.show(0))
    _send(board, 0x90, bytes((4, 15, 0, 0, 0, 10, 1)))    # HRST[7:3]: the low bits ignored
    assert emu.ptl == (0, 1, 0, 10) and emu.flags == []
    _send(board, 0x61, bytes((120, 1, 40)))
    assert "TRES 120x296 is smaller than the glass" in emu.flags[-1]
    _send(board, 0x61, bytes((128, 1, 40)))
    _send(board, 0x02)                                    # power off
    sim.run_until_complete(drv._wait_idle())
    glass = bytes(emu.visible)
    _send(board, 0x12)
    assert "power off" in emu.flags[-1] and bytes(emu.visible) == glass
    _send(board, 0x07, b"\x00")
    assert "not 0xA5: ignored" in emu.flags[-1] and not emu.asleep
    _send(board, 0x07, b"\xa5")
    with pytest.raises(EPDProtocolError, match="deep sleep"):
        _send(board, 0x13, b"\x00")


def test_uc8151_status_is_answered_while_busy(sim):
    board, emu, drv = _uc_panel(sim)
    sim.run_until_complete(drv.show(0))
    _send(board, 0x12)                                    # another refresh
    assert board.panel_pins["busy"].value() == 0
    p = board.panel_pins
    p["cs"](0)
    p["dc"](0)
    board.spi.write(b"\x71")                             # FLG, as Waveshare polls it
    assert board.spi.read(1) == b"\x00"                  # bit 0 BUSY_N: busy
    p["cs"](1)
    with pytest.raises(EPDProtocolError, match="BUSY"):
        _send(board, 0x13, b"\x00")


def test_uc8151_register_luts_never_written_hold_zeros(sim):
    board, emu, drv = _uc_panel(sim)
    sim.run_until_complete(drv.show(0))
    sim.run_until_complete(drv._wait_idle())
    glass = bytes(emu.visible)
    _send(board, 0x13, b"\x00" * 4736)
    _send(board, 0x00, b"\x3f")                           # register LUTs, none loaded yet
    _send(board, 0x12)
    assert "never written since reset" in emu.flags[-2]
    assert bytes(emu.visible) == glass                    # zero LUTs drive nothing
