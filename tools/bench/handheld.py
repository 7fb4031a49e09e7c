"""`cloudpin bench handheld`: the in-hand detector (cloudpin.handheld) on generated motion.

Every recording is a host_sim.people.motion source rendered at 25 Hz through Motion.render (sensor
noise, box average, 8 mg quantisation), on the chest and on a lanyard:

- tap gestures (motion.tap_gesture, 20 s, lift at 5 s, hold 2 s): detected when `held` turns
  true between the lift's start and 1.5 s after it AND is still true when the pin starts
  going back (the end of the hold); latency is from the lift's start to the first held sample
  (p50/p95 over the detected ones, ms); "early" counts recordings held before the lift;
  "stirred" counts those whose pin is `stirred` (tilted a little, lately: what a tap with
  neither pin in hand needs) when it starts going back;
- handling (motion.handling: picking the pin up to read it, tapping it on another): the share
  of pick-ups during which it was held at some point;
- not in hand: walk / stroll / run / stairs (motion.walking), standing_gesturing,
  sitting_typing, vehicle: false pick-ups per hour and the shares of time held and stirred;
- the detector's cost per sample on the MicroPython unix port (ticks_us, best of 5, a bare
  loop calling a no-op reported apart).

Seeds: tap gestures TAP_SEED0+, the rest OTHER_SEED0+. The defaults were tuned on seeds
300-309 (taps) and 400-402 (the rest), so these figures are held out. --json prints one JSON
object on stdout; progress goes to stderr.
"""


from tools.bench.report import Check, Progress, UsageError, print_result

RATE = 25
TAP_SEED0 = 3000
OTHER_SEED0 = 4000
DETECT_WINDOW_MS = 1500
TARGET_DETECT_PCT = 99.5
TARGET_P95_MS = 1000
TARGET_FALSE_PER_H = 2.0
TARGET_HELD_PCT = 1.0
CALM = ("standing_gesturing", "sitting_typing", "vehicle")


def add_arguments(parser):
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument("--seeds", type=int, default=100,
                        help="tap gestures per placement (100); other classes get seeds/10, "
                             "at least 2")
    parser.add_argument("--minutes", type=float, default=10.0,
                        help="length of each not-in-hand and handling recording (10)")
    parser.add_argument("--no-cost", action="store_true",
                        help="skip the cost measurement on the unix port")


def _held_trace(rec):
    from cloudpin.handheld import Handheld

    hh = Handheld(rec.rate_hz)
    feed = hh.feed
    out = bytearray(len(rec))
    stirred = bytearray(len(rec))
    for i, (x, y, z) in enumerate(zip(rec.xs, rec.ys, rec.zs, strict=True)):
        out[i] = 1 if feed(x, y, z) else 0
        stirred[i] = 1 if hh.stirred else 0
    return out, stirred, hh.pickups


def _pct(a, b):
    return round(100.0 * a / b, 2) if b else None


