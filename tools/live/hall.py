"""The simulated hall, run live: the day of `cloudpin sim` (tools.bench.day.make_day: the
real firmware on every pin, on the virtual clock) advanced in a thread at a chosen pace of
virtual seconds per wall second, with what a person watching wants to see read off it.

    hall = LiveHall(scenario)      # tools.sim's scenario dict
    hall.start()                   # the thread; paused=False, speed 30 by default
    hall.state(since=0)            # positions, groups, friendships, taps, screens (JSON-able)
    hall.screen_png(i)             # pin i's e-ink glass as the emulated panel shows it
    hall.control(paused=True, speed=60)
    hall.stop()

Everything the thread changes is read under one lock, between simulation steps.
"""

import io
import math
import threading
import time

SPEEDS = (1, 5, 30, 120, 600, 0)  # virtual s per wall s; 0: as fast as the machine goes
MAX_STEP_S = 2.0                   # virtual seconds per step: the lock is free between steps
GROUP_M = 1.9                      # people closer than this stand in one group
EVENTS_KEPT = 500


class LiveHall:
    def __init__(self, scenario, speed=30, paused=False):
        self.scenario = dict(scenario)
        self.speed = speed
        self.paused = paused
        self.finished = False
        self.error = None
        self._lock = threading.RLock()
        self._wake = threading.Condition(self._lock)
        self._stop = False
        self._thread = None
        self._events = []          # {"seq", "t", "kind", "a", "b"}
        self._seq = 0
        self._pairs = {}           # (i, j) -> set of the pins holding the friendship
        self._friend_counts = []
        self._gestures = []        # the plan's taps not yet reached: (t30, a, b)
        self._png_cache = {}       # pin index -> (version, bytes)
        self.world = None
        self.plan = None
        self.sims = []
        self.bounds = (0.0, 0.0, 40.0, 28.0)
        self._build()

    # -- the simulation ------------------------------------------------------------------

    def _build(self):
        from tools.bench.day import make_day

        s = self.scenario
        self.plan, self.world, self.sims = make_day(s["pins"], s["seed"], s["hours"],
                                                    s["night_hours"], s["taps"])
        self.end_s = self.plan.end_s
        self._gestures = sorted(self.plan.taps)
        self._friend_counts = [0] * len(self.sims)
        xs = [x for p in self.plan.people for _, x, y, _ in p.points if y > -50]
        ys = [y for p in self.plan.people for _, x, y, _ in p.points if y > -50]
        self.bounds = (min(xs) - 2, min(ys) - 2, max(xs) + 2, max(ys) + 2)

    def start(self):
        self._thread = threading.Thread(target=self._run, name="live-hall", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        with self._wake:
            self._stop = True
            self._wake.notify_all()
        if self._thread is not None:
            self._thread.join(30)
        with self._lock:
            if self.world is not None:
                self.world.close()
                self.world = None

    def control(self, paused=None, speed=None):
        with self._wake:
            if paused is not None:
                self.paused = bool(paused)
            if speed is not None:
                if speed not in SPEEDS:
                    raise ValueError("speed is one of %s" % ", ".join(map(str, SPEEDS)))
                self.speed = speed
            self._wake.notify_all()

    def _run(self):
        from tools.bench.day import start_day

        try:
            with self._lock:
                start_day(self.world, self.sims)
                self._observe()
            last = time.monotonic()
            while True:
                with self._wake:
                    while self.paused and not self._stop:
                        self._wake.wait()
                        last = time.monotonic()
                    if self._stop:
                        return
                    now_s = self.world.sim.now_s
                    if now_s >= self.end_s:
                        self.finished = True
                        self._wake.wait(0.5)
                        continue
                    wall = time.monotonic()
                    if self.speed:
                        step = min(MAX_STEP_S, (wall - last) * self.speed)
                    else:
                        step = MAX_STEP_S
                    step = min(step, self.end_s - now_s)
                    if step >= 0.05:
                        self.world.sim.run_for(step, step_s=step)
                        self._observe()
                        last = wall
                # outside the lock: let the web server in, and keep the pace
                time.sleep(0.02 if self.speed else 0.001)
        except Exception as exc:  # a dead firmware task: show it, do not hide it
            with self._lock:
                self.error = "%s: %s" % (type(exc).__name__, exc)
                self.finished = True

    def _event(self, kind, a, b):
        self._seq += 1
        self._events.append({"seq": self._seq, "t": round(self.world.sim.now_s, 1),
                             "kind": kind, "a": a, "b": b})
        del self._events[:-EVENTS_KEPT]

    def _observe(self):
        """After each step: tap gestures the plan made, friendships the pins made."""
        now = self.world.sim.now_s
        while self._gestures and self._gestures[0][0] <= now:
            _, a, b = self._gestures.pop(0)
            self._event("gesture", a, b)
        keys = None
        for i, pin in enumerate(self.sims):
            count = pin.app.friends.count
            if count == self._friend_counts[i]:
                continue
            self._friend_counts[i] = count
            if keys is None:
                keys = {p.app.pin_id: k for k, p in enumerate(self.sims)}
            for friend in pin.app.friends.friends():
                j = keys.get(friend.key)
                if j is None:
                    continue
                pair = (min(i, j), max(i, j))
                holders = self._pairs.setdefault(pair, set())
                if i in holders:
                    continue
                holders.add(i)
                self._event("tap" if len(holders) == 1 else "both", pair[0], pair[1])

    # -- what the page reads ---------------------------------------------------------------

    def state(self, since=0):
        with self._lock:
            now = self.world.sim.now_s if self.world is not None else 0.0
            pins = []
            spots = []
            for i, pin in enumerate(self.sims):
                x, y, facing = pin.mover.at(now)
                home = y < -50
                spots.append(None if home else (x, y))
                app = pin.app
                panel = pin.panel
                pins.append({
                    "i": i, "name": pin.name, "x": round(x, 2), "y": round(y, 2),
                    "facing": round(facing, 2), "home": home, "asleep": pin.asleep,
                    "friends": app.friends.count if app is not None else 0,
                    "steps": app.steps.daily.lifetime if app and app.steps is not None else 0,
                    "battery_pct": round(max(0.0, 100.0 * (1 - pin.battery_mah() / 1000.0)), 1),
                    "screen": self._screen_version(i),
                    "refreshes": {"full": sum(1 for m, _ in panel.history if m == "full"),
                                  "partial": sum(1 for m, _ in panel.history if m != "full")},
                    "ghost_pixels": self._ghosts(i),
                })
            return {
                "t": round(now, 1), "end": round(self.end_s, 1),
                "day_end": round(self.plan.day_s, 1),
                "speed": self.speed, "speeds": list(SPEEDS), "paused": self.paused,
                "finished": self.finished, "error": self.error,
                "hall": {"x0": self.bounds[0], "y0": self.bounds[1], "x1": self.bounds[2],
                         "y1": self.bounds[3]},
                "pins": pins,
                "groups": _groups(spots),
                "friendships": [[a, b, len(h) == 2] for (a, b), h in sorted(self._pairs.items())],
                "events": [e for e in self._events if e["seq"] > since],
                "seq": self._seq,
                "scenario": self.scenario,
            }

    def _screen_version(self, i):
        return len(self.sims[i].panel.history)

    def _ghosts(self, i):
        version, _png, ghosts = self._render(i)
        return ghosts

    def _render(self, i):
        cached = self._png_cache.get(i)
        version = self._screen_version(i)
        if cached is not None and cached[0] == version:
            return cached
        from host_sim.eink.png import emulator_png

        pin = self.sims[i]
        panel = pin.panel
        rotation = (pin.board.part("panel") or {}).get("rotation", 0)
        buf = io.BytesIO()
        emulator_png(panel, buf, rotation)
        cached = (version, buf.getvalue(), panel.ghost_pixels())
        self._png_cache[i] = cached
        return cached

    def screen_png(self, i):
        """(version, PNG bytes) of pin i's glass: ghosting pixels grey."""
        with self._lock:
            if not 0 <= i < len(self.sims):
                raise IndexError(i)
            version, png, _ = self._render(i)
            return version, png


def _groups(spots):
    """People standing within GROUP_M of each other (chains too), two or more."""
    n = len(spots)
    parent = list(range(n))

    def root(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a in range(n):
        if spots[a] is None:
            continue
        for b in range(a + 1, n):
            if spots[b] is None:
                continue
            if math.hypot(spots[a][0] - spots[b][0], spots[a][1] - spots[b][1]) <= GROUP_M:
                parent[root(a)] = root(b)
    out = {}
    for k in range(n):
        if spots[k] is not None:
            out.setdefault(root(k), []).append(k)
    return [g for g in out.values() if len(g) > 1]
