# Draws one scene with every framebuf call the firmware uses and prints the bytes as hex.
# Run on CPython (host_sim's framebuf) and on the unix port (the real one): output must match.
import framebuf

W, H = 61, 37  # odd sizes: row padding and clipping at the edges matter


def scene(fmt, w, h, size):
    buf = bytearray(size)
    fb = framebuf.FrameBuffer(buf, w, h, fmt)
    fb.fill(0)
    fb.fill(1)
    fb.fill_rect(3, 2, 20, 9, 0)
    fb.fill_rect(-5, -5, 9, 9, 0)
    fb.fill_rect(w - 4, h - 3, 10, 10, 0)
    fb.pixel(0, 0, 1)
    fb.pixel(w - 1, h - 1, 0)
    fb.pixel(w, h, 1)  # out of range: ignored
    fb.hline(-3, 12, 30, 0)
    fb.vline(30, -2, 50, 0)
    fb.rect(5, 14, 17, 11, 0)
    fb.rect(33, 3, 12, 8, 0, True)
    fb.line(0, h - 1, w - 1, 0, 0)
    fb.line(2, 2, 9, 30, 0)
    fb.line(50, 5, 40, 36, 1)
    fb.line(-10, 20, 80, 25, 0)
    fb.line(7, 7, 7, 7, 0)
    fb.text("Hi, Cloud Pin!", 1, 27, 0)
    fb.text("\xe9t\xe9 ~\x7f", 35, 14, 0)
    fb.text("edge", w - 12, h - 5, 0)
    sprite_buf = bytearray(2 * 10)
    sprite = framebuf.FrameBuffer(sprite_buf, 10, 10, framebuf.MONO_HLSB)
    sprite.fill(0)
    sprite.rect(0, 0, 10, 10, 1)
    sprite.line(0, 0, 9, 9, 1)
    fb.blit(sprite, 44, 20)
    fb.blit(sprite, -4, -3, 0)
    fb.blit(sprite, w - 6, 30, 1)
    pal_buf = bytearray(1)
    pal = framebuf.FrameBuffer(pal_buf, 2, 1, framebuf.MONO_HLSB)
    pal.pixel(0, 0, 1)
    pal.pixel(1, 0, 0)
    fb.blit(sprite, 20, 15, -1, pal)
    fb.blit((sprite_buf, 10, 10, framebuf.MONO_HLSB), 26, 0, 0)
    fb.scroll(3, 2)
    fb.scroll(-5, -1)
    fb.scroll(0, 4)
    g = [fb.pixel(x, y) for x, y in ((0, 0), (10, 10), (w - 1, 0), (w, 0))]
    return buf, g


for name, fmt, size in (
    ("MONO_HLSB", framebuf.MONO_HLSB, ((W + 7) // 8) * H),
    ("MONO_HMSB", framebuf.MONO_HMSB, ((W + 7) // 8) * H),
    ("MONO_VLSB", framebuf.MONO_VLSB, W * ((H + 7) // 8)),
):
    buf, got = scene(fmt, W, H, size)
    print(name, "".join("%02x" % b for b in buf), got)
