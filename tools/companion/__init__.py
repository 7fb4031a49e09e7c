"""The companion: what talks to a pin over BLE to pair, set the profile, sync the time, pick
a design and read friends and stats. laptop.py is `cloudpin companion` (bleak; --sim talks
to simulated pins through host_sim.bleak_backends). May import tools.device.pinlink's
errors, tools.bench.report (the output contract), host_sim's bleak backends and firmware's
protocol modules."""
