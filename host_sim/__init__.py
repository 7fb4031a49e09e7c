# The Cloud Pin simulator. This package file stays empty and MicroPython-compatible: the
# MicroPython unix port imports host_sim.fakes (the common-subset hardware fakes) through it.