def _percentile(values, q):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def tap_trial(seed, placement):
    """One tap gesture: (detected, latency_ms or None, held before the lift, stirred when
    the pin starts going back)."""
    from host_sim.people import motion

    m = motion.tap_gesture(seed, placement)
    rec = m.render(RATE)
    held, stirred, _ = _held_trace(rec)
    start, _out, back, _end = m.tap
    i0 = start * RATE // 1000
    i1 = min(len(held) - 1, (start + DETECT_WINDOW_MS) * RATE // 1000)
    ib = min(len(held) - 1, back * RATE // 1000)
    first = None
    for i in range(i0, i1 + 1):
        if held[i]:
            first = i
            break
    detected = first is not None and bool(held[ib])
    latency = None if first is None else (first - i0) * 1000 // RATE
    return detected, latency, any(held[:i0]), bool(stirred[ib])


def handling_trial(seed, placement, minutes):
    """Pick-ups in a handling recording (m.pickups) and how many of them were held."""
    from host_sim.people import motion

    m = motion.handling(seed, placement, duration_s=minutes * 60)
    rec = m.render(RATE)
    held, _, _ = _held_trace(rec)
    found = total = 0
    for t0, t1 in m.pickups:
        i0 = int(t0 * RATE // 1000)
        i1 = min(len(held), int(t1 * RATE // 1000) + 1)
        if i0 >= len(held):
            break
        total += 1
        if any(held[i0:i1]):
            found += 1
    return found, total, sum(held), len(held)


def negative_trial(kind, seed, placement, minutes):
    from host_sim.people import motion

    if kind in motion.GAITS:
        m = motion.walking(seed, placement, kind, duration_s=minutes * 60)
    else:
        m = motion.negative(kind, seed, placement, duration_s=minutes * 60)
    rec = m.render(RATE)
    held, stirred, pickups = _held_trace(rec)
    return pickups, sum(held), sum(stirred), len(held)


def evaluate(seeds, minutes, progress=None):
    from host_sim.people import motion

    other = max(2, seeds // 10)
    taps = {}
    for placement in motion.PLACEMENTS:
        det = early = stir = 0
        lat = []
        missed = []
        for s in range(seeds):
            d, latency, e, st = tap_trial(TAP_SEED0 + s, placement)
            det += d
            early += e
            stir += st
            if latency is not None:
                lat.append(latency)
            if not d:
                missed.append(TAP_SEED0 + s)
        taps[placement] = {"trials": seeds, "detected": det, "detected_pct": _pct(det, seeds),
                           "latency_p50_ms": _percentile(lat, 0.5),
                           "latency_p95_ms": _percentile(lat, 0.95),
                           "held_before_lift": early, "missed_seeds": missed[:20],
                           "stirred": stir, "stirred_pct": _pct(stir, seeds)}
        if progress:
            progress("tap gestures on %s: %d/%d" % (placement, det, seeds))
    found = total = held = samples = 0
    for placement in motion.PLACEMENTS:
        for s in range(other):
            f, t, h, n = handling_trial(OTHER_SEED0 + s, placement, minutes)
            found += f
            total += t
            held += h
            samples += n
    handling = {"pickups": total, "detected": found, "detected_pct": _pct(found, total),
                "time_held_pct": _pct(held, samples)}
    if progress:
        progress("handling: %d/%d pick-ups" % (found, total))
    classes = {}
    for kind in motion.GAITS + CALM:
        row = {}
        for placement in motion.PLACEMENTS:
            pk = held = stirred = samples = 0
            for s in range(other):
                p, h, st, n = negative_trial(kind, OTHER_SEED0 + s, placement, minutes)
                pk += p
                held += h
                stirred += st
                samples += n
            hours = samples / RATE / 3600.0
            row[placement] = {"hours": round(hours, 2), "false_pickups": pk,
                              "false_pickups_per_hour": round(pk / hours, 2),
                              "time_held_pct": _pct(held, samples),
                              "time_stirred_pct": _pct(stirred, samples)}
        classes[kind] = row
        if progress:
            progress("%s: %s" % (kind, ", ".join("%s %.1f/h" % (p, r["false_pickups_per_hour"])
                                                 for p, r in row.items())))
    return taps, handling, classes


def measure_cost(progress=None):
    from host_sim.people import motion
    from tools.bench import feed_cost

    rec = motion.standing_gesturing(OTHER_SEED0, "lanyard", duration_s=60).render(RATE)
    out = dict(rate_hz=RATE, **feed_cost.measure(rec, "handheld", "Handheld",
                                                 "handheld_us_per_sample"))
    if progress:
        progress("cost: %.2f us/sample" % out["feed_us_per_sample"])
    return out


def run(args):
    from host_sim import runtime

    runtime.install()
    if args.seeds < 1:
        raise UsageError("--seeds must be at least 1")
    if args.minutes <= 0:
        raise UsageError("--minutes must be positive")
    bar = Progress("cloudpin bench handheld", [("generated motion", 10)] +
                   ([] if args.no_cost else [("cost on the unix port", 2)]), quiet=args.quiet)
    bar.phase("generated motion")
    progress = bar.note

    taps, handling, classes = evaluate(args.seeds, args.minutes, progress)
    det = sum(t["detected"] for t in taps.values())
    trials = sum(t["trials"] for t in taps.values())
    calm = [classes[k][p] for k in CALM for p in classes[k]]
    calm_hours = sum(r["hours"] for r in calm)
    calm_pk = sum(r["false_pickups"] for r in calm)
    calm_held = sum(r["time_held_pct"] * r["hours"] for r in calm) / calm_hours
    result = {
        "bench": "handheld",
        "set": {"rate_hz": RATE, "tap_seeds": [TAP_SEED0, TAP_SEED0 + args.seeds - 1],
                "other_seeds": [OTHER_SEED0, OTHER_SEED0 + max(2, args.seeds // 10) - 1],
                "minutes_each": args.minutes, "detect_window_ms": DETECT_WINDOW_MS},
        "tap_gesture": taps,
        "tap_detected_pct": _pct(det, trials),
        "handling": handling,
        "not_in_hand": classes,
        "standing_sitting_vehicle": {
            "hours": round(calm_hours, 2), "false_pickups": calm_pk,
            "false_pickups_per_hour": round(calm_pk / calm_hours, 2),
            "time_held_pct": round(calm_held, 2)},
        "targets": {"detected_pct_min": TARGET_DETECT_PCT, "latency_p95_ms_max": TARGET_P95_MS,
                    "false_pickups_per_hour_max": TARGET_FALSE_PER_H,
                    "time_held_pct_max": TARGET_HELD_PCT,
                    "detected_met": all(t["detected_pct"] >= TARGET_DETECT_PCT
                                        for t in taps.values()),
                    "latency_met": all(t["latency_p95_ms"] is not None and
                                       t["latency_p95_ms"] <= TARGET_P95_MS
                                       for t in taps.values()),
                    "false_pickups_met": calm_pk / calm_hours <= TARGET_FALSE_PER_H,
                    "time_held_met": calm_held <= TARGET_HELD_PCT},
    }
    if not args.no_cost:
        bar.phase("cost on the unix port")
        result["cost_unix_port"] = measure_cost(progress)
    bar.done()
    print_result(result, args.json, _print_table, checks=checks(result))
    return 0


def checks(r):
    out = []
    for p, t in r["tap_gesture"].items():
        out.append(Check("tap gestures detected (%s)" % p, t["detected_pct"], ">=",
                         TARGET_DETECT_PCT, "%"))
        out.append(Check("latency from the lift, p95 (%s)" % p, t["latency_p95_ms"], "<=",
                         TARGET_P95_MS, "ms"))
    c = r["standing_sitting_vehicle"]
    out.append(Check("false pick-ups standing/sitting/vehicle", c["false_pickups_per_hour"], "<=",
                     TARGET_FALSE_PER_H, "/h"))
    out.append(Check("time held standing/sitting/vehicle", c["time_held_pct"], "<=",
                     TARGET_HELD_PCT, "%"))
    return out


def _print_table(r):
    for p, t in r["tap_gesture"].items():
        print("tap gesture %-8s %3d/%3d detected (%.1f %%), latency p50 %s ms p95 %s ms, "
              "held before the lift %d, stirred %d" % (
                  p, t["detected"], t["trials"], t["detected_pct"], t["latency_p50_ms"],
                  t["latency_p95_ms"], t["held_before_lift"], t["stirred"]))
    h = r["handling"]
    print("handling: %d of %d pick-ups held (%s %%), %s %% of the time held"
          % (h["detected"], h["pickups"], h["detected_pct"], h["time_held_pct"]))
    print("not in hand            placement  false pick-ups/h   time held  time stirred")
    for kind, row in r["not_in_hand"].items():
        for p, v in row.items():
            print("%-22s %-9s %10.2f   %8.2f %%  %8.2f %%  (%d in %.1f h)"
                  % (kind, p, v["false_pickups_per_hour"], v["time_held_pct"],
                     v["time_stirred_pct"], v["false_pickups"], v["hours"]))
    c = r["standing_sitting_vehicle"]
    print("standing/sitting/vehicle: %.2f false pick-ups per hour, %.2f %% held (targets < %s, "
          "< %s %%)" % (c["false_pickups_per_hour"], c["time_held_pct"],
                        r["targets"]["false_pickups_per_hour_max"],
                        r["targets"]["time_held_pct_max"]))
    cost = r.get("cost_unix_port")
    if cost:
        print("unix port: %.2f us/sample (loop alone %.2f)"
              % (cost["feed_us_per_sample"], cost["loop_only_us_per_sample"]))
