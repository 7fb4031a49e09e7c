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
from micropython import const

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


_design_buf = None  # the one design in RAM (designs.BYTES), read from flash on demand
_design_shown = -1  # which design it holds; -1: none (or the file was unusable: try again)


def _design_bits(index):
    global _design_buf, _design_shown
    if _design_buf is None:
        _design_buf = bytearray(designs.BYTES)
    if index != _design_shown:
        _design_shown = index if designs.load(index, _design_buf) else -1
    return _design_buf if _design_shown == index else None


def draw_design(fb, index, x, y, scale=1, grey=False):
    """The design's pictogram at (x, y), scale 1 or 2; grey: every other pixel of it (a
    design not yet unlocked). A missing designs file leaves an empty frame, never a gap."""
    n = designs.SIZE
    bits = _design_bits(index)
    if bits is None:
        fb.rect(x, y, n * scale, n * scale, 0)
        return
    if scale == 1 and not grey:
        fb.blit((bits, n, n, framebuf.MONO_HLSB), x, y, 1, _palette())
        return
    stride = n // 8
    for row in range(n):
        for col in range(n):
            if bits[row * stride + (col >> 3)] & (0x80 >> (col & 7)):
                px, py = x + col * scale, y + row * scale
                if not grey:
                    fb.fill_rect(px, py, scale, scale, 0)
                    continue
                for j in range(scale):
                    for i in range(scale):
                        if (px + i + py + j) & 1 == 0:
                            fb.pixel(px + i, py + j, 0)


# A medal beside the design on the tag (errands.MEDALS): 13x20, MONO_HLSB rows of 2 bytes,
# 1 = ink. The same ribbon; bronze a ring, gold a solid disc with a star.
MEDAL_W = const(13)
MEDAL_H = const(20)
_MEDALS = (
    None,
    b"\xe0\x38\xe0\x38\x70\x70\x70\x70\x38\xe0\x38\xe0\x1d\xc0\x0f\x80\x3f\xe0\x78\xf0"
    b"\x60\x30\xc0\x18\xc0\x18\xc0\x18\xc0\x18\xc0\x18\x60\x30\x78\xf0\x3f\xe0\x0f\x80",  # bronze
    b"\xe0\x38\xe0\x38\x70\x70\x70\x70\x38\xe0\x38\xe0\x1d\xc0\x0f\x80\x3f\xe0\x7f\xf0"
    b"\x7d\xf0\xf8\xf8\xc0\x18\xe0\x38\xf0\x78\xf2\x78\x67\x30\x7f\xf0\x3f\xe0\x0f\x80",  # gold
)


def draw_medal(fb, x, y, medal):
    """The medal mark (errands.BRONZE or GOLD) at (x, y); nothing for NO_MEDAL."""
    fb.fill_rect(x, y, MEDAL_W, MEDAL_H, 1)
    if isinstance(medal, int) and 0 < medal < len(_MEDALS):
        fb.blit((_MEDALS[medal], MEDAL_W, MEDAL_H, framebuf.MONO_HLSB), x, y, 1, _palette())


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
    col_w = 62 if W < 280 else 80
    cx, cy = d + 10 + MEDAL_W, H - 40
    regions = {}
    _medal(fb, regions, d + 6, H - d + 2, status)
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
    cx = 56 + MEDAL_W
    cw = W - cx - 2 - (qr_box + 2 if code else 0)
    regions = {}
    _medal(fb, regions, 55, H - 74, status)
    _counters(fb, regions, status, (cx, H - 76, cw), (cx, H - 38, cw))
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


def _medal(fb, regions, x, y, status):
    # beside the design: the medal of the friends made so far (status "medal"), its own
    # region, so earning one is a partial refresh
    medal = status.get("medal", 0)
    draw_medal(fb, x, y, medal)
    regions["medal"] = ((x, y, MEDAL_W, MEDAL_H), medal)


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


# The one title rule for a design's name (unlock and locked screens): in a box `w` wide, the
# largest of TITLE_FONTS in which every one of designs.NAMES fits in at most two lines,
# broken at a space or after a '/'; a name that fits one line stays on one. So every name
# on a panel has the same size, and the box is always two lines of it tall.
TITLE_FONTS = NAME_FONTS[1:]
_title_font = {}  # box width -> font (the rule's answer depends on the width only)


def _title_split(font, name, w):
    """[name] if it fits w, else the two lines (break at a space or after '/') whose longer
    is shortest, or None if no break fits."""
    if writer.text_width(font, name) <= w:
        return [name]
    best, best_w = None, w + 1
    for i in range(1, len(name)):
        if name[i] == " ":
            a, b = name[:i], name[i + 1:]
        elif name[i - 1] == "/":
            a, b = name[:i], name[i:]
        else:
            continue
        wide = max(writer.text_width(font, a), writer.text_width(font, b))
        if wide < best_w:
            best, best_w = [a, b], wide
    return best


def title_font(w):
    font = _title_font.get(w)
    if font is None:
        font = TITLE_FONTS[-1]
        for f in TITLE_FONTS:
            if all(_title_split(f, n, w) is not None for n in designs.NAMES):
                font = f
                break
        _title_font[w] = font
    return font


