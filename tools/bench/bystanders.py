"""`cloudpin bench bystanders`: false friendships among bystanders, over many hours, on all cores.

    cloudpin bench bystanders --hours 3000 --seed 1 --jobs 2 --json

The target is at most 0.001 false friendships per bystander-hour, and showing a rate that low
takes thousands of hours: with none seen in T hours the rate is under 3/T (95 %). This runs
the bystander rooms of `cloudpin bench tap` (pairs talking 0.8-3 m apart, their pins worn and
feeling it: gestures, pick-ups) in independent chunks of --chunk-hours, chunk k with seed
S + CHUNK_SEED_STEP * k: a figure does not depend on --jobs, and a 10 h chunk with seed X is
the bystander room of `bench tap --seed X` (10 h by default), to trace with the tools there.
Chunks run in --jobs processes; progress goes to stderr. The JSON names the chunks that made
false friendships, to trace them one by one. Interrupted (Ctrl-C), it prints the figures of the
rooms that finished, with "interrupted": true, and exits 130.
"""

import math
import os
import time

from tools.bench.report import EXIT_INTERRUPTED, Check, Progress, UsageError, print_result
from tools.bench.report import fail as report_fail

CHUNK_SEED_STEP = 104729  # the 10,000th prime: runs with seeds closer than this share no chunk


