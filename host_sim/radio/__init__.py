"""The air between simulated pins, and MicroPython's `bluetooth` module on top of it.

bluetooth.py is the fake `bluetooth` (BLE, UUID, the IRQ events and their payloads) the
firmware imports in the simulator and on the unix port; bluetooth_secure.py adds pairing,
bonding and encryption for the companion's link. medium.py carries adverts, scans and
connections between every BLE object on virtual time; channel.py says what RSSI one pin reads
for one packet of another (path loss, shadowing, fading, body blocking, collisions). May
import host_sim.runtime; nothing here knows about people, whole pins or tools.
bluetooth.py stays in MicroPython's common subset (the unix port imports it)."""
