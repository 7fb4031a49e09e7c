"""What every emulated e-paper controller shares (EmulatedPanel): the SPI framing (a byte is a
command while D/C is low, a parameter or RAM data while it is high, only while CS is low),
parameters latched as they arrive, RST, BUSY from the virtual clock, deep sleep, and the glass
with its ghosts. The controllers are host_sim.fakes.epd_ssd168x and epd_uc8151;
host_sim.fakes.epd picks one for a board, host_sim.fakes.epd_glass says which glass it drives.

The glass (`visible`, one bit per pixel, 1 = white, in the glass's native orientation: `sources`
columns by `gates` rows) changes only when the controller runs a waveform: each pixel gets the
effect its (previous, new) class has in that waveform (host_sim.fakes.epd_waveform). `ghost`
marks pixels that changed colour without being flashed, until a waveform flashes them.

Three kinds of outcome, so tests can tell them apart:
- EPDProtocolError: what the chip cannot take at all (a byte while it is busy, anything but a
  hardware reset in deep sleep, SPI while RST is low, a command byte not in its datasheet).
- flags (list of strings): bytes the chip accepts and acts on, with a visible consequence the
  message describes ("... the glass keeps the old picture there").
- unmodelled (command -> count): commands accepted with no visible effect (voltages, booster).
Common MicroPython subset: runs on the unix port too.
"""

import time

FULL = "full"
PARTIAL = "partial"
FAST = "fast"

ANY = -1  # parameter count of a command whose length the datasheet leaves open


class EPDProtocolError(Exception):
    pass


def fill_undefined(buf, seed):
    """RAM nobody wrote (power-up, after deep sleep mode 2): undefined on the chip, a fixed
    pseudo-random pattern here, so neither all white nor all black."""
    x = seed & 0x7FFFFFFF
    for i in range(len(buf)):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        buf[i] = (x >> 16) & 0xFF


def _popcount(v):
    n = 0
    while v:
        v &= v - 1
        n += 1
    return n


