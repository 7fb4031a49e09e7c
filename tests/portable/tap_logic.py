# The tap's pure logic on both runtimes: advert format, contact card, proximity state machine.
# Prints deterministic results; raises on failure. Run by tests/test_tap_logic.py.
from cloudpin import advert, card
from cloudpin.proximity import FAR, NEAR, Proximity

ME = b"\x11\x22\x33\x44\x55\x66\x77\x88"
PEER = b"\xa1\xb2\xc3\xd4\xe5\xf6\x07\x18"
ADDR = b"\xc0\x01\x02\x03\x04\x05"
T0 = (1 << 30) - 3000  # ticks wrap 3 s into every scenario


def check(cond, what):
    if not cond:
        raise AssertionError(what)


# -- advert --------------------------------------------------------------------------------
buf = advert.build(bytearray(advert.ADV_LEN), 0xFFFF, PEER)
check(len(buf) <= 31, "legacy adverts are at most 31 bytes")
check(advert.is_ours(buf, 0xFF, 0xFF), "a fresh advert parses")
check(not advert.is_ours(buf, 0x34, 0x12), "another company ID is foreign")
other = advert.build(bytearray(advert.ADV_LEN), 0x1234, PEER)
check(advert.is_ours(other, 0x34, 0x12), "the company ID is configurable")
bad = 0
for i in range(10):  # every header byte, flags included, matters
    m = bytearray(buf)
    m[i] ^= 0x80
    if not advert.is_ours(m, 0xFF, 0xFF):
        bad += 1
check(bad == 10, "a flipped header bit must be rejected")
check(not advert.is_ours(buf[:-1], 0xFF, 0xFF), "short advert")
check(not advert.is_ours(bytes(buf) + b"\x00", 0xFF, 0xFF), "long advert")
m = bytearray(buf)
m[advert.OFF_FLAGS] = advert.FLAG_NEAR  # NEAR without a hint
check(not advert.is_ours(m, 0xFF, 0xFF), "NEAR must name a peer")
held = advert.build(bytearray(advert.ADV_LEN), 0xFFFF, PEER, advert.FLAG_HELD)
check(advert.is_ours(held, 0xFF, 0xFF) and held[advert.OFF_FLAGS] == advert.FLAG_HELD,
      "HELD needs no hint")
m = bytearray(buf)
m[advert.OFF_FLAGS] = 0x08
check(not advert.is_ours(m, 0xFF, 0xFF), "an unknown flag is rejected")
near = advert.build(bytearray(advert.ADV_LEN), 0xFFFF, PEER, advert.FLAG_NEAR, ME, 0, -48)
check(advert.hint_is(near, ME) and advert.hint_rssi(near) == -48, "hint and hint RSSI")
print("advert ok", advert.ADV_LEN, "bytes")

# -- card ----------------------------------------------------------------------------------
c = card.Card(PEER, "Zoë Ōkubo 日本", "Rundfunk AG", "Kamera", ("@zoe", "zoe@ex.org", "✨"))
raw = c.encode()
check(card.decode(raw) == c, "card round trip")
print("card ok", len(raw), "bytes")


def rejects(fn, label):
    try:
        fn()
    except card.CardError as exc:
        print("card rejects", label, "-", exc)
        return
    raise AssertionError("accepted: " + label)


rejects(lambda: card.Card(PEER, "").encode(), "empty name")
rejects(lambda: card.Card(PEER, "x" * (card.MAX_NAME + 1)).encode(), "long name")
rejects(lambda: card.Card(PEER, "n", handles=("a",) * 5).encode(), "five handles")
rejects(lambda: card.Card(PEER, "a\nb").encode(), "control character")
rejects(lambda: card.decode(raw + b"\x00"), "trailing byte")
rejects(lambda: card.decode(b"\x02" + raw[1:]), "version 2")
rejects(lambda: card.decode(raw[:-1]), "truncated")
rejects(lambda: card.decode(bytes(card.MAX_LEN + 1)), "too long")
head = bytes([1]) + PEER
for label, text in (("0xff", b"\xff"), ("surrogate", b"\xed\xa0\x80"),
                    ("overlong", b"\xc0\x80"), ("cut sequence", b"\xe2\x82"),
                    ("C1 control", b"\xc2\x85"), ("above U+10FFFF", b"\xf4\x90\x80\x80")):
    rejects(lambda t=text: card.decode(head + bytes([len(t)]) + t + b"\x00\x00\x00"), label)


