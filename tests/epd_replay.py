"""Replaying recorded e-paper byte streams (tests/data/epd/*.json) into the emulated
controllers, and the test patterns they draw. See tests/data/epd/README.md for the format.

    doc = load("gxepd2_213_BN_partial")
    run = replay(doc)                  # in a Simulation: virtual time
    run.errors                         # EPDProtocolError messages, per step
    run.checkpoints                    # [(checkpoint, glass bytes after it)]
    wrong_pixels(run.emu, glass, "checker8_bar", frame)
"""

import hashlib
import json
import os
import time

from host_sim.fakes.epd import EPDProtocolError, emulator_for
from host_sim.fakes.hw import FakePin, FakeSPI

DATA = os.path.join(os.path.dirname(__file__), "data", "epd")
RECT = (16, 8, 32, 32)   # the rectangle the partial fixtures invert: x, y, w, h


def names():
    return sorted(f[:-5] for f in os.listdir(DATA) if f.endswith(".json"))


def load(name):
    with open(os.path.join(DATA, name + ".json")) as f:
        return json.load(f)


# -- the patterns, on the canvas the application draws (x right, y down) -------------------

def _checker8(x, y):
    return ((x >> 3) + (y >> 3)) & 1 == 1


def _in_rect(x, y):
    rx, ry, rw, rh = RECT
    return rx <= x < rx + rw and ry <= y < ry + rh


def _bar(x, y):
    # checker8 plus a 64x8 black bar at the top left: no mirror, transpose or 8-pixel shift
    # of the canvas leaves it unchanged (plain checker8 survives some flips)
    return _checker8(x, y) or (y < 8 and x < 64)


PATTERNS = {   # name -> black(x, y)
    "white": lambda x, y: False,
    "black": lambda x, y: True,
    "checker8": _checker8,
    "checker8_bar": _bar,
    "checker8_bar_rectinv": lambda x, y: _bar(x, y) != _in_rect(x, y),
}


def frame_to_canvas(mapping, fx, fy, frame_h, visible_w):
    """Canvas pixel of frame pixel (fx, fy); None if that frame column is off the glass."""
    if fx >= visible_w:
        return None
    if mapping == "identity":
        return fx, fy
    if mapping == "rot90":    # GxEPD2 rotation 1, Waveshare ROTATE_90, nano-gui landscape
        return fy, visible_w - 1 - fx
    if mapping == "rot270":   # CircuitPython displayio rotation 270
        return frame_h - 1 - fy, fx
    raise ValueError("unknown frame map %r" % mapping)


