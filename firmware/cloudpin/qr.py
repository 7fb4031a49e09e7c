"""The wearer's contact link as a QR code, computed once per link and cached.

The encoder is micropython-qr (PyPI, module micropython_qr), taken as a dependency: frozen
into the image next to firmware/ on the pin, from site-packages on the unix port and in the
simulator. Choosing the mask pattern is most of its cost and its module matrix is a list of
lists of bools (KBs of heap), so the result is packed into a bytes bitmap (MONO_HLSB rows,
1 = dark module) and the encoder's objects are dropped. A new link (profile change) is the
only thing that recomputes it.
"""

ECC_M = 0  # micropython_qr.ERROR_CORRECT_M: 15 % of the code may be dirty or scuffed
# A contact link longer than this would need a code too dense for the badge's 66 px box
# (version 5+, 1 px modules): no QR is shown rather than one no phone can read.
MAX_LINK = 60


class QRCache:
    def __init__(self):
        self.link = None
        self.size = 0        # modules per side
        self.bits = None     # bytes, ((size + 7) // 8) per row
        self.computed = 0    # how many times the encoder ran (tests check the cache)
        self.error = None    # why the last link has no code

    def matrix(self, link):
        """(bits, size) for link; None for an empty, too long or unencodable link (the
        layout then leaves the QR out; self.error says why)."""
        if not link:
            self.error = None
            return None
        if link != self.link:
            self.error = None
            if not isinstance(link, str) or len(link) > MAX_LINK:
                self.bits, self.size, self.link = None, 0, link
                self.error = "link is not text of at most %d characters" % MAX_LINK
            else:
                try:
                    self._encode(link)
                except MemoryError:
                    raise  # not the link's fault: the caller may retry once heap is free
                except Exception as exc:  # the encoder's own errors (overflow, bad data)
                    self.bits, self.size, self.link = None, 0, link
                    self.error = "QR encoder failed: %r" % (exc,)
        if self.bits is None:
            return None
        return self.bits, self.size

    def _encode(self, link):
        import micropython_qr

        code = micropython_qr.QRCode(border=0, error_correction=ECC_M)
        # optimize=0: one byte-mode segment; the optimiser's regex splitting costs heap and
        # time and gains nothing for a short URL.
        code.add_data(link.encode(), optimize=0)
        code.make()
        modules = code.modules
        if modules is None:  # make() always fills it; the check is for the type checker
            raise ValueError("QR encoder produced nothing")
        n = code.modules_count
        stride = (n + 7) // 8
        bits = bytearray(stride * n)
        for y in range(n):
            row = modules[y] or ()  # never None after make(); says so to the type checker
            for x in range(n):
                if row[x]:
                    bits[y * stride + (x >> 3)] |= 0x80 >> (x & 7)
        code = modules = None  # the encoder's lists become garbage for the next collection
        self.bits, self.size, self.link = bytes(bits), n, link
        self.computed += 1


def draw(fb, bits, size, x, y, box):
    """Draw the code with a white quiet zone inside a box x box square at (x, y), with the
    largest whole number of pixels per module. Returns the pixels per module (0: too small)."""
    quiet = 2  # modules of white margin; the frame around it is white as well
    scale = box // (size + 2 * quiet)
    if scale < 1:
        return 0
    fb.fill_rect(x, y, box, box, 1)
    off_x = x + (box - size * scale) // 2
    off_y = y + (box - size * scale) // 2
    stride = (size + 7) // 8
    for my in range(size):
        base = my * stride
        for mx in range(size):
            if bits[base + (mx >> 3)] & (0x80 >> (mx & 7)):
                fb.fill_rect(off_x + mx * scale, off_y + my * scale, scale, scale, 0)
    return scale
