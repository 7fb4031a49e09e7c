"""Draw the 33 sport pictograms and the "locked" design; write firmware/cloudpin/designs.bin.

    python tools/gen/make_designs.py [--out designs.bin] [--sheet designs.png]

Our own pictograms, in one style: a solid silhouette of a figure in motion with the sport's
equipment (a head disc apart from the body, limbs as tapered strokes of fixed widths, the
equipment solid). Each is drawn here from a pose (joint positions in final pixels) at 8x,
reduced by box filtering to 48x48 and thresholded at half coverage. Figures and equipment
that overlap are kept apart by a white gap (layers), so two wrestlers read as two.

The pin reads one design at a time from designs.bin (cloudpin.designs: its format) into one
buffer; the names and their order are cloudpin.designs.NAMES, the one list the errands and
the companion use too. --sheet writes a contact sheet PNG for review: each design at 4x and
at its real size.
"""

import argparse
import binascii
import math
import os
import struct
import sys

from PIL import Image, ImageDraw, ImageFilter

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(REPO, "firmware", "cloudpin", "designs.bin")
SIZE = 48
K = 8  # supersampling
S = K * SIZE

# The figure's proportions, in final pixels: the same in every design.
HEAD_R = 3.5               # on a half-pixel centre: a clean 7-pixel disc
TORSO_R = (3.0, 2.5)        # at the neck, at the hip
ARM_R = (1.9, 1.6, 1.4)     # shoulder, elbow, hand
LEG_R = (2.5, 2.0, 1.5)     # hip, knee, ankle
GAP = 1.0                   # white between overlapping layers
HEAD_GAP = 0.9              # white between the head and the body


def _firmware_names():
    sys.path.insert(0, REPO)
    sys.path.insert(0, os.path.join(REPO, "firmware"))
    from host_sim import runtime

    runtime.install()  # cloudpin imports micropython.const
    from cloudpin import designs

    return designs


# -- drawing --------------------------------------------------------------------------------

class Pic:
    """A 48x48 drawing in pixel units, in layers: each new layer is cut out of what is below
    by a white gap of `gap` pixels, then laid on top."""

    def __init__(self):
        self.layers = []
        self.layer(0)

    def layer(self, gap=GAP):
        img = Image.new("L", (S, S), 0)
        self.layers.append((img, gap))
        self.d = ImageDraw.Draw(img)
        return self

    # primitives -----------------------------------------------------------------------------

    def disc(self, x, y, r, ink=True):
        self.d.ellipse((K * (x - r), K * (y - r), K * (x + r), K * (y + r)),
                       fill=255 if ink else 0)

    def ellipse(self, x, y, rx, ry, deg=0, ink=True):
        pts = [(x + rx * math.cos(t / 20 * math.pi), y + ry * math.sin(t / 20 * math.pi))
               for t in range(40)]
        self.poly(rot(pts, x, y, deg), ink)

    def ring(self, x, y, r, w, ink=True):
        self.d.ellipse((K * (x - r), K * (y - r), K * (x + r), K * (y + r)),
                       outline=255 if ink else 0, width=round(K * w))

    def poly(self, pts, ink=True):
        self.d.polygon([(K * x, K * y) for x, y in pts], fill=255 if ink else 0)

    def seg(self, p, q, r1, r2=None, ink=True):
        """A stroke from p to q with round ends, radius r1 at p tapering to r2 at q."""
        r2 = r1 if r2 is None else r2
        (x1, y1), (x2, y2) = p, q
        dx, dy = x2 - x1, y2 - y1
        n = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / n, dx / n
        self.poly([(x1 + nx * r1, y1 + ny * r1), (x2 + nx * r2, y2 + ny * r2),
                   (x2 - nx * r2, y2 - ny * r2), (x1 - nx * r1, y1 - ny * r1)], ink)
        self.disc(x1, y1, r1, ink)
        self.disc(x2, y2, r2, ink)

    def line(self, pts, w, ink=True):
        """A polyline of width w with round joints."""
        for p, q in zip(pts, pts[1:], strict=False):
            self.seg(p, q, w / 2, ink=ink)

    def arc(self, x, y, r, start, end, w, ink=True):
        """An arc of a circle (degrees, clockwise from 3 o'clock, as Pillow) with round ends."""
        steps = max(2, int(abs(end - start) / 6))
        pts = [(x + r * math.cos(math.radians(start + (end - start) * i / steps)),
                y + r * math.sin(math.radians(start + (end - start) * i / steps)))
               for i in range(steps + 1)]
        self.line(pts, w, ink)

    def wave(self, y, x0=1, x1=47, amp=1.2, period=8.0, w=1.6, phase=0.0):
        pts = [(x0 + i * 0.5, y + amp * math.sin(2 * math.pi * (i * 0.5 + phase) / period))
               for i in range(int((x1 - x0) * 2) + 1)]
        self.line(pts, w)

    # the figure -------------------------------------------------------------------------------

    def person(self, head, neck, hip, arms=(), legs=(), head_r=HEAD_R, k=1.0):
        """A figure: head centre, the torso from neck to hip, each arm (elbow, hand) from a
        shoulder just below the neck, each leg (knee, foot) from the hip. k scales the
        strokes (two figures in one square are drawn a little thinner)."""
        shoulder = _towards(neck, hip, 1.2)
        head = (math.floor(head[0]) + 0.5, math.floor(head[1]) + 0.5)
        for knee, foot in legs:
            self.seg(hip, knee, k * LEG_R[0], k * LEG_R[1])
            self.seg(knee, foot, k * LEG_R[1], k * LEG_R[2])
        self.seg(neck, hip, k * TORSO_R[0], k * TORSO_R[1])
        # the head floats: a white ring keeps it apart from the torso (arms may touch it)
        self.disc(head[0], head[1], k * head_r + HEAD_GAP, ink=False)
        self.disc(head[0], head[1], k * head_r)
        for elbow, hand in arms:
            self.seg(shoulder, elbow, k * ARM_R[0], k * ARM_R[1])
            self.seg(elbow, hand, k * ARM_R[1], k * ARM_R[2])

    def belt(self, neck, hip, at=0.78, k=1.0, tails=None):
        """A martial-arts belt: a white band across the torso near the hip, and its tails."""
        a = _towards(neck, hip, at * math.dist(neck, hip))
        dx, dy = hip[0] - neck[0], hip[1] - neck[1]
        n = math.hypot(dx, dy)
        nx, ny = -dy / n * 3.6 * k, dx / n * 3.6 * k
        self.seg((a[0] - nx, a[1] - ny), (a[0] + nx, a[1] + ny), 0.45, ink=False)
        if tails:
            for end in tails:
                self.seg(a, end, 0.8 * k, 0.6 * k)

    # output -----------------------------------------------------------------------------------

    def image(self):
        out = Image.new("L", (S, S), 0)
        for img, gap in self.layers:
            if gap:
                size = 2 * round(gap * K) + 1
                halo = img.filter(ImageFilter.MaxFilter(size))
                out.paste(0, (0, 0), halo)
            out.paste(255, (0, 0), img)
        small = out.resize((SIZE, SIZE), Image.Resampling.BOX)
        return small.point(lambda v: 255 if v >= 128 else 0).convert("1")


