"""The shared air: every simulated pin's adverts, scans and connections, on virtual time.

One Medium per Simulation. Each pin is a host_sim.radio.bluetooth.BLE whose calls land here; a mover
(host_sim.people.scenarios) says where its wearer stands and faces at any virtual time. One task
(run()) plays the advertising events in time order; each packet (channels 37, 38, 39) goes
to the scanners that are near enough (a grid of cells, so 1,000 pins cost what their
neighbourhoods cost, not N^2), listening at that moment on that channel (the scan window and
interval the firmware set), not transmitting themselves, and not drowned by a colliding
packet. RSSI comes from host_sim.radio.channel. GATT operations take connection intervals.

Collisions: a packet is lost at a receiver if another packet on the same channel started
within two airtimes before it and is not at least capture_db weaker. Looking only backwards
(at packets already played) with a doubled window gives the same loss probability as the
symmetric +-1 airtime test (Poisson arrivals) without waiting for future packets.
"""

import asyncio
import heapq
import math

from host_sim.radio import bluetooth as fake_ble
from host_sim.radio.channel import Channel

_LOOKAHEAD_US = 1500
_INITIATE_POLL_US = 20000  # how often a connecting central checks for its target's advert
_ADV_IND = 0


class _Node:
    def __init__(self, idx, ble, mover):
        self.idx = idx
        self.ble = ble
        self.mover = mover
        self.pos = (0.0, 0.0, 0.0)
        self.pos_t = -1.0
        self.scheduled = False
        self.next_adv_us = 0
        self.tx_until_us = -1
        self.adverts = 0
        self.heard = 0
        self.collided = 0
        self.listen_us = 0.0
        self.scan_seg = None  # (start_us, window/interval)
        self.next_conn = 1
        self.cell = None


class _Link:
    def __init__(self, central, c_handle, periph, p_handle):
        self.central = central
        self.c_handle = c_handle
        self.periph = periph
        self.p_handle = p_handle
        self.next_us = 0
        self.mtu = 23

    def other(self, node):
        return self.periph if node is self.central else self.central

    def handle_of(self, node):
        return self.c_handle if node is self.central else self.p_handle


