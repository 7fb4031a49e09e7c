# ruff: noqa: F821  (gc, time, json and the verdict helpers come from _prelude.py)
# Heap after boot: import the app, build the Board, collect; what is left for services.
# An ESP32 with BLE on has about 100 KB of heap; the services need room beyond the boot.
MIN_FREE = 30000

from cloudpin import app as _app  # noqa: E402

gc.collect()
before = gc.mem_free()
board = load_board()
application = _app.App(board)
gc.collect()
free = gc.mem_free()
alloc = gc.mem_alloc()
data({"heap_free": free, "heap_alloc": alloc, "heap_board_and_app": before - free})
if free < MIN_FREE:
    failed("only %d bytes free after boot (< %d)" % (free, MIN_FREE))
else:
    passed("%d bytes free, %d allocated after boot" % (free, alloc))