def rot(points, cx, cy, deg):
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    return [(cx + (x - cx) * c - (y - cy) * s, cy + (x - cx) * s + (y - cy) * c)
            for x, y in points]


def _towards(p, q, dist):
    n = math.dist(p, q) or 1.0
    return (p[0] + (q[0] - p[0]) * dist / n, p[1] + (q[1] - p[1]) * dist / n)


# -- equipment ------------------------------------------------------------------------------

def ball(p, x, y, r=3.0):
    p.disc(x, y, r)


def racket(p, grip, head, rx, ry, handle_w=1.3, rim=1.2):
    """A racket: handle from the grip to the head's rim, an oval head (strings left white)."""
    deg = math.degrees(math.atan2(head[1] - grip[1], head[0] - grip[0]))
    neck = _towards(head, grip, rx)
    p.seg(grip, neck, handle_w / 2 + 0.3, handle_w / 2)
    p.ellipse(head[0], head[1], rx, ry, deg)
    p.ellipse(head[0], head[1], rx - rim, ry - rim, deg, ink=False)


# -- the designs (a figure moving right unless the sport says otherwise) ---------------------

def aquatics(p):
    # front crawl: head turned to breathe, one arm arcing over into the water ahead, the
    # body under the waves
    p.person(head=(31, 25), neck=(25, 29), hip=(9, 31),
             arms=[((26, 15), (40, 20))],
             legs=[((4, 30), (0, 29))])
    p.layer()
    p.wave(33, amp=1.6, period=11, w=2.4)
    p.wave(41, amp=1.6, period=11, w=2.4, phase=5.5)


def archery(p):
    # side on, bow arm straight out, the string drawn to the cheek
    neck, hip = (17, 15), (17, 29)
    p.person(head=(17, 9), neck=neck, hip=hip,
             arms=[((25, 15), (33, 14)), ((21, 14), (20, 11))],
             legs=[((13, 37), (11, 46)), ((21, 37), (23, 46))])
    p.layer(0.6)
    p.arc(21, 14, 16, -60, 60, 1.8)                      # the bow, held at its middle
    top = (21 + 16 * math.cos(math.radians(-60)), 14 + 16 * math.sin(math.radians(-60)))
    bot = (21 + 16 * math.cos(math.radians(60)), 14 + 16 * math.sin(math.radians(60)))
    p.line([top, (20, 12), bot], 0.8)                     # the string
    p.line([(19, 12), (45, 13)], 1.0)                     # the arrow
    p.poly([(47, 13), (43, 10.5), (43, 15.5)])