# -- proximity -----------------------------------------------------------------------------
def feed(prox, levels, peer_says_near_after=None, hint_me=True, step=100, peer_held=False):
    """levels: RSSI per 100 ms. The peer hints me with the same level (a symmetric link) and
    sets NEAR after `peer_says_near_after` samples (and FLAG_HELD if peer_held). Returns
    (sample index of the tap, state)."""
    tapped = -1
    for i, rssi in enumerate(levels):
        now = (T0 + i * step) & ((1 << 30) - 1)
        flags = advert.FLAG_HELD if peer_held else 0
        if peer_says_near_after is not None and i >= peer_says_near_after:
            flags |= advert.FLAG_NEAR
        hint = ME if hint_me else None
        adv = advert.build(bytearray(advert.ADV_LEN), 0xFFFF, PEER, flags, hint, 0, rssi)
        got = prox.observe(memoryview(adv), 1, ADDR, rssi, now)
        if got >= 0:
            check(tapped < 0, "a tap is reported once")
            tapped = i
    slot = prox.find(PEER)
    return tapped, prox.state[slot] if slot >= 0 else -1


def fresh():
    p = Proximity()
    p.set_me(ME)
    return p


wobble = (0, 1, -1, 0, 1, 0, -1, 1)
approach = [-70 + wobble[i % 8] for i in range(30)]
approach += [-70 + 2 * i for i in range(1, 10)]  # hands come together in ~1 s
approach += [-51 + wobble[i % 8] for i in range(25)]  # held ~2.5 s
tapped, state = feed(fresh(), approach, peer_says_near_after=39 + 8)
check(tapped > 0 and state == NEAR, "an approach and hold is a tap")
print("tap at sample", tapped, "state", state)

tapped, state = feed(fresh(), approach, peer_says_near_after=None)
check(tapped < 0 and state == NEAR, "one-sided: near, but no tap without the peer")
print("one-sided: no tap, state", state)

close_all_along = [-50 + wobble[i % 8] for i in range(60)]
tapped, state = feed(fresh(), close_all_along, peer_says_near_after=None)
check(tapped < 0 and state == FAR, "close from the first reading: no approach, no tap")
print("no approach: no tap, state", state)

# ... unless the peer saw the approach (its NEAR names me): then after my own dwell
tapped, state = feed(fresh(), close_all_along, peer_says_near_after=20)
check(tapped >= 27 and state == NEAR, "the peer vouches for the approach; I still dwell")
print("approach seen by the peer: tap at sample", tapped)

# Not in hand (the accelerometer says the pin hangs on its wearer): NEAR is not enough, the
# link must also be strictly close and steady. A link that is near but not strict (-60 dBm:
# a metre away, running hot): no NEAR said, no tap, no connection; the same in hand: a tap.
hot = [-75 + wobble[i % 8] for i in range(30)]
hot += [-75 + 2 * i for i in range(1, 8)]
hot += [-60 + wobble[i % 8] for i in range(25)]
p = fresh()
p.held = False
tapped, state = feed(p, hot, peer_says_near_after=37 + 8)
slot = p.find(PEER)
check(tapped < 0 and state == NEAR, "not in hand, not strict: near, but no tap")
check(not p.says_near(slot) and p.ready_by_addr(ADDR) < 0, "not in hand: no NEAR, no connect")
p = fresh()
tapped, state = feed(p, hot, peer_says_near_after=37 + 8)
check(tapped > 0, "in hand, the same link is a tap")
# Held together (-51 dBm, steady), a pin whose detector missed the gesture (its partner's
# caught it) still taps.
p = fresh()
p.held = False
tapped_unheld, _ = feed(p, approach, peer_says_near_after=30, peer_held=True)
tapped_held, _ = feed(fresh(), approach, peer_says_near_after=30)
check(tapped_held > 0 and tapped_unheld == tapped_held, "held together is strictly close")
print("not in hand: hot link no tap; held together: tap at", tapped_unheld, "vs", tapped_held)
# A bystander's link that shadowing lifts to tap level flickers: strict for 200-300 ms at a
# time, then 3 dB under. Each flicker is strict, but none lasts strict_dwell_ms: no tap.
flicker = (-56, -56, -57, -59, -60, -61, -60, -59)
hot = [-75] * 30 + [-75 + 2 * i for i in range(1, 9)] + [flicker[i % 8] for i in range(60)]
for dwell_ms, want_tap in ((0, True), (300, False)):
    p = Proximity(strict_dwell_ms=dwell_ms)
    p.set_me(ME)
    p.held = False
    tapped, state = feed(p, hot, peer_says_near_after=40, peer_held=True)
    check(state == NEAR and (tapped > 0) == want_tap, "flickering strictness, dwell %d" % dwell_ms)
    print("flickering strict link, strict dwell", dwell_ms, "ms: tap at", tapped)
