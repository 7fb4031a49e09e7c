"""host_sim.radio.bluetooth's fake bluetooth.BLE plus what the companion needs: pairing with a passkey,
bond keys, attribute security and a central on the other end of the link.

The pin's side keeps MicroPython's interface: config(io=, mitm=, bond=, le_secure=),
gap_passkey(), gatts_set_buffer(), and the IRQ events _IRQ_PASSKEY_ACTION,
_IRQ_ENCRYPTION_UPDATE, _IRQ_GET_SECRET/_IRQ_SET_SECRET. The stack enforces the attribute
flags as NimBLE does: a read or write of a FLAG_*_AUTHENTICATED characteristic on a link that
is not authenticated fails with ATT error 0x05 (insufficient authentication) and the
firmware never hears of it.

The central's side (used by host_sim.bleak_backends.sim, the companion's bleak backend) is
connect / pair(passkey typed by the person) / read / write / disconnect. A link can be cut
from outside (drop_after) to play a person walking out of range mid-transfer.
"""

import os

from host_sim import runtime

runtime.install()  # host_sim.radio.bluetooth imports micropython

from host_sim.radio.bluetooth import BLE  # noqa: E402

_IRQ_CENTRAL_CONNECT = 1
_IRQ_CENTRAL_DISCONNECT = 2
_IRQ_ENCRYPTION_UPDATE = 28
_IRQ_GET_SECRET = 29
_IRQ_SET_SECRET = 30
_IRQ_PASSKEY_ACTION = 31
_PASSKEY_ACTION_DISPLAY = 3
_SEC_TYPE_LTK = 3  # what NimBLE stores per peer (sec_type values are opaque to apps)

FLAG_READ_ENCRYPTED = 0x0200
FLAG_READ_AUTHENTICATED = 0x0400
FLAG_WRITE_ENCRYPTED = 0x1000
FLAG_WRITE_AUTHENTICATED = 0x2000

ATT_INSUFFICIENT_AUTHENTICATION = 0x05
ATT_READ_NOT_PERMITTED = 0x02
ATT_WRITE_NOT_PERMITTED = 0x03
ATT_INVALID_ATTRIBUTE_LENGTH = 0x0D


class LinkLost(Exception):
    """The central lost the link (range, the pin went away)."""


class PairingFailed(Exception):
    pass


class AttError(Exception):
    def __init__(self, code, what):
        super().__init__("ATT error 0x%02x: %s" % (code, what))
        self.code = code


