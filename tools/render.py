"""`cloudpin render --out DIR`: a PNG of every layout on every panel size.

Each screen goes the whole way a real one does: the layout draws into the panel driver's
frame buffer, the driver sends it over the fake SPI to the emulated controller (full
refresh, on virtual time), and the PNG is what the emulated glass shows, as worn.
Files: DIR/<panel>-<layout>.png (panel: 2in13, 2in9, 1in54).
"""

import os
import sys


def add_arguments(parser):
    parser.add_argument("--out", required=True, help="folder for the PNGs (created)")
    parser.add_argument("--scale", type=int, default=1, choices=(1, 2, 3, 4),
                        help="pixel size in the PNG (default 1: the panel's own pixels)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def render_all(out_dir, scale=1, progress=None):
    from host_sim.eink.png import emulator_png
    from host_sim.runtime.scheduler import Simulation

    sim = Simulation()
    try:
        from cloudpin import layouts, qr
        from cloudpin.drivers import epd as epd_drivers
        from cloudpin.drivers import epd_ssd168x

        from host_sim.eink import samples as eink_samples
        from host_sim.fakes.board import sim_board
        from host_sim.fakes.epd import attach_to_board

        os.makedirs(out_dir, exist_ok=True)
        written = []
        for panel, controller, width, height, rotation in eink_samples.PANELS:
            board = sim_board(panel, {"id": panel, "panel": {
                "controller": controller, "width": width, "height": height,
                "rotation": rotation}})
            emu = attach_to_board(board)
            epd = epd_drivers.from_board(board)
            cache = qr.QRCache()
            for name, draw in eink_samples.screens(layouts, cache):
                draw(epd)
                sim.run_until_complete(epd.show(epd_ssd168x.FULL))
                path = os.path.join(out_dir, "%s-%s.png" % (panel, name))
                emulator_png(emu, path, rotation, scale)
                written.append(path)
                if progress:
                    progress(path)
        return written
    finally:
        sim.close()


def run(args):
    from tools.bench.report import fail, print_result

    def progress(path):
        print("render: %s" % path, file=sys.stderr, flush=True)

    try:
        written = render_all(args.out, args.scale, progress)
    except OSError as exc:
        return fail("cloudpin render", "cannot write to %s: %s" % (args.out, exc.strerror or exc),
                    args.json)
    print_result({"out": args.out, "files": written}, args.json,
                 lambda r: print("render: %d PNGs in %s" % (len(r["files"]), r["out"])))
    return 0