def athletics(p):
    # a hurdler: lead leg straight over the bar, trail leg folded out behind
    neck, hip = (25, 15), (19, 26)
    p.person(head=(29, 10), neck=neck, hip=hip,
             arms=[((32, 18), (39, 21)), ((19, 20), (12, 22))],
             legs=[((29, 25), (39, 24)), ((11, 27), (9, 34))])
    p.layer()
    p.line([(24, 32), (44, 32)], 2.2)                     # the hurdle's bar
    p.line([(41, 32), (41, 46)], 1.5)
    p.line([(37, 46), (45, 46)], 1.5)


def badminton(p):
    # a jump smash: racket high behind the head, the shuttle above in front
    neck, hip = (20, 18), (19, 31)
    p.person(head=(22, 11.5), neck=neck, hip=hip,
             arms=[((15, 13), (15, 7)), ((26, 22), (29, 27))],
             legs=[((24, 38), (21, 46)), ((14, 38), (9, 43))])
    p.layer(0.7)
    racket(p, (15, 7), (10, 2.2), 5.0, 3.4, rim=1.3)
    # the shuttlecock: a cork and a feather skirt opening away from it
    cx, cy = 36, 9
    skirt = rot([(cx, cy - 1.8), (cx + 9, cy - 4.6), (cx + 9, cy + 4.6), (cx, cy + 1.8)], cx, cy, -35)
    p.poly(skirt)
    p.disc(cx, cy, 2.4)


def baseball(p):
    # a batter, bat cocked over the back shoulder, the ball coming in
    neck, hip = (22, 15), (21, 29)
    p.person(head=(23, 9), neck=neck, hip=hip,
             arms=[((17, 19), (14, 14)), ((19, 21), (15, 15))],
             legs=[((28, 36), (32, 45)), ((15, 37), (12, 46))])
    p.layer(0.7)
    p.seg((14, 15), (3, 2), 1.0, 2.0)                     # the bat
    ball(p, 41, 17, 2.8)


def basketball(p):
    # a jump shot at the hoop, ball leaving the raised hand
    neck, hip = (17, 18), (16, 31)
    p.person(head=(19, 12), neck=neck, hip=hip,
             arms=[((23, 12), (26, 6)), ((24, 17), (27, 11))],
             legs=[((21, 37), (18, 45)), ((12, 38), (13, 46))])
    p.layer(0.7)
    ball(p, 30, 4, 3.4)
    p.line([(35, 13), (46, 13)], 1.6)                     # the rim
    p.poly([(36, 13), (45, 13), (43, 21), (38, 21)])      # the net
    p.poly([(38.5, 14.5), (42.5, 14.5), (41.5, 19.5), (39.5, 19.5)], ink=False)
    p.line([(46, 4), (46, 22)], 1.6)                      # the backboard


def boxing(p):
    # a straight punch from a crouch: lead glove far out, rear glove guarding the chin
    neck, hip = (20, 19), (17, 32)
    p.person(head=(23, 13), neck=neck, hip=hip,
             arms=[((28, 20), (34, 17)), ((25, 26), (29, 21))],
             legs=[((24, 39), (28, 47)), ((12, 40), (7, 47))])
    p.layer(0.8)
    p.ellipse(39, 16, 5.4, 4.8, -10)                      # lead glove
    p.seg((33, 17.5), (34.5, 17), 2.0)                    # its cuff
    p.layer(0.8)
    p.ellipse(30.5, 18.5, 4.2, 4.0)                       # rear glove


def canoe(p):
    # a kayak paddler, the double blade sweeping, low in the water
    p.line([(5, 31), (41, 13)], 1.2)                      # the paddle's shaft
    p.ellipse(4, 32.5, 3.8, 1.7, -27)
    p.ellipse(42.5, 12, 3.8, 1.7, -27)
    p.layer()
    neck, hip = (22, 17), (21, 30)
    p.person(head=(24, 10.5), neck=neck, hip=hip,
             arms=[((27, 22), (31, 20)), ((18, 23), (15, 26))])
    p.layer()
    p.poly([(1, 32), (47, 32), (40, 37), (8, 37)])        # the hull
    p.wave(42, amp=1.2, period=9, w=1.6)


def cycling(p):
    # a rider low over a road bike
    p.layer(0)
    p.ring(10, 36, 8.5, 1.7)
    p.ring(38, 36, 8.5, 1.7)
    p.line([(10, 36), (19, 27), (33, 27), (38, 36)], 1.6)
    p.line([(19, 27), (23, 36), (10, 36)], 1.6)
    p.line([(23, 36), (33, 27)], 1.6)
    p.layer()
    neck, hip = (30, 16), (15, 21)
    p.person(head=(35, 13), neck=neck, hip=hip,
             arms=[((33, 21), (35, 26)), ((33, 21), (35, 26))],
             legs=[((24, 27), (23, 36)), ((21, 29), (16, 32))])


