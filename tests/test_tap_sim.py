"""Taps, passers-by, an intruder and ID rotation: the firmware radio on the simulated room.

Everything runs on virtual time (host_sim.runtime.scheduler) with fixed seeds: deterministic, and an
assertion about latency is about virtual seconds, never about this machine's speed.
"""

import asyncio
import math
import random

from host_sim import runtime
from host_sim.people import scenarios

runtime.install()

from cloudpin import advert  # noqa: E402
from cloudpin.card import Card  # noqa: E402

from host_sim.pins.tapsim import Room, shifted  # noqa: E402

LATENCY_TARGET_S = 3.0  # the p95 target, from reaching 30 cm to friends on both pins


def _tap_room(seed, n):
    room = Room(seed)
    pairs = []
    for i in range(n):
        origin = room.next_origin()
        a, b, info = scenarios.tap(room.rng, 1.0)
        pairs.append((room.pin(shifted(a, origin), "a%d" % i),
                      room.pin(shifted(b, origin), "b%d" % i), info))
    return room, pairs


def test_two_pins_tap_and_become_friends_on_both_sides_within_the_latency_target():
    room, pairs = _tap_room(seed=5, n=4)
    room.run(max(info["end"] for _, _, info in pairs))
    try:
        for pa, pb, info in pairs:
            ta, tb = pa.first_contact_s(pb), pb.first_contact_s(pa)
            assert ta is not None and tb is not None, "both pins must report the friendship"
            assert max(ta, tb) - info["t30"] <= LATENCY_TARGET_S
            # each stored exactly the other's card, once
            assert [c for _, c in pa.friends] == [pb.card]
            assert [c for _, c in pb.friends] == [pa.card]
            assert pa.radio.stats.irq_errors == pb.radio.stats.irq_errors == 0
    finally:
        room.close()


def test_passers_by_do_not_become_friends():
    room = Room(seed=6)
    pairs = []
    end = 0.0
    for i in range(10):
        origin = room.next_origin()
        a, b, info = scenarios.passer(room.rng, 1.0)
        pairs.append((room.pin(shifted(a, origin), "s%d" % i),
                      room.pin(shifted(b, origin), "w%d" % i), info))
        end = max(end, info["end"])
    room.run(end)
    try:
        for pa, pb, _ in pairs:
            assert pa.radio.stats.ours > 3, "the pins must have heard each other"
            assert pa.friends == [] and pb.friends == []
    finally:
        room.close()


class _Intruder:
    """A third device that keeps connecting to both tapping pins and tries to get a card:
    discovers the service, writes a card frame, reads the characteristic, listens."""

    def __init__(self, ble):
        self.ble = ble
        self.data = []  # anything read or notified
        self.connects = 0
        self.disconnects = 0
        ble.active(True)
        ble.irq(self._irq)

    def _call(self, fn, *args):
        try:
            fn(*args)
        except OSError:
            pass  # the pin already dropped the link

    def _irq(self, event, data):
        if event == 7:  # _IRQ_PERIPHERAL_CONNECT
            self.connects += 1
            self._call(self.ble.gattc_discover_services, data[0])
        elif event == 9:  # _IRQ_GATTC_SERVICE_RESULT
            self._call(self.ble.gattc_discover_characteristics, data[0], data[1], data[2])
        elif event == 11:  # _IRQ_GATTC_CHARACTERISTIC_RESULT
            conn, vh = data[0], data[2]
            forged = Card(b"\x66" * 8, "Mallory").encode()
            self._call(self.ble.gattc_write, conn, vh, bytes((0, 1)) + forged, 1)
            self._call(self.ble.gattc_read, conn, vh)
        elif event in (15, 18):  # _IRQ_GATTC_READ_RESULT, _IRQ_GATTC_NOTIFY
            if len(data[2]):
                self.data.append(bytes(data[2]))
        elif event == 8:  # _IRQ_PERIPHERAL_DISCONNECT
            self.disconnects += 1

    async def pester(self, targets, every_s=0.15):
        while True:
            for t in targets:
                addr_type, addr = t.ble.config("mac")
                self._call(self.ble.gap_connect, addr_type, addr, 500)
            await asyncio.sleep(every_s)