# Neither pin in hand: a steady link at -57 dBm (people talking 0.9 m apart, a hot link) is
# strict, but a tap with neither pin in hand must also reach neither_held_dbm (-55), however
# stirred the pin (so the level is what refuses it here).
steady = [-75] * 30 + [-75 + 2 * i for i in range(1, 11)] + [-57] * 40
for peer_held, want_tap in ((False, False), (True, True)):
    p = fresh()
    p.held = False
    p.stirred = True
    tapped, state = feed(p, steady, peer_says_near_after=40, peer_held=peer_held)
    slot = p.find(PEER)
    check(state == NEAR and p.strict[slot] and (tapped > 0) == want_tap,
          "strict at -57 dBm, peer in hand %s" % peer_held)
    check(p.ready_by_addr(ADDR) >= 0 if want_tap else p.ready_by_addr(ADDR) < 0,
          "a connect is taken only when the tap is")
    print("strict at -57 dBm, peer in hand", peer_held, ": tap at", tapped)
# ... and each pin must be stirred (its wearer tilted it lately: a lean-in), however loud.
steady = [-75] * 30 + [-75 + 2 * i for i in range(1, 14)] + [-50] * 40
for stirred in (False, True):
    p = fresh()
    p.held = False
    p.stirred = stirred
    tapped, state = feed(p, steady, peer_says_near_after=43)
    check(state == NEAR and (tapped > 0) == stirred, "neither in hand, -50 dBm, stirred %s" % stirred)
    print("strict at -50 dBm, neither in hand, stirred", stirred, ": tap at", tapped)
# A pin in hand next to a pin that is not: the link must be as steady as on entering NEAR.
# Readings jumping 4 dB (a pin being read, turned in the hand, next to a colleague's steady
# link) keep NEAR (hysteresis) but say it only when the peer is in hand too.
jumpy_held = approach[:39] + [-51] * 12 + [-51 + (2 if i % 2 else -2) for i in range(20)]
for peer_held in (False, True):
    tapped, state = feed(fresh(), jumpy_held, peer_says_near_after=60, peer_held=peer_held)
    check(state == NEAR and (tapped > 0) == peer_held, "in hand, jumpy, peer held %s" % peer_held)
    print("in hand, readings jumping 4 dB, peer in hand", peer_held, ": tap at", tapped)

# A hot link barely rises: the pins were loud already while their wearers talked, and the
# hands bring them together hardly faster than the floor creeps up (3 dB/s). A pin the
# wearer has taken in hand (lifted) measures the rise from a floor with a longer memory.
creep = [-72 + wobble[i % 8] for i in range(30)]
creep += [-72 + i // 3 + wobble[i % 8] for i in range(54)]  # +18 dB at 3.3 dB/s
creep += [-54 + wobble[i % 8] for i in range(20)]
for lifted, want in ((False, FAR), (True, NEAR)):
    p = fresh()
    p.lifted = lifted
    tapped, state = feed(p, creep, peer_says_near_after=None)
    check(state == want, "a slow rise, lifted %s" % lifted)
    print("slow rise, lifted", lifted, "state", state)

jumpy = approach[:39] + [-52 + (7 if i % 2 else -7) for i in range(25)]
tapped, state = feed(fresh(), jumpy, peer_says_near_after=0)
check(tapped < 0 and state == FAR, "readings jumping 14 dB are not pins held together")
print("unsteady: no tap, state", state)

brush = approach[:30] + [-60, -52, -51, -52, -60] + [-75] * 10  # a passer-by: 0.5 s close
tapped, state = feed(fresh(), brush, peer_says_near_after=0)
check(tapped < 0, "too short a dwell")
print("brush past: no tap, state", state)

# Bounded: 300 pins in view, 32 slots; a loud newcomer still gets in.
p = fresh()
for k in range(300):
    eph = bytes([k & 0xFF, k >> 8, 7, 7, 7, 7, 7, 7])
    adv = advert.build(bytearray(advert.ADV_LEN), 0xFFFF, eph)
    p.observe(adv, 1, ADDR, -75 + (k % 10), T0)
check(p.count <= p.capacity and len(p._index) <= p.capacity, "the table stays bounded")
loud = advert.build(bytearray(advert.ADV_LEN), 0xFFFF, PEER)
check(p.observe(loud, 1, ADDR, -45, T0) < 0 and p.find(PEER) >= 0, "a loud peer gets a slot")
quiet = advert.build(bytearray(advert.ADV_LEN), 0xFFFF, b"\x99" * 8)
p.observe(quiet, 1, ADDR, -79, T0)
check(p.find(b"\x99" * 8) < 0, "a quieter newcomer does not evict louder peers")
print("bounded: slots", p.count, "of", p.capacity, "evictions", p.evictions)
p.expire((T0 + 31000) & ((1 << 30) - 1))
check(p.count == 0, "silent peers are forgotten")
print("expired all")
