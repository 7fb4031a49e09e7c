"""What a refresh does to each pixel: the waveform (LUT) decoded into an effect per pixel
class, and how long it runs. Shared by the emulated SSD168x and UC8151 controllers.

Both controllers pick a waveform for every pixel from the pair (previous colour, new colour):
four classes, BB, BW, WB and WW ("B" black, "W" white; BW = black to white). A waveform is a
sequence of phases, each putting a voltage on the pixel for a number of frames; one
polarity pushes the ink towards black, the other towards white, 0 V (and floating) leaves it
where it is. So the colour a pixel ends with is the direction of the last phase that drove it,
and a pixel driven both ways in one refresh (the flashing of a full refresh) loses its ghost;
one driven one way only (a partial or differential waveform) keeps a ghost of its past.

Evidence for the polarity: in every working table of the replayed drivers the class that turns
white is driven with SSD168x VSL / UC8151 VDL and the one that turns black with VSH1 / VDH
(GxEPD2 GxEPD2_213_BN lut_partial, GxEPD2_290_T5D lut_2x_*_partial, Waveshare
WF_PARTIAL_2IN9 and EPD_2in9d lut_*1; antirez uc8151.py states "VDH: pixel becomes black,
VDL: pixel becomes white"). It is a glass property (a panel laminated the other way round
inverts it: Adafruit notes the opposite for the MagTag FPC-7519 panel), hence `vsh_black`.
A pixel needs a long enough push to switch: the last run of phases driving it towards its
final colour must last SWITCH_MS, else it stays as it was (a grey ghost if it had the other
colour). The bracket: the 1-frame (23 ms) "reinforcement" phases GxEPD2's and Waveshare's
partial tables give pixels that should not change are not meant to switch them, and the
fastest table known to switch, antirez's speed 6 (8 frames at 100 Hz), drives for 80 ms.
Common MicroPython subset.
"""

BB = 0
BW = 1
WB = 2
WW = 3
CLASS_NAMES = ("black->black", "black->white", "white->black", "white->white")
TARGET_WHITE = (False, True, False, True)  # the colour each class is meant to end with

KEEP = 0       # not driven: the pixel stays as it is
TO_BLACK = 1
TO_WHITE = 2

SWITCH_MS = 40  # shortest drive that switches a pixel (see above: between 23 and 80 ms)

# SSD168x frame time: the datasheet's FR code table (SSD1680 §6.6) is not in any source we
# could read. GxEPD2_290_T94_V2 measured 736 721 us for its register LUT lut_partial (32
# frames, FR code 2 in every group, 0x22 0xCC: no OTP load) => 23.0 ms per frame. Every FR
# code is timed at that rate; all 0x32 tables the replayed drivers send use FR 2.
SSD168X_FRAME_US = 23022

# UC8151 frame rate from the PLL register 0x30, bits [5:3] M and [2:0] N:
# f = 200 Hz * M / (7 * N). Fits all 35 codes of RIOT uc8151d_constants.h
# (uc8151d_frequency_t: 0x3C 50 Hz, 0x3A 100 Hz, 0x39 200 Hz, 0x31 171 Hz, 0x0F 4 Hz ...)
# to their rounding, except 0x29 which RIOT and Waveshare label "150 Hz" (formula: 143 Hz).
# Power-on value 0x3C = 50 Hz (Adafruit IL0373 driver "PLL set to 50 Hz (M=7, N=4)"; RIOT
# UC8151D_FRAME_RATE_DEFAULT).
UC8151_PLL_POR = 0x3C
# A register-LUT refresh lasts 2 frames longer than its LUT: fitted to the two UC8151
# measurements with a known LUT, GxEPD2_290_T5 (33 frames at 100 Hz, measured 353 649 us) and
# GxEPD2_290_T5D (33 frames at the POR 50 Hz, measured 704 907 us): 350 ms and 700 ms.
UC8151_EXTRA_FRAMES = 2


def uc8151_frame_us(pll):
    m = (pll >> 3) & 7
    n = pll & 7
    if m == 0 or n == 0:
        return None  # not a frame rate the PLL can make
    return 7 * n * 1000000 // (200 * m)