def image_bytes(spec, check=True):
    """The bytes a data_image step stands for: frame rows y..y+h-1, each the bytes of
    columns x..x+w-1, MSB = lowest column; bit_one says what a 1 bit is. check: they must
    match the recorded len and sha256 (a step a test made up has none)."""
    black_at = PATTERNS[spec["image"]]
    fr = spec["frame"]
    one_white = spec["bit_one"] == "white"
    pad = spec.get("pad_bit", 1)
    out = bytearray()
    for fy in range(spec["y"], spec["y"] + spec["h"]):
        for bx in range(spec["x"] // 8, (spec["x"] + spec["w"]) // 8):
            b = 0
            for k in range(8):
                c = frame_to_canvas(fr["map"], bx * 8 + k, fy, fr["h"], fr["visible_w"])
                if c is None:
                    bit = pad
                else:
                    black = black_at(*c)
                    bit = (not black) if one_white else black
                b |= (1 if bit else 0) << (7 - k)
            out.append(b)
    if check and (len(out) != spec["len"] or
                  hashlib.sha256(out).hexdigest() != spec["sha256"]):
        raise ValueError("data_image does not match its recorded length/sha256: %r" % spec)
    return bytes(out)


def step_bytes(step):
    if "data" in step:
        return bytes.fromhex(step["data"])
    if "data_fill" in step:
        return bytes((int(step["data_fill"]["byte"], 16),)) * step["data_fill"]["count"]
    if "data_image" in step:
        return image_bytes(step["data_image"], "sha256" in step["data_image"])
    return None


def checkpoint_pattern(cp):
    """'canvas 250x122 shows 'white' (...)' -> 'white'."""
    return cp["glass_after"].split("'")[1]


# -- replay ---------------------------------------------------------------------------------

class Replay:
    def __init__(self, emu):
        self.emu = emu
        self.errors = []         # (step index, message)
        self.checkpoints = []    # (checkpoint dict, glass copy right after its trigger)
        self.refresh_ms = []     # (step, BUSY ms) after every 0x20 (SSD168x) / DRF (UC8151)
        self.frame = None        # the frame geometry of the last image written


def make_emulator(doc, durations=None, **options):
    panel = doc["panel"]
    controller = doc["controller"].lower()
    controller = "uc8151" if controller.startswith("uc8151") else controller[:7]
    pins = {"cs": FakePin("cs", FakePin.OUT, value=1), "dc": FakePin("dc", FakePin.OUT),
            "rst": FakePin("rst", FakePin.OUT, value=1), "busy": FakePin("busy", FakePin.IN)}
    spi = FakeSPI(2)
    definition = {"controller": controller, "width": panel["width"],
                  "height": panel["height"], "glass": panel["glass"],
                  "source_offset": panel.get("source_offset", 0)}
    emu = emulator_for(spi, pins, definition, durations, **options)
    return emu, spi, pins


def replay(doc, max_polls=200000, **options):
    """Send the recorded steps to a fresh emulator (call inside a Simulation). Each step is
    one CS-low transaction; a refused step is recorded and the replay goes on."""
    emu, spi, pins = make_emulator(doc, **options)
    busy_level = 1 if doc["panel"]["busy_active"] == "high" else 0
    run = Replay(emu)
    cps = {}
    for cp in doc["checkpoints"]:
        cps[cp["step"]] = cp
    cs, dc, rst, busy = pins["cs"], pins["dc"], pins["rst"], pins["busy"]
    trigger = 0x12 if emu.controller == "uc8151" else 0x20

    def send(level, data, i):
        cs(0)
        dc(level)
        try:
            spi.write(data)
        except EPDProtocolError as e:
            run.errors.append((i, str(e)))
            emu.cmd = None
        finally:
            cs(1)

    for i, st in enumerate(doc["steps"]):
        if "reset" in st:
            time.sleep_ms(st.get("pre_high_ms", 0))
            for _ in range(st.get("repeat", 1)):
                rst(0)
                time.sleep_ms(st.get("low_ms", 1))
                rst(1)
                time.sleep_ms(st.get("after_ms", 0))
        elif "delay_ms" in st:
            time.sleep_us(int(st["delay_ms"] * 1000))
        elif "wait_busy" in st:
            for _ in range(max_polls):
                if "poll_cmd" in st:
                    send(0, bytes((int(st["poll_cmd"], 16),)), i)
                if busy.value() != busy_level:
                    break
                time.sleep_ms(1)
            else:
                run.errors.append((i, "BUSY never went idle"))
            time.sleep_ms(st.get("then_delay_ms", 0))
        elif "cmd" in st:
            send(0, bytes((int(st["cmd"], 16),)), i)
        else:
            data = step_bytes(st)
            if data is not None:
                send(1, data, i)
                if "data_image" in st:
                    run.frame = st["data_image"]["frame"]
        if "cmd" in st and int(st["cmd"], 16) == trigger:
            run.refresh_ms.append((i, busy_left(emu)))
        if i in cps:
            run.checkpoints.append((cps[i], bytes(emu.visible)))
    return run


def busy_left(emu):
    """Milliseconds until the emulator's BUSY ends (0 if idle)."""
    start = time.ticks_ms()
    if not emu.busy():
        return 0
    return time.ticks_diff(emu._busy_until, start)


def wrong_pixels(emu, glass, pattern, frame):
    """Glass pixels (native, 1 = white) that differ from pattern drawn through frame's map;
    returns (count, first few (x, y) canvas coordinates)."""
    black_at = PATTERNS[pattern]
    rb = emu.row_bytes
    bad = []
    n = 0
    for g in range(emu.gates):
        for s in range(emu.sources):
            c = frame_to_canvas(frame["map"], s, g, frame["h"], frame["visible_w"])
            if c is None:
                continue
            white = (glass[g * rb + (s >> 3)] >> (7 - (s & 7))) & 1
            if white == black_at(*c):
                n += 1
                if len(bad) < 5:
                    bad.append(c)
    return n, bad


def main(argv=None):
    """`python -m tests.epd_replay [NAME ...]`: replay the recordings and print one JSON
    line each (wrong pixels per checkpoint, BUSY ms per refresh, flags), then a summary."""
    import sys

    from host_sim.runtime.scheduler import Simulation

    chosen = (argv if argv is not None else sys.argv[1:]) or names()
    right = []
    for name in chosen:
        doc = load(name)
        with Simulation():
            run = replay(doc)
        wrong = [wrong_pixels(run.emu, glass, checkpoint_pattern(cp), run.frame)[0]
                 for cp, glass in run.checkpoints]
        if not run.errors and not any(wrong):
            right.append(name)
        print(json.dumps({"fixture": name, "glass": run.emu.glass.name, "errors": run.errors,
                          "checkpoints": [cp["kind"] for cp, _ in run.checkpoints],
                          "wrong_pixels": wrong, "refresh_ms": [ms for _, ms in run.refresh_ms],
                          "modes": [m for m, _ in run.emu.history], "flags": run.emu.flags}))
    print(json.dumps({"fixtures": len(chosen), "intended_picture": len(right),
                      "other": sorted(set(chosen) - set(right))}))


if __name__ == "__main__":
    from host_sim import runtime

    runtime.install()
    main()
