# The designs file read one design at a time, on both runtimes: every design's CRC through
# one reused buffer, then damaged copies of the file (argv[1]: a folder to write them in)
# must never be read as designs, and check() must say what is wrong.
import binascii
import sys

from cloudpin import designs

buf = bytearray(designs.BYTES)
print("count", len(designs.NAMES), "locked", designs.NAMES[designs.LOCKED])
for i in range(len(designs.NAMES)):
    ok = designs.load(i, buf)
    print(i, ok, "%08x" % (binascii.crc32(buf) & 0xFFFFFFFF))
for bad in (-1, 34, 999, None, "2"):
    designs.load(bad, buf)
    print("out of range", repr(bad), "%08x" % (binascii.crc32(buf) & 0xFFFFFFFF))
print("check", designs.check())

good = designs.path()
with open(good, "rb") as f:
    whole = f.read()
folder = sys.argv[1]
flipped = bytearray(whole)
flipped[designs.HEADER + 5 * designs.BYTES + 7] ^= 0x10
fewer = bytearray(whole[:designs.HEADER + 3 * designs.BYTES])
fewer[4] = 3  # a file of 3 designs
cases = (
    ("missing", None),
    ("empty", b""),
    ("not designs", b"GIF89a" + whole[6:]),
    ("three designs", bytes(fewer)),
    ("truncated", whole[:-100]),
    ("one bit flipped", bytes(flipped)),
)
for name, data in cases:
    path = folder + "/case.bin"
    if data is None:
        path = folder + "/nowhere.bin"
    else:
        with open(path, "wb") as f:
            f.write(data)
    designs._path = None
    designs.FILE = path[len(folder) + 1:]
    designs._places = (lambda p: lambda: iter((p,)))(path)
    for k in range(designs.BYTES):
        buf[k] = 0xFF
    ok = designs.load(5, buf)
    problem = designs.check()
    print(name, "| load:", ok, "blank:", not any(buf), "| check:",
          problem.replace(folder, "DIR") if problem else problem)
