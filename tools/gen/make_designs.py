"""Draw the 33 sport designs and the "locked" design; write firmware/cloudpin/designs.py.

    python tools/gen/make_designs.py [--sheet out/designs.png]

Our own pictograms, drawn here from vector shapes (Pillow ImageDraw: polygons, ellipses,
thick lines) at 4x size, reduced to 48x48 and thresholded to 1 bit. One size for all, so a
layout reserves one square. The pin gets one bytes constant (stays in flash when frozen),
MONO_HLSB rows, 1 = ink. --sheet writes a contact sheet PNG for review.
"""

import argparse
import math
import os
import sys

from PIL import Image, ImageDraw

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(REPO, "firmware", "cloudpin", "designs.py")
SIZE = 48
S = 4 * SIZE  # drawing canvas (supersampled)
INK = 255

SPORTS = (
    "Aquatics", "Archery", "Athletics", "Badminton", "Baseball/Softball", "Basketball",
    "Boxing", "Canoe", "Cycling", "Equestrian", "Fencing", "Football", "Golf", "Gymnastics",
    "Handball", "Hockey", "Judo", "Karate", "Modern Pentathlon", "Rowing", "Rugby", "Sailing",
    "Shooting", "Skateboarding", "Sport Climbing", "Surfing", "Table Tennis", "Taekwondo",
    "Tennis", "Triathlon", "Volleyball", "Weightlifting", "Wrestling",
)
LOCKED = "Locked"


# -- drawing helpers (canvas units: 0..192) ---------------------------------------------

def disc(d, cx, cy, r, fill=INK):
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill)


def ring(d, cx, cy, r, w):
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=INK, width=w)


