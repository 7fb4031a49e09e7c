# ruff: noqa: F821  (gc, time, json and the verdict helpers come from _prelude.py)
# The pin's files: /board.json and /profile.json are there and valid, firmware version.
from cloudpin import VERSION, boarddef, profile  # noqa: E402

try:
    defn = boarddef.load("/board.json")
    with open("/profile.json") as f:
        prof = profile.validate(json.load(f))
except (boarddef.BoardError, profile.ProfileError, OSError, ValueError) as exc:
    failed("configuration: %s" % exc)
else:
    data({"firmware": VERSION, "board": defn["id"]})
    passed("firmware %s, board %s, profile of %s" % (VERSION, defn["id"], prof["name"]))
