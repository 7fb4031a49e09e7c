# The medal mark on the tag and the locked-design screen on every panel, both runtimes:
# prints what the pytest side checks (ink counts in boxes, where the mark sits).
from cloudpin import layouts, qr
from cloudpin.canvas import Canvas

from host_sim.eink import samples as eink_samples


def ink(fb, x, y, w, h):
    n = 0
    for j in range(y, y + h):
        for i in range(x, x + w):
            if fb.pixel(i, j) == 0:
                n += 1
    return n


def signature(fb, x, y, w, h):
    s = 0
    for j in range(y, y + h):
        for i in range(x, x + w):
            s = (s * 31 + (fb.pixel(i, j) == 0) * (i - x + 1) * (j - y + 1)) % 1000003
    return s


cache = qr.QRCache()
for panel, _, width, height, rotation in eink_samples.PANELS:
    w, h = (width, height) if rotation in (90, 270) else (height, width)
    fb = Canvas(w, h)
    for medal in (0, 1, 2):
        status = dict(eink_samples.STATUS, medal=medal)
        screen = layouts.name_tag(fb, eink_samples.PROFILE, status, cache)
        (x, y, mw, mh), value = screen.regions["medal"]
        steps = screen.regions["steps"][0]
        print(panel, "medal", medal, "value", value, "box", x, y, mw, mh,
              "ink", ink(fb, x, y, mw, mh), "sig", signature(fb, x, y, mw, mh),
              "steps_x", steps[0], "design_right", 2 + 48, "bottom", y + mh <= h)
    # the locked screen: band, errand, progress bar
    for progress in ((0, 25), (17, 25), (25, 25), None):
        screen = layouts.locked(fb, 5, "Make 25 friends", progress)
        band_x = 0 if h >= 160 else 108
        print(panel, "locked", screen.kind, progress, "band_ink",
              ink(fb, band_x, 0, w - band_x, 22) * 100 // ((w - band_x) * 22),
              "bar_ink", ink(fb, 0, h - 15, w, 15), "all_ink", ink(fb, 0, 0, w, h))
    blank = ink(fb, 0, 0, w, h)
    layouts.locked(fb, 5, "", None)
    print(panel, "errand_ink", blank - ink(fb, 0, 0, w, h))
    screen = layouts.unlock(fb, 33, "Make 3 friends")
    print(panel, "padlock_unlock draws", screen.kind)
    screen = layouts.unlock(fb, 5, "25 friends made")
    band_x = 0 if h >= 160 else 108
    print(panel, "unlock", screen.kind, "band_ink",
          ink(fb, band_x, 0, w - band_x, 22) * 100 // ((w - band_x) * 22))
