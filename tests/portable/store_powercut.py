# Power cut at every filesystem call of every store write path (host_sim.powercut).
from host_sim import powercut

powercut.main()
