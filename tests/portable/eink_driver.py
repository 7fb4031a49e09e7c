# The SSD1680/SSD1681 and UC8151 drivers against the emulated controllers, on both runtimes:
# full, partial (windowed), fast, deep sleep and wake, every rotation, a glass whose OTP turns
# RAM ping-pong on, glasses wired at a source/gate offset. Prints what the glass shows
# compared with the frame buffer, mismatches (stale 0x26) and ghosts; raises on failure.
import asyncio

from cloudpin.drivers import epd as epd_drivers
from cloudpin.drivers import epd_base as d

from host_sim.fakes.board import sim_board
from host_sim.fakes.epd import attach_to_board

QUICK = {"full": 30, "partial": 10, "fast": 20, "lut": 5, "reset": 1}
CASES = (
    ("ssd1680", 250, 122, 90), ("ssd1680", 250, 122, 0), ("ssd1680", 250, 122, 180),
    ("ssd1680", 250, 122, 270), ("ssd1680", 296, 128, 90), ("ssd1681", 200, 200, 0),
    ("ssd1681", 200, 200, 90), ("uc8151", 296, 128, 90), ("uc8151", 250, 122, 270),
    # (controller, w, h, rotation, panel extras, emulator options)
    ("ssd1680", 296, 128, 90, {"glass": "GDEY029T94"}, {"otp_pingpong": True}),
    ("ssd1681", 200, 200, 0, {}, {"otp_pingpong": True}),
    ("ssd1680", 250, 122, 90, {"source_offset": 8, "gate_offset": 6}, {}),
    ("uc8151", 296, 128, 90, {"source_offset": 16, "gate_offset": 0}, {}),
)


def glass_is_buffer(emu, epd):
    return emu.logical(epd.rotation)[0] == epd.buffer


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


async def case(controller, width, height, rotation, extra=None, options=None):
    panel = {"controller": controller, "width": width, "height": height, "rotation": rotation}
    panel.update(extra or {})
    board = sim_board(definition={"id": "t", "panel": panel})
    emu = attach_to_board(board, QUICK, **(options or {}))
    epd = epd_drivers.from_board(board)
    epd.expect_ms = (30, 10, 20)
    w, h = epd.width, epd.height
    # asymmetric marks: a rotation or mirroring error cannot go unseen
    epd.fill(1)
    epd.fill_rect(0, 0, 9, 5, 0)
    epd.text("Cloud Pin", 3, h - 12, 0)
    epd.line(w - 1, 0, w // 2, h // 2, 0)
    used = await epd.show(d.PARTIAL)  # first show: RAM untrusted -> FULL
    expect(used == d.FULL and glass_is_buffer(emu, epd), "first show")
    out = [d.MODE_NAMES[used]]
    for i in range(3):
        x, y = 20 + 13 * i, 30 + 5 * i  # deliberately not 8-aligned
        epd.fill_rect(x, y, 11, 9, 0)
        used = await epd.show(d.PARTIAL, (x, y, 11, 9))
        out.append(d.MODE_NAMES[used])
        expect(glass_is_buffer(emu, epd), "partial %d" % i)
        expect(emu.mismatch_pixels() == 0, "stale previous image after partial %d" % i)
    ghosts = emu.ghost_pixels()
    expect(ghosts >= 3 * 11 * 9, "partials leave ghosts")
    # undo one mark with a partial: pixels go back to white, still ghosting
    epd.fill_rect(20, 30, 11, 9, 1)
    await epd.show(d.PARTIAL, (20, 30, 11, 9))
    expect(glass_is_buffer(emu, epd) and emu.mismatch_pixels() == 0, "partial back to white")
    await epd.sleep()
    expect(emu.asleep, "deep sleep")
    epd.fill_rect(w - 20, h - 20, 10, 10, 0)
    used = await epd.show(d.PARTIAL, (w - 20, h - 20, 10, 10))  # after sleep -> FULL
    out.append(d.MODE_NAMES[used])
    expect(used == d.FULL and glass_is_buffer(emu, epd), "wake")
    expect(emu.ghost_pixels() == 0, "full refresh clears ghosts")
    epd.fill(1)
    epd.text("fast", 5, 5, 0)
    used = await epd.show(d.FAST)
    out.append(d.MODE_NAMES[used])
    expect(glass_is_buffer(emu, epd) and emu.ghost_pixels() == 0, "fast")
    epd.pixel(w - 1, h - 1, 0)
    used = await epd.show(d.PARTIAL, (w - 1, h - 1, 1, 1))
    expect(glass_is_buffer(emu, epd) and emu.mismatch_pixels() == 0, "corner pixel")
    expect(not [f for f in emu.flags if "fast waveform" not in f], "flags %r" % emu.flags)
    print(controller, width, height, rotation, w, h, " ".join(out),
          "ghosts", ghosts, "history", [m for m, _ in emu.history], "glass", emu.glass.name,
          "offsets", emu.glass.source_offset, emu.glass.gate_offset)


async def main():
    for c in CASES:
        await case(*c)


asyncio.run(main())
