"""A NOR flash chip behind MicroPython's block-device protocol, that can lose power in the
middle of any block operation and counts the erases of every block.

    chip = NorFlash(blocks=64)                 # 4096-byte erase blocks, as on the ESP32
    vfs.VfsLfs2.mkfs(chip.connect())
    vfs.mount(vfs.VfsLfs2(chip.connect()), "/flash")
    chip.cut_at, chip.tear = chip.ops + k, "half"
    ...the firmware writes: PowerCut at operation k...
    chip.reboot(); vfs.umount("/flash"); vfs.mount(vfs.VfsLfs2(chip.connect()), "/flash")

It follows the SPI NOR flash under the ESP32's LittleFS (esp32.Partition: readblocks and
writeblocks with an offset, erase through ioctl 6, the "extended" protocol VfsLfs2 uses):
- an erase sets a whole block to FF; a program can only clear bits (a cell becomes
  old AND new), as NOR cells do: programming a range that was not erased is not refused,
  it ANDs (and is counted in `unerased_programs`, which LittleFS should keep at 0);
- every program and every erase is one operation. With cut_at = k the power goes during
  operation k, which then lands according to `tear`:
    "none"  nothing of it reached the chip;
    "half"  the first half of its bytes did (a program), or the first half of the block
            was erased (an erase);
    "bits"  every byte got only some of its bits (the cells were part-way when the power
            went: the same length, wrong content);
    "done"  all of it, and the power went just after;
  then PowerCut is raised (a BaseException, so no `except Exception` in the firmware can
  carry on as if nothing happened) and the chip is dead until reboot();
- a dead chip's connection stays dead after reboot: the filesystem object that was mounted
  on it (and its open files, closed later by the garbage collector) can never write to the
  chip again. Its operations fail with EIO without allocating (finalisers run with the heap
  locked). connect() again for the next boot, as the pin does after power comes back.

Common subset (the unix port runs it under the real VfsLfs2; CPython can run the chip).
"""

BLOCK = 4096
_EIO = -5
TEARS = ("none", "half", "bits", "done")


class PowerCut(BaseException):
    pass


class NorFlash:
    def __init__(self, blocks=64, block_size=BLOCK):
        self.block_size = block_size
        self.blocks = blocks
        self.data = bytearray(blocks * block_size)
        for i in range(blocks):  # erased, block by block (no second copy of the chip)
            self.data[i * block_size:(i + 1) * block_size] = b"\xff" * block_size
        self.erases = [0] * blocks  # erase count per block: the wear
        self.ops = 0  # programs and erases so far
        self.reads = 0
        self.programs = 0
        self.unerased_programs = 0
        self.cut_at = -1
        self.tear = "none"
        self.powered = True
        self._generation = 0

    def connect(self):
        """A block device for one boot: what VfsLfs2 is mounted on."""
        return _Port(self, self._generation)

    def reboot(self):
        """Power back on. Connections made before are dead for good."""
        self.powered = True
        self.cut_at = -1
        self._generation += 1

    def image(self):
        return bytes(self.data)

    def restore(self, image, erases=None):
        """Put the chip back to an image (and wear) taken earlier: the next trial's start."""
        self.data[:] = image
        if erases is not None:
            self.erases = list(erases)
        self.powered = True
        self.cut_at = -1
        self._generation += 1

    # -- operations -----------------------------------------------------------------------

    def _begin(self):
        """True if operation `ops` is the one the power goes in."""
        cut = self.ops == self.cut_at
        self.ops += 1
        return cut

    def _lose_power(self):
        self.powered = False
        raise PowerCut("power cut at block operation %d (%s)" % (self.ops - 1, self.tear))

    def read(self, addr, buf):
        self.reads += 1
        n = len(buf)
        buf[:] = memoryview(self.data)[addr:addr + n]

    def program(self, addr, buf):
        cut = self._begin()
        n = len(buf)
        if cut:
            if self.tear == "none":
                n = 0
            elif self.tear == "half":
                n //= 2
        self.programs += 1
        data = self.data
        if not cut and data[addr:addr + n] == b"\xff" * n:
            data[addr:addr + n] = buf  # erased cells take the bits as they are
            return
        seed = addr
        for i in range(n):
            new = buf[i]
            if cut and self.tear == "bits":
                seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
                new |= (seed >> 16) & 0xFF & ~new  # some zero bits did not make it
            old = data[addr + i]
            if old & new != new:
                self.unerased_programs += 1
            data[addr + i] = old & new
        if cut:
            self._lose_power()

    def erase(self, block):
        cut = self._begin()
        start = block * self.block_size
        n = self.block_size
        if cut:
            if self.tear == "none":
                n = 0
            elif self.tear == "half":
                n //= 2
        data = self.data
        if cut and self.tear == "bits":
            seed = block + 1
            for i in range(start, start + n):
                seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
                data[i] |= (seed >> 16) & 0xFF  # some cells reached FF, some not yet
        else:
            data[start:start + n] = b"\xff" * n
        if n:
            self.erases[block] += 1
        if cut:
            self._lose_power()


class _Port:
    """The chip as MicroPython's block-device protocol sees it, for one boot."""

    def __init__(self, chip, generation):
        self.chip = chip
        self.generation = generation

    def _live(self):
        chip = self.chip
        return chip.powered and chip._generation == self.generation

    def readblocks(self, block, buf, offset=0):
        if not self._live():
            return _EIO
        chip = self.chip
        chip.read(block * chip.block_size + offset, buf)
        return 0

    def writeblocks(self, block, buf, offset=None):
        if not self._live():
            return _EIO
        chip = self.chip
        if offset is None:  # the simple protocol: erase, then program whole blocks
            for i in range(len(buf) // chip.block_size):
                chip.erase(block + i)
            offset = 0
        chip.program(block * chip.block_size + offset, buf)
        return 0

    def ioctl(self, op, arg):
        chip = self.chip
        if op == 4:  # block count
            return chip.blocks
        if op == 5:  # block size
            return chip.block_size
        if op == 6:  # erase
            if not self._live():
                return _EIO
            chip.erase(arg)
            return 0
        return 0  # init, deinit, sync
