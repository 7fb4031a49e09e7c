"""A fake `bluetooth` module: BLE and UUID with MicroPython's interface and IRQ semantics.

Common MicroPython subset: it runs under CPython (the simulator, pytest) and on the unix port
(the fuzz test), so the firmware's radio module is exercised unchanged on both.

Only the subset the firmware uses exists: active, config (mac, addr_mode, gap_name, rxbuf,
mtu), irq, gap_advertise, gap_scan, gap_connect, gap_disconnect, gatts_register_services,
gatts_read, gatts_write, gatts_notify, gattc_discover_services, gattc_discover_characteristics,
gattc_read, gattc_write, gattc_exchange_mtu. Events are delivered with the tuples of
MicroPython's docs. As on the pin, `addr` and `adv_data`/`notify_data`/`char_data` reach the
handler as memoryviews into a buffer the stack reuses: after the handler returns, the buffer
is scribbled over (and on CPython the view released), so firmware that keeps a payload
without copying it fails here as it would on the pin.

Air and time live elsewhere: without a medium (BLE(medium=None)) calls are recorded and a
test injects events with deliver_scan()/fire(); host_sim.radio.medium drives a whole room.
"""

from micropython import const

_IRQ_CENTRAL_CONNECT = const(1)
_IRQ_CENTRAL_DISCONNECT = const(2)
_IRQ_GATTS_WRITE = const(3)
_IRQ_SCAN_RESULT = const(5)
_IRQ_SCAN_DONE = const(6)
_IRQ_PERIPHERAL_CONNECT = const(7)
_IRQ_PERIPHERAL_DISCONNECT = const(8)
_IRQ_GATTC_SERVICE_RESULT = const(9)
_IRQ_GATTC_SERVICE_DONE = const(10)
_IRQ_GATTC_CHARACTERISTIC_RESULT = const(11)
_IRQ_GATTC_CHARACTERISTIC_DONE = const(12)
_IRQ_GATTC_READ_RESULT = const(15)
_IRQ_GATTC_READ_DONE = const(16)
_IRQ_GATTC_WRITE_DONE = const(17)
_IRQ_GATTC_NOTIFY = const(18)
_IRQ_MTU_EXCHANGED = const(21)

FLAG_READ = const(0x0002)
FLAG_WRITE_NO_RESPONSE = const(0x0004)
FLAG_WRITE = const(0x0008)
FLAG_NOTIFY = const(0x0010)

ADDR_PUBLIC = const(0)
ADDR_RANDOM = const(1)
_SCRIBBLE = const(0xA5)
_DEFAULT_MTU = const(23)


class UUID:
    """bluetooth.UUID: a 16-bit int or a 128-bit 'xxxxxxxx-xxxx-...' string."""

    def __init__(self, value):
        if isinstance(value, UUID):
            self._v = value._v
        elif isinstance(value, int):
            if not 0 <= value <= 0xFFFF:
                raise ValueError("invalid UUID")
            self._v = value
        elif isinstance(value, str):
            h = value.replace("-", "")
            if len(h) != 32:
                raise ValueError("invalid UUID")
            self._v = h.lower()
        else:
            raise TypeError("UUID needs an int or str")

    def __eq__(self, other):
        return isinstance(other, UUID) and self._v == other._v

    def __hash__(self):
        return hash(self._v)

    def __repr__(self):
        return "UUID(%r)" % (self._v,)


