"""CPython stand-in for MicroPython's `framebuf`, byte-for-byte equal in what it draws.

Covers the drawing calls firmware uses (fill, pixel, hline, vline, line, rect, fill_rect,
text, blit, scroll) for MONO_HLSB (the e-ink panels' format) and the other mono formats, GS8
and RGB565. The rules (clipping, Bresenham stepping, text over UTF-8 bytes, blit keys and
palettes, scroll leaving the vacated area as it was) follow MicroPython's documented
behaviour; tests/portable/framebuf_scene.py checks the bytes against the real module.

The 8x8 text font is MicroPython's own. It is not copied into this project: the first use of
text() reads it out of the MicroPython unix port (host_sim.unixport.mpunix) and caches it.
"""

import hashlib
import os

MONO_VLSB = 0
MVLSB = 0
RGB565 = 1
GS4_HMSB = 2
MONO_HLSB = 3
MONO_HMSB = 4
GS2_HMSB = 5
GS8 = 6

_BPP = {MONO_VLSB: 1, MONO_HLSB: 1, MONO_HMSB: 1, GS2_HMSB: 2, GS4_HMSB: 4, GS8: 8, RGB565: 16}


class FrameBuffer:
    def __init__(self, buffer, width, height, format, stride=None):
        if format not in _BPP:
            raise ValueError("invalid format")
        width, height = int(width), int(height)
        if width < 1 or height < 1:
            raise ValueError("invalid size")
        stride = width if stride is None else int(stride)
        height_required = height
        if format == MONO_VLSB:
            height_required = (height + 7) & ~7
        elif format in (MONO_HLSB, MONO_HMSB):
            stride = (stride + 7) & ~7
        elif format == GS2_HMSB:
            stride = (stride + 3) & ~3
        elif format == GS4_HMSB:
            stride = (stride + 1) & ~1
        mv = memoryview(buffer).cast("B")
        if height_required * stride * _BPP[format] // 8 > len(mv):
            raise ValueError("buffer too small")
        self._buf = mv
        self.width = width
        self.height = height
        self._fmt = format
        self._stride = stride

    # -- pixel access per format --------------------------------------------------------

    def _get(self, x, y):
        fmt, buf = self._fmt, self._buf
        if fmt == MONO_HLSB:
            return (buf[(x + y * self._stride) >> 3] >> (7 - (x & 7))) & 1
        if fmt == MONO_HMSB:
            return (buf[(x + y * self._stride) >> 3] >> (x & 7)) & 1
        if fmt == MONO_VLSB:
            return (buf[(y >> 3) * self._stride + x] >> (y & 7)) & 1
        if fmt == GS8:
            return buf[x + y * self._stride]
        if fmt == RGB565:
            i = 2 * (x + y * self._stride)
            return buf[i] | (buf[i + 1] << 8)
        if fmt == GS4_HMSB:
            b = buf[(x + y * self._stride) >> 1]
            return (b >> 4) & 0x0F if x % 2 == 0 else b & 0x0F
        # GS2_HMSB
        b = buf[(x + y * self._stride) >> 2]
        return (b >> ((x & 3) << 1)) & 0x03

    def _set(self, x, y, col):
        fmt, buf = self._fmt, self._buf
        if fmt in (MONO_HLSB, MONO_HMSB, MONO_VLSB):
            if fmt == MONO_VLSB:
                index, bit = (y >> 3) * self._stride + x, y & 7
            else:
                index = (x + y * self._stride) >> 3
                bit = (x & 7) if fmt == MONO_HMSB else 7 - (x & 7)
            if col:
                buf[index] |= 1 << bit
            else:
                buf[index] &= ~(1 << bit) & 0xFF
        elif fmt == GS8:
            buf[x + y * self._stride] = col & 0xFF
        elif fmt == RGB565:
            i = 2 * (x + y * self._stride)
            buf[i] = col & 0xFF
            buf[i + 1] = (col >> 8) & 0xFF
        elif fmt == GS4_HMSB:
            i = (x + y * self._stride) >> 1
            if x % 2 == 0:
                buf[i] = ((col & 0x0F) << 4) | (buf[i] & 0x0F)
            else:
                buf[i] = (buf[i] & 0xF0) | (col & 0x0F)
        else:  # GS2_HMSB
            i = (x + y * self._stride) >> 2
            shift = (x & 3) << 1
            buf[i] = (buf[i] & ~(0x03 << shift) & 0xFF) | ((col & 0x03) << shift)

    def _fill_rect_clipped(self, x, y, w, h, col):
        if self._fmt == MONO_HLSB and w >= 8:
            self._fill_rect_hlsb(x, y, w, h, col)
            return
        for yy in range(y, y + h):
            for xx in range(x, x + w):
                self._set(xx, yy, col)

    def _fill_rect_hlsb(self, x, y, w, h, col):
        # Whole bytes at once: the e-ink layouts fill large areas and CPython is slow per pixel.
        buf, advance = self._buf, self._stride >> 3
        xend = x + w
        first_full = (x + 7) & ~7
        last_full = xend & ~7
        fill = 0xFF if col else 0x00
        for yy in range(y, y + h):
            row = yy * advance
            for xx in range(x, min(first_full, xend)):
                self._set(xx, yy, col)
            if last_full > first_full:
                buf[row + (first_full >> 3):row + (last_full >> 3)] = bytes([fill]) * (
                    (last_full - first_full) >> 3)
            for xx in range(max(last_full, first_full), xend):
                self._set(xx, yy, col)

    # -- public API ----------------------------------------------------------------------

    def fill(self, c):
        self._fill_rect_clipped(0, 0, self.width, self.height, c)

    def fill_rect(self, x, y, w, h, c):
        if h < 1 or w < 1 or x + w <= 0 or y + h <= 0 or y >= self.height or x >= self.width:
            return
        xend = min(self.width, x + w)
        yend = min(self.height, y + h)
        x = max(x, 0)
        y = max(y, 0)
        self._fill_rect_clipped(x, y, xend - x, yend - y, c)

    def pixel(self, x, y, c=None):
        if 0 <= x < self.width and 0 <= y < self.height:
            if c is None:
                return self._get(x, y)
            self._set(x, y, c)
        return None

    def hline(self, x, y, w, c):
        self.fill_rect(x, y, w, 1, c)

    def vline(self, x, y, h, c):
        self.fill_rect(x, y, 1, h, c)

    def rect(self, x, y, w, h, c, f=False):
        if f:
            self.fill_rect(x, y, w, h, c)
        else:
            self.fill_rect(x, y, w, 1, c)
            self.fill_rect(x, y + h - 1, w, 1, c)
            self.fill_rect(x, y, 1, h, c)
            self.fill_rect(x + w - 1, y, 1, h, c)

    def line(self, x1, y1, x2, y2, c):
        dx = x2 - x1
        if dx > 0:
            sx = 1
        else:
            dx, sx = -dx, -1
        dy = y2 - y1
        if dy > 0:
            sy = 1
        else:
            dy, sy = -dy, -1
        steep = dy > dx
        if steep:
            x1, y1 = y1, x1
            dx, dy = dy, dx
            sx, sy = sy, sx
        e = 2 * dy - dx
        w, h = self.width, self.height
        for _ in range(dx):
            if steep:
                if 0 <= y1 < w and 0 <= x1 < h:
                    self._set(y1, x1, c)
            elif 0 <= x1 < w and 0 <= y1 < h:
                self._set(x1, y1, c)
            while e >= 0:
                y1 += sy
                e -= 2 * dx
            x1 += sx
            e += 2 * dy
        if 0 <= x2 < w and 0 <= y2 < h:
            self._set(x2, y2, c)

    def text(self, s, x0, y0, c=1):
        font = _font8x8()
        for ch in str(s).encode("utf-8"):
            if ch == 0:
                break
            if ch < 32 or ch > 127:
                ch = 127
            glyph = font[(ch - 32) * 8:(ch - 32) * 8 + 8]
            for column in glyph:
                if 0 <= x0 < self.width:
                    y = y0
                    while column:
                        if column & 1 and 0 <= y < self.height:
                            self._set(x0, y, c)
                        column >>= 1
                        y += 1
                x0 += 1

    def blit(self, fbuf, x, y, key=-1, palette=None):
        source = fbuf if isinstance(fbuf, FrameBuffer) else FrameBuffer(*fbuf)
        if x >= self.width or y >= self.height or -x >= source.width or -y >= source.height:
            return
        x0, y0 = max(0, x), max(0, y)
        x1, y1 = max(0, -x), max(0, -y)
        x0end = min(self.width, x + source.width)
        y0end = min(self.height, y + source.height)
        # MicroPython compares the colour with the key as unsigned 32 bits.
        key &= 0xFFFFFFFF
        while y0 < y0end:
            cx1 = x1
            for cx0 in range(x0, x0end):
                col = source._get(cx1, y1)
                if palette is not None:
                    col = palette._get(col, 0)
                if col != key:
                    self._set(cx0, y0, col)
                cx1 += 1
            y0 += 1
            y1 += 1

    def scroll(self, xstep, ystep):
        if xstep < 0:
            sx, xend, dx = 0, self.width + xstep, 1
            if xend <= 0:
                return
        else:
            sx, xend, dx = self.width - 1, xstep - 1, -1
            if xend >= sx:
                return
        if ystep < 0:
            y, yend, dy = 0, self.height + ystep, 1
            if yend <= 0:
                return
        else:
            y, yend, dy = self.height - 1, ystep - 1, -1
            if yend >= y:
                return
        while y != yend:
            x = sx
            while x != xend:
                self._set(x, y, self._get(x - xstep, y - ystep))
                x += dx
            y += dy


