# Sample profiles and screens for the e-ink previews, benchmarks and cross-runtime tests.
# Common MicroPython subset: the unix port imports it too.

PANELS = (
    # name, controller, width, height, rotation (as in boards/*.json)
    ("2in13", "ssd1680", 250, 122, 90),
    ("2in9", "ssd1680", 296, 128, 90),
    ("1in54", "ssd1681", 200, 200, 0),
)

PROFILE = {
    "name": "Maria Fernández",
    "org": "Radiotelevisión Española",
    "role": "Camera operator",
    "link": "https://cloudpin.example/c/3f2a9c01",
    "sport": 11,
}
LONG_PROFILE = {
    "name": "Anna-Katharina Szczepańska-Løvholt Ödön",  # 40 characters
    "org": "Internationale Rundfunk- und Fernsehgesellschaft",
    "role": "Senior producer, host broadcast operations",
    "link": "https://cloudpin.example/c/00000000",
    "sport": 28,
}
TWO_LINE_PROFILE = {
    "name": "Christopher Johnson",
    "org": "BBC Sport",
    "role": "Floor manager",
    "link": "https://cloudpin.example/c/77aa0142",
    "sport": 2,
}
SHORT_PROFILE = {"name": "Jo Wu", "org": "", "role": "", "link": "", "sport": None}
STATUS = {"steps": 12345, "friends": 17, "battery": 70, "ble": "connected", "medal": 1}
GOLD_STATUS = {"steps": 8021, "friends": 4, "battery": 35, "ble": "on", "medal": 2}
FRIEND = {"name": "Łukasz Dąbrowski", "org": "TVP", "role": "Sound engineer"}


def screens(layouts, qr_cache):
    """(name, draw(fb) -> Screen) for every layout the pin has, with sample data."""
    return (
        ("tag", lambda fb: layouts.name_tag(fb, PROFILE, STATUS, qr_cache)),
        ("tag_long", lambda fb: layouts.name_tag(fb, LONG_PROFILE, GOLD_STATUS, qr_cache)),
        ("tag_two_lines", lambda fb: layouts.name_tag(fb, TWO_LINE_PROFILE, STATUS, qr_cache)),
        ("tag_short", lambda fb: layouts.name_tag(fb, SHORT_PROFILE, {}, qr_cache)),
        ("new_friend", lambda fb: layouts.new_friend(fb, FRIEND, 18)),
        ("unlock", lambda fb: layouts.unlock(fb, 18, "10000 steps, 5 friends in a day")),
        ("unlock_long_name", lambda fb: layouts.unlock(fb, 4, "10000 steps in one day")),
        ("locked", lambda fb: layouts.locked(fb, 5, "Make 25 friends", (17, 25))),
        ("pairing", lambda fb: layouts.pairing(fb, 7350, "Cloud Pin 3F2A")),
    )