def test_a_third_pin_that_connects_during_a_tap_gets_no_card():
    room, pairs = _tap_room(seed=7, n=3)
    intruders = []
    for pa, pb, _ in pairs:
        origin = pa.ble.medium.node(pa.ble).mover.at(0)
        ble = room.medium.add(scenarios.Still(origin[0] + 0.4, origin[1] + 0.3, math.pi), "evil")
        intruder = _Intruder(ble)
        intruders.append(intruder)
        room.sim.spawn(intruder.pester((pa, pb)))
    room.run(max(info["end"] for _, _, info in pairs))
    try:
        assert sum(i.connects for i in intruders) > 0, "the intruder must get links to try"
        rejected = sum(p.radio.stats.rejected_connects for p in room.pins)
        assert rejected > 0
        for intruder in intruders:
            assert intruder.data == [], "a card (or anything) reached the intruder"
        for p in room.pins:  # and nobody befriended Mallory's forged card
            assert all(c.name != "Mallory" for _, c in p.friends + p.met_again)
    finally:
        room.close()


def test_pins_that_are_already_friends_get_met_again_not_a_duplicate():
    room = Room(seed=8)
    a = scenarios.Still(0.0, 0.0, 0.0)
    pts = []
    for start in (1.0, 16.0):  # talk, tap, part; later the same again
        pts += [(start, 1.3, 0.0, math.pi), (start + 4.0, 1.3, 0.0, math.pi),
                (start + 5.0, 0.18, 0.0, math.pi), (start + 7.2, 0.18, 0.0, math.pi),
                (start + 8.2, 1.3, 0.0, math.pi)]
    b = scenarios.Track(pts)
    pa, pb = room.pin(a, "a"), room.pin(b, "b")
    room.run(28.0)
    try:
        assert [c for _, c in pa.friends] == [pb.card]
        assert [c for _, c in pb.friends] == [pa.card]
        assert [c for _, c in pa.met_again] == [pb.card]
        assert [c for _, c in pb.met_again] == [pa.card]
        assert pa.met_again[0][0] > 16.0
    finally:
        room.close()


def _fields(adv, mac):
    return {"eph": bytes(adv[advert.OFF_EPH:advert.OFF_EPH + advert.EPH_LEN]),
            "hint": bytes(adv[advert.OFF_HINT:advert.OFF_HINT + advert.HINT_LEN + 1]),
            "flags": adv[advert.OFF_FLAGS], "mac": bytes(mac)}


def test_after_an_id_rotation_no_advert_field_links_old_and_new():
    room = Room(seed=9, radio_kwargs={"rotate_ms": 3000, "rotate_jitter_ms": 0})
    pin = room.pin(scenarios.Still(0.0, 0.0, 0.0), "alone")
    seen = []

    async def watch():
        while True:
            if pin.ble.adv_data is not None:
                seen.append(_fields(pin.ble.adv_data, pin.ble.config("mac")[1]))
            await asyncio.sleep(0.1)

    room.sim.spawn(watch())
    room.run(10.0)
    try:
        ephs = []
        for f in seen:
            if not ephs or ephs[-1]["eph"] != f["eph"]:
                ephs.append(f)
        assert len(ephs) >= 3, "rotations every 3 s must show in 10 s"
        for old, new in zip(ephs, ephs[1:], strict=False):
            assert old["mac"] != new["mac"], "the address rotates with the ID"
            assert old["mac"][0] & 0xC0 == 0, "a non-resolvable private address"
            for i in range(advert.EPH_LEN):  # not even a byte carried over in place
                assert old["eph"][i] != new["eph"][i] or old["eph"] == new["eph"][:0]
            assert old["hint"] == new["hint"] == bytes(advert.HINT_LEN + 1)
        # and the mac never changes without the ID changing (or vice versa)
        pairs = {(f["eph"], f["mac"]) for f in seen}
        assert len(pairs) == len(ephs)
    finally:
        room.close()


def test_rotation_waits_while_the_advert_names_a_peer_but_never_past_the_cap():
    kwargs = {"rotate_ms": 2000, "rotate_jitter_ms": 0, "rotate_defer_ms": 4000}
    room = Room(seed=10, radio_kwargs=kwargs)
    pa = room.pin(scenarios.Still(0.0, 0.0, 0.0), "a")
    room.pin(scenarios.Still(0.25, 0.0, math.pi), "b")  # close all along: always hinted
    times = []

    async def watch():
        last = None
        while True:
            eph = bytes(pa.radio.eph)
            if eph != last:
                times.append(room.sim.now_s)
                last = eph
            await asyncio.sleep(0.05)

    room.sim.spawn(watch())
    room.run(13.0)
    try:
        times = times[1:]  # the first entry is the all-zero ID before the radio started
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        assert gaps, "it must rotate at all"
        for gap in gaps:
            assert 5.5 <= gap <= 6.3, gaps  # 2 s due + 4 s deferred, not earlier, not later
    finally:
        room.close()


