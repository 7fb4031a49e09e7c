# Power cut at every block operation under MicroPython's LittleFS v2, for every write path of
# the firmware (host_sim.pins.lfs_powercut). Unix port only: CPython has no VfsLfs2.
import sys

from host_sim.pins import lfs_powercut

lfs_powercut.main(sys.argv[1] if len(sys.argv) > 1 else None)
