# ruff: noqa: F401  (gc and time are for the scripts that follow)
# Prepended to every HIL script by tools/device/hil.py. Runs on the pin (MicroPython).
# A script ends by calling one of:
#   passed(detail)            the hardware did what it should
#   failed(reason)            it did not
#   waiting(module, reason)   the script needs a module another branch has not delivered yet
# and may print data(dict) lines for the runner's JSON. Other output is the script's log.
import gc
import json
import sys
import time

# On the unix-port pin (host_sim.unixport.pty_pin) the world behind the fakes; None on a real pin.
world = sys.modules.get("host_sim.unixport.pin_world")


def _say(kind, text):
    print("HIL %s %s" % (kind, text))


def passed(detail=""):
    _say("PASS", detail)


def failed(reason):
    _say("FAIL", reason)


def waiting(module, reason=""):
    _say("WAIT", "%s %s" % (module, reason))


def data(obj):
    print("HIL DATA " + json.dumps(obj))


def world_lacks(prefix):
    """On the unix pin: the name of a missing emulator starting with prefix, else None."""
    if world is None:
        return None
    for item in world.waiting:
        if item.startswith(prefix):
            return item
    return None


def have_module(name):
    try:
        __import__(name)
        return True
    except ImportError as exc:
        # A missing module, not an error inside one that exists.
        if name.split(".")[-1] in str(exc):
            return False
        raise


def load_board():
    from cloudpin import boarddef, esp32_board

    defn = boarddef.load("/board.json")
    return esp32_board.build(defn)


try:
    import cloudpin  # noqa: F401
except ImportError:
    failed("cloudpin is not on the pin: run cloudpin deploy first")
    raise SystemExit from None
