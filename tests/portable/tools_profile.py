# The wearer's profile: limits in characters and UTF-8 bytes, strict text, no unknown
# fields. Runs on CPython and the unix port (the pin checks GATT writes with it).
from cloudpin import profile

clean = profile.validate({"name": "  Zoë Ångström ", "org": "RTÉ", "role": ""})
print("|".join(k + "=" + clean[k] for k in sorted(clean)))
print(profile.validate({"name": "x" * 40})["name"] == "x" * 40)
print(profile.validate({"name": b"Bj\xc3\xb6rk"})["name"])


def bad(label, value, words):
    try:
        profile.validate(value)
    except profile.ProfileError as exc:
        for w in words:
            assert w in str(exc), (label, str(exc))
        print(label, "->", exc)
        return
    raise AssertionError(label + ": accepted")


bad("too long", {"name": "x" * 41}, ["name", "41", "40"])
bad("too many bytes", {"name": "\U0001f600" * 21}, ["name", "bytes"])
bad("not utf-8", {"name": b"\xff\xfe"}, ["name", "UTF-8"])
bad("control", {"name": "a\nb"}, ["control"])
bad("missing name", {"org": "EBU"}, ["name", "required"])
bad("blank name", {"name": "   "}, ["name", "required"])
bad("unknown", {"name": "A", "phone": "1"}, ["phone"])
bad("not text", {"name": 5}, ["name", "text"])
bad("not object", ["A"], ["object"])
