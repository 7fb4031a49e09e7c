"""Fakes of the pin's hardware behind MicroPython's `machine` interfaces, in the common subset
so the same fakes serve the CPython simulator and the unix port.

hw.py: machine.Pin, SPI, I2C, ADC; fake_machine.py: a `machine` module built from them;
epd*.py: emulated e-paper controllers behind SPI (epd.attach_to_board picks one; epd_glass.py
the glasses and their measured refresh times, epd_waveform.py what a LUT does); lis3dh.py:
an emulated accelerometer behind I2C fed by a motion source; flashfs.py: a flash filesystem
that can lose power at any call; blockdev.py: a NOR flash chip behind MicroPython's block
device protocol (VfsLfs2 mounts on it) that can lose power at any program or erase and counts
erases per block; memstore.py: a store in RAM; board.py: a cloudpin Board made of these.
May import firmware's cloudpin.board only; nothing else of host_sim."""
