# The hot path allocates nothing: on the unix port micropython.heap_lock() makes any heap
# allocation raise MemoryError, so feeding samples and decoding FIFO bursts under the lock
# proves it. (On CPython heap_lock is a no-op shim; the script still runs, same output.)
import micropython
from cloudpin.drivers.lis3dh import LIS3DH
from cloudpin.pedometer import Pedometer


class BurstI2C:
    """Serves WHO_AM_I, a FIFO_SRC of 31 samples and a fixed walking-like burst, without
    allocating (copies byte by byte into the caller's buffer)."""

    def __init__(self):
        self.data = bytearray(6 * 32)
        for i in range(32):
            z = (1000 + (300 if (i // 6) % 2 else -300)) // 8  # counts at 8 mg/digit
            for axis, v in ((0, 40 // 8), (1, -120 // 8), (2, z)):
                v = (v << 6) & 0xFFFF  # left-justified 10-bit
                self.data[6 * i + 2 * axis] = v & 0xFF
                self.data[6 * i + 2 * axis + 1] = v >> 8

    def readfrom_mem_into(self, addr, reg, buf):
        reg &= 0x7F
        if reg == 0x0F:
            buf[0] = 0x33
        elif reg == 0x2F:
            buf[0] = 31
        else:
            src = self.data
            for i in range(len(buf)):
                buf[i] = src[i]

    def writeto_mem(self, addr, reg, buf):
        pass




# Inside functions: a new module-level name is a dict insertion, which may allocate.
def feed_square_walk(feed, n):
    # A square-wave "walk" at 2.1 Hz computed on the fly (small ints allocate nothing).
    micropython.heap_lock()
    try:
        for i in range(n):
            z = 1000 + (280 if i % 12 < 6 else -280)
            feed(37 * (i % 3), -210, z)
    finally:
        micropython.heap_unlock()


def feed_slow_walk(feed, n):
    # Steps 0.8 s apart with a smaller bump between them: slow enough that the pedometer
    # tests whether these are strides (its correlation over the history), under the lock.
    micropython.heap_lock()
    try:
        for i in range(n):
            k = i % 20
            z = 1000 + (300 if k < 5 else -200 if k < 10 else 80 if k < 14 else -180)
            feed(25 * (i % 4), -200, z)
    finally:
        micropython.heap_unlock()


def read_bursts(acc, feed, times):
    total = 0
    micropython.heap_lock()
    try:
        for _ in range(times):
            total += acc.read_fifo(feed)
    finally:
        micropython.heap_unlock()
    return total


ped = Pedometer(25)
feed = ped.feed  # bind once: a bound method is an allocation
for _ in range(10):
    feed(0, -210, 1000)  # warm up the magnitude and filters
feed_square_walk(feed, 3000)
print("feed: 3000 samples without allocating; steps", ped.steps)
slow = Pedometer(25)
slow_feed = slow.feed
feed_slow_walk(slow_feed, 1500)
print("slow walk (stride test): 1500 samples without allocating; steps", slow.steps)

acc = LIS3DH(BurstI2C())
acc.start(25)
print("read_fifo: %d samples decoded into the pedometer without allocating"
      % read_bursts(acc, feed, 20))
acc.start(12.5)
print("read_fifo at 12.5 Hz (decimating): %d samples without allocating"
      % read_bursts(acc, feed, 3))
