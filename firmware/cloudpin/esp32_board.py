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
    return Board(defn["id"], defn, spi=spi, panel_pins=panel_pins, i2c=i2c,
                 accel_int=accel_int, buttons=buttons, battery_adc=battery_adc, ble=ble,
                 storage_root=storage_root)
