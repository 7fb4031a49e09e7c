"""Whole simulated pins: the real firmware on fake hardware, in rooms and halls, and what they draw.

world.py runs many full pins (cloudpin.app.App on host_sim.fakes boards) on one virtual
clock and one medium; tapsim.py runs rooms of pins with only the firmware radio (the tap
benchmark's fast path); companion.py simulated pins that serve the companion over the
secure fake bluetooth; power.py the battery model; powercut.py the storage power-cut trials
at every filesystem call; lfs_powercut.py the same at every block operation under the unix
port's LittleFS v2, for every write path of the App, and a flash that fills up; flashdamage.py
damage to the store's files at rest (cut, emptied, deleted, flipped, zeroed, garbage).
May import host_sim.runtime, radio, fakes and people; never tools."""
