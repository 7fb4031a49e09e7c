"""A bleak backend whose air is host_sim: BleakScanner(backend=SimScanner) and
BleakClient(addr, backend=SimClient) reach the simulated pins of a CompanionWorld, so the
companion's real bleak code (tools/companion/laptop.py) runs unchanged against simulated pins.

    from host_sim.bleak_backends import sim as bleak_sim
    bleak_sim.use(world)
    async with BleakClient(address, backend=bleak_sim.SimClient) as client: ...

Pairing: real bleak has no passkey parameter (the operating system asks the person). This
backend's pair() takes passkey= or asks world.passkey_provider(pin), the stand-in for that
dialog. Errors come out as bleak's own exceptions (BleakError, BleakDeviceNotFoundError), so
the companion handles the simulated pin's failures as it would a real one's.
"""

import asyncio
from typing import Any

from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient
from bleak.backends.scanner import AdvertisementData, BaseBleakScanner
from bleak.backends.service import BleakGATTService, BleakGATTServiceCollection
from bleak.exc import BleakDeviceNotFoundError, BleakError

from host_sim.radio.bluetooth_secure import AttError, LinkLost, PairingFailed

_world = None


def use(world):
    """Make the backend talk to world's pins."""
    global _world
    _world = world


def _require_world():
    if _world is None:
        raise BleakError("host_sim.bleak_backends.sim: no simulated world (call bleak_sim.use(world))")
    return _world


def _uuid(u):
    """bleak's UUID string for a host_sim.radio.bluetooth.UUID (16-bit int or 32 hex digits)."""
    v = getattr(u, "_v", u)
    if isinstance(v, int):
        return "0000%04x-0000-1000-8000-00805f9b34fb" % v
    h = str(v).replace("-", "").lower()
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


def _properties(flags):
    props = []
    if flags & 0x0002:
        props.append("read")
    if flags & 0x0004:
        props.append("write-without-response")
    if flags & 0x0008:
        props.append("write")
    if flags & 0x0010:
        props.append("notify")
    return props


class SimScanner(BaseBleakScanner):
    def __init__(self, detection_callback, service_uuids, scanning_mode="active", **kwargs):
        super().__init__(detection_callback, service_uuids)

    async def start(self):
        world = _require_world()
        self.seen_devices = {}
        await asyncio.sleep(0)
        for pin in world.pins:
            ble = pin.ble
            if not ble.active() or ble.adv_interval_us is None:
                continue
            uuids = _service_uuids(ble.adv_data or b"")
            if not self.is_allowed_uuid(uuids):
                continue
            adv = AdvertisementData(local_name=_local_name(ble.adv_data or b""),
                                    manufacturer_data={}, service_data={},
                                    service_uuids=uuids, tx_power=None, rssi=pin.rssi,
                                    platform_data=(pin,))
            device = self.create_or_update_device(pin.address, pin.address, adv.local_name,
                                                  pin, adv)
            self.call_detection_callbacks(device, adv)

    async def stop(self):
        await asyncio.sleep(0)


def _ad_fields(data):
    i = 0
    data = bytes(data)
    while i + 1 < len(data):
        n = data[i]
        if n == 0:
            break
        yield data[i + 1], data[i + 2:i + 1 + n]
        i += 1 + n


def _local_name(data):
    for kind, value in _ad_fields(data):
        if kind in (0x08, 0x09):
            return value.decode("utf-8", "replace")
    return None


