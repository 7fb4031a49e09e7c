# Profiles, friends and passkeys come from storage and the companion over BLE: wrong types,
# huge strings, out-of-range designs and unencodable links must draw something sensible,
# never raise. Both runtimes.
from cloudpin import layouts, qr
from cloudpin.canvas import Canvas

fb = Canvas(250, 122)
cache = qr.QRCache()
BAD = (
    {},
    {"name": None, "org": 42, "role": b"bytes", "link": 7, "sport": "tennis"},
    {"name": "x" * 5000, "org": "y" * 5000, "role": "\x00\x01\n\t", "sport": 999},
    {"name": "Ok", "link": "https://example.org/" + "a" * 200, "sport": -1},
    {"name": "Ok", "link": "", "sport": True},
)
for i, profile in enumerate(BAD):
    screen = layouts.name_tag(fb, profile, {"steps": 10 ** 12, "friends": -3,
                                            "battery": 250, "ble": None}, cache)
    print(i, screen.kind, screen.key[1][:12], "qr error:", cache.error is not None)
for friend in ({}, {"name": 3}, {"name": "z" * 999, "org": None}):
    print(layouts.new_friend(fb, friend, None).key[:3])
for sport, reason in ((None, None), (1000, 5), (5, "x" * 300)):
    print(layouts.unlock(fb, sport, reason).key[:3])
for key in (None, "123456", -5, 10 ** 9):
    print(layouts.pairing(fb, key, None).key[:3])
