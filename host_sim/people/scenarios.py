"""Where people stand and face over virtual time: movers for host_sim.radio.medium, and the rooms
the tap benchmark and tests build (a deliberate tap, bystanders talking, a passer-by, a crowd).

A mover has at(t_s) -> (x, y, facing_rad). Positions are the pins' (worn on the chest).
What each pin's accelerometer feels comes with it (feel_*: a host_sim.people.daysource.DaySource):
people standing talk with their hands and now and then take their pin in hand to look at it
(HANDLING_PER_HOUR); for a tap both take the pin in hand and hold it out.
Every random choice comes from the random.Random handed in: same seed, same room.
"""

import bisect
import math

from host_sim.people.daysource import HANDLING_PER_HOUR, DaySource, add_standing


class Still:
    def __init__(self, x, y, facing):
        self.p = (x, y, facing)

    def at(self, t_s):
        return self.p


class Track:
    """Piecewise-linear path through (t_s, x, y, facing) waypoints; holds the ends."""

    def __init__(self, points):
        self.points = sorted(points)
        self.ts = [p[0] for p in self.points]

    def at(self, t_s):
        pts = self.points
        i = bisect.bisect_right(self.ts, t_s)
        if i == 0:
            return pts[0][1:]
        if i >= len(pts):
            return pts[-1][1:]
        t0, x0, y0, f0 = pts[i - 1]
        t1, x1, y1, f1 = pts[i]
        u = (t_s - t0) / (t1 - t0) if t1 > t0 else 1.0
        df = (f1 - f0 + math.pi) % (2 * math.pi) - math.pi
        return (x0 + (x1 - x0) * u, y0 + (y1 - y0) * u, f0 + df * u)


class Offset:
    """Another mover shifted by (dx, dy): many independent rooms in one medium."""

    def __init__(self, mover, dx, dy):
        self.mover, self.dx, self.dy = mover, dx, dy

    def at(self, t_s):
        x, y, f = self.mover.at(t_s)
        return (x + self.dx, y + self.dy, f)


def tap(rng, t_start):
    """Two people meet: they stand 1.0-1.6 m apart (pins), talk for 3-6 s, then B holds
    the pin out to 10-30 cm from A's over about a second, holds it ~2 s, and takes it back.
    Returns (mover_a, mover_b, info) with info["t30"] the moment the pins first reach 30 cm."""
    d0 = rng.uniform(1.0, 1.6)
    d_tap = rng.uniform(0.10, 0.30)
    talk = rng.uniform(3.0, 6.0)
    move = rng.uniform(0.7, 1.3)
    hold = rng.uniform(1.7, 2.3)
    skew = rng.uniform(-0.3, 0.3)  # not perfectly face to face
    t_go = t_start + talk
    t_there = t_go + move
    a = Still(0.0, 0.0, 0.0)
    b = Track([
        (t_start, d0, 0.0, math.pi + skew),
        (t_go, d0, 0.0, math.pi + skew),
        (t_there, d_tap, 0.0, math.pi + skew / 3),
        (t_there + hold, d_tap, 0.0, math.pi + skew / 3),
        (t_there + hold + move, d0, 0.0, math.pi + skew),
    ])
    # distance falls linearly from d0 to d_tap during the move
    t30 = t_go + move * (d0 - 0.30) / (d0 - d_tap) if d_tap < 0.30 else t_there
    # Both take their pin in hand as B steps in (A a moment later, or earlier), and put it
    # back after the hold.
    lifts = (t_go + rng.uniform(-1.0, 0.3), t_go + rng.uniform(-1.0, 0.3))
    put_back = (t_there + hold + rng.uniform(0.0, 0.5), t_there + hold + rng.uniform(0.0, 0.5))
    info = {"t30": t30, "t_release": t_there + hold, "d_tap": d_tap, "hold": hold,
            "lifts": lifts, "put_back": put_back, "end": t_there + hold + move + 2.0}
    return a, b, info