def equestrian(p):
    # show jumping: the horse in the air over a rail, the rider forward on its neck
    p.ellipse(21, 25, 11.5, 5.2, -6)                      # body
    p.seg((30, 22), (38, 12), 3.8, 2.6)                   # neck
    p.seg((38, 11), (44, 15), 2.5, 1.8)                   # head
    p.poly([(36, 8), (38, 5), (39, 9)])                   # ear
    p.line([(30, 26), (36, 30), (33, 34)], 2.0)           # forelegs, tucked
    p.line([(27, 27), (33, 32), (29, 35)], 2.0)
    p.line([(12, 27), (6, 33), (1, 39)], 2.2)             # hind legs, stretched back
    p.line([(15, 28), (10, 35), (5, 42)], 2.2)
    p.seg((10, 22), (3, 27), 1.8, 1.0)                    # tail
    p.layer()
    p.person(head=(27, 8), neck=(24, 12), hip=(19, 18), head_r=2.9, k=0.8,
             arms=[((28, 15), (33, 16))], legs=[((24, 21), (22, 25))])
    p.layer()
    p.line([(13, 44), (37, 44)], 2.0)                     # the rail
    p.line([(16, 40), (16, 47)], 1.4)
    p.line([(34, 40), (34, 47)], 1.4)


def fencing(p):
    # a lunge: blade straight at the target, the back arm raised
    neck, hip = (18, 19), (14, 30)
    p.person(head=(21, 14), neck=neck, hip=hip, head_r=4.0,
             arms=[((25, 22), (31, 22)), ((12, 17), (9, 12))],
             legs=[((22, 33), (26, 43)), ((8, 37), (2, 44))])
    p.seg((21, 16.5), (24.5, 17.5), 0.5, ink=False)       # the mask's bib line
    p.layer(0.6)
    p.seg((31, 22), (47, 20), 0.7, 0.45)                  # the blade
    p.seg((31.5, 19.5), (31.5, 24.5), 0.7)                # the guard


def football(p):
    # a kick: the striking leg through the ball, arms out for balance
    neck, hip = (19, 14), (19, 27)
    p.person(head=(20, 8), neck=neck, hip=hip,
             arms=[((12, 18), (7, 14)), ((26, 18), (31, 22))],
             legs=[((16, 36), (15, 45)), ((27, 31), (34, 36))])
    p.layer(0.8)
    ball(p, 40, 38, 4.2)
    p.poly([(40, 35.6), (42.2, 37.2), (41.4, 39.8), (38.6, 39.8), (37.8, 37.2)], ink=False)


def golf(p):
    # at impact: bent over the ball, arms and club in one line down to it; the flag beyond
    neck, hip = (17, 16), (12, 28)
    p.person(head=(21, 12), neck=neck, hip=hip,
             arms=[((20, 22), (22, 29)), ((19, 23), (21, 29))],
             legs=[((15, 37), (15, 46)), ((9, 37), (8, 46))])
    p.layer(0.6)
    p.seg((22, 29), (27, 43), 0.8)                        # the club's shaft
    p.seg((26, 44.5), (31, 44.5), 1.5)                    # its head
    ball(p, 35, 44.5, 1.8)
    p.line([(42, 12), (42, 46)], 1.2)                     # the flag
    p.poly([(42.5, 11), (48, 15), (42.5, 19)])


def gymnastics(p):
    # the rings: an iron cross
    neck, hip = (24, 18), (24, 31)
    p.person(head=(24, 11.5), neck=neck, hip=hip,
             arms=[((16, 18), (8, 18)), ((32, 18), (40, 18))],
             legs=[((23.2, 39), (23, 47)), ((24.8, 39), (25, 47))])
    p.layer(0.6)
    for x in (5.5, 42.5):
        p.line([(x, 0), (x, 12)], 1.0)
        p.ring(x, 17.5, 5.2, 1.5)


def handball(p):
    # the jump shot: airborne, throwing arm cocked back high with the ball, knee up
    neck, hip = (25, 15), (23, 28)
    p.person(head=(27, 9), neck=neck, hip=hip,
             arms=[((18, 11), (14, 5)), ((31, 19), (36, 16))],
             legs=[((31, 31), (30, 40)), ((19, 36), (14, 43))])
    p.layer(0.8)
    ball(p, 10, 5, 4.2)
    p.arc(10, 5, 4.2, 200, 300, 0.7, ink=False)           # a panel seam


def hockey(p):
    # bent low over the stick, the ball at its hook
    neck, hip = (25, 16), (14, 24)
    p.person(head=(30, 13), neck=neck, hip=hip,
             arms=[((28, 22), (31, 28)), ((24, 22), (28, 29))],
             legs=[((20, 33), (24, 43)), ((9, 32), (4, 40))])
    p.layer(0.6)
    p.seg((30, 27), (36, 43), 0.9)                        # the stick
    p.arc(39.5, 42.5, 3.2, 90, 200, 1.8)
    ball(p, 45, 44, 2.0)