def _service_uuids(data):
    out = []
    for kind, value in _ad_fields(data):
        if kind in (0x06, 0x07):
            for j in range(0, len(value) - 15, 16):
                h = bytes(reversed(value[j:j + 16])).hex()
                out.append("%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:]))
    return out


class SimClient(BaseBleakClient):
    def __init__(self, address_or_ble_device, services=None, **kwargs):
        super().__init__(address_or_ble_device, disconnected_callback=kwargs.pop(
            "disconnected_callback", None), timeout=kwargs.pop("timeout", 10.0))
        self._pin = None
        self._handles = {}

    @property
    def mtu_size(self) -> int:
        return 247

    @property
    def name(self) -> str:
        return self._pin.name if self._pin else self.address

    @property
    def is_connected(self) -> bool:
        return self._pin is not None and self._pin.ble.conn is not None

    async def connect(self, pair: bool, **kwargs: Any) -> None:
        world = _require_world()
        pin = world.find(self.address)
        if pin is None:
            raise BleakDeviceNotFoundError(self.address, "no simulated pin at %s" % self.address)
        await asyncio.sleep(0)
        bonded = self.address.upper() in world.host_bonds()
        try:
            pin.ble.central_connect(_mac(world.host_address), bonded=bonded)
        except LinkLost as exc:
            raise BleakError("could not connect to %s: %s" % (self.address, exc)) from None
        self._pin = pin
        self.services = self._collect(pin)
        if pair:
            await self.pair()

    def _collect(self, pin):
        coll = BleakGATTServiceCollection()
        for uuid, chars in pin.ble.central_services():
            first = chars[0][0] - 2 if chars else 1
            service = BleakGATTService(None, first, _uuid(uuid))
            coll.add_service(service)
            for vh, flags, cuuid in chars:
                char = BleakGATTCharacteristic(None, vh, _uuid(cuuid), _properties(flags),
                                               lambda: 244, service)
                coll.add_characteristic(char)
        return coll

    async def disconnect(self) -> None:
        if self._pin is not None:
            self._pin.ble.central_disconnect()
        await asyncio.sleep(0)

    async def pair(self, *args: Any, passkey=None, **kwargs: Any) -> None:
        pin = self._link()
        world = _require_world()
        if passkey is None and world.passkey_provider is not None:
            # The pin shows the passkey when the pairing starts; the "OS dialog" asks after.
            passkey = _DeferredPasskey(world.passkey_provider, pin)
        try:
            pin.ble.central_pair(passkey)
        except PairingFailed as exc:
            self._lost()
            raise BleakError("pairing with %s failed: %s" % (self.address, exc)) from None
        except LinkLost as exc:
            self._lost()
            raise BleakError(str(exc)) from None
        world.save_bond(self.address, True)
        await asyncio.sleep(0)

    async def unpair(self) -> None:
        _require_world().save_bond(self.address, False)
        await self.disconnect()

    def _link(self):
        if self._pin is None or self._pin.ble.conn is None:
            raise BleakError("not connected to %s" % self.address)
        return self._pin

    def _lost(self):
        if self._disconnected_callback is not None:
            self._disconnected_callback()

    async def read_gatt_char(self, characteristic, *, use_cached=False, **kwargs):
        pin = self._link()
        await asyncio.sleep(0)
        try:
            return bytearray(pin.ble.central_read(characteristic.handle))
        except AttError as exc:
            raise BleakError(str(exc)) from None
        except LinkLost as exc:
            self._lost()
            raise BleakError("disconnected: %s" % exc) from None

    async def write_gatt_char(self, characteristic, data, response: bool) -> None:
        pin = self._link()
        await asyncio.sleep(0)
        try:
            pin.ble.central_write(characteristic.handle, bytes(data))
        except AttError as exc:
            raise BleakError(str(exc)) from None
        except LinkLost as exc:
            self._lost()
            raise BleakError("disconnected: %s" % exc) from None

    async def read_gatt_descriptor(self, descriptor, *, use_cached=False, **kwargs):
        raise BleakError("the simulated pins have no descriptors to read")

    async def write_gatt_descriptor(self, descriptor, data) -> None:
        raise BleakError("the simulated pins have no descriptors to write")

    async def start_notify(self, characteristic, callback, **kwargs) -> None:
        raise BleakError("notifications are not simulated for the companion service")

    async def stop_notify(self, characteristic) -> None:
        raise BleakError("notifications are not simulated for the companion service")


class _DeferredPasskey:
    """Asks the provider only when compared, i.e. after the pin has shown its passkey."""

    def __init__(self, provider, pin):
        self._provider = provider
        self._pin = pin

    def __int__(self):
        value = self._provider(self._pin)
        if value is None:
            raise PairingFailed("no passkey entered")
        return int(value)


def _mac(text):
    return bytes(int(b, 16) for b in text.split(":"))
