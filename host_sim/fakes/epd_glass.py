"""The e-paper glasses the emulated controllers can drive: geometry, wiring offsets, and the
refresh times others measured on them (with the source of every figure).

A glass is what the controller's outputs are bonded to. Its own waveforms live in the
controller's OTP, which nobody publishes, so the emulator models them by what they do (full:
every pixel flashes; display mode 2: only changed pixels move) and by how long the panel
maker's waveform took on a real panel:

- SSD168x: `full_ms` is 0x22 0xF7-type refresh (OTP display mode 1 at room temperature),
  `partial_ms` the OTP display mode 2 refresh, `fast_ms` the mode 1 waveform the OTP holds for
  a high temperature (loaded after 0x1A forced the temperature register; None: no fast waveform
  measured for this glass), `power_on_ms` / `power_off_ms` the 0x22 power sequences alone.
- UC8151: `full_ms` is the OTP refresh (PSR REG=0) at `full_hz` frames per second; it is
  frame-counted, so another PLL setting scales it. `power_on_ms` / `power_off_ms`: PON / POF.

Figures marked GxEPD2 are the microseconds Jean-Marc Zingg measured on each panel and wrote
next to the delay constants in the class header (ZinggJM/GxEPD2 @ de82887e, e.g.
src/epd/GxEPD2_213_BN.h: "full_refresh_time = 4100; // ms, e.g. 4011934us"). Entries are
tuples and the citations short: the unix pin compiles this module into a 256 KB heap.

Offsets: `source_offset` is the RAM x (pixels, a multiple of 8) of the glass's first column,
`gate_offset` the gate of its first row. Adafruit's MagTag ships the same board with two
SSD1680 glasses, one at RAM x 0 and one at RAM x 8, told apart only by the OTP user ID
(circuitpython ports/espressif/boards/adafruit_magtag_2.9_grayscale/board.c @ cd3da4a5,
"FPC-7519rev.b ... need colstart=8"): the offset is wiring, not a command, so it is here and
in the board definition, never derived from 0x21.
Common MicroPython subset.
"""

# name: (controller, sources, gates, full_ms, partial_ms, fast_ms, power_on_ms, power_off_ms,
#        full_hz (UC8151: the PLL rate full_ms was measured at), source of the figures).
# GxEPD2 figures: the microseconds in the class header's comment, rounded to ms.
GLASSES = {
    # LILYGO T5 V2.3.1 2.13" (GxEPD2 README). GxEPD2_213_BN.h: full 4011934, partial 736721,
    # power on 95868, power off 140350 us.
    "DEPG0213BN": ("ssd1680", 122, 250, 4012, 737, None, 96, 140, 0,
                   "GxEPD2 src/epd/GxEPD2_213_BN.h (us)"),
    # GxEPD2_213_GDEY0213B74.h: fast full (0x1A 0x64, 0x22 0xD7) 1617000, partial 457000, on
    # 95000, off 140000 us. Its OTP full is not measured: full_ms is its sibling GDEM0213B74's
    # (GxEPD2_213_B74.h 3501806 us). Also the glass Waveshare's 2.13" V4 Init_Fast suits.
    "GDEY0213B74": ("ssd1680", 122, 250, 3502, 457, 1617, 95, 140, 0,
                    "GxEPD2 src/gdey/GxEPD2_213_GDEY0213B74.h, full: GxEPD2_213_B74.h (us)"),
    # GxEPD2_213_B74.h: 3501806 / 455406 / 95109 / 140344 us
    "GDEM0213B74": ("ssd1680", 122, 250, 3502, 455, None, 95, 140, 0,
                    "GxEPD2 src/epd/GxEPD2_213_B74.h (us)"),
    # LILYGO T5 V2.4.1 2.9" (GxEPD2 README). GxEPD2_290_BS.h: 3839000 / 735000 / 95000 /
    # 141000 us
    "DEPG0290BS": ("ssd1680", 128, 296, 3839, 735, None, 95, 141, 0,
                   "GxEPD2 src/epd/GxEPD2_290_BS.h (us)"),
    # GxEPD2_290_GDEY029T94.h: fast full 1715001, partial 362000, on 95868, off 140001 us; OTP
    # full not measured: its sibling GDEM029T94's (GxEPD2_290_T94.h 3154996 us)
    "GDEY029T94": ("ssd1680", 128, 296, 3155, 362, 1715, 96, 140, 0,
                   "GxEPD2 src/gdey/GxEPD2_290_GDEY029T94.h, full: GxEPD2_290_T94.h (us)"),
    # Waveshare's 2.9" V2: "a GDEM029T94 variant without partial wft in OTP" (GxEPD2 README
    # 1.3.6): drivers write a partial LUT with 0x32. GxEPD2_290_T94_V2.h: full 4011934, on
    # 95868, off 140350 us.
    "GDEM029T94-V2": ("ssd1680", 128, 296, 4012, None, None, 96, 140, 0,
                      "GxEPD2 src/epd/GxEPD2_290_T94_V2.h (us)"),
    # Waveshare's 1.54" V2; earlier LILYGO T5 V2.4 1.54" batches. GxEPD2_154_D67.h: 2509602 /
    # 457282 / 95583 / 140621 us
    "GDEH0154D67": ("ssd1681", 200, 200, 2510, 457, None, 96, 141, 0,
                    "GxEPD2 src/epd/GxEPD2_154_D67.h (us)"),
    # LILYGO TTGO T5 V2.4.1 1.54" (GxEPD2 README: "DEPG0150BN ... e.g. LILYGO TTGO T5 V2.4.1
    # 1.50 inch"). GxEPD2_150_BN.h: 3825000 / 736000 / 94000 / 140000 us
    "DEPG0150BN": ("ssd1681", 200, 200, 3825, 736, None, 94, 140, 0,
                   "GxEPD2 src/epd/GxEPD2_150_BN.h (us)"),
    # GxEPD2_154_GDEY0154D67.h: fast full 1907000, partial 459000 us; OTP full not measured:
    # GDEH0154D67's
    "GDEY0154D67": ("ssd1681", 200, 200, 2510, 459, 1907, 96, 141, 0,
                    "GxEPD2 src/gdey/GxEPD2_154_GDEY0154D67.h, full: GxEPD2_154_D67.h (us)"),
    # GxEPD2_290_T5D.h: OTP full 3251067 us (the class never writes the PLL: 50 Hz), PON
    # 96606, POF 39711 us
    "GDEW029T5D": ("uc8151", 128, 296, 3251, None, None, 97, 40, 50,
                   "GxEPD2 src/epd/GxEPD2_290_T5D.h (us)"),
    # 2.9" flexible UC8151D (Waveshare's 2.9" (D)). GxEPD2_290_I6FD.h: OTP full 3547960 us
    # (no PLL write), PON 84375, POF 39688 us
    "GDEW029I6FD": ("uc8151", 128, 296, 3548, None, None, 84, 40, 50,
                    "GxEPD2 src/epd/GxEPD2_290_I6FD.h (us)"),
    # No 2.13" 250x122 UC8151 glass has been measured by anyone we could read: GDEW029T5D's
    # figures, kept so the board schema's size can be emulated.
    "UC8151-250x122": ("uc8151", 122, 250, 3251, None, None, 97, 40, 50,
                       "no measurement: GDEW029T5D's"),
}

