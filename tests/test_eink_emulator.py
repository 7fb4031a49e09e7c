"""The emulated SSD168x: what a real panel would refuse, durations on virtual time, ghosts,
the stale-previous-image bug, PNG export."""

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


def test_full_refresh_takes_the_modelled_time(sim, panel):
    board, emu, epd = panel
    start = sim.now_s
    assert sim.run_until_complete(epd.show(0)) == 0
    took = sim.now_s - start
    assert 3.0 <= took < 3.2  # waveform 3 s + reset and polling granularity (virtual time)
    start = sim.now_s
    sim.run_until_complete(epd.show(1, (0, 0, 8, 8)))
    assert 0.4 <= sim.now_s - start < 0.5


def test_command_while_busy_is_rejected(sim, panel):
    board, emu, epd = panel
    sim.run_until_complete(epd.show(0))
    _send(board, 0x22, b"\xf7")
    _send(board, 0x20)
    assert board.panel_pins["busy"].value() == 1
    with pytest.raises(EPDProtocolError, match="BUSY"):
        _send(board, 0x24)


def test_ram_write_in_deep_sleep_is_rejected(sim, panel):
    board, emu, epd = panel
    sim.run_until_complete(epd.show(0))
    sim.run_until_complete(epd.sleep())
    with pytest.raises(EPDProtocolError, match="deep sleep"):
        _send(board, 0x24, b"\x00")


def test_misconfiguration_is_rejected(sim, panel):
    board, emu, epd = panel
    sim.run_until_complete(epd.reset())
    with pytest.raises(EPDProtocolError, match="before driver output"):
        _send(board, 0x24, b"\x00")
    with pytest.raises(EPDProtocolError, match="296 gates, the panel has 250"):
        _send(board, 0x01, bytes((295 & 0xFF, 295 >> 8, 0)))
    with pytest.raises(EPDProtocolError, match="not an SSD168x command"):
        _send(board, 0x99)
    with pytest.raises(EPDProtocolError, match="without an update sequence"):
        _send(board, 0x20)
    with pytest.raises(EPDProtocolError, match="RAM x window"):
        _send(board, 0x44, b"\x00\x30")
    _send(board, 0x22, b"\x0c")
    _send(board, 0x01, bytes((249, 0, 0)))
    with pytest.raises(EPDProtocolError, match="not emulated"):
        _send(board, 0x20)


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
    assert 0.4 <= sim.now_s - start < 0.5                 # (10 + 10) frames at 50 Hz
    assert emu.logical(90)[0] == drv.buffer and emu.mismatch_pixels() == 0


def test_uc8151_refusals(sim):
    board, emu, drv = _uc_panel(sim)
    sim.run_until_complete(drv.show(0))
    with pytest.raises(EPDProtocolError, match="multiple of 8"):
        _send(board, 0x90, bytes((4, 15, 0, 0, 0, 10, 1)))
    with pytest.raises(EPDProtocolError, match="TRES 120x296"):
        _send(board, 0x61, bytes((120, 1, 40)))
    _send(board, 0x02)                                    # power off
    sim.run_until_complete(drv._wait_idle())
    with pytest.raises(EPDProtocolError, match="power off"):
        _send(board, 0x12)
    with pytest.raises(EPDProtocolError, match="0xA5"):
        _send(board, 0x07, b"\x00")
    _send(board, 0x07, b"\xa5")
    with pytest.raises(EPDProtocolError, match="deep sleep"):
        _send(board, 0x13, b"\x00")


def test_uc8151_register_luts_must_be_loaded(sim):
    board, emu, drv = _uc_panel(sim)
    sim.run_until_complete(drv.show(0))
    _send(board, 0x00, b"\x3f")                           # register LUTs, none loaded yet
    with pytest.raises(EPDProtocolError, match="never loaded"):
        _send(board, 0x12)
