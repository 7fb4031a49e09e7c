"""`cloudpin bench day`: a day at the event for a group of pins, in the simulator.

Every pin runs the real firmware App on fake hardware (radio on the shared medium, emulated
panel and accelerometer, its own flash): people walk between groups, stand talking, tap,
go home and put the pin down for the night (it deep-sleeps) and pick it up in the morning
(it boots again from what flash kept). Prints one JSON object; progress goes to stderr.
"""

import statistics
import time

from tools.bench.report import Check, Progress, UsageError, print_figures, print_result

EVENT_START_UNIX = 1_785_571_200  # 2026-08-01 08:00 UTC, the first morning
UTC_OFFSET_S = 7200


def add_arguments(parser):
    parser.add_argument("--pins", type=int, default=20, help="people at the event (2-200)")
    parser.add_argument("--seed", type=int, default=1, help="same seed, same day")
    parser.add_argument("--hours", type=float, default=10.0,
                        help="hours at the event before going home (0.5-16)")
    parser.add_argument("--night-hours", type=float, default=8.0,
                        help="hours the pins lie at home (0.75-16; deep sleep after 40 min)")
    parser.add_argument("--taps", type=float, default=0.25,
                        help="chance per group member and round that a tap happens")
    parser.add_argument("--plot", metavar="DIR",
                        help="also write PNGs to DIR: steps per pin, friendships over time, "
                             "battery per pin, radio duty")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")


def _check(args):
    if not 2 <= args.pins <= 200:
        raise UsageError("--pins must be 2 to 200")
    if not 0.5 <= args.hours <= 16:
        raise UsageError("--hours must be 0.5 to 16")
    if not 0.75 <= args.night_hours <= 16:
        raise UsageError("--night-hours must be 0.75 to 16 (the pins deep-sleep after 40 "
                         "minutes still)")
    if not 0 <= args.taps <= 1:
        raise UsageError("--taps must be 0 to 1")


def _snapshot(app):
    return (app.friends.count, app.activity.to_bytes(), app.progress.to_bytes(), app.design,
            app.steps.daily.lifetime if app.steps is not None else None)


class DaySeries:
    """What each pin showed over the run, sampled as the simulation goes (for the plots):
    per sample, per pin, steps counted, friends, mAh used and seconds its radio listened;
    and the hall's taps so far and friendships on both pins / on one pin only."""

    def __init__(self, capacity_mah=1000):
        self.capacity_mah = capacity_mah
        self.names = []
        self.t_h = []
        self.steps = []
        self.friends = []
        self.mah = []
        self.listened_s = []
        self.taps_planned = []
        self.friendships_both = []
        self.friendships_one = []
        self.day_h = None

    def sample(self, plan, world, sims):
        now = world.sim.now_s
        medium = world.medium
        if not self.names:
            self.names = [pin.name for pin in sims]
            self.day_h = plan.day_s / 3600.0
        keys = {pin.app.pin_id: i for i, pin in enumerate(sims)}
        holders = {}
        steps, friends, mah, listened = [], [], [], []
        started = medium.started_us if medium.started_us is not None else medium.now_us()
        elapsed = (medium.now_us() - started) / 1e6  # (started_us is 0 at the first instant)
        for i, pin in enumerate(sims):
            app = pin.app
            steps.append(app.steps.daily.lifetime if app.steps is not None else 0)
            friends.append(app.friends.count)
            mah.append(pin.battery_mah())
            listened.append(medium.listen_fraction(pin.ble) * elapsed)
            for friend in app.friends.friends():
                j = keys.get(friend.key)
                if j is not None:
                    holders.setdefault((min(i, j), max(i, j)), set()).add(i)
        both = sum(1 for h in holders.values() if len(h) == 2)
        self.t_h.append(now / 3600.0)
        self.steps.append(steps)
        self.friends.append(friends)
        self.mah.append(mah)
        self.listened_s.append(listened)
        self.taps_planned.append(sum(1 for t, _, _ in plan.taps if t <= now))
        self.friendships_both.append(both)
        self.friendships_one.append(len(holders) - both)

    def radio_duty(self):
        """Per sample and pin, the share of the interval since the last sample spent
        listening."""
        out = []
        prev_t, prev = None, None
        for t, row in zip(self.t_h, self.listened_s, strict=True):
            if prev is None:
                out.append([0.0] * len(row))
            else:
                dt = max(1e-9, (t - prev_t) * 3600.0)
                out.append([max(0.0, min(1.0, (b - a) / dt)) for a, b in zip(prev, row,
                                                                              strict=True)])
            prev_t, prev = t, row
        return out