# The glass a board gets when its definition names none: the most common one of that size
# among the boards we support.
DEFAULTS = {
    ("ssd1680", 122, 250): "DEPG0213BN",
    ("ssd1680", 128, 296): "DEPG0290BS",
    ("ssd1681", 200, 200): "GDEH0154D67",
    ("uc8151", 128, 296): "GDEW029T5D",
    ("uc8151", 122, 250): "UC8151-250x122",
}


class Glass:
    """One glass on one board: a GLASSES entry plus the board's offsets, and the switches
    for the OTP behaviour nobody documents (see each controller's module)."""

    def __init__(self, name, controller, sources, gates, source_offset=0, gate_offset=0,
                 **overrides):
        (ctrl, g_sources, g_gates, self.full_ms, self.partial_ms, self.fast_ms,
         self.power_on_ms, self.power_off_ms, self.full_hz, self.source) = GLASSES[name]
        if ctrl != controller:
            raise ValueError("glass %s has an %s, not an %s" % (name, ctrl, controller))
        if (g_sources, g_gates) != (sources, gates):
            raise ValueError("glass %s is %dx%d, not %dx%d" % (
                name, g_sources, g_gates, sources, gates))
        if source_offset % 8:
            raise ValueError("source_offset %d is not a multiple of 8" % source_offset)
        self.name = name
        self.sources = sources
        self.gates = gates
        self.source_offset = source_offset
        self.gate_offset = gate_offset
        # Lowest temperature (degC) at which the OTP holds the fast waveform. Not published;
        # GxEPD2 forces 100 degC (0x1A 0x64) and Good Display demos 90 (0x5A) for it.
        self.fast_from_c = 80
        # RAM ping-pong from the OTP display option (0x37 F[6], SSD1680 §7 p.30; POR 0).
        # GxEPD2 1.2.16: "fix for GDEH0154D67, to work independent of OTP version
        # (ping-pong issue)": some OTPs set it. Off unless a test says so.
        self.otp_pingpong = False
        self.vsh_black = True  # see host_sim.fakes.epd_waveform
        self.ambient_c = 25
        for key in overrides:
            if not hasattr(self, key):
                raise ValueError("unknown glass option %r" % key)
            setattr(self, key, overrides[key])


def glass_for(controller, width, height, name=None, source_offset=0, gate_offset=0,
              **overrides):
    """The Glass for a board's panel (width/height as in boards/*.json: long side first or
    not, it does not matter); name None picks the default glass of that size."""
    gates, sources = (width, height) if width >= height else (height, width)
    if name is None:
        name = DEFAULTS.get((controller, sources, gates))
        if name is None:
            raise ValueError("no %s glass of %dx%d is known" % (controller, width, height))
    elif name not in GLASSES:
        raise ValueError("unknown glass %r (known: %s)" % (name, ", ".join(sorted(GLASSES))))
    return Glass(name, controller, sources, gates, source_offset, gate_offset, **overrides)
