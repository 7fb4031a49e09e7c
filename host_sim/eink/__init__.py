"""Pictures of e-paper screens on CPython: PNGs of what an emulated panel shows (png.py),
a recorder that saves a simulated pin's screen after every refresh (screens.py), and the
sample profiles that previews, benchmarks and tests render (samples.py; common subset, the
unix port imports it). May import host_sim.fakes."""
