# >= 10,000 random and mutated adverts, plus random GATT/GAP events, into the firmware's radio
# IRQ handler through the fake BLE (payloads are memoryviews valid only during the call).
# Nothing may escape the handler. Same output on CPython and on the unix port.
from host_sim.radio import bluetooth as fake_ble

fake_ble.install()

from cloudpin import advert  # noqa: E402
from cloudpin.card import Card  # noqa: E402
from cloudpin.radio import Radio  # noqa: E402

N_ADVERTS = 12000
N_EVENTS = 3000


class XorShift:
    def __init__(self, seed):
        self.s = seed

    def next(self):
        s = self.s
        s ^= (s << 13) & 0xFFFFFFFF
        s ^= s >> 17
        s ^= (s << 5) & 0xFFFFFFFF
        self.s = s
        return s

    def below(self, n):
        return self.next() % n

    def bytes(self, n):
        return bytes(self.next() & 0xFF for _ in range(n))


rng = XorShift(2463534242)
ble = fake_ble.BLE(mac=b"\x24\x0a\xc4\x00\x00\x07")
radio = Radio(ble, Card(rng.bytes(8), "Fuzz"), rng=rng.bytes, rotate_jitter_ms=0)
radio.start()

valid = [advert.build(bytearray(advert.ADV_LEN), 0xFFFF, rng.bytes(8)) for _ in range(40)]
kinds = [0, 0, 0, 0, 0]
for i in range(N_ADVERTS):
    k = rng.below(5)
    kinds[k] += 1
    if k == 0:  # random bytes, any legal length
        data = rng.bytes(rng.below(32))
    elif k == 1:  # one of ours with a flipped bit
        m = bytearray(valid[rng.below(len(valid))])
        m[rng.below(len(m))] ^= 1 << rng.below(8)
        data = bytes(m)
    elif k == 2:  # ours cut short or run on
        v = valid[rng.below(len(valid))]
        n = rng.below(32)
        data = bytes(v[:n]) if n < len(v) else bytes(v) + rng.bytes(n - len(v))
    elif k == 3:  # ours, random flags/hint/RSSI byte (field values a peer may send)
        m = bytearray(valid[rng.below(len(valid))])
        for off in (advert.OFF_FLAGS, 19, 20, 21, 22, advert.OFF_HINT_RSSI):
            if rng.below(2):
                m[off] = rng.below(256)
        data = bytes(m)
    else:  # well-formed ours
        data = bytes(valid[rng.below(len(valid))])
    rssi = -127 + rng.below(148)  # -127..20, out-of-range readings included
    ble.deliver_scan(rng.below(4), rng.bytes(6), rng.below(5), rssi, data)
    if i % 500 == 0:
        radio.poll(i * 10)

# Other events with well-shaped and badly shaped tuples
for _ in range(N_EVENTS):
    ev = 1 + rng.below(21)
    if ev == 5:
        ev = 6  # scan results were fuzzed above (and are counted there)
    n = rng.below(6)
    items = []
    for _ in range(n):
        t = rng.below(4)
        if t == 0:
            items.append(rng.below(70000))
        elif t == 1:
            items.append(memoryview(rng.bytes(rng.below(40))))
        elif t == 2:
            items.append(None)
        else:
            items.append(-rng.below(200))
    ble.fire(ev, tuple(items))
    # GATT writes land in the characteristic first, as the stack does
    if ev == 3 and len(items) == 2:
        ble.server_write(items[0] if isinstance(items[0], int) else 0, radio._handle,
                         rng.bytes(rng.below(60)))
radio.poll(N_ADVERTS * 10)

print("adverts", N_ADVERTS, "by kind", kinds)
print("events", N_EVENTS)
print("escaped the handler", ble.handler_errors)
print("ours+foreign", radio.stats.ours + radio.stats.foreign)
if ble.handler_errors:
    raise AssertionError("an exception escaped the IRQ handler: %r" % ble.last_handler_error)
if radio.stats.ours + radio.stats.foreign != N_ADVERTS:
    raise AssertionError("every advert must be classified")
if radio.stats.friends:
    raise AssertionError("garbage made a friend")
