# Cloud Pin firmware. Importing any module of this package touches no hardware and reads no
# clock: hardware comes in through a Board (cloudpin.board), time through time.ticks_ms().
#
# The package is flat on purpose (drivers/ and fonts/ aside): on the ESP32 every package is
# one more module object, __init__ and path lookup at import time, and heap the pin cannot
# spare. The README groups the modules by service (radio, steps, e-ink, friends, storage, ...).
VERSION = "0.1.0"
