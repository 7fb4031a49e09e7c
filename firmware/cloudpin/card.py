"""The contact card two pins swap after a tap: encode, decode, check.

Wire format v1 (what goes over GATT, never into an advert):
    0        version (1)
    1..8     pin ID: 8 random bytes made once per pin; lets a pin recognise an old friend
             (it is only ever handed to the peer of a tap)
    then     name, organisation, role: each a length byte + UTF-8
    then     handle count (0..4), then each handle: a length byte + UTF-8

Strict on the way in: a card from the air is untrusted. Every length is bounded, the whole
card is at most MAX_LEN bytes, every text passes cloudpin.cardtext's rule (the same one the
profile, the companion and `cloudpin deploy` apply: strict UTF-8, no control characters,
the same limits in characters and bytes), the name must not be empty, and nothing may
follow the last field.
"""

from micropython import const

from cloudpin import cardtext

VERSION = const(1)
PIN_ID_LEN = const(8)
# Byte limits of each text: cardtext's, so every valid profile makes a valid card.
MAX_NAME = cardtext.NAME[1]
MAX_ORG = cardtext.ORG[1]
MAX_ROLE = cardtext.ROLE[1]
MAX_HANDLE = cardtext.HANDLE[1]
MAX_HANDLES = cardtext.MAX_HANDLES
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
        _put(out, "name", self.name, cardtext.NAME, True)
        _put(out, "organisation", self.org, cardtext.ORG, False)
        _put(out, "role", self.role, cardtext.ROLE, False)
        out.append(len(self.handles))
        for h in self.handles:
            _put(out, "handle", h, cardtext.HANDLE, True)
        if len(out) > MAX_LEN:
            raise CardError("card is %d bytes; the limit is %d" % (len(out), MAX_LEN))
        return bytes(out)


def _put(out, what, text, limits, required):
    if not isinstance(text, str):
        raise CardError("%s must be text" % what)
    try:
        raw = text.encode("utf-8")
    except UnicodeError:  # CPython only: lone surrogates
        raise CardError("%s is not valid UTF-8" % what) from None
    if required and not raw:
        raise CardError("%s must not be empty" % what)
    _check(raw, 0, len(raw), what, limits)
    out.append(len(raw))
    out.extend(raw)


def _check(b, start, end, what, limits):
    try:
        cardtext.check_bytes(b, start, end, what, limits)
    except cardtext.TextError as exc:
        raise CardError(str(exc)) from None


def _take(data, pos, what, limits, required):
    if pos >= len(data):
        raise CardError("card ends before the %s" % what)
    n = data[pos]
    pos += 1
    if n > limits[1]:
        raise CardError("%s is %d bytes; the limit is %d" % (what, n, limits[1]))
    if required and n == 0:
        raise CardError("%s must not be empty" % what)
    if pos + n > len(data):
        raise CardError("card ends inside the %s" % what)
    _check(data, pos, pos + n, what, limits)
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
    name, pos = _take(data, pos, "name", cardtext.NAME, True)
    org, pos = _take(data, pos, "organisation", cardtext.ORG, False)
    role, pos = _take(data, pos, "role", cardtext.ROLE, False)
    if pos >= len(data):
        raise CardError("card ends before the handle count")
    count = data[pos]
    pos += 1
    if count > MAX_HANDLES:
        raise CardError("%d handles; at most %d" % (count, MAX_HANDLES))
    handles = []
    for _ in range(count):
        h, pos = _take(data, pos, "handle", cardtext.HANDLE, True)
        handles.append(h)
    if pos != len(data):
        raise CardError("%d stray bytes after the card" % (len(data) - pos))
    return Card(pin_id, name, org, role, handles)
