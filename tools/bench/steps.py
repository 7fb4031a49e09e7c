"""`cloudpin bench steps`: step counting on a labelled set of generated motion and, with
--oxford DIR, on real walks (tools/bench/steps_real.py: the Oxford Step Counter data set's
optimisation/ folder, split by person into those the pedometer was tuned on and the held-out
rest, per placement and rate).

The set (host_sim.people.motion, fixed seeds that were NOT used to tune the pedometer): walking,
strolling (soft steps through a crowd), running and stairs on the chest and on a lanyard, and every non-walking class (sitting and
typing, standing and gesturing, riding a bus or train, handling the pin), each rendered at
12.5, 25, 50 and 100 Hz. Per class it prints steps counted, true steps and the error (walking
classes) or false steps per minute (the others); then per rate and per placement; and the
pedometer's cost per sample measured on the MicroPython unix port with time.ticks_us (best of
a few runs; the bare loop calling a no-op is reported too, so the pedometer's own share is
visible). --json prints one JSON object on stdout; progress goes to stderr.
"""

from tools.bench import steps_real
from tools.bench.report import Check, Progress, UsageError, print_result

RATES = (12.5, 25, 50, 100)
WALK_SEED0 = 1000      # tuning used seeds 100-102 (walking) and 200-202 (non-walking)
NEG_SEED0 = 2000
TARGET_WALK_ERROR_PCT = 3.0
TARGET_FALSE_PER_MIN = 1.0
TARGET_STILL_FALSE_PER_MIN = 0.1  # sitting at a desk, riding: essentially none
STILL_CLASSES = ("sitting_typing", "vehicle")
REFERENCE_THRESHOLDS_MG = (30, 50, 80, 120)


def add_arguments(parser):
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--seeds", type=int, default=3, help="people/sessions per class (3)")
    parser.add_argument("--walk-minutes", type=float, default=5.0,
                        help="length of each walking recording (5)")
    parser.add_argument("--other-minutes", type=float, default=10.0,
                        help="length of each non-walking recording (10)")
    parser.add_argument("--rates", default=",".join(str(r) for r in RATES),
                        help="sampling rates in Hz, comma-separated (12.5,25,50,100)")
    parser.add_argument("--no-cost", action="store_true",
                        help="skip the cost measurement on the unix port")
    parser.add_argument("--no-reference", action="store_true",
                        help="skip the Espruino-style baseline (12.5 Hz renders only)")
    parser.add_argument("--plot", metavar="DIR",
                        help="also write PNGs to DIR: true vs counted steps per recording")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument("--oxford", metavar="DIR",
                        help="add the real-data section: the optimisation/ folder of a clone "
                             "of https://github.com/Oxford-step-counter/DataSet")


def _parse_rates(text):
    rates = []
    for part in text.split(","):
        try:
            r = float(part)
        except ValueError:
            raise UsageError("--rates: %r is not a rate in Hz (e.g. 12.5,25,50,100)"
                             % part) from None
        if not 12.5 <= r <= 100:
            raise UsageError("--rates: %s Hz is outside 12.5-100" % part)
        rates.append(int(r) if r == int(r) else r)
    return rates


def _count(rec, make=None):
    from cloudpin.pedometer import Pedometer

    ped = make() if make else Pedometer(rec.rate_hz)
    feed = ped.feed
    for x, y, z in zip(rec.xs, rec.ys, rec.zs, strict=True):
        feed(x, y, z)
    return ped.steps


def _pct(counted, true):
    return round(100.0 * (counted - true) / true, 2) if true else None


def _add(table, key, counted, true, minutes):
    row = table.setdefault(key, {"counted": 0, "true": 0, "minutes": 0.0})
    row["counted"] += counted
    row["true"] += true
    row["minutes"] += minutes


