# Imported and booted first in every "boot" of the unix-port pin (host_sim.unixport.pty_pin), before
# its REPL starts. It turns the MicroPython unix port into something mpremote and the HIL scripts can treat
# like an ESP32 running MicroPython:
# - the pin's flash is a folder (CLOUDPIN_PIN_ROOT) mounted at "/" with a size
#   (CLOUDPIN_PIN_FLASH_KB, default 2048) so "filesystem full" happens as on an ESP32;
# - sys.path is the ESP32's ("", ".frozen", "/lib"), so firmware runs only if deployed;
# - `machine` is host_sim's fakes; the world behind them (released buttons held high, a
#   finger pressing them, emulated chips on the buses) follows /board.json when present.
# MicroPython only (it uses vfs and io.IOBase the way the unix port provides them).
import gc
import io
import os
import sys
import time

import vfs

from host_sim.fakes.fake_machine import FakeMachine
from host_sim.fakes.hw import FakeSPI
from host_sim.unixport.air import FileAir

# Everything the world needs is imported above and below, before boot() remounts "/" (after
# that, imports only see the pin's own flash).

_ENOSPC = 28


def _du(v, path):
    total = 0
    for entry in v.ilistdir(path):
        name, kind = entry[0], entry[1]
        full = path.rstrip("/") + "/" + name
        if kind == 0x4000:
            total += 4096 + _du(v, full)
        else:
            # Flash filesystems allocate whole blocks: count each file rounded up.
            total += (v.stat(full)[6] + 4095) // 4096 * 4096
    return total


class _CappedFile(io.IOBase):
    """A file opened for writing on a flash of fixed size: ENOSPC when it is full."""

    def __init__(self, fs, f):
        self._fs = fs
        self._f = f

    def write(self, data):
        if self._fs.free() < len(data):
            raise OSError(_ENOSPC)
        return self._f.write(data)

    def readinto(self, buf):
        return self._f.readinto(buf)

    def read(self, n=-1):
        return self._f.read(n)

    def ioctl(self, req, arg):
        if req == 4:  # close
            self._f.close()
        return 0

    def close(self):
        self._f.close()

    def flush(self):
        self._f.flush()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()


class FlashVfs:
    """VfsPosix on a folder, with the size of a flash partition."""

    def __init__(self, root, size):
        self._v = vfs.VfsPosix(root)
        self.size = size

    def free(self):
        return self.size - _du(self._v, "/")

    def mount(self, readonly, mkfs):
        pass

    def umount(self):
        pass

    def open(self, path, mode):
        f = self._v.open(path, mode)
        if "w" in mode or "a" in mode or "+" in mode:
            return _CappedFile(self, f)
        return f

    def ilistdir(self, path):
        return self._v.ilistdir(path)

    def stat(self, path):
        return self._v.stat(path)

    def statvfs(self, path):
        blocks = self.size // 4096
        free = max(0, self.free()) // 4096
        return (4096, 4096, blocks, free, free, 0, 0, 0, 0, 255)

    def mkdir(self, path):
        if self.free() < 4096:
            raise OSError(_ENOSPC)
        return self._v.mkdir(path)

    def remove(self, path):
        return self._v.remove(path)

    def rename(self, old, new):
        # VfsPosix.rename resolves absolute paths against the host's "/", not its root.
        return self._v.rename(old.lstrip("/"), new.lstrip("/"))

    def rmdir(self, path):
        return self._v.rmdir(path)

    def chdir(self, path):
        return self._v.chdir(path)

    def getcwd(self):
        return self._v.getcwd()


# -- the world behind the fakes ----------------------------------------------------------

_definition = {}
_started = time.ticks_ms()
# A finger presses each button in turn: 150 ms down every second, buttons 250 ms apart.
_PRESS_PERIOD_MS = 1000
_PRESS_MS = 150


def _finger(index, active_low):
    def level():
        t = (time.ticks_diff(time.ticks_ms(), _started) - index * 250) % _PRESS_PERIOD_MS
        pressed = t < _PRESS_MS
        return (not pressed) if active_low else pressed
    return level


def _optional(name):
    try:
        return __import__(name, None, None, ("x",))
    except ImportError:
        return None


# Emulated chips (host_sim.fakes.lis3dh from the step counter's branch, host_sim.fakes.epd
# from the e-ink branch), attached when their modules exist.
_lis3dh_mod = _optional("host_sim.fakes.lis3dh")
_epd_mod = _optional("host_sim.fakes.epd")
if _epd_mod is not None:
    # epd.emulator_for imports the board's controller when it is built, after the host's
    # files are unmounted: have both in sys.modules now
    _optional("host_sim.fakes.epd_ssd168x")
    _optional("host_sim.fakes.epd_uc8151")
waiting = []  # what the world cannot provide, for the HIL report
if _lis3dh_mod is None:
    waiting.append("host_sim.fakes.lis3dh (emulated accelerometer)")
if _epd_mod is None:
    waiting.append("host_sim.fakes.epd (emulated panel controller)")