def FrameBuffer1(buffer, width, height, stride=None):
    return FrameBuffer(buffer, width, height, MONO_VLSB, stride)


_FONT = None
_FONT_DUMP = (
    "import framebuf\n"
    "b = bytearray(8)\n"
    "f = framebuf.FrameBuffer(b, 8, 8, framebuf.MONO_VLSB)\n"
    "out = []\n"
    "for ch in range(32, 128):\n"
    "    f.fill(0)\n"
    "    f.text(chr(ch), 0, 0, 1)\n"
    "    out.append(''.join('%02x' % v for v in b))\n"
    "print(''.join(out))\n"
)


def _font8x8():
    """MicroPython's 8x8 font (chars 32..127, 8 column bytes each), read out of the unix port
    once and cached beside the user's other caches."""
    global _FONT
    if _FONT is not None:
        return _FONT
    from host_sim.unixport import mpunix

    exe = mpunix.find_micropython()
    st = os.stat(exe)
    tag = hashlib.sha256(f"{exe}:{st.st_size}:{st.st_mtime_ns}".encode()).hexdigest()[:16]
    cache_dir = os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "cloudpin")
    cache = os.path.join(cache_dir, f"font8x8-{tag}.bin")
    try:
        with open(cache, "rb") as f:
            data = f.read()
    except OSError:
        data = b""
    if len(data) != 96 * 8:
        data = bytes.fromhex(mpunix.run(code=_FONT_DUMP, heapsize="256K").strip())
        if len(data) != 96 * 8:
            raise RuntimeError("could not read the 8x8 font from the MicroPython unix port")
        os.makedirs(cache_dir, exist_ok=True)
        tmp = cache + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, cache)
    _FONT = data
    return _FONT