def add_arguments(parser):
    parser.add_argument("--hours", type=float, default=100.0,
                        help="bystander person-hours in all (default 100)")
    parser.add_argument("--seed", type=int, default=1, help="same seed, same rooms (default 1)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="processes (default: one per core, %d here)" % _cores())
    parser.add_argument("--chunk-hours", type=float, default=10.0,
                        help="person-hours per independent room (default 10)")
    parser.add_argument("--handling-per-hour", type=float, default=None,
                        help="pick-ups per hour by people standing (default: bench tap's)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")


def _cores():
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def chunk_seed(seed, k):
    return seed + CHUNK_SEED_STEP * k


def _ignore_sigint():
    # Ctrl-C reaches every process of the terminal's group: the parent alone handles it
    # (keeps the finished rooms, terminates the workers), so workers print no tracebacks
    # (but one caught starting up, before this runs).
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _chunk(job):
    """One chunk, in a worker process: (k, seed, hours, handling) -> (k, result)."""
    k, seed, hours, handling = job
    import host_sim  # noqa: F401  (puts firmware/ on the path)
    from host_sim import runtime

    runtime.install()
    from tools.bench import tap as bench_tap

    return k, bench_tap.bench_bystanders(hours, seed, {}, {}, quiet=True, feel=True,
                                         handling_per_hour=handling)


def _first_sigint_only():
    """Ctrl-C raises KeyboardInterrupt once; later ones are ignored until _restore_sigint.
    `timeout -s INT` signals the process and then its whole group, so the parent gets two:
    the second must not interrupt the clean-up that keeps the finished rooms' figures."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None
    seen = []

    def on_sigint(signum, frame):
        seen.append(signum)
        if len(seen) == 1:
            raise KeyboardInterrupt

    return signal.signal(signal.SIGINT, on_sigint)


def _restore_sigint(previous):
    import signal

    if previous is not None:
        signal.signal(signal.SIGINT, previous)


def measure(hours, seed, jobs, chunk_hours=10.0, handling_per_hour=None, progress=None):
    """Run the chunks; returns the summed figures. progress(done, total, false, elapsed_s)
    after each chunk, if given."""
    from multiprocessing import get_context

    from tools.bench import tap as bench_tap

    n = max(1, int(math.ceil(hours / chunk_hours - 1e-9)))
    work = [(k, chunk_seed(seed, k), min(chunk_hours, hours - k * chunk_hours),
             handling_per_hour) for k in range(n)]
    results = {}
    interrupted = False
    started = time.perf_counter()
    previous = _first_sigint_only()
    # spawn, not fork: each worker installs the simulated runtime into a fresh interpreter.
    # Leaving the with block terminates the workers: Ctrl-C does not wait for a room to end.
    # A fresh worker per room returns its memory (a reused worker was seen at 1.7 GB RSS).
    with get_context("spawn").Pool(min(jobs, n), initializer=_ignore_sigint,
                                   maxtasksperchild=1) as pool:
        try:
            for k, res in pool.imap_unordered(_chunk, work):
                results[k] = res
                if progress is not None:
                    progress(len(results), n, sum(r["false_friends_bystanders"]
                                                  for r in results.values()),
                             time.perf_counter() - started)
        except KeyboardInterrupt:
            # Hours of finished rooms are worth keeping: they make a figure of their own.
            if not results:
                _restore_sigint(previous)
                raise
            interrupted = True
    _restore_sigint(previous)
    person_hours = sum(r["bystander_hours"] for r in results.values())
    false = sum(r["false_friends_bystanders"] for r in results.values())

    def mean(key):  # over the person-hours
        return sum(r[key] * r["bystander_hours"] for r in results.values()) / person_hours

    return {
        "seed": seed,
        "chunks": n,
        "chunks_done": len(results),
        "interrupted": interrupted,
        "chunk_hours": chunk_hours,
        "bystander_hours": round(person_hours, 3),
        "false_friends_bystanders": false,
        "false_friends_per_bystander_hour": false / person_hours,
        "false_friends_per_bystander_hour_95_upper": bench_tap.poisson_upper(false) / person_hours,
        "bystander_tap_confirmations": sum(r["bystander_tap_confirmations"]
                                           for r in results.values()),
        "bystander_pickups_per_hour": round(mean("bystander_pickups_per_hour"), 3),
        "radio_duty_cycle": round(mean("radio_duty_cycle"), 4),
        "adverts_per_s_per_pin": round(mean("adverts_per_s_per_pin"), 3),
        "handling_per_hour": next(iter(results.values()))["handling_per_hour"],
        "chunks_with_false_friends": [
            {"chunk": k, "seed": work[k][1], "hours": work[k][2],
             "false_friends": results[k]["false_friends_bystanders"]}
            for k in sorted(results) if results[k]["false_friends_bystanders"]],
        "target": "<= 0.001",
        "jobs": min(jobs, n),
        "wall_s": round(time.perf_counter() - started, 1),
    }


def checks(result):
    return [Check("false friends per bystander-hour", result["false_friends_per_bystander_hour"],
                  "<=", 0.001, "/h"),
            Check("false friends per bystander-hour, 95 % upper bound",
                  result["false_friends_per_bystander_hour_95_upper"], "<=", 0.001, "/h")]


def run(args):
    def fail(msg):
        raise UsageError(msg)

    if not args.hours > 0:
        return fail("--hours must be positive")
    if not args.chunk_hours > 0:
        return fail("--chunk-hours must be positive")
    if args.jobs is not None and args.jobs < 1:
        return fail("--jobs must be at least 1")
    if args.handling_per_hour is not None and args.handling_per_hour < 0:
        return fail("--handling-per-hour must not be negative")
    if args.hours / args.chunk_hours > 100000:
        return fail("--hours / --chunk-hours makes too many chunks (at most 100000)")
    progress = Progress("cloudpin bench bystanders", [("rooms", 1)], quiet=args.quiet)
    update = progress.phase("rooms")

    def report(done, total, false, elapsed_s):
        update(done, total, "%d/%d rooms, %d false friendships" % (done, total, false))

    try:
        result = measure(args.hours, args.seed, args.jobs or _cores(), args.chunk_hours,
                         args.handling_per_hour, report)
    except KeyboardInterrupt:
        return report_fail("cloudpin bench bystanders", "interrupted before any room "
                           "finished; no figures", args.json, EXIT_INTERRUPTED)
    if result["interrupted"]:
        result["error"] = ("interrupted; the figures are for the %d of %d rooms that finished "
                           "(%.4g h)" % (result["chunks_done"], result["chunks"],
                                         result["bystander_hours"]))
        progress.note(result["error"])
    else:
        progress.done()
    print_result(result, args.json, checks=checks(result), ok=not result["interrupted"])
    return EXIT_INTERRUPTED if result["interrupted"] else 0