def bystanders(rng, duration_s):
    """Two people talking 0.8-3 m apart: they shift weight (+-15 cm), turn to look around
    now and then (sometimes far enough that a torso blocks), for duration_s."""
    d = rng.uniform(0.8, 3.0)
    movers = []
    for side in (0, 1):
        pts = []
        t = 0.0
        base_x = 0.0 if side == 0 else d
        base_f = 0.0 if side == 0 else math.pi
        while t <= duration_s + 10:
            turn = rng.gauss(0.0, 0.5)
            if rng.random() < 0.1:
                turn = rng.uniform(-math.pi, math.pi)  # looks away, or turns round
            sway_x = rng.uniform(-0.15, 0.15) * (1 if side == 0 else -1)
            sway_y = rng.uniform(-0.15, 0.15)
            pts.append((t, base_x + sway_x, sway_y, base_f + turn))
            t += rng.uniform(2.0, 8.0)
        movers.append(Track(pts))
    return movers[0], movers[1], {"distance": d}


def passer(rng, t_start):
    """A stands; B walks past at 0.3-1.0 m closest distance, 1.0-1.5 m/s, from 8 m away
    to 8 m beyond, facing where B goes. A faces a random way."""
    closest = rng.uniform(0.3, 1.0)
    speed = rng.uniform(1.0, 1.5)
    a = Still(0.0, 0.0, rng.uniform(-math.pi, math.pi))
    heading = rng.choice((0.0, math.pi))
    x0, x1 = (-8.0, 8.0) if heading == 0.0 else (8.0, -8.0)
    t_end = t_start + 16.0 / speed
    b = Track([(t_start, x0, closest, heading), (t_end, x1, closest, heading)])
    return a, b, {"closest": closest, "start": t_start, "end": t_end + 2.0}


def crowd_walker(rng, cx, cy, duration_s, r_min=1.5, r_max=8.0, speed=0.5):
    """Someone milling about 1.5-8 m from (cx, cy): a random walk between random spots."""
    pts = []
    t = 0.0
    ang = rng.uniform(0, 2 * math.pi)
    r = rng.uniform(r_min, r_max)
    x, y = cx + r * math.cos(ang), cy + r * math.sin(ang)
    while t <= duration_s + 5:
        ang = rng.uniform(0, 2 * math.pi)
        r = rng.uniform(r_min, r_max)
        nx, ny = cx + r * math.cos(ang), cy + r * math.sin(ang)
        facing = math.atan2(ny - y, nx - x)
        pts.append((t, x, y, facing))
        t += max(0.5, math.hypot(nx - x, ny - y) / speed)
        pts.append((t, nx, ny, facing))
        t += rng.uniform(1.0, 10.0)
        x, y = nx, ny
    return Track(pts)


# -- what the accelerometers feel ----------------------------------------------------------


def _source(rng):
    return DaySource(rng.getrandbits(32), rng.choice(("chest", "lanyard")))


def feel_standing(rng, t0, t1, handling_per_hour=HANDLING_PER_HOUR):
    src = _source(rng)
    add_standing(src, rng, t0, t1, handling_per_hour)
    src.finish()
    return src


def feel_tap(rng, t_lift, t_put_back, t_end, handling_per_hour=HANDLING_PER_HOUR):
    """Standing until the tap; the pin in hand from t_lift to t_put_back (motion.tap_gesture)."""
    src = _source(rng)
    lead = 5.0
    add_standing(src, rng, 0.0, max(0.0, t_lift - lead), handling_per_hour)
    src.add(max(0.0, t_lift - lead), t_end, "tap_gesture", rng.getrandbits(32),
            lift_at_ms=int(min(lead, t_lift) * 1000),
            hold_ms=int((t_put_back - t_lift) * 1000))
    src.finish()
    return src


def feel_walk(rng, t_walk, t_stop, t_end):
    src = _source(rng)
    add_standing(src, rng, 0.0, t_walk, 0.0)
    src.add(t_walk, t_stop, "walk", rng.getrandbits(32))
    add_standing(src, rng, t_stop, t_end, 0.0)
    src.finish()
    return src
