"""The contact card two pins swap after a tap: encode, decode, check.

Wire format v1 (what goes over GATT, never into an advert):
    0        version (1)
    1..8     pin ID: 8 random bytes made once per pin; lets a pin recognise an old friend
             (it is only ever handed to the peer of a tap)
    then     name, organisation, role: each a length byte + UTF-8
    then     handle count (0..4), then each handle: a length byte + UTF-8

Strict on the way in: a card from the air is untrusted. Every length is bounded, the whole
card is at most MAX_LEN bytes, text must be valid UTF-8 (checked here byte by byte: the
MicroPython decoder lets surrogates and overlong forms through) with no control characters,
the name must not be empty, and nothing may follow the last field.
"""

from micropython import const

VERSION = const(1)
PIN_ID_LEN = const(8)
# Byte limits of UTF-8 text, the same as cloudpin.profile's (40 characters of Latin-1 can
# take 80 bytes), so every valid profile makes a valid card.
MAX_NAME = const(80)
MAX_ORG = const(80)
MAX_ROLE = const(64)
MAX_HANDLE = const(64)
MAX_HANDLES = const(4)
MAX_LEN = const(500)  # 1 + 8 + (1 + 80) + (1 + 80) + (1 + 64) + 1 + 4 x (1 + 64) = 497


class CardError(ValueError):
    pass


class Card:
    def __init__(self, pin_id, name, org="", role="", handles=()):
        self.pin_id = bytes(pin_id)
        self.name = name
        self.org = org
        self.role = role
        self.handles = tuple(handles)

    def __eq__(self, other):
        return (isinstance(other, Card) and self.pin_id == other.pin_id
                and self.name == other.name and self.org == other.org
                and self.role == other.role and self.handles == other.handles)

    def __repr__(self):
        return "Card(%r, %r, %r, %r)" % (self.name, self.org, self.role, self.handles)

    def encode(self):
        if len(self.pin_id) != PIN_ID_LEN:
            raise CardError("pin ID must be %d bytes" % PIN_ID_LEN)
        if len(self.handles) > MAX_HANDLES:
            raise CardError("at most %d social handles" % MAX_HANDLES)
        out = bytearray()
        out.append(VERSION)
        out.extend(self.pin_id)
        _put(out, "name", self.name, MAX_NAME, True)
        _put(out, "organisation", self.org, MAX_ORG, False)
        _put(out, "role", self.role, MAX_ROLE, False)
        out.append(len(self.handles))
        for h in self.handles:
            _put(out, "handle", h, MAX_HANDLE, True)
        if len(out) > MAX_LEN:
            raise CardError("card is %d bytes; the limit is %d" % (len(out), MAX_LEN))
        return bytes(out)


def _put(out, what, text, limit, required):
    if not isinstance(text, str):
        raise CardError("%s must be text" % what)
    raw = text.encode("utf-8")
    if required and not raw:
        raise CardError("%s must not be empty" % what)
    if len(raw) > limit:
        raise CardError("%s is %d bytes of UTF-8; the limit is %d" % (what, len(raw), limit))
    _check_text(raw, 0, len(raw), what)
    out.append(len(raw))
    out.extend(raw)


def _check_text(b, start, end, what):
    """Strict UTF-8 (no overlong forms, no surrogates, <= U+10FFFF), no control chars."""
    i = start
    while i < end:
        c = b[i]
        if c < 0x80:
            if c < 0x20 or c == 0x7F:
                raise CardError("%s contains a control character" % what)
            i += 1
            continue
        if 0xC2 <= c <= 0xDF:
            n, lo, hi = 1, 0x80, 0xBF
        elif 0xE0 <= c <= 0xEF:
            n = 2
            lo = 0xA0 if c == 0xE0 else 0x80
            hi = 0x9F if c == 0xED else 0xBF
        elif 0xF0 <= c <= 0xF4:
            n = 3
            lo = 0x90 if c == 0xF0 else 0x80
            hi = 0x8F if c == 0xF4 else 0xBF
        else:
            raise CardError("%s is not valid UTF-8" % what)
        if i + n >= end:
            raise CardError("%s is not valid UTF-8 (truncated)" % what)
        if not lo <= b[i + 1] <= hi:
            raise CardError("%s is not valid UTF-8" % what)
        for k in range(2, n + 1):
            if not 0x80 <= b[i + k] <= 0xBF:
                raise CardError("%s is not valid UTF-8" % what)
        if c == 0xC2 and b[i + 1] < 0xA0:
            raise CardError("%s contains a control character" % what)  # C1 controls
        i += n + 1


def _take(data, pos, what, limit, required):
    if pos >= len(data):
        raise CardError("card ends before the %s" % what)
    n = data[pos]
    pos += 1
    if n > limit:
        raise CardError("%s is %d bytes; the limit is %d" % (what, n, limit))
    if required and n == 0:
        raise CardError("%s must not be empty" % what)
    if pos + n > len(data):
        raise CardError("card ends inside the %s" % what)
    _check_text(data, pos, pos + n, what)
    return str(bytes(data[pos:pos + n]), "utf-8"), pos + n


def decode(data):
    """A Card from bytes off the air, or CardError saying what is wrong with them."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise CardError("a card is bytes")
    if len(data) > MAX_LEN:
        raise CardError("card is %d bytes; the limit is %d" % (len(data), MAX_LEN))
    if len(data) < 1 + PIN_ID_LEN or data[0] != VERSION:
        raise CardError("not a v%d card" % VERSION)
    pin_id = bytes(data[1:1 + PIN_ID_LEN])
    pos = 1 + PIN_ID_LEN
    name, pos = _take(data, pos, "name", MAX_NAME, True)
    org, pos = _take(data, pos, "organisation", MAX_ORG, False)
    role, pos = _take(data, pos, "role", MAX_ROLE, False)
    if pos >= len(data):
        raise CardError("card ends before the handle count")
    count = data[pos]
    pos += 1
    if count > MAX_HANDLES:
        raise CardError("%d handles; at most %d" % (count, MAX_HANDLES))
    handles = []
    for _ in range(count):
        h, pos = _take(data, pos, "handle", MAX_HANDLE, True)
        handles.append(h)
    if pos != len(data):
        raise CardError("%d stray bytes after the card" % (len(data) - pos))
    return Card(pin_id, name, org, role, handles)
