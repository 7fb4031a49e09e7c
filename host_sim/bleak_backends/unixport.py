"""A bleak scanner backend that sees the unix-port pin's adverts (host_sim.unixport.air).

    from host_sim.bleak_backends import unixport as bleak_air
    bleak_air.use(air_dir)
    BleakScanner(detection_callback=..., backend=bleak_air.AirScanner)

Each advert file in air_dir is one advertiser; it is reported with a fixed RSSI of a pin
lying on the desk next to the laptop (DESK_RSSI), for as long as the file exists.
"""

import asyncio
import json
import os

from bleak.backends.scanner import AdvertisementData, BaseBleakScanner

from host_sim.bleak_backends.sim import _local_name, _service_uuids

DESK_RSSI = -42  # dBm: a pin about 20 cm from the laptop (DESIGN.md's channel table)
_air_dir = None


def use(air_dir):
    global _air_dir
    _air_dir = air_dir


class AirScanner(BaseBleakScanner):
    def __init__(self, detection_callback, service_uuids, scanning_mode="active", **kwargs):
        super().__init__(detection_callback, service_uuids)
        self._task = None

    async def start(self):
        self.seen_devices = {}
        self._task = asyncio.ensure_future(self._watch())

    async def stop(self):
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _watch(self):
        while True:
            for name in sorted(os.listdir(_air_dir)) if _air_dir else ():
                if not name.endswith(".json"):
                    continue
                try:
                    with open(os.path.join(_air_dir, name), encoding="utf-8") as f:
                        record = json.load(f)
                except (OSError, ValueError):
                    continue  # being replaced right now
                data = bytes.fromhex(record["adv_data"])
                adv = AdvertisementData(local_name=_local_name(data), manufacturer_data={},
                                        service_data={}, service_uuids=_service_uuids(data),
                                        tx_power=None, rssi=DESK_RSSI, platform_data=(record,))
                if not self.is_allowed_uuid(adv.service_uuids):
                    continue
                device = self.create_or_update_device(record["address"], record["address"],
                                                      adv.local_name, record, adv)
                self.call_detection_callbacks(device, adv)
            await asyncio.sleep(0.1)
