"""Tap detection: is a peer's pin being held against mine? Pure logic, fed adverts and now_ms.

RSSI alone is a coin flip for "near" (fading, body blocking, device-to-device offsets), so a
peer counts as at tap range for me only when all of these hold:
- level: the filtered RSSI is at or above `enter_dbm` (and it stays there until it falls
  under `exit_dbm`: hysteresis, so fading around one threshold does not flap);
- approach: on entering, the filtered RSSI stands at least `rise_db` above its recent floor
  (or the peer, which saw the approach, already says NEAR naming me).
  Hands bring pins together in about a second; two people who just stand close (or whose
  pins have a hot link from a fixed device offset) show no fresh rise. The floor follows the
  RSSI down at once and up only at `floor_rise_db_s`, so it remembers the last few seconds.
  On a hot link the hands add only 7-10 dB (the receiver saturates) over a second or more,
  and that floor keeps up with most of it. A pin its wearer has taken in hand (`lifted`, from
  the accelerometer) also measures the rise from a floor with a longer memory
  (`lifted_floor_rise_db_s`): the gesture already says a tap may be coming;
- steadiness: the mean jump between successive readings stays under `max_jitter_db`. Held
  together, the direct path dwarfs the reflections and readings barely move (high Rician K);
  a far link lifted by shadowing or a lucky reflection still jumps by 5+ dB per packet;
- dwell: all the above for `dwell_ms` (a passer-by at 30 cm is gone in well under a second).
The level is the mean of both directions when the peer reports how loud I am at its end
(its advert's hint RSSI): a link's TX/RX offsets make one direction several dB louder than
the other, and the mean is the same number on both pins, so both judge alike.
Then the pin advertises FLAG_NEAR with the peer's ID as hint. A tap is *mutual*: it fires only
when I judge the peer near AND the peer's latest advert says it judges me near.

In hand: RSSI cannot tell a tap at 30 cm from two people talking 0.8 m apart whose link runs a
few dB hot (device offsets plus shadowing) for seconds. A tap is a gesture: the wearers hold
their pins out. `held` (set by the radio from the accelerometer's handheld detector) says so.
While it is false, NEAR is not enough: the pin says NEAR (and confirms) only while the link is
also *strict*: level at or above `strict_dbm` and readings steadier than `strict_jitter_db`,
both without a break for `strict_dwell_ms`. Pins really held together pass that, most of the
time (so a tap survives the detector missing a lean-in): their link stays strict for a second
and more (median 1.2 s). A bystander's link that shadowing lifts to tap level flickers in and
out (median 0.2 s, 84 % under 0.6 s), and two flickers meeting made false friendships before
the strict rule had to last. Each pin applies its own rule and the tap needs both NEAR flags,
so two pins not in hand both judge strictly. A pin without an accelerometer leaves `held`
true: the plain rules, with the bystander risk that brings.
With neither pin in hand (each advert says whether its pin is: FLAG_HELD) even the strict
rule lets bystanders through: in 1,200 bystander-hours it made 9 false friendships that way,
all between people 0.8-1.04 m apart whose steady link ran at -53 to -57 dBm. Pins held
together at 10-30 cm are mostly louder (the path alone gives -45 to -55 dBm), so with neither
pin in hand each pin must be `stirred` (set by the radio from the detector: its wearer tilted
it a little lately, as every lean-in does and a chest pin on someone talking does about 1 %
of the time) and the level must reach `neither_held_dbm`. Level alone is a poor line: a
pair 0.88 m apart ran at -49 dBm, strict, when body blocking lifted, while taps with neither
pin in hand were lost at -52 to -57. `stirred` does most of the work, so the line sits at
-55 dBm: of 5,800 tap trials, 50 were lost, against 61 with the line at -52.
A pin in hand next to a pin that is not says NEAR only while the link is as steady as
entering NEAR needs (`max_jitter_db`): the held pin of a tap is (at every confirmation in
2,800 tap trials), a pin being read or turned in the hand next to someone is often not.
What still gets through lies on these rules' own edges: 2 false friendships in 3,080
bystander-hours (`bench bystanders`, seeds 6 and 7), two lanyard pins 0.9 m apart both
stirred and strict at -53 dBm, and a chest pin picked up and held steady beside a
colleague's unstirred strict link at -57 dBm. Asking the partner of a held pin to be stirred
as well stops the second kind, but lost 31 of 2,800 tap trials against 22, so it is not asked.

Memory is bounded: `capacity` slots in flat arrays and an index from 24 bits of the peer's
ephemeral ID to a slot. A peer quieter than `admit_dbm` never gets a slot (a tap partner is
loud long before the tap); when the table is full, a newcomer takes the slot of the quietest
peer that is not mid-tap, and only if it is louder: with 300 pins in view the table holds the
loudest few instead of churning through all of them (a newcomer must be 6 dB louder). Values are ints: RSSI in 1/16 dB.
"""

