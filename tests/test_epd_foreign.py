"""Drivers nobody here wrote, byte for byte, through the emulated controllers.

tests/data/epd holds 26 byte streams we recorded by reading GxEPD2, Waveshare's e-Paper
library, micropython-nano-gui, Adafruit's CircuitPython drivers and antirez's uc8151 driver
(init, full and partial refreshes; see its README). Replayed into the emulator, every refresh
must leave the glass showing the picture the driver meant, pixel for pixel, or exactly the
artefact the real glass shows (documented at EXPECT). The refresh must take the time others
measured on that glass. Then the open questions of the datasheets, one by one: the tests show
what each reading of the chip would do to these drivers.
"""

import copy

import pytest

from host_sim import runtime

runtime.install()  # firmware/ on sys.path, MicroPython shims: before importing the fakes

from host_sim.fakes import epd_glass  # noqa: E402
from host_sim.runtime.scheduler import Simulation  # noqa: E402
from tests import epd_replay as R  # noqa: E402

SENSOR = "external sensor selected"
NO_FAST = "no fast waveform is known"
BUSY_LOAD = "sent while BUSY (a 0x20 load sequence ran)"
FR_CODE = "frame-rate code 0x44"

# Flags each replay must raise (and no others), and the fixtures whose glass shows an
# artefact instead of the intended picture.
EXPECT = {
    # CircuitPython never selects the internal sensor (0x18): its 0x22 0xF4 load reads the
    # external one the FeatherWing does not have; the register keeps 7FFh (127.9 degC), for
    # which nobody knows this glass's OTP waveform (the full one is assumed).
    "adafruit_ssd1680_213_full": [SENSOR, NO_FAST],
    "adafruit_uc8151d_290_full": [],
    # write(CMD_PSR, 0) and write(CMD_TSE, 0): 0 is falsy, so no parameter byte goes out.
    "antirez_uc8151_full": ["command 0x00 without", "command 0x41 without"],
    "gxepd2_150_BN_full": [], "gxepd2_150_BN_partial": [],
    "gxepd2_154_D67_full": [], "gxepd2_154_D67_partial": [],
    "gxepd2_213_BN_full": [], "gxepd2_213_BN_partial": [],
    "gxepd2_213_GDEY0213B74_full": [], "gxepd2_213_GDEY0213B74_partial": [],
    "gxepd2_290_BS_full": [], "gxepd2_290_BS_partial": [],
    "gxepd2_290_T5D_full": [], "gxepd2_290_T5D_partial": [],
    # 0x22 0xFF (display mode 2) with 0x26 never written: the artefact (see the test below)
    "nanogui_epd29_ssd1680_fast": ["never written since power-up"],
    "nanogui_epd29_ssd1680_full": [],
    # SetCursor runs between 0x20 (0xB1 load) and ReadBusy
    "waveshare_1in54_V2_full": [BUSY_LOAD], "waveshare_1in54_V2_partial": [BUSY_LOAD],
    "waveshare_2in13_V4_fast": [],
    "waveshare_2in13_V4_full": [],
    # the partial path's hardware reset puts 0x18 back to its power-on 48h (external)
    "waveshare_2in13_V4_partial": [SENSOR],
    # WF_Full_2IN9 uses FR code 4, whose frame time no source gives
    "waveshare_2in9_V2_full": [FR_CODE], "waveshare_2in9_V2_partial": [FR_CODE],
    "waveshare_2in9d_full": [], "waveshare_2in9d_partial": [],
}
ARTEFACT = {"nanogui_epd29_ssd1680_fast"}


def _replay(doc, **options):
    with Simulation():
        return R.replay(doc, **options)


def _wrong(run, cp_index=-1, pattern=None):
    cp, glass = run.checkpoints[cp_index]
    return R.wrong_pixels(run.emu, glass, pattern or R.checkpoint_pattern(cp), run.frame)[0]


