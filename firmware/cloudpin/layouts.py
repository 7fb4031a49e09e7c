"""What the pin shows: the name tag and the short-lived screens (new friend, unlock, pairing).

Each layout draws a whole screen on any MONO_HLSB frame buffer (the panel driver, or a plain
FrameBuffer in tests and previews) of the three panel shapes: 250x122 and 296x128 landscape,
200x200 square. Everything is placed from fb width/height, and every text is fitted or
ellipsised into its box, so nothing overflows whatever the profile says.

A layout returns a Screen: its `key` (changes when anything but the counters changes: the
refresh policy then does a full refresh) and `regions`, name -> ((x, y, w, h), value), for
the parts that change often (steps, friends, battery, BLE): the policy refreshes just those
with a partial update.

profile: dict with name, org, role, link (contact URL for the QR), sport (design index).
status: dict with steps, friends, battery (percent or None), ble ("off", "on", "connected").
"""

import framebuf

from cloudpin import designs, qr, writer
from cloudpin.fonts import bold18, bold24, bold32, sans14

NAME_FONTS = (bold32, bold24, bold18)
MAX_NAME = 40  # characters kept from a profile's name; the fitter handles the rest
MAX_TEXT = 80  # and from organisation and role

_design_palette = None


class Screen:
    def __init__(self, kind, key, regions):
        self.kind = kind
        self.key = key
        self.regions = regions


def _palette():
    global _design_palette
    if _design_palette is None:
        _design_palette = framebuf.FrameBuffer(bytearray(1), 2, 1, framebuf.MONO_HLSB)
        _design_palette.pixel(0, 0, 1)
        _design_palette.pixel(1, 0, 0)
    return _design_palette


def draw_design(fb, index, x, y, scale=1):
    bits = designs.bitmap(index)
    n = designs.SIZE
    if scale == 1:
        fb.blit((bits, n, n, framebuf.MONO_HLSB), x, y, 1, _palette())
        return
    stride = n // 8
    for row in range(n):
        for col in range(n):
            if bits[row * stride + (col >> 3)] & (0x80 >> (col & 7)):
                fb.fill_rect(x + col * scale, y + row * scale, scale, scale, 0)


def _text(fb, font, s, x, y, max_w):
    writer.draw(fb, font, writer.ellipsize(font, s, max_w), x, y)


