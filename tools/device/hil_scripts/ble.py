# ruff: noqa: F821  (gc, time, json and the verdict helpers come from _prelude.py)
# BLE advertising: the pin advertises a test name with the raw bluetooth module (this checks
# the radio and antenna, not cloudpin.radio's advert format, which the tap tests cover) and
# prints the name; the host (tools/device/hil.py) must then see that advert with bleak and an RSSI.
# The advert keeps running after this script returns.
import os

lacking = world_lacks("a bridge from the unix pin's BLE")
if lacking:
    waiting(lacking)
else:
    try:
        import bluetooth
    except ImportError:
        bluetooth = None
    if bluetooth is None:
        failed("this MicroPython has no bluetooth module")
    else:
        name = "CloudPin-HIL-%04x" % (int.from_bytes(os.urandom(2), "big"))
        via = "raw bluetooth"
        ble = bluetooth.BLE()
        ble.active(True)
        adv = bytes((2, 0x01, 0x06, len(name) + 1, 0x09)) + name.encode()
        ble.gap_advertise(100000, adv_data=adv)
        data({"ble_name": name, "ble_via": via})
        print("HIL ADVERTISING %s" % name)
        passed("advertising as %s via %s (the host checks it)" % (name, via))