def evaluate(seeds, walk_minutes, other_minutes, rates, progress=None, reference=False,
             per_recording=None):
    """Count every recording of the set; returns the result tables. With reference, the
    12.5 Hz renders are also counted by the Espruino-style baseline at each threshold.
    per_recording: a list to append one row per recording and rate to (for the plot)."""
    from host_sim.people import motion
    from tools.bench.ref_pedometer import ReferencePedometer

    ref = {t: {} for t in REFERENCE_THRESHOLDS_MG} if reference else None
    classes = {}
    by_rate = {}
    by_placement = {}
    worst = None
    jobs = []
    for gait in motion.GAITS:
        for placement in motion.PLACEMENTS:
            for s in range(seeds):
                jobs.append((gait, placement, WALK_SEED0 + s, True))
    for kind in motion.NEGATIVES:
        for placement in motion.PLACEMENTS:
            for s in range(seeds):
                jobs.append((kind, placement, NEG_SEED0 + s, False))
    for done, (kind, placement, seed, walking) in enumerate(jobs):
        if walking:
            m = motion.walking(seed, placement, kind, duration_s=walk_minutes * 60)
        else:
            m = motion.negative(kind, seed, placement, duration_s=other_minutes * 60)
        for rate in rates:
            rec = m.render(rate)
            counted = _count(rec)
            true = rec.true_steps()
            minutes = rec.duration_ms / 60000.0
            _add(classes, kind, counted, true, minutes)
            if per_recording is not None:
                per_recording.append({"kind": kind, "placement": placement, "seed": seed,
                                      "rate_hz": rate, "walking": walking, "true": true,
                                      "counted": counted, "minutes": round(minutes, 2)})
            group = "walking" if walking else "non_walking"
            _add(by_rate.setdefault(str(rate), {}), group, counted, true, minutes)
            _add(by_placement.setdefault(placement, {}), group, counted, true, minutes)
            if ref is not None and rate == 12.5:
                for t in REFERENCE_THRESHOLDS_MG:
                    c = _count(rec, lambda t=t: ReferencePedometer(t))
                    _add(ref[t], "walking" if walking else "non_walking", c, true, minutes)
            if walking and true:
                err = abs(_pct(counted, true))
                if worst is None or err > worst[0]:
                    worst = (err, "%s/%s seed %d at %s Hz: %d of %d"
                             % (kind, placement, seed, rate, counted, true))
        if progress:
            progress(done + 1, len(jobs))
    return classes, by_rate, by_placement, worst, ref


def _summarise(rows, walking):
    counted = sum(r["counted"] for r in rows)
    true = sum(r["true"] for r in rows)
    minutes = sum(r["minutes"] for r in rows)
    if walking:
        return {"counted": counted, "true": true, "error_pct": _pct(counted, true),
                "minutes": round(minutes, 1)}
    return {"counted": counted, "true": true, "minutes": round(minutes, 1),
            "false_per_min": round(counted / minutes, 3) if minutes else None}


def measure_cost(rates, progress=None, source=None, what="generated"):
    """Pedometer cost per sample on the MicroPython unix port (ticks_us, best of 5), on a
    minute of generated chest walking, or of `source` (a real walk) as the chip reads it."""
    from host_sim.people import motion, replay
    from tools.bench import feed_cost

    m = motion.walking(WALK_SEED0, "chest", "walk", duration_s=60) if source is None else None
    out = {}
    for rate in rates:
        rec = m.render(rate) if m is not None else replay.sensed(source, rate, 60000)
        row = feed_cost.measure(rec, "pedometer", "Pedometer", "pedometer_us_per_sample")
        out[str(rate)] = row
        if progress:
            progress("cost on %s walking at %s Hz: %.2f us/sample"
                     % (what, rate, row["feed_us_per_sample"]))
    return out


def _oxford_root(args, rates):
    """The data set's optimisation/ folder, checked before the long synthetic run; None
    without --oxford. Raises SystemExit with how to get the data."""
    from cloudpin.drivers.lis3dh import RATES as DRIVER_RATES

    from host_sim.people import oxford

    if args.oxford is None:
        return None
    try:
        root = oxford.find(args.oxford)
    except oxford.OxfordDataError as exc:
        raise SystemExit("cloudpin bench steps: --oxford: %s" % exc) from None
    bad = [r for r in rates if r not in DRIVER_RATES]
    if bad:
        raise SystemExit("cloudpin bench steps: real walks are read through the LIS3DH driver, "
                         "which has %s Hz, not %s" % (sorted(DRIVER_RATES), bad))
    return root


def oxford_how_to():
    from host_sim.people import oxford

    return oxford.HOW_TO_GET


def _cost_walk(root, real):
    """The first held-out walk (the first walk if none is held out), for the cost figure."""
    from host_sim.people import oxford

    rows = real["walks"]
    held = [r for r in rows if r["person"] in real["split"]["held_out"]] or rows
    return oxford.load(root, names=(held[0]["walk"],))[0]