def test_the_medium_scales_by_neighbourhood_in_a_hall_of_a_thousand_pins():
    from host_sim.radio.medium import Medium
    from host_sim.runtime.scheduler import Simulation

    rng = random.Random(12)
    sim = Simulation()
    medium = Medium(sim, random.Random(13))
    heard = [0]

    def count(event, data):
        heard[0] += 1

    n = 1000
    for _ in range(n):  # a 300 m x 300 m hall, everyone advertising and listening
        b = medium.add(scenarios.Still(rng.uniform(0, 300), rng.uniform(0, 300), 0.0))
        b.active(True)
        b.irq(count)
        b.config(addr_mode=3)
        eph = bytes(rng.getrandbits(8) for _ in range(8))
        b.gap_advertise(100000, advert.build(bytearray(advert.ADV_LEN), 0xFFFF, eph))
        b.gap_scan(0, 100000, 100000)
    sim.spawn(medium.run())
    try:
        sim.run_for(0.2)
        adverts = sum(node.adverts for node in medium.nodes)
        assert adverts >= n  # everyone advertised at least once
        assert heard[0] > 0
        # Looping over every pair would examine n - 1 receivers per advert; the grid looks
        # only at the cells within range (40 m): a small share of the hall.
        assert medium.pairs_examined / adverts < 0.2 * (n - 1)
    finally:
        sim.close()


def test_a_tap_with_the_accelerometers_on_makes_friends_within_the_latency_target():
    # Whether or not a pin's detector notices the gesture (a missed lean-in falls back to the
    # strict rule), a deliberate tap must work.
    for seed in (21, 22, 23):
        room = Room(seed)
        a, b, info = scenarios.tap(random.Random(seed), 1.0)
        fa, fb = (scenarios.feel_tap(room.rng, info["lifts"][k], info["put_back"][k],
                                     info["end"] + 1, handling_per_hour=0) for k in (0, 1))
        pa, pb = room.pin(a, "a", fa), room.pin(b, "b", fb)
        room.run(info["end"])
        try:
            ta, tb = pa.first_contact_s(pb), pb.first_contact_s(pa)
            assert ta is not None and tb is not None
            assert max(ta, tb) - info["t30"] <= LATENCY_TARGET_S
        finally:
            room.close()


def _hot_bystanders(seed, feel):
    """Pairs talking 0.9 m apart, turning now and then, on a channel 4 dB hotter than the
    default (device offsets and shadowing against them, for minutes): the radio's plain
    rules take some of them for taps."""
    room = Room(seed, channel={"ref_rssi_1m_dbm": -61.0})
    rng = random.Random(seed)
    feel_rng = random.Random(seed + 1)  # the same rooms with and without feel
    pairs = []
    for i in range(20):
        origin = room.next_origin()
        a, b, info = scenarios.bystanders(rng, 150.0)
        scale = 0.9 / info["distance"]  # the same talk, moved to 0.9 m apart
        a, b = (scenarios.Track([(t, x * scale, y, f) for t, x, y, f in m.points])
                for m in (a, b))
        srcs = [scenarios.feel_standing(feel_rng, 0.0, 160.0, handling_per_hour=0)
                if feel else None for _ in (0, 1)]
        pairs.append((room.pin(shifted(a, origin), "a%d" % i, srcs[0]),
                      room.pin(shifted(b, origin), "b%d" % i, srcs[1])))
    room.run(150.0)
    made = sum(1 for pa, pb in pairs if pa.friends or pb.friends)
    room.close()
    return made


def test_a_hot_link_a_metre_away_fools_rssi_alone_far_more_often_than_worn_pins():
    made_bare = made_worn = 0
    for seed in (32, 33):
        made_bare += _hot_bystanders(seed, feel=False)
        made_worn += _hot_bystanders(seed, feel=True)
    assert made_bare >= 4, "the scenario must be hard enough to fool the radio alone"
    # Worn pins judge strictly: level and steadiness. A metre away, shadowing can still lift
    # the level for a while (the rate the benchmark reports as _never_in_hand).
    assert made_worn * 4 <= made_bare, (made_worn, made_bare)


