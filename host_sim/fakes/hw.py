"""Fake machine.Pin, machine.SPI, machine.I2C and machine.ADC.

They have the interface the firmware's drivers use on the pin, and put an emulated device
behind it: a panel controller listens on a FakeSPI and its pins, an accelerometer answers on
a FakeI2C. Common MicroPython subset: these run on CPython and on the unix port alike.

Device contracts:
- I2C device: read_reg(reg, n) -> bytes, write_reg(reg, data); attach with i2c.attach(addr, dev).
- SPI device: spi_write(data) for each write; optional spi_read(n) -> bytes. The device reads
  chip-select and data/command from the FakePins it was given.
"""

_ENODEV = 19  # errno the ESP32 port raises when nobody acknowledges an I2C address


class FakePin:
    IN = 1
    OUT = 3
    OPEN_DRAIN = 7
    PULL_UP = 2
    PULL_DOWN = 1
    IRQ_RISING = 1
    IRQ_FALLING = 2

    def __init__(self, id, mode=-1, pull=-1, value=None):
        self.id = id
        self.mode = mode
        self.pull = pull
        self._level = 1 if pull == FakePin.PULL_UP else 0
        self._source = None
        self._handler = None
        self._trigger = 0
        self._listeners = []
        if value is not None:
            self._level = 1 if value else 0

    def init(self, mode=-1, pull=-1, value=None):
        if mode != -1:
            self.mode = mode
        if pull != -1:
            self.pull = pull
        if value is not None:
            self.value(value)

    def value(self, v=None):
        if v is None:
            if self._source is not None:
                return 1 if self._source() else 0
            return self._level
        self._set_level(1 if v else 0)
        return None

    def __call__(self, v=None):
        return self.value(v)

    def on(self):
        self._set_level(1)

    def off(self):
        self._set_level(0)

    def irq(self, handler=None, trigger=3):
        self._handler = handler
        self._trigger = trigger if handler is not None else 0

    # -- the emulated world's side ------------------------------------------------------

    def drive(self, level):
        """Set an input's level from outside (a button, a device's interrupt line)."""
        self._set_level(1 if level else 0)

    def drive_from(self, source):
        """Make value() call source() each time: for lines a device computes (e.g. BUSY)."""
        self._source = source

    def watch(self, listener):
        """listener(pin, level) after every change of level the firmware or world makes."""
        self._listeners.append(listener)

    def _set_level(self, level):
        old = self._level
        self._level = level
        if old == level:
            return
        for listener in self._listeners:
            listener(self, level)
        if self._handler is not None:
            if (level and self._trigger & FakePin.IRQ_RISING) or (
                    not level and self._trigger & FakePin.IRQ_FALLING):
                self._handler(self)


class FakeSPI:
    def __init__(self, id=1, baudrate=1000000, polarity=0, phase=0, sck=None, mosi=None,
                 miso=None):
        self.id = id
        self.baudrate = baudrate
        self._devices = []
        self.bytes_written = 0

    def init(self, baudrate=1000000, **kw):
        self.baudrate = baudrate

    def deinit(self):
        pass

    def attach(self, device):
        self._devices.append(device)

    def write(self, buf):
        data = bytes(buf)
        self.bytes_written += len(data)
        for device in self._devices:
            device.spi_write(data)

    def read(self, nbytes, write=0):
        buf = bytearray(nbytes)
        self.readinto(buf, write)
        return bytes(buf)

    def readinto(self, buf, write=0):
        for device in self._devices:
            reader = getattr(device, "spi_read", None)
            if reader is not None:
                data = reader(len(buf))
                if data is not None:
                    buf[:] = data
                    return
        for i in range(len(buf)):
            buf[i] = 0xFF  # nothing drives MISO: the line floats high

    def write_readinto(self, write_buf, read_buf):
        self.write(write_buf)
        self.readinto(read_buf)


class FakeI2C:
    def __init__(self, id=0, scl=None, sda=None, freq=400000):
        self.id = id
        self.freq = freq
        self._devices = {}

    def attach(self, addr, device):
        self._devices[addr] = device

    def detach(self, addr):
        self._devices.pop(addr, None)

    def _device(self, addr):
        device = self._devices.get(addr)
        if device is None:
            raise OSError(_ENODEV)
        return device

    def scan(self):
        return sorted(self._devices)

    def readfrom_mem(self, addr, memaddr, nbytes, addrsize=8):
        data = bytes(self._device(addr).read_reg(memaddr, nbytes))
        if len(data) != nbytes:
            raise OSError(5)  # EIO: a device that returns the wrong count is broken
        return data

    def readfrom_mem_into(self, addr, memaddr, buf, addrsize=8):
        buf[:] = self.readfrom_mem(addr, memaddr, len(buf))

    def writeto_mem(self, addr, memaddr, buf, addrsize=8):
        self._device(addr).write_reg(memaddr, bytes(buf))

    def readfrom(self, addr, nbytes, stop=True):
        return self.readfrom_mem(addr, -1, nbytes)

    def readfrom_into(self, addr, buf, stop=True):
        buf[:] = self.readfrom(addr, len(buf))

    def writeto(self, addr, buf, stop=True):
        data = bytes(buf)
        if data:
            self._device(addr).write_reg(data[0], data[1:])
        else:
            self._device(addr)  # an address probe: ACK or ENODEV
        return 1


class FakeADC:
    """machine.ADC on a battery divider: read_uv() from a callable giving millivolts."""

    ATTN_11DB = 3

    def __init__(self, pin=None, atten=None, millivolts=None):
        self.pin = pin
        self._millivolts = millivolts or (lambda: 1950)

    def atten(self, value):
        pass

    def read_uv(self):
        return int(self._millivolts()) * 1000

    def read_u16(self):
        # 11 dB attenuation spans about 0..3100 mV on the ESP32.
        return max(0, min(65535, int(self._millivolts()) * 65535 // 3100))
