"""Rooms of simulated pins running the real firmware radio (cloudpin.radio) on the medium.

Used by `cloudpin bench tap` and the tap tests. Many independent rooms share one Simulation
and one Medium, placed far enough apart (ROOM_SPACING_M) that they never hear each other:
the virtual clock then plays every trial at once.

A pin given a motion source (host_sim.people.scenarios.feel_*) also runs the firmware's handheld
detector on what its accelerometer would read (the step service's FIFO: 16 samples at 25 Hz
every 640 ms, sensor noise, 8 mg steps), and its radio taps only while the pin is in hand.
"""

import asyncio
import random

from host_sim.people import scenarios
from host_sim.radio import bluetooth as fake_ble
from host_sim.radio.medium import Medium
from host_sim.runtime.scheduler import Simulation

ROOM_SPACING_M = 200.0


ACCEL_HZ = 25
_FIFO_SAMPLES = 16
_NOISE_MG = 5.0
_QUANTUM_MG = 8


class SimPin:
    """One pin: a fake BLE on the medium, the firmware's Radio (and handheld detector, given
    a motion source), and what it reported."""

    def __init__(self, sim, medium, mover, name, seed, radio_kwargs=None, source=None):
        from cloudpin.card import Card
        from cloudpin.radio import Radio

        fake_ble.install()
        self.sim = sim
        self.name = name
        self.source = source
        self.handheld = None
        rng = random.Random(seed)
        self._noise = random.Random(rng.getrandbits(32))
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
        hh_options = kwargs.pop("handheld", None) or {}  # scenario files: detector tuning
        if source is not None:
            from cloudpin.handheld import Handheld

            hh = self.handheld = Handheld(ACCEL_HZ, **hh_options)
            kwargs.setdefault("is_held", lambda: hh.fresh)
            kwargs.setdefault("is_stirred", lambda: hh.stirred)
        self.radio = Radio(self.ble, self.card, on_friend=self._friend,
                           on_met_again=self._met, rng=_rng_bytes(rng), **kwargs)

    def _friend(self, card, peer):
        self.friends.append((self.sim.now_s, card))

    def _met(self, card, peer):
        self.met_again.append((self.sim.now_s, card))

    async def feel(self):
        """Read the accelerometer like the step service does and feed the handheld detector."""
        period = 1000 // ACCEL_HZ
        t = int(self.sim.now_s * 1000)
        src, feed, gauss = self.source, self.handheld.feed, self._noise.gauss
        q = _QUANTUM_MG
        while True:
            await asyncio.sleep_ms(_FIFO_SAMPLES * period)
            now = int(self.sim.now_s * 1000)
            while t + period <= now:
                t += period
                x, y, z = src.sample(t, period)
                feed(q * round((x + gauss(0, _NOISE_MG)) / q),
                     q * round((y + gauss(0, _NOISE_MG)) / q),
                     q * round((z + gauss(0, _NOISE_MG)) / q))

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

    def pin(self, mover, name, source=None):
        p = SimPin(self.sim, self.medium, mover, name, self.rng.getrandbits(32),
                   self.radio_kwargs, source)
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
            if p.handheld is not None:
                self.sim.spawn(p.feel())
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
