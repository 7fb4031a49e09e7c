# The Cloud Pin simulator. On CPython, importing it makes the interpreter look enough like
# MicroPython for firmware/ to run (host_sim.runtime). This file stays MicroPython-compatible:
# the unix port imports host_sim.fakes (the common-subset hardware fakes) through it.
import sys

if sys.implementation.name == "cpython":
    from host_sim import runtime

    runtime.install()