class EmulatedPanel:
    BUSY_LEVEL = 1       # the BUSY pin's level while the controller works
    BUSY_IN_SLEEP = False
    CHIP = "?"
    COMMANDS = {}        # command -> parameter count (None: RAM data stream, ANY: open)
    READS = ()           # commands that are followed by a read, not by data
    # Whatever the durations argument overrides: "full", "partial", "fast" (the waveform of
    # that kind), "power" (a power sequence alone), "lut" (a load alone), "reset" (SW reset).

    def __init__(self, spi, cs, dc, rst, busy, glass, durations, on_refresh):
        self.glass = glass
        self.sources = glass.sources
        self.gates = glass.gates
        self.row_bytes = (self.sources + 7) // 8
        self.durations = dict(durations or {})
        self.on_refresh = on_refresh
        size = self.row_bytes * self.gates
        self.visible = bytearray(b"\xff" * size)
        self.ghost = bytearray(size)  # 1 = changed colour without a flash since
        spare = self.row_bytes * 8 - self.sources
        self._last_mask = (0xFF << spare) & 0xFF
        self._row_old = bytearray(self.row_bytes)
        self._row_new = bytearray(self.row_bytes)
        self._row_mask = bytearray(self.row_bytes)
        self._mismatch = 0   # pixels the last refresh left unlike its new image
        self.cs, self.dc = cs, dc
        self.history = []   # (mode, ticks_ms) per refresh
        self.partials_since_full = 0
        self.flags = []     # accepted with a visible consequence: what the glass shows
        self.unmodelled = {}
        self.asleep = False
        self.sleep_mode = 0
        self.cmd = None
        self.params = bytearray()
        self._complete = False
        self._extra_flagged = False
        self._busy_until = None
        self._busy_what = None
        self._in_reset = False
        spi.attach(self)
        rst.watch(self._on_rst)
        level = self.BUSY_LEVEL
        busy.drive_from(lambda: level if self.busy() else 1 - level)

    # -- per controller ---------------------------------------------------------------------

    def _por(self):
        """Registers to their power-on values (RES# low, and what a SW reset resets)."""

    def _wake(self):
        """Leaving deep sleep by a hardware reset: what happens to the RAM."""

    def _execute(self, cmd, p):
        """Command cmd with the parameter bytes received (possibly fewer than it takes)."""

    def _stream_start(self, cmd):
        pass

    def _stream(self, cmd, data):
        pass

    def _read(self, cmd, n):
        return None

    def _busy_allows(self, dc, data):
        return False

    def _glass_row(self, g, old, new, mask):
        """Fill old/new (colour of each glass pixel of row g in the previous and the new
        image, 1 = white) and mask (1 = this pixel is driven); False if row g is not."""
        return False

    # -- messages -----------------------------------------------------------------------------

    def flag(self, text):
        """Accepted, with a visible consequence (text says what the glass shows)."""
        if not self.flags or self.flags[-1] != text:
            self.flags.append(text)

    def _unmodelled(self, cmd):
        self.unmodelled[cmd] = self.unmodelled.get(cmd, 0) + 1

    # -- bus ----------------------------------------------------------------------------------

    def spi_write(self, data):
        if self.cs.value():
            return  # not selected
        dc = self.dc.value()
        if self._in_reset:
            raise EPDProtocolError("SPI write while RST is held low")
        if self.asleep:
            raise EPDProtocolError("%s in deep sleep: only a hardware reset wakes the "
                                   "controller" % ("RAM/parameter write" if dc else "command"))
        if self.busy() and not self._busy_allows(dc, data):
            left = time.ticks_diff(self._busy_until, time.ticks_ms())
            raise EPDProtocolError("%d byte(s) sent while BUSY (%d ms left of %s, after "
                                   "command 0x%02x)" % (len(data), left, self._busy_what,
                                                        self.cmd or 0))
        if dc:
            self._data(data)
        else:
            for b in data:
                self._command(b)

    def spi_read(self, n):
        if self.cs.value() or self.cmd not in self.READS:
            return None
        return self._read(self.cmd, n)

    def _command(self, cmd):
        self._end_command()
        if cmd not in self.COMMANDS:
            raise EPDProtocolError("command 0x%02x is not in the %s datasheet's command "
                                   "table" % (cmd, self.CHIP))
        self.cmd = cmd
        self.params = bytearray()
        self._complete = False
        self._extra_flagged = False
        want = self.COMMANDS[cmd]
        if want is None:
            self._stream_start(cmd)
        elif want == 0:
            self._complete = True
            self._execute(cmd, self.params)

    def _data(self, data):
        cmd = self.cmd
        if cmd is None:
            self.flag("%d data byte(s) with no command before them: the chip ignores "
                      "them" % len(data))
            return
        want = self.COMMANDS[cmd]
        if want is None:
            self._stream(cmd, data)
            return
        if want == ANY:
            self.params.extend(data)
            return
        take = want - len(self.params)
        if take > 0:
            self.params.extend(data[:take])
            if len(self.params) == want:
                self._complete = True
                self._execute(cmd, self.params)
        extra = len(data) - max(take, 0)
        if extra > 0 and not self._extra_flagged:
            self._extra_flagged = True
            self.flag("command 0x%02x takes %d parameter byte(s): %d more ignored" % (
                cmd, want, extra))

    def _end_command(self):
        """The next command (or a reset) ends this one: a command short of its parameters
        takes what arrived, the rest of its register keeps its value."""
        cmd = self.cmd
        if cmd is None:
            return
        want = self.COMMANDS[cmd]
        if want is not None and not self._complete:
            if self.params or want == ANY:
                self._complete = True
                self._execute(cmd, self.params)
            else:
                self.flag("command 0x%02x without its %d parameter byte(s): its register "
                          "keeps its value" % (cmd, want))
        self.cmd = None

    # -- RST, BUSY ------------------------------------------------------------------------------

    def busy(self):
        """True while the controller works (whatever the pin's polarity)."""
        if self._in_reset:
            return False
        if self.asleep:
            return self.BUSY_IN_SLEEP
        until = self._busy_until
        if until is None:
            return False
        if time.ticks_diff(until, time.ticks_ms()) > 0:
            return True
        self._busy_until = None
        return False

    def _set_busy(self, ms, what):
        if ms > 0:
            self._busy_until = time.ticks_add(time.ticks_ms(), ms)
            self._busy_what = what

    def _on_rst(self, pin, level):
        if level == 0:
            if self.busy() and not self.asleep:
                self.flag("hardware reset while BUSY (%s): the operation is cut short"
                          % self._busy_what)
            self._in_reset = True
            self._busy_until = None
            self.cmd = None
            return
        if not self._in_reset:
            return
        self._in_reset = False
        if self.asleep:
            self._wake()
            self.asleep = False
            self.sleep_mode = 0
        self._por()

    def _enter_sleep(self, mode):
        self._end_command()
        self.asleep = True
        self.sleep_mode = mode
        self._busy_until = None

    # -- the glass ------------------------------------------------------------------------------

    def _apply(self, wave, mode):
        """Run waveform wave on every driven pixel; record the refresh as mode."""
        vis, ghost = self.visible, self.ghost
        rb = self.row_bytes
        old, new, mask = self._row_old, self._row_new, self._row_mask
        finals, shakes, weak = wave.finals, wave.shakes, wave.weak
        wrong = wave.wrong_classes()
        wrong_px = [0, 0, 0, 0]
        last = self._last_mask
        mismatch = 0
        for g in range(self.gates):
            if not self._glass_row(g, old, new, mask):
                continue
            base = g * rb
            for j in range(rb):
                cm = mask[j]
                if j == rb - 1:
                    cm &= last
                if not cm:
                    continue
                o = old[j]
                n = new[j]
                m0 = ~o & ~n & cm
                m1 = ~o & n & cm
                m2 = o & ~n & cm
                m3 = o & n & cm
                v0 = vis[base + j]
                v = v0
                shake = 0
                grey = 0
                for c, mc in ((0, m0), (1, m1), (2, m2), (3, m3)):
                    if not mc:
                        continue
                    f = finals[c]
                    if weak[c]:       # too short a push: no switch, a grey ghost
                        grey |= mc & (~v0 if f == 2 else v0)
                    elif f == 2:
                        v |= mc
                    elif f == 1:
                        v &= ~mc
                    if shakes[c]:
                        shake |= mc
                    if wrong:
                        wrong_px[c] += _popcount(mc & 0xFF)
                v &= 0xFF
                vis[base + j] = v
                if (v ^ n) & cm:
                    mismatch += _popcount((v ^ n) & cm)
                keep = ~shake & 0xFF
                ghost[base + j] = (ghost[base + j] & keep) | ((v ^ v0) | grey) & keep
        for c, what in wrong:
            if wrong_px[c]:
                self.flag("%s: %s pixels %s (%d px): the glass does not show the new "
                          "image there" % (wave.name, _CLASS[c], what, wrong_px[c]))
        self._mismatch = mismatch
        if mode == PARTIAL:
            self.partials_since_full += 1
        else:
            self.partials_since_full = 0
        self.history.append((mode, time.ticks_ms()))
        if self.on_refresh is not None:
            self.on_refresh(self, mode)

    # -- inspection (issue 24's live view and the tests read these) ------------------------------

    def _count(self, plane):
        rb, last = self.row_bytes, self._last_mask
        n = 0
        for i in range(len(plane)):
            v = plane[i]
            if i % rb == rb - 1:
                v &= last
            n += _popcount(v)
        return n

    def ghost_pixels(self):
        """Pixels that changed colour without being flashed since (they ghost)."""
        return self._count(self.ghost)

    def mismatch_pixels(self):
        """Pixels the last refresh left unlike the new image it was asked to show: it did
        not drive them because the previous image was stale, or its LUT drove them wrong.
        (Counted when it runs: the glass changes only then.) A correct driver keeps this 0."""
        return self._mismatch

    def native_pixel(self, nx, ny, plane=None):
        plane = self.visible if plane is None else plane
        return (plane[ny * self.row_bytes + (nx >> 3)] >> (7 - (nx & 7))) & 1

    def _logical_row(self, rotation, y, row, plane=None):
        """Row y of the glass (or plane) as the wearer sees it, into row (MONO_HLSB)."""
        nw, nh = self.sources, self.gates
        px = self.native_pixel
        for i in range(len(row)):
            row[i] = 0
        for x in range(nh if rotation in (90, 270) else nw):
            if rotation == 0:
                nx, ny = x, y
            elif rotation == 90:
                nx, ny = nw - 1 - y, x
            elif rotation == 180:
                nx, ny = nw - 1 - x, nh - 1 - y
            else:
                nx, ny = y, nh - 1 - x
            if px(nx, ny, plane):
                row[x >> 3] |= 0x80 >> (x & 7)

    def _logical_size(self, rotation):
        nw, nh = self.sources, self.gates
        return (nh, nw) if rotation in (90, 270) else (nw, nh)

    def bytes_differing(self, buffer, rotation):
        """How many bytes of a MONO_HLSB frame buffer (as the driver's, for rotation) differ
        from the glass; one row at a time, so it allocates next to nothing (the unix pin's
        heap has no 4 KB block left for logical() late in a HIL session)."""
        w, h = self._logical_size(rotation)
        stride = (w + 7) // 8
        row = bytearray(stride)
        n = 0
        for y in range(h):
            self._logical_row(rotation, y, row)
            for i in range(stride):
                if row[i] != buffer[y * stride + i]:
                    n += 1
        return n

    def logical(self, rotation, plane=None):
        """The glass (or a glass-sized plane such as `ghost`) as the wearer sees it:
        (bytearray MONO_HLSB, w, h), laid out like the driver's frame buffer for the same
        rotation."""
        w, h = self._logical_size(rotation)
        stride = (w + 7) // 8
        out = bytearray(stride * h)
        row = bytearray(stride)
        for y in range(h):
            self._logical_row(rotation, y, row, plane)
            out[y * stride:(y + 1) * stride] = row
        return out, w, h


