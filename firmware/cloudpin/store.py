"""Files that survive a power cut at any instant, and damage to what is on flash.

Two kinds, both checked by CRC-32 so a torn or damaged write is recognised, never believed:

- Store: small named records (profile, identity, today's counters, errand progress) kept in
  two slots, `<name>.0` and `<name>.1`. A write goes to the slot NOT holding the newest good
  copy, with a sequence number one higher; the newest slot is never touched. Cut the power
  anywhere and the reader finds either the new copy or the previous one, on any filesystem
  (no rename needed). Records named in `mirrored` (the pin's identity, its profile, bonds:
  what cannot be rebuilt) are then written to the other slot too, so damage to one slot
  loses nothing; a read that finds the two copies differ rewrites the bad one.
- Journal: an append-only log of records (friends), each framed with a magic, a kind, its
  length and a CRC; a reader finds the next intact record after any damage, so damage costs
  the damaged record and nothing after it (details in Journal).

Nothing here raises on bad data found on flash: it is reported in `problems` (once per
damage, not once per read) and recovered from, so a damaged file never stops the pin from
booting. Writes raise OSError when the flash is full or failing, with what was committed
before still there.

The filesystem is handed in (`fs`), so tests can cut the power at every single call
(host_sim.fakes.flashfs); by default it is the real one (on the pin LittleFS v2, which
host_sim.fakes.blockdev runs on a flash that loses power at any block operation).
"""

import binascii
import os
import struct

from micropython import const

_STORE_MAGIC = b"CPs1"
_HEADER = const(16)  # magic(4) sequence(4) length(4) crc32(4) of sequence, length, body
_MAGIC = b"\xc0\xde"
_MAGIC0 = const(0xC0)
_MAGIC1 = const(0xDE)
_RECORD_HEADER = const(9)  # magic(2) kind(1) length(2) crc32(4)
_LEGACY_MAGIC = const(0xA5)
_LEGACY_HEADER = const(7)  # magic(1) length(2) crc32(4) of the body
MAX_RECORD = const(4096)
_MAX_PROBLEMS = const(24)


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


