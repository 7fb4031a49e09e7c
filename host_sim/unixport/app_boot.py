# Boot the whole firmware app on the MicroPython unix port with fake hardware (an emulated
# panel, an emulated LIS3DH replaying a recorded walk, buttons, a battery divider) and print
# one JSON line of heap figures. Run by `cloudpin bench heap` and the tests, as
#   micropython -X heapsize=... host_sim/unixport/app_boot.py [duration_ms [storage_root]]
# from the repository root (MICROPYPATH=firmware:<repo>:.frozen). Common subset only.
#
# On the pin the firmware is frozen: bytecode and fonts stay in flash (sport designs are a
# file there and here, read one at a time). On the unix port every import lands in RAM
# (here about 240 KB), so the figure that stands for the pin is "app_heap_bytes": the live
# peak while the app runs, less the heap used once every module is imported and the fakes
# are built. "heap_used_after_imports" is reported too.
import gc
import json
import sys

gc.collect()
base_alloc = gc.mem_alloc()

import asyncio  # noqa: E402

from cloudpin.app import App  # noqa: E402

from host_sim.fakes import epd as fake_epd  # noqa: E402
from host_sim.fakes import lis3dh as fake_lis3dh  # noqa: E402
from host_sim.fakes.board import sim_board  # noqa: E402
from host_sim.people import replay  # noqa: E402
from host_sim.radio import bluetooth as fake_ble  # noqa: E402

# Everything the services import, before anything runs.
for name in ("cloudpin.steps", "cloudpin.display", "cloudpin.drivers.epd",
             "cloudpin.drivers.epd_ssd168x", "cloudpin.buttons", "cloudpin.battery",
             "cloudpin.layouts", "cloudpin.qr"):
    __import__(name)
fake_ble.install()
__import__("cloudpin.radio")
gc.collect()
after_imports = gc.mem_alloc()

duration_ms = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
root = sys.argv[2] if len(sys.argv) > 2 else "/tmp/cloudpin-unix-boot"
board = sim_board("unix", storage_root=root, log=lambda *a: None, ble=fake_ble.BLE())
fake_epd.attach_to_board(board)
walk = replay.load_csv("tests/data/steps_lanyard_walk_25hz.csv")
chip = fake_lis3dh.attach(board, walk)
gc.collect()
world = gc.mem_alloc()  # imports plus the fakes and the recording: not the pin's
app = App(board, measure_heap=True)
app.boot()
gc.collect()
after_boot = gc.mem_alloc()


async def main():
    ticker = asyncio.create_task(chip.run())
    await app.run(duration_ms=duration_ms)
    ticker.cancel()


asyncio.run(main())
gc.collect()
peak = app.stats.heap_peak
print(json.dumps({
    "heap_total": gc.mem_alloc() + gc.mem_free(),
    "heap_used_at_start": base_alloc,
    "heap_used_after_imports": after_imports,
    "heap_used_after_boot": after_boot,
    "heap_used_peak_sampled": peak,
    "fakes_bytes": world - after_imports,
    "app_heap_bytes": peak - world,
    "heartbeats": app.stats.heartbeats,
    "uptime_ms": app.stats.uptime_ms,
    "steps_counted": app.steps.pedometer.steps if app.steps is not None else None,
    "display_refreshes": app.display.refreshes if app.display is not None else None,
    "display_drawn": app.display is not None and app.display.screen is not None,
    "radio_adverts_set": app.radio.stats.rotations if app.radio is not None else None,
}))