def test_every_recording_is_here_and_expected():
    assert R.names() == sorted(EXPECT)
    assert len(EXPECT) == 26


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_foreign_driver_draws_what_it_meant(name):
    doc = R.load(name)
    run = _replay(doc)
    assert run.errors == []
    for cp, glass in run.checkpoints:
        if name in ARTEFACT:
            continue
        n, where = R.wrong_pixels(run.emu, glass, R.checkpoint_pattern(cp), run.frame)
        assert n == 0, "%s step %d (%s): %d pixels wrong, e.g. %s" % (
            name, cp["step"], cp["kind"], n, where)
    flags = run.emu.flags
    for want in EXPECT[name]:
        assert any(want in f for f in flags), "%s: no flag %r in %s" % (name, want, flags)
    for f in flags:
        assert any(want in f for want in EXPECT[name]), "%s: unexpected flag %r" % (name, f)
    # a flashing refresh (full, or fast: GxEPD2's GDEY "fast full update") where the
    # recording says one, a partial where it says partial
    flash = {"full": "flash", "fast": "flash", "partial": "partial"}
    kinds = [flash[cp["kind"]] for cp, _ in run.checkpoints if cp["kind"] != "power"]
    assert [flash[m] for m, _ in run.emu.history] == kinds


def test_mode2_refresh_against_a_never_written_previous_image_is_the_artefact():
    # nano-gui's epd29_ssd1680 show(fast_refresh=True) sends 0x22 0xFF (display mode 2)
    # after a power-up, writing only 0x24; its author's comment: "USELESS for this driver,
    # doesn't work well at all". Display mode 2 moves only pixels whose previous (0x26) bit
    # differs from the new one; 0x26 holds whatever the RAM powered up with. So the glass
    # shows the picture exactly where that undefined RAM differs from it, and keeps its old
    # (white) picture elsewhere.
    run = _replay(R.load("nanogui_epd29_ssd1680_fast"))
    emu = run.emu
    rb = emu.row_bytes
    old, new, mask = bytearray(rb), bytearray(rb), bytearray(rb)
    moved = kept = 0
    for g in range(emu.gates):
        assert emu._glass_row(g, old, new, mask)
        for s in range(emu.sources):
            bit = 0x80 >> (s & 7)
            glass = emu.visible[g * rb + (s >> 3)] & bit
            if (old[s >> 3] ^ new[s >> 3]) & bit:
                assert glass == new[s >> 3] & bit
                moved += 1
            else:
                assert glass          # not driven: still the power-up white
                kept += 1
    assert moved > 10000 and kept > 10000
    assert _wrong(run) > 5000
    # the same bytes with 0x22 0xF7 (nanogui_epd29_ssd1680_full) are right: mode 1 ignores 0x26
    assert _wrong(_replay(R.load("nanogui_epd29_ssd1680_full"))) == 0


# -- timings: what others measured on each glass ------------------------------------------------

def test_refreshes_take_the_measured_time():
    def ms(name, i=0):
        return _replay(R.load(name)).refresh_ms[i][1]

    # OTP waveforms: GxEPD2's measurements for that glass (host_sim.fakes.epd_glass)
    assert ms("gxepd2_213_BN_full", 2) == 4012          # 2.13" DEPG0213BN, 0x22 0xF4
    assert ms("gxepd2_213_BN_full", 0) == 96            # 0xF8 power on
    assert ms("gxepd2_213_BN_full", 3) == 140           # 0x83 power off
    assert ms("gxepd2_213_BN_partial", 5) == 737        # 0xCC after 0xF8
    assert ms("gxepd2_154_D67_full", 1) == 2510         # 1.54" GDEH0154D67
    assert ms("gxepd2_154_D67_partial", 2) == 457
    assert ms("gxepd2_150_BN_partial", 3) == 3825       # 1.54" DEPG0150BN (LILYGO T5)
    assert ms("gxepd2_150_BN_partial", 4) == 94         # 0xF8 power on
    assert ms("gxepd2_150_BN_partial", 5) == 736
    assert ms("gxepd2_213_GDEY0213B74_full", 1) == 1617  # fast full: 0x1A 0x64, 0x22 0xD7
    assert ms("gxepd2_290_T5D_full") == 3251            # UC8151D OTP, PLL at its 50 Hz
    # register LUTs: frames x frame time. UC8151 at the PLL's rate: GxEPD2_290_T5D's 33
    # frames at 50 Hz + 2 = 700 ms (measured 704 907 us); Waveshare's 2in9d writes PLL 0x3A
    # (100 Hz): 26 frames + 2 = 280 ms.
    assert ms("gxepd2_290_T5D_partial", 1) == 700
    assert ms("waveshare_2in9d_partial", 1) == 280
    # SSD168x: 23 ms a frame; Waveshare's 2.9" V2 partial LUT is GxEPD2_290_T94_V2's (32
    # frames, measured 736 721 us)
    assert ms("waveshare_2in9_V2_partial", 2) == 736
    assert ms("waveshare_2in9_V2_partial", 1) == 96     # 0xC0: clock and analog on
    # the OTP waveform is frame-counted too: antirez sets PLL 100 Hz, half the 50 Hz time
    assert ms("antirez_uc8151_full") == 3251 // 2


