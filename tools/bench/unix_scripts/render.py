# Run on the MicroPython unix port by tools/bench/render.py: render time and heap per layout,
# QR encoding, rotation + send cost of a refresh. Prints one JSON object.
import gc
import json
import sys
import time

REPEAT = 5

gc.collect()
heap0 = gc.mem_alloc()
import micropython_qr  # noqa: E402,F401  (imported here so the QR figures are the encoder's own)
from cloudpin import layouts, qr  # noqa: E402
from cloudpin.canvas import Canvas  # noqa: E402
from cloudpin.drivers import epd_ssd168x  # noqa: E402

from host_sim.eink import samples as eink_samples  # noqa: E402

gc.collect()
result = {"import_heap_bytes": gc.mem_alloc() - heap0, "layouts": {}, "send_ms": {}}


def measure(fn, *args):
    """(best ms, bytes allocated during one call with the GC off, bytes still held after)."""
    best = None
    alloc = kept = 0
    for _ in range(REPEAT):
        gc.collect()
        before = gc.mem_alloc()
        gc.disable()
        t = time.ticks_us()
        fn(*args)
        dt = time.ticks_diff(time.ticks_us(), t)
        alloc = gc.mem_alloc() - before
        gc.enable()
        gc.collect()
        kept = gc.mem_alloc() - before
        best = dt if best is None or dt < best else best
    return best / 1000, alloc, kept


class NullSPI:
    # machine.SPI.write allocates nothing; FakeSPI copies every buffer for its devices,
    # which would be counted against the driver
    def write(self, buf):
        pass


class NullPin:
    # likewise for machine.Pin: FakePin notifies listeners, which allocates iterators
    def __call__(self, v=None):
        return 0

    value = __call__


# QR: first encode of a link (cold cache), then a cached lookup
cache = qr.QRCache()
gc.collect()
before = gc.mem_alloc()
gc.disable()
t = time.ticks_us()
cache.matrix(eink_samples.PROFILE["link"])
qr_ms = time.ticks_diff(time.ticks_us(), t) / 1000
qr_alloc = gc.mem_alloc() - before
gc.enable()
gc.collect()
result["qr"] = {"encode_ms": qr_ms, "encode_garbage_bytes": qr_alloc,
                "cached_bytes": gc.mem_alloc() - before, "modules": cache.size,
                "cached_lookup_ms": measure(cache.matrix, eink_samples.PROFILE["link"])[0]}

for panel, controller, width, height, rotation in eink_samples.PANELS:
    w, h = (width, height) if rotation in (90, 270) else (height, width)
    fb = Canvas(w, h)
    per = {"framebuffer_bytes": len(fb.buffer)}
    for name, draw in eink_samples.screens(layouts, cache):
        if name.startswith("tag_"):
            continue  # the variants cost the same; keep the table short
        # first call fills the one-time palettes; the QR is cached for the sample profile
        draw(fb)
        ms, alloc, kept = measure(draw, fb)
        per[name] = {"ms": ms, "alloc_bytes": alloc, "retained_bytes": kept}
    result["layouts"][panel] = per
    # a full refresh's CPU side: rotate the frame buffer into native rows and send them
    pin = NullPin()
    epd = epd_ssd168x.CONTROLLERS[controller](NullSPI(), pin, pin, pin, pin, width, height,
                                              rotation)
    full = (0, epd._row_bytes - 1, 0, epd.native_h - 1)
    ms, alloc, kept = measure(epd._write_plane, 0x24, *full)
    result["send_ms"][panel] = {"ms": ms, "alloc_bytes": alloc, "rotation": rotation}

result["runtime"] = "%s %s" % (sys.implementation.name, sys.platform)
print(json.dumps(result))
