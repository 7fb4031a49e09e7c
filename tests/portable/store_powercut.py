# Power cut at every filesystem call of every store write path (host_sim.pins.powercut).
from host_sim.pins import powercut

powercut.main()
