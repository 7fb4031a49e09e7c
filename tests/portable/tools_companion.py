# The companion GATT service's own logic on both runtimes: checked writes answered on
# RESULT, nothing stored when invalid, friends in bounded chunks, pairing lockout, bonds.
# Driven through host_sim.radio.bluetooth's fake (common subset) plus the few pairing calls it lacks.
import json
import sys
import time

from host_sim.fakes.memstore import MemStore as Store
from host_sim.radio import bluetooth as fakeble

sys.modules["bluetooth"] = fakeble

from cloudpin import companion  # noqa: E402


class PairingBLE(fakeble.BLE):
    def __init__(self):
        fakeble.BLE.__init__(self)
        self.passkeys = []
        self.disconnected = []

    def config(self, *args, **kwargs):
        for key in ("io", "mitm", "bond", "le_secure"):
            kwargs.pop(key, None)
        if args or kwargs:
            return fakeble.BLE.config(self, *args, **kwargs)

    def gatts_set_buffer(self, handle, n, append=False):
        pass

    def gap_passkey(self, conn, action, passkey):
        self.passkeys.append(passkey)

    def gap_disconnect(self, conn):
        self.disconnected.append(conn)
        return True


shown = []
friends = [{"name": "Friend %02d" % i, "org": "Org ÉÖ", "role": "R"} for i in range(25)]
ble = PairingBLE()
store = Store()
seq = [123456, 999999, 1000005, 42]
svc = companion.CompanionService(ble, store, show_passkey=shown.append,
                                 friends=companion.friends_from_list(friends), stats=lambda: {"steps_today": 7},
                                 rng=lambda: seq.pop(0))
svc.start()
h = svc.handles
ADDR = b"\x01\x02\x03\x04\x05\x06"


def connect(conn):
    ble.deliver_conn(1, conn, 0, ADDR)


def stored():
    raw = store.read("profile.json")
    if raw is None:
        return None
    p = json.loads(raw)
    return "|".join(k + "=" + p[k] for k in sorted(p))


def write(conn, handle, data):
    ble.server_write(conn, handle, data)
    return ble.gatts_read(h[5]).decode()


connect(1)
# Not authenticated: the service ignores writes (the stack would have refused them).
print("unauthenticated:", write(1, h[0], b'{"name": "Mallory"}'), stored(), ble.gatts_read(h[0]))
ble.fire(31, (1, 3, 0))                     # the stack asks for a passkey to display
print("passkey shown:", shown[-1], ble.passkeys[-1])
ble.fire(28, (1, True, True, True, 16))     # pairing succeeded
print("panel cleared:", shown[-1])
print(write(1, h[0], '{"name": "Zoë", "org": "EBU"}'.encode()), stored())
print(write(1, h[0], b'{"name": "' + b"x" * 41 + b'"}'), stored())
print(write(1, h[0], b'\xff\xfe'), stored())
print(write(1, h[0], b'{"name": "A", "phone": "1"}'))
print("read back is what is stored:", ble.gatts_read(h[0]) == store.read("profile.json"))
print(write(1, h[1], (1780000000).to_bytes(4, "little") + (60).to_bytes(2, "little")),
      svc.clock[:2])
print(write(1, h[1], (5).to_bytes(4, "little") + (0).to_bytes(2, "little")))
print(write(1, h[1], b"\x00"))
print(write(1, h[4], b"\x07"), store.read("design"), write(1, h[4], b"\x63"), store.read("design"))
got = []
chunks = 0
while True:
    assert write(1, h[2], len(got).to_bytes(2, "little")) == "ok"
    raw = ble.gatts_read(h[2])
    assert len(raw) <= companion.VALUE_MAX
    chunk = json.loads(raw)
    assert chunk["total"] == 25 and chunk["start"] == len(got)
    if not chunk["friends"]:
        break
    got.extend(chunk["friends"])
    chunks += 1
# (How many friends fit a chunk differs: CPython's json escapes non-ASCII, MicroPython's not.)
print("friends:", len(got), got == friends, chunks > 1)
print(write(1, h[2], b"\x01"))
# Bonds: the stack stores keys through the service and gets them back.
print(ble.fire(30, (3, ADDR, b"K" * 16)), ble.fire(29, (3, 0, ADDR)) == b"K" * 16,
      ble.fire(29, (3, 0, None)) == b"K" * 16, ble.fire(29, (3, 1, None)))
ble.deliver_conn(2, 1, 0, ADDR)
# Three failed pairings lock the pin: new connections are dropped until the lockout ends.
for conn in (2, 3, 4):
    connect(conn)
    ble.fire(31, (conn, 3, 0))
    ble.fire(28, (conn, False, False, False, 0))
print("failures:", svc.failures, "locked:", svc.locked())
connect(5)
print("dropped at once:", 5 in ble.disconnected)
svc.locked_until = time.ticks_add(time.ticks_ms(), -1)
print("after lockout:", svc.locked(), svc.failures)
print("irq errors:", svc.errors, ble.handler_errors)
