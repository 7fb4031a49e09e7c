# Board definitions: every boards/*.json is valid, and the validator names what is wrong
# with a bad one. Runs on CPython and the unix port (the pin validates /board.json at boot).
import json
import os

from cloudpin import boarddef

names = sorted(n for n in os.listdir("boards") if n.endswith(".json"))
assert len(names) >= 4, names
for name in names:
    with open("boards/" + name) as f:
        defn = boarddef.validate(json.load(f))
    assert defn["id"] + ".json" == name, (name, defn["id"])
    print(name, defn["panel"]["controller"], defn["panel"]["width"], defn["panel"]["height"])

with open("boards/lilygo-t5-v23-213.json") as f:
    good = json.load(f)


def variant(change):
    d = json.loads(json.dumps(good))
    change(d)
    return d


def expect_error(label, change, words):
    try:
        boarddef.validate(variant(change))
    except boarddef.BoardError as exc:
        text = str(exc)
        for w in words:
            assert w in text, (label, text)
        print(label, "->", text)
        return
    raise AssertionError(label + ": accepted")


def set_path(path, value):
    def change(d):
        node = d
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return change


expect_error("flash pin", set_path(("panel", "cs"), 6), ["panel.cs", "flash"])
expect_error("no such gpio", set_path(("panel", "dc"), 24), ["panel.dc", "24"])
expect_error("input-only out", set_path(("panel", "rst"), 36), ["panel.rst", "input-only"])
expect_error("clash with reserved", set_path(("accel", "int1"), 19), ["GPIO 19", "reserved.led"])
expect_error("twice", set_path(("buttons", "a", "pin"), 4), ["GPIO 4", "panel.busy"])
expect_error("active_low", set_path(("buttons", "a", "active_low"), "yes"), ["active_low"])
expect_error("panel size", set_path(("panel", "width"), 296), ["ssd1680", "296"])
expect_error("chip", set_path(("chip",), "ESP32-S3"), ["ESP32-S3"])
expect_error("panel power input-only", set_path(("panel", "pwr"), 39), ["panel.pwr"])
expect_error("notes type", set_path(("notes",), 3), ["notes"])
ok = boarddef.validate(variant(set_path(("panel", "pwr"), 12)))
print("panel pwr accepted", ok["panel"]["pwr"])
