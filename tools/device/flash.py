"""`cloudpin flash`: check the chip on a port and write a MicroPython image with esptool.

    cloudpin flash --port /dev/ttyUSB0                    # only detect and report the chip
    cloudpin flash --port /dev/ttyUSB0 --image ESP32_GENERIC-v1.29.0.bin [--erase]

The image is the user's (micropython.org/download/ESP32_GENERIC, or a CLOUDPIN_ESP32 build
from boards/README.md); nothing is downloaded. It must be an ESP32 application image (first
byte 0xE9) and the chip must be an original ESP32: a -S3 or -C3 has other pins and radio.
MicroPython's ESP32 images start at 0x1000 (bootloader, partition table, app in one file).
Then `cloudpin deploy` puts the Cloud Pin firmware on it.
"""

import os
import subprocess
import sys

from tools.bench.report import UsageError, fail, print_result
from tools.device import pinlink, ports
from tools.device.pinlink import PinError

ESP32_IMAGE_OFFSET = 0x1000
_IMAGE_MAGIC = 0xE9


def check_image(path):
    """Size of a plausible ESP32 image at path, or PinError saying what is wrong with it."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            head = f.read(4)
    except OSError as exc:
        raise PinError("image %s: %s" % (path, exc.strerror)) from None
    if len(head) < 4 or head[0] != _IMAGE_MAGIC:
        raise PinError("image %s is not an ESP32 firmware image (no 0xE9 header): use the .bin "
                       "from micropython.org/download/ESP32_GENERIC or a CLOUDPIN_ESP32 build"
                       % path)
    if size > 4 * 1024 * 1024:
        raise PinError("image %s is %d KB, larger than a 4 MB flash" % (path, size // 1024))
    return size


def detect_chip(port):
    """Chip description from esptool (e.g. 'ESP32-D0WD-V3 (revision v3.1)')."""
    import contextlib

    from esptool.cmds import detect_chip as esptool_detect

    try:
        # esptool talks on stdout; ours carries only the --json object.
        with contextlib.redirect_stdout(sys.stderr):
            loader = esptool_detect(port, connect_attempts=2)
    except Exception as exc:  # esptool raises FatalError, SerialException, OSError
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if not os.path.exists(port):
            raise PinError("no device at %s: is the pin plugged in?" % port) from None
        raise PinError("no ESP32 bootloader answered on %s (%s): hold BOOT while pressing "
                       "RESET, or check the cable" % (port, text)) from None
    try:
        try:
            description = loader.get_chip_description()
        except Exception:
            description = loader.CHIP_NAME
        return loader.CHIP_NAME, description
    finally:
        loader._port.close()


def check_chip(chip_name):
    if chip_name != "ESP32":
        raise PinError("wrong chip: %s found, Cloud Pin boards are original ESP32s (no S2/S3/C3 "
                       "image or pin map fits)" % chip_name)


def write_image(port, image, erase=False, baud=460800):
    """Run esptool; its progress goes to stderr as it happens."""
    base = [sys.executable, "-m", "esptool", "--chip", "esp32", "--port", port, "--baud",
            str(baud)]
    if erase:
        pinlink.progress("erasing the flash (this removes the pin's files: profile, friends)")
        _esptool(base + ["erase-flash"])
    pinlink.progress("writing %s at 0x%x" % (image, ESP32_IMAGE_OFFSET))
    _esptool(base + ["write-flash", "-z", hex(ESP32_IMAGE_OFFSET), image])


def _esptool(cmd):
    proc = subprocess.run(cmd, stdout=sys.stderr, stderr=sys.stderr)
    if proc.returncode != 0:
        raise PinError("esptool failed (%s); see its output above" % " ".join(cmd[2:]))


def add_arguments(parser):
    ports.add_port_argument(parser)
    parser.add_argument("--image", help="MicroPython .bin to write (without it: only detect)")
    parser.add_argument("--erase", action="store_true", help="erase the whole flash first")
    parser.add_argument("--baud", type=int, default=460800,
                        help="serial speed while writing the image (default 460800; try "
                             "115200 over a long or poor cable)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")


def run(args):
    if args.baud < 9600:
        raise UsageError("--baud must be at least 9600")
    result = {"ok": False}
    try:
        if args.image:
            result["image_bytes"] = check_image(args.image)
        port = ports.resolve(args.port)
        result["port"] = port
        chip, description = detect_chip(port)
        result["chip"] = description
        check_chip(chip)
        if args.image:
            write_image(port, args.image, erase=args.erase, baud=args.baud)
            result["written"] = True
        result["ok"] = True
    except PinError as exc:
        result.pop("ok")
        return fail("cloudpin flash", exc, args.json, **result)
    if args.json:
        print_result(result, True)
    elif args.image:
        print("flashed %s to the %s on %s; next: cloudpin deploy --port %s --board ..."
              % (args.image, result["chip"], port, port))
    else:
        print("%s on %s" % (result["chip"], port))
    return 0
