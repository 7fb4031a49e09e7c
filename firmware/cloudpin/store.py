"""Files that survive a power cut at any instant.

Two kinds, both checked by CRC-32 so a torn write is recognised, never believed:

- Store: small named records (profile, today's counters, errand progress) kept in two slots,
  `<name>.0` and `<name>.1`. A write goes to the slot NOT holding the newest good copy, with a
  sequence number one higher; the newest slot is never touched. Cut the power anywhere and the
  reader finds either the new copy or the previous one, on any filesystem (no rename needed).
- Journal: an append-only log of records (friends). Each record carries its length and CRC;
  a torn tail is found at open, reported and cut off by rewriting the good prefix to a temporary
  file and renaming it over the log (rename is atomic on LittleFS, the ESP32's filesystem).

Nothing here raises on bad data found on flash: it is reported in `problems` and recovered
from, so a damaged file never stops the pin from booting.

The filesystem is handed in (`fs`), so tests can cut the power at every single call
(host_sim.fakes.flashfs); by default it is the real one.
"""

import binascii
import os
import struct

from micropython import const

_STORE_MAGIC = b"CPs1"
_HEADER = const(16)  # magic(4) sequence(4) length(4) crc32(4)
_JOURNAL_MAGIC = const(0xA5)
_RECORD_HEADER = const(7)  # magic(1) length(2) crc32(4)
MAX_RECORD = const(4096)


class RealFS:
    def open(self, path, mode):
        return open(path, mode)

    def rename(self, old, new):
        os.rename(old, new)

    def remove(self, path):
        os.remove(path)

    def exists(self, path):
        try:
            os.stat(path)
            return True
        except OSError:
            return False


def _join(root, name):
    return root + name if root.endswith("/") else root + "/" + name


def _read_all(fs, path):
    try:
        f = fs.open(path, "rb")
    except OSError:
        return None
    try:
        return f.read()
    finally:
        f.close()


class Store:
    def __init__(self, root, fs=None):
        self.fs = fs or RealFS()
        self.root = root
        self.problems = []  # human-readable reports of damaged files found and ignored
        self._seq = {}  # name -> (sequence, slot) of the newest good copy

    def _slot_path(self, name, slot):
        return _join(self.root, "%s.%d" % (name, slot))

    def _load_slot(self, name, slot):
        raw = _read_all(self.fs, self._slot_path(name, slot))
        if raw is None:
            return None
        if len(raw) < _HEADER or raw[:4] != _STORE_MAGIC:
            self.problems.append("%s slot %d: not a store file (%d bytes), ignored"
                                 % (name, slot, len(raw)))
            return None
        seq, length, crc = struct.unpack("<III", raw[4:16])
        body = raw[_HEADER:]
        if len(body) != length or binascii.crc32(raw[4:12] + body) != crc:
            self.problems.append("%s slot %d: torn or corrupt write, ignored" % (name, slot))
            return None
        return seq, body

    def read(self, name):
        """The newest intact copy of `name` (bytes), or None if there is none."""
        best = None
        for slot in (0, 1):
            got = self._load_slot(name, slot)
            if got is not None and (best is None or got[0] > best[0]):
                best = (got[0], got[1], slot)
        if best is None:
            self._seq[name] = (0, 1)  # next write goes to slot 0
            return None
        self._seq[name] = (best[0], best[2])
        return best[1]

    def write(self, name, data):
        """Commit `data` under `name`. When this returns, a power cut cannot lose it; if the
        power is cut before it returns, the previous copy is what a reader finds."""
        if name not in self._seq:
            self.read(name)
        seq, slot = self._seq[name]
        seq += 1
        target = 1 - slot
        meta = struct.pack("<II", seq, len(data))
        header = _STORE_MAGIC + meta + struct.pack("<I", binascii.crc32(meta + data))
        f = self.fs.open(self._slot_path(name, target), "wb")
        try:
            f.write(header + data)
            f.flush()
        finally:
            f.close()
        self._seq[name] = (seq, target)


