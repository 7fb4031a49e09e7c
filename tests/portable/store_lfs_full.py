# The flash fills up in the middle of the pin's writes, under MicroPython's LittleFS v2
# (host_sim.pins.lfs_powercut.full_flash). Unix port only: CPython has no VfsLfs2.
from host_sim.pins import lfs_powercut

lfs_powercut.full_flash()
