"""Build the Board of a real pin from its definition. Only main.py on the pin calls this:
it is the one place that constructs machine.* and bluetooth.BLE objects."""

from cloudpin.board import Board


def build(defn, storage_root="/"):
    import machine

    panel = defn["panel"]
    spi_def = panel["spi"]
    spi = machine.SPI(spi_def.get("id", 2), baudrate=spi_def.get("baudrate", 4000000),
                      polarity=0, phase=0, sck=machine.Pin(spi_def["sck"]),
                      mosi=machine.Pin(spi_def["mosi"]))
    panel_pins = {
        "cs": machine.Pin(panel["cs"], machine.Pin.OUT, value=1),
        "dc": machine.Pin(panel["dc"], machine.Pin.OUT, value=0),
        "rst": machine.Pin(panel["rst"], machine.Pin.OUT, value=1),
        "busy": machine.Pin(panel["busy"], machine.Pin.IN),
    }
    i2c = accel_int = None
    accel = defn.get("accel")
    if accel:
        bus = accel["i2c"]
        i2c = machine.I2C(bus.get("id", 0), scl=machine.Pin(bus["scl"]),
                          sda=machine.Pin(bus["sda"]), freq=bus.get("freq", 400000))
        if "int1" in accel:
            accel_int = machine.Pin(accel["int1"], machine.Pin.IN)
    buttons = {}
    for name, spec in (defn.get("buttons") or {}).items():
        active_low = spec.get("active_low", True)
        if active_low and spec["pin"] < 34:
            # GPIO 34-39 have no internal pull-ups: such boards fit an external resistor.
            pin = machine.Pin(spec["pin"], machine.Pin.IN, machine.Pin.PULL_UP)
        else:
            pin = machine.Pin(spec["pin"], machine.Pin.IN)
        buttons[name] = (pin, active_low)
    battery_adc = None
    if defn.get("battery"):
        battery_adc = machine.ADC(machine.Pin(defn["battery"]["adc"]))
        battery_adc.atten(machine.ADC.ATTN_11DB)
    ble = None
    try:
        import bluetooth

        ble = bluetooth.BLE()
    except ImportError:
        pass
    deep_sleep = None
    if accel_int is not None and accel and accel.get("int1") in _RTC_GPIOS:
        deep_sleep = _deep_sleeper(accel_int)
    return Board(defn["id"], defn, spi=spi, panel_pins=panel_pins, i2c=i2c,
                 accel_int=accel_int, buttons=buttons, battery_adc=battery_adc, ble=ble,
                 storage_root=storage_root, deep_sleep=deep_sleep, rtc=EspRTC())


class EspRTC:
    """The ESP32's RTC as Unix seconds (MicroPython's ESP32 epoch is 2000-01-01)."""

    def __init__(self):
        import time

        self._epoch = 946684800 if time.gmtime(0)[0] == 2000 else 0

    def unix(self):
        import time

        return time.time() + self._epoch

    def set_unix(self, t):
        import time

        import machine

        y, mo, d, h, mi, s, wd, _ = time.gmtime(t - self._epoch)
        machine.RTC().datetime((y, mo, d, wd, h, mi, s, 0))


# GPIOs the ESP32's RTC domain can watch in deep sleep (ext0 wake-up).
_RTC_GPIOS = (0, 2, 4, 12, 13, 14, 15, 25, 26, 27, 32, 33, 34, 35, 36, 37, 38, 39)


def _deep_sleeper(int1):
    def deep_sleep():
        import esp32
        import machine

        esp32.wake_on_ext0(int1, esp32.WAKEUP_ANY_HIGH)
        machine.deepsleep()

    return deep_sleep
