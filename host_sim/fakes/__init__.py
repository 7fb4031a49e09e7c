# Fakes of the pin's hardware with machine.Pin/SPI/I2C/ADC's interfaces, written in the
# MicroPython subset so the same fakes serve the CPython simulator and the unix port.