class SecureBLE(BLE):
    def __init__(self, mac=None, name="pin"):
        super().__init__(medium=None, mac=mac or os.urandom(6), name=name)
        self.io = 3
        self.mitm = False
        self.bond = False
        self.le_secure = False
        self._buffers = {}
        self._flags = {}
        self.conn = None          # the one central's connection handle
        self.central_addr = None
        self.link = None          # {"encrypted", "authenticated", "bonded"} of the open link
        self._pending_passkey = None
        self.drop_after = None    # cut the link after this many more central operations
        self._next_conn = 1
        self.pairings = []        # (ok, reason) per pairing, for tests

    # -- the pin's side: MicroPython API additions -------------------------------------

    def config(self, *args, **kwargs):
        for key in ("io", "mitm", "bond", "le_secure"):
            if key in kwargs:
                setattr(self, key, kwargs.pop(key))
        if args or kwargs:
            return super().config(*args, **kwargs)
        return None

    def gatts_register_services(self, services):
        result = super().gatts_register_services(services)
        self._flags = {}
        for _uuid, _start, _end, chars in self._services:
            for vh, flags, _cuuid in chars:
                self._flags[vh] = flags
        return result

    def gatts_set_buffer(self, value_handle, length, append=False):
        if value_handle not in self._values:
            raise OSError(22)
        self._buffers[value_handle] = length

    def gap_passkey(self, conn_handle, action, passkey):
        if conn_handle != self.conn:
            raise OSError(22)
        self._pending_passkey = int(passkey)

    def gap_disconnect(self, conn_handle):
        if conn_handle != self.conn:
            return False
        self._drop("the pin disconnected")
        return True

    # -- the central's side -------------------------------------------------------------

    def central_connect(self, central_addr, bonded=False):
        """bonded: the central still holds a key from an earlier pairing with this pin."""
        if not self._active or self.adv_interval_us is None or not self.adv_connectable:
            raise LinkLost("the pin is not advertising as connectable")
        if self.conn is not None:
            raise LinkLost("the pin is busy with another connection")
        self.conn = self._next_conn
        self._next_conn += 1
        self.central_addr = bytes(central_addr)
        self.link = {"encrypted": False, "authenticated": False, "bonded": False}
        self.deliver_conn(_IRQ_CENTRAL_CONNECT, self.conn, 0, self.central_addr)
        if self.conn is None:
            raise LinkLost("the pin refused the connection")
        # A bonded central is encrypted again from the stored keys, without a passkey, when
        # both sides still have them.
        if bonded and self.fire(_IRQ_GET_SECRET, (_SEC_TYPE_LTK, 0, self.central_addr)):
            self.link.update(encrypted=True, authenticated=True, bonded=True)
            self.fire(_IRQ_ENCRYPTION_UPDATE, (self.conn, True, True, True, 16))
        return self.conn

    def central_pair(self, entered_passkey):
        """The person typed entered_passkey (None: gave up). True when the link is then
        authenticated; PairingFailed (the link drops) when not."""
        self._tick()
        if not (self.mitm and self.io == 0):
            raise PairingFailed("the pin does not offer passkey pairing")
        self._pending_passkey = None
        self.fire(_IRQ_PASSKEY_ACTION, (self.conn, _PASSKEY_ACTION_DISPLAY, 0))
        shown = self._pending_passkey
        if shown is None:
            self.pairings.append((False, "no passkey"))
            self.fire(_IRQ_ENCRYPTION_UPDATE, (self.conn, False, False, False, 0))
            raise PairingFailed("the pin did not provide a passkey")
        try:
            entered = None if entered_passkey is None else int(entered_passkey)
        except (PairingFailed, TypeError, ValueError):
            entered = None
        if entered != shown:
            self.pairings.append((False, "wrong passkey"))
            self.fire(_IRQ_ENCRYPTION_UPDATE, (self.conn, False, False, False, 0))
            self._drop("pairing failed")
            raise PairingFailed("wrong passkey")
        self.link.update(encrypted=True, authenticated=True, bonded=bool(self.bond))
        if self.bond:
            self.fire(_IRQ_SET_SECRET, (_SEC_TYPE_LTK, self.central_addr, os.urandom(16)))
        self.pairings.append((True, "ok"))
        self.fire(_IRQ_ENCRYPTION_UPDATE, (self.conn, True, True, bool(self.bond), 16))
        return True

    def central_services(self):
        """[(service uuid, [(value handle, flags, char uuid), ...])]"""
        self._tick()
        return [(uuid, list(chars)) for uuid, _s, _e, chars in self._services]

    def central_read(self, value_handle):
        self._tick()
        flags = self._check(value_handle, 0x0002, FLAG_READ_ENCRYPTED | FLAG_READ_AUTHENTICATED,
                            ATT_READ_NOT_PERMITTED)
        del flags
        return bytes(self._values[value_handle])

    def central_write(self, value_handle, data):
        self._tick()
        self._check(value_handle, 0x0008 | 0x0004,
                    FLAG_WRITE_ENCRYPTED | FLAG_WRITE_AUTHENTICATED, ATT_WRITE_NOT_PERMITTED)
        limit = self._buffers.get(value_handle, 20)
        if len(data) > limit:
            raise AttError(ATT_INVALID_ATTRIBUTE_LENGTH, "%d bytes, the pin takes %d"
                           % (len(data), limit))
        self.server_write(self.conn, value_handle, bytes(data))

    def central_disconnect(self):
        if self.conn is not None:
            self._drop(None)

    # -- internals --------------------------------------------------------------------

    def _check(self, value_handle, allowed, secure_bits, not_permitted):
        if self.conn is None:
            raise LinkLost("not connected")
        flags = self._flags.get(value_handle)
        if flags is None:
            raise AttError(0x01, "no attribute at handle %d" % value_handle)
        if not flags & allowed:
            raise AttError(not_permitted, "not permitted")
        if flags & secure_bits and not self.link["authenticated"]:
            raise AttError(ATT_INSUFFICIENT_AUTHENTICATION, "insufficient authentication: pair first")
        return flags

    def _tick(self):
        if self.conn is None:
            raise LinkLost("not connected")
        if self.drop_after is not None:
            if self.drop_after <= 0:
                self.drop_after = None
                self._drop("out of range")
                raise LinkLost("the pin went out of range")
            self.drop_after -= 1

    def _drop(self, reason):
        conn = self.conn
        if conn is None:
            return
        self.conn = None
        self.link = None
        self.deliver_conn(_IRQ_CENTRAL_DISCONNECT, conn, 0, self.central_addr or bytes(6))
