# One rule for every text that reaches a card: cloudpin.cardtext. The profile check (deploy,
# the companion tool, the pin's GATT writes), the card the pin sends and the card it accepts
# from the air must agree on every sample. Runs on CPython and the unix port.
from cloudpin import card, cardtext, profile

PEER = b"\x01\x02\x03\x04\x05\x06\x07\x08"

# Names people have, in the scripts the name tag is to show (issue 22), as UTF-8 bytes.
GOOD = (
    ("Polish", "Zażółć Gęślą-Jaźń"),
    ("Greek", "Αλέξανδρος Παπαδόπουλος"),
    ("Cyrillic", "Ёлка Щербакова"),
    ("Chinese", "王小明"),
    ("Japanese", "山田 花子"),
    ("Korean", "김민준"),
    ("Arabic", "محمد علي"),
    ("Hebrew", "דוד לוי"),
    ("Devanagari", "अर्जुन शर्मा"),
    ("Persian with ZWNJ", "می\u200cخواهم"),
    ("Thai", "สมชาย ใจดี"),
    ("Icelandic", "Þórunn Ævarsdóttir"),
    ("emoji with ZWJ", "Ada \U0001f469\u200d\U0001f4bb"),
    ("Latin-1 edge", "\u00a0\u00ff"),
    ("top of Unicode", "\U0010fffd"),
)
BAD = (
    ("NUL", b"Ada\x00"),
    ("newline", b"Ada\nx"),
    ("escape", b"Ada\x1b[2J"),
    ("DEL", b"Ada\x7f"),
    ("C1 U+0080", b"Ada\xc2\x80x"),
    ("C1 U+009F", b"Ada\xc2\x9f"),
    ("lone 0xff", b"Ada\xff"),
    ("lone continuation", b"Ada\x80"),
    ("overlong NUL", b"Ada\xc0\x80"),
    ("overlong slash", b"\xe0\x80\xaf"),
    ("surrogate", b"\xed\xa0\x80"),
    ("above U+10FFFF", b"\xf4\x90\x80\x80"),
    ("F5 lead", b"\xf5\x80\x80\x80"),
    ("cut sequence", b"Ada\xe2\x82"),
    ("line separator", b"Ada\xe2\x80\xa8"),
    ("right-to-left override", b"Ada\xe2\x80\xaeevil"),
    ("isolate", b"Ada\xe2\x81\xa6x"),
    ("noncharacter", b"Ada\xef\xbf\xbe"),
    ("41 characters", b"x" * 41),
    ("81 bytes", "\u00e9".encode() * 40 + b"x"),
)


def raw_card(name):
    return bytes([card.VERSION]) + PEER + bytes([len(name)]) + name + b"\x00\x00\x00"


def verdicts(raw):
    """(profile, card encode, card decode) each True if accepted."""
    out = []
    try:
        profile.validate({"name": raw})
        out.append(True)
    except profile.ProfileError:
        out.append(False)
    try:
        card.Card(PEER, raw.decode("utf-8")).encode()
        out.append(True)
    except (card.CardError, UnicodeError):
        out.append(False)
    try:
        card.decode(raw_card(raw)) if len(raw) < 256 else card.decode(b"")
        out.append(True)
    except card.CardError:
        out.append(False)
    return out


for label, text in GOOD:
    raw = text.encode("utf-8")
    got = verdicts(raw)
    assert got == [True, True, True], (label, got)
    assert card.decode(raw_card(raw)).name == text, label
    assert profile.validate({"name": text})["name"] == text.strip(), label
    print("accepted", label, cardtext.check_bytes(raw, 0, len(raw), "name", cardtext.NAME))

for label, raw in BAD:
    got = verdicts(raw)
    # A text MicroPython cannot even decode is refused by the encoder for that reason.
    assert got == [False, False, False], (label, got)
    try:
        cardtext.check(raw, "name", cardtext.NAME)
    except cardtext.TextError as exc:
        print("rejected", label, "-", exc)
    else:
        raise AssertionError("cardtext accepted " + label)

# Every profile the rule lets through makes a card, even at every limit at once.
biggest = {"name": "\u00e9" * 40, "org": "\u00e9" * 40, "role": "\u00e9" * 32,
           "handles": ["\u00e9" * 32] * 4}
raw = profile.to_card(profile.validate(biggest), PEER).encode()
print("largest card", len(raw), "bytes of", card.MAX_LEN, card.decode(raw).name == "\u00e9" * 40)

# A stored profile that fails the rule still boots: the fields that pass are kept.
clean, problems = profile.salvage({"name": "Ada\u0080x", "org": "BBC", "role": 7,
                                   "handles": ["@ada", "a\nb"], "phone": "1"}, "Cloud Pin")
print("salvaged", sorted(clean.items()))
for p in problems:
    print("salvage:", p)
profile.to_card(clean, PEER).encode()
print("salvage of junk", profile.salvage([1, 2], "Cloud Pin"))