def judo(p):
    # a throw: the thrower braced, the other upside down over the hip, head to the mat
    neck2, hip2 = (31, 33), (30, 19)
    p.person(head=(32, 39.5), neck=neck2, hip=hip2, k=0.9,
             arms=[((36, 36), (39, 41)), ((26, 36), (24, 41))],
             legs=[((25, 12), (22, 4)), ((35, 12), (39, 5))])
    p.belt(neck2, hip2, at=0.72, k=0.9)
    p.layer()
    neck, hip = (16, 18), (13, 31)
    p.person(head=(18, 12), neck=neck, hip=hip, k=0.9,
             arms=[((22, 22), (28, 22)), ((21, 18), (27, 16))],
             legs=[((9, 38), (6, 46)), ((17, 38), (18, 46))])
    p.belt(neck, hip, at=0.72, k=0.9)


def karate(p):
    # a straight punch in a long front stance, the other fist pulled back to the hip;
    # the gi's belt with its tails
    neck, hip = (16, 16), (15, 30)
    p.person(head=(17, 9.5), neck=neck, hip=hip,
             arms=[((26, 17), (36, 17)), ((8, 21), (9, 26))],
             legs=[((27, 35), (31, 46)), ((9, 38), (2, 46))])
    p.disc(37.5, 17, 2.2)                                 # the fist
    p.belt(neck, hip, at=0.72)
    p.layer(0.5)
    p.seg((18.5, 26), (21, 32), 0.8, 0.6)                 # the belt's tails
    p.seg((18.5, 26), (19, 33), 0.8, 0.6)


def pentathlon(p):
    # the laser run: in stride, pistol arm straight out at the target
    neck, hip = (17, 15), (15, 28)
    p.person(head=(18, 9), neck=neck, hip=hip,
             arms=[((25, 15), (32, 14)), ((11, 21), (8, 26))],
             legs=[((23, 34), (21, 43)), ((10, 36), (3, 38))])
    p.layer(0.6)
    p.poly([(31, 11.5), (38, 11.5), (38, 14), (34, 14), (33.5, 17), (31, 17)])   # pistol
    p.ring(44, 13, 3.2, 1.3)                                                     # target
    p.disc(44, 13, 1.0)


def rowing(p):
    # a single sculler at the finish, leaning back, the oar's blade in the water
    p.poly([(1, 31), (47, 31), (45, 34), (4, 34)])        # the shell
    p.wave(40, x0=1, x1=34, amp=1.1, period=8, w=1.5)
    p.layer()
    neck, hip = (13, 19), (20, 29)
    p.person(head=(11, 13), neck=neck, hip=hip,
             arms=[((19, 25), (25, 24))],
             legs=[((27, 24), (33, 29))])
    p.layer(0.6)
    p.seg((26, 24), (41, 38), 0.8)                        # the oar
    p.ellipse(42.5, 39.5, 3.2, 1.6, 45)


def rugby(p):
    # running with the oval ball in both hands, about to pass
    neck, hip = (20, 14), (17, 27)
    p.person(head=(22, 8), neck=neck, hip=hip,
             arms=[((25, 20), (31, 19)), ((23, 21), (29, 23))],
             legs=[((25, 33), (26, 43)), ((11, 32), (4, 36))])
    p.layer(0.8)
    p.ellipse(36, 20, 6.0, 3.8, -25)


def sailing(p):
    # a dinghy heeling, the sailor hiking out over the side
    p.poly([(17, 1), (18, 32), (35, 32)])                 # mainsail
    p.poly([(15, 7), (15, 32), (5, 32)])                  # jib
    p.layer()
    p.poly([(2, 35), (46, 35), (41, 41), (8, 41)])        # hull
    p.wave(45, amp=1.1, period=9, w=1.5)
    p.layer(0.6)
    p.person(head=(44, 22), neck=(41, 26.5), hip=(37, 33),
             arms=[((37, 24), (33, 22))], legs=[((31, 33), (28, 35))])


def shooting(p):
    # kneeling, the rifle shouldered, the support elbow resting on the raised knee
    neck, hip = (15, 20), (14, 33)
    p.person(head=(18, 14), neck=neck, hip=hip,
             arms=[((20, 27), (23, 20)), ((19, 23), (19, 17))],
             legs=[((23, 33), (24, 46)), ((10, 44), (2, 45))])
    p.layer(0.6)
    p.poly([(11, 18), (20, 16), (21, 18.5), (12, 21)])    # the stock
    p.line([(20, 16.5), (47, 16)], 1.3)                   # the barrel
    p.poly([(24, 17), (31, 17), (30, 19), (25, 19)])      # the fore-end


