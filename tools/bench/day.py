"""`cloudpin bench day`: a day at the event for a group of pins, in the simulator.

Every pin runs the real firmware App on fake hardware (radio on the shared medium, emulated
panel and accelerometer, its own flash): people walk between groups, stand talking, tap,
go home and put the pin down for the night (it deep-sleeps) and pick it up in the morning
(it boots again from what flash kept). Prints one JSON object; progress goes to stderr.
"""

import statistics
import sys
import time

from tools.bench.report import print_result

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
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")


def _check(args):
    if not 2 <= args.pins <= 200:
        raise SystemExit("cloudpin bench day: --pins must be 2 to 200")
    if not 0.5 <= args.hours <= 16:
        raise SystemExit("cloudpin bench day: --hours must be 0.5 to 16")
    if not 0.75 <= args.night_hours <= 16:
        raise SystemExit("cloudpin bench day: --night-hours must be 0.75 to 16 (the pins "
                         "deep-sleep after 40 minutes still)")
    if not 0 <= args.taps <= 1:
        raise SystemExit("cloudpin bench day: --taps must be 0 to 1")


def _snapshot(app):
    return (app.friends.count, app.activity.to_bytes(), app.progress.to_bytes(), app.design,
            app.steps.daily.lifetime if app.steps is not None else None)


def run_day(pins=20, seed=1, hours=10.0, night_hours=8.0, taps=0.25, progress=None):
    from host_sim.people.dayplan import DayPlan
    from host_sim.pins.powercut import main as power_cut_trials
    from host_sim.pins.world import World

    started = time.perf_counter()
    plan = DayPlan(pins, seed, day_s=hours * 3600, night_s=night_hours * 3600,
                   taps_per_round=taps)
    world = World(seed=seed)
    sims = []
    snapshots = {}
    for person in plan.people:
        profile = {"name": "Person %d" % person.idx, "org": "Org %d" % (person.idx % 7),
                   "role": "Producer", "handles": ["@person%d" % person.idx]}
        sims.append(world.add_pin(person.name, person.mover, person.source, profile))

    def on_sleep(pin):
        snapshots.setdefault(pin.name, {})["before"] = _snapshot(pin.app)

    def on_boot(pin):
        snap = snapshots.get(pin.name)
        if snap is not None and "after" not in snap:
            snap["after"] = _snapshot(pin.app)

    for pin in sims:
        pin.on_deep_sleep = on_sleep
        pin.on_boot = on_boot
    try:
        world.start()
        world.run_for(60)
        for pin in sims:  # the companion's time sync as people arrive
            pin.app.sync_time(EVENT_START_UNIX + 60, UTC_OFFSET_S)
        world.run_for(plan.end_s - 60, progress=progress)
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


def progress_printer(every_percent=5):
    """progress(done_s, total_s) for a simulation run: a line on stderr every few percent."""
    last = [-1]

    def progress(done_s, total_s):
        percent = int(100 * done_s / total_s)
        if percent != last[0] and percent % every_percent == 0:
            last[0] = percent
            print(f"  simulated {done_s / 3600:5.2f} of {total_s / 3600:.2f} h ({percent}%)",
                  file=sys.stderr, flush=True)

    return progress


def run(args):
    _check(args)
    report = run_day(args.pins, args.seed, args.hours, args.night_hours, args.taps,
                     None if args.quiet else progress_printer())
    print_result(report, args.json)
    return 0
