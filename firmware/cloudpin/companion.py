"""The companion's GATT service on the pin: profile, time, friends, stats and design, behind
BLE pairing with a 6-digit passkey shown on the e-ink panel.

    svc = CompanionService(ble, store, show_passkey=display.passkey, friends=..., stats=...)
    svc.start()                 # alone on the stack: registers its service, owns the IRQ
    # or, beside the radio (one gatts_register_services call for all services):
    handles = ble.gatts_register_services((radio_svc, CompanionService.definition()))
    svc.attach(handles[1]); then pass every IRQ to svc.irq(event, data) first

Security: every characteristic needs an authenticated (MITM-protected) link, enforced by the
BLE stack itself (FLAG_*_AUTHENTICATED). The pin's I/O capability is "display only": when a
central pairs, the stack asks for a passkey (_IRQ_PASSKEY_ACTION, DISPLAY); the pin draws a
fresh random 6-digit number and the person types it into the companion (on a laptop the
operating system asks for it when bleak pairs). With LE Secure Connections the passkey
protects the key exchange against a man in the middle. After MAX_FAILURES failed pairings
the pin refuses connections for LOCKOUT_MS, so the million passkeys cannot be tried online.
Bonds (the stack's keys) are kept in the store under "bonds", so a paired laptop reconnects
without a new passkey.

Writes cannot be refused by the GATT server in MicroPython (the IRQ comes after the value
landed), so each write is checked here and answered on the RESULT characteristic ("ok" or
"error: ..."); the companion writes, then reads RESULT. Nothing is stored unless it is
valid (cloudpin.cardtext's rule, through cloudpin.profile), and the store's writes are
atomic: a write that is refused, or that the flash cannot take, changes nothing on flash or
in RAM.

Friends are read in chunks: write a start index (uint16 LE) to FRIENDS, then read it:
{"total": N, "start": i, "friends": [...]} with as many whole friends as fit in a chunk. A
companion that loses the pin mid-transfer reconnects and continues from the next index.

STATS is one JSON object of the app's figures (App.figures: steps and friends today, friends
in all and their medal, null, "bronze" or "gold", the design and the unlocked ones, the last
week, battery) plus the pin's clock, within one attribute.
"""

import json
import time

from micropython import const

from cloudpin import profile as _profile

_IRQ_CENTRAL_CONNECT = const(1)
_IRQ_CENTRAL_DISCONNECT = const(2)
_IRQ_GATTS_WRITE = const(3)
_IRQ_ENCRYPTION_UPDATE = const(28)
_IRQ_GET_SECRET = const(29)
_IRQ_SET_SECRET = const(30)
_IRQ_PASSKEY_ACTION = const(31)

_PASSKEY_ACTION_DISPLAY = const(3)
_IO_CAPABILITY_DISPLAY_ONLY = const(0)

_FLAG_READ = const(0x0002)
_FLAG_WRITE = const(0x0008)
_FLAG_READ_AUTHENTICATED = const(0x0400)
_FLAG_WRITE_AUTHENTICATED = const(0x2000)
_R = const(0x0402)   # read, authenticated link only
_W = const(0x2008)   # write with response, authenticated link only
_RW = const(0x240A)

SERVICE_UUID = "c10d0b00-5e3a-4f1c-8a7d-2b9e6c4f1d02"
PROFILE_UUID = "c10d0b01-5e3a-4f1c-8a7d-2b9e6c4f1d02"
TIME_UUID = "c10d0b02-5e3a-4f1c-8a7d-2b9e6c4f1d02"
FRIENDS_UUID = "c10d0b03-5e3a-4f1c-8a7d-2b9e6c4f1d02"
STATS_UUID = "c10d0b04-5e3a-4f1c-8a7d-2b9e6c4f1d02"
DESIGN_UUID = "c10d0b05-5e3a-4f1c-8a7d-2b9e6c4f1d02"
RESULT_UUID = "c10d0b06-5e3a-4f1c-8a7d-2b9e6c4f1d02"
_ORDER = (PROFILE_UUID, TIME_UUID, FRIENDS_UUID, STATS_UUID, DESIGN_UUID, RESULT_UUID)
_FLAGS = (_RW, _W, _RW, _R, _RW, _R)

