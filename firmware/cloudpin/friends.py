"""The friends list: one entry per person, on flash, with a small index in RAM.

A friend's identity is their pin's permanent key (8 bytes, carried in the contact card), never
the ephemeral ID their adverts rotate: meeting again after a rotation finds the same entry.

Entries live in a Journal (append-only, power-cut safe). Undo appends a tombstone. RAM holds
only an index: 4 bytes of each key (found with bytearray.find, in C) and the record's offset on
flash, 8 bytes a friend: 16 KB for 2,000 friends. The full key is checked on flash, so a
collision of the short keys costs a read, never a wrong answer. The index is two fixed
bytearrays sized at boot and edited in place: growing or copying 16 KB a friend at a time
would fragment a 100 KB heap until a 4 KB allocation fails.

Journal records of kind FRIEND (cloudpin.store frames each with its kind, length and CRC):
  op(1) key(8) met_unix(4) day(2) org_hash(4) x_dm(2) y_dm(2) card(...)
  op 1 = friend added, 2 = removed (undo). met_unix is 0 before the first time sync; day is
  the activity day number (cloudpin.wallclock) the meeting counted for. x_dm/y_dm: where they
  met in the simulator's hall (decimetres), NOWHERE on a real pin.
Records of other kinds (say, a friend's daily activity one day) are left for their owners:
load() skips them and compact() keeps them.

A damaged record costs that friend only: the journal finds the next intact record, and
load() has it rewritten without the damage (reported in `problems`).
"""

import binascii
import struct

from micropython import const

FRIEND = const(1)  # the journal kind of this book's records
_ADD = const(1)
_REMOVE = const(2)
_HEAD = const(23)
_FMT = "<B8sIHIhh"
NOWHERE = const(-32768)
KEY_LEN = const(8)
_HEADROOM = const(64)  # friends that can be added before the index must grow


def org_hash(org):
    """Organisations compare case- and space-insensitively ('BBC ' == 'bbc')."""
    if isinstance(org, str):
        org = org.encode()
    return binascii.crc32(org.strip().lower())


class Friend:
    def __init__(self, key, met_unix, day, org, x_dm, y_dm, card):
        self.key = key
        self.met_unix = met_unix
        self.day = day
        self.org_hash = org
        self.x_dm = x_dm
        self.y_dm = y_dm
        self.card = card  # the contact card's bytes (cloudpin.card decodes them)


def _decode(body):
    if len(body) < _HEAD:
        return None, None
    kind, key, met, day, org, x, y = struct.unpack(_FMT, body[:_HEAD])
    return kind, Friend(key, met, day, org, x, y, body[_HEAD:])