def skateboarding(p):
    # an ollie: knees up, arms out, the board rising under the feet
    neck, hip = (23, 15), (22, 27)
    p.person(head=(25, 9), neck=neck, hip=hip,
             arms=[((16, 17), (10, 14)), ((30, 18), (36, 15))],
             legs=[((29, 30), (30, 36)), ((16, 31), (17, 37))])
    p.layer(0.7)
    deck = rot([(8, 39), (40, 39)], 24, 39, -14)
    p.line(deck, 2.0)
    p.line([deck[1], rot([(44, 36)], 24, 39, -14)[0]], 2.0)       # kicked-up nose
    for x in (13, 34):
        wx, wy = rot([(x, 42.5)], 24, 39, -14)[0]
        p.disc(wx, wy, 1.8)


def climbing(p):
    # on the wall, seen from behind: reaching for the next hold, a foot high on another,
    # the rope running down from the harness
    neck, hip = (22, 18), (24, 31)
    p.person(head=(21, 11.5), neck=neck, hip=hip,
             arms=[((28, 11), (32, 5)), ((15, 20), (10, 17))],
             legs=[((32, 32), (34, 25)), ((21, 39), (18, 46))])
    p.layer(0.8)
    for x, y, r in ((35.5, 3.5, 3.2), (7, 15.5, 3.0), (37.5, 25, 3.0), (6, 40, 3.0)):
        p.poly(rot([(x - r, y + 0.5 * r), (x - 0.4 * r, y - r), (x + 0.7 * r, y - 0.8 * r),
                    (x + r, y + 0.3 * r), (x + 0.3 * r, y + r), (x - 0.6 * r, y + r)],
                   x, y, 10))
    p.layer(0.6)
    p.line([(26, 32), (29, 38), (30, 43), (29, 48)], 1.0)   # the rope


def surfing(p):
    # crouched on the board across the face of a curling wave
    p.poly([(0, 47), (0, 20), (4, 10), (12, 4), (22, 3), (28, 7), (22, 7), (16, 11),
            (14, 18), (17, 27), (24, 35), (34, 41), (47, 44), (47, 47)])
    p.layer()
    neck, hip = (30, 17), (29, 28)
    p.person(head=(32, 11), neck=neck, hip=hip,
             arms=[((24, 15), (20, 12)), ((36, 20), (42, 19))],
             legs=[((35, 31), (36, 36)), ((24, 33), (25, 37))])
    p.layer(0.7)
    p.ellipse(31, 38, 13, 1.7, 12)                        # the board


def table_tennis(p):
    # a forehand over the table: small bat, the ball over the net
    neck, hip = (14, 13), (13, 26)
    p.person(head=(16, 7), neck=neck, hip=hip,
             arms=[((20, 19), (26, 16)), ((8, 18), (5, 23))],
             legs=[((17, 34), (19, 45)), ((9, 35), (6, 45))])
    p.layer(0.6)
    p.seg((26, 16), (28, 14), 0.9)
    p.disc(30, 12, 3.0)                                   # the bat
    ball(p, 38, 7, 1.8)
    p.layer()
    p.line([(24, 31), (47, 31)], 2.0)                     # the table
    p.line([(36, 27), (36, 31)], 1.2)                     # its net
    p.line([(26, 31), (26, 45)], 1.4)
    p.line([(45, 31), (45, 45)], 1.4)


def taekwondo(p):
    # a spinning kick at head height, the body turned away, the head guard on: a bigger
    # head, open at the face
    neck, hip = (13, 20), (19, 31)
    p.person(head=(8.5, 13), neck=neck, hip=hip, head_r=4.6,
             arms=[((8, 25), (5, 21)), ((17, 24), (15, 19))],
             legs=[((31, 23), (41, 13)), ((20, 39), (21, 47))])
    p.disc(11.2, 14.6, 2.1, ink=False)                    # the face, open in the guard
    p.belt(neck, hip, at=0.74)


def tennis(p):
    # a serve at full stretch, the ball just above the strings
    neck, hip = (20, 19), (19, 32)
    p.person(head=(21, 13), neck=neck, hip=hip,
             arms=[((26, 14), (29, 9)), ((14, 22), (11, 27))],
             legs=[((22, 39), (24, 47)), ((15, 39), (10, 45))])
    p.layer(0.7)
    racket(p, (29, 9), (36, 3.5), 5.4, 3.8, handle_w=1.5, rim=1.4)
    ball(p, 44, 12, 2.6)


def triathlon(p):
    # out of the swim and running: the stride, the water at the shins, a bike wheel ahead
    neck, hip = (20, 13), (18, 26)
    p.person(head=(22, 7), neck=neck, hip=hip,
             arms=[((25, 19), (30, 16)), ((14, 19), (10, 24))],
             legs=[((25, 33), (24, 42)), ((12, 33), (5, 36))])
    p.layer()
    p.wave(40, x0=1, x1=31, amp=1.2, period=7, w=1.8)
    p.layer(0.6)
    p.ring(40, 34, 6.5, 1.5)
    p.disc(40, 34, 1.2)


