# Hardware-in-loop scripts. They run ON the pin (sent by tools/device/hil.py through mpremote's raw
# REPL, after _prelude.py), in MicroPython, against the firmware deployed in /lib.