def test_a_pin_in_hand_listens_continuously_one_left_on_does_not():
    room = Room(seed=24)
    lifted = room.pin(scenarios.Still(0.0, 0.0, 0.0), "lifted",
                      scenarios.feel_tap(room.rng, 6.0, 12.0, 25.0, handling_per_hour=0))
    worn = room.pin(scenarios.Still(50.0, 0.0, 0.0), "worn",
                    scenarios.feel_standing(room.rng, 0.0, 25.0, handling_per_hour=0))
    room.run(20.0)
    try:
        listen = room.medium.listen_fraction
        assert lifted.handheld.pickups == 1 and worn.handheld.pickups == 0
        # the idle scan is 30 ms in 145; in hand (6-12 s, plus the latch) it is continuous
        assert listen(worn.ble) < 0.25
        assert listen(lifted.ble) > listen(worn.ble) + 0.2
    finally:
        room.close()


def _idle_gaps(idle_scan):
    """Readings of a peer 3 m away by a worn pin whose scanner stays idle for a minute: how
    many, and the 90th percentile of the silences between them (s)."""
    room = Room(seed=26, radio_kwargs={"idle_scan": idle_scan} if idle_scan else None)
    worn = room.pin(scenarios.Still(0.0, 0.0, 0.0), "worn",
                    scenarios.feel_standing(room.rng, 0.0, 70.0, handling_per_hour=0))
    room.pin(scenarios.Still(3.0, 0.0, math.pi), "peer",
             scenarios.feel_standing(room.rng, 0.0, 70.0, handling_per_hour=0))
    heard = []
    observe = worn.radio.prox.observe

    def spy(*args):
        heard.append(room.sim.now_s)
        return observe(*args)

    worn.radio.prox.observe = spy
    room.run(60.0)
    room.close()
    heard = [t for t in heard if t > 5.0]
    gaps = sorted(b - a for a, b in zip(heard, heard[1:], strict=False))
    return len(heard), gaps[int(0.9 * len(gaps))]


def test_the_idle_scan_hears_a_peer_at_evenly_spread_moments_not_in_bursts():
    # Adverts every 100 ms + 0-10 ms against a 200 ms scan interval: the window slides slowly
    # over them, 4 readings in a row, then over a second of silence (a tap can be half over
    # before a loud advert wakes the scanner). The default interval steps across the period.
    n_default, gap_default = _idle_gaps(None)
    n_aliased, gap_aliased = _idle_gaps((200, 40))
    assert gap_aliased > 1.3, "the aliased scan must show the bursts this test is about"
    assert gap_default < 0.8, gap_default
    assert n_default >= 0.8 * n_aliased  # about as many readings, at the same duty


def test_the_channel_answers_a_query_for_an_earlier_moment():
    # Shadowing is a Gauss-Markov process in time; asking about a moment before the last one
    # (a scenario script, a second medium on the same channel) must not break it.
    from host_sim.radio.channel import Channel

    ch = Channel(random.Random(3))
    ch.offsets_for(0)
    ch.offsets_for(1)
    later = [ch.rssi(0, 1, 0.8, 10.0 + 0.1 * i, 0.0) for i in range(20)]
    earlier = [ch.rssi(0, 1, 0.8, 0.1 * i, 0.0) for i in range(20)]
    assert all(v is not None and -94 <= v <= -30 for v in later + earlier)


def test_a_connect_waits_for_the_targets_next_connectable_advert():
    # A pin that just turned a central away has stopped advertising until its next poll; a
    # central connecting in that moment must catch the next advert, not wait out its timeout.
    room = Room(seed=28)
    central = room.medium.add(scenarios.Still(0.0, 0.0, 0.0), "central")
    target = room.medium.add(scenarios.Still(0.3, 0.0, math.pi), "target")
    events = []
    for ble in (central, target):
        ble.active(True)
        ble.irq(lambda event, data, who=ble: events.append((room.sim.now_s, who, event)))

    async def script():
        await asyncio.sleep(1.0)
        addr_type, addr = target.config("mac")
        central.gap_connect(addr_type, addr, 1000)  # the target is silent right now
        await asyncio.sleep(0.4)
        target.gap_advertise(100000, b"\x02\x01\x06", connectable=True)

    room.sim.spawn(room.medium.run())
    room.sim.spawn(script())
    room.sim.run_for(3.0)
    room.close()
    got = [(t, event) for t, who, event in events if who is central]
    assert len(got) == 1 and got[0][1] == 7, got  # _IRQ_PERIPHERAL_CONNECT, once
    assert 1.4 <= got[0][0] < 1.6, got