class BLE:
    def __init__(self, medium=None, mac=None, name="pin"):
        self.medium = medium
        self.name = name
        self._active = False
        self._handler = None
        self._mac = bytes(mac) if mac is not None else bytes(6)
        self._addr_mode = ADDR_PUBLIC
        self._gap_name = b"MPY BTSTACK"
        self._rxbuf = 64
        self._mtu = _DEFAULT_MTU
        # Advertising and scanning as last set by the firmware (read by the medium)
        self.adv_interval_us = None
        self.adv_data = None
        self.adv_connectable = True
        self.scan = None  # (start_us, duration_ms, interval_us, window_us, active) or None
        # GATT server: value handle -> bytearray value; uuid lookups for discovery
        self._values = {}
        self._services = []  # (uuid, start, end, ((value_handle, flags, uuid), ...))
        self._next_handle = 1
        # Reused IRQ payload buffers (one set per event kind, as the stack's ring buffer)
        self._addr_buf = bytearray(6)
        self._data_buf = bytearray(256)
        self._scribble = bytes([_SCRIBBLE]) * 256
        self.calls = []  # without a medium: what the firmware asked for
        self.handler_errors = 0
        self.rotations = 0

    # -- configuration -------------------------------------------------------------------

    def active(self, value=None):
        if value is not None:
            self._active = bool(value)
            if not self._active:
                self.adv_interval_us = None
                self.scan = None
                if self.medium is not None:
                    self.medium.ble_inactive(self)
        return self._active

    def config(self, *args, **kwargs):
        if args:
            if len(args) != 1 or kwargs:
                raise TypeError("config() takes one parameter name, or keywords")
            key = args[0]
            if key == "mac":
                return (1 if self._addr_mode else 0, self._mac)
            if key == "addr_mode":
                return self._addr_mode
            if key == "gap_name":
                return self._gap_name
            if key == "rxbuf":
                return self._rxbuf
            if key == "mtu":
                return self._mtu
            raise ValueError("unknown config param")
        for key in kwargs:
            value = kwargs[key]
            if key == "addr_mode":
                if value not in (0, 1, 2, 3):
                    raise ValueError("invalid addr_mode")
                self._require_active()
                self._addr_mode = value
                if value:
                    # Setting a random mode makes the stack generate a fresh random address
                    # (the firmware does this, with advertising stopped, to rotate it).
                    self._mac = self._new_random_address()
                    self.rotations += 1
            elif key == "gap_name":
                self._gap_name = value if isinstance(value, bytes) else str(value).encode()
            elif key == "rxbuf":
                self._rxbuf = int(value)
            elif key == "mtu":
                if not 23 <= value <= 517:
                    raise ValueError("mtu must be 23..517")
                self._mtu = value
            elif key in ("io", "mitm", "bond", "le_secure"):
                # Pairing settings (MicroPython's names); host_sim.radio.bluetooth_secure acts on them.
                setattr(self, key, value)
            elif key == "mac":
                raise ValueError("mac is read-only")
            else:
                raise ValueError("unknown config param")
        return None

    def _new_random_address(self):
        if self.medium is not None:
            raw = bytearray(self.medium.random_bytes(6))
        else:
            import os

            raw = bytearray(os.urandom(6))
        raw[0] = raw[0] & 0x3F  # non-resolvable private address: top two bits 00
        return bytes(raw)

    def _require_active(self):
        if not self._active:
            raise OSError(22)  # EINVAL: the stack is off, as on the pin

    def irq(self, handler):
        self._handler = handler

    # -- GAP -------------------------------------------------------------------------------

    def gap_advertise(self, interval_us, adv_data=None, resp_data=None, connectable=True):
        self._require_active()
        if interval_us is None:
            self.adv_interval_us = None
        else:
            if adv_data is not None:
                if len(adv_data) > 31:
                    raise ValueError("advertising data too long")
                self.adv_data = bytes(adv_data)
            if interval_us < 20000:
                interval_us = 20000  # the controller's minimum for connectable adverts
            self.adv_interval_us = interval_us
            self.adv_connectable = connectable
        self.calls.append(("gap_advertise", interval_us))
        if self.medium is not None:
            self.medium.advertising_changed(self)

    def gap_scan(self, duration_ms, interval_us=1280000, window_us=11250, active=False):
        self._require_active()
        if duration_ms is None:
            was = self.scan is not None
            self.scan = None
            if self.medium is not None:
                self.medium.scan_changed(self)
                if was:
                    self.medium.later(0, self.fire, _IRQ_SCAN_DONE, ())
            return
        if window_us > interval_us:
            raise ValueError("window_us must not exceed interval_us")
        start = self.medium.now_us() if self.medium is not None else 0
        self.scan = (start, duration_ms, interval_us, window_us, active)
        self.calls.append(("gap_scan", duration_ms, interval_us, window_us))
        if self.medium is not None:
            self.medium.scan_changed(self)

    def gap_connect(self, addr_type, addr, scan_duration_ms=2000, *args):
        self._require_active()
        self.calls.append(("gap_connect", addr_type, bytes(addr)))
        if self.medium is not None:
            self.medium.connect(self, addr_type, bytes(addr), scan_duration_ms)

    def gap_disconnect(self, conn_handle):
        self.calls.append(("gap_disconnect", conn_handle))
        if self.medium is None:
            return False
        return self.medium.disconnect(self, conn_handle)

    # -- GATT server -------------------------------------------------------------------

    def gatts_register_services(self, services):
        self._require_active()
        result = []
        self._services = []
        self._values = {}
        self._next_handle = 1
        for svc in services:
            uuid, chars = svc[0], svc[1]
            start = self._next_handle
            self._next_handle += 1
            handles = []
            descr = []
            for ch in chars:
                self._next_handle += 1  # the characteristic declaration
                vh = self._next_handle
                self._next_handle += 1
                if ch[1] & FLAG_NOTIFY:
                    self._next_handle += 1  # its CCCD
                self._values[vh] = bytearray(0)
                handles.append(vh)
                descr.append((vh, ch[1], ch[0]))
            self._services.append((uuid, start, self._next_handle - 1, tuple(descr)))
            result.append(tuple(handles))
        return tuple(result)

    def gatts_set_buffer(self, value_handle, length, append=False):
        if value_handle not in self._values:
            raise OSError(22)  # EINVAL, as on the pin

    def gatts_read(self, value_handle):
        if value_handle not in self._values:
            raise OSError(22)
        return bytes(self._values[value_handle])

    def gatts_write(self, value_handle, data, send_update=False):
        if value_handle not in self._values:
            raise OSError(22)
        self._values[value_handle] = bytearray(data)

    def gatts_notify(self, conn_handle, value_handle, data=None):
        if value_handle not in self._values:
            raise OSError(22)
        payload = bytes(self._values[value_handle] if data is None else data)
        if self.medium is None:
            self.calls.append(("gatts_notify", conn_handle, payload))
            return
        self.medium.notify(self, conn_handle, value_handle, payload)

    # -- GATT client -------------------------------------------------------------------

    def _air(self):
        if self.medium is None:
            raise OSError(128)  # ENOTCONN: without a medium there is never a connection
        return self.medium

    def gattc_discover_services(self, conn_handle, uuid=None):
        self._air().gattc(self, conn_handle, "services", uuid)

    def gattc_discover_characteristics(self, conn_handle, start_handle, end_handle, uuid=None):
        self._air().gattc(self, conn_handle, "chars", (start_handle, end_handle, uuid))

    def gattc_read(self, conn_handle, value_handle):
        self._air().gattc(self, conn_handle, "read", value_handle)

    def gattc_write(self, conn_handle, value_handle, data, mode=0):
        self._air().gattc(self, conn_handle, "write", (value_handle, bytes(data), mode))

    def gattc_exchange_mtu(self, conn_handle):
        self._air().gattc(self, conn_handle, "mtu", None)

    # -- the stack's side: deliver events to the firmware's handler --------------------

    def fire(self, event, data):
        """Call the firmware's IRQ handler as the stack would. An exception escaping it is
        counted (on the pin it would print a traceback and may wedge the stack)."""
        if self._handler is None:
            return None
        try:
            return self._handler(event, data)
        except Exception as exc:  # noqa: BLE001 - counting is the point
            self.handler_errors += 1
            self.last_handler_error = exc
            return None

    def _view(self, buf, payload):
        n = len(payload)
        buf[:n] = payload
        return memoryview(buf)[:n]

    def _invalidate(self, buf, view):
        n = len(view)
        release = getattr(view, "release", None)
        if release is not None:
            try:
                release()
            except Exception:  # noqa: BLE001 - a view the handler re-exported
                pass
        buf[:n] = self._scribble[:n]

    def deliver_scan(self, addr_type, addr, adv_type, rssi, adv_data):
        """One _IRQ_SCAN_RESULT with payloads valid only during the call."""
        a = self._view(self._addr_buf, addr)
        d = self._view(self._data_buf, adv_data)
        self.fire(_IRQ_SCAN_RESULT, (addr_type, a, adv_type, rssi, d))
        self._invalidate(self._addr_buf, a)
        self._invalidate(self._data_buf, d)

    def deliver_conn(self, event, conn_handle, addr_type, addr):
        a = self._view(self._addr_buf, addr)
        self.fire(event, (conn_handle, addr_type, a))
        self._invalidate(self._addr_buf, a)

    def deliver_data(self, event, conn_handle, value_handle, payload):
        d = self._view(self._data_buf, payload)
        self.fire(event, (conn_handle, value_handle, d))
        self._invalidate(self._data_buf, d)

    def server_write(self, conn_handle, value_handle, payload):
        """A peer's ATT write landed: store it, then _IRQ_GATTS_WRITE."""
        if value_handle not in self._values:
            return False
        self._values[value_handle] = bytearray(payload)
        self.fire(_IRQ_GATTS_WRITE, (conn_handle, value_handle))
        return True


def install():
    """Make `import bluetooth` find this module (CPython and the unix port alike)."""
    import sys

    if "bluetooth" not in sys.modules:
        sys.modules["bluetooth"] = sys.modules[__name__]
    return sys.modules["bluetooth"]
