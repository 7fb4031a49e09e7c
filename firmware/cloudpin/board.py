"""The Board: every piece of hardware the firmware may use, built once and handed in.

On the pin, cloudpin.esp32_board builds one from a board definition (boards/*.json, checked
by cloudpin.boarddef). In the simulator and on the unix port, host_sim.fakes.board builds one
from fakes. Services take the parts they need from it; nothing in firmware/ constructs
hardware itself, so many pins can live in one simulator process.

Parts that a board lacks are None, and the services that need them stay off.
"""


class Board:
    def __init__(self, name, definition=None, spi=None, panel_pins=None, i2c=None,
                 accel_int=None, buttons=None, battery_adc=None, ble=None,
                 storage_root="/", log=None, random_bytes=None, where=None,
                 deep_sleep=None, rtc=None):
        self.name = name
        # The validated definition (dict): panel controller and size, divider ratio, ...
        self.definition = definition or {}
        self.spi = spi
        # {"cs", "dc", "rst", "busy"} -> Pin
        self.panel_pins = panel_pins or {}
        self.i2c = i2c
        self.accel_int = accel_int
        # name -> (Pin, active_low)
        self.buttons = buttons or {}
        self.battery_adc = battery_adc
        # A bluetooth.BLE (or the simulator's fake with the same interface)
        self.ble = ble
        # Where this pin's files live ("/" on the pin; a temporary folder per simulated pin)
        self.storage_root = storage_root
        self.log = log or _print_log
        # random_bytes(n): os.urandom on the pin; a seeded generator in the simulator, so a
        # run is the same for the same seed.
        self.random_bytes = random_bytes or _urandom
        # where() -> (x_m, y_m) in the simulator's hall (friends remember where they met);
        # None on a real pin.
        self.where = where
        # deep_sleep(): sleep at ~10 uA until the accelerometer's INT1 wakes the pin, which
        # then boots afresh (None: this board cannot, e.g. INT1 is not on an RTC GPIO).
        self.deep_sleep = deep_sleep
        # rtc: unix() -> int or None, set_unix(t). The ESP32's RTC survives deep sleep.
        self.rtc = rtc

    def path(self, name):
        root = self.storage_root
        if not root.endswith("/"):
            root += "/"
        return root + name

    def part(self, key, default=None):
        """A section of the board definition, e.g. part("panel")."""
        return self.definition.get(key, default)


def _print_log(*args):
    print(*args)


def _urandom(n):
    import os

    return os.urandom(n)
