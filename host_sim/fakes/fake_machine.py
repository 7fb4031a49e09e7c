"""A stand-in for MicroPython's `machine` module, built from host_sim's fakes.

The unix-port pin (host_sim.unixport.pty_pin) puts an instance in sys.modules["machine"], so the
pin's own code (cloudpin.esp32_board.build and the HIL scripts) constructs machine.Pin,
SPI, I2C and ADC exactly as on an ESP32 and gets fakes with emulated devices behind them.

Pins are shared by number, as on the chip: Pin(39) twice is the same line, so the world
(a simulated finger on a button) and the firmware see the same level. Common MicroPython
subset: this runs on the unix port (and on CPython for tests).
"""

from host_sim.fakes.hw import FakeADC, FakeI2C, FakePin, FakeSPI


class _Pins:
    def __init__(self):
        self.lines = {}

    def get(self, id, mode=-1, pull=-1, value=None):
        pin = self.lines.get(id)
        if pin is None:
            pin = FakePin(id, mode, pull, value)
            self.lines[id] = pin
        else:
            pin.init(mode, pull, value)
        return pin


def _pin_number(pin):
    # machine.SPI(sck=Pin(18)) hands Pin objects; keep their numbers for the record.
    return getattr(pin, "id", pin)


class FakeMachine:
    """The module object: attributes named like machine's, plus the world's handles."""

    def __init__(self, world=None):
        pins = _Pins()
        self.pins = pins
        # world(kind, part) is called for each bus or ADC the firmware builds, so emulated
        # devices can attach to it (kind: "spi", "i2c", "adc").
        self._world = world
        self.buses = []
        machine = self

        class Pin(FakePin):
            def __new__(cls, id, mode=-1, pull=-1, value=None):
                return pins.get(id, mode, pull, value)

            def __init__(self, *args, **kwargs):
                pass  # the shared line was (re)initialised in __new__

        for name in ("IN", "OUT", "OPEN_DRAIN", "PULL_UP", "PULL_DOWN", "IRQ_RISING",
                     "IRQ_FALLING"):
            setattr(Pin, name, getattr(FakePin, name))

        class SPI(FakeSPI):
            def __new__(cls, id=1, baudrate=1000000, polarity=0, phase=0, sck=None,
                        mosi=None, miso=None):
                bus = FakeSPI(id, baudrate, polarity, phase)
                bus.pins = (_pin_number(sck), _pin_number(mosi), _pin_number(miso))
                machine._built("spi", bus)
                return bus

        class I2C(FakeI2C):
            def __new__(cls, id=0, scl=None, sda=None, freq=400000):
                bus = FakeI2C(id, freq=freq)
                bus.pins = (_pin_number(scl), _pin_number(sda))
                machine._built("i2c", bus)
                return bus

        class ADC(FakeADC):
            def __new__(cls, pin, atten=None):
                adc = FakeADC(_pin_number(pin))
                machine._built("adc", adc)
                return adc

        self.Pin = Pin
        self.SPI = SPI
        self.I2C = I2C
        self.ADC = ADC

    def _built(self, kind, part):
        self.buses.append((kind, part))
        if self._world is not None:
            self._world(kind, part)

    # The few other machine functions firmware and mpremote may call.
    def freq(self, hz=None):
        return 240000000 if hz is None else None

    def unique_id(self):
        return b"\x24\x0a\xc4\x00\x00\x01"

    def idle(self):
        pass

    def reset(self):
        raise SystemExit("machine.reset() on the unix-port pin")

    def soft_reset(self):
        raise SystemExit("machine.soft_reset() on the unix-port pin")