from micropython import const

from cloudpin import advert

FAR = const(0)
DWELL = const(1)
NEAR = const(2)

_Q = const(16)  # fixed point: RSSI * 16
_EVICT_MARGIN = const(6 * 16)
_EPH = const(8)
_ADDR = const(6)


def _diff(a, b):
    # time.ticks_diff without importing time: this module must stay clock-free.
    half = 1 << 29
    return ((a - b + half) & ((1 << 30) - 1)) - half


class Proximity:
    def __init__(self, capacity=32, enter_dbm=-62, exit_dbm=-66, rise_db=5,
                 floor_rise_db_s=3, dwell_ms=700, stale_ms=1500, forget_ms=30000,
                 confirm_ms=1500, max_jitter_db=3, exit_jitter_db=5, admit_dbm=-80,
                 jitter_shift=2, peer_vouch=True, strict_dbm=-58, strict_jitter_db=2.5,
                 strict_dwell_ms=500, lifted_floor_rise_db_s=2, neither_held_dbm=-55):
        if capacity < 2:
            raise ValueError("capacity must be at least 2")
        if exit_dbm > enter_dbm:
            raise ValueError("exit_dbm must not be above enter_dbm (hysteresis)")
        self.capacity = capacity
        self.enter = enter_dbm * _Q
        self.exit = exit_dbm * _Q
        self.rise = rise_db * _Q
        self.floor_rate = floor_rise_db_s * _Q  # per second
        self.slow_floor_rate = int(lifted_floor_rise_db_s * _Q)
        self.max_jitter = max_jitter_db * _Q
        self.exit_jitter = exit_jitter_db * _Q
        self.admit = admit_dbm
        self.jitter_shift = jitter_shift  # the steadiness average spans ~2**shift readings
        self.strict_level = strict_dbm * _Q
        self.strict_jitter = int(strict_jitter_db * _Q)
        self.strict_dwell_ms = strict_dwell_ms
        self.neither_held_level = neither_held_dbm * _Q
        self.peer_vouch = peer_vouch
        self.dwell_ms = dwell_ms
        self.stale_ms = stale_ms
        self.forget_ms = forget_ms
        self.confirm_ms = confirm_ms
        self.me = bytearray(_EPH)  # my current ephemeral ID (for the peers' hints)
        self.ids = bytearray(capacity * _EPH)
        self.addrs = bytearray(capacity * _ADDR)
        self.atype = [0] * capacity
        self.used = [0] * capacity
        self.f = [0] * capacity
        self.floor = [0] * capacity
        self.slow_floor = [0] * capacity  # a floor with a longer memory, for a pin in hand
        self.prev = [0] * capacity  # last raw reading, dBm
        self.jitter = [0] * capacity  # mean |reading - previous reading|, 1/16 dB
        self.last = [0] * capacity
        self.since = [0] * capacity
        self.state = [FAR] * capacity
        self.their = [0] * capacity  # how loud I am at the peer (its hint RSSI), 1/16 dB
        self.their_ok = [0] * capacity  # 1 while the peer's adverts hint me
        self.peer_near = [0] * capacity  # 1 while the peer's adverts say it sees me near
        self.peer_near_at = [0] * capacity
        self.peer_held = [0] * capacity  # 1 while the peer's adverts say it is in hand
        self.done = [0] * capacity  # the tap with this peer was reported; re-arm on FAR
        self.strict = [0] * capacity  # 1 while NEAR and strictly close (for pins not in hand)
        self.strict_ok = [0] * capacity  # 1 while level and steadiness pass the strict rule
        self.strict_from = [0] * capacity  # ... since this time
        self._index = {}
        self.evictions = 0
        self.count = 0
        self.held = True  # the wearer has the pin in hand (or there is no sensor to say)
        self.lifted = False  # the accelerometer says the pin is in hand (never without one)
        self.stirred = True  # the accelerometer says the wearer tilted the pin lately

    # -- setup ------------------------------------------------------------------------

    def set_me(self, eph_id):
        self.me[:] = eph_id

    def clear(self):
        """Forget every peer (after my ID rotates: nothing may link old and new)."""
        for i in range(self.capacity):
            self.used[i] = 0
            self.state[i] = FAR
        self._index.clear()
        self.count = 0

    # -- the scan path (called for each of our adverts) ---------------------------------

    def observe(self, data, addr_type, addr, rssi, now_ms):
        """Feed one Cloud Pin advert (checked by advert.is_ours). Returns the slot of a peer
        whose tap this advert completes (mutually confirmed, first time), else -1."""
        o = advert.OFF_EPH
        key = (data[o] << 16) | (data[o + 1] << 8) | data[o + 2]
        slot = self._index.get(key, -1)
        if slot >= 0 and not self._same_id(slot, data):
            self._free(slot)
            slot = -1
        sample = rssi * _Q
        if slot < 0:
            if rssi < self.admit:
                return -1
            slot = self._new_slot(key, data, sample, now_ms)
            if slot < 0:
                return -1  # the table is full of louder peers
            self.f[slot] = sample
            self.floor[slot] = sample
            self.slow_floor[slot] = sample
            self.jitter[slot] = 4 * _Q  # unknown: assume unsteady until readings agree
        else:
            dt = _diff(now_ms, self.last[slot])
            if dt < 0:
                dt = 0
            f = self.f[slot]
            if dt > self.stale_ms:
                f = sample  # a long gap: old averages say nothing about now
                self.jitter[slot] = 4 * _Q
                self.strict_ok[slot] = 0
            else:
                f += (sample - f) >> 2
                jump = rssi - self.prev[slot]
                if jump < 0:
                    jump = -jump
                self.jitter[slot] += (jump * _Q - self.jitter[slot]) >> self.jitter_shift
            self.f[slot] = f
            # The floor forgets only while readings come in: after a gap (a duty-cycled scan,
            # a fade) it still remembers how far the peer was before the gap.
            if dt > 300:
                dt = 300
            fl = self.floor[slot] + (self.floor_rate * dt) // 1000
            self.floor[slot] = f if f < fl else fl
            fl = self.slow_floor[slot] + (self.slow_floor_rate * dt) // 1000
            self.slow_floor[slot] = f if f < fl else fl
        self.last[slot] = now_ms
        self.prev[slot] = rssi
        a = slot * _ADDR
        for i in range(_ADDR):
            self.addrs[a + i] = addr[i]
        self.atype[slot] = addr_type
        self.peer_held[slot] = 1 if data[advert.OFF_FLAGS] & advert.FLAG_HELD else 0
        if advert.hint_is(data, self.me):
            self.their[slot] = advert.hint_rssi(data) * _Q
            self.their_ok[slot] = 1
            if data[advert.OFF_FLAGS] & advert.FLAG_NEAR:
                self.peer_near[slot] = 1
                self.peer_near_at[slot] = now_ms
            else:
                self.peer_near[slot] = 0
        else:
            self.their_ok[slot] = 0
            self.peer_near[slot] = 0
        self._step(slot, now_ms)
        if (self.peer_near[slot] and not self.done[slot] and self.says_near(slot)
                and _diff(now_ms, self.peer_near_at[slot]) <= self.confirm_ms):
            self.done[slot] = 1
            return slot
        return -1

    def level(self, slot):
        """The link's level for tap decisions, 1/16 dBm: both directions' mean if known."""
        if self.their_ok[slot]:
            return (self.f[slot] + self.their[slot]) >> 1
        return self.f[slot]

    def _step(self, slot, now_ms):
        f = self.level(slot)
        st = self.state[slot]
        if st == FAR:
            # The approach may have been seen by the peer alone (my table had no room for
            # it, or my ID just rotated): its NEAR hint naming me vouches for the rise.
            rose = (self.f[slot] - self.floor[slot] >= self.rise
                    or (self.lifted and self.f[slot] - self.slow_floor[slot] >= self.rise)
                    or (self.peer_vouch and self.peer_near[slot]))
            if f >= self.enter and rose and self.jitter[slot] <= self.max_jitter:
                self.state[slot] = DWELL
                self.since[slot] = now_ms
        elif st == DWELL:
            # The whole dwell must look like a tap: level held, readings steady throughout.
            if f < self.enter - (self.enter - self.exit) // 2 or self.jitter[slot] > self.max_jitter:
                self._to_far(slot)
            elif _diff(now_ms, self.since[slot]) >= self.dwell_ms:
                self.state[slot] = NEAR
        elif f < self.exit or self.jitter[slot] > self.exit_jitter:
            self._to_far(slot)  # hysteresis: once NEAR, only a clear change undoes it
        # Strictly close, and so without a break for strict_dwell_ms (counted in any state,
        # so a clean tap is strict the moment its dwell ends).
        if f >= self.strict_level and self.jitter[slot] <= self.strict_jitter:
            if not self.strict_ok[slot]:
                self.strict_ok[slot] = 1
                self.strict_from[slot] = now_ms
        else:
            self.strict_ok[slot] = 0
        self.strict[slot] = 1 if (
            self.state[slot] == NEAR and self.strict_ok[slot]
            and _diff(now_ms, self.strict_from[slot]) >= self.strict_dwell_ms) else 0

    def _to_far(self, slot):
        self.state[slot] = FAR
        self.done[slot] = 0
        self.strict[slot] = 0

    def _same_id(self, slot, data):
        base = slot * _EPH
        o = advert.OFF_EPH
        ids = self.ids
        for i in range(_EPH):
            if ids[base + i] != data[o + i]:
                return False
        return True

    def _new_slot(self, key, data, sample, now_ms):
        slot = -1
        for i in range(self.capacity):
            if not self.used[i]:
                slot = i
                break
        if slot < 0:
            slot = self._victim()
            # A newcomer must beat the quietest by a margin: one lucky fade must not push
            # out a peer whose history (the floor an approach is measured from) matters.
            if slot < 0 or self.f[slot] + _EVICT_MARGIN > sample:
                return -1
            self._free(slot)
            self.evictions += 1
        base = slot * _EPH
        o = advert.OFF_EPH
        for i in range(_EPH):
            self.ids[base + i] = data[o + i]
        self.used[slot] = 1
        self.state[slot] = FAR
        self.done[slot] = 0
        self.peer_near[slot] = 0
        self.strict[slot] = 0
        self.strict_ok[slot] = 0
        self._index[key] = slot
        self.count += 1
        return slot

    def _victim(self):
        # The quietest peer that is not mid-tap, or -1 if every slot is mid-tap.
        best = -1
        for i in range(self.capacity):
            if self.state[i] == FAR and (best < 0 or self.f[i] < self.f[best]):
                best = i
        return best

    def _free(self, slot):
        if not self.used[slot]:
            return
        base = slot * _EPH
        ids = self.ids
        key = (ids[base] << 16) | (ids[base + 1] << 8) | ids[base + 2]
        if self._index.get(key, -1) == slot:
            del self._index[key]
        self.used[slot] = 0
        self.state[slot] = FAR
        self.count -= 1

    # -- housekeeping and queries (the service's loop, not the scan path) ---------------

    def expire(self, now_ms):
        """Peers not heard for stale_ms leave tap range; after forget_ms they are dropped."""
        for i in range(self.capacity):
            if not self.used[i]:
                continue
            age = _diff(now_ms, self.last[i])
            if age > self.forget_ms:
                self._free(i)
            elif age > self.stale_ms and self.state[i] != FAR:
                self._to_far(i)

    def best_near(self):
        """The slot to name in my advert's hint, or -1: the loudest peer at tap range, else
        the loudest that is close enough (above exit_dbm) to become one."""
        best = -1
        best_near = False
        for i in range(self.capacity):
            if not self.used[i]:
                continue
            near = self.state[i] == NEAR
            if not near and (best_near or self.f[i] < self.exit):
                continue
            if best < 0 or (near and not best_near) or self.f[i] > self.f[best]:
                best, best_near = i, near
        return best

    def says_near(self, slot):
        """Whether my advert may say NEAR naming this peer: at tap range, and either in hand
        (with a steady link if the peer is not) or strictly close (and, with neither pin in
        hand, stirred and at or above neither_held_dbm)."""
        if self.state[slot] != NEAR:
            return False
        if self.held:
            # Held against a pin not in hand, the link is as steady as on entering NEAR
            # (every tap trial's was); a pin in hand being read next to someone's strict
            # link is not: hysteresis lets a NEAR link jump up to exit_jitter_db.
            return bool(self.peer_held[slot]) or self.jitter[slot] <= self.max_jitter
        if not self.strict[slot]:
            return False
        if self.peer_held[slot]:
            return True
        return self.stirred and self.level(slot) >= self.neither_held_level

    def ready_by_addr(self, addr):
        """The slot of a peer at this address that I judge at tap range, else -1. (Used when
        that peer connects: it only does so after seeing my NEAR hint naming it.)"""
        for i in range(self.capacity):
            if not (self.used[i] and self.says_near(i)):
                continue
            base = i * _ADDR
            for k in range(_ADDR):
                if self.addrs[base + k] != addr[k]:
                    break
            else:
                return i
        return -1

    def eph(self, slot):
        return bytes(self.ids[slot * _EPH:(slot + 1) * _EPH])

    def addr(self, slot):
        return bytes(self.addrs[slot * _ADDR:(slot + 1) * _ADDR])

    def rssi(self, slot):
        return self.f[slot] / _Q

    def find(self, eph_id):
        """The slot holding this ephemeral ID, or -1."""
        key = (eph_id[0] << 16) | (eph_id[1] << 8) | eph_id[2]
        slot = self._index.get(key, -1)
        if slot >= 0 and self.eph(slot) == bytes(eph_id):
            return slot
        return -1
