"""A plain MONO_HLSB frame buffer that knows its size (MicroPython's FrameBuffer does not
expose width/height). Layouts draw on this or on a panel driver, which has the same shape."""

import framebuf


class Canvas(framebuf.FrameBuffer):
    def __init__(self, width, height):
        buf = bytearray(((width + 7) // 8) * height)
        super().__init__(buf, width, height, framebuf.MONO_HLSB)
        self.buffer = buf
        self.width = width
        self.height = height
