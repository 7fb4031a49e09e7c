"""Board definitions: checking the JSON that says how a board is wired.

A definition (boards/<id>.json in the repository, /board.json on the pin) names the panel
controller and size and the GPIOs of every part. The same checks run in the deploy tool
before anything is written to a pin and at boot on the pin, so a typo is a clear message,
not a mystery crash.
"""

PANELS = {
    # controller: allowed (width, height)
    "ssd1680": ((250, 122), (296, 128)),
    "ssd1681": ((200, 200),),
    "uc8151": ((296, 128), (250, 122)),
}
# controller: (sources, gates) it has outputs for; a glass wired at an offset must fit
_OUTPUTS = {"ssd1680": (176, 296), "ssd1681": (200, 200), "uc8151": (160, 296)}
ACCELS = ("lis3dh",)
# ESP32 GPIO numbers 0-39 that exist as pads; 20, 24 and 28-31 do not. 34-39 are input-only.
_GPIOS = tuple(n for n in range(0, 40) if n not in (20, 24, 28, 29, 30, 31))
_INPUT_ONLY = (34, 35, 36, 37, 38, 39)
# GPIO 6-11 wire the SPI flash on every ESP32 module: driving one crashes the chip.
_FLASH = (6, 7, 8, 9, 10, 11)


class BoardError(ValueError):
    pass


def _gpio(where, value, output=False):
    if not isinstance(value, int) or isinstance(value, bool) or value not in _GPIOS:
        raise BoardError("%s: %r is not an ESP32 GPIO number (0-39, no 20/24/28-31)"
                         % (where, value))
    if value in _FLASH:
        raise BoardError("%s: GPIO %d belongs to the SPI flash (6-11)" % (where, value))
    if output and value in _INPUT_ONLY:
        raise BoardError("%s: GPIO %d is input-only on the ESP32" % (where, value))
    return value


def _section(defn, key):
    part = defn.get(key)
    if part is None:
        return None
    if not isinstance(part, dict):
        raise BoardError("section %r must be an object" % key)
    return part


