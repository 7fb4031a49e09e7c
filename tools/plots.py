"""PNG plots of what the simulator and the benches measured (matplotlib, no display needed).

    day(series, out_dir)                 cloudpin sim --plot / bench day --plot: steps per
                                         pin over the day, friendships over time, battery
                                         per pin, radio duty (series: tools.bench.day.DaySeries)
    tap_latency(latencies, out_dir)      bench tap --plot: the latency distribution
    steps_true_vs_counted(rows, out_dir) bench steps --plot: true vs counted per recording

Each returns the path(s) it wrote.
"""

import os

from tools.bench.report import UsageError


def check_dir(path):
    """Create the plot folder now, so a bad path fails before a long run, not after."""
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as exc:
        raise UsageError("--plot %s: cannot create the folder (%s)" % (path, exc.strerror))
    if not os.access(path, os.W_OK):
        raise UsageError("--plot %s: the folder is not writable" % path)
    return path


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")  # files only: no display, no GUI toolkit
    import matplotlib.pyplot as plt

    return plt


def _save(fig, out_dir, name):
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, name)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    _pyplot().close(fig)
    return path


def _hours_axis(ax, series):
    ax.set_xlabel("hours since the pins were switched on")
    ax.set_xlim(0, series.t_h[-1] if series.t_h else 1)
    if series.day_h is not None:
        ax.axvspan(series.day_h, series.t_h[-1] if series.t_h else series.day_h,
                   color="0.92", zorder=0, label="at home (night)")
    ax.grid(True, color="0.85", linewidth=0.6)


def _per_pin(ax, series, values, label_every=None):
    for i, name in enumerate(series.names):
        ax.plot(series.t_h, [row[i] for row in values], linewidth=1.0,
                label=name if len(series.names) <= 12 else None)
    if len(series.names) <= 12:
        ax.legend(fontsize=7, ncol=2, loc="best")


def day(series, out_dir):
    plt = _pyplot()
    written = []

    fig, ax = plt.subplots(figsize=(8, 4.5))
    _per_pin(ax, series, series.steps)
    _hours_axis(ax, series)
    ax.set_ylabel("steps counted by the pin")
    ax.set_title("Steps per pin over the day (%d pins)" % len(series.names))
    written.append(_save(fig, out_dir, "steps_per_pin.png"))

    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.step(series.t_h, series.taps_planned, where="post", color="0.5", linestyle="--",
            label="taps made by people")
    ax.step(series.t_h, series.friendships_both, where="post", color="C0", linewidth=2,
            label="friendships on both pins")
    ax.step(series.t_h, series.friendships_one, where="post", color="C1",
            label="friendships on one pin only")
    _hours_axis(ax, series)
    ax.set_ylabel("count")
    ax.set_title("Friendships over time")
    ax.legend(loc="upper left")
    written.append(_save(fig, out_dir, "friendships_over_time.png"))

    fig, ax = plt.subplots(figsize=(8, 4.5))
    _per_pin(ax, series, [[100.0 * (1 - mah / series.capacity_mah) for mah in row]
                          for row in series.mah])
    _hours_axis(ax, series)
    ax.set_ylabel("battery left (%% of %d mAh)" % series.capacity_mah)
    ax.set_title("Battery per pin")
    written.append(_save(fig, out_dir, "battery_per_pin.png"))

    fig, ax = plt.subplots(figsize=(8, 4.5))
    duty = series.radio_duty()
    _per_pin(ax, series, [[100.0 * d for d in row] for row in duty])
    _hours_axis(ax, series)
    ax.set_ylabel("radio listening (% of the time)")
    ax.set_ylim(bottom=0)
    ax.set_title("Radio duty per pin (share of each interval spent scanning)")
    written.append(_save(fig, out_dir, "radio_duty.png"))
    return written


def tap_latency(latencies, out_dir, p50=None, p95=None, targets=(1.5, 3.0)):
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4.2))
    if latencies:
        top = max(max(latencies), targets[1]) * 1.05
        bins = [top * i / 40 for i in range(41)]
        ax.hist(latencies, bins=bins, color="C0", edgecolor="white")
    for value, name, colour in ((p50, "median", "C3"), (p95, "95th percentile", "C1")):
        if value is not None:
            ax.axvline(value, color=colour, linewidth=1.6, label="%s %.2f s" % (name, value))
    for target, name, style in zip(targets, ("median", "95th percentile"), ("--", ":"),
                                   strict=True):
        ax.axvline(target, color="0.35", linestyle=style, linewidth=1.2,
                   label="target for the %s: %.1f s" % (name, target))
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize=8, loc="upper right")
    ax.set_xlabel("tap latency: pins at 30 cm to the friendship on both pins (virtual s)")
    ax.set_ylabel("taps")
    ax.set_title("Tap latency (%d confirmed taps)" % len(latencies))
    ax.grid(True, axis="y", color="0.85", linewidth=0.6)
    return _save(fig, out_dir, "tap_latency.png")


def steps_true_vs_counted(rows, out_dir, tolerance_pct=3.0):
    plt = _pyplot()
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.8),
                                 gridspec_kw={"width_ratios": [3, 2]})
    walking = [r for r in rows if r["walking"]]
    kinds = sorted({r["kind"] for r in walking})
    top = max([r["true"] for r in walking] + [r["counted"] for r in walking] + [1]) * 1.05
    ax.fill_between([0, top], [0, top * (1 - tolerance_pct / 100)],
                    [0, top * (1 + tolerance_pct / 100)], color="C2", alpha=0.15,
                    label="within %g %%" % tolerance_pct)
    ax.plot([0, top], [0, top], color="0.4", linewidth=0.8)
    for i, kind in enumerate(kinds):
        mine = [r for r in walking if r["kind"] == kind]
        ax.scatter([r["true"] for r in mine], [r["counted"] for r in mine], s=14,
                   color="C%d" % i, label=kind, alpha=0.8)
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.set_xlabel("true steps in the recording")
    ax.set_ylabel("steps the pedometer counted")
    ax.set_title("Walking: counted vs true (%d renders: recordings x rates)" % len(walking))
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(True, color="0.85", linewidth=0.6)

    other = [r for r in rows if not r["walking"]]
    kinds = sorted({r["kind"] for r in other})
    per_min = [sum(r["counted"] for r in other if r["kind"] == k)
               / max(1e-9, sum(r["minutes"] for r in other if r["kind"] == k)) for k in kinds]
    bars = bx.barh(kinds, per_min, color="C1")
    bx.bar_label(bars, labels=["%.2f" % v for v in per_min], padding=3, fontsize=8)
    bx.axvline(1.0, color="0.4", linestyle="--", linewidth=1)
    bx.set_xlabel("false steps per minute (target <= 1)")
    bx.set_title("Not walking: false steps")
    bx.grid(True, axis="x", color="0.85", linewidth=0.6)
    return _save(fig, out_dir, "steps_true_vs_counted.png")