def run(args):
    from host_sim import runtime

    runtime.install()
    if args.seeds < 1:
        raise UsageError("--seeds must be at least 1")
    if args.walk_minutes <= 0 or args.other_minutes <= 0:
        raise UsageError("--walk-minutes and --other-minutes must be positive")
    rates = _parse_rates(args.rates)
    plots = None
    if args.plot:
        from tools import plots
        plots.check_dir(args.plot)
    oxford_root = _oxford_root(args, rates)
    phases = [("count the set", 10)] + ([("real walks", 4)] if oxford_root else [])
    phases += ([] if args.no_cost else [("cost on the unix port", 3)])
    progress = Progress("cloudpin bench steps", phases, quiet=args.quiet)
    say = progress.note
    update = progress.phase("count the set")

    reference = not args.no_reference and 12.5 in rates
    recordings = []
    classes, by_rate, by_placement, worst, ref = evaluate(
        args.seeds, args.walk_minutes, args.other_minutes, rates,
        lambda done, total: update(done, total, "%d/%d recordings" % (done, total)), reference,
        recordings)
    from host_sim.people import motion

    walking = _summarise([classes[g] for g in motion.GAITS], True)
    # The issue's classes (walk, run, stairs) without the crowd shuffle this project added
    # as a stress case: reported both ways so neither hides the other.
    issue_gaits = [g for g in motion.GAITS if g != "stroll"]
    walking_issue = _summarise([classes[g] for g in issue_gaits], True)
    non_walking = _summarise([classes[k] for k in motion.NEGATIVES], False)
    still = _summarise([classes[k] for k in STILL_CLASSES], False)
    result = {
        "bench": "steps",
        "set": {"rates_hz": rates, "placements": list(motion.PLACEMENTS),
                "seeds_per_class": args.seeds, "walk_minutes_each": args.walk_minutes,
                "other_minutes_each": args.other_minutes},
        "classes": {k: _summarise([classes[k]], k in motion.GAITS) for k in classes},
        "walking": walking,
        "walking_without_stroll": walking_issue,
        "non_walking": non_walking,
        "still": dict(still, classes=list(STILL_CLASSES)),
        "worst_walking_recording": {"abs_error_pct": worst[0], "which": worst[1]}
        if worst else None,
        "by_rate": {r: {"walking_error_pct": _summarise([v["walking"]], True)["error_pct"],
                        "false_per_min": _summarise([v["non_walking"]], False)["false_per_min"]}
                    for r, v in by_rate.items()},
        "by_placement": {p: {"walking_error_pct": _summarise([v["walking"]], True)["error_pct"],
                             "false_per_min": _summarise([v["non_walking"]], False)[
                                 "false_per_min"]}
                         for p, v in by_placement.items()},
        "targets": {"walking_abs_error_pct_max": TARGET_WALK_ERROR_PCT,
                    "false_per_min_max": TARGET_FALSE_PER_MIN,
                    "walking_met": abs(walking["error_pct"]) <= TARGET_WALK_ERROR_PCT,
                    "walking_without_stroll_met":
                        abs(walking_issue["error_pct"]) <= TARGET_WALK_ERROR_PCT,
                    "non_walking_met": non_walking["false_per_min"] <= TARGET_FALSE_PER_MIN,
                    "still_false_per_min_max": TARGET_STILL_FALSE_PER_MIN,
                    "still_met": still["false_per_min"] <= TARGET_STILL_FALSE_PER_MIN},
    }
    if ref:
        result["reference_12_5hz"] = {
            "what": "Espruino-style baseline from its published description (host_sim."
                    "ref_pedometer), on the same 12.5 Hz renders, per threshold",
            "ours_at_12_5hz": result["by_rate"].get("12.5"),
            "by_threshold_mg": {
                str(t): {"walking_error_pct": _summarise([v["walking"]], True)["error_pct"],
                         "false_per_min": _summarise([v["non_walking"]], False)[
                             "false_per_min"]}
                for t, v in ref.items()}}
    walk = None
    if oxford_root is None:
        result["real"] = None
        result["real_missing"] = "no --oxford DIR: " + oxford_how_to()
        say("real walks skipped: " + result["real_missing"])
    else:
        progress.phase("real walks")
        rows = steps_real.evaluate(oxford_root, rates, _count, say,
                                   REFERENCE_THRESHOLDS_MG if reference else ())
        result["real"] = steps_real.summarise(rows, rates, oxford_root)
        walk = _cost_walk(oxford_root, result["real"])
    if not args.no_cost:
        progress.phase("cost on the unix port")
        result["cost_unix_port"] = measure_cost(rates, say)
        if walk is not None:
            result["cost_unix_port_real"] = dict(
                measure_cost(rates, say, walk, "real"), walk=walk.name)
    progress.done()
    if plots is not None:
        result["plots"] = [plots.steps_true_vs_counted(recordings, args.plot,
                                                       TARGET_WALK_ERROR_PCT)]
    print_result(result, args.json, _print_table, checks=checks(result))
    return 0


