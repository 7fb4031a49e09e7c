# Runs ON THE MICROPYTHON UNIX PORT (tools/bench/tap_unix.py starts it): the firmware's scan
# path cost per advert, and the heap of the radio service with 300 pins in view.
# Prints one JSON line. Common subset only.
import gc

gc.collect()
_HEAP_AT_START = gc.mem_alloc()

import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import micropython  # noqa: E402

from host_sim.radio import bluetooth as fake_ble  # noqa: E402

fake_ble.install()

from cloudpin import advert  # noqa: E402
from cloudpin.card import Card  # noqa: E402
from cloudpin.radio import Radio  # noqa: E402

N_PINS = 300
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 20


class XorShift:
    def __init__(self, seed):
        self.s = seed or 1

    def next(self):
        s = self.s
        s ^= (s << 13) & 0xFFFFFFFF
        s ^= s >> 17
        s ^= (s << 5) & 0xFFFFFFFF
        self.s = s
        return s

    def bytes(self, n):
        return bytes(self.next() & 0xFF for _ in range(n))


def main():
    gc.collect()
    # Bytecode of every module loaded so far lives on this heap on the unix port; on the pin
    # it is frozen into flash. Counted apart so the pin's figure can be read off.
    heap_code = gc.mem_alloc() - _HEAP_AT_START
    rng = XorShift(12345)
    ble = fake_ble.BLE(mac=b"\x24\x0a\xc4\x00\x00\x01")
    card = Card(rng.bytes(8), "Ada Lovelace", "Analytical Engines", "Engineer",
                ("@ada", "ada@example.org"))
    radio = Radio(ble, card, rng=rng.bytes, rotate_jitter_ms=0)
    radio.start()
    irq = radio._irq
    gc.collect()
    heap_radio = gc.mem_alloc() - _HEAP_AT_START - heap_code

    # 300 pins: one advert each, packed in one buffer (the harness must fit the heap too);
    # each call slices memoryviews out of it, as the stack hands payloads over
    pool = bytearray(N_PINS * advert.ADV_LEN)
    addrs = bytearray(N_PINS * 6)
    one = bytearray(advert.ADV_LEN)
    for k in range(N_PINS):
        advert.build(one, advert.TEST_COMPANY_ID, rng.bytes(8))
        pool[k * advert.ADV_LEN:(k + 1) * advert.ADV_LEN] = one
        addrs[k * 6:(k + 1) * 6] = rng.bytes(6)
    pool_mv = memoryview(pool)
    addrs_mv = memoryview(addrs)
    # Foreign: an iBeacon-like advert, a phone's, a Google exposure-notification-like one
    foreign = [
        memoryview(b"\x02\x01\x06\x1a\xff\x4c\x00\x02\x15" + bytes(21)),
        memoryview(b"\x02\x01\x1a\x0a\xff\x4c\x00\x10\x05\x01\x18\x00\x00\x00"),
        memoryview(b"\x03\x03\x6f\xfd\x17\x16\x6f\xfd" + bytes(20)),
        memoryview(b"\x02\x01\x06\x14\xff\xff\xff\xc9\x02" + bytes(16)),  # ours, version 2
    ]
    addr = memoryview(bytes(6))

    # Foreign adverts: the heap is locked, so any allocation would raise (and be counted)
    n_foreign = 4000
    # The stack reuses one event tuple and its memoryviews (modbluetooth does), so the
    # tuples are built before the heap is locked.
    events = [(1, addr, 0, -70, f) for f in foreign]
    micropython.heap_lock()
    t0 = time.ticks_us()
    for i in range(n_foreign):
        irq(5, events[i & 3])
    t1 = time.ticks_us()
    micropython.heap_unlock()
    foreign_us = time.ticks_diff(t1, t0) / n_foreign
    alloc_errors = radio.stats.irq_errors

    # Ours: 300 pins in view, round after round (RSSI varies so the filters work)
    peak = 0
    n_ours = 0
    t_ours = 0
    for r in range(ROUNDS):
        t0 = time.ticks_us()
        for k in range(N_PINS):
            o = k * advert.ADV_LEN
            irq(5, (1, addrs_mv[k * 6:k * 6 + 6], 0, -60 - ((k + r) % 30),
                    pool_mv[o:o + advert.ADV_LEN]))
        t_ours += time.ticks_diff(time.ticks_us(), t0)
        n_ours += N_PINS
        radio.poll(time.ticks_ms())
        used = gc.mem_alloc()
        if used > peak:
            peak = used
    gc.collect()
    live = gc.mem_alloc()
    print(json.dumps({
        "pins_in_view": N_PINS,
        "scan_us_per_foreign_advert": round(foreign_us, 2),
        "scan_us_per_our_advert": round(t_ours / n_ours, 2),
        "foreign_adverts_allocated": alloc_errors != 0,
        "heap_bytecode_bytes": heap_code,
        "heap_radio_objects_bytes": heap_radio,
        "heap_peak_bytes": peak - _HEAP_AT_START,
        "heap_live_after_gc_bytes": live - _HEAP_AT_START,
        "heap_peak_without_bytecode_bytes": peak - _HEAP_AT_START - heap_code,
        "proximity_table_size": radio.prox.count,
        "proximity_evictions": radio.prox.evictions,
        "irq_errors": radio.stats.irq_errors,
    }))


main()