VALUE_MAX = const(512)       # the ATT maximum for one attribute value
CHUNK_MAX = const(480)       # friends chunk, below VALUE_MAX with room for the envelope
MAX_FAILURES = const(3)
LOCKOUT_MS = const(60000)
DESIGNS = const(34)          # 33 sports + "locked"
# 2020-01-01 .. 2100-01-01: a time write outside this is a client bug, not a date.
_EPOCH_MIN = const(1577836800)
_EPOCH_MAX = 4102444800


def definition():
    """The service tuple for gatts_register_services (characteristics in _ORDER)."""
    import bluetooth

    chars = tuple((bluetooth.UUID(_ORDER[i]), _FLAGS[i]) for i in range(len(_ORDER)))
    return (bluetooth.UUID(SERVICE_UUID), chars)


def pairing_advert(name):
    """Connectable advert for pairing mode: flags, the 128-bit service UUID, a short name
    (at most 8 bytes, so all fits the 31-byte legacy advert)."""
    uuid = bytes(reversed(bytes.fromhex(SERVICE_UUID.replace("-", ""))))
    short = name.encode()[:8]
    return (bytes((2, 0x01, 0x06, 17, 0x07)) + uuid + bytes((len(short) + 1, 0x09)) + short)


class CompanionService:
    def __init__(self, ble, store, show_passkey=None, friends=None, stats=None,
                 on_profile=None, on_time=None, on_design=None, rng=None, log=None,
                 set_profile=None):
        self.ble = ble
        self.store = store
        self.show_passkey = show_passkey or _ignore
        self.friends = friends or _no_friends
        self.stats = stats or _no_stats
        self.on_profile = on_profile or _ignore
        # set_profile(fields): check, store and use a profile, raising ValueError or OSError
        # with nothing changed (the app's); without one, the service stores it itself.
        self.set_profile = set_profile or self._store_profile
        self.on_time = on_time or _ignore
        self.on_design = on_design or _ignore
        self.rng = rng or _urandom_passkey
        self.log = log or _ignore
        self.handles = None
        self.authenticated = {}   # conn -> True once the link is MITM-authenticated
        self.failures = 0
        self.locked_until = None  # ticks_ms
        self.passkey = None       # the one on the panel while a pairing runs
        self.friends_start = 0
        self.clock = None         # (epoch seconds, tz minutes, ticks_ms when set)
        self.errors = 0
        self._secrets = None

    # -- setup ---------------------------------------------------------------------------

    definition = staticmethod(definition)

    def start(self):
        ble = self.ble
        ble.active(True)
        self.configure()
        ble.irq(self.irq)
        (handles,) = ble.gatts_register_services((definition(),))
        self.attach(handles)

    def configure(self):
        """Pairing settings: display-only passkey, MITM protection, bonding, LE Secure
        Connections (the app calls this when the radio owns the stack)."""
        self.ble.config(io=_IO_CAPABILITY_DISPLAY_ONLY, mitm=True, bond=True, le_secure=True)

    def attach(self, handles):
        self.handles = handles
        ble = self.ble
        for h in (handles[0], handles[2]):
            # Room for a whole profile or friends chunk in one (long) write or read.
            ble.gatts_set_buffer(h, VALUE_MAX)
        self._publish_profile()
        self._publish_design()
        self._publish_friends()
        self._publish_stats()
        ble.gatts_write(handles[5], b"ok")

    # -- IRQ -----------------------------------------------------------------------------

    def irq(self, event, data):
        # Nothing may escape an IRQ handler: a bad write is an error answer, not a crash.
        try:
            return self._irq(event, data)
        except Exception as exc:  # noqa: BLE001
            self.errors += 1
            self.log("companion: irq", event, exc)
            return None

    def _irq(self, event, data):
        if event == _IRQ_CENTRAL_CONNECT:
            conn = data[0]
            if self.locked():
                self.ble.gap_disconnect(conn)
                return None
            self.authenticated[conn] = False
            self._publish_stats()
        elif event == _IRQ_CENTRAL_DISCONNECT:
            self.authenticated.pop(data[0], None)
            if self.passkey is not None:
                self._pairing_over(False)
        elif event == _IRQ_PASSKEY_ACTION:
            conn, action, _ = data
            if action == _PASSKEY_ACTION_DISPLAY:
                self.passkey = self.rng() % 1000000
                self.show_passkey(self.passkey)
                self.ble.gap_passkey(conn, action, self.passkey)
        elif event == _IRQ_ENCRYPTION_UPDATE:
            conn, encrypted, authenticated, bonded, key_size = data
            ok = bool(encrypted and authenticated)
            self.authenticated[conn] = ok
            self._pairing_over(ok)
        elif event == _IRQ_GATTS_WRITE:
            conn, handle = data
            self._on_write(conn, handle)
        elif event == _IRQ_GET_SECRET:
            sec_type, index, key = data
            return self._get_secret(sec_type, index, key)
        elif event == _IRQ_SET_SECRET:
            sec_type, key, value = data
            return self._set_secret(sec_type, key, value)
        return None

    def locked(self):
        if self.locked_until is None:
            return False
        if time.ticks_diff(self.locked_until, time.ticks_ms()) > 0:
            return True
        self.locked_until = None
        self.failures = 0
        return False

    def _pairing_over(self, ok):
        if self.passkey is None and ok:
            return  # a bonded laptop came back: no passkey was shown
        self.passkey = None
        self.show_passkey(None)
        if ok:
            self.failures = 0
            return
        self.failures += 1
        if self.failures >= MAX_FAILURES:
            self.locked_until = time.ticks_add(time.ticks_ms(), LOCKOUT_MS)
            for conn in list(self.authenticated):
                self.ble.gap_disconnect(conn)

    # -- writes --------------------------------------------------------------------------

    def _on_write(self, conn, handle):
        h = self.handles
        if h is None:
            return  # not attached yet: nothing of ours can have been written
        if not self.authenticated.get(conn):
            # The stack refuses unauthenticated writes; should one land anyway, undo it.
            self._result("error: not paired")
            self._publish_profile()
            self._publish_design()
            return
        value = self.ble.gatts_read(handle)
        try:
            if handle == h[0]:
                self._write_profile(value)
            elif handle == h[1]:
                self._write_time(value)
            elif handle == h[2]:
                self._write_friends_start(value)
            elif handle == h[4]:
                self._write_design(value)
            else:
                return
        except (ValueError, OSError) as exc:
            if isinstance(exc, OSError):
                exc = "could not store it (flash full or failing: %r)" % (exc,)
            self._result("error: %s" % exc)
            # Put back what is really stored, so a read shows the truth, not the bad write.
            self._publish_profile()
            self._publish_design()
            return
        self._result("ok")

    def _write_profile(self, value):
        try:
            data = json.loads(bytes(value).decode("utf-8"))
        except UnicodeError:
            raise ValueError("profile is not UTF-8") from None
        except ValueError:
            raise ValueError("profile is not JSON") from None
        self.set_profile(data)
        self._publish_profile()

    def _store_profile(self, data):
        clean = _profile.validate(data)
        self.store.write("profile.json", json.dumps(clean).encode())
        self.on_profile(clean)

    def _write_time(self, value):
        if len(value) != 6:
            raise ValueError("time is 6 bytes: uint32 seconds since 1970, int16 UTC offset minutes")
        epoch = int.from_bytes(bytes(value[0:4]), "little")
        tz = int.from_bytes(bytes(value[4:6]), "little")
        if tz >= 0x8000:
            tz -= 0x10000
        if not _EPOCH_MIN <= epoch <= _EPOCH_MAX or not -720 <= tz <= 840:
            raise ValueError("time %d / offset %d min is out of range" % (epoch, tz))
        self.clock = (epoch, tz, time.ticks_ms())
        self.on_time(epoch, tz)
        self._publish_stats()

    def _write_friends_start(self, value):
        if len(value) != 2:
            raise ValueError("friends index is a uint16")
        self.friends_start = value[0] | (value[1] << 8)
        self._publish_friends()

    def _write_design(self, value):
        if len(value) != 1 or value[0] >= DESIGNS:
            raise ValueError("design is one byte, 0..%d" % (DESIGNS - 1))
        self.on_design(value[0])  # may refuse (a design not unlocked yet): ValueError
        self.store.write("design", bytes(value))
        self._publish_design()

    def _set(self, index, value):
        handles = self.handles
        if handles is not None:
            self.ble.gatts_write(handles[index], value)

    def _result(self, text):
        self._set(5, text.encode()[:VALUE_MAX])

    # -- what reads see ------------------------------------------------------------------

    def _publish_profile(self):
        raw = self.store.read("profile.json") or b"{}"
        self._set(0, raw)

    def _publish_design(self):
        raw = self.store.read("design") or b"\x00"
        self._set(4, raw[:1])

    def _publish_friends(self):
        # friends(start) -> (total, the friends from index start on, as dicts): streamed, so
        # a pin with 2,000 friends never builds the whole list.
        total, items = self.friends(self.friends_start)
        start = min(self.friends_start, total)
        chunk = []
        size = 40  # the envelope
        for f in items:
            item = json.dumps(f)
            n = len(item.encode()) + 2
            if chunk and size + n > CHUNK_MAX:
                break
            chunk.append(item)
            size += n
        body = '{"total": %d, "start": %d, "friends": [%s]}' % (total, start, ", ".join(chunk))
        self._set(2, body.encode()[:VALUE_MAX])

    def _publish_stats(self):
        stats = dict(self.stats())
        if self.clock is not None:
            epoch, tz, at = self.clock
            stats["time"] = epoch + time.ticks_diff(time.ticks_ms(), at) // 1000
            stats["utc_offset_min"] = tz
        self._set(3, json.dumps(stats).encode()[:VALUE_MAX])

    def refresh(self):
        """Re-publish stats and friends (the app calls this when they change)."""
        self._publish_stats()
        self._publish_friends()

    # -- bond keys -----------------------------------------------------------------------

    def load_bonds(self):
        """Read the stored bonds (the app does at boot); returns how many there are."""
        return len(self._secrets_map())

    def _secrets_map(self):
        if self._secrets is None:
            self._secrets = {}
            raw = self.store.read("bonds")
            if raw:
                try:
                    for t, k, v in json.loads(raw):
                        self._secrets[(t, bytes.fromhex(k))] = bytes.fromhex(v)
                except (ValueError, TypeError) as exc:
                    self._secrets = {}  # a damaged bond file: pair again
                    self.log("storage: bonds unreadable (%r); paired laptops must pair "
                             "again" % (exc,))
        return self._secrets

    def _get_secret(self, sec_type, index, key):
        secrets = self._secrets_map()
        if key is None:
            i = 0
            for (t, _k), v in secrets.items():
                if t == sec_type:
                    if i == index:
                        return v
                    i += 1
            return None
        return secrets.get((sec_type, bytes(key)))

    def _set_secret(self, sec_type, key, value):
        secrets = self._secrets_map()
        k = (sec_type, bytes(key))
        if value is None:
            secrets.pop(k, None)
        else:
            secrets[k] = bytes(value)
        rows = [[t, kk.hex(), v.hex()] for (t, kk), v in secrets.items()]
        try:
            self.store.write("bonds", json.dumps(rows).encode())
        except OSError as exc:  # flash full: the bond lasts until the pin restarts
            self.log("companion: could not store the bond (%r)" % (exc,))
            return False
        return True


def _ignore(*args):
    return None


def _no_friends(start):
    return 0, ()


def friends_from_list(friends):
    """A friends(start) callable over a plain list (tests, the companion simulator)."""
    def page(start):
        return len(friends), friends[start:]

    return page


def _no_stats():
    return {}


def _urandom_passkey():
    import os

    return int.from_bytes(os.urandom(4), "little")
