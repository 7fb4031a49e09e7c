"""Sport designs: 1-bit 48x48 pictograms, read one at a time from a file on flash.

    buf = bytearray(designs.BYTES)    # once: the one buffer a design needs in RAM
    designs.load(i, buf)              # seek + readinto; False if designs.bin is unusable

designs.bin is made by tools/gen/make_designs.py (do not edit) and sits beside this module,
or in a cloudpin/ folder on sys.path: /lib/cloudpin/ where `cloudpin deploy` or mip puts it,
also when the code itself is frozen into the image (a frozen module has no folder to look
in). Its format, little endian:

    header  HEADER_FORMAT: MAGIC, count, width, height, bytes per design, CRC-32 of the rest
    then    count bitmaps of BYTES each, MONO_HLSB rows (MSB leftmost), 1 = ink,
            in the order of NAMES; the last is LOCKED

A file that is missing, truncated or of another layout is never read as a design: load()
blanks the buffer and returns False, and check() says what is wrong, for the boot log.
"""

import struct
import sys

from micropython import const

SIZE = const(48)
BYTES = const(288)  # SIZE * SIZE // 8
MAGIC = b"CPD1"
HEADER_FORMAT = "<4sHBBHI"
HEADER = const(14)  # struct.calcsize(HEADER_FORMAT)
FILE = "designs.bin"

NAMES = (
    "Aquatics", "Archery", "Athletics", "Badminton", "Baseball/Softball", "Basketball",
    "Boxing", "Canoe", "Cycling", "Equestrian", "Fencing", "Football", "Golf", "Gymnastics",
    "Handball", "Hockey", "Judo", "Karate", "Modern Pentathlon", "Rowing", "Rugby", "Sailing",
    "Shooting", "Skateboarding", "Sport Climbing", "Surfing", "Table Tennis", "Taekwondo",
    "Tennis", "Triathlon", "Volleyball", "Weightlifting", "Wrestling",
    "Locked",
)
LOCKED = const(33)  # index of the locked design (a padlock), after the 33 sports

_path = None  # where designs.bin was found and its header checked


def index(name):
    """Index of a design by its name (case-insensitive); LOCKED if unknown."""
    low = name.lower()
    for i in range(len(NAMES)):
        if NAMES[i].lower() == low:
            return i
    return LOCKED


def _places():
    here = globals().get("__file__") or ""
    cut = max(here.rfind("/"), here.rfind("\\"))
    if cut >= 0 and not here.startswith(".frozen"):
        yield here[:cut + 1] + FILE
    for folder in sys.path:
        if folder and not folder.startswith(".frozen"):
            yield folder.rstrip("/") + "/cloudpin/" + FILE


def _header_problem(head):
    if len(head) != HEADER:
        return "is truncated"
    magic, count, w, h, size, _ = struct.unpack(HEADER_FORMAT, head)
    if magic != MAGIC:
        return "is not a designs file"
    if (count, w, h, size) != (len(NAMES), SIZE, SIZE, BYTES):
        return "holds %d designs of %dx%d, this firmware wants %d of %dx%d" % (
            count, w, h, len(NAMES), SIZE, SIZE)
    return None


def path():
    """The designs file in use (found once), or None if there is no usable one."""
    global _path
    if _path is None:
        for place in _places():
            try:
                with open(place, "rb") as f:
                    if _header_problem(f.read(HEADER)) is None:
                        _path = place
                        break
            except OSError:
                pass
    return _path


def load(i, buf):
    """Read design i (LOCKED if out of range) into buf (BYTES long): True if it was read,
    False (buf all blank) if there is no usable designs file."""
    if not isinstance(i, int) or not 0 <= i <= LOCKED:
        i = LOCKED
    p = path()
    if p is not None:
        try:
            with open(p, "rb") as f:
                f.seek(HEADER + i * BYTES)
                if f.readinto(buf) == BYTES:
                    return True
        except OSError:
            pass
    for k in range(BYTES):
        buf[k] = 0
    return False


def check():
    """None if the designs file is whole (header as this firmware expects, CRC right), else
    what is wrong, in words. Reads the file once, a design at a time."""
    import binascii

    p = path()
    if p is None:
        for place in _places():
            try:
                with open(place, "rb") as f:
                    return "designs: %s %s" % (place, _header_problem(f.read(HEADER)))
            except OSError:
                pass
        return "designs: %s not found (deploy the firmware again)" % FILE
    buf = bytearray(BYTES)
    crc = 0
    n = 0
    try:
        with open(p, "rb") as f:
            want = struct.unpack(HEADER_FORMAT, f.read(HEADER))[5]
            while True:
                got = f.readinto(buf)
                if not got:
                    break
                crc = binascii.crc32(memoryview(buf)[:got], crc)
                n += got
    except OSError as exc:
        return "designs: cannot read %s: %s" % (p, exc)
    if n != len(NAMES) * BYTES:
        return "designs: %s is truncated (%d of %d bytes)" % (p, n, len(NAMES) * BYTES)
    if crc & 0xFFFFFFFF != want:
        return "designs: %s is damaged (CRC mismatch)" % p
    return None