def thick(d, pts, w):
    """A polyline with round joints and ends."""
    d.line(pts, fill=INK, width=w)
    for x, y in pts:
        disc(d, x, y, w // 2)


def figure(d, head, limbs, w=16, r=15):
    """A stick figure: head centre and polylines for body and limbs."""
    disc(d, head[0], head[1], r)
    for pts in limbs:
        thick(d, pts, w)


def wave(d, y, amp=10, period=48, w=10, x0=8, x1=184):
    pts = [(x, y + amp * math.sin((x - x0) * 2 * math.pi / period)) for x in range(x0, x1 + 1, 4)]
    d.line(pts, fill=INK, width=w)


def rot(points, cx, cy, deg):
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    return [(cx + (x - cx) * c - (y - cy) * s, cy + (x - cx) * s + (y - cy) * c)
            for x, y in points]


def ball_lines(d, cx, cy, r, w):
    ring(d, cx, cy, r, w)


# -- the designs -------------------------------------------------------------------------

def aquatics(d):
    figure(d, (70, 78), [[(84, 100), (120, 92), (150, 100)], [(100, 96), (96, 58), (128, 40)]])
    wave(d, 122, amp=8, w=12)
    wave(d, 160, amp=8, w=12)


def archery(d):
    d.arc((20, 16, 120, 176), start=-70, end=70, fill=INK, width=14)
    top = (70 + 50 * math.cos(math.radians(-70)), 96 + 80 * math.sin(math.radians(-70)))
    bot = (70 + 50 * math.cos(math.radians(70)), 96 + 80 * math.sin(math.radians(70)))
    d.line([top, (58, 96), bot], fill=INK, width=5)
    d.line([(58, 96), (176, 96)], fill=INK, width=8)
    d.polygon([(184, 96), (160, 82), (160, 110)], fill=INK)
    d.polygon([(58, 96), (40, 82), (52, 96), (40, 110)], fill=INK)


def athletics(d):
    figure(d, (112, 30), [
        [(104, 56), (86, 104)],                  # torso
        [(100, 64), (128, 84), (152, 70)],       # front arm
        [(100, 64), (72, 74), (56, 98)],         # back arm
        [(86, 104), (118, 128), (112, 170)],     # front leg
        [(86, 104), (64, 134), (28, 140)],       # back leg
    ], w=18, r=17)


def badminton(d):
    # shuttlecock: cork at the bottom left, feather skirt opening up-right
    cx, cy = 60, 140
    disc(d, cx, cy, 24)
    skirt = rot([(cx, cy - 18), (cx + 100, cy - 58), (cx + 116, cy - 6), (cx + 100, cy + 46),
                 (cx, cy + 18)], cx, cy, -45)
    d.polygon(skirt, outline=INK, width=10)
    for t in (-30, 0, 30):
        a = math.radians(-45 + t * 0.6)
        d.line([(cx, cy), (cx + 108 * math.cos(a), cy + 108 * math.sin(a))], fill=INK, width=7)


def baseball(d):
    ring(d, 64, 128, 46, 10)
    d.arc((2, 84, 60, 172), start=-60, end=60, fill=INK, width=6)
    d.arc((68, 84, 126, 172), start=120, end=240, fill=INK, width=6)
    bat = rot([(0, -9), (120, -17), (126, -10), (126, 10), (120, 17), (0, 9)], 0, 0, 0)
    bat = [(x + 56, y) for x, y in bat]
    bat = rot(bat, 56, 0, -50)
    bat = [(x + 40, y + 150) for x, y in bat]
    d.polygon(bat, fill=INK)
    disc(d, 96, 150, 13)


def basketball(d):
    cx, cy, r = 96, 96, 80
    disc(d, cx, cy, r)
    w = 9
    d.line([(cx - r, cy), (cx + r, cy)], fill=0, width=w)
    d.line([(cx, cy - r), (cx, cy + r)], fill=0, width=w)
    d.arc((cx - r - 60, cy - r, cx - 10, cy + r), start=-60, end=60, fill=0, width=w)
    d.arc((cx + 10, cy - r, cx + r + 60, cy + r), start=120, end=240, fill=0, width=w)


def boxing(d):
    d.rounded_rectangle((40, 24, 160, 130), radius=48, fill=INK)        # fist
    d.rounded_rectangle((20, 70, 70, 130), radius=24, fill=INK)         # thumb
    d.line([(70, 76), (70, 120)], fill=0, width=8)
    d.rectangle((58, 134, 150, 176), fill=INK)                          # cuff
    d.line([(58, 146), (150, 146)], fill=0, width=6)


def canoe(d):
    d.chord((8, 90, 184, 170), start=0, end=180, fill=INK)
    d.line([(8, 128), (184, 128)], fill=INK, width=10)
    disc(d, 96, 56, 16)  # paddler
    thick(d, [(96, 76), (96, 118)], 18)
    d.line([(40, 20), (150, 170)], fill=INK, width=9)
    d.ellipse((132, 140, 168, 190), fill=INK)


def cycling(d):
    ring(d, 44, 130, 36, 10)
    ring(d, 148, 130, 36, 10)
    thick(d, [(44, 130), (82, 72), (132, 72), (148, 130)], 10)
    thick(d, [(82, 72), (96, 130), (132, 72)], 10)
    thick(d, [(44, 130), (96, 130)], 10)
    thick(d, [(132, 72), (126, 46), (146, 42)], 10)
    thick(d, [(76, 58), (96, 58)], 10)       # saddle
    thick(d, [(82, 72), (80, 58)], 8)


def equestrian(d):
    # horseshoe, open end down, with nail holes
    d.arc((28, 16, 164, 176), start=140, end=40, fill=INK, width=34)
    for a in (165, 205, 245, 295, 335, 15):
        x = 96 + 68 * math.cos(math.radians(a))
        y = 96 + 80 * math.sin(math.radians(a))
        disc(d, x, y, 5, fill=0)
    d.rectangle((28, 150, 58, 172), fill=INK)
    d.rectangle((134, 150, 164, 172), fill=INK)


def fencing(d):
    for sign in (1, -1):
        a = (24, 24) if sign == 1 else (168, 24)
        b = (150, 150) if sign == 1 else (42, 150)
        d.line([a, b], fill=INK, width=7)
        gx, gy = (136, 136) if sign == 1 else (56, 136)
        d.chord((gx - 26, gy - 26, gx + 26, gy + 26), start=(225 if sign == 1 else 315) - 90,
                end=(225 if sign == 1 else 315) + 90, fill=INK)
        hx, hy = (166, 166) if sign == 1 else (26, 166)
        thick(d, [b, (hx, hy)], 14)
        disc(d, a[0], a[1], 7)


def football(d):
    cx, cy, r = 96, 96, 82
    disc(d, cx, cy, r)
    disc(d, cx, cy, r - 10, fill=0)
    pent = [(cx + 30 * math.cos(math.radians(-90 + 72 * k)),
             cy + 30 * math.sin(math.radians(-90 + 72 * k))) for k in range(5)]
    d.polygon(pent, fill=INK)
    for k in range(5):
        a = math.radians(-90 + 72 * k)
        p = (cx + 30 * math.cos(a), cy + 30 * math.sin(a))
        q = (cx + 56 * math.cos(a), cy + 56 * math.sin(a))
        d.line([p, q], fill=INK, width=8)
        a2 = math.radians(-90 + 72 * k)
        side = [(cx + 72 * math.cos(a2 + t), cy + 72 * math.sin(a2 + t)) for t in (-0.35, 0.35)]
        d.polygon([q, side[0], (cx + r * math.cos(a2 - 0.3), cy + r * math.sin(a2 - 0.3)),
                   (cx + r * math.cos(a2 + 0.3), cy + r * math.sin(a2 + 0.3)), side[1]], fill=INK)


def golf(d):
    d.line([(100, 20), (100, 160)], fill=INK, width=9)
    d.polygon([(104, 20), (170, 44), (104, 70)], fill=INK)
    d.ellipse((56, 150, 150, 176), fill=INK)
    disc(d, 48, 132, 17)
    disc(d, 48, 132, 17 - 6, fill=0)
    disc(d, 48, 132, 5)


def gymnastics(d):
    for cx in (60, 132):
        d.line([(cx, 8), (cx, 104)], fill=INK, width=6)
        ring(d, cx, 132, 30, 11)


def handball(d):
    figure(d, (80, 40), [
        [(80, 64), (90, 116)],
        [(82, 70), (112, 56), (128, 22)],      # throwing arm up
        [(82, 72), (56, 92)],
        [(90, 116), (64, 150), (56, 184)],
        [(90, 116), (124, 146), (120, 184)],
    ], w=17, r=16)
    disc(d, 152, 24, 20)
    d.arc((132, 4, 172, 44), start=200, end=340, fill=0, width=5)


def hockey(d):
    thick(d, [(136, 12), (84, 150)], 14)
    d.arc((40, 124, 96, 180), start=0, end=190, fill=INK, width=16)
    disc(d, 136, 160, 16)


def judo(d):
    # judogi jacket: shoulders, wide sleeves, crossed lapels, belt with knot
    body = [(50, 30), (78, 24), (96, 60), (114, 24), (142, 30), (186, 86), (158, 110),
            (146, 92), (146, 176), (46, 176), (46, 92), (34, 110), (6, 86)]
    d.polygon(body, fill=INK)
    d.line([(78, 24), (118, 128)], fill=0, width=8)
    d.line([(114, 24), (96, 74)], fill=0, width=8)
    d.rectangle((46, 120, 146, 136), fill=0)
    d.rectangle((46, 124, 146, 132), fill=INK)
    d.polygon([(90, 128), (72, 170), (84, 172), (96, 134)], fill=INK)
    d.polygon([(102, 128), (122, 168), (110, 172), (96, 134)], fill=INK)
    d.line([(72, 170), (84, 172)], fill=0, width=4)


def karate(d):
    figure(d, (50, 40), [
        [(56, 64), (72, 110)],
        [(60, 72), (100, 76), (130, 64)],      # punch
        [(60, 74), (36, 100), (52, 112)],
        [(72, 110), (56, 146), (44, 184)],
        [(72, 110), (120, 108), (168, 96)],    # side kick
    ], w=17, r=16)
    d.line([(60, 108), (84, 108)], fill=0, width=5)   # belt


def pentathlon(d):
    pent = [(96 + 86 * math.cos(math.radians(-90 + 72 * k)),
             100 + 86 * math.sin(math.radians(-90 + 72 * k))) for k in range(5)]
    d.polygon(pent, outline=INK, width=12)
    # the five events' marks: a 5 made of bold strokes in the middle
    thick(d, [(118, 58), (78, 58), (74, 96), (104, 94), (122, 114), (114, 140), (76, 142)], 16)


def rowing(d):
    # side view: a long shell, two rowers, oars sweeping back into the water
    wave(d, 170, amp=5, period=40, w=7)
    d.polygon([(4, 120), (188, 120), (168, 136), (24, 136)], fill=INK)
    for x in (66, 126):
        disc(d, x, 64, 14)
        thick(d, [(x, 80), (x + 6, 116)], 16)
        thick(d, [(x, 90), (x + 24, 100)], 10)
        d.line([(x + 24, 100), (x - 30, 160)], fill=INK, width=7)
        d.polygon([(x - 22, 150), (x - 40, 172), (x - 50, 162), (x - 32, 142)], fill=INK)


def rugby(d):
    pts = rot([(96 + 88 * math.cos(t / 20), 96 + 52 * math.sin(t / 20)) for t in range(126)],
              96, 96, -35)
    d.polygon(pts, fill=INK)
    line = rot([(40, 96), (152, 96)], 96, 96, -35)
    d.line(line, fill=0, width=6)
    for k in range(-2, 3):
        st = rot([(96 + 14 * k, 84), (96 + 14 * k, 108)], 96, 96, -35)
        d.line(st, fill=0, width=5)


def sailing(d):
    d.polygon([(100, 10), (100, 140), (176, 140)], fill=INK)
    d.polygon([(90, 30), (90, 140), (26, 140)], fill=INK)
    d.polygon([(10, 150), (182, 150), (156, 178), (36, 178)], fill=INK)


def shooting(d):
    for r, w in ((84, 10), (58, 10), (32, 10)):
        ring(d, 96, 96, r, w)
    disc(d, 96, 96, 12)
    for a, b in (((96, 0), (96, 36)), ((96, 156), (96, 192)), ((0, 96), (36, 96)),
                 ((156, 96), (192, 96))):
        d.line([a, b], fill=INK, width=8)


def skateboarding(d):
    d.rounded_rectangle((10, 96, 182, 116), radius=10, fill=INK)
    d.polygon([(10, 96), (0, 78), (14, 76), (30, 96)], fill=INK)
    d.polygon([(182, 96), (192, 78), (178, 76), (162, 96)], fill=INK)
    for x in (50, 142):
        d.rectangle((x - 12, 116, x + 12, 128), fill=INK)
        disc(d, x - 10, 142, 16)
        disc(d, x + 10, 142, 16)
        disc(d, x - 10, 142, 5, fill=0)
        disc(d, x + 10, 142, 5, fill=0)


def climbing(d):
    # an overhanging wall with holds and a climber's hand on the top one
    thick(d, [(20, 8), (56, 184)], 9)
    holds = [(140, 40, 14), (96, 76, 12), (150, 104, 16), (110, 140, 12), (150, 160, 10),
             (70, 120, 10)]
    for x, y, r in holds:
        d.polygon([(x - r, y), (x - r // 2, y - r), (x + r, y - r // 2), (x + r // 2, y + r),
                   (x - r // 2, y + r)], fill=INK)
    figure(d, (70, 64), [[(80, 84), (104, 126)], [(82, 86), (128, 44)], [(82, 88), (54, 118)],
                         [(104, 126), (136, 150)], [(104, 126), (86, 170)]], w=13, r=13)


def surfing(d):
    # a curling wave on the left, a surfer riding the board across its face
    d.polygon([(0, 190), (0, 70), (20, 40), (56, 24), (86, 30), (100, 50), (80, 44), (60, 52),
               (52, 76), (62, 110), (96, 150), (150, 176), (192, 184), (192, 190)], fill=INK)
    board = rot([(60, 0), (120, -10), (176, 0), (120, 10)], 118, 0, -14)
    d.polygon([(x, y + 140) for x, y in board], fill=INK)
    figure(d, (124, 52), [[(122, 74), (116, 108)], [(120, 82), (152, 70)], [(120, 82), (92, 92)],
                          [(116, 108), (142, 124)], [(116, 108), (98, 134)]], w=13, r=13)


def table_tennis(d):
    disc(d, 80, 80, 60)
    thick(d, [(120, 122), (162, 166)], 22)
    disc(d, 160, 48, 16)


def taekwondo(d):
    figure(d, (60, 74), [
        [(64, 96), (86, 130)],
        [(66, 104), (40, 122)],
        [(66, 102), (96, 92)],
        [(86, 130), (78, 184)],
        [(86, 130), (130, 84), (168, 30)],     # high kick
    ], w=17, r=16)


def tennis(d):
    r = rot([(96 + 40 * math.cos(t / 10), 64 + 52 * math.sin(t / 10)) for t in range(63)],
            96, 64, 30)
    d.polygon(r, outline=INK, width=11)
    for k in range(-3, 4):
        d.line(rot([(96 + 11 * k, 14), (96 + 11 * k, 114)], 96, 64, 30), fill=INK, width=3)
        d.line(rot([(46, 64 + 13 * k), (146, 64 + 13 * k)], 96, 64, 30), fill=INK, width=3)
    handle = rot([(96, 116), (96, 184)], 96, 64, 30)
    thick(d, handle, 16)
    disc(d, 150, 160, 17)


def triathlon(d):
    wave(d, 168, amp=7, period=40, w=9)
    ring(d, 48, 112, 28, 9)
    ring(d, 120, 112, 28, 9)
    thick(d, [(48, 112), (74, 76), (110, 76), (120, 112)], 8)
    figure(d, (150, 28), [[(146, 48), (136, 80)], [(144, 56), (168, 70)], [(144, 56), (120, 60)],
                          [(136, 80), (162, 96)], [(136, 80), (114, 96)]], w=11, r=11)


def volleyball(d):
    cx, cy, r = 96, 96, 80
    disc(d, cx, cy, r)
    w = 9
    for a in (90, 210, 330):
        t = math.radians(a)
        ox, oy = cx + 70 * math.cos(t), cy + 70 * math.sin(t)
        d.arc((ox - 80, oy - 80, ox + 80, oy + 80), start=a + 100, end=a + 200, fill=0, width=w)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=INK, width=4)


def weightlifting(d):
    d.rectangle((10, 90, 182, 102), fill=INK)
    for x, h in ((28, 56), (48, 80), (144, 80), (164, 56)):
        d.rounded_rectangle((x - 8, 96 - h, x + 8, 96 + h), radius=5, fill=INK)


def wrestling(d):
    # two wrestlers locked head to head
    figure(d, (74, 60), [[(64, 80), (48, 128)], [(66, 84), (118, 92)], [(48, 128), (28, 182)],
                         [(48, 128), (70, 182)]], w=17, r=16)
    figure(d, (118, 60), [[(128, 80), (144, 128)], [(126, 84), (74, 92)], [(144, 128), (164, 182)],
                          [(144, 128), (122, 182)]], w=17, r=16)


def locked(d):
    d.arc((48, 16, 144, 112), start=180, end=360, fill=INK, width=18)
    d.line([(57, 64), (57, 92)], fill=INK, width=18)
    d.line([(135, 64), (135, 92)], fill=INK, width=18)
    d.rounded_rectangle((28, 86, 164, 180), radius=12, fill=INK)
    disc(d, 96, 120, 14, fill=0)
    d.polygon([(90, 124), (102, 124), (108, 158), (84, 158)], fill=0)


DRAW = (aquatics, archery, athletics, badminton, baseball, basketball, boxing, canoe, cycling,
        equestrian, fencing, football, golf, gymnastics, handball, hockey, judo, karate,
        pentathlon, rowing, rugby, sailing, shooting, skateboarding, climbing, surfing,
        table_tennis, taekwondo, tennis, triathlon, volleyball, weightlifting, wrestling, locked)


def render(fn):
    big = Image.new("L", (S, S), 0)
    fn(ImageDraw.Draw(big))
    small = big.resize((SIZE, SIZE), Image.Resampling.BOX)
    return small.point(lambda v: 255 if v >= 110 else 0).convert("1")


def pack(img):
    out = bytearray()
    for y in range(SIZE):
        for xb in range(SIZE // 8):
            v = 0
            for k in range(8):
                v = (v << 1) | (1 if img.getpixel((xb * 8 + k, y)) else 0)
            out.append(v)
    return bytes(out)


def contact_sheet(images, names, path, cols=6, scale=2):
    from PIL import ImageFont

    cell_w, cell_h = SIZE * scale + 40, SIZE * scale + 22
    rows = (len(images) + cols - 1) // cols
    sheet = Image.new("L", (cols * cell_w, rows * cell_h), 255)
    d = ImageDraw.Draw(sheet)
    font = ImageFont.load_default()
    for i, (img, name) in enumerate(zip(images, names, strict=True)):
        x, y = (i % cols) * cell_w + 20, (i // cols) * cell_h + 2
        glyph = img.resize((SIZE * scale, SIZE * scale), Image.Resampling.NEAREST)
        sheet.paste(0, (x, y), glyph)
        d.text((x - 18, y + SIZE * scale + 4), name[:20], fill=0, font=font)
    sheet.save(path)


def write_module(blobs, path):
    data = b"".join(blobs)
    lines = [
        '"""Sport designs: 1-bit %dx%d pictograms, generated by tools/gen/make_designs.py (do not'
        % (SIZE, SIZE),
        "edit). DATA holds one MONO_HLSB bitmap per design (1 = ink), in the order of NAMES; the",
        'last is LOCKED. A bytes constant: frozen, it stays in flash."""',
        "",
        "SIZE = %d" % SIZE,
        "BYTES = %d  # per design" % (SIZE * SIZE // 8),
        "NAMES = (",
    ]
    lines += ["    %r," % n for n in SPORTS + (LOCKED,)]
    lines += [")", "LOCKED = %d  # index of the locked design" % len(SPORTS), "", "DATA = ("]
    per = 24
    for i in range(0, len(data), per):
        lines.append("    b'%s'" % "".join("\\x%02x" % b for b in data[i:i + per]))
    lines += [
        ")",
        "",
        "",
        "def index(name):",
        '    """Index of a design by its name (case-insensitive); LOCKED if unknown."""',
        "    low = name.lower()",
        "    for i in range(len(NAMES)):",
        "        if NAMES[i].lower() == low:",
        "            return i",
        "    return LOCKED",
        "",
        "",
        "def bitmap(i):",
        '    """The design\'s rows as a memoryview into DATA (no copy)."""',
        "    if not 0 <= i <= LOCKED:",
        "        i = LOCKED",
        "    return memoryview(DATA)[i * BYTES:(i + 1) * BYTES]",
    ]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", default=OUT)
    parser.add_argument("--sheet", help="also write a contact sheet PNG here")
    args = parser.parse_args(argv)
    assert len(DRAW) == len(SPORTS) + 1
    images = [render(fn) for fn in DRAW]
    write_module([pack(img) for img in images], args.out)
    print("make_designs: wrote", args.out, file=sys.stderr)
    if args.sheet:
        contact_sheet(images, SPORTS + (LOCKED,), args.sheet)
        print("make_designs: wrote", args.sheet, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
