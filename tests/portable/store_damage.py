# Every damage to the store's files at rest, same-length damage included
# (host_sim.pins.flashdamage): the damaged record and only it is lost, and it is reported.
from host_sim.pins import flashdamage

flashdamage.main()
