"""`cloudpin sim`: run a scenario in the simulator and report what happened.

With no arguments it runs the embedded demo scenario. A scenario file (JSON) may set any key
of DEFAULT_SCENARIO; command-line flags override both.
"""

import json
import sys
import time

DEFAULT_SCENARIO = {
    "name": "demo",
    "pins": 6,
    "duration_s": 900,
    "seed": 1,
    # Start two minutes before ticks_ms wraps at 2**30, so every demo crosses the wrap.
    "start_ticks_ms": (1 << 30) - 120_000,
}


def add_arguments(parser):
    parser.add_argument("--scenario", metavar="FILE", help="a JSON scenario file")
    parser.add_argument("--pins", type=int, help="number of pins")
    parser.add_argument("--duration", type=float, metavar="SECONDS",
                        help="simulated seconds to run")
    parser.add_argument("--seed", type=int, help="random seed (same seed, same run)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")


def load_scenario(args):
    scenario = dict(DEFAULT_SCENARIO)
    if args.scenario:
        try:
            with open(args.scenario) as f:
                loaded = json.load(f)
        except OSError as exc:
            raise SystemExit(f"cloudpin sim: cannot read {args.scenario}: {exc.strerror}")
        except ValueError as exc:
            raise SystemExit(f"cloudpin sim: {args.scenario} is not valid JSON: {exc}")
        if not isinstance(loaded, dict):
            raise SystemExit(f"cloudpin sim: {args.scenario} must hold a JSON object")
        unknown = sorted(set(loaded) - set(DEFAULT_SCENARIO))
        if unknown:
            raise SystemExit(f"cloudpin sim: unknown scenario keys: {', '.join(unknown)}")
        scenario.update(loaded)
    for key, value in (("pins", args.pins), ("duration_s", args.duration), ("seed", args.seed)):
        if value is not None:
            scenario[key] = value
    if not isinstance(scenario["pins"], int) or not 1 <= scenario["pins"] <= 5000:
        raise SystemExit("cloudpin sim: pins must be a whole number from 1 to 5000")
    if not isinstance(scenario["duration_s"], (int, float)) or not 0 < scenario["duration_s"] <= 7 * 86400:
        raise SystemExit("cloudpin sim: duration must be more than 0 and at most a week")
    return scenario


def run_scenario(scenario, progress=None):
    from host_sim.world import World

    started = time.perf_counter()
    with World(pins=scenario["pins"], start_ticks_ms=scenario["start_ticks_ms"]) as world:
        world.run_for(scenario["duration_s"], progress=progress)
        pins = [{
            "name": pin.name,
            "uptime_s": round(pin.app.stats.uptime_ms / 1000, 3),
            "heartbeats": pin.app.stats.heartbeats,
        } for pin in world.pins]
        simulated = world.sim.now_s
    wall = time.perf_counter() - started
    return {
        "scenario": scenario["name"],
        "seed": scenario["seed"],
        "pins": len(pins),
        "simulated_s": round(simulated, 3),
        "wall_s": round(wall, 3),
        "speedup": round(simulated / wall, 1) if wall > 0 else None,
        "per_pin": pins,
    }


def _progress_printer():
    last = [-1]

    def progress(done_s, total_s):
        percent = int(100 * done_s / total_s)
        if percent != last[0] and percent % 10 == 0:
            last[0] = percent
            print(f"  simulated {done_s:7.0f}/{total_s:.0f} s ({percent}%)", file=sys.stderr)

    return progress


def print_report(report):
    print(f"Cloud Pin simulator — scenario '{report['scenario']}', seed {report['seed']}")
    print(f"  {report['pins']} pins, {report['simulated_s']:.0f} simulated seconds in "
          f"{report['wall_s']:.2f} s of wall time ({report['speedup']}x)")
    for pin in report["per_pin"]:
        print(f"  {pin['name']}: up {pin['uptime_s']:.0f} s, {pin['heartbeats']} heartbeats")


def run(args):
    scenario = load_scenario(args)
    progress = None if args.quiet else _progress_printer()
    report = run_scenario(scenario, progress)
    if args.json:
        print(json.dumps(report))
    else:
        print_report(report)
    return 0