def _title(fb, sport, x, y, w, centred):
    """The design's name in its two-line box at (x, y); returns the box's height."""
    font = title_font(w)
    lines = _title_split(font, designs.NAMES[sport], w) or [
        writer.ellipsize(font, designs.NAMES[sport], w)]
    box = 2 * font.height()
    y += (box - len(lines) * font.height()) // 2
    for line in lines:
        if centred:
            writer.draw(fb, font, line, x + (w - writer.text_width(font, line)) // 2, y)
        else:
            writer.draw(fb, font, line, x, y)
        y += font.height()
    return box


def _sport(sport):
    return sport if isinstance(sport, int) and 0 <= sport <= designs.LOCKED else designs.LOCKED


def unlock(fb, sport, reason):
    """A design was unlocked: the pictogram at twice its size, its name and why. (The locked
    design is never "unlocked": asked for it, this draws the locked screen.)"""
    sport = _sport(sport)
    reason = _str(reason)
    if sport == designs.LOCKED:
        return locked(fb, sport, reason)
    W, H = fb.width, fb.height
    fb.fill(1)
    d = designs.SIZE * 2
    if H >= 160:
        draw_design(fb, sport, (W - d) // 2, 24, 2)
        _centred(fb, bold18, "Unlocked!", 2)
        _title(fb, sport, 3, 124, W - 6, True)
        _centred(fb, sans14, reason, H - 20)
    else:
        draw_design(fb, sport, 4, (H - d) // 2, 2)
        x = d + 12
        w = W - x
        writer.draw(fb, bold18, "Unlocked!", x, 6)
        y = 32 + _title(fb, sport, x, 32, w - 4, False)
        # why, at the bottom: two lines if it needs them and the title left the room
        font, lines = writer.fit_lines((sans14,), reason, w - 4,
                                       min(2 * sans14.height(), H - 6 - y))
        y = H - 6 - len(lines) * font.height()
        for line in lines:
            writer.draw(fb, font, line, x, y)
            y += font.height()
    return Screen("unlock", ("unlock", sport, reason, W, H), {})


def _locked_band(fb, x, w):
    # "Locked" in white on a black band, with a small padlock: it reads as locked at a glance
    fb.fill_rect(x, 0, w, 22, 0)
    tw = writer.text_width(bold18, "Locked")
    lx = x + (w - tw - 16) // 2
    fb.fill_rect(lx + 3, 3, 8, 6, 1)      # the shackle
    fb.fill_rect(lx + 5, 5, 4, 4, 0)
    fb.fill_rect(lx + 1, 8, 12, 10, 1)    # the body
    fb.fill_rect(lx + 6, 11, 2, 4, 0)     # the keyhole
    writer.draw(fb, bold18, "Locked", lx + 16, 2, True)


def _progress_bar(fb, x, y, w, progress):
    # value / target of the errand as a bar and in figures ("17/25")
    if not progress:
        return
    value, target = progress
    label = "%d/%d" % (value, target)
    lw = writer.text_width(sans14, label)
    bw = w - lw - 6
    fb.rect(x, y + 2, bw, 10, 0)
    if target > 0:
        fb.fill_rect(x + 2, y + 4, (bw - 4) * max(0, min(value, target)) // target, 6, 0)
    writer.draw(fb, sans14, label, x + bw + 6, y)


def locked(fb, sport, errand, progress=None):
    """A design not unlocked yet: its pictogram greyed behind a padlock, its name, the
    errand that unlocks it and how far along it is (progress: (value, target) or None).
    sport LOCKED (or unknown): the padlock alone, with the errand."""
    W, H = fb.width, fb.height
    fb.fill(1)
    sport = _sport(sport)
    errand = _str(errand)
    if not (isinstance(progress, tuple) and len(progress) == 2
            and isinstance(progress[0], int) and isinstance(progress[1], int)):
        progress = None
    d = designs.SIZE * 2
    if H >= 160:
        _locked_band(fb, 0, W)
        x0, y0 = (W - d) // 2, 23
        text_x, text_w, title_y = 3, W - 6, y0 + d + 1
    else:
        x0, y0 = 4, (H - d) // 2
        text_x = d + 12
        text_w = W - text_x - 4
        _locked_band(fb, text_x - 4, W - text_x + 4)
        title_y = 25
    if sport == designs.LOCKED:
        draw_design(fb, designs.LOCKED, x0, y0, 2)
    else:
        draw_design(fb, sport, x0, y0, 2, grey=True)
        # the padlock over the lower right of the greyed pictogram, in a white margin
        n = designs.SIZE
        fb.fill_rect(x0 + d - n - 2, y0 + d - n - 2, n + 2, n + 2, 1)
        draw_design(fb, designs.LOCKED, x0 + d - n, y0 + d - n)
    y = title_y + _title(fb, sport, text_x, title_y, text_w, H >= 160)
    bar_y = H - 15
    room = (bar_y if progress else H) - y
    font, lines = writer.fit_lines((sans14,), errand, text_w, max(room, sans14.height()))
    for line in lines:
        if H >= 160:
            _centred(fb, font, line, y)
        else:
            writer.draw(fb, font, line, text_x, y)
        y += font.height()
    _progress_bar(fb, text_x, bar_y, text_w, progress)
    return Screen("locked", ("locked", sport, errand, progress, W, H), {})


# Either companion asks for the code: the laptop's `cloudpin companion` and a phone's.
PAIRING_HINT = "Type this code in the companion"


def pairing(fb, passkey, device_name=""):
    """BLE pairing: the 6-digit passkey to type into the companion, big and grouped 3+3."""
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
    _centred(fb, sans14, PAIRING_HINT, H - 36)
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
