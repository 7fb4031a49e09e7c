"""The real-data section of `cloudpin bench steps`: the walks of the Oxford Step Counter data
set's optimisation/ folder (host_sim.people.oxford; phones in a hand, a neck pouch, an
armband, a purse, front and back pockets and a swinging arm, with foot-switch ground truth),
each read as the firmware reads it through the LIS3DH at every rate (host_sim.people.replay
.sensed: the chip's ODR averaging, 8 mg steps at +-4 g, the driver's 12.5 Hz pair averaging)
and counted by the pedometer.

The data is split by person: the pedometer's constants were fitted on TUNED_ON's walks; the
others are held out. Each group gets its own table (per placement and rate: true, counted,
error %), its aggregate per rate and whether it meets the targets; every walk's counts are
listed too. The Espruino-style baseline (tools.bench.ref_pedometer) counts the 12.5 Hz reads.

The data set is not part of the repository (110 MB): `--oxford DIR` points at a clone.
"""

TUNED_ON = ("Carmelo", "Dario")  # cloudpin.pedometer's docstring says the same
TARGET_AGGREGATE_PCT = 2.0       # |error| of all of a group's walks at one rate
TARGET_PLACEMENT_PCT = 5.0       # |error| of one placement at one rate
# Foot switches sometimes bounce: two "steps" closer than this (a cadence over 4 steps per
# second while walking) are counted, as the data set's truth, but listed as implausible.
IMPLAUSIBLE_MS = 250


def _implausible(times):
    return sum(1 for i in range(1, len(times)) if times[i] - times[i - 1] < IMPLAUSIBLE_MS)


def _pct(counted, true):
    return round(100.0 * (counted - true) / true, 2) if true else None


def evaluate(root, rates, count, progress=None, reference_thresholds=()):
    """One row per walk: who, where, true steps and the count at each rate (and the
    baseline's at 12.5 Hz per threshold). count(recording) -> steps."""
    from host_sim.people import oxford, replay
    from tools.bench.ref_pedometer import ReferencePedometer

    def loaded(done, total, name):
        if progress:
            progress("oxford: read %d/%d walks (%s)" % (done, total, name))

    rows = []
    for w in oxford.load(root, progress=loaded):
        row = {"walk": w.name, "person": w.person, "phone": w.phone,
               "placement": w.placement, "surface": w.surface, "true": w.true_steps,
               "true_implausible": _implausible(w.step_times_ms),
               "counted": {}}
        for rate in rates:
            rec = replay.sensed(w, rate, w.duration_ms)
            row["counted"][str(rate)] = count(rec)
            if rate == 12.5 and reference_thresholds:
                row["reference_12_5hz"] = {
                    str(t): count(rec, lambda t=t: ReferencePedometer(t))
                    for t in reference_thresholds}
        rows.append(row)
    if progress:
        progress("oxford: counted %d walks at %s Hz" % (len(rows), ", ".join(map(str, rates))))
    return rows


def _cell(rows, rate):
    true = sum(r["true"] for r in rows)
    counted = sum(r["counted"][rate] for r in rows)
    return {"true": true, "counted": counted, "error_pct": _pct(counted, true)}


def _group(rows, rates):
    keys = [str(r) for r in rates]
    placements = sorted({r["placement"] for r in rows})
    by_placement = {p: {k: _cell([r for r in rows if r["placement"] == p], k) for k in keys}
                    for p in placements}
    by_rate = {k: _cell(rows, k) for k in keys}
    worst = None
    for r in rows:
        for k in keys:
            err = abs(_pct(r["counted"][k], r["true"]))
            if worst is None or err > worst["abs_error_pct"]:
                worst = {"abs_error_pct": err, "walk": r["walk"], "rate_hz": k,
                         "counted": r["counted"][k], "true": r["true"]}
    aggregate_met = all(abs(c["error_pct"]) <= TARGET_AGGREGATE_PCT for c in by_rate.values())
    placements_met = all(abs(c["error_pct"]) <= TARGET_PLACEMENT_PCT
                         for p in by_placement.values() for c in p.values())
    group = {"people": sorted({r["person"] for r in rows}), "walks": len(rows),
             "true_implausible": sum(r["true_implausible"] for r in rows),
             "by_rate": by_rate, "by_placement": by_placement, "worst_walk": worst,
             "targets": {"aggregate_abs_error_pct_max": TARGET_AGGREGATE_PCT,
                         "placement_abs_error_pct_max": TARGET_PLACEMENT_PCT,
                         "aggregate_met": aggregate_met, "placements_met": placements_met,
                         "met": aggregate_met and placements_met}}
    ref = [r["reference_12_5hz"] for r in rows if "reference_12_5hz" in r]
    if ref:
        true = sum(r["true"] for r in rows)
        group["reference_12_5hz_error_pct"] = {
            t: _pct(sum(x[t] for x in ref), true) for t in ref[0]}
    return group


def summarise(rows, rates, root):
    tuned = [r for r in rows if r["person"] in TUNED_ON]
    held = [r for r in rows if r["person"] not in TUNED_ON]
    out = {"data": "Oxford Step Counter data set (CC BY 4.0), optimisation/ at %s" % root,
           "rates_hz": list(rates),
           "split": {"tuned_on": sorted({r["person"] for r in tuned}),
                     "held_out": sorted({r["person"] for r in held}),
                     "how": "by person: the pedometer's constants were fitted on tuned_on's "
                            "walks only"},
           "walks": rows}
    if held:
        out["held_out"] = _group(held, rates)
    if tuned:
        out["tuned_on"] = _group(tuned, rates)
    return out


def print_table(real):
    rates = [str(r) for r in real["rates_hz"]]
    for key, title in (("held_out", "held-out people"), ("tuned_on", "people tuned on")):
        g = real.get(key)
        if not g:
            continue
        print("real walks, %s (%s), %d walks: error %% (true steps)"
              % (title, ", ".join(g["people"]), g["walks"]))
        print("  %-12s" % "placement" + "".join("%16s" % (r + " Hz") for r in rates))
        rows = list(g["by_placement"].items()) + [("all", g["by_rate"])]
        for name, cells in rows:
            print("  %-12s" % name + "".join(
                "%9s (%4d)" % ("%+.2f" % cells[r]["error_pct"], cells[r]["true"])
                for r in rates))
        t = g["targets"]
        print("  targets: all within %.0f %% at every rate: %s; every placement within "
              "%.0f %%: %s" % (t["aggregate_abs_error_pct_max"], t["aggregate_met"],
                               t["placement_abs_error_pct_max"], t["placements_met"]))
        print("  true steps under %d ms after the previous one (foot-switch bounce, counted "
              "as truth): %d" % (IMPLAUSIBLE_MS, g["true_implausible"]))
        w = g["worst_walk"]
        print("  worst walk: %s at %s Hz, %d of %d" % (w["walk"], w["rate_hz"], w["counted"],
                                                      w["true"]))
        ref = g.get("reference_12_5hz_error_pct")
        if ref:
            print("  Espruino-style baseline at 12.5 Hz: " + ", ".join(
                "%s mg %+.2f %%" % (t, e) for t, e in ref.items()))