def run_day(pins=20, seed=1, hours=10.0, night_hours=8.0, taps=0.25, progress=None,
            series=None, on_world=None):
    """The day; returns the report. progress(done_s, total_s) as it runs; series: a
    DaySeries to sample into; on_world(plan, world, sims) once the pins are made."""
    from host_sim.pins.powercut import main as power_cut_trials

    started = time.perf_counter()
    plan, world, sims = make_day(pins, seed, hours, night_hours, taps)
    snapshots = {}

    def on_sleep(pin):
        snapshots.setdefault(pin.name, {})["before"] = _snapshot(pin.app)

    def on_boot(pin):
        snap = snapshots.get(pin.name)
        if snap is not None and "after" not in snap:
            snap["after"] = _snapshot(pin.app)

    for pin in sims:
        pin.on_deep_sleep = on_sleep
        pin.on_boot = on_boot
    if on_world is not None:
        on_world(plan, world, sims)

    def step(done_s, total_s):
        if series is not None:
            series.sample(plan, world, sims)
        if progress is not None:
            progress(done_s, total_s)

    try:
        start_day(world, sims)
        if series is not None:
            series.sample(plan, world, sims)
        world.run_for(plan.end_s - 60, progress=step)
        for pin in sims:
            pin.app.shutdown()
        report = _report(plan, world, sims, snapshots)
    finally:
        world.close()
    trials, losses = _quietly(power_cut_trials)
    report["power_cut_trials"] = trials
    report["power_cut_losses"] = losses
    report["wall_s"] = round(time.perf_counter() - started, 1)
    report["simulated_s"] = round(plan.end_s, 1)
    return report


def make_day(pins, seed, hours, night_hours, taps):
    """The day's plan (host_sim.people.dayplan) and its hall: a World with one SimPin per
    person, not started yet. (bench day, sim and the live view share it.)"""
    from host_sim.people.dayplan import DayPlan
    from host_sim.pins.world import World

    plan = DayPlan(pins, seed, day_s=hours * 3600, night_s=night_hours * 3600,
                   taps_per_round=taps)
    world = World(seed=seed)
    sims = []
    for person in plan.people:
        profile = {"name": "Person %d" % person.idx, "org": "Org %d" % (person.idx % 7),
                   "role": "Producer", "handles": ["@person%d" % person.idx]}
        sims.append(world.add_pin(person.name, person.mover, person.source, profile))
    return plan, world, sims


def start_day(world, sims):
    """Boot every pin and, a minute in, give each the companion's time sync."""
    world.start()
    world.run_for(60)
    for pin in sims:  # the companion's time sync as people arrive
        pin.app.sync_time(EVENT_START_UNIX + 60, UTC_OFFSET_S)


def _quietly(fn):
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        return fn()


