"""The air between the unix-port pin and the host, as files: a medium for host_sim.radio.bluetooth.

Inside the unix pin (host_sim.unixport.pin_world), `bluetooth.BLE()` is host_sim.radio.bluetooth's fake with
this medium. When the firmware advertises, the advert lands in AIR_DIR/<address>.json; when
it stops, the file goes. On the host, host_sim.bleak_backends.unixport's scanner reads those files, so
`cloudpin hil --unix` checks the BLE script's advert with bleak as on a real desk.

Only advertising crosses; scanning, connections and GATT stay inside the pin (the companion
is tested against in-process simulated pins, host_sim.bleak_backends.sim). Common MicroPython subset.
"""

import json
import os


class FileAir:
    def __init__(self, air_dir, create=True):
        self.air_dir = air_dir
        if create:
            try:
                os.mkdir(air_dir)
            except OSError:
                pass

    def _path(self, ble):
        mac = ble.config("mac")[1]
        return self.air_dir + "/" + "".join("%02x" % b for b in mac) + ".json"

    def advertising_changed(self, ble):
        if ble.adv_interval_us is None:
            self.ble_inactive(ble)
            return
        mac = ble.config("mac")[1]
        record = {"address": ":".join("%02X" % b for b in mac),
                  "adv_data": "".join("%02x" % b for b in (ble.adv_data or b"")),
                  "interval_us": ble.adv_interval_us, "connectable": ble.adv_connectable}
        # Written in place (VfsPosix.rename mis-resolves paths under a mount point); the
        # host's reader skips a file it catches half-written and reads it again 100 ms later.
        with open(self._path(ble), "w") as f:
            f.write(json.dumps(record))

    def ble_inactive(self, ble):
        try:
            os.remove(self._path(ble))
        except OSError:
            pass

    def random_bytes(self, n):
        return os.urandom(n)

    def now_us(self):
        import time

        return time.ticks_us()

    def scan_changed(self, ble):
        pass  # nothing on the host advertises towards the unix pin

    def later(self, delay_ms, fn, *args):
        fn(*args)

    def connect(self, ble, addr_type, addr, scan_duration_ms):
        raise OSError(116)  # ETIMEDOUT: no peer reachable from the unix pin

    def disconnect(self, ble, conn_handle):
        return False

    def notify(self, ble, conn_handle, value_handle, payload):
        pass

    def gattc(self, ble, conn_handle, op, arg):
        raise OSError(107)  # ENOTCONN
