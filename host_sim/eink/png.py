"""PNG pictures of e-paper screens (CPython only: Pillow).

    fb_png(buf, w, h, path)              a MONO_HLSB frame buffer (1 = white)
    emulator_png(emu, path, rotation)    what an emulated panel's glass shows, as worn;
                                         pixels a partial refresh left ghosting are grey
    emulator_image(emu, rotation)        the same as a Pillow image
"""

from PIL import Image


def _image(buf, w, h, ghost=None):
    stride = (w + 7) // 8
    img = Image.new("L", (w, h), 255)
    px = img.load()
    for y in range(h):
        row = y * stride
        for x in range(w):
            bit = 0x80 >> (x & 7)
            white = buf[row + (x >> 3)] & bit
            if ghost is not None and ghost[row + (x >> 3)] & bit:
                px[x, y] = 200 if white else 60
            else:
                px[x, y] = 255 if white else 0
    return img


def fb_png(buf, w, h, path, scale=1):
    img = _image(buf, w, h)
    if scale != 1:
        img = img.resize((w * scale, h * scale), Image.Resampling.NEAREST)
    img.save(path)
    return path


def emulator_image(emu, rotation=0, scale=1):
    """The glass as a Pillow image (ghosting pixels grey)."""
    buf, w, h = emu.logical(rotation)
    ghost, _, _ = emu.logical(rotation, emu.ghost)
    img = _image(buf, w, h, ghost)
    if scale != 1:
        img = img.resize((w * scale, h * scale), Image.Resampling.NEAREST)
    return img


def emulator_png(emu, path, rotation=0, scale=1):
    """path: a file name, or a binary file object (written as PNG)."""
    emulator_image(emu, rotation, scale).save(path, format="PNG")
    return path
