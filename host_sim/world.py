"""Many simulated pins in one process: each a Board of fakes running the real firmware App on
one shared virtual clock."""

import os
import tempfile

from cloudpin.app import App

from host_sim.fakes.board import sim_board
from host_sim.scheduler import Simulation


class SimPin:
    def __init__(self, name, storage_root, log):
        os.makedirs(storage_root, exist_ok=True)
        self.name = name
        self.board = sim_board(name, storage_root=storage_root, log=log)
        self.app = App(self.board)


class World:
    """    with World(pins=4) as world:
               world.run_for(600)
    Pins keep their files in a temporary folder that lives as long as the World."""

    def __init__(self, pins=2, start_ticks_ms=0, quiet=True):
        self.sim = Simulation(start_ticks_ms=start_ticks_ms)
        self._tmp = tempfile.TemporaryDirectory(prefix="cloudpin-sim-")
        self.log_lines = []
        self.pins = []
        for i in range(pins):
            name = "pin%03d" % i
            self.pins.append(SimPin(name, os.path.join(self._tmp.name, name),
                                    self._logger(name, quiet)))
        for pin in self.pins:
            self.sim.spawn(pin.app.run())

    def _logger(self, name, quiet):
        def log(*args):
            line = "%8.3f %s: %s" % (self.sim.now_s, name, " ".join(str(a) for a in args))
            self.log_lines.append(line)
            if not quiet:
                print(line)

        return log

    def run_for(self, seconds, progress=None):
        self.sim.run_for(seconds, progress=progress)

    def close(self):
        self.sim.close()
        self._tmp.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
