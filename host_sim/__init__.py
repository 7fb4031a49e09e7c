"""The Cloud Pin simulator: the pin's world, faked at MicroPython's own API boundary.

The folders, by role:
- runtime/   CPython made to look like MicroPython (shims, ticks), virtual time and its loop
- fakes/     the pin's hardware behind `machine`: pins, buses, panels, accelerometer, flash
- radio/     the fake `bluetooth` module and the air between pins (medium, channel)
- people/    where people stand and walk, and what their accelerometers feel
- pins/      whole simulated pins (the real firmware on fakes), rooms, halls, power
- eink/      PNG pictures of emulated screens, sample profiles
- unixport/  the MicroPython unix port: running it, and the pin on a pseudo-terminal
- bleak_backends/  bleak backends whose air is the simulator, for the companion
paths.py says where the checkout's parts are.

On CPython, importing host_sim installs the runtime. This file stays in MicroPython's common
subset: the unix port imports host_sim.fakes and host_sim.radio.bluetooth through it."""
import sys

if sys.implementation.name == "cpython":
    from host_sim import runtime

    runtime.install()
