"""The radio service: advertise, scan, judge taps, swap contact cards over GATT.

    radio = Radio(board.ble, my_card, on_friend=..., on_met_again=..., is_friend=...)
    asyncio.create_task(radio.run())

One object owns the BLE stack. The scan callback (_irq, _IRQ_SCAN_RESULT) is the hot path:
foreign adverts are rejected by advert.is_ours() with integer compares and no allocation;
our adverts go to the pure Proximity table. When a tap is mutually confirmed, the pin with
the lower ephemeral ID connects to the other (GAP central), and the two swap cards on one
characteristic: the central writes its card in frames, the peripheral answers with its card
as notifications *to that connection only*. The card is never stored in a readable attribute,
and a central that is not the peer of the tap that just happened is disconnected at once, so
it gets nothing.

Frames: [index, count] + up to (MTU - 3 - 2) bytes of card. Both sides check index order,
count and total size before decoding the card strictly (card.decode).

What this protects against, and what not: rotating ID + address every <= 15 min stops simple
tracking by adverts; cards go only to a mutually confirmed tap peer. RSSI is not a security
boundary: a relay or a loud transmitter can fake closeness, and anyone can tap anyone who
holds their pin out. There is no pairing/encryption of the card link (an eavesdropper close
by during a tap can read both cards).
"""

import asyncio
import time

from micropython import const

from cloudpin import advert, card
from cloudpin.proximity import Proximity

_IRQ_CENTRAL_CONNECT = const(1)
_IRQ_CENTRAL_DISCONNECT = const(2)
_IRQ_GATTS_WRITE = const(3)
_IRQ_SCAN_RESULT = const(5)
_IRQ_SCAN_DONE = const(6)
_IRQ_PERIPHERAL_CONNECT = const(7)
_IRQ_PERIPHERAL_DISCONNECT = const(8)
_IRQ_GATTC_CHARACTERISTIC_RESULT = const(11)
_IRQ_GATTC_CHARACTERISTIC_DONE = const(12)
_IRQ_GATTC_WRITE_DONE = const(17)
_IRQ_GATTC_NOTIFY = const(18)
_IRQ_MTU_EXCHANGED = const(21)

_FLAG_WRITE = const(0x0008)
_FLAG_NOTIFY = const(0x0010)
_ADDR_MODE_NRPA = const(3)  # non-resolvable private address; re-set to get a fresh one

SERVICE_UUID = "c10d0a00-7a9f-4b7e-9d2c-3c1e0f5a7e01"
CARD_CHAR_UUID = "c10d0a01-7a9f-4b7e-9d2c-3c1e0f5a7e01"

_FRAME_HDR = const(2)
_DEFAULT_MTU = const(23)
_WANT_MTU = const(247)  # a whole card in one ATT packet when both stacks agree

# Exchange phases
_IDLE = const(0)
_C_CONNECTING = const(1)
_C_MTU = const(9)
_C_DISCOVER_CHR = const(3)
_C_SENDING = const(4)
_C_RECEIVING = const(5)
_P_WAITING = const(6)
_P_RECEIVING = const(7)
_P_SENT = const(8)