class Waveform:
    """finals[c] (KEEP / TO_BLACK / TO_WHITE) and shakes[c] (driven both ways) per pixel
    class, the run time, where it came from ("otp" or "register") and, for the OTP's own
    waveforms, the kind ("full", "partial", "fast") the panel maker made it for."""

    def __init__(self, name, finals, shakes, ms, origin, kind=None, weak=None):
        self.name = name
        self.finals = tuple(finals)
        self.shakes = tuple(shakes)
        self.weak = tuple(weak) if weak else (False,) * 4   # drive too short to switch
        self.ms = ms
        self.origin = origin
        self.kind = kind

    def mode(self, full_ms):
        """The refresh kind a person would call it: the OTP waveform's own kind; for a
        register LUT "partial" if some pixels are not flashed, else "fast" if it takes well
        under the glass's full refresh, else "full"."""
        if self.kind is not None:
            return self.kind
        for c in range(4):
            if not self.shakes[c]:
                return "partial"
        if full_ms and self.ms * 10 < full_ms * 6:
            return "fast"
        return "full"

    def wrong_classes(self):
        """Classes this waveform leaves in the wrong colour (what a wrong LUT looks like)."""
        out = []
        for c in range(4):
            f = self.finals[c]
            if c in (BW, WB) and (f == KEEP or self.weak[c]):
                out.append((c, "pushed too briefly to switch" if f != KEEP else
                            "not driven: stay " + ("black" if c == BW else "white")))
            elif f != KEEP and (f == TO_WHITE) != TARGET_WHITE[c]:
                out.append((c, "driven " + ("white" if f == TO_WHITE else "black")))
        return out


def otp_full(ms, name="OTP display mode 1", kind="full"):
    """The panel's own full waveform (display mode 1): every pixel flashes and ends in its
    new colour whatever the previous image (B/W mode: LUT2 = LUT0, LUT3 = LUT1, SSD1680
    §6.5 Table 6-5)."""
    return Waveform(name, (TO_BLACK, TO_WHITE, TO_BLACK, TO_WHITE), (True,) * 4, ms, "otp",
                    kind)


def otp_partial(ms, name="OTP display mode 2"):
    """The panel's differential waveform (display mode 2): only pixels whose previous and
    new bits differ are driven, one way; equal ones are left alone."""
    return Waveform(name, (KEEP, TO_WHITE, TO_BLACK, KEEP), (False,) * 4, ms, "otp",
                    "partial")


def _direction(code, vsh_black):
    # SSD1680 Table 6-6: 00 VSS, 01 VSH1, 10 VSL, 11 VSH2 (VSH1/VSH2 positive, VSL negative).
    # UC8151: 00 GND, 01 VDH, 10 VDL, 11 floating (no drive).
    if code == 1 or code == 3:
        return TO_BLACK if vsh_black else TO_WHITE
    if code == 2:
        return TO_WHITE if vsh_black else TO_BLACK
    return KEEP


# A phase sequence summed up as (directions seen, first run, last run): a run is consecutive
# phases driving the same way (0 V phases between them neither break nor lengthen it).
# Repeats and concatenation combine summaries, so a LUT's 256-fold repeats cost nothing.
_EMPTY = (0, KEEP, 0, KEEP, 0)


def _phase(d, ms):
    if d == KEEP or ms == 0:
        return _EMPTY
    return (d, d, ms, d, ms)


def _cat(a, b):
    if not a[0]:
        return b
    if not b[0]:
        return a
    dirs = a[0] | b[0]
    first = (a[1], a[2])
    last = (b[3], b[4])
    if a[0] == a[1] and b[1] == a[1]:          # a is one run that b's first run continues
        first = (a[1], a[2] + b[2])
    if b[0] == b[3] and a[3] == b[3]:          # b is one run that continues a's last run
        last = (b[3], a[4] + b[4])
    return (dirs, first[0], first[1], last[0], last[1])


def _rep(a, k):
    if k <= 0:
        return _EMPTY
    if a[0] and a[0] == a[1]:                  # one direction: the run just gets longer
        return (a[0], a[1], a[2] * k, a[3], a[4] * k)
    out = a
    if k > 1:
        out = _cat(a, a)                       # mixed: more copies change nothing more
    return out


def _result(summary):
    """(final, shakes, weak) of a phase summary."""
    final = summary[3]
    return final, summary[0] == 3, final != KEEP and summary[4] < SWITCH_MS


