"""A day at the event for a group of people: where each stands and how each pin moves.

The day is a series of rounds (15-25 min). At the start of a round everyone walks to a new
spot in the hall and joins a group of 2-5 people standing in a circle (0.9-1.6 m across, so
neighbours in a bigger group stand 0.5-0.9 m apart), facing the middle: the bystanders that
must not become friends. They talk with their hands and now and then take their pin in hand
to look at it (host_sim.people.scenarios' standing motion). In
some groups two people tap: both take their pins in hand, B holds it out to A's (10-30 cm,
about 2 s, host_sim.people.scenarios.tap's geometry) and both put them back. After the day everyone
goes home and puts the pin down for the night, far from the others; in the morning they pick
it up again.

Each person gets a mover (host_sim.people.scenarios.Track: position and facing for the radio) and a
motion source (DaySource: what the accelerometer feels), both from the same plan, plus the
truth: every real step and every intended tap. Deterministic for a seed.
"""

import math
import random

from host_sim.people.daysource import DaySource, add_standing
from host_sim.people.scenarios import Track

WALK_SPEED_MS = 1.2
HALL_W, HALL_H = 40.0, 28.0
SPOT_SPACING_M = 7.0  # groups stand at least this far apart
HOME_SPACING_M = 150.0


class Person:
    def __init__(self, idx, rng):
        self.idx = idx
        self.name = "pin%03d" % idx
        self.placement = rng.choice(("chest", "lanyard"))
        self.points = []  # (t_s, x, y, facing)
        self.source = DaySource(rng.getrandbits(32), self.placement)
        self.mover = None