def test_uc8151_frame_rate_follows_the_pll():
    from host_sim.fakes.epd_waveform import uc8151_frame_us

    assert uc8151_frame_us(0x3C) == 20000      # 50 Hz, power-on
    assert uc8151_frame_us(0x3A) == 10000      # 100 Hz
    assert uc8151_frame_us(0x39) == 5000       # 200 Hz
    assert uc8151_frame_us(0x31) == 5833       # "171 Hz"
    assert uc8151_frame_us(0x0F) == 245000     # "4 Hz"
    assert uc8151_frame_us(0x38) is None       # N = 0


def test_every_glass_cites_its_measurement():
    for name, spec in epd_glass.GLASSES.items():
        source = spec[-1]
        assert source.startswith("GxEPD2 src/") or source.startswith("no measurement"), name


# -- the open questions ---------------------------------------------------------------------

def test_a_lut_load_after_0x32_either_way_draws_the_same_for_gxepd2():
    # GxEPD2_213_BN / _150_BN write 0x32 and then 0xF8 / 0xFC, which carry "load LUT".
    # Default: the load replaces the written LUT with the OTP's mode-2 waveform; the other
    # reading keeps the written one. Both show the same picture at the same speed.
    for name in ("gxepd2_213_BN_partial", "gxepd2_150_BN_partial"):
        for keep in (False, True):
            run = _replay(R.load(name), load_keeps_host_lut=keep)
            assert _wrong(run) == 0
            assert run.emu.lut.origin == ("register" if keep else "otp")
            assert run.emu.history[-1][0] == "partial"
            assert abs(run.refresh_ms[-1][1] - 736) <= 1


def test_source_mode_does_not_move_the_picture():
    # 0x21 B[7] (S8..S167) is sent by Waveshare's 2.13" V4 full path and not by its partial
    # path, both drawing at RAM x 0 on the same glass. If B[7] moved RAM x 0 to S8, one of
    # them would be 8 pixels off: the emulator's default says it does not.
    doc = R.load("waveshare_2in13_V4_partial")
    assert _wrong(_replay(doc)) == 0
    shifted = _replay(doc, source_mode_shift=True)
    assert _wrong(shifted, 0) > 1000 and _wrong(shifted, -1) > 1000


def test_uc8151_resolution_without_tres_is_the_glass():
    # Adafruit's UC8151D driver sends PSR 0x1F (RES = 96x230) and never TRES, and shows a
    # whole 128x296 picture; taking RES would lay its rows out 12 bytes wide.
    doc = R.load("adafruit_uc8151d_290_full")
    assert _wrong(_replay(doc)) == 0
    assert _wrong(_replay(doc, resolution_from_psr=True)) > 10000
    # antirez sets RES = 128x296 in PSR: the same either way
    assert _wrong(_replay(R.load("antirez_uc8151_full"), resolution_from_psr=True)) == 0


def _again(doc, start, image):
    """doc with the steps from `start` on sent once more, drawing `image` (a second
    partial refresh the way the driver does it), and a checkpoint at its refresh."""
    doc = copy.deepcopy(doc)
    extra = copy.deepcopy(doc["steps"][start:])
    trigger = doc["checkpoints"][-1]["trigger"]
    n = len(doc["steps"])
    last = None
    for i, st in enumerate(extra):
        if "data_image" in st and st["data_image"]["image"] != "white":
            st["data_image"]["image"] = image
            del st["data_image"]["sha256"]
        if st.get("cmd", "").lower() == trigger.lower():
            last = i
    doc["steps"].extend(extra)
    doc["checkpoints"].append({"step": n + last, "trigger": trigger, "kind": "partial",
                               "glass_after": "back to '%s'" % image})
    return doc