def _centred(fb, font, s, y, x0=0, w=None):
    w = fb.width - x0 if w is None else w
    s = writer.ellipsize(font, s, w - 4)
    writer.draw(fb, font, s, x0 + (w - writer.text_width(font, s)) // 2, y)


def _group(n):
    """12345 -> '12 345': thin groups read faster than a long number at a distance."""
    s = str(n)
    out = ""
    while len(s) > 3:
        out = " " + s[-3:] + out
        s = s[:-3]
    return s + out


def draw_battery(fb, x, y, percent):
    # 22x11 outline with a nub; fill proportional; None = unknown (outline + "?")
    fb.rect(x, y, 20, 11, 0)
    fb.fill_rect(x + 20, y + 3, 2, 5, 0)
    if percent is None:
        fb.text("?", x + 6, y + 2, 0)
        return
    p = max(0, min(100, percent))
    fb.fill_rect(x + 2, y + 2, (16 * p + 50) // 100, 7, 0)


def draw_ble(fb, x, y, state):
    # the Bluetooth rune, 9x13; "connected" adds dots each side; "off" is crossed out
    fb.vline(x + 4, y, 13, 0)
    fb.line(x + 4, y, x + 7, y + 3, 0)
    fb.line(x + 7, y + 3, x + 1, y + 9, 0)
    fb.line(x + 4, y + 12, x + 7, y + 9, 0)
    fb.line(x + 7, y + 9, x + 1, y + 3, 0)
    if state == "connected":
        fb.fill_rect(x - 2, y + 5, 2, 2, 0)
        fb.fill_rect(x + 9, y + 5, 2, 2, 0)
    elif state != "on":
        fb.line(x - 1, y + 12, x + 9, y, 0)


def _counter(fb, x, y, w, value, label):
    fb.fill_rect(x, y, w, 36, 1)
    _text(fb, bold18, _group(value), x, y, w)
    _text(fb, sans14, label, x, y + 20, w)


def _status(fb, regions, x, y, status, row=False):
    # battery above BLE (landscape) or beside it (square, row=True)
    battery, ble = status.get("battery"), status.get("ble", "off")
    if row:
        rect = (x - 26, y, 48, 16)
        fb.fill_rect(*rect, 1)
        draw_battery(fb, x - 24, y + 2, battery)
        draw_ble(fb, x + 8, y + 1, ble)
    else:
        rect = (x - 6, y, 24, 32)
        fb.fill_rect(*rect, 1)
        draw_battery(fb, x - 6, y, battery)
        draw_ble(fb, x + 2, y + 17, ble)
    regions["status"] = (rect, (battery, ble))


def name_tag(fb, profile, status, qr_cache):
    """The badge: name (largest font that fits, two lines if needed), organisation, role, QR
    of the contact link, sport design, today's steps and friends, battery and BLE."""
    if fb.height >= 160:
        return _name_tag_square(fb, profile, status, qr_cache)
    W, H = fb.width, fb.height
    fb.fill(1)
    name, org, role, link, sport = _profile(profile)
    code = qr_cache.matrix(link)
    qr_box = 66
    text_w = W - (qr_box + 4 if code else 0) - 4
    # top, across the whole width (readable at 1 m): the name (see fit_name), then the
    # organisation and role; the QR sits in the bottom right
    font, lines = fit_name(W, H, name)
    y = 2 + (34 - font.height()) // 2 if len(lines) == 1 else 1
    for line in lines:
        writer.draw(fb, font, line, 3, y)
        y += font.height()
    if font is bold24 and len(lines) == 2:
        # a long name on two big lines: organisation and role share the one line left
        sep = ", " if org and role else ""
        _text(fb, bold18, org + sep + role, 3, 51, text_w)
    else:
        _text(fb, bold18, org, 3, 37, W - 6)
        _text(fb, sans14, role, 3, 56, text_w)
    # bottom band: design, steps, friends, battery + BLE
    fb.hline(0, H - 48, text_w + 2, 0)
    d = designs.SIZE
    draw_design(fb, sport, 2, H - d - 1)
    col_w = 64 if W < 280 else 80
    cx, cy = d + 8, H - 40
    regions = {}
    _counters(fb, regions, status, (cx, cy, col_w - 4), (cx + col_w, cy, col_w - 12))
    if code:
        qr.draw(fb, code[0], code[1], W - qr_box, H - qr_box, qr_box)
    _status(fb, regions, W - 18, 2, status)
    return Screen("tag", ("tag", name, org, role, link, sport, W, H), regions)


def fit_name(width, height, name):
    """(font, lines) of the wearer's name on the tag. Square: a 66 px box across (one or two
    lines, 32 px down to 17). Landscape, beside the status icons: one line of 32 or 24 px;
    else two lines of 24 px (organisation and role then share one line); else two of 17 or
    an ellipsis. bench render prints the capital heights this gives (readable at 1 m)."""
    if height >= 160:
        return writer.fit_lines(NAME_FONTS, name, width - 6, 66)
    w = width - 30
    for font in (bold32, bold24):
        if writer.text_width(font, name) <= w:
            return font, [name]
    font, lines = writer.fit_lines((bold24,), name, w, 48)
    if len(lines) == 2 and not lines[1].endswith(writer.ELLIPSIS):
        return font, lines
    return writer.fit_lines(NAME_FONTS, name, w, 36)


def _name_tag_square(fb, profile, status, qr_cache):
    # 200x200: name across the top (up to two lines of 32 px), QR bottom right, design,
    # counters stacked and status bottom left
    W, H = fb.width, fb.height
    fb.fill(1)
    name, org, role, link, sport = _profile(profile)
    font, lines = fit_name(W, H, name)
    y = 2
    for line in lines:
        writer.draw(fb, font, line, 3, y)
        y += font.height()
    y += 4
    _text(fb, bold18, org, 3, y, W - 6)
    _text(fb, sans14, role, 3, y + 20, W - 6)
    fb.hline(0, H - 80, W, 0)
    code = qr_cache.matrix(link)
    qr_box = 70
    if code:
        qr.draw(fb, code[0], code[1], W - qr_box, H - qr_box, qr_box)
    draw_design(fb, designs.LOCKED if sport is None else sport, 2, H - 76)
    cw = W - 56 - (qr_box + 2 if code else 0)
    regions = {}
    _counters(fb, regions, status, (54, H - 76, cw), (54, H - 38, cw))
    _status(fb, regions, 30, H - 24, status, row=True)
    return Screen("tag", ("tag", name, org, role, link, sport, W, H), regions)


def _str(value, limit=MAX_TEXT):
    # profiles come from storage and the companion: anything but text shows as nothing
    return writer.fold(value[:limit]) if isinstance(value, str) else ""


def _profile(profile):
    sport = profile.get("sport")
    if not isinstance(sport, int) or not 0 <= sport <= designs.LOCKED:
        sport = designs.LOCKED
    link = profile.get("link")
    return (_str(profile.get("name"), MAX_NAME), _str(profile.get("org")),
            _str(profile.get("role")), link if isinstance(link, str) else "", sport)


def _counters(fb, regions, status, steps_box, friends_box):
    steps = status.get("steps", 0)
    friends = status.get("friends", 0)
    x, y, w = steps_box
    _counter(fb, x, y, w, steps, "steps")
    regions["steps"] = ((x, y, w, 36), steps)
    x, y, w = friends_box
    _counter(fb, x, y, w, friends, "friends")
    regions["friends"] = ((x, y, w, 36), friends)


def new_friend(fb, friend, count):
    """After a tap: who you just met (name fitted large, organisation) and your friend count."""
    W, H = fb.width, fb.height
    fb.fill(1)
    fb.fill_rect(0, 0, W, 24, 0)
    title = "New friend #%d" % count if count else "New friend"
    s = writer.ellipsize(bold18, title, W - 8)
    writer.draw(fb, bold18, s, (W - writer.text_width(bold18, s)) // 2, 3, True)
    name = _str(friend.get("name"), MAX_NAME) or "?"
    box_h = H - 24 - 46
    font, lines = writer.fit_lines(NAME_FONTS, name, W - 8, box_h)
    y = 24 + (box_h - len(lines) * font.height()) // 2
    for line in lines:
        _centred(fb, font, line, y)
        y += font.height()
    org = _str(friend.get("org"))
    _centred(fb, bold18, org, H - 44)
    _centred(fb, sans14, _str(friend.get("role")), H - 22)
    return Screen("friend", ("friend", name, org, count, W, H), {})


def unlock(fb, sport, reason):
    """A design was unlocked: the pictogram at twice its size, its name and why."""
    W, H = fb.width, fb.height
    fb.fill(1)
    if not isinstance(sport, int) or not 0 <= sport <= designs.LOCKED:
        sport = designs.LOCKED
    reason = _str(reason)
    d = designs.SIZE * 2
    if H >= 160:
        draw_design(fb, sport, (W - d) // 2, 24, 2)
        _centred(fb, bold18, "Unlocked!", 2)
        font, lines = writer.fit_lines(NAME_FONTS[1:], designs.NAMES[sport], W - 6, 48)
        y = 124 + (48 - len(lines) * font.height()) // 2
        for line in lines:
            _centred(fb, font, line, y)
            y += font.height()
        _centred(fb, sans14, reason, H - 20)
    else:
        draw_design(fb, sport, 4, (H - d) // 2, 2)
        x = d + 12
        w = W - x
        writer.draw(fb, bold18, "Unlocked!", x, 6)
        font, lines = writer.fit_lines(NAME_FONTS[1:], designs.NAMES[sport], w - 4, 48)
        y = 32
        for line in lines:
            writer.draw(fb, font, line, x, y)
            y += font.height()
        _text(fb, sans14, reason, x, H - 22, w - 4)
    return Screen("unlock", ("unlock", sport, reason, W, H), {})


def pairing(fb, passkey, device_name=""):
    """BLE pairing: the 6-digit passkey to type on the phone, big and grouped 3+3."""
    W, H = fb.width, fb.height
    fb.fill(1)
    _centred(fb, bold18, "Pairing", 4)
    digits = "%06d" % (passkey % 1000000) if isinstance(passkey, int) else "------"
    device_name = _str(device_name)
    code = digits[:3] + " " + digits[3:]
    tw = writer.text_width(bold32, code)
    y = (H - bold32.height()) // 2
    fb.rect((W - tw) // 2 - 8, y - 6, tw + 16, bold32.height() + 12, 0)
    writer.draw(fb, bold32, code, (W - tw) // 2, y)
    _centred(fb, sans14, "Type this code on your phone", H - 36)
    _centred(fb, sans14, device_name, H - 18)
    return Screen("pairing", ("pairing", digits, device_name, W, H), {})


def notice(fb, title, lines):
    """A message for the wearer (a profile or storage problem found at boot): a title bar and
    up to three lines, each ellipsised to the width."""
    W, H = fb.width, fb.height
    fb.fill(1)
    fb.fill_rect(0, 0, W, 24, 0)
    title = _str(title)
    s = writer.ellipsize(bold18, title, W - 8)
    writer.draw(fb, bold18, s, (W - writer.text_width(bold18, s)) // 2, 3, True)
    shown = []
    y = 32
    for line in lines[:3]:
        line = _str(line)
        shown.append(line)
        _, fitted = writer.fit_lines((sans14,), line, W - 8, 2 * sans14.height())
        for part in fitted:
            if y + sans14.height() > H:
                break
            _text(fb, sans14, part, 4, y, W - 8)
            y += sans14.height()
        y += 4
    return Screen("notice", ("notice", title, tuple(shown), W, H), {})