class DayPlan:
    def __init__(self, people, seed, day_s=10 * 3600, night_s=8 * 3600, taps_per_round=0.25,
                 round_s=(900, 1500)):
        self.seed = seed
        self.rng = random.Random(seed)
        self.day_s = day_s
        self.night_s = night_s
        self.people = [Person(i, self.rng) for i in range(people)]
        self.taps = []  # (t30_s, a, b): B's pin reaches 30 cm of A's at t30
        self._plan(taps_per_round, round_s)

    @property
    def end_s(self):
        return self.day_s + self.night_s + 600

    def _spots(self):
        """Group spots on a grid, SPOT_SPACING_M apart: at least the default hall, and
        enough for every group of two (a bigger crowd gets a bigger hall)."""
        need = len(self.people) // 2 + 1
        cols = max(int(HALL_W // SPOT_SPACING_M), int(math.ceil(math.sqrt(need * 1.5))))
        rows = max(int(HALL_H // SPOT_SPACING_M), int(math.ceil(need / cols)))
        return [(4.0 + c * SPOT_SPACING_M, 4.0 + r * SPOT_SPACING_M)
                for r in range(rows) for c in range(cols)]

    def _plan(self, taps_per_round, round_s):
        rng = self.rng
        spots = self._spots()
        pos = {}
        for p in self.people:
            x, y = rng.choice(spots)
            x, y = x + rng.uniform(-2, 2), y + rng.uniform(-2, 2)
            pos[p.idx] = (x, y, 0.0)
            p.points.append((0.0, x, y, 0.0))
        t = 60.0  # the first minute: pins boot and get the time
        while t < self.day_s - 600:
            length = rng.uniform(*round_s)
            order = list(self.people)
            rng.shuffle(order)
            groups = []
            while order:
                size = min(len(order), rng.randint(2, 5))
                groups.append(order[:size])
                order = order[size:]
            if len(groups[-1]) == 1 and len(groups) > 1:
                groups[-2].extend(groups.pop())
            rng.shuffle(spots)
            for g, (cx, cy) in zip(groups, spots, strict=False):
                self._group_round(g, cx, cy, t, length, pos, taps_per_round)
            t += length
        self._night(pos)
        for p in self.people:
            self._standing_between(p, 0.0, self.day_s)
            p.points.sort()
            p.mover = Track(p.points)
            p.source.finish()

    def _group_round(self, group, cx, cy, t, length, pos, taps_per_round):
        rng = self.rng
        n = len(group)
        radius = rng.uniform(0.55, 0.8) if n > 2 else rng.uniform(0.45, 0.8)
        arrive = {}
        for k, p in enumerate(group):
            ang = 2 * math.pi * k / n + rng.uniform(-0.2, 0.2)
            x, y = cx + radius * math.cos(ang), cy + radius * math.sin(ang)
            facing = math.atan2(cy - y, cx - x)
            x0, y0, f0 = pos[p.idx]
            dist = math.hypot(x - x0, y - y0)
            walk = max(5.0, dist / WALK_SPEED_MS)
            start = t + rng.uniform(0, 60)
            heading = math.atan2(y - y0, x - x0)
            p.points.append((start, x0, y0, heading))
            p.points.append((start + walk, x, y, facing))
            p.source.add(start, start + walk, "walk", rng.getrandbits(32))
            pos[p.idx] = (x, y, facing)
            arrive[p.idx] = start + walk
        settle = max(arrive.values()) + 30
        if n >= 2 and rng.random() < taps_per_round * n:
            a, b = rng.sample(group, 2)
            t_tap = rng.uniform(settle, t + length - 60)
            self._tap(a, b, t_tap, pos)

    def _tap(self, a, b, t_start, pos):
        """B steps to A and holds the pin out (scenarios.tap's timing), then steps back."""
        rng = self.rng
        ax, ay, _ = pos[a.idx]
        bx, by, bf = pos[b.idx]
        d0 = math.hypot(bx - ax, by - ay)
        d_tap = rng.uniform(0.10, 0.30)
        move = rng.uniform(0.7, 1.3)
        hold = rng.uniform(1.7, 2.3)
        ux, uy = (bx - ax) / d0, (by - ay) / d0
        face = math.atan2(-uy, -ux)
        tx, ty = ax + ux * d_tap, ay + uy * d_tap
        t_there = t_start + move
        b.points.append((t_start, bx, by, face))
        b.points.append((t_there, tx, ty, face))
        b.points.append((t_there + hold, tx, ty, face))
        b.points.append((t_there + hold + move, bx, by, bf))
        a.points.append((t_start, ax, ay, math.atan2(uy, ux)))
        a.points.append((t_there + hold + move + 2, ax, ay, math.atan2(uy, ux)))
        # both take the pin in hand for the tap (scenarios.tap's timing), then put it back
        for p in (a, b):
            lift = t_start + rng.uniform(-1.0, 0.3)
            back = t_there + hold + rng.uniform(0.0, 0.5)
            p.source.add(lift - 5.0, t_there + hold + move + 5.0, "tap_gesture",
                         rng.getrandbits(32), lift_at_ms=5000, hold_ms=int((back - lift) * 1000))
        t30 = t_start + move * (d0 - 0.30) / (d0 - d_tap) if d0 > 0.30 else t_start
        self.taps.append((t30, a.idx, b.idx))

    def _standing_between(self, p, t0, t1):
        """Standing motion in every gap between p's walks and taps from t0 to t1."""
        busy = sorted((s[0] / 1000.0, s[1] / 1000.0) for s in p.source.segments)
        t = t0
        for a, b in busy + [(t1, t1)]:
            if a > t:
                add_standing(p.source, self.rng, t, min(a, t1))
            t = max(t, b)
            if t >= t1:
                break

    def _night(self, pos):
        """Home time: walk out, put the pin down far from everyone, pick it up next morning."""
        rng = self.rng
        t_home = self.day_s
        for p in self.people:
            x0, y0, f0 = pos[p.idx]
            hx, hy = HOME_SPACING_M * (p.idx + 1), -HOME_SPACING_M
            p.points.append((t_home, x0, y0, f0))
            p.points.append((t_home + 60, hx, hy, 0.0))
            p.source.add(t_home, t_home + 60, "walk", rng.getrandbits(32))
            morning = t_home + self.night_s + rng.uniform(0, 300)
            p.source.add(morning, morning + 12, "handling", rng.getrandbits(32))

    def expected_friendships(self):
        """Distinct pairs that tapped during the day."""
        return len({(min(a, b), max(a, b)) for _, a, b in self.taps})