def _report(plan, world, sims, snapshots):
    keys = {pin.app.pin_id: i for i, pin in enumerate(sims)}
    intended = {(min(a, b), max(a, b)) for _, a, b in plan.taps}
    made = set()
    one_sided = 0
    for i, pin in enumerate(sims):
        for friend in pin.app.friends.friends():
            j = keys.get(friend.key)
            if j is not None:
                made.add((min(i, j), max(i, j), i))
    pairs = {}
    for a, b, holder in made:
        pairs.setdefault((a, b), set()).add(holder)
    both = {p for p, holders in pairs.items() if len(holders) == 2}
    one_sided = len(pairs) - len(both)
    false = {p for p in pairs if p not in intended}
    steps_true = steps_counted = 0
    per_pin_error = []
    for i, pin in enumerate(sims):
        true = plan.people[i].source.true_steps()
        counted = pin.app.steps.daily.lifetime if pin.app.steps is not None else 0
        steps_true += true
        steps_counted += counted
        if true:
            per_pin_error.append(100.0 * (counted - true) / true)
    survived = []
    for pin in sims:
        snap = snapshots.get(pin.name, {})
        if "before" in snap and "after" in snap:
            survived.append(snap["before"] == snap["after"])
    hours = [pin.battery_hours() for pin in sims]
    unlocks = sum(len(pin.app.progress.unlocked_designs()) - 1 for pin in sims)
    return {
        "pins": len(sims),
        "seed": plan.seed,
        "hours_at_event": round(plan.day_s / 3600, 2),
        "night_hours": round(plan.night_s / 3600, 2),
        "taps_made": len(plan.taps),
        "friendships_expected": len(intended),
        "friendships_both_sides": len(both & intended),
        "friendships_one_side_only": one_sided,
        "false_friendships": len(false),
        "steps_true": steps_true,
        "steps_counted": steps_counted,
        "steps_error_pct": round(100.0 * (steps_counted - steps_true) / steps_true, 2)
        if steps_true else None,
        "steps_error_pct_worst_pin": round(max(per_pin_error, key=abs), 2)
        if per_pin_error else None,
        "unlocks": unlocks,
        "battery_hours_1000mah": {"median": round(statistics.median(hours), 1),
                                  "worst": round(min(hours), 1)},
        "radio_listen_fraction_median": round(statistics.median(
            world.medium.listen_fraction(pin.ble) for pin in sims), 3),
        "deep_sleeps": sum(pin.deep_sleeps for pin in sims),
        "boots": sum(pin.boots for pin in sims),
        "reboots_checked": len(survived),
        "state_survived_reboot": bool(survived) and all(survived),
        "storage_problems_reported": sum(len(pin.app.problems) for pin in sims),
    }


def checks(r):
    """The day's figures beside the project's targets."""
    expected = r["friendships_expected"]
    return [
        Check("taps that made a friendship on both pins",
              r["friendships_both_sides"] / expected if expected else None, ">=", 0.99),
        Check("false friendships", r["false_friendships"], "<=", 0),
        Check("friendships on one pin only", r["friendships_one_side_only"], "<=", 0),
        Check("step error, whole hall", r["steps_error_pct"], "within", 3.0, "%"),
        Check("battery, worst pin (1000 mAh; a 12 h shift)", r["battery_hours_1000mah"]["worst"],
              ">=", 12.0, "h"),
        Check("state kept through every reboot", 1 if r["state_survived_reboot"] else 0, ">=",
              1),
        Check("friends lost to power cuts", r["power_cut_losses"], "<=", 0),
        Check("storage problems reported", r["storage_problems_reported"], "<=", 0),
    ]


def print_table(r):
    print("A day at the event: %d pins, seed %d, %s h at the event and %s h at home "
          "(simulated in %s s)" % (r["pins"], r["seed"], r["hours_at_event"], r["night_hours"],
                                   r["wall_s"]))
    rest = {k: v for k, v in r.items() if k not in ("pins", "seed", "hours_at_event",
                                                    "night_hours", "wall_s", "plots")}
    print_figures(rest, indent=2)
    for path in r.get("plots", ()):
        print("  plot: %s" % path)


def run(args):
    _check(args)
    if args.plot:
        from tools import plots

        plots.check_dir(args.plot)
    progress = Progress("cloudpin bench day", [("boot", 1), ("the day", 200),
                                               ("power-cut trials", 5)], quiet=args.quiet)
    report = run_measured(args.pins, args.seed, args.hours, args.night_hours, args.taps,
                          progress, args.plot)
    print_result(report, args.json, print_table, checks=checks(report))
    return 0


def run_measured(pins, seed, hours, night_hours, taps, progress, plot_dir=None, on_world=None):
    """run_day with progress by phase and, with plot_dir, the plots (bench day and sim)."""
    series = DaySeries() if plot_dir else None
    day_progress = progress.sim_progress("the day")
    progress.phase("boot")
    report = run_day(pins, seed, hours, night_hours, taps,
                     _day_then_trials(progress, day_progress), series, on_world)
    if plot_dir:
        from tools import plots

        report["plots"] = plots.day(series, plot_dir)
    progress.done()
    return report


def _day_then_trials(progress, day_progress):
    """The day's progress, then the power-cut trials' phase once the day is over."""
    state = {"started": False}

    def update(done_s, total_s):
        day_progress(done_s, total_s)
        if done_s >= total_s and not state["started"]:
            state["started"] = True
            progress.phase("power-cut trials")

    return update