def _report(problems, text):
    # The same damage is found by every read until it is rewritten: say it once, and keep
    # the list bounded whatever flash holds.
    if text not in problems and len(problems) < _MAX_PROBLEMS:
        problems.append(text)


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
    def __init__(self, root, fs=None, mirrored=()):
        self.fs = fs or RealFS()
        self.root = root
        self.mirrored = mirrored
        self.problems = []  # human-readable reports of damage found and what was done
        self._seq = {}  # name -> (sequence, slot) of the newest good copy

    def _slot_path(self, name, slot):
        return _join(self.root, "%s.%d" % (name, slot))

    def _load_slot(self, name, slot):
        raw = _read_all(self.fs, self._slot_path(name, slot))
        if raw is None:
            return None
        if not raw:
            # LittleFS makes a new file at open: an empty slot is a first write the power
            # cut short (the previous copy, if any, is in the other slot).
            _report(self.problems, "%s slot %d: empty (a write cut short), ignored"
                    % (name, slot))
            return False
        if len(raw) < _HEADER or raw[:4] != _STORE_MAGIC:
            _report(self.problems, "%s slot %d: not a store file (%d bytes), ignored"
                    % (name, slot, len(raw)))
            return False
        seq, length, crc = struct.unpack("<III", raw[4:16])
        body = raw[_HEADER:]
        if len(body) != length or binascii.crc32(raw[4:12] + body) != crc:
            _report(self.problems, "%s slot %d: torn or damaged copy, ignored" % (name, slot))
            return False
        return seq, body

    def read(self, name):
        """The newest intact copy of `name` (bytes), or None if there is none."""
        # Each slot: (sequence, body), None (no file) or False (a file, but not a good copy).
        got = (self._load_slot(name, 0), self._load_slot(name, 1))
        best = newest = None
        for slot in (0, 1):
            copy = got[slot]
            if copy and (newest is None or copy[0] > newest[0]):
                best, newest = slot, copy
        if best is None or not newest:
            self._seq[name] = (0, 1)  # next write goes to slot 0
            return None
        seq, body = newest
        self._seq[name] = (seq, best)
        other = got[1 - best]
        if name in self.mirrored:
            if not other or other[1] != body:
                self._heal(name, body, "behind" if other else "missing or damaged")
        elif other is False:
            self._drop(name, 1 - best)
        return body

    def _drop(self, name, slot):
        # A bad copy beside a good one holds nothing: remove it, so it is reported once,
        # not at every boot until the record is next written.
        try:
            self.fs.remove(self._slot_path(name, slot))
        except OSError:
            pass

    def _heal(self, name, body, why):
        try:
            self._write_slot(name, body)
        except OSError as exc:
            _report(self.problems, "%s: second copy %s, could not rewrite it (%s)"
                    % (name, why, exc))
            return
        _report(self.problems, "%s: second copy %s, rewritten from the good one" % (name, why))

    def write(self, name, data):
        """Commit `data` under `name`. When this returns, a power cut cannot lose it; if the
        power is cut before it returns, the previous copy is what a reader finds. Raises
        OSError (flash full or failing) with the previous copy still there."""
        if name not in self._seq:
            self.read(name)
        self._write_slot(name, data)
        if name in self.mirrored:
            try:
                self._write_slot(name, data)  # the second copy; the first is committed
            except OSError as exc:
                _report(self.problems, "%s: second copy not written (%s)" % (name, exc))

    def _write_slot(self, name, data):
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
        for offset, kind, body in j.scan(): ...   # every intact record; damage is skipped
        offset = j.append(b"...", kind)           # committed when it returns
        body = j.read_at(offset)

    Record framing: magic C0 DE, kind(1), length(2, LE), CRC-32(4) of kind, length and body,
    then the body. `kind` says what the body is (the log's owner numbers its own kinds, so
    new kinds of record can join an old log). C0 never occurs in UTF-8, so no text a person
    wrote can hold a magic. A damaged record (torn append, flipped bit, zeroed or garbage
    bytes) fails its CRC; the reader then looks for the next place where a whole intact
    record starts and goes on from there, so the damage costs that record and nothing after
    it. The owner then calls repair(), which rewrites the log without the damaged bytes.

    Limit: a forged record hidden inside another record's body is only ever looked for after
    damage right in front of it, and its magic cannot sit in the text fields of a card.

    Records of the first format (A5, length, CRC of the body; no kind) are still read (and
    found again after damage), as `legacy_kind`; repair() rewrites them in this framing.
    """

    def __init__(self, path, fs=None, legacy_kind=1):
        self.fs = fs or RealFS()
        self.path = path
        self.legacy_kind = legacy_kind
        self.problems = []
        self.count = 0
        self.size = 0  # bytes in the file: appends go here
        self.damaged = 0  # damaged bytes the last scan skipped
        self.legacy = 0  # records of the first format the last scan read
        self._checked = False

    def _open(self):
        try:
            return self.fs.open(self.path, "rb")
        except OSError:
            return None

    def scan(self):
        """Yield (offset, kind, body) for every intact record, oldest first, skipping damage.
        What was skipped is reported in `problems` when the scan reaches the end."""
        f = self._open()
        pos = count = damaged = legacy = 0
        spans = []
        if f is not None:
            try:
                size = f.seek(0, 2)
                while pos < size:
                    rec = _record_at(f, pos, size)
                    if rec is None:
                        rec = _legacy_at(f, pos, size)
                        if rec is not None:
                            legacy += 1
                            rec = (self.legacy_kind, rec[1], rec[2])
                    if rec is None:
                        nxt = _resync(f, pos, size)
                        damaged += nxt - pos
                        if len(spans) < 3:
                            spans.append("%d-%d" % (pos, nxt))
                        pos = nxt
                        continue
                    yield pos, rec[0], rec[1]
                    pos = rec[2]
                    count += 1
            finally:
                f.close()
        if damaged:
            _report(self.problems, "%s: %d damaged bytes skipped (at %s); the %d intact records "
                    "around them kept" % (self.path, damaged, ", ".join(spans), count))
        self.count = count
        self.size = pos
        self.damaged = damaged
        self.legacy = legacy
        self._checked = True

    def records(self):
        """Every intact record's body as a list (for small logs and tests)."""
        return [body for _, _, body in self.scan()]

    def read_at(self, offset):
        """The body of the record at `offset` (from scan or append), or None if it is not
        intact (checked again: flash can fail after the scan)."""
        f = self._open()
        if f is None:
            return None
        try:
            rec = _record_at(f, offset, f.seek(0, 2))
            if rec is None:
                rec = _legacy_at(f, offset, f.seek(0, 2))
        finally:
            f.close()
        return None if rec is None else rec[1]

    def needs_repair(self):
        return self.damaged > 0 or self.legacy > 0

    def repair(self):
        """Rewrite the log with its intact records only (after a scan found damage or the
        first format). Atomic (temporary file, rename). If the flash has no room for the
        copy, the damaged log stays in use (the reader skips the damage) and that is
        reported. Returns True if the log was rewritten."""
        damaged = self.damaged
        try:
            self.replace((kind, body) for _, kind, body in self.scan())
        except OSError as exc:
            _report(self.problems, "%s: could not rewrite without the damage (%s); skipping it "
                    "instead" % (self.path, exc))
            self._drop_tmp()
            return False
        if damaged:
            _report(self.problems, "%s: rewritten without the %d damaged bytes"
                    % (self.path, damaged))
        return True

    def _drop_tmp(self):
        try:
            self.fs.remove(self.path + ".tmp")
        except OSError:
            pass

    def _check(self):
        if not self._checked:
            for _ in self.scan():  # learn where the file ends
                pass

    def append(self, payload, kind=1):
        """Add one record; committed when this returns. Returns its offset. Raises OSError
        (flash full or failing) with the log as it was."""
        if len(payload) > MAX_RECORD:
            raise ValueError("journal record too large")
        self._check()
        rec = _frame(kind, payload)
        f = self.fs.open(self.path, "ab")
        try:
            f.write(rec)
            f.write(payload)
            f.flush()
        finally:
            f.close()
        offset = self.size
        self.size += len(rec) + len(payload)
        self.count += 1
        return offset

    def replace(self, records):
        """Rewrite the whole log from an iterable of (kind, body) (compaction, repair),
        atomically through a temporary file and a rename."""
        tmp = self.path + ".tmp"
        f = self.fs.open(tmp, "wb")
        count = size = 0
        try:
            for kind, body in records:
                f.write(_frame(kind, body))
                f.write(body)
                count += 1
                size += _RECORD_HEADER + len(body)
            f.flush()
        finally:
            f.close()
        self.fs.rename(tmp, self.path)
        self.count = count
        self.size = size
        self.damaged = self.legacy = 0
        self._checked = True


