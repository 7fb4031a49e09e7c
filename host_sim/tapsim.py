"""Rooms of simulated pins running the real firmware radio (cloudpin.radio) on the medium.

Used by `cloudpin bench tap` and the tap tests. Many independent rooms share one Simulation
and one Medium, placed far enough apart (ROOM_SPACING_M) that they never hear each other:
the virtual clock then plays every trial at once.
"""

import random

from host_sim import ble as fake_ble
from host_sim import scenarios
from host_sim.medium import Medium
from host_sim.scheduler import Simulation

ROOM_SPACING_M = 200.0


class SimPin:
    """One pin: a fake BLE on the medium, the firmware's Radio, and what it reported."""

    def __init__(self, sim, medium, mover, name, seed, radio_kwargs=None):
        from cloudpin.card import Card
        from cloudpin.radio import Radio

        fake_ble.install()
        self.sim = sim
        self.name = name
        rng = random.Random(seed)
        self.ble = medium.add(mover, name)
        pin_id = bytes(rng.getrandbits(8) for _ in range(8))
        self.card = Card(pin_id, name, "Broadcast Ops", "Camera", ("@" + name,))
        self.friends = []  # (t_s, card)
        self.met_again = []
        kwargs = dict(radio_kwargs or {})
        prox = kwargs.pop("proximity", None)
        if isinstance(prox, dict):
            # Scenario files give proximity settings as a dict: one table per pin.
            from cloudpin.proximity import Proximity

            kwargs["proximity"] = Proximity(**prox)
        self.radio = Radio(self.ble, self.card, on_friend=self._friend,
                           on_met_again=self._met, rng=_rng_bytes(rng), **kwargs)

    def _friend(self, card, peer):
        self.friends.append((self.sim.now_s, card))

    def _met(self, card, peer):
        self.met_again.append((self.sim.now_s, card))

    def first_contact_s(self, other):
        for t, c in self.friends + self.met_again:
            if c.pin_id == other.card.pin_id:
                return t
        return None


class Beacon:
    """A crowd pin reduced to its adverts (valid Cloud Pin v1, own random ID and address):
    enough for collisions and proximity-table churn, without the cost of its own scanning."""

    def __init__(self, medium, mover, rng, company_id, interval_ms=100):
        from cloudpin import advert

        self.ble = medium.add(mover, "crowd")
        self.ble.active(True)
        self.ble.config(addr_mode=3)
        eph = bytes(rng.getrandbits(8) for _ in range(8))
        buf = advert.build(bytearray(advert.ADV_LEN), company_id, eph)
        self.ble.gap_advertise(interval_ms * 1000, buf)


def _rng_bytes(rng):
    def get(n):
        return bytes(rng.getrandbits(8) for _ in range(n))

    return get


class Room:
    """A Simulation + Medium holding any number of independent rooms."""

    def __init__(self, seed, channel=None, radio_kwargs=None):
        self.seed = seed
        self.rng = random.Random(seed)
        self.sim = Simulation(start_ticks_ms=self.rng.randrange(1 << 30))
        self.medium = Medium(self.sim, random.Random(self.rng.getrandbits(32)), channel)
        self.radio_kwargs = radio_kwargs or {}
        self.pins = []
        self.rooms = 0

    def next_origin(self):
        n = self.rooms
        self.rooms += 1
        return ((n % 50) * ROOM_SPACING_M, (n // 50) * ROOM_SPACING_M)

    def pin(self, mover, name):
        p = SimPin(self.sim, self.medium, mover, name, self.rng.getrandbits(32),
                   self.radio_kwargs)
        self.pins.append(p)
        return p

    def crowd(self, n, cx, cy, duration_s):
        from cloudpin import advert

        company = self.radio_kwargs.get("company_id", advert.TEST_COMPANY_ID)
        for _ in range(n):
            Beacon(self.medium,
                   scenarios.crowd_walker(self.rng, cx, cy, duration_s), self.rng, company)

    def run(self, seconds, progress=None):
        self.sim.spawn(self.medium.run())
        for p in self.pins:
            self.sim.spawn(p.radio.run())
        self.sim.run_for(seconds, progress=progress)

    def close(self):
        self.sim.close()

    def duty_cycle(self):
        """Mean share of time each firmware pin's radio was busy: listening (scan windows)
        plus transmitting its adverts (3 channels x airtime per advertising event)."""
        if not self.pins:
            return 0.0
        total = 0.0
        elapsed = max(1, self.medium.now_us() - (self.medium.started_us or 0))
        for p in self.pins:
            node = self.medium.node(p.ble)
            tx = node.adverts * 3 * self.medium.airtime_us(p.ble.adv_data or b"x" * 23)
            total += self.medium.listen_fraction(p.ble) + tx / elapsed
        return total / len(self.pins)

    def adverts_per_s(self):
        elapsed = max(1, self.medium.now_us() - (self.medium.started_us or 0)) / 1e6
        if not self.pins:
            return 0.0
        return sum(self.medium.node(p.ble).adverts for p in self.pins) / len(self.pins) / elapsed


def shifted(mover, origin):
    return scenarios.Offset(mover, origin[0], origin[1])
