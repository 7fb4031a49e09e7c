"""The design area of the screens: the medal mark beside the design on the tag, the screen of
a design still locked, and one title size for every design's name."""

import re

import pytest

from host_sim.eink import samples
from host_sim.unixport import deps, mpunix
from tests.crossrt import run_cpython

HEAP = "2M"  # fonts and the QR encoder compiled from .py on the unix port (see eink_crossrt)


@pytest.fixture(scope="module")
def out():
    script = "tests/portable/eink_medal_locked.py"
    cpython = run_cpython(script)
    unix = mpunix.run(script=script, heapsize=HEAP, extra_path=(deps.deps_dir(),))
    assert cpython == unix, "CPython and the unix port disagree on %s" % script
    return cpython


def _rows(out, what):
    """The lines about `what`, each as {word: the word after it} (plus "panel")."""
    rows = []
    for line in out.splitlines():
        words = line.split()
        if words[1] == what:
            row = dict(zip(words[2:], words[3:], strict=False))
            row["panel"], row["kind"] = words[0], words[2]
            rows.append(row)
    return rows


def test_the_tag_shows_the_medal_beside_the_design_on_every_panel(out):
    rows = _rows(out, "medal")
    assert {r["panel"] for r in rows} == {p[0] for p in samples.PANELS}
    for panel in {r["panel"] for r in rows}:
        mine = {int(r["kind"]): r for r in rows if r["panel"] == panel}
        ink = {m: int(mine[m]["ink"]) for m in mine}
        assert ink[0] == 0, panel                       # no medal: nothing there
        assert ink[1] > 80 and ink[2] > ink[1], panel  # bronze a ring, gold solid
        assert mine[1]["sig"] != mine[2]["sig"], panel
        for m in (0, 1, 2):
            r = mine[m]
            assert int(r["value"]) == m                 # its region carries the medal
            x = int(r["box"])
            assert int(r["design_right"]) <= x and x + 13 <= int(r["steps_x"]), panel
            assert r["bottom"] == "True", panel


def test_the_locked_screen_reads_as_locked_with_its_errand_and_progress(out):
    locked = _rows(out, "locked")
    for panel in {r["panel"] for r in locked}:
        mine = [r for r in locked if r["panel"] == panel]
        assert len(mine) == 4 and all(r["kind"] == "locked" for r in mine)
        # the black "Locked" band over the text, which the unlock screen does not have
        assert all(int(r["band_ink"]) > 70 for r in mine), panel
        unlock = [r for r in _rows(out, "unlock") if r["panel"] == panel][0]
        assert unlock["kind"] == "unlock" and int(unlock["band_ink"]) < 20
        bars = [int(r["bar_ink"]) for r in mine]       # (0, 25), (17, 25), (25, 25), None
        assert bars[3] < 10 < bars[0] < bars[1] < bars[2], panel
    for line in out.splitlines():
        if "errand_ink" in line:
            assert int(line.split()[-1]) > 100, line   # the errand is written out
        if "padlock_unlock" in line:
            assert line.endswith("draws locked")       # never "Unlocked!" above "Locked"


@pytest.fixture(scope="module")
def firmware():
    from host_sim import runtime

    runtime.install()
    from cloudpin import designs, layouts, writer
    from cloudpin.canvas import Canvas

    return designs, layouts, writer, Canvas


def _titles(firmware, monkeypatch, width, height, draw):
    designs, layouts, writer, Canvas = firmware
    drawn = []
    real = writer.draw

    def spy(fb, font, s, x, y, invert=False):
        drawn.append((font, s, y))
        return real(fb, font, s, x, y, invert)

    monkeypatch.setattr(writer, "draw", spy)
    fb = Canvas(width, height)
    found = {}
    for i, name in enumerate(designs.NAMES[:33]):
        drawn.clear()
        draw(layouts, fb, i)
        # the title: the lines that together spell the name (one line, or split in two)
        lines = [d for d in drawn if d[1] and (d[1] in name)]
        text = "".join(s for _, s, _ in lines).replace(" ", "")
        assert text == name.replace(" ", ""), (name, drawn)
        assert all(not s.endswith(writer.ELLIPSIS) for _, s, _ in lines)
        found[name] = ({id(f) for f, _, _ in lines}, len(lines))
    monkeypatch.undo()
    return found


@pytest.mark.parametrize("panel", samples.PANELS, ids=lambda p: p[0])
@pytest.mark.parametrize("screen", ["unlock", "locked"])
def test_every_design_name_has_the_same_title_size(firmware, monkeypatch, panel, screen):
    _, layouts, writer, _ = firmware
    name, _, width, height, rotation = panel
    w, h = (width, height) if rotation in (90, 270) else (height, width)
    if screen == "unlock":
        def draw(lay, fb, i):
            return lay.unlock(fb, i, "#")
    else:
        def draw(lay, fb, i):
            return lay.locked(fb, i, "#", (1, 2))
    found = _titles(firmware, monkeypatch, w, h, draw)
    fonts = set().union(*(f for f, _ in found.values()))
    assert len(fonts) == 1, (name, {n: len(f) for n, f in found.items()})
    # the biggest size that holds the longest names in two lines: Baseball/Softball used to
    # drop to a smaller size than the rest
    assert found["Baseball/Softball"][0] == found["Judo"][0]
    box = w - (96 + 12 + 4 if h < 160 else 6)
    big = layouts.TITLE_FONTS[0]
    words = max(writer.text_width(big, word) for n in samples_names(firmware)
                for word in re.split(r"(?<=/)| ", n))
    expected = big if words <= box else layouts.TITLE_FONTS[1]
    assert fonts == {id(expected)}, name


def samples_names(firmware):
    return firmware[0].NAMES[:33]
