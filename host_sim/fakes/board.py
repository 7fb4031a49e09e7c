"""A Board made of fakes, for the simulator (CPython) and for tests on the unix port.

The default wiring is boards/devkit-breakout.json's; emulated devices (panel controller,
accelerometer) attach to the fake buses as their modules are added.
"""

from cloudpin.board import Board

from host_sim.fakes.hw import FakeADC, FakeI2C, FakePin, FakeSPI


def sim_board(name="sim", definition=None, storage_root="/tmp/cloudpin-sim", ble=None,
              log=None, random_bytes=None, where=None, deep_sleep=None, rtc=None):
    definition = definition or {
        "id": name,
        "panel": {"controller": "ssd1680", "width": 250, "height": 122, "rotation": 90},
        "battery": {"divider": 2.0},
    }
    spi = FakeSPI(2)
    panel_pins = {
        "cs": FakePin("cs", FakePin.OUT, value=1),
        "dc": FakePin("dc", FakePin.OUT, value=0),
        "rst": FakePin("rst", FakePin.OUT, value=1),
        "busy": FakePin("busy", FakePin.IN),
    }
    buttons = {
        "a": (FakePin("a", FakePin.IN, FakePin.PULL_UP), True),
        "b": (FakePin("b", FakePin.IN, FakePin.PULL_UP), True),
    }
    return Board(name, definition, spi=spi, panel_pins=panel_pins, i2c=FakeI2C(0),
                 accel_int=FakePin("int1", FakePin.IN), buttons=buttons,
                 battery_adc=FakeADC("bat"), ble=ble, storage_root=storage_root, log=log,
                 random_bytes=random_bytes, where=where, deep_sleep=deep_sleep, rtc=rtc)


class SimRTC:
    """The ESP32's RTC in the simulator: set by a time sync, it keeps counting on the
    simulation's clock through deep sleep (it lives on the board, not in the firmware)."""

    def __init__(self, seconds):
        self._seconds = seconds  # callable: the simulation's elapsed seconds
        self._offset = None

    def unix(self):
        if self._offset is None:
            return None
        return int(self._seconds() + self._offset)

    def set_unix(self, t):
        self._offset = t - self._seconds()


class SeededBytes:
    """random_bytes for a board that gives the same bytes every run for a seed (a pin's
    identity, passkeys), so a bench or a trial can be repeated exactly."""

    def __init__(self, seed):
        self.x = seed

    def __call__(self, n):
        out = bytearray(n)
        for i in range(n):
            self.x = (self.x * 1103515245 + 12345) & 0x7FFFFFFF
            out[i] = self.x >> 16 & 0xFF
        return bytes(out)