def test_ping_pong_makes_waveshares_repeated_partials_right():
    # Waveshare's 2.9" V2 and 1.54" V2 set 0x37 F[6] (RAM ping-pong) and then only ever
    # write 0x24: a second partial back to the base picture is right because the planes
    # swap roles after each display-mode-2 refresh (SSD1680 §7 0x37, "RAM Ping-Pong for
    # Display Mode 2"). The same bytes with F[6] cleared leave the rectangle smeared.
    for name, start in (("waveshare_2in9_V2_partial", 41), ("waveshare_1in54_V2_partial", 46)):
        doc = _again(R.load(name), start, "checker8_bar")
        run = _replay(doc)
        assert _wrong(run, -2) == 0 and _wrong(run, -1) == 0, name
        off = copy.deepcopy(doc)
        for i, st in enumerate(off["steps"]):
            if st.get("cmd") == "0x37":
                off["steps"][i + 1]["data"] = "00" * 10
        run = _replay(off)
        assert _wrong(run, -2) == 0 and _wrong(run, -1) > 100, name


def test_gdey_partials_need_ping_pong_from_the_otp():
    # GxEPD2's GDEY0213B74 class rewrites only 0x24 after a partial. With ping-pong off
    # (the register's power-on value) a second partial compares against the stale 0x26 and
    # leaves the rectangle as it was: the "partial refresh issue" GxEPD2 1.6.0 fixed for
    # GDEY029T94 by also rewriting 0x26. Right only if the panel's OTP enables ping-pong.
    doc = _again(R.load("gxepd2_213_GDEY0213B74_partial"), 86, "checker8_bar")
    assert _wrong(_replay(doc), -1) > 500
    assert _wrong(_replay(doc, otp_pingpong=True), -1) == 0


def test_uc8151_copies_new_to_old_after_a_refresh():
    # Waveshare's EPD_2in9d writes DTM1 = 0x00 (black) for its full refresh and never again;
    # its partial LUTs drive only BW and WB. Its partial is right only if DRF copies NEW into
    # OLD (antirez: "the new framebuffer is automatically copied to the old one").
    doc = R.load("waveshare_2in9d_partial")
    assert _wrong(_replay(doc)) == 0
    assert _wrong(_replay(doc, copy_new_to_old=False)) > 100
    doc = _again(R.load("gxepd2_290_T5D_partial"), 50, "checker8_bar")
    assert _wrong(_replay(doc), -1) == 0
    assert _wrong(_replay(doc, copy_new_to_old=False), -1) > 100


# -- what a wrong LUT looks like ----------------------------------------------------------------

def _patched(name, cmd, transform, which=None):
    """The recording with the parameters of command cmd changed (every time it is sent, or
    only the which-th time)."""
    doc = R.load(name)
    seen = 0
    for i, st in enumerate(doc["steps"]):
        if st.get("cmd") == cmd:
            if which is None or seen == which:
                data = bytearray(bytes.fromhex(doc["steps"][i + 1]["data"]))
                transform(data)
                doc["steps"][i + 1]["data"] = data.hex()
            seen += 1
    return doc


def test_a_uc8151_lut_driving_the_wrong_way_shows_and_is_flagged():
    # GxEPD2_290_T5D's partial with its BW LUT (0x22) driving VDH instead of VDL: the
    # rectangle's black->white pixels turn black.
    def to_vdh(lut):
        lut[0] = 0x40

    run = _replay(_patched("gxepd2_290_T5D_partial", "0x22", to_vdh))
    assert _wrong(run) == 32 * 32 // 2
    assert any("black->white pixels driven black" in f for f in run.emu.flags)


def test_an_ssd168x_lut_with_swapped_transitions_shows_and_is_flagged():
    # Waveshare's 2.9" V2 partial LUT with LUT1 (black->white) and LUT2 (white->black)
    # swapped: every pixel of the rectangle goes the wrong way.
    def swap(lut):
        lut[12:24], lut[24:36] = lut[24:36], lut[12:24]

    run = _replay(_patched("waveshare_2in9_V2_partial", "0x32", swap, which=1))
    assert _wrong(run, 0) == 0            # the full refresh's table is untouched
    assert _wrong(run, -1) == 32 * 32
    flags = " ".join(run.emu.flags)
    assert "black->white pixels driven black" in flags
    assert "white->black pixels driven white" in flags


def test_cdi_polarity_decides_what_a_one_bit_is():
    # antirez's frame buffer draws black as 1 and sets CDI DDX=00; with DDX=01 the same
    # bytes show the negative.
    def ddx01(cdi):
        cdi[0] = (cdi[0] & ~0x30) | 0x10

    doc = _patched("antirez_uc8151_full", "0x50", ddx01)
    run = _replay(doc)
    assert _wrong(run) == 128 * 296
