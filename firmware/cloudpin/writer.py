"""Text in font-to-py fonts (cloudpin.fonts.*) on a MONO_HLSB frame buffer (1 = white).

Glyph rows are MSB-first bitmaps, the frame buffer's own layout: each glyph is copied from
the font's bytes (in flash when frozen) into one preallocated cell per font and blitted
through a two-colour palette (ink -> black, background -> transparent). Drawing and measuring
text allocates nothing per character.

Text is Unicode; the fonts cover Latin-1 (32-255). Latin Extended-A letters (Polish,
Czech, Turkish, Baltic names: U+0100-017F) are shown as their base letter, so "Łukasz
Dąbrowski" reads "Lukasz Dabrowski" rather than "?ukasz D?browski"; anything else draws as
the font's '?'.
"""

import framebuf

ELLIPSIS = "..."  # U+2026 is not in Latin-1

_palette = None
_scratch = {}  # id(font module) -> (FrameBuffer, bytearray, stride): a glyph cell per font
# U+0100..U+017F -> base letter (generated with unicodedata NFKD plus Ł/Đ/Ħ/Œ/... by hand)
_EXT_A = (b"AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOo"
          b"RrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs")


def fold(s):
    """s with Latin Extended-A letters replaced by their base letters (no allocation when
    there are none, the usual case)."""
    for ch in s:
        if 0x100 <= ord(ch) < 0x180:
            break
    else:
        return s
    out = []
    for ch in s:
        c = ord(ch)
        out.append(chr(_EXT_A[c - 0x100]) if 0x100 <= c < 0x180 else ch)
    return "".join(out)


def _ink_palette():
    global _palette
    if _palette is None:
        _palette = framebuf.FrameBuffer(bytearray(1), 2, 1, framebuf.MONO_HLSB)
        _palette.pixel(0, 0, 1)  # glyph background -> white (the blit key: skipped)
        _palette.pixel(1, 0, 0)  # glyph ink -> black
    return _palette


# font-to-py's own get_ch() slices memoryviews a dozen times per character (a binary search
# over memoryview slices): ~300 bytes of garbage per glyph, ~100 KB per screen. These read
# the same tables (_sparse: 4-byte entries (code, offset / 8), little endian; _font: a
# 16-bit width then the rows) with plain indexing, which allocates nothing.

def _offset(font, code):
    sp = font._sparse
    lo, hi = 0, (len(sp) >> 2) - 1
    while lo <= hi:
        mid = (lo + hi) >> 1
        i = mid << 2
        v = sp[i] | (sp[i + 1] << 8)
        if v == code:
            return (sp[i + 2] | (sp[i + 3] << 8)) << 3
        if v < code:
            lo = mid + 1
        else:
            hi = mid - 1
    return 0  # the error glyph ('?') comes first


def char_width(font, code):
    data = font._font
    off = _offset(font, code)
    return data[off] | (data[off + 1] << 8)


def text_width(font, s):
    w = 0
    for ch in s:
        w += char_width(font, ord(ch))
    return w


def _cell(font):
    cell = _scratch.get(id(font))
    if cell is None:
        h = font.height()
        stride = (font.max_width() + 7) >> 3
        buf = bytearray(stride * h)
        cell = (framebuf.FrameBuffer(buf, stride * 8, h, framebuf.MONO_HLSB), buf, stride)
        _scratch[id(font)] = cell
    return cell


def draw(fb, font, s, x, y, invert=False):
    """Draw s with its top-left at (x, y); returns the x after the last glyph.
    invert=True draws white ink (on a black box drawn by the caller).

    Each glyph is copied into one preallocated cell per font (its rows are narrower than
    the cell's; the rest stays 0 = transparent) and blitted through a palette."""
    pal = _ink_palette()
    key = 0 if invert else 1
    if invert:
        pal.pixel(0, 0, 0)
        pal.pixel(1, 0, 1)
    cell, buf, stride = _cell(font)
    data = font._font
    h = font.height()
    for ch in s:
        off = _offset(font, ord(ch))
        w = data[off] | (data[off + 1] << 8)
        gb = (w + 7) >> 3
        src = off + 2
        for row in range(h):
            dst = row * stride
            for b in range(stride):
                buf[dst + b] = data[src + b] if b < gb else 0
            src += gb
        fb.blit(cell, x, y, key, pal)
        x += w
    if invert:
        pal.pixel(0, 0, 1)
        pal.pixel(1, 0, 0)
    return x


def fit_chars(font, s, max_w):
    """How many leading characters of s fit in max_w pixels."""
    w = 0
    i = 0
    for ch in s:
        w += char_width(font, ord(ch))
        if w > max_w:
            return i
        i += 1
    return i


def ellipsize(font, s, max_w):
    """s if it fits in max_w, else its longest prefix that fits followed by '...'."""
    if text_width(font, s) <= max_w:
        return s
    room = max_w - text_width(font, ELLIPSIS)
    if room <= 0:
        return ""
    n = fit_chars(font, s, room)
    return s[:n].rstrip() + ELLIPSIS


def _split(font, s, max_w):
    """Two lines of s split at a space, the longer as short as possible, both within
    max_w; None if no split fits."""
    best = None
    best_w = max_w + 1
    i = s.find(" ")
    while i > 0:
        a, b = s[:i], s[i + 1:].strip()
        wide = max(text_width(font, a), text_width(font, b))
        if wide < best_w:
            best, best_w = (a, b), wide
        i = s.find(" ", i + 1)
    return best


def fit_lines(fonts, s, max_w, max_h):
    """Choose how to show s (a name) in a box: the largest font (fonts: largest first) in
    which it fits, on one line or, if the box is tall enough, on two lines split at a space;
    else the smallest font, as much as fits with an ellipsis. Returns (font, [lines])."""
    for font in fonts:
        h = font.height()
        if h > max_h:
            continue
        if text_width(font, s) <= max_w:
            return font, [s]
        if 2 * h <= max_h:
            two = _split(font, s, max_w)
            if two is not None:
                return font, [two[0], two[1]]
    font = fonts[-1]
    if 2 * font.height() <= max_h and " " in s:
        n = fit_chars(font, s, max_w)
        cut = s.rfind(" ", 0, n + 1)
        if cut > 0:
            return font, [s[:cut], ellipsize(font, s[cut + 1:].strip(), max_w)]
    return font, [ellipsize(font, s, max_w)]