def checks(r):
    t = r["targets"]
    return [Check("walking step error (all gaits)", r["walking"]["error_pct"], "within",
                  t["walking_abs_error_pct_max"], "%"),
            Check("walking step error (walk, run, stairs)",
                  r["walking_without_stroll"]["error_pct"], "within",
                  t["walking_abs_error_pct_max"], "%"),
            Check("false steps when not walking", r["non_walking"]["false_per_min"], "<=",
                  t["false_per_min_max"], "/min")] + _real_checks(r.get("real"))


def _real_checks(real):
    """The real-data targets on the held-out people: the worst rate's aggregate error and the
    worst placement-and-rate cell."""
    group = (real or {}).get("held_out")
    if not group:
        return []
    t = group["targets"]
    worst_rate = max((c["error_pct"] for c in group["by_rate"].values()), key=abs)
    worst_cell = max((c["error_pct"] for p in group["by_placement"].values()
                      for c in p.values()), key=abs)
    return [Check("real walks, held out: worst rate's error", worst_rate, "within",
                  t["aggregate_abs_error_pct_max"], "%"),
            Check("real walks, held out: worst placement and rate", worst_cell, "within",
                  t["placement_abs_error_pct_max"], "%")]


def _print_table(r):
    print("class                 counted    true   error / false steps")
    for k, v in r["classes"].items():
        if v.get("error_pct") is not None:
            print("%-20s %8d %7d   %+.2f %%" % (k, v["counted"], v["true"], v["error_pct"]))
        else:
            print("%-20s %8d %7d   %.3f per min over %.0f min"
                  % (k, v["counted"], v["true"], v["false_per_min"], v["minutes"]))
    w, n = r["walking"], r["non_walking"]
    print("walking (all gaits)  %8d %7d   %+.2f %%  (target within %.0f %%)"
          % (w["counted"], w["true"], w["error_pct"], r["targets"]["walking_abs_error_pct_max"]))
    wi = r["walking_without_stroll"]
    print("walk+run+stairs      %8d %7d   %+.2f %%" % (wi["counted"], wi["true"], wi["error_pct"]))
    print("not walking          %8d %7d   %.3f per min  (target <= %.0f)"
          % (n["counted"], n["true"], n["false_per_min"], r["targets"]["false_per_min_max"]))
    st = r["still"]
    print("still (%s) %d   %.3f per min  (target <= %.1f)"
          % ("+".join(st["classes"]), st["counted"], st["false_per_min"],
             r["targets"]["still_false_per_min_max"]))
    for rate, v in r["by_rate"].items():
        print("  at %5s Hz: walking %+.2f %%, %.3f false/min"
              % (rate, v["walking_error_pct"], v["false_per_min"]))
    for p, v in r["by_placement"].items():
        print("  %-8s: walking %+.2f %%, %.3f false/min"
              % (p, v["walking_error_pct"], v["false_per_min"]))
    ref = r.get("reference_12_5hz")
    if ref:
        print("Espruino-style baseline at 12.5 Hz (ours: walking %+.2f %%, %.3f false/min):"
              % (ref["ours_at_12_5hz"]["walking_error_pct"],
                 ref["ours_at_12_5hz"]["false_per_min"]))
        for t, v in ref["by_threshold_mg"].items():
            print("  threshold %4s mg: walking %+.2f %%, %.3f false/min"
                  % (t, v["walking_error_pct"], v["false_per_min"]))
    if r.get("worst_walking_recording"):
        print("worst recording:", r["worst_walking_recording"]["which"])
    if r.get("real"):
        steps_real.print_table(r["real"])
    else:
        print("real walks: not run (%s)" % r["real_missing"])
    for key, what in (("cost_unix_port", "generated"), ("cost_unix_port_real", "real")):
        for rate, c in (r.get(key) or {}).items():
            if rate == "walk":
                continue
            print("  unix port, %s walking at %5s Hz: %.2f us/sample (loop alone %.2f)"
                  % (what, rate, c["feed_us_per_sample"], c["loop_only_us_per_sample"]))
