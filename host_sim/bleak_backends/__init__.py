"""bleak backends whose air is the simulator, so the companion's real bleak code talks to
simulated pins: sim.py (BleakScanner/BleakClient backends over host_sim.pins.companion's
pins and the secure fake bluetooth) and unixport.py (a scanner that sees the unix-port
pin's adverts through host_sim.unixport.air). May import host_sim.radio, pins and unixport."""
