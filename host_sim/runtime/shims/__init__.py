"""CPython stand-ins for MicroPython-only modules (installed by host_sim.runtime)."""
