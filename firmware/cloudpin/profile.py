"""The wearer's profile: what the name tag shows and the contact card carries.

Stored on the pin as /profile.json, written by `cloudpin deploy` and (later) over the
companion's GATT service; both check it here first, so a bad field is a clear message and
nothing is written. Text is UTF-8; the limits are in characters (what fits on the tag) and
in bytes (what fits in the card and the GATT writes).
"""

from cloudpin import cardtext

# field: (required, (max characters, max UTF-8 bytes)); the limits are cardtext's, the
# same ones cloudpin.card applies to what it sends and receives.
FIELDS = {
    "name": (True, cardtext.NAME),
    "org": (False, cardtext.ORG),
    "role": (False, cardtext.ROLE),
    "link": (False, cardtext.LINK),
}


ORDER = ("name", "org", "role", "link")  # MicroPython's dicts keep no order

# Social handles the contact card carries ("@name", "linkedin.com/in/x", a phone number).
MAX_HANDLES = cardtext.MAX_HANDLES


class ProfileError(ValueError):
    pass


def _text(field, value, limits):
    try:
        return cardtext.check(value, field, limits)
    except cardtext.TextError as exc:
        raise ProfileError(str(exc)) from None


def validate(profile):
    """Return a clean copy of profile (only known fields, stripped), or raise ProfileError."""
    if not isinstance(profile, dict):
        raise ProfileError("a profile is an object with name, org, role, link")
    for key in profile:
        if key not in FIELDS and key != "handles":
            raise ProfileError("unknown profile field %r (known: %s, handles)"
                               % (key, ", ".join(sorted(FIELDS))))
    clean = {}
    for field in ORDER:
        required, limits = FIELDS[field]
        value = profile.get(field)
        text = "" if value is None else _text(field, value, limits).strip()
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
            text = _text("handle", h, cardtext.HANDLE).strip()
            if text:
                kept.append(text)
        if kept:
            clean["handles"] = kept
    return clean


def salvage(profile, default_name):
    """What a profile found on flash can still give, for a boot that must not fail:
    (clean profile, [problems]). Each field that passes is kept; each that does not is
    dropped and said why; without a usable name the card carries `default_name`. Never
    raises, and what it returns always makes a card."""
    problems = []
    if not isinstance(profile, dict):
        return {"name": default_name}, ["profile is not an object; using the default name"]
    clean = {}
    for field in ORDER:
        value = profile.get(field)
        if value is None:
            continue
        try:
            text = _text(field, value, FIELDS[field][1]).strip()
        except ProfileError as exc:
            problems.append("%s dropped: %s" % (field, exc))
            continue
        if text:
            clean[field] = text
    handles = profile.get("handles")
    if isinstance(handles, (list, tuple)):
        kept = []
        for h in handles:
            try:
                text = _text("handle", h, cardtext.HANDLE).strip()
            except ProfileError as exc:
                problems.append("a handle dropped: %s" % exc)
                continue
            if text and len(kept) < MAX_HANDLES:
                kept.append(text)
            elif text:
                problems.append("a handle dropped: at most %d" % MAX_HANDLES)
        if kept:
            clean["handles"] = kept
    elif handles is not None:
        problems.append("handles dropped: not a list")
    for key in sorted(profile):
        if key not in FIELDS and key != "handles":
            problems.append("unknown field %r dropped" % (key,))
    if "name" not in clean:
        if "name" in profile:
            problems.append("using the default name")
        else:
            problems.append("no name; using the default name")
        clean["name"] = default_name
    return clean, problems


def to_card(profile, pin_id):
    """The contact card this profile hands to a new friend."""
    from cloudpin.card import Card

    return Card(pin_id, profile["name"], profile.get("org", ""), profile.get("role", ""),
                profile.get("handles", ()))
