# Boot the firmware app on the MicroPython unix port with fake hardware and print one JSON
# line of heap figures. Run by `cloudpin bench heap` and the tests, as
#   micropython -X heapsize=96K host_sim/unix_boot.py [duration_ms]
# (MICROPYPATH=firmware:<repo>:.frozen). Common subset only: this runs on MicroPython.
import gc
import json
import sys

import micropython

gc.collect()
base_alloc = gc.mem_alloc()

import asyncio  # noqa: E402

from cloudpin.app import App  # noqa: E402

from host_sim.fakes.board import sim_board  # noqa: E402

duration_ms = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
app = App(sim_board("unix", storage_root="/tmp/cloudpin-unix-boot", log=lambda *a: None))
gc.collect()
after_import = gc.mem_alloc()
asyncio.run(app.run(duration_ms=duration_ms))
gc.collect()
print(json.dumps({
    "heap_total": gc.mem_alloc() + gc.mem_free(),
    "heap_used_at_start": base_alloc,
    "heap_used_after_imports": after_import,
    "heap_used_peak_sampled": app.stats.heap_peak,
    "heap_used_after_run": gc.mem_alloc(),
    "heap_bytes_allocated_peak": micropython.mem_peak() if hasattr(micropython, "mem_peak") else None,
    "heartbeats": app.stats.heartbeats,
    "uptime_ms": app.stats.uptime_ms,
}))