_CLASS = ("black->black", "black->white", "white->black", "white->white")


def take_bits(src, base, x0, nbits, out, polarity_white, mirror=False, limit=None):
    """out[0..] = bits x0 .. x0+nbits-1 of the row at src[base:] (MSB first), as colours
    (1 = white): polarity_white says whether a 1 bit is white. mirror: bit k of the output is
    source bit x0-k instead (a controller shifting its data the other way). Bits outside
    0..limit-1 of the source row come out as 0 and are the caller's to mask."""
    if not mirror and x0 % 8 == 0 and x0 >= 0 and (limit is None or x0 + nbits <= limit):
        b0 = base + x0 // 8
        n = (nbits + 7) // 8
        if polarity_white:
            for j in range(n):
                out[j] = src[b0 + j]
        else:
            for j in range(n):
                out[j] = ~src[b0 + j] & 0xFF
        return
    for j in range((nbits + 7) // 8):
        out[j] = 0
    for k in range(nbits):
        x = x0 - k if mirror else x0 + k
        if x < 0 or (limit is not None and x >= limit):
            continue
        bit = (src[base + (x >> 3)] >> (7 - (x & 7))) & 1
        if not polarity_white:
            bit ^= 1
        if bit:
            out[k >> 3] |= 0x80 >> (k & 7)
