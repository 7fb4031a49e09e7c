"""Whole simulated pins in one hall: the real firmware App on fake hardware, on one clock.

Each SimPin is a Board of fakes (host_sim.fakes.board) with
- a fake BLE on the shared Medium (host_sim.radio.medium), positioned by a mover,
- an emulated e-paper controller on its SPI bus (host_sim.fakes.epd),
- an emulated LIS3DH fed by a motion source (host_sim.fakes.lis3dh),
- its own folder as flash, a seeded random source, and a power meter (host_sim.pins.power).

The pin deep-sleeps when its app says so (still for a long time): its tasks stop, its BLE goes
quiet, and the accelerometer's INT1 wakes it into a fresh boot of the firmware, as
machine.deepsleep() with an ext0 wake does on the ESP32. Everything on flash carries over;
RAM does not.
"""

import json
import os
import random
import tempfile

from cloudpin.app import App

from host_sim.fakes import epd as fake_epd
from host_sim.fakes import lis3dh as fake_lis3dh
from host_sim.fakes.board import SimRTC, sim_board
from host_sim.pins.power import ADVERT_MAH, CURRENT_MA, PowerMeter
from host_sim.radio import bluetooth as fake_ble
from host_sim.radio.medium import Medium
from host_sim.runtime.scheduler import Simulation

# The ESP32 datasheet's deep-sleep wake-up and MicroPython's boot before main.py runs.
BOOT_S = 1.5
# A full refresh of the 2.13" SSD1680 panel (Good Display datasheet: about 2-3 s).
PANEL_REFRESH_S = 2.5


class SimPin:
    def __init__(self, world, name, mover, source, profile, seed, app_options=None):
        self.world = world
        self.name = name
        self.mover = mover
        self.rng = random.Random(seed)
        self.root = os.path.join(world.flash_dir, name)
        os.makedirs(self.root, exist_ok=True)
        with open(os.path.join(self.root, "profile.json"), "w") as f:
            json.dump(profile, f)  # what `cloudpin deploy` writes
        self.ble = world.medium.add(mover, name)
        self.board = sim_board(name, storage_root=self.root, ble=self.ble, log=self._log,
                               random_bytes=self._random_bytes, where=self._where,
                               deep_sleep=self._deep_sleep,
                               rtc=SimRTC(lambda: world.sim.now_s))
        self.panel = fake_epd.attach_to_board(self.board)
        self.chip = fake_lis3dh.attach(self.board, source)
        self.app_options = app_options or {}
        self.app = None
        self.task = None
        self.asleep = False
        self.boots = 0
        self.deep_sleeps = 0
        self.refreshes = 0  # across boots
        self.power = PowerMeter(now_s=world.sim.now_s)
        self.on_boot = None  # hooks: called with this SimPin after a boot / before sleeping
        self.on_deep_sleep = None
        self.log_lines = []
        self.board.accel_int.watch(self._int1_changed)
        world.sim.spawn(self.chip.run())

    # -- what the board hands the firmware ---------------------------------------------

    def _log(self, *args):
        line = "%9.1f %s: %s" % (self.world.sim.now_s, self.name, " ".join(str(a) for a in args))
        self.log_lines.append(line)
        if self.world.verbose:
            print(line)

    def _random_bytes(self, n):
        return bytes(self.rng.getrandbits(8) for _ in range(n))

    def _where(self):
        x, y, _ = self.mover.at(self.world.sim.now_s)
        return x, y

    def _deep_sleep(self):
        # Called from inside the app's task: stop it from outside, after this step.
        self.world.sim.loop.call_soon(self._enter_deep_sleep)

    # -- life cycle ------------------------------------------------------------------

    def boot(self):
        self.app = App(self.board, **self.app_options)
        self.app.boot()  # what flash gave back, before anything runs
        self.boots += 1
        self.asleep = False
        self.power.set("cpu", "active", self.world.sim.now_s)
        if self.on_boot is not None:
            self.on_boot(self)
        self.task = self.world.sim.spawn(self.app.run())

    def _enter_deep_sleep(self):
        if self.asleep:
            return
        self._count_refreshes()
        if self.on_deep_sleep is not None and self.app is not None:
            self.on_deep_sleep(self)
        self.asleep = True
        self.deep_sleeps += 1
        if self.task is not None:
            self.task.cancel()
        self.ble.active(False)
        self.power.set("cpu", "deep_sleep", self.world.sim.now_s)
        self._log("deep sleep")

    def _int1_changed(self, pin, level):
        if level and self.asleep:
            self.asleep = False  # waking: the boot follows after the ESP32's start-up
            self.world.sim.loop.call_later(BOOT_S, self.boot)

    def _count_refreshes(self):
        if self.app is not None and self.app.display is not None:
            self.refreshes += self.app.display.refreshes
            self.app.display.refreshes = 0

    def stop(self):
        """Power off at the end of a run (after committing, as a planned stop would)."""
        self._count_refreshes()
        if self.task is not None and not self.asleep:
            self.task.cancel()

    # -- figures ---------------------------------------------------------------------

    def battery_mah(self):
        now = self.world.sim.now_s
        medium = self.world.medium
        node = medium.node(self.ble)
        listened_s = medium.listen_fraction(self.ble) * (medium.now_us() - (
            medium.started_us or 0)) / 1e6
        mah = self.power.mah(now)
        # Radio and panel on top of the CPU states the meter integrated.
        mah += listened_s * CURRENT_MA[("radio", "scan")] / 3600.0
        mah += node.adverts * ADVERT_MAH
        mah += self.refreshes * PANEL_REFRESH_S * CURRENT_MA[("panel", "refresh")] / 3600.0
        return mah

    def battery_hours(self, capacity_mah=1000.0):
        elapsed_h = self.world.sim.now_s / 3600.0
        mah = self.battery_mah()
        return capacity_mah * elapsed_h / mah if mah > 0 else float("inf")


class World:
    """    with World(seed=1) as world:
               pin = world.add_pin("pin000", mover, source, {"name": "Ada"})
               world.start()
               world.run_for(600)
    """

    def __init__(self, seed=1, channel=None, start_ticks_ms=None, verbose=False):
        self.seed = seed
        self.rng = random.Random(seed)
        if start_ticks_ms is None:
            start_ticks_ms = self.rng.randrange(1 << 30)
        self.sim = Simulation(start_ticks_ms=start_ticks_ms)
        fake_ble.install()
        self.medium = Medium(self.sim, random.Random(self.rng.getrandbits(32)), channel)
        self._tmp = tempfile.TemporaryDirectory(prefix="cloudpin-world-")
        self.flash_dir = self._tmp.name
        self.verbose = verbose
        self.pins = []
        self._started = False

    def add_pin(self, name, mover, source, profile, app_options=None):
        pin = SimPin(self, name, mover, source, profile, self.rng.getrandbits(32), app_options)
        self.pins.append(pin)
        return pin

    def start(self):
        if not self._started:
            self._started = True
            self.sim.spawn(self.medium.run())
            for pin in self.pins:
                pin.boot()

    def run_for(self, seconds, progress=None):
        self.start()
        self.sim.run_for(seconds, progress=progress)

    def close(self):
        for pin in self.pins:
            pin.stop()
        self.sim.close()
        self._tmp.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