class Medium:
    def __init__(self, sim, rng, params=None, cell_m=10.0):
        self.sim = sim
        self.rng = rng
        self.channel = Channel(rng, params)
        self.p = self.channel.p
        self.nodes = []
        self._by_ble = {}
        self._heap = []
        self._seq = 0
        self._recent = {}  # grid cell -> [(t_us, ch, node)] of the last few packets
        self._links = []
        self.cell_m = cell_m
        self._grid = {}
        self._grid_t = -1.0
        self.packets = 0
        self.lost_collision = 0
        self.pairs_examined = 0  # (transmitter, receiver) pairs looked at: the grid's work
        self.started_us = None

    # -- building a room -------------------------------------------------------------

    def add(self, mover, name=None):
        """A new pin's BLE on this medium; mover.at(t_s) -> (x, y, facing_rad)."""
        idx = len(self.nodes)
        b = fake_ble.BLE(medium=self, mac=self._public_mac(idx), name=name or "pin%d" % idx)
        node = _Node(idx, b, mover)
        self.nodes.append(node)
        self._by_ble[id(b)] = node
        self.channel.offsets_for(idx)
        return b

    def node(self, b):
        return self._by_ble[id(b)]

    def _public_mac(self, idx):
        return bytes((0x24, 0x0A, 0xC4, (idx >> 16) & 0xFF, (idx >> 8) & 0xFF, idx & 0xFF))

    def random_bytes(self, n):
        return bytes(self.rng.getrandbits(8) for _ in range(n))

    # -- time ------------------------------------------------------------------------

    def now_us(self):
        return self.sim.clock.elapsed_us

    def later(self, delay_us, fn, *args):
        if self.sim.loop.is_closed():
            return  # the simulation is over; firmware shutting down talks to nobody
        self.sim.loop.call_later(delay_us / 1e6, fn, *args)

    def _pos(self, node, t_s):
        if t_s - node.pos_t >= 0.02 or node.pos_t < 0:
            node.pos = node.mover.at(t_s)
            node.pos_t = t_s
        return node.pos

    # -- what the BLE objects tell us ------------------------------------------------------

    def advertising_changed(self, b):
        node = self.node(b)
        if b.adv_interval_us is not None and not node.scheduled:
            node.scheduled = True
            delay = self.rng.uniform(0, self.p["adv_jitter_ms"] * 1000)
            self._push(self.now_us() + 1000 + delay, node)

    def scan_changed(self, b):
        node = self.node(b)
        now = self.now_us()
        self._close_scan_segment(node, now)
        if b.scan is not None:
            _, _, interval, window, _ = b.scan
            node.scan_seg = (now, window / interval)
        self._grid_t = -1.0  # receivers changed

    def _close_scan_segment(self, node, now):
        if node.scan_seg is not None:
            start, frac = node.scan_seg
            node.listen_us += (now - start) * frac
            node.scan_seg = None

    def ble_inactive(self, b):
        self.scan_changed(b)

    def listen_fraction(self, b):
        """Share of the time since this pin's first scan that its receiver listened."""
        node = self.node(b)
        now = self.now_us()
        listened = node.listen_us
        if node.scan_seg is not None:
            listened += (now - node.scan_seg[0]) * node.scan_seg[1]
        return listened / max(1, now - (self.started_us or 0))

    def airtime_us(self, data):
        # 1 Mbps: preamble 1 + access address 4 + header 2 + AdvA 6 + data + CRC 3 bytes
        return (16 + len(data)) * 8

    # -- the advertising task ------------------------------------------------------------

    def _push(self, t_us, node):
        node.next_adv_us = t_us
        self._seq += 1
        heapq.heappush(self._heap, (t_us, self._seq, node))

    async def run(self):
        if self.started_us is None:
            self.started_us = self.now_us()
        while True:
            if not self._heap:
                await asyncio.sleep(0.05)
                continue
            now = self.now_us()
            t = self._heap[0][0]
            if t > now:
                await asyncio.sleep((t - now) / 1e6)
                continue
            while self._heap and self._heap[0][0] <= now + _LOOKAHEAD_US:
                t, _, node = heapq.heappop(self._heap)
                self._advert_event(node, t)

    def _advert_event(self, node, t_us):
        b = node.ble
        node.scheduled = False
        if b.adv_interval_us is None or not b._active or b.adv_data is None:
            return
        node.scheduled = True
        self._push(t_us + b.adv_interval_us
                   + self.rng.uniform(0, self.p["adv_jitter_ms"] * 1000), node)
        data = b.adv_data
        addr_type, addr = b.config("mac")
        air = self.airtime_us(data)
        node.adverts += 1
        t_s = t_us / 1e6
        x, y, facing = self._pos(node, t_s)
        receivers = self._receivers(node, x, y, t_s)
        gap = self.p["channel_gap_us"]
        # Recent packets are kept per grid cell, so a collision check looks at the packets
        # of the neighbourhood, not of the whole hall.
        cell = (int(math.floor(x / self.cell_m)), int(math.floor(y / self.cell_m)))
        nearby = self._recent_near(cell, t_us - 4 * air - 3 * gap) if receivers else ()
        mine = self._recent.setdefault(cell, [])
        while mine and mine[0][0] < t_us - 4 * air - 3 * gap:
            mine.pop(0)
        for ch in range(3):
            tc = t_us + ch * gap
            node.tx_until_us = tc + air
            mine.append((tc, ch, node))
            self.packets += 1
            if not receivers:
                continue
            colliders = [q for q in nearby if q[1] == ch and 0 <= tc - q[0] < 2 * air]
            for rx, d, body in receivers:
                if not self._listening(rx, tc, ch):
                    continue
                rssi = self.channel.rssi(node.idx, rx.idx, d, t_s, body)
                if rssi is None:
                    continue
                if colliders and self._collided(rx, rssi, colliders, t_s):
                    rx.collided += 1
                    self.lost_collision += 1
                    continue
                rx.heard += 1
                rx.ble.deliver_scan(addr_type, addr, _ADV_IND, rssi, data)

    def _recent_near(self, cell, cutoff):
        reach = int(math.ceil(self.p["max_range_m"] / self.cell_m))
        out = []
        cx, cy = cell
        for gx in range(cx - reach, cx + reach + 1):
            for gy in range(cy - reach, cy + reach + 1):
                lst = self._recent.get((gx, gy))
                if not lst:
                    continue
                while lst and lst[0][0] < cutoff:
                    lst.pop(0)
                out.extend(lst)
        return out

    def _listening(self, rx, tc, ch):
        scan = rx.ble.scan
        if scan is None:
            return False
        start, duration_ms, interval, window, _ = scan
        dt = tc - start
        if dt < 0 or (duration_ms and dt > duration_ms * 1000):
            return False
        k, off = divmod(dt, interval)
        return off < window and int(k) % 3 == ch

    def _collided(self, rx, rssi, colliders, t_s):
        power = 0.0
        for _, _, q in colliders:
            if q is rx:
                return True  # it was transmitting itself: half duplex
            qx, qy, _ = self._pos(q, t_s)
            rx_x, rx_y, _ = rx.pos
            d = math.hypot(qx - rx_x, qy - rx_y)
            power += 10 ** (self.channel.mean_rssi(q.idx, rx.idx, d) / 10.0)
        return rssi - 10.0 * math.log10(power) < self.p["capture_db"]

    def _receivers(self, tx, x, y, t_s):
        if t_s - self._grid_t >= 0.1 or self._grid_t < 0:
            self._rebuild_grid(t_s)
        cm = self.cell_m
        reach = int(math.ceil(self.p["max_range_m"] / cm))
        cx, cy = int(math.floor(x / cm)), int(math.floor(y / cm))
        out = []
        max_r = self.p["max_range_m"]
        ch = self.channel
        for gx in range(cx - reach, cx + reach + 1):
            for gy in range(cy - reach, cy + reach + 1):
                for rx in self._grid.get((gx, gy), ()):
                    if rx is tx:
                        continue
                    self.pairs_examined += 1
                    rx_x, rx_y, rfacing = self._pos(rx, t_s)
                    d = math.hypot(rx_x - x, rx_y - y)
                    if d > max_r:
                        continue
                    body = ch.body_loss(x, y, tx.pos[2], rx_x, rx_y, rfacing)
                    out.append((rx, d, body))
        return out

    def _rebuild_grid(self, t_s):
        grid = {}
        cm = self.cell_m
        for node in self.nodes:
            if node.ble.scan is None:
                continue  # only scanners receive
            x, y, _ = self._pos(node, t_s)
            grid.setdefault((int(math.floor(x / cm)), int(math.floor(y / cm))), []).append(node)
        self._grid = grid
        self._grid_t = t_s

    # -- connections and GATT ------------------------------------------------------------

    def _find_by_addr(self, addr):
        for node in self.nodes:
            if node.ble._mac == addr:
                return node
        return None

    def _distance(self, a, b, t_s):
        ax, ay, _ = self._pos(a, t_s)
        bx, by, _ = self._pos(b, t_s)
        return math.hypot(ax - bx, ay - by)

    def connect(self, b, addr_type, addr, timeout_ms):
        self._initiate(self.node(b), addr_type, addr, timeout_ms * 1000, self.now_us())

    def _initiate(self, central, addr_type, addr, timeout_us, t0):
        """The initiator listens for the target's connectable advert until the timeout: a
        target that is between adverts (it just turned another central away, it is about to
        re-advertise) is caught by its next one, as on a real controller."""
        now = self.now_us()
        left = timeout_us - (now - t0)
        target = self._find_by_addr(addr)
        if target is not None and target.ble.adv_interval_us is not None \
                and target.ble.adv_connectable:
            d = self._distance(central, target, now / 1e6)
            if self.channel.mean_rssi(target.idx, central.idx, d) > self.p["sensitivity_dbm"]:
                # The CONNECT_IND answers the target's next advert; the first connection
                # event follows one interval later.
                delay = max(0, target.next_adv_us - now)
                if delay <= left:
                    self.later(delay + self.p["conn_interval_ms"] * 1000, self._establish,
                               central, target, addr_type, addr, timeout_us, t0)
                    return
        if left <= 0:
            central.ble.deliver_conn(fake_ble._IRQ_PERIPHERAL_DISCONNECT, 0xFFFF, addr_type, addr)
            return
        self.later(min(left, _INITIATE_POLL_US), self._initiate, central, addr_type, addr,
                   timeout_us, t0)

    def _establish(self, central, target, addr_type, addr, timeout_us, t0):
        tb = target.ble
        if tb.adv_interval_us is None or not tb.adv_connectable or tb._mac != addr:
            # It stopped advertising (another central got in first): keep listening.
            self._initiate(central, addr_type, addr, timeout_us, t0)
            return
        ch, ph = central.next_conn, target.next_conn
        central.next_conn += 1
        target.next_conn += 1
        link = _Link(central, ch, target, ph)
        self._links.append(link)
        tb.adv_interval_us = None  # legacy connectable advertising ends on connection
        c_type, c_addr = central.ble.config("mac")
        p_type, p_addr = tb.config("mac")
        central.ble.deliver_conn(fake_ble._IRQ_PERIPHERAL_CONNECT, ch, p_type, p_addr)
        tb.deliver_conn(fake_ble._IRQ_CENTRAL_CONNECT, ph, c_type, c_addr)

    def _link(self, node, handle):
        for link in self._links:
            if link.handle_of(node) == handle and (link.central is node or link.periph is node):
                return link
        return None

    def disconnect(self, b, handle):
        node = self.node(b)
        link = self._link(node, handle)
        if link is None:
            return False
        self._links.remove(link)
        ci = self.p["conn_interval_ms"] * 1000
        c, p = link.central, link.periph
        c_type, c_addr = c.ble.config("mac")
        p_type, p_addr = p.ble.config("mac")
        self.later(ci, c.ble.deliver_conn, fake_ble._IRQ_PERIPHERAL_DISCONNECT,
                   link.c_handle, p_type, p_addr)
        self.later(ci, p.ble.deliver_conn, fake_ble._IRQ_CENTRAL_DISCONNECT,
                   link.p_handle, c_type, c_addr)
        return True

    def _slot(self, link, events=1):
        """The time of the next free connection event on this link (keeps ATT in order)."""
        ci = self.p["conn_interval_ms"] * 1000
        t = max(self.now_us() + ci, link.next_us)
        link.next_us = t + ci * (events - 1) + 1
        return t - self.now_us()

    def notify(self, b, handle, value_handle, payload):
        node = self.node(b)
        link = self._link(node, handle)
        if link is None:
            raise OSError(128)  # ENOTCONN
        peer = link.other(node)
        payload = payload[:link.mtu - 3]  # notifications are truncated to the ATT MTU
        self.later(self._slot(link), self._deliver_if_linked, link, peer,
                   fake_ble._IRQ_GATTC_NOTIFY, value_handle, payload)

    def _deliver_if_linked(self, link, node, event, value_handle, payload):
        if link in self._links:
            node.ble.deliver_data(event, link.handle_of(node), value_handle, payload)

    def _fire_if_linked(self, link, node, event, data):
        if link in self._links:
            node.ble.fire(event, data)

    def gattc(self, b, handle, op, arg):
        node = self.node(b)
        link = self._link(node, handle)
        if link is None:
            raise OSError(128)
        peer = link.other(node)
        fire = self._fire_if_linked
        if op == "services":
            wait = self._slot(link, 2)
            for uuid, start, end, _ in peer.ble._services:
                if arg is None or uuid == arg:
                    self.later(wait, fire, link, node, fake_ble._IRQ_GATTC_SERVICE_RESULT,
                               (handle, start, end, uuid))
            self.later(wait + 1, fire, link, node, fake_ble._IRQ_GATTC_SERVICE_DONE,
                       (handle, 0))
        elif op == "chars":
            start, end, want = arg
            wait = self._slot(link, 2)
            for _, _s_start, s_end, chars in peer.ble._services:
                for vh, flags, uuid in chars:
                    if start <= vh <= end and (want is None or want == uuid):
                        self.later(wait, fire, link, node,
                                   fake_ble._IRQ_GATTC_CHARACTERISTIC_RESULT,
                                   (handle, s_end, vh, flags, uuid))
            self.later(wait + 1, fire, link, node,
                       fake_ble._IRQ_GATTC_CHARACTERISTIC_DONE, (handle, 0))
        elif op == "read":
            wait = self._slot(link, 2)
            value = bytes(peer.ble._values.get(arg, b""))[:link.mtu - 1]
            self.later(wait, self._deliver_if_linked, link, node,
                       fake_ble._IRQ_GATTC_READ_RESULT, arg, value)
            self.later(wait + 1, fire, link, node, fake_ble._IRQ_GATTC_READ_DONE,
                       (handle, arg, 0))
        elif op == "write":
            vh, data, mode = arg
            wait = self._slot(link, 2 if mode else 1)
            status = 0 if len(data) <= link.mtu - 3 else 0x0D  # invalid attribute length
            if status == 0:
                self.later(wait, self._server_write, link, peer, vh, data)
            if mode:
                self.later(wait + 1, fire, link, node, fake_ble._IRQ_GATTC_WRITE_DONE,
                           (handle, vh, status))
        elif op == "mtu":
            mtu = min(node.ble._mtu, peer.ble._mtu)
            link.mtu = mtu
            wait = self._slot(link)
            self.later(wait, fire, link, node, fake_ble._IRQ_MTU_EXCHANGED, (handle, mtu))
            self.later(wait, fire, link, peer, fake_ble._IRQ_MTU_EXCHANGED,
                       (link.handle_of(peer), mtu))
        else:
            raise ValueError(op)

    def _server_write(self, link, peer, vh, data):
        if link in self._links:
            peer.ble.server_write(link.handle_of(peer), vh, data)
