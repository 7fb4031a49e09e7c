# Cloud Pin firmware. Importing any module of this package touches no hardware and reads no
# clock: hardware comes in through a Board (cloudpin.board), time through time.ticks_ms().
VERSION = "0.1.0"
