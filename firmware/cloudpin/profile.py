"""The wearer's profile: what the name tag shows and the contact card carries.

Stored on the pin as /profile.json, written by `cloudpin deploy` and (later) over the
companion's GATT service; both check it here first, so a bad field is a clear message and
nothing is written. Text is UTF-8; the limits are in characters (what fits on the tag) and
in bytes (what fits in the card and the GATT writes).
"""

# field: (required, max characters, max UTF-8 bytes)
FIELDS = {
    "name": (True, 40, 80),
    "org": (False, 40, 80),
    "role": (False, 32, 64),
    "link": (False, 64, 64),
}


# Social handles the contact card carries ("@name", "linkedin.com/in/x", a phone number).
MAX_HANDLES = 4
HANDLE_CHARS = 32
HANDLE_BYTES = 64


class ProfileError(ValueError):
    pass


def _text(field, value, max_chars, max_bytes):
    if isinstance(value, (bytes, bytearray)):
        try:
            value = bytes(value).decode("utf-8")
        except UnicodeError:
            raise ProfileError("%s is not UTF-8 text" % field) from None
    if not isinstance(value, str):
        raise ProfileError("%s must be text" % field)
    for ch in value:
        if ord(ch) < 32 or ord(ch) == 127:
            raise ProfileError("%s contains a control character" % field)
    if len(value) > max_chars:
        raise ProfileError("%s is %d characters; at most %d fit"
                           % (field, len(value), max_chars))
    if len(value.encode("utf-8")) > max_bytes:
        raise ProfileError("%s is %d bytes in UTF-8; at most %d"
                           % (field, len(value.encode("utf-8")), max_bytes))
    return value


def validate(profile):
    """Return a clean copy of profile (only known fields, stripped), or raise ProfileError."""
    if not isinstance(profile, dict):
        raise ProfileError("a profile is an object with name, org, role, link")
    for key in profile:
        if key not in FIELDS and key != "handles":
            raise ProfileError("unknown profile field %r (known: %s, handles)"
                               % (key, ", ".join(sorted(FIELDS))))
    clean = {}
    for field in FIELDS:
        required, max_chars, max_bytes = FIELDS[field]
        value = profile.get(field)
        text = "" if value is None else _text(field, value, max_chars, max_bytes).strip()
        if text:
            clean[field] = text
        elif required:
            raise ProfileError("%s is required" % field)
    handles = profile.get("handles")
    if handles is not None:
        if not isinstance(handles, (list, tuple)):
            raise ProfileError("handles must be a list of up to %d texts" % MAX_HANDLES)
        if len(handles) > MAX_HANDLES:
            raise ProfileError("at most %d handles" % MAX_HANDLES)
        kept = []
        for h in handles:
            text = _text("handle", h, HANDLE_CHARS, HANDLE_BYTES).strip()
            if text:
                kept.append(text)
        if kept:
            clean["handles"] = kept
    return clean


def to_card(profile, pin_id):
    """The contact card this profile hands to a new friend."""
    from cloudpin.card import Card

    return Card(pin_id, profile["name"], profile.get("org", ""), profile.get("role", ""),
                profile.get("handles", ()))