def _frame(kind, body):
    meta = struct.pack("<BH", kind, len(body))
    return _MAGIC + meta + struct.pack("<I", binascii.crc32(body, binascii.crc32(meta)))


def _record_at(f, pos, size):
    """(kind, body, next offset) if a whole intact record starts at pos, else None."""
    if pos + _RECORD_HEADER > size:
        return None
    f.seek(pos)
    head = f.read(_RECORD_HEADER)
    if len(head) < _RECORD_HEADER or head[0] != _MAGIC0 or head[1] != _MAGIC1:
        return None
    kind, length, crc = struct.unpack("<BHI", head[2:])
    end = pos + _RECORD_HEADER + length
    if length > MAX_RECORD or end > size:
        return None
    body = f.read(length)
    if len(body) != length or binascii.crc32(body, binascii.crc32(head[2:5])) != crc:
        return None
    return kind, body, end


def _legacy_at(f, pos, size):
    """The first format's record (A5, length, CRC of the body) at pos, else None."""
    if pos + _LEGACY_HEADER > size:
        return None
    f.seek(pos)
    head = f.read(_LEGACY_HEADER)
    if len(head) < _LEGACY_HEADER or head[0] != _LEGACY_MAGIC:
        return None
    length, crc = struct.unpack("<HI", head[1:])
    end = pos + _LEGACY_HEADER + length
    if length > MAX_RECORD or end > size:
        return None
    body = f.read(length)
    if len(body) != length or binascii.crc32(body) != crc:
        return None
    return 0, body, end


def _resync(f, pos, size):
    """The first offset after pos where a whole intact record (of either format) starts, or
    the end of the file."""
    p = pos + 1
    while p < size:
        f.seek(p)
        chunk = f.read(256)
        if len(chunk) < 2:
            break
        i = chunk.find(_MAGIC)
        j = chunk.find(b"\xa5")
        if i < 0 or 0 <= j < i:
            i = j
        if i < 0:
            p += len(chunk) - 1  # the magic may straddle two chunks
            continue
        if _record_at(f, p + i, size) is not None or _legacy_at(f, p + i, size) is not None:
            return p + i
        p += i + 1
    return size