class Journal:
    """An append-only log of records, read as a stream: a pin with 2,000 friends never holds
    the whole file in RAM.

        j = Journal("/friends.log")
        for offset, body in j.scan(): ...      # checks the log, cuts off a damaged tail
        offset = j.append(b"...")              # committed when it returns
        body = j.read_at(offset)
    """

    def __init__(self, path, fs=None):
        self.fs = fs or RealFS()
        self.path = path
        self.problems = []
        self.count = 0
        self.size = 0  # bytes of intact records; appends go here
        self._checked = False

    def scan(self):
        """Yield (offset, body) for every intact record, oldest first. When the scan reaches
        the end, a damaged tail (a torn append) is reported and cut off."""
        try:
            f = self.fs.open(self.path, "rb")
        except OSError:
            f = None
        pos = count = 0
        damaged = False
        if f is not None:
            try:
                while True:
                    head = f.read(_RECORD_HEADER)
                    if not head:
                        break
                    if len(head) < _RECORD_HEADER or head[0] != _JOURNAL_MAGIC:
                        damaged = True
                        break
                    length, crc = struct.unpack("<HI", head[1:])
                    body = f.read(length) if length <= MAX_RECORD else b""
                    if length > MAX_RECORD or len(body) != length or binascii.crc32(body) != crc:
                        damaged = True
                        break
                    yield pos, body
                    pos += _RECORD_HEADER + length
                    count += 1
            finally:
                f.close()
        if damaged:
            self.problems.append("%s: damaged bytes after record %d cut off" % (self.path, count))
            self._keep_prefix(pos)
        self.count = count
        self.size = pos
        self._checked = True

    def records(self):
        """Every intact record as a list (for small logs and tests)."""
        return [body for _, body in self.scan()]

    def read_at(self, offset):
        """The record at `offset` (from scan or append), or None if it is not intact."""
        f = self.fs.open(self.path, "rb")
        try:
            f.seek(offset)
            head = f.read(_RECORD_HEADER)
            if len(head) < _RECORD_HEADER or head[0] != _JOURNAL_MAGIC:
                return None
            length, crc = struct.unpack("<HI", head[1:])
            body = f.read(length)
        finally:
            f.close()
        if len(body) != length or binascii.crc32(body) != crc:
            return None
        return body

    def _keep_prefix(self, length):
        # Copy the good prefix to a temporary file, then rename it over the log: a power cut
        # leaves either the old (damaged, repaired again next boot) or the repaired file.
        tmp = self.path + ".tmp"
        src = self.fs.open(self.path, "rb")
        dst = self.fs.open(tmp, "wb")
        try:
            left = length
            while left > 0:
                chunk = src.read(min(left, 512))
                if not chunk:
                    break
                dst.write(chunk)
                left -= len(chunk)
            dst.flush()
        finally:
            dst.close()
            src.close()
        self.fs.rename(tmp, self.path)

    def _check(self):
        if not self._checked:
            for _ in self.scan():  # never append behind a torn tail
                pass

    def append(self, payload):
        """Add one record; committed when this returns. Returns its offset."""
        if len(payload) > MAX_RECORD:
            raise ValueError("journal record too large")
        self._check()
        rec = struct.pack("<BHI", _JOURNAL_MAGIC, len(payload), binascii.crc32(payload))
        f = self.fs.open(self.path, "ab")
        try:
            f.write(rec + payload)
            f.flush()
        finally:
            f.close()
        offset = self.size
        self.size += len(rec) + len(payload)
        self.count += 1
        return offset

    def replace(self, payloads):
        """Rewrite the whole log from an iterable of records (compaction, undo), atomically
        through a temporary file and a rename."""
        tmp = self.path + ".tmp"
        f = self.fs.open(tmp, "wb")
        count = size = 0
        try:
            for p in payloads:
                f.write(struct.pack("<BHI", _JOURNAL_MAGIC, len(p), binascii.crc32(p)))
                f.write(p)
                count += 1
                size += _RECORD_HEADER + len(p)
            f.flush()
        finally:
            f.close()
        self.fs.rename(tmp, self.path)
        self.count = count
        self.size = size
        self._checked = True
