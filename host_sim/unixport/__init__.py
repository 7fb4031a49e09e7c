"""The MicroPython unix port as a stand-in for the pin.

mpunix.py finds and runs the `micropython` binary (with a heap size, firmware on its path);
deps.py links firmware's PyPI dependencies where it can import them; app_boot.py boots the
whole app on it with fake hardware (heap figures). The pin on a pseudo-terminal: pty_pin.py
serves the unix port like a serial port (raw REPL, soft reboot) for mpremote, deploy and HIL;
pin_world.py runs inside it (a flash folder mounted as "/", fake `machine`); air.py carries
its adverts to the host as files. May import host_sim.paths, runtime, radio and fakes."""