def unaliased_scan(adv_interval_ms, window_ms=30):
    """An idle scan (interval_ms, window_ms) that hears peers advertising every
    adv_interval_ms at evenly spread moments.

    Adverts come every adv_interval_ms plus 0-10 ms of advDelay (5 on average). A scan
    interval near a multiple of that period lets the window slide slowly across the adverts:
    200 ms against 105 ms heard 4 adverts in a row, then nothing for 1.4-1.8 s, and a tap
    seen by the peer alone was often half over before this pin's scanner woke up (bench tap:
    12 of 800 taps lost, against 3 of 800 with the interval below at the same duty). Stepping
    the window by 0.382 of the period (the golden ratio's fraction) spreads the hits evenly
    instead: a peer is heard mostly every 2, 3 or 5 intervals (0.3-0.75 s), as often as
    before.
    (The ESP32 takes scan timings in 0.625 ms units: 145 ms is 232 of them.)"""
    period = adv_interval_ms + 5
    return (period + period * 382 // 1000, window_ms)


class RadioStats:
    def __init__(self):
        self.ours = 0
        self.foreign = 0
        self.irq_errors = 0
        self.taps = 0
        self.exchanges = 0
        self.exchange_failures = 0
        self.rejected_connects = 0
        self.bad_frames = 0
        self.rotations = 0
        self.friends = 0
        self.met_again = 0


class Radio:
    def __init__(self, ble, my_card, on_friend=None, on_met_again=None, is_friend=None,
                 company_id=advert.TEST_COMPANY_ID, rng=None, adv_interval_ms=100,
                 rotate_ms=600000, rotate_jitter_ms=240000, rotate_defer_ms=55000, tx_power=0,
                 idle_scan=None, engaged_scan=(100, 100), engage_dbm=-62,
                 engage_hold_ms=5000, exchange_timeout_ms=4000, proximity=None,
                 tick_ms=50, is_held=None, is_stirred=None, log=None):
        if not 0 <= company_id <= 0xFFFF:
            raise ValueError("company_id must be 0..0xFFFF")
        if rotate_ms + rotate_jitter_ms + rotate_defer_ms > 900000:
            raise ValueError("the ID must rotate at least every 15 minutes")
        self.ble = ble
        self.card_bytes = my_card.encode()
        self.my_pin_id = my_card.pin_id
        self.on_friend = on_friend
        self.on_met_again = on_met_again
        self.is_friend_cb = is_friend
        self.friends = {}  # pin ID -> Card, this session (the app persists them)
        self.company_lo = company_id & 0xFF
        self.company_hi = company_id >> 8
        self.company_id = company_id
        self.rng = rng or _urandom
        self.adv_interval_us = adv_interval_ms * 1000
        self.rotate_ms = rotate_ms
        self.rotate_jitter_ms = rotate_jitter_ms
        self.rotate_defer_ms = rotate_defer_ms
        self.tx_power = tx_power
        self.idle_scan = idle_scan or unaliased_scan(adv_interval_ms)  # (interval_ms, window_ms)
        self.engaged_scan = engaged_scan
        self.engage_dbm = engage_dbm
        self.engage_hold_ms = engage_hold_ms
        self.exchange_timeout_ms = exchange_timeout_ms
        self.prox = proximity or Proximity()
        self.tick_ms = tick_ms
        # is_held() -> True/False: the accelerometer says whether the pin is in hand as for
        # a tap (cloudpin.handheld's `fresh`: picked up in the last 8 s); adverts say so
        # (FLAG_HELD). Not in hand, a tap needs a strictly close link (Proximity), louder
        # and with the pin stirred when the peer is not in hand either, and only a loud
        # advert engages the scanner, not a peer naming me as its candidate (every colleague
        # in a circle does). No is_held, or is_held() -> None (no working sensor): RSSI
        # alone decides.
        self.is_held = is_held
        # is_stirred() -> True/False: the wearer tilted the pin a little lately (a lean-in:
        # cloudpin.handheld's `stirred`). With neither pin in hand, each pin needs it for a
        # tap. No is_stirred, or None from it: not asked.
        self.is_stirred = is_stirred
        self._sensing = False
        self.log = log or _no_log
        self.stats = RadioStats()
        self.eph = bytearray(advert.EPH_LEN)
        self._adv = bytearray(advert.ADV_LEN)
        self._adv_next = bytearray(advert.ADV_LEN)
        self._stop = False
        self._started = False
        self._scan_mode = None
        self._hot_at = 0
        self._hot = False
        self._wake_until = 0
        self._rotate_at = 0
        self._readvertise = False
        # The tap handed over by the scan callback (copied: its memoryviews die with it)
        self._pend = False
        self._pend_eph = bytearray(advert.EPH_LEN)
        self._pend_addr = bytearray(6)
        self._pend_atype = 0
        # The exchange in progress
        self._phase = _IDLE
        self._peer_eph = bytearray(advert.EPH_LEN)
        self._peer_addr = bytearray(6)
        self._peer_atype = 0
        self._t0 = 0
        self._conn = -1
        self._vh = 0
        self._frames = ()
        self._next_frame = 0
        self._rx = bytearray(card.MAX_LEN)
        self._rx_len = 0
        self._rx_next = 0
        self._rx_count = 0
        self._peer_card = None
        self._sent = False
        self._attempts = 0
        self._handle = 0
        self.advert_override = None  # bytes to advertise instead of the tap advert
        self._adv_shown = None

    # -- lifecycle -----------------------------------------------------------------------

    def start(self, extra_services=()):
        """Switch the stack on and register the card service plus `extra_services` (one
        gatts_register_services call: a second would replace the first). Returns the
        handles of the extra services."""
        ble = self.ble
        ble.active(True)
        ble.irq(self._irq)
        try:
            ble.config(mtu=_WANT_MTU)
        except (OSError, ValueError):
            pass  # stays at 23: the card then goes in more frames
        import bluetooth

        svc = (bluetooth.UUID(SERVICE_UUID),
               ((bluetooth.UUID(CARD_CHAR_UUID), _FLAG_WRITE | _FLAG_NOTIFY),))
        self._card_uuid = bluetooth.UUID(CARD_CHAR_UUID)
        self._svc_uuid = svc[0]
        handles = ble.gatts_register_services((svc,) + tuple(extra_services))
        self._handle = handles[0][0]
        self._started = True
        now = time.ticks_ms()
        # Deadlines start at "now", never at 0: ticks wrap, and 0 may lie in the future.
        self._wake_until = self._hot_at = now
        self._rotate(now)
        return handles[1:]

    def stop(self):
        self._stop = True

    async def run(self, duration_ms=None):
        if not self._started:
            self.start()
        t_end = None
        if duration_ms is not None:
            t_end = time.ticks_add(time.ticks_ms(), duration_ms)
        try:
            while not self._stop:
                now = time.ticks_ms()
                if t_end is not None and time.ticks_diff(t_end, now) <= 0:
                    break
                self.poll(now)
                await asyncio.sleep_ms(self.tick_ms)
        finally:
            self._shutdown()

    def _shutdown(self):
        try:
            self.ble.gap_scan(None)
            self.ble.gap_advertise(None)
        except OSError:
            pass

    def wake(self, now_ms, hold_ms=10000):
        """Listen continuously for a while (the app calls this when the pin is lifted or
        a button is pressed), so a tap is heard at once without scanning all day."""
        self._wake_until = time.ticks_add(now_ms, hold_ms)

    def is_friend(self, pin_id):
        if pin_id in self.friends:
            return True
        cb = self.is_friend_cb
        return bool(cb(pin_id)) if cb is not None else False

    # -- the service's loop: everything that is not an IRQ -------------------------------

    def poll(self, now):
        held = None if self.is_held is None else self.is_held()
        self._sensing = held is not None
        self.prox.held = True if held is None else bool(held)
        self.prox.lifted = bool(held)
        stirred = None if self.is_stirred is None else self.is_stirred()
        self.prox.stirred = True if stirred is None else bool(stirred)
        due = time.ticks_diff(now, self._rotate_at)
        if due >= 0 and self._phase == _IDLE:
            # Not while the advert names a peer (old and new ID would both name it, which
            # links them), unless that has gone on for rotate_defer_ms: 15 min is the cap.
            if self.prox.best_near() < 0 or due >= self.rotate_defer_ms:
                self._rotate(now)
        self.prox.expire(now)
        if self._pend and self._phase == _IDLE:
            self._pend = False
            self._begin(now, self._pend_eph, self._pend_addr, self._pend_atype)
        elif self._phase != _IDLE and (
                time.ticks_diff(now, self._t0) > self.exchange_timeout_ms):
            self._fail("timeout")
        self._update_advert()
        self._update_scan(now)

    def _update_advert(self):
        flags = 0
        hint = None
        prox = self.prox
        if self._phase != _IDLE:
            flags |= advert.FLAG_BUSY
        if prox.held:
            flags |= advert.FLAG_HELD  # a peer not in hand needs less to tap with me
        hint_rssi = 0
        slot = prox.best_near()
        if slot >= 0:
            if prox.says_near(slot):
                flags |= advert.FLAG_NEAR
            hint = prox.eph(slot)
            hint_rssi = int(prox.rssi(slot))
        advert.build(self._adv_next, self.company_id, self.eph, flags, hint, self.tx_power,
                     hint_rssi)
        if self.advert_override is not None:
            # Companion mode: the pin advertises its companion service instead; taps wait.
            if self._adv_shown is not self.advert_override or self._readvertise:
                self._adv_shown = self.advert_override
                self._readvertise = False
                self._advertise_data(self.advert_override)
            return
        if self._adv_shown is not None:
            self._adv_shown = None
            self._readvertise = True
        if self._adv_next != self._adv or self._readvertise:
            self._adv[:] = self._adv_next
            self._readvertise = False
            self._advertise()

    def _advertise(self):
        self._advertise_data(self._adv)

    def _advertise_data(self, data):
        try:
            self.ble.gap_advertise(self.adv_interval_us, data, connectable=True)
        except OSError as exc:
            self.log("radio: advertise failed", exc)

    def wants_central(self, addr):
        """Whether a central connecting from `addr` is this radio's tap peer (the app routes
        every other central elsewhere, or lets the radio turn it away)."""
        if self._phase == _P_WAITING:
            return self._peer_is(addr)
        return self._phase == _IDLE and self.prox.ready_by_addr(addr) >= 0

    def _update_scan(self, now):
        hot = self._hot and time.ticks_diff(now, self._hot_at) < self.engage_hold_ms
        self._hot = hot
        if self._sensing and self.prox.held:
            hot = True  # in hand: a tap may be coming
        woke = time.ticks_diff(self._wake_until, now) > 0
        mode = self.engaged_scan if (hot or woke or self._phase != _IDLE) else self.idle_scan
        if mode is self._scan_mode:
            return
        self._scan_mode = mode
        interval_ms, window_ms = mode
        try:
            self.ble.gap_scan(None)
            self.ble.gap_scan(0, interval_ms * 1000, window_ms * 1000, False)
        except OSError as exc:
            self.log("radio: scan failed", exc)

    def _rotate(self, now):
        """New ephemeral ID and new random address together; forget every peer, so nothing
        the pin says after the rotation refers to anything from before it."""
        ble = self.ble
        try:
            ble.gap_advertise(None)
            ble.config(addr_mode=_ADDR_MODE_NRPA)
        except OSError as exc:
            self.log("radio: address rotation failed", exc)
        self.eph[:] = self.rng(advert.EPH_LEN)
        self.prox.clear()
        self.prox.set_me(self.eph)
        jitter = 0
        if self.rotate_jitter_ms:
            r = self.rng(3)
            jitter = ((r[0] << 16) | (r[1] << 8) | r[2]) % self.rotate_jitter_ms
        self._rotate_at = time.ticks_add(now, self.rotate_ms + jitter)
        self.stats.rotations += 1
        self._readvertise = True

    # -- the exchange ------------------------------------------------------------------

    def _begin(self, now, eph, addr, atype):
        self._peer_eph[:] = eph
        self._peer_addr[:] = addr
        self._peer_atype = atype
        self._t0 = now
        self._conn = -1
        self._vh = 0
        self._rx_len = self._rx_next = self._rx_count = 0
        self._peer_card = None
        self._sent = False
        self._attempts = 0
        self.stats.taps += 1
        self._set_mtu(_DEFAULT_MTU)
        if bytes(self.eph) < bytes(self._peer_eph):
            self._connect()
        else:
            self._phase = _P_WAITING

    def _set_mtu(self, mtu):
        self._frames = _frames(self.card_bytes, mtu - 3 - _FRAME_HDR)
        self._next_frame = 0

    def _connect(self):
        self._phase = _C_CONNECTING
        self._attempts += 1
        try:
            self.ble.gap_connect(self._peer_atype, self._peer_addr, 1000)
        except OSError:
            self._fail("connect")

    def _fail(self, why):
        # No retry until the peer has left tap range: a failed exchange is often a peer that
        # never judged the tap (it turned the connects away), a second mutual check that a
        # retry would get past, and retrying saved no taps in the benchmark.
        self.log("radio: card exchange failed:", why)
        self.stats.exchange_failures += 1
        self._end()

    def _end(self):
        conn = self._conn
        self._phase = _IDLE
        self._conn = -1
        if conn >= 0:
            try:
                self.ble.gap_disconnect(conn)
            except OSError:
                pass
        self._readvertise = True

    def _accept_early(self, addr):
        slot = self.prox.ready_by_addr(addr)
        if slot < 0:
            return False
        self._pend = False
        self._begin(time.ticks_ms(), self.prox.eph(slot), addr, self.prox.atype[slot])
        self.prox.done[slot] = 1
        return self._phase == _P_WAITING

    def _peer_is(self, addr):
        pa = self._peer_addr
        for i in range(6):
            if addr[i] != pa[i]:
                return False
        return True

    def _take_frame(self, data):
        """Append one frame of the peer's card. True when the card is complete."""
        n = len(data)
        if n < _FRAME_HDR + 1:
            raise ValueError("short frame")
        index, count = data[0], data[1]
        if index != self._rx_next or count == 0 or index >= count:
            raise ValueError("frame out of order")
        if self._rx_count and count != self._rx_count:
            raise ValueError("frame count changed")
        size = n - _FRAME_HDR
        if self._rx_len + size > card.MAX_LEN:
            raise ValueError("card too long")
        self._rx[self._rx_len:self._rx_len + size] = data[_FRAME_HDR:]
        self._rx_len += size
        self._rx_count = count
        self._rx_next += 1
        if self._rx_next < count:
            return False
        self._peer_card = card.decode(bytes(self._rx[:self._rx_len]))
        return True

    def _deliver(self):
        c = self._peer_card
        if c is None:
            return
        self.stats.exchanges += 1
        peer = bytes(self._peer_eph)
        if c.pin_id == self.my_pin_id:
            return
        known = self.is_friend(c.pin_id)
        if self.is_friend_cb is None:
            # No friends list behind us (tests, the tap bench): remember them here. With one
            # (the app's, on flash) nothing is kept in RAM: 2,000 cards would not fit.
            self.friends[c.pin_id] = c
        if known:
            self.stats.met_again += 1
            if self.on_met_again is not None:
                self.on_met_again(c, peer)
        else:
            self.stats.friends += 1
            if self.on_friend is not None:
                self.on_friend(c, peer)

    # -- IRQ ---------------------------------------------------------------------------

    def _irq(self, event, data):
        # Nothing may escape: on the pin an exception here prints and can wedge the stack.
        try:
            if event == _IRQ_SCAN_RESULT:
                self._on_scan(data)
            else:
                self._on_event(event, data)
        except Exception as exc:  # noqa: BLE001 - count it, keep the radio alive
            self.stats.irq_errors += 1
            if event != _IRQ_SCAN_RESULT:
                self.log("radio: irq", event, exc)
                if self._phase != _IDLE:
                    self._fail("bad data")

    def _on_scan(self, data):
        addr_type, addr, adv_type, rssi, adv_data = data
        if not advert.is_ours(adv_data, self.company_lo, self.company_hi):
            self.stats.foreign += 1
            return
        self.stats.ours += 1
        now = time.ticks_ms()
        if rssi >= self.engage_dbm:
            self._hot = True
            self._hot_at = now
        elif self.prox.held and advert.hint_is(adv_data, self.eph):
            # A peer says I am its tap candidate: listen properly. Not while my pin hangs on
            # its wearer: every colleague in a circle names me, all afternoon.
            self._hot = True
            self._hot_at = now
        slot = self.prox.observe(adv_data, addr_type, addr, rssi, now)
        if slot >= 0 and not self._pend and self._phase == _IDLE:
            self._pend_eph[:] = adv_data[advert.OFF_EPH:advert.OFF_EPH + advert.EPH_LEN]
            self._pend_addr[:] = addr
            self._pend_atype = addr_type
            self._pend = True

    def _on_event(self, event, data):
        ble = self.ble
        phase = self._phase
        if event == _IRQ_CENTRAL_CONNECT:
            conn, addr_type, addr = data
            if phase == _P_WAITING and self._peer_is(addr):
                self._conn = conn
                self._phase = _P_RECEIVING
            elif phase == _IDLE and self._accept_early(addr):
                # The peer judged the tap complete a moment before this pin did.
                self._conn = conn
                self._phase = _P_RECEIVING
            else:
                # Not the peer of a tap that just happened: no card, no GATT, goodbye.
                self.stats.rejected_connects += 1
                ble.gap_disconnect(conn)
            self._readvertise = True
        elif event == _IRQ_CENTRAL_DISCONNECT:
            conn = data[0]
            if conn == self._conn:
                self._conn = -1
                if phase == _P_SENT and self._peer_card is not None:
                    self._phase = _IDLE
                    self._readvertise = True
                else:
                    self._fail("central left")
            self._readvertise = True
        elif event == _IRQ_GATTS_WRITE:
            conn, handle = data
            if conn != self._conn or phase != _P_RECEIVING or handle != self._handle:
                return
            if self._take_frame(ble.gatts_read(handle)):
                for f in self._frames:
                    ble.gatts_notify(conn, handle, f)
                self._phase = _P_SENT
                self._deliver()
        elif event == _IRQ_PERIPHERAL_CONNECT:
            conn, addr_type, addr = data
            if phase == _C_CONNECTING and self._peer_is(addr):
                self._conn = conn
                self._phase = _C_MTU
                ble.gattc_exchange_mtu(conn)
            else:
                ble.gap_disconnect(conn)
        elif event == _IRQ_PERIPHERAL_DISCONNECT:
            conn = data[0]
            if phase == _C_CONNECTING and conn == 0xFFFF:
                if self._attempts < 3:
                    self._connect()  # the connect timed out: the peer may have blinked
                else:
                    self._fail("no connection")
            elif conn == self._conn:
                self._conn = -1
                if phase in (_C_MTU, _C_DISCOVER_CHR, _C_SENDING) and self._attempts < 3:
                    self._connect()  # dropped before any card moved: the peer was not ready
                elif phase != _IDLE:
                    self._fail("peer left")
        elif event == _IRQ_MTU_EXCHANGED:
            conn, mtu = data
            if conn != self._conn or phase == _IDLE:
                return
            self._set_mtu(mtu)
            if phase == _C_MTU:
                # Straight to the card characteristic by UUID over all handles: one round
                # trip less than discovering the service first.
                self._phase = _C_DISCOVER_CHR
                ble.gattc_discover_characteristics(conn, 1, 0xFFFF, self._card_uuid)
        elif event == _IRQ_GATTC_CHARACTERISTIC_RESULT:
            conn, end, value_handle, props, uuid = data
            if conn == self._conn and uuid == self._card_uuid:
                self._vh = value_handle
        elif event == _IRQ_GATTC_CHARACTERISTIC_DONE:
            if data[0] != self._conn or phase != _C_DISCOVER_CHR:
                return
            if not self._vh:
                self._fail("no card characteristic")
                return
            self._phase = _C_SENDING
            self._send_next()
        elif event == _IRQ_GATTC_WRITE_DONE:
            conn, value_handle, status = data
            if conn != self._conn or phase != _C_SENDING:
                return
            if status != 0:
                self._fail("write refused")
                return
            self._send_next()
        elif event == _IRQ_GATTC_NOTIFY:
            conn, value_handle, payload = data
            if conn != self._conn or phase != _C_RECEIVING or value_handle != self._vh:
                return
            if self._take_frame(payload):
                self._deliver()
                self._end()

    def _send_next(self):
        i = self._next_frame
        if i >= len(self._frames):
            self._phase = _C_RECEIVING
            return
        self._next_frame = i + 1
        self.ble.gattc_write(self._conn, self._vh, self._frames[i], 1)


def _frames(data, chunk):
    count = (len(data) + chunk - 1) // chunk
    out = []
    for i in range(count):
        out.append(bytes((i, count)) + data[i * chunk:(i + 1) * chunk])
    return tuple(out)


def _urandom(n):
    import os

    return os.urandom(n)


def _no_log(*args):
    pass