# BLE: host_sim.radio.bluetooth's fake bluetooth.BLE (from the tap branch), its adverts carried to the
# host's bleak through files (host_sim.unixport.air, read by host_sim.bleak_backends.unixport).
_ble_mod = _optional("host_sim.radio.bluetooth")
if _ble_mod is None:
    waiting.append("host_sim.radio.bluetooth (fake bluetooth.BLE)")
elif not os.getenv("CLOUDPIN_PIN_AIR"):
    waiting.append("host_sim.radio.bluetooth air folder (CLOUDPIN_PIN_AIR unset)")

# The emulated panel refreshes ten times faster than glass (300 ms full) so HIL runs stay
# short; the driver is told to expect that (panel_expect_ms) instead of sleeping 3 s.
PANEL_DURATIONS = {"full": 300, "partial": 40, "fast": 150}
panel_expect_ms = (300, 40, 150)
panel = None  # the emulated controller, once the firmware builds its SPI bus
accel = None


class _Resting:
    """A badge lying still: 1 g straight down its z axis (a motion source for FakeLIS3DH)."""

    def sample(self, t_ms, period_ms=10):
        return (0, 0, 1000)


def _world(kind, part):
    global panel, accel
    if kind == "i2c" and _lis3dh_mod is not None:
        spec = _definition.get("accel") or {}
        int1 = machine.Pin(spec["int1"]) if "int1" in spec else None
        accel = _lis3dh_mod.FakeLIS3DH(_Resting(), int1=int1)
        part.attach(spec.get("addr", 0x18), accel)
    elif kind == "spi" and _epd_mod is not None and "panel" in _definition:
        # The one emulated controller (built at boot, _build_panel) on each bus the firmware
        # builds: every HIL script loads the board again, and it is the same chip, with its
        # RAM and glass. (A new emulator each time stayed alive in the shared RST pin's
        # listeners and filled the heap.)
        if panel is None:
            _build_panel()
        part.attach(panel)
    elif kind == "adc":
        divider = (_definition.get("battery") or {}).get("divider", 2.0)
        # A 3.9 V cell seen through the board's divider.
        part._millivolts = lambda: int(3900 / divider)


machine = FakeMachine(_world)


class _Bluetooth:
    """The `bluetooth` module of the unix pin: BLE() is a singleton on the file air."""

    def __init__(self, air_dir):
        self._air = FileAir(air_dir, create=False)
        self._ble = None
        for name in dir(_ble_mod):
            if (name.isupper() or name == "UUID") and name != "BLE":
                setattr(self, name, getattr(_ble_mod, name))

    def BLE(self):
        if self._ble is None:
            self._ble = _ble_mod.BLE(medium=self._air, mac=os.urandom(6), name="unixpin")
        return self._ble


def _build_panel():
    """The board's emulated panel controller, with its glass (panel.glass, offsets) as the
    simulator's. Built at boot, while the heap is fresh: its two RAM planes are 6.5 KB each,
    and after the app is imported the largest free block can be smaller than that."""
    global panel
    spec = _definition.get("panel")
    # Both controllers' modules were imported while the host's files were mounted; the
    # board uses one: let the other go (8-11 KB of the pin's heap).
    unused = "epd_ssd168x" if (spec or {}).get("controller") == "uc8151" else "epd_uc8151"
    sys.modules.pop("host_sim.fakes." + unused, None)
    fakes = sys.modules.get("host_sim.fakes")
    if fakes is not None and unused in dir(fakes):
        delattr(fakes, unused)
    gc.collect()
    if _epd_mod is None or not spec:
        return
    pin = machine.Pin
    pins = {"cs": pin(spec["cs"]), "dc": pin(spec["dc"]), "rst": pin(spec["rst"]),
            "busy": pin(spec["busy"])}
    panel = _epd_mod.emulator_for(FakeSPI(), pins, spec, PANEL_DURATIONS)


def _press_buttons():
    buttons = _definition.get("buttons") or {}
    names = sorted(buttons)
    for i in range(len(names)):
        spec = buttons[names[i]]
        active_low = spec.get("active_low", True)
        machine.Pin(spec["pin"]).drive_from(_finger(i, active_low))


def boot():
    global _definition
    root = os.getenv("CLOUDPIN_PIN_ROOT")
    if not root:
        raise SystemExit("CLOUDPIN_PIN_ROOT is not set")
    # 2 MB: the filesystem partition of MicroPython's 4 MB ESP32 image is about that size.
    flash_kb = int(os.getenv("CLOUDPIN_PIN_FLASH_KB") or 2048)
    vfs.umount("/")
    vfs.mount(FlashVfs(root, flash_kb * 1024), "/")
    os.chdir("/")
    sys.path[:] = ["", ".frozen", "/lib"]
    sys.modules["machine"] = machine
    air = os.getenv("CLOUDPIN_PIN_AIR")
    if _ble_mod is not None and air:
        # The air folder is the host's, outside the pin's flash: mount it beside it.
        vfs.mount(vfs.VfsPosix(air), "/.air")
        sys.modules["bluetooth"] = _Bluetooth("/.air")
    try:
        import json

        with open("/board.json") as f:
            _definition = json.load(f)
    except (OSError, ValueError):
        _definition = {}
    _build_panel()
    _press_buttons()