def volleyball(p):
    # the spike: high over the net, the arm swinging through the ball
    neck, hip = (15, 15), (14, 28)
    p.person(head=(17, 9), neck=neck, hip=hip,
             arms=[((21, 10), (25, 4)), ((9, 19), (7, 24))],
             legs=[((19, 34), (16, 41)), ((10, 35), (7, 42))])
    p.layer(0.7)
    ball(p, 30, 5, 3.4)
    p.arc(30, 5, 3.4, 120, 240, 0.6, ink=False)
    p.layer()
    p.line([(34, 16), (34, 47)], 1.4)                     # the post
    p.line([(34, 17), (47, 17)], 1.6)                     # the net's top band
    for y in (21, 25, 29):
        p.line([(34, 16 + (y - 16)), (47, 16 + (y - 16))], 0.7)
    for x in (38, 42, 46):
        p.line([(x, 17), (x, 30)], 0.7)


def weightlifting(p):
    # the jerk: barbell locked out overhead, legs split
    neck, hip = (24, 17), (24, 30)
    p.person(head=(24, 11), neck=neck, hip=hip,
             arms=[((17, 12), (14, 5)), ((31, 12), (34, 5))],
             legs=[((30, 36), (33, 46)), ((18, 37), (13, 46))])
    p.layer(0.6)
    p.line([(2, 5), (46, 5)], 1.6)
    for x, h in ((4, 6), (8, 8), (40, 8), (44, 6)):
        p.seg((x, 5 - h / 2), (x, 5 + h / 2), 1.5)


def wrestling(p):
    # two wrestlers locked low: bent at the waist, heads together, an arm round the other
    neck2, hip2 = (30, 25), (39, 30)
    p.person(head=(28, 20.5), neck=neck2, hip=hip2, k=0.9,
             arms=[((25, 29), (19, 29))],
             legs=[((42, 38), (46, 46)), ((35, 38), (33, 46))])
    p.layer()
    neck, hip = (18, 25), (9, 30)
    p.person(head=(20, 20.5), neck=neck, hip=hip, k=0.9,
             arms=[((23, 28), (30, 28))],
             legs=[((6, 38), (2, 46)), ((13, 38), (15, 46))])


def locked(p):
    # a padlock
    p.arc(24, 18, 9, 180, 360, 4.0)
    p.line([(15, 18), (15, 22)], 4.0)
    p.line([(33, 18), (33, 22)], 4.0)
    p.poly([(8, 22), (40, 22), (40, 44), (8, 44)])
    p.disc(24, 30, 3.2, ink=False)
    p.poly([(22.6, 31), (25.4, 31), (26.4, 39), (21.6, 39)], ink=False)


DRAW = {
    "Aquatics": aquatics, "Archery": archery, "Athletics": athletics, "Badminton": badminton,
    "Baseball/Softball": baseball, "Basketball": basketball, "Boxing": boxing,
    "Canoe": canoe, "Cycling": cycling, "Equestrian": equestrian, "Fencing": fencing,
    "Football": football, "Golf": golf, "Gymnastics": gymnastics, "Handball": handball,
    "Hockey": hockey, "Judo": judo, "Karate": karate, "Modern Pentathlon": pentathlon,
    "Rowing": rowing, "Rugby": rugby, "Sailing": sailing, "Shooting": shooting,
    "Skateboarding": skateboarding, "Sport Climbing": climbing, "Surfing": surfing,
    "Table Tennis": table_tennis, "Taekwondo": taekwondo, "Tennis": tennis,
    "Triathlon": triathlon, "Volleyball": volleyball, "Weightlifting": weightlifting,
    "Wrestling": wrestling, "Locked": locked,
}


def render(fn):
    p = Pic()
    fn(p)
    return p.image()


