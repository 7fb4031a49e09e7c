"""`cloudpin bench heap`: boot the whole firmware app on the MicroPython unix port with fake
hardware and print its heap figures (one JSON object). app_heap_bytes is the pin's share:
the peak while running less the heap the imports took (on the pin, frozen in flash).

Firmware is imported from .mpy files compiled by mpy-cross, as frozen on the pin (compiling
.py on the fly costs heap the pin never spends); --from-source measures that case too."""

import json
import os
import tempfile

from host_sim.paths import REPO_ROOT
from host_sim.unixport import mpunix
from tools.bench.report import (
    Check,
    Progress,
    TaskError,
    UsageError,
    parse_heapsize,
    print_result,
    unix_port_failure,
)


def add_arguments(parser):
    parser.add_argument("--heapsize", default="512K",
                        help="the unix port's heap (default 512K: the unix port holds in RAM "
                             "the bytecode, fonts and designs the pin keeps in flash)")
    parser.add_argument("--duration-ms", type=int, default=3000, help="how long the app runs")
    parser.add_argument("--from-source", action="store_true",
                        help="import firmware as .py (compiled on the heap) instead of .mpy")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")


def measure(heapsize="512K", duration_ms=3000, frozen=True):
    with tempfile.TemporaryDirectory(prefix="cloudpin-heap-") as root:
        out = mpunix.run(script=os.path.join(REPO_ROOT, "host_sim", "unixport", "app_boot.py"),
                         heapsize=heapsize, args=[str(duration_ms), root], frozen=frozen)
    figures = json.loads(out.strip().splitlines()[-1])
    figures["heapsize"] = heapsize
    figures["firmware"] = "mpy" if frozen else "py"
    return figures


def run(args):
    if args.duration_ms < 1:
        raise UsageError("--duration-ms must be at least 1")
    heapsize, _ = parse_heapsize(args.heapsize, "--heapsize")
    progress = Progress("cloudpin bench heap", [("the app on the unix port", 1)],
                        quiet=args.quiet)
    progress.phase("the app on the unix port")
    try:
        figures = measure(heapsize, args.duration_ms, frozen=not args.from_source)
    except mpunix.MicroPythonError as exc:
        raise unix_port_failure(exc, heapsize) from None
    except mpunix.MicroPythonNotFound as exc:
        raise TaskError(str(exc)) from None
    progress.done()
    print_result(figures, args.json, checks=checks(figures))
    return 0


# What a stock ESP32 leaves the app with BLE running (project budget), less a margin.
TARGET_APP_HEAP_BYTES = 64 * 1024


def checks(figures):
    value = figures.get("app_heap_bytes")
    return [Check("app heap (peak, less imports)", value, "<=", TARGET_APP_HEAP_BYTES, "B")] \
        if value is not None else []