def _wiring(panel, controller, size):
    # panel.glass: the glass's part number (the simulator times refreshes by it);
    # panel.source_offset: RAM x of the glass's first column (bytes of 8 pixels: a multiple
    # of 8); panel.gate_offset: the gate of its first row. Both 0 unless the glass is bonded
    # further in (Adafruit's MagTag panels sit at 0 or at 8).
    glass = panel.get("glass")
    if glass is not None and (not isinstance(glass, str) or not glass):
        raise BoardError("panel.glass must be the glass's part number, e.g. \"DEPG0213BN\"")
    src = panel.get("source_offset", 0)
    gate = panel.get("gate_offset", 0)
    for name, value in (("source_offset", src), ("gate_offset", gate)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise BoardError("panel.%s must be a whole number >= 0" % name)
    if src % 8:
        raise BoardError("panel.source_offset %d: the RAM is addressed in bytes, use a "
                         "multiple of 8" % src)
    sources, gates = min(size), max(size)
    max_src, max_gates = _OUTPUTS[controller]
    if src + sources > max_src or gate + gates > max_gates:
        raise BoardError("panel: a %dx%d glass at offset %d,%d needs more than the %s's %d "
                         "sources x %d gates" % (size[0], size[1], src, gate, controller,
                                                 max_src, max_gates))


def validate(defn):
    """Return defn if it is a usable board definition, else raise BoardError saying why."""
    if not isinstance(defn, dict):
        raise BoardError("a board definition is a JSON object")
    board_id = defn.get("id")
    if not isinstance(board_id, str) or not board_id:
        raise BoardError("missing 'id' (a short name such as 'lilygo-t5-213')")
    for key in ("name", "source", "notes"):
        if key in defn and not isinstance(defn[key], str):
            raise BoardError("%r must be a string" % key)
    chip = defn.get("chip", "ESP32")
    if chip != "ESP32":
        raise BoardError("chip %r is not supported (only the original ESP32)" % chip)

    panel = _section(defn, "panel")
    if panel is None:
        raise BoardError("missing section 'panel'")
    controller = panel.get("controller")
    if controller not in PANELS:
        raise BoardError("panel.controller %r: expected one of %s"
                         % (controller, ", ".join(sorted(PANELS))))
    size = (panel.get("width"), panel.get("height"))
    if size not in PANELS[controller]:
        raise BoardError("panel: %s does not drive %rx%r" % (controller, size[0], size[1]))
    _wiring(panel, controller, size)
    spi = panel.get("spi")
    if not isinstance(spi, dict):
        raise BoardError("panel.spi must be an object with sck and mosi")
    _gpio("panel.spi.sck", spi.get("sck"), True)
    _gpio("panel.spi.mosi", spi.get("mosi"), True)
    for name in ("cs", "dc", "rst"):
        _gpio("panel." + name, panel.get(name), True)
    _gpio("panel.busy", panel.get("busy"))
    if "pwr" in panel:
        # Some boards switch the panel's supply with a GPIO (high = on).
        _gpio("panel.pwr", panel["pwr"], True)

    accel = _section(defn, "accel")
    if accel is not None:
        if accel.get("chip") not in ACCELS:
            raise BoardError("accel.chip %r: expected one of %s"
                             % (accel.get("chip"), ", ".join(ACCELS)))
        i2c = accel.get("i2c")
        if not isinstance(i2c, dict):
            raise BoardError("accel.i2c must be an object with scl and sda")
        _gpio("accel.i2c.scl", i2c.get("scl"), True)
        _gpio("accel.i2c.sda", i2c.get("sda"), True)
        if accel.get("addr") not in (0x18, 0x19):
            raise BoardError("accel.addr must be 24 (0x18) or 25 (0x19)")
        if "int1" in accel:
            _gpio("accel.int1", accel["int1"])

    buttons = _section(defn, "buttons") or {}
    for name in buttons:
        spec = buttons[name]
        if not isinstance(spec, dict):
            raise BoardError("buttons.%s must be an object with a pin" % name)
        _gpio("buttons.%s.pin" % name, spec.get("pin"))
        if not isinstance(spec.get("active_low", True), bool):
            raise BoardError("buttons.%s.active_low must be true or false" % name)

    battery = _section(defn, "battery")
    if battery is not None:
        _gpio("battery.adc", battery.get("adc"))
        divider = battery.get("divider", 1)
        if not isinstance(divider, (int, float)) or not 1 <= divider <= 10:
            raise BoardError("battery.divider must be a number from 1 to 10")

    # Pins the board spends on parts Cloud Pin does not use (SD card, LED, speaker): listed
    # so that no part above is wired onto them by mistake.
    reserved = _section(defn, "reserved") or {}
    for name in reserved:
        _gpio("reserved." + name, reserved[name])

    used = {}
    for where, pin in _pins(defn):
        if pin in used and used[pin] != where:
            raise BoardError("GPIO %d is used twice: %s and %s" % (pin, used[pin], where))
        used[pin] = where
    return defn


def _pins(defn):
    panel = defn["panel"]
    yield "panel.spi.sck", panel["spi"]["sck"]
    yield "panel.spi.mosi", panel["spi"]["mosi"]
    for name in ("cs", "dc", "rst", "busy"):
        yield "panel." + name, panel[name]
    accel = defn.get("accel")
    if accel:
        yield "accel.i2c.scl", accel["i2c"]["scl"]
        yield "accel.i2c.sda", accel["i2c"]["sda"]
        if "int1" in accel:
            yield "accel.int1", accel["int1"]
    for name, spec in (defn.get("buttons") or {}).items():
        yield "buttons." + name, spec["pin"]
    if "pwr" in panel:
        yield "panel.pwr", panel["pwr"]
    if defn.get("battery"):
        yield "battery.adc", defn["battery"]["adc"]
    for name, pin in (defn.get("reserved") or {}).items():
        yield "reserved." + name, pin


def load(path):
    """Read and validate a definition file (on the pin: /board.json)."""
    import json

    try:
        with open(path) as f:
            defn = json.load(f)
    except OSError:
        raise BoardError("no board definition at %s (deploy writes it)" % path) from None
    except ValueError:
        raise BoardError("%s is not valid JSON" % path) from None
    return validate(defn)
