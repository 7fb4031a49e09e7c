"""`cloudpin ports`: the serial ports on this computer and which of them look like a pin, as
`mpremote connect list` lists them; and how every device tool picks its port.

    cloudpin ports [--json]

A device tool's port (-p/--port, as esptool has it) is, in this order: the flag; the
CLOUDPIN_PORT environment variable; else `auto`: the one USB serial port whose USB-UART
bridge ESP32 boards use (CP210x, CH340/CH9102, FTDI, Espressif's own USB). Several, or none,
is an error that lists what there is.
"""

import os

from tools.bench.report import UsageError, emit_json, print_rows
from tools.device.pinlink import PinError

ENV = "CLOUDPIN_PORT"
AUTO = "auto"
# USB vendor ids of the USB-UART bridges on ESP32 boards.
PIN_VIDS = {0x10C4: "Silicon Labs CP210x", 0x1A86: "WCH CH340/CH9102", 0x0403: "FTDI",
            0x303A: "Espressif USB"}


def list_ports():
    """Every serial port pyserial sees, with its USB ids and whether it looks like a pin."""
    from serial.tools import list_ports as serial_ports

    out = []
    for p in sorted(serial_ports.comports(), key=lambda p: p.device):
        out.append({
            "device": p.device,
            "description": None if p.description in (None, "n/a") else p.description,
            "vid": p.vid, "pid": p.pid,
            "usb_id": "%04x:%04x" % (p.vid, p.pid) if p.vid is not None else None,
            "serial_number": p.serial_number,
            "manufacturer": p.manufacturer,
            "product": p.product,
            "bridge": PIN_VIDS.get(p.vid),
            "looks_like_pin": p.vid in PIN_VIDS,
        })
    return out


def find_pin_port(ports=None):
    """The one port that looks like a pin, or PinError saying what there is."""
    ports = list_ports() if ports is None else ports
    found = [p["device"] for p in ports if p["looks_like_pin"]]
    if not found:
        others = ", ".join(p["device"] for p in ports) or "none"
        raise PinError("no pin found (serial ports here: %s; none has a USB-UART bridge an "
                       "ESP32 board uses): plug the pin in over USB with a data cable, or give "
                       "-p PORT or %s=PORT" % (others, ENV))
    if len(found) > 1:
        raise PinError("several ports look like a pin (%s): choose one with -p PORT or %s=PORT"
                       % (", ".join(found), ENV))
    return found[0]


def resolve(port, environ=None):
    """The port to use from -p/--port (None: not given), CLOUDPIN_PORT, else auto-detect."""
    environ = os.environ if environ is None else environ
    if port is None:
        port = environ.get(ENV) or AUTO
    port = port.strip()
    if not port:
        raise UsageError("the port is empty: give -p PORT, -p auto or set %s" % ENV)
    if port == AUTO:
        return find_pin_port()
    return port


def add_port_argument(parser, what="the pin"):
    parser.add_argument("-p", "--port", metavar="PORT",
                        help="serial port of %s, or 'auto' (default: $%s, else auto: the one "
                             "USB pin found; `cloudpin ports` lists them)" % (what, ENV))


def add_arguments(parser):
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")


def run(args):
    ports = list_ports()
    if args.json:
        emit_json({"ok": True, "ports": ports, "env": os.environ.get(ENV)})
        return 0
    if not ports:
        print("no serial ports")
    else:
        print_rows(["port", "usb id", "serial", "description", "pin?"],
                   [[p["device"], p["usb_id"] or "-", p["serial_number"] or "-",
                     p["description"] or p["product"] or "-",
                     "yes (%s)" % p["bridge"] if p["looks_like_pin"] else "no"]
                    for p in ports])
    if os.environ.get(ENV):
        print("%s=%s (device tools use it when -p is not given)" % (ENV, os.environ[ENV]))
    return 0
