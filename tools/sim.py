"""`cloudpin sim`: run a scenario in the simulator and report what happened.

Pins run the real firmware on fake hardware in a hall (host_sim.pins.world, host_sim.people.dayplan):
people walk between groups, talk, tap pins, then go home and leave the pin for the night.
With no arguments it runs the embedded demo scenario; a scenario file (JSON) may set any
key of DEFAULT_SCENARIO, and command-line flags override both.
"""

import json

from tools.bench.report import Progress, UsageError, print_result

DEFAULT_SCENARIO = {
    "name": "demo",
    "pins": 6,
    "hours": 0.5,          # at the event
    "night_hours": 1.0,    # lying at home: the pins deep-sleep after 40 min still
    "taps": 0.35,          # chance per group member and round of a tap
    "seed": 1,
}


def add_arguments(parser):
    parser.add_argument("--scenario", metavar="FILE", help="a JSON scenario file")
    parser.add_argument("--pins", type=int, help="number of pins")
    parser.add_argument("--hours", type=float, help="hours at the event")
    parser.add_argument("--night-hours", type=float, help="hours the pins lie at home")
    parser.add_argument("--seed", type=int, help="random seed (same seed, same run)")
    parser.add_argument("--plot", metavar="DIR",
                        help="also write PNGs to DIR: steps per pin, friendships over time, "
                             "battery per pin, radio duty")
    parser.add_argument("--serve", nargs="?", type=int, const=8024, default=None, metavar="PORT",
                        help="instead of a report, a live view of the hall in the browser at "
                             "http://127.0.0.1:PORT/ (default 8024; 0: any free port)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")


def _fail(message):
    raise UsageError(message)


def load_scenario(args):
    scenario = dict(DEFAULT_SCENARIO)
    if args.scenario:
        try:
            with open(args.scenario) as f:
                loaded = json.load(f)
        except OSError as exc:
            _fail(f"cannot read {args.scenario}: {exc.strerror}")
        except ValueError as exc:
            _fail(f"{args.scenario} is not valid JSON: {exc}")
        if not isinstance(loaded, dict):
            _fail(f"{args.scenario} must hold a JSON object")
        unknown = sorted(set(loaded) - set(DEFAULT_SCENARIO))
        if unknown:
            _fail(f"unknown scenario keys: {', '.join(unknown)}")
        scenario.update(loaded)
    for key, value in (("pins", args.pins), ("hours", args.hours),
                       ("night_hours", args.night_hours), ("seed", args.seed)):
        if value is not None:
            scenario[key] = value
    pins = scenario["pins"]
    if not isinstance(pins, int) or isinstance(pins, bool) or not 2 <= pins <= 200:
        _fail("pins must be a whole number from 2 to 200")
    for key, lo, hi in (("hours", 0.1, 16), ("night_hours", 0.75, 16), ("taps", 0, 1)):
        value = scenario[key]
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not lo <= value <= hi:
            _fail(f"{key} must be a number from {lo} to {hi}")
    if not isinstance(scenario["seed"], int):
        _fail("seed must be a whole number")
    return scenario


def run_scenario(scenario, progress=None, plot_dir=None):
    from tools.bench.day import run_measured

    if progress is None:
        progress = Progress("cloudpin sim", [("boot", 1), ("the day", 200),
                                             ("power-cut trials", 5)], quiet=True)
    report = run_measured(scenario["pins"], scenario["seed"], scenario["hours"],
                          scenario["night_hours"], scenario["taps"], progress, plot_dir)
    report["scenario"] = scenario["name"]
    return report


def print_report(r):
    print(f"Cloud Pin simulator - scenario '{r['scenario']}', seed {r['seed']}")
    print(f"  {r['pins']} pins, {r['hours_at_event']} h at the event and "
          f"{r['night_hours']} h at home, simulated in {r['wall_s']} s")
    print(f"  taps: {r['taps_made']}; friendships made on both pins: "
          f"{r['friendships_both_sides']} of {r['friendships_expected']} expected; "
          f"false friendships: {r['false_friendships']}")
    print(f"  steps: {r['steps_counted']} counted of {r['steps_true']} taken "
          f"({r['steps_error_pct']} %)")
    print(f"  designs unlocked: {r['unlocks']}")
    print(f"  battery: {r['battery_hours_1000mah']['median']} h on 1000 mAh (median), "
          f"{r['battery_hours_1000mah']['worst']} h (worst)")
    print(f"  night: {r['deep_sleeps']} deep sleeps; state survived every reboot: "
          f"{'yes' if r['state_survived_reboot'] else 'NO'}")
    for path in r.get("plots", ()):
        print(f"  plot: {path}")


def run(args):
    scenario = load_scenario(args)
    if args.serve is not None:
        if not 0 <= args.serve <= 65535:
            _fail("--serve PORT must be 0 to 65535")
        if args.plot or args.json:
            _fail("--serve shows the hall live; run --plot or --json without it")
        from tools.live.server import serve

        return serve(scenario, args.serve, quiet=args.quiet)
    if args.plot:
        from tools import plots

        plots.check_dir(args.plot)
    progress = Progress("cloudpin sim", [("boot", 1), ("the day", 200),
                                         ("power-cut trials", 5)], quiet=args.quiet)
    report = run_scenario(scenario, progress, args.plot)
    print_result(report, args.json, print_report)
    return 0
