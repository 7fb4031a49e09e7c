"""The one rule for text that reaches a contact card or the name tag.

Every way in uses it: the profile (cloudpin.profile, so `cloudpin deploy` and the companion
tool too), the companion's GATT writes, the boot-time check of what flash holds, and the
cards that arrive over the air (cloudpin.card). So a text one of them accepts, all accept.

The rule, checked byte by byte on the UTF-8 (MicroPython's decoder lets surrogates and
overlong forms through, so decoding is not a check):
- strict UTF-8: shortest form, no surrogates (U+D800-U+DFFF), nothing above U+10FFFF;
- any printable character of any script (Latin, Polish, Greek, Cyrillic, CJK, Arabic,
  Devanagari, emoji...), including the joiners U+200C/U+200D that some scripts need;
- no control characters: C0 (U+0000-U+001F), DEL (U+007F), C1 (U+0080-U+009F);
- no line or paragraph separators (U+2028, U+2029) and no bidirectional embeddings,
  overrides or isolates (U+202A-U+202E, U+2066-U+2069): invisible, they make a name read
  as something else ("Trojan Source"); right-to-left names need none of them;
- no noncharacters U+FFFE and U+FFFF (byte-order-mark mix-ups, never text);
- at most so many characters (what fits on the tag) and so many bytes (what fits the card).
"""

from micropython import const

# (max characters, max UTF-8 bytes) of each field. The byte limits make the card's size:
# cloudpin.card takes them from here, so every profile that passes makes a valid card.
NAME = (40, 80)
ORG = (40, 80)
ROLE = (32, 64)
LINK = (64, 64)
HANDLE = (32, 64)
MAX_HANDLES = const(4)


class TextError(ValueError):
    pass


def check_bytes(b, start, end, what, limits):
    """Check b[start:end] (UTF-8) against the rule; return its length in characters or raise
    TextError naming `what`. Reads in place: b may be a memoryview of a received card."""
    max_chars, max_bytes = limits
    if end - start > max_bytes:
        raise TextError("%s is %d bytes in UTF-8; at most %d" % (what, end - start, max_bytes))
    chars = 0
    i = start
    while i < end:
        c = b[i]
        chars += 1
        if c < 0x80:
            if c < 0x20 or c == 0x7F:
                raise TextError("%s contains a control character" % what)
            i += 1
            continue
        if 0xC2 <= c <= 0xDF:
            n, lo, hi = 1, 0x80, 0xBF
        elif 0xE0 <= c <= 0xEF:
            n = 2
            lo = 0xA0 if c == 0xE0 else 0x80  # E0 80..9F would be overlong
            hi = 0x9F if c == 0xED else 0xBF  # ED A0..BF are the surrogates
        elif 0xF0 <= c <= 0xF4:
            n = 3
            lo = 0x90 if c == 0xF0 else 0x80  # F0 80..8F would be overlong
            hi = 0x8F if c == 0xF4 else 0xBF  # F4 90.. is above U+10FFFF
        else:
            raise TextError("%s is not valid UTF-8" % what)  # 80..C1 lead, F5..FF
        if i + n >= end:
            raise TextError("%s is not valid UTF-8 (cut off)" % what)
        c1 = b[i + 1]
        if not lo <= c1 <= hi:
            raise TextError("%s is not valid UTF-8" % what)
        for k in range(2, n + 1):
            if not 0x80 <= b[i + k] <= 0xBF:
                raise TextError("%s is not valid UTF-8" % what)
        if c == 0xC2 and c1 < 0xA0:
            raise TextError("%s contains a control character" % what)  # C1: U+0080-U+009F
        if n == 2:
            c2 = b[i + 2]
            if c == 0xE2 and ((c1 == 0x80 and 0xA8 <= c2 <= 0xAE)
                              or (c1 == 0x81 and 0xA6 <= c2 <= 0xA9)):
                raise TextError("%s contains an invisible line or direction control" % what)
            if c == 0xEF and c1 == 0xBF and c2 >= 0xBE:
                raise TextError("%s contains a noncharacter (U+FFFE/U+FFFF)" % what)
        i += n + 1
    if chars > max_chars:
        raise TextError("%s is %d characters; at most %d fit" % (what, chars, max_chars))
    return chars


def check(value, what, limits):
    """`value` (str, or UTF-8 bytes) as a str that passes the rule, or TextError."""
    if isinstance(value, str):
        try:
            raw = value.encode("utf-8")
        except UnicodeError:  # CPython: lone surrogates (a command line's undecodable bytes)
            raise TextError("%s is not valid UTF-8" % what) from None
    elif isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
    else:
        raise TextError("%s must be text" % what)
    check_bytes(raw, 0, len(raw), what, limits)
    return value if isinstance(value, str) else raw.decode("utf-8")
