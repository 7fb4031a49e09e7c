"""What every emulated e-paper controller shares (EmulatedPanel): geometry, the two
image planes, the glass with its ghosts, BUSY from the virtual clock, RST and CS/DC framing,
and the refresh rules. The controllers are host_sim.fakes.epd_ssd168x and epd_uc8151;
host_sim.fakes.epd picks one for a board. Common MicroPython subset."""

import time

FULL = "full"
PARTIAL = "partial"
FAST = "fast"

_SLEEP_GARBAGE = 0xA5  # RAM after waking from deep sleep: not the picture any more


class EPDProtocolError(Exception):
    pass


class EmulatedPanel:
    """What every emulated controller shares: geometry, the two image planes (new, old),
    the glass with its ghosts, BUSY from the virtual clock, RST, CS/DC framing, and the
    refresh rules (full: glass = new image; partial: only pixels where new != old move)."""

    BUSY_LEVEL = 1  # the BUSY pin's level while the controller works

    def __init__(self, spi, cs, dc, rst, busy, sources, gates, durations, on_refresh):
        self.sources = sources
        self.gates = gates
        self.row_bytes = (sources + 7) // 8
        self.durations = durations
        self.on_refresh = on_refresh
        size = self.row_bytes * gates
        self.ram_new = bytearray(b"\xff" * size)
        self.ram_old = bytearray(b"\xff" * size)
        self.visible = bytearray(b"\xff" * size)
        self.ghost = bytearray(size)  # 1 = driven by a partial since the last full refresh
        # Bits beyond the glass in each row's last byte never count as pixels.
        spare = self.row_bytes * 8 - sources
        self._last_mask = (0xFF << spare) & 0xFF
        self.cs, self.dc = cs, dc
        self.history = []  # (mode, ticks_ms) per refresh
        self.partials_since_full = 0
        self.asleep = False
        self._busy_until = None
        self._in_reset = False
        spi.attach(self)
        rst.watch(self._on_rst)
        level = self.BUSY_LEVEL
        busy.drive_from(lambda: level if self.busy() else 1 - level)

    # Per controller: parameter bytes each command takes, and the commands whose data is
    # image RAM (handed to _ram_data) rather than parameters.
    PARAMS = {}
    RAM_COMMANDS = ()

    def _data(self, data):
        cmd = self.cmd
        if cmd is None:
            raise EPDProtocolError("%d data byte(s) without a command" % len(data))
        if cmd in self.RAM_COMMANDS:
            self._ram_data(cmd, data)
            return
        self.params.extend(data)
        want = self.PARAMS[cmd]
        if len(self.params) > want:
            raise EPDProtocolError("command 0x%02x takes %d parameter byte(s), got %d"
                                   % (cmd, want, len(self.params)))
        if len(self.params) == want:
            self._execute(cmd, self.params)
            self.cmd = None

    def _finish(self):
        if self.cmd is not None and self.cmd not in self.RAM_COMMANDS:
            want = self.PARAMS[self.cmd]
            if len(self.params) != want:
                raise EPDProtocolError("command 0x%02x needs %d parameter byte(s), got %d"
                                       % (self.cmd, want, len(self.params)))
        self.cmd = None

    def busy(self):
        """True while the controller works (whatever the pin's polarity)."""
        if self._in_reset:
            return False
        until = self._busy_until
        if until is None:
            return False
        if time.ticks_diff(until, time.ticks_ms()) > 0:
            return True
        self._busy_until = None
        return False

    def _set_busy(self, ms):
        self._busy_until = time.ticks_add(time.ticks_ms(), ms)

    def _on_rst(self, pin, level):
        if level == 0:
            self._in_reset = True
            self._busy_until = None  # a reset aborts whatever was running
            return
        self._in_reset = False
        if self.asleep:
            # Waking from deep sleep: the image planes no longer hold the picture.
            for plane in (self.ram_new, self.ram_old):
                for i in range(len(plane)):
                    plane[i] = _SLEEP_GARBAGE
            self.asleep = False
        self._power_on()
        self._set_busy(self.durations["reset"])

    def _check_bus(self, data):
        """Common refusals before any byte is decoded; False if the chip is not selected."""
        if self.cs.value():
            return False
        if self._in_reset:
            raise EPDProtocolError("SPI write while RST is held low")
        if self.busy():
            left = time.ticks_diff(self._busy_until, time.ticks_ms())
            raise EPDProtocolError("%d byte(s) sent while BUSY (%d ms left, after command "
                                   "0x%02x)" % (len(data), left, self.cmd or 0))
        if self.asleep:
            raise EPDProtocolError("%s in deep sleep: only a hardware reset wakes the "
                                   "controller" % ("RAM/parameter write" if self.dc.value()
                                                   else "command"))
        return True

    def _refresh(self, mode):
        vis, new = self.visible, self.ram_new
        if mode == PARTIAL:
            old, ghost = self.ram_old, self.ghost
            for i in range(len(vis)):
                changed = new[i] ^ old[i]
                if changed:
                    vis[i] = (vis[i] & ~changed) | (new[i] & changed)
                    ghost[i] |= changed
            self.partials_since_full += 1
        else:
            vis[:] = new
            ghost = self.ghost
            for i in range(len(ghost)):
                ghost[i] = 0
            self.partials_since_full = 0
        self.history.append((mode, time.ticks_ms()))
        if self.on_refresh is not None:
            self.on_refresh(self, mode)

    # -- inspection ------------------------------------------------------------------------

    def _count(self, plane_a, plane_b=None):
        rb, mask = self.row_bytes, self._last_mask
        n = 0
        for i in range(len(plane_a)):
            v = plane_a[i] if plane_b is None else plane_a[i] ^ plane_b[i]
            if i % rb == rb - 1:
                v &= mask
            while v:
                v &= v - 1
                n += 1
        return n

    def ghost_pixels(self):
        """Pixels driven by partial refreshes since the last full one (they ghost)."""
        return self._count(self.ghost)

    def mismatch_pixels(self):
        """Pixels where the glass differs from the new image: a partial that did not drive
        them because the old image was stale. A correct driver keeps this at 0."""
        return self._count(self.visible, self.ram_new)

    def native_pixel(self, nx, ny, plane=None):
        plane = self.visible if plane is None else plane
        return (plane[ny * self.row_bytes + (nx >> 3)] >> (7 - (nx & 7))) & 1

    def logical(self, rotation, plane=None):
        """The glass (or a plane) as the wearer sees it: (bytearray MONO_HLSB, w, h), laid
        out like the driver's frame buffer for the same rotation."""
        nw, nh = self.sources, self.gates
        w, h = (nh, nw) if rotation in (90, 270) else (nw, nh)
        stride = (w + 7) // 8
        out = bytearray(stride * h)
        px = self.native_pixel
        for y in range(h):
            for x in range(w):
                if rotation == 0:
                    nx, ny = x, y
                elif rotation == 90:
                    nx, ny = nw - 1 - y, x
                elif rotation == 180:
                    nx, ny = nw - 1 - x, nh - 1 - y
                else:
                    nx, ny = y, nh - 1 - x
                if px(nx, ny, plane):
                    out[y * stride + (x >> 3)] |= 0x80 >> (x & 7)
        return out, w, h