class FriendBook:
    def __init__(self, journal):
        self.journal = journal
        journal.legacy_kind = FRIEND  # the first log format held only friend records
        self.problems = journal.problems
        self.count = 0
        self.new_org = False  # whether the last add() brought a new organisation
        self._short = bytearray(0)  # 4 bytes of key per live friend
        self._offsets = bytearray(0)  # their record offsets, u32 little-endian
        self._orgs = bytearray(0)  # distinct organisation hashes (u32 LE), for the errands

    def load(self):
        """Rebuild the index from flash (at boot). Returns the number of friends."""
        self._short = self._offsets = bytearray(0)  # let the old index go first
        self._orgs = bytearray(0)
        adds = 0
        journal = self.journal
        for _, kind, body in journal.scan():  # first pass: size the index once
            if kind == FRIEND and body and body[0] == _ADD:
                adds += 1
        if journal.needs_repair():
            journal.repair()  # before any offset is taken: the rewrite moves records
        self._short = bytearray(4 * (adds + _HEADROOM))
        self._offsets = bytearray(4 * (adds + _HEADROOM))
        self.count = 0
        for offset, kind, body in journal.scan():
            if kind != FRIEND:
                continue
            if len(body) < _HEAD:
                self.problems.append("friends: short record at %d ignored" % offset)
                continue
            op = body[0]
            key = bytes(body[1:9])
            at = self._find(key)
            if op == _ADD and at < 0:
                self._push(key, offset)
                self._note_org(body[15:19])
            elif op == _REMOVE and at >= 0:
                self._drop(at)
        return self.count

    def _offset(self, i):
        return struct.unpack_from("<I", self._offsets, 4 * i)[0]

    def _push(self, key, offset):
        n = self.count
        if 4 * n == len(self._short):
            grow = 4 * _HEADROOM
            self._short.extend(bytes(grow))
            self._offsets.extend(bytes(grow))
        self._short[4 * n:4 * n + 4] = key[:4]
        struct.pack_into("<I", self._offsets, 4 * n, offset)
        self.count = n + 1

    def _find(self, key):
        """Index of the live friend with this key, or -1."""
        short = key[:4]
        end = 4 * self.count
        start = 0
        while True:
            pos = self._short.find(short, start, end)
            if pos < 0:
                return -1
            if pos & 3 == 0:
                i = pos >> 2
                body = self.journal.read_at(self._offset(i))
                if body is not None and body[1:9] == key:
                    return i
            start = pos + 1

    def _drop(self, i):
        # Shift the tail down in place (memoryview: no 16 KB temporary copy).
        end = 4 * self.count
        for buf in (self._short, self._offsets):
            buf[4 * i:end - 4] = memoryview(buf)[4 * i + 4:end]
        self.count -= 1

    def _note_org(self, org4):
        """Remember an organisation hash; True if it is new."""
        if not org4 or org4 == b"\x00\x00\x00\x00":
            return False  # no organisation given
        pos = self._orgs.find(org4)
        while pos >= 0 and pos & 3:
            pos = self._orgs.find(org4, pos + 1)
        if pos >= 0:
            return False
        self._orgs.extend(org4)
        return True

    @property
    def organisations(self):
        """How many distinct organisations friends (ever) came from."""
        return len(self._orgs) // 4

    def org_count(self, org):
        """Live friends from organisation hash `org` (streams from flash: for undo only)."""
        n = 0
        for friend in self.friends():
            if friend.org_hash == org:
                n += 1
        return n

    def is_friend(self, key):
        return self._find(bytes(key)) >= 0

    def get(self, key):
        i = self._find(bytes(key))
        if i < 0:
            return None
        return _decode(self.journal.read_at(self._offset(i)))[1]

    def add(self, key, card, met_unix=0, day=0, org=0, x_dm=NOWHERE, y_dm=NOWHERE):
        """Store a new friend; False (and nothing written) if they already are one."""
        key = bytes(key)
        if len(key) != KEY_LEN:
            raise ValueError("friend key must be 8 bytes")
        if self._find(key) >= 0:
            return False
        head = struct.pack(_FMT, _ADD, key, met_unix, day, org, x_dm, y_dm)
        self._push(key, self.journal.append(head + bytes(card), FRIEND))
        self.new_org = self._note_org(head[15:19])
        return True

    def remove(self, key):
        """Undo a friendship (a tombstone on flash). False if they were no friend."""
        key = bytes(key)
        i = self._find(key)
        if i < 0:
            return False
        self.journal.append(struct.pack(_FMT, _REMOVE, key, 0, 0, 0, 0, 0), FRIEND)
        self._drop(i)
        return True

    def friends(self, start=0, limit=-1):
        """Yield Friend objects in the order they were made, from the `start`th; streams from
        flash (listing 2,000 friends over BLE needs no big buffer)."""
        n = 0
        for i in range(start, self.count):
            if limit >= 0 and n >= limit:
                return
            friend = _decode(self.journal.read_at(self._offset(i)))[1]
            if friend is not None:
                n += 1
                yield friend

    def compact(self):
        """Rewrite the journal with live friends only (drops tombstones and the records they
        undid), keeping records of other kinds; atomically."""
        self.journal.replace(self._kept())
        self.load()

    def _kept(self):
        # The index is in journal order, so one pointer walks it beside the scan.
        i = 0
        for offset, kind, body in self.journal.scan():
            if kind != FRIEND:
                yield kind, body
                continue
            while i < self.count and self._offset(i) < offset:
                i += 1
            if i < self.count and self._offset(i) == offset:
                yield kind, body