def ssd168x_lut(lut, vsh_black=True):
    """Waveform of a 153-byte SSD1680/SSD1681 LUT (0x32), SSD1680 §6.6-6.7 Fig. 6-6:
    bytes 0-59 VS[group n, LUT m] at m*12+n (phases A..D in bits 7:6 .. 1:0); 60-143 per
    group TP[A], TP[B], SR[AB], TP[C], TP[D], SR[CD], RP (TP 0 skips the phase; SR and RP
    encode n as n+1 times); 144-149 FR, 150-152 XON. Pixel class = RED*2 + BW (§6.5) with the
    previous image in RED: LUT0 BB, LUT1 BW, LUT2 WB, LUT3 WW. LUT4 (VCOM) drives no pixel."""
    finals = []
    shakes = []
    weak = []
    frame_ms = SSD168X_FRAME_US / 1000
    for m in range(4):
        seq = _EMPTY
        for n in range(12):
            t = 60 + 7 * n
            vs = lut[m * 12 + n]
            ab = _cat(_phase(_direction((vs >> 6) & 3, vsh_black), lut[t] * frame_ms),
                      _phase(_direction((vs >> 4) & 3, vsh_black), lut[t + 1] * frame_ms))
            cd = _cat(_phase(_direction((vs >> 2) & 3, vsh_black), lut[t + 3] * frame_ms),
                      _phase(_direction(vs & 3, vsh_black), lut[t + 4] * frame_ms))
            group = _cat(_rep(ab, lut[t + 2] + 1), _rep(cd, lut[t + 5] + 1))
            seq = _cat(seq, _rep(group, lut[t + 6] + 1))
        f, sh, w = _result(seq)
        finals.append(f)
        shakes.append(sh)
        weak.append(w)
    return Waveform("register LUT (0x32)", finals, shakes, ssd168x_lut_ms(lut), "register",
                    weak=weak)


def ssd168x_lut_frames(lut):
    frames = 0
    for n in range(12):
        t = 60 + 7 * n
        ab = (lut[t + 2] + 1) * (lut[t] + lut[t + 1])
        cd = (lut[t + 5] + 1) * (lut[t + 3] + lut[t + 4])
        frames += (lut[t + 6] + 1) * (ab + cd)
    return frames


def ssd168x_lut_ms(lut):
    return ssd168x_lut_frames(lut) * SSD168X_FRAME_US // 1000


def uc8151_lut_summary(lut, frame_ms, vsh_black=True):
    """One 42/44-byte UC8151 LUT: 7 groups of a level byte (phases 1-4 in bits 7:6 .. 1:0),
    4 frame counts and a repeat count (antirez uc8151.py: "last byte = repeat count", 1 =
    once, 2 = twice). A repeat of 0 plays the group 0 times (no shipped table has frames in
    a group with repeat 0)."""
    seq = _EMPTY
    for g in range(0, 42, 6):
        level = lut[g]
        group = _EMPTY
        for k in range(4):
            d = _direction((level >> (6 - 2 * k)) & 3, vsh_black)
            if (level >> (6 - 2 * k)) & 3 == 3:
                d = KEEP    # UC8151 11: floating, not VDH
            group = _cat(group, _phase(d, lut[g + 1 + k] * frame_ms))
        seq = _cat(seq, _rep(group, lut[g + 5]))
    return seq


def uc8151_lut_frames(lut):
    frames = 0
    for g in range(0, 42, 6):
        frames += lut[g + 5] * (lut[g + 1] + lut[g + 2] + lut[g + 3] + lut[g + 4])
    return frames


def uc8151_luts(luts, pll, vsh_black=True):
    """Waveform of the register LUTs (PSR REG=1): luts maps 0x20 VCOM, 0x21 WW, 0x22 BW,
    0x23 WB, 0x24 BB to their bytes. The refresh runs as long as the longest LUT."""
    us = uc8151_frame_us(pll) or uc8151_frame_us(UC8151_PLL_POR)
    finals = [KEEP] * 4
    shakes = [False] * 4
    weak = [False] * 4
    frames = 0
    for reg, cls in ((0x21, WW), (0x22, BW), (0x23, WB), (0x24, BB)):
        lut = luts[reg]
        finals[cls], shakes[cls], weak[cls] = _result(
            uc8151_lut_summary(lut, us / 1000, vsh_black))
        frames = max(frames, uc8151_lut_frames(lut))
    frames = max(frames, uc8151_lut_frames(luts[0x20]))
    ms = (frames + UC8151_EXTRA_FRAMES) * us // 1000
    return Waveform("register LUTs (0x20-0x24)", finals, shakes, ms, "register",
                    weak=weak)
