"""The sport designs: a data file on flash read one design at a time into one buffer, what
the generator draws, and 33 pictograms that are told apart."""

import binascii
import math
import os
import struct
import subprocess
import sys

import pytest
from PIL import Image

from host_sim.paths import REPO_ROOT
from tests.crossrt import run_both, run_unix
from tools.gen import make_designs

BIN = os.path.join(REPO_ROOT, "firmware", "cloudpin", "designs.bin")


@pytest.fixture(scope="module")
def designs():
    from host_sim import runtime

    runtime.install()
    from cloudpin import designs

    return designs


@pytest.fixture(scope="module")
def committed():
    with open(BIN, "rb") as f:
        return f.read()


def test_the_committed_file_is_what_the_generator_draws(tmp_path, committed):
    out, sheet = tmp_path / "designs.bin", tmp_path / "sheet.png"
    subprocess.run([sys.executable, "tools/gen/make_designs.py", "--out", str(out), "--sheet",
                    str(sheet)], check=True, cwd=REPO_ROOT, capture_output=True)
    assert out.read_bytes() == committed, "run: python tools/gen/make_designs.py"
    assert Image.open(sheet).size[0] > 6 * 48 * 4


def test_the_file_holds_34_inked_designs_in_the_order_of_names(designs, committed):
    magic, count, w, h, size, crc = struct.unpack(designs.HEADER_FORMAT,
                                                  committed[:designs.HEADER])
    assert struct.calcsize(designs.HEADER_FORMAT) == designs.HEADER
    assert (magic, count, w, h, size) == (b"CPD1", 34, 48, 48, 288)
    body = committed[designs.HEADER:]
    assert len(body) == 34 * 288 and binascii.crc32(body) == crc
    assert len(designs.NAMES) == 34 and designs.NAMES[designs.LOCKED] == "Locked"
    seen = set()
    for i in range(34):
        bits = body[i * 288:(i + 1) * 288]
        ink = sum(bin(b).count("1") for b in bits)
        assert 150 < ink < 0.6 * 48 * 48, designs.NAMES[i]  # neither empty nor a blob
        seen.add(bits)
    assert len(seen) == 34
    assert designs.index("table tennis") == 26 and designs.index("curling") == designs.LOCKED


def test_designs_are_read_one_at_a_time_and_a_bad_file_is_never_drawn(tmp_path, committed):
    out = run_both("tests/portable/designs_flash.py", args=(str(tmp_path),))
    lines = out.splitlines()
    assert lines[0] == "count 34 locked Locked"
    body = committed[14:]
    for i in range(34):  # each design read through the one buffer is the file's own bytes
        crc = binascii.crc32(body[i * 288:(i + 1) * 288])
        assert lines[1 + i] == "%d True %08x" % (i, crc)
    locked = "%08x" % binascii.crc32(body[33 * 288:])
    assert all(line.endswith(locked) for line in lines[35:40])  # out of range: the padlock
    assert lines[40] == "check None"
    results = dict(line.split(" | ", 1) for line in lines[41:])
    never = "load: False blank: True | check: designs: DIR/"
    assert results["missing"] == never[:-4] + "nowhere.bin not found (deploy the firmware again)"
    assert results["empty"] == never + "case.bin is truncated"
    assert results["not designs"] == never + "case.bin is not a designs file"
    assert results["three designs"] == (
        never + "case.bin holds 3 designs of 48x48, this firmware wants 34 of 48x48")
    # A whole header with a short or damaged body: designs read where they are whole,
    # and check() (the boot log) says the file must be deployed again.
    assert results["truncated"] == ("load: True blank: False | check: designs: DIR/case.bin "
                                    "is truncated (9692 of 9792 bytes)")
    assert results["one bit flipped"] == ("load: True blank: False | check: designs: "
                                          "DIR/case.bin is damaged (CRC mismatch)")