def pack(img):
    """MONO_HLSB rows, MSB leftmost, 1 = ink."""
    out = bytearray()
    for y in range(SIZE):
        for xb in range(SIZE // 8):
            v = 0
            for k in range(8):
                v = (v << 1) | (1 if img.getpixel((xb * 8 + k, y)) else 0)
            out.append(v)
    return bytes(out)


def build(names):
    """The designs.bin bytes for the designs in `names` order (cloudpin.designs.NAMES)."""
    designs = _firmware_names()
    missing = [n for n in names if n not in DRAW]
    if missing:
        raise SystemExit("make_designs: no drawing for %s" % ", ".join(missing))
    images = [render(DRAW[n]) for n in names]
    bitmaps = b"".join(pack(img) for img in images)
    header = struct.pack(designs.HEADER_FORMAT, designs.MAGIC, len(names), SIZE, SIZE,
                         SIZE * SIZE // 8, binascii.crc32(bitmaps))
    return header + bitmaps, images


# -- distinctness ---------------------------------------------------------------------------
# Two objective figures per pair of designs, each the maximum over shifts of up to 3 pixels
# either way (a design drawn a little to one side is the same design):
#   overlap      IoU of the ink: shared pixels / pixels inked in either
#   at_distance  cosine similarity after a Gaussian blur of 2 pixels: what is left of the
#                shapes when the details are lost (the pin seen from a few steps away)
# The martial arts, handball and athletics (CONFUSABLE) were the pairs people mixed up.

CONFUSABLE = ("Karate", "Taekwondo", "Judo", "Wrestling", "Boxing", "Handball", "Athletics")
SHIFT = 3
BLUR = 2.0


def _padded(img):
    out = Image.new("L", (SIZE + 4 * SHIFT, SIZE + 4 * SHIFT), 0)
    out.paste(img.convert("L"), (2 * SHIFT, 2 * SHIFT))
    return out


def _sum(img):
    from PIL import ImageStat

    return ImageStat.Stat(img).sum[0]


def _overlap(a, b):
    from PIL import ImageChops

    best = 0.0
    for dx in range(-SHIFT, SHIFT + 1):
        for dy in range(-SHIFT, SHIFT + 1):
            moved = ImageChops.offset(b, dx, dy)
            union = _sum(ImageChops.lighter(a, moved))
            if union:
                best = max(best, _sum(ImageChops.darker(a, moved)) / union)
    return best


def _at_distance(a, b):
    from PIL import ImageChops

    norm = math.sqrt(_sum(ImageChops.multiply(a, a)) * _sum(ImageChops.multiply(b, b))) or 1.0
    best = 0.0
    for dx in range(-SHIFT, SHIFT + 1):
        for dy in range(-SHIFT, SHIFT + 1):
            best = max(best, _sum(ImageChops.multiply(a, ImageChops.offset(b, dx, dy))) / norm)
    return best


def distinctness(images, names):
    """{"pairs": [(name, name, overlap, at_distance)], ...} for every pair of the sports
    (the padlock is no sport), with the worst pair overall and among CONFUSABLE."""
    from PIL import ImageFilter

    sports = [(n, img) for n, img in zip(names, images, strict=True) if n != "Locked"]
    sharp = [_padded(img) for _, img in sports]
    soft = [s.filter(ImageFilter.GaussianBlur(BLUR)) for s in sharp]
    pairs = []
    for i in range(len(sports)):
        for j in range(i + 1, len(sports)):
            pairs.append((sports[i][0], sports[j][0], round(_overlap(sharp[i], sharp[j]), 3),
                          round(_at_distance(soft[i], soft[j]), 3)))
    group = [p for p in pairs if p[0] in CONFUSABLE and p[1] in CONFUSABLE]

    def worst(ps, k):
        return max(ps, key=lambda p: p[k]) if ps else None

    return {"pairs": pairs,
            "max_overlap": worst(pairs, 2), "max_at_distance": worst(pairs, 3),
            "confusable_max_overlap": worst(group, 2),
            "confusable_max_at_distance": worst(group, 3)}


def images_from(data):
    """The designs in a designs.bin as 1-bit images (ink = 1)."""
    designs = _firmware_names()
    count = struct.unpack(designs.HEADER_FORMAT, data[:designs.HEADER])[1]
    body = data[designs.HEADER:]
    return [Image.frombytes("1", (SIZE, SIZE), body[i * designs.BYTES:(i + 1) * designs.BYTES])
            for i in range(count)]


def contact_sheet(images, names, path, cols=6, scale=4):
    from PIL import ImageFont

    pad = 8
    cell_w, cell_h = SIZE * scale + SIZE + 3 * pad, SIZE * scale + 22
    rows = (len(images) + cols - 1) // cols
    sheet = Image.new("L", (cols * cell_w, rows * cell_h), 255)
    d = ImageDraw.Draw(sheet)
    font = ImageFont.load_default()
    for i, (img, name) in enumerate(zip(images, names, strict=True)):
        x, y = (i % cols) * cell_w + pad, (i // cols) * cell_h + 2
        big = img.resize((SIZE * scale, SIZE * scale), Image.Resampling.NEAREST)
        sheet.paste(0, (x, y), big)
        sheet.paste(0, (x + SIZE * scale + pad, y + SIZE * scale - SIZE), img)  # real size
        d.text((x, y + SIZE * scale + 4), "%d %s" % (i, name), fill=0, font=font)
    sheet.save(path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", default=OUT)
    parser.add_argument("--sheet", help="also write a contact sheet PNG here")
    parser.add_argument("--distinctness", action="store_true",
                        help="print how alike the designs are (one JSON line) and write nothing")
    args = parser.parse_args(argv)
    if args.distinctness:
        import json

        with open(OUT, "rb") as f:
            images = images_from(f.read())
        names = _firmware_names().NAMES
        figures = distinctness(images, names)
        figures.pop("pairs")
        figures["pairs_measured"] = len(names) * (len(names) - 1) // 2 - (len(names) - 1)
        print(json.dumps(figures))
        return 0
    names = _firmware_names().NAMES
    data, images = build(names)
    with open(args.out, "wb") as f:
        f.write(data)
    print("make_designs: wrote %s (%d bytes)" % (args.out, len(data)), file=sys.stderr)
    if args.sheet:
        contact_sheet(images, names, args.sheet)
        print("make_designs: wrote", args.sheet, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
