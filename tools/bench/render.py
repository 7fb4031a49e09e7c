"""`cloudpin bench render`: e-ink rendering cost on the MicroPython unix port.

Runs tools/bench/unix_scripts/render.py on the unix port and reports, per panel and layout, the
render time and the heap it allocates beyond the frame buffer (GC off during the call, so
garbage counts too), the QR encoder's time and garbage, and the CPU side of a full refresh
(rotating the frame buffer into the panel's RAM rows and writing them to a null SPI).
Times are x86-64 unix-port times: an ESP32 at 240 MHz runs the same bytecode tens of times
slower. Fonts, designs and the QR encoder are frozen on the pin; on the unix port they are
compiled into the heap (import_heap_bytes), hence --heap.
"""

import json
import sys

from tools.bench.report import Progress, TaskError, parse_heapsize, print_result, unix_port_failure


def add_arguments(parser):
    parser.add_argument("--heap", default="2M", help="unix port heap size (default 2M)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")


def measure(heap="2M"):
    from host_sim.unixport import deps, mpunix

    out = mpunix.run(script=_script(), heapsize=heap, extra_path=(deps.deps_dir(),),
                     timeout=300)
    return json.loads(out.strip().splitlines()[-1])


# Peak live heap of a QR encode: after the imports, a ballast leaves only FREE bytes of heap;
# the smallest FREE in which the encode still succeeds is its peak (garbage is collected as
# it goes). Bisection over runs of the unix port.
_QR_PEAK = """import gc
import micropython_qr
from cloudpin import qr
gc.collect()
free = %d
ballast = [None] * 1100
i = 0
while gc.mem_free() > free + 1024:
    ballast[i] = bytearray(512)
    i += 1
qr.QRCache().matrix(%r)
"""


def qr_peak_bytes(link, lo=256, hi=192 * 1024):
    from host_sim.unixport import deps, mpunix

    path = (deps.deps_dir(),)
    while hi - lo > 256:
        mid = (lo + hi) // 2
        try:
            mpunix.run(code=_QR_PEAK % (mid, link), heapsize="512K", extra_path=path,
                       timeout=60)
            hi = mid
        except mpunix.MicroPythonError as exc:
            if "MemoryError" not in exc.stderr + exc.stdout:
                raise
            lo = mid
    return hi


# Panel pixel pitch (mm): active area / pixels, from the panels' data sheets.
PITCH_MM = {"2in13": 48.55 / 250, "2in9": 66.89 / 296, "1in54": 27.6 / 200}
NAMES = ("Jo Wu", "Maria Fernández", "Christopher Johnson", "Anna-Katharina Schmidt",
         "Aleksandra Wiśniewska-Kowalczyk", "Anna-Katharina Szczepańska-Løvholt Ödön")


def name_legibility():
    """For sample names, the font the tag picks on each panel and its capital height in mm
    and in arc minutes at 1 m (20/20 acuity resolves letters of 5'; reading is comfortable
    from about 3 times that)."""
    import math

    from host_sim import runtime

    runtime.install()
    from cloudpin import layouts, writer

    from host_sim.eink import samples as eink_samples

    out = {}
    for panel, _, width, height, rotation in eink_samples.PANELS:
        w, h = (width, height) if rotation in (90, 270) else (height, width)
        rows = {}
        for name in NAMES:
            font, lines = layouts.fit_name(w, h, writer.fold(name))
            cap = _cap_height(font)
            mm = cap * PITCH_MM[panel]
            rows[name] = {"font_px": font.height(), "lines": len(lines),
                          "ellipsised": lines[-1].endswith(writer.ELLIPSIS),
                          "cap_mm": round(mm, 2),
                          "arcmin_at_1m": round(math.degrees(math.atan(mm / 1000)) * 60, 1)}
        out[panel] = rows
    return out


def _cap_height(font):
    """Rows of ink in the capital H."""
    from cloudpin import writer

    off = writer._offset(font, ord("H"))
    data = font._font
    w = data[off] | (data[off + 1] << 8)
    gb = (w + 7) >> 3
    rows = 0
    for r in range(font.height()):
        start = off + 2 + r * gb
        if any(data[start:start + gb]):
            rows += 1
    return rows


def _script():
    import os

    from host_sim.paths import REPO_ROOT

    return os.path.join(REPO_ROOT, "tools", "bench", "unix_scripts", "render.py")


def run(args):
    from host_sim.unixport import mpunix

    heap, _ = parse_heapsize(args.heap, "--heap")
    progress = Progress("cloudpin bench render", [("render on the unix port", 3),
                                                  ("QR peak heap", 2), ("name legibility", 1)],
                        quiet=args.quiet)
    try:
        progress.phase("render on the unix port")
        result = measure(heap)
        from host_sim.eink import samples as eink_samples

        progress.phase("QR peak heap")
        result["qr"]["peak_live_bytes"] = qr_peak_bytes(eink_samples.PROFILE["link"])
        progress.phase("name legibility")
        result["name_legibility"] = name_legibility()
    except mpunix.MicroPythonError as exc:
        raise unix_port_failure(exc, heap, "--heap", "2M") from None
    except mpunix.MicroPythonNotFound as exc:
        raise TaskError(str(exc)) from None
    progress.done()
    print_result(result, args.json, _print_table)
    return 0


def _print_table(result):
    q = result["qr"]
    print("QR (%d modules): encode %.1f ms, %d B garbage, peak live %d B, %d B kept; "
          "cached lookup %.3f ms" % (q["modules"], q["encode_ms"], q["encode_garbage_bytes"],
                                     q["peak_live_bytes"], q["cached_bytes"],
                                     q["cached_lookup_ms"]))
    for panel, per in result["layouts"].items():
        print("%s (frame buffer %d B)" % (panel, per["framebuffer_bytes"]))
        for name, m in per.items():
            if isinstance(m, dict):
                print("  %-14s %7.2f ms  %6d B allocated  %d B kept"
                      % (name, m["ms"], m["alloc_bytes"], m["retained_bytes"]))
        s = result["send_ms"][panel]
        print("  %-14s %7.2f ms  %6d B allocated  (rotation %d)"
              % ("send frame", s["ms"], s["alloc_bytes"], s["rotation"]))
    print("imports (fonts, designs, layouts, driver) on the unix heap: %d B"
          % result["import_heap_bytes"])
    print("name on the tag: font px / lines / capital height mm / arcmin at 1 m")
    for panel, rows in result["name_legibility"].items():
        for name, r in rows.items():
            print("  %-6s %-42s %2d px %d line(s) %4.1f mm %4.1f'%s" % (
                panel, name, r["font_px"], r["lines"], r["cap_mm"], r["arcmin_at_1m"],
                " (ellipsised)" if r["ellipsised"] else ""))


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(prog="bench_render", description=(__doc__ or "").splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
