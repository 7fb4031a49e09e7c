# Every layout on every panel size, on a plain MONO_HLSB FrameBuffer: prints each frame
# buffer as hex plus the screen's regions. Run on CPython and on the unix port: the output
# must be identical byte for byte (tests/test_eink_layouts.py).
from cloudpin import layouts, qr
from cloudpin.canvas import Canvas

from host_sim.eink import samples as eink_samples

cache = qr.QRCache()
for panel, _, width, height, rotation in eink_samples.PANELS:
    w, h = (width, height) if rotation in (90, 270) else (height, width)
    fb = Canvas(w, h)
    buf = fb.buffer
    for name, draw in eink_samples.screens(layouts, cache):
        screen = draw(fb)
        regions = sorted((k, screen.regions[k][0]) for k in screen.regions)
        print(panel, name, screen.kind, regions)
        print("".join("%02x" % b for b in buf))
print("qr encodes", cache.computed)