def test_the_designs_cost_one_buffer_of_ram_not_the_file():
    # Imported as the pin does (compiled .mpy), the module holds names, not bitmaps; reading
    # all 34 designs into one buffer leaves nothing behind on the heap.
    out = run_unix(code=(
        "import gc\n"
        "a = b = c = d = i = 0  # every global made before measuring (a new one grows the dict)\n"
        "gc.collect(); a = gc.mem_alloc()\n"
        "from cloudpin import designs\n"
        "gc.collect(); b = gc.mem_alloc()\n"
        "buf = bytearray(designs.BYTES)\n"
        "designs.load(0, buf)\n"
        "gc.collect(); c = gc.mem_alloc()\n"
        "for i in range(34):\n"
        "    designs.load(i, buf)\n"
        "gc.collect(); d = gc.mem_alloc()\n"
        "print('import', b - a, 'left by 34 loads', d - c)\n"), frozen=True)
    words = out.split()
    imported, left = int(words[1]), int(words[-1])
    assert imported < 34 * 288, out  # less than the bitmaps alone (the old module: 13,824)
    assert left <= 0, out


@pytest.fixture(scope="module")
def figures(committed):
    from host_sim import runtime

    runtime.install()
    from cloudpin import designs

    return make_designs.distinctness(make_designs.images_from(committed), designs.NAMES)


def test_no_two_pictograms_are_alike(figures):
    # overlap: IoU of the ink, best over shifts of 3 px; at_distance: cosine similarity of
    # the blurred pictograms (see make_designs). The old set had a pair at 0.98 (two balls).
    assert len(figures["pairs"]) == 33 * 32 // 2
    for a, b, overlap, at_distance in figures["pairs"]:
        assert overlap < 0.6, (a, b, overlap)
        assert at_distance < 0.95, (a, b, at_distance)


def test_martial_arts_handball_and_athletics_are_told_apart(figures):
    # These were the pictograms people mixed up: Karate and Taekwondo near-identical
    # kicking figures, Handball close to Athletics, Boxing and Wrestling hard to read.
    group = [p for p in figures["pairs"] if p[0] in make_designs.CONFUSABLE
             and p[1] in make_designs.CONFUSABLE]
    assert len(group) == 21
    for a, b, overlap, at_distance in group:
        assert overlap < 0.45, (a, b, overlap)
        assert at_distance < 0.85, (a, b, at_distance)
    # (the old set: 0.735, 0.679 and 0.705 at a distance, and Boxing/Judo at 0.925)
    pairs = {frozenset(p[:2]): p for p in group}
    assert pairs[frozenset(("Karate", "Taekwondo"))][3] < 0.65
    assert pairs[frozenset(("Handball", "Athletics"))][3] < 0.65
    assert pairs[frozenset(("Judo", "Wrestling"))][3] < 0.65


def test_the_measure_tells_a_copy_from_a_different_design():
    # The measure itself can fail: a design moved by 2 px is "alike", and so are two balls
    # that differ only in their seams (the old set's Basketball and Volleyball, at 0.98).
    img = make_designs.render(make_designs.DRAW["Karate"])
    moved = Image.new("1", img.size, 0)
    moved.paste(img.crop((0, 0, 46, 46)), (2, 2))

    def ball(seams):
        p = make_designs.Pic()
        p.disc(24, 24, 20)
        for a in seams:
            p.arc(24 + 30 * math.cos(math.radians(a)), 24 + 30 * math.sin(math.radians(a)),
                  24, a + 140, a + 220, 1.5, ink=False)
        return p.image()

    f = make_designs.distinctness(
        [img, moved, make_designs.render(make_designs.DRAW["Taekwondo"]), ball((0, 180)),
         ball((90, 210, 330))], ["a", "a moved", "b", "ball", "other ball"])
    pairs = {frozenset(p[:2]): p for p in f["pairs"]}
    assert pairs[frozenset(("a", "a moved"))][2] > 0.9
    assert pairs[frozenset(("a", "a moved"))][3] > 0.97
    assert pairs[frozenset(("ball", "other ball"))][3] > 0.95
    assert pairs[frozenset(("a", "b"))][3] < 0.7
