"""The friends list: one entry per person, on flash, with a small index in RAM.

A friend's identity is their pin's permanent key (8 bytes, carried in the contact card), never
the ephemeral ID their adverts rotate: meeting again after a rotation finds the same entry.

Entries live in a Journal (append-only, power-cut safe). Undo appends a tombstone. RAM holds
only an index: 4 bytes of each key (found with bytes.find, in C) and the record's offset on
flash, 8 bytes a friend: 16 KB for 2,000 friends. The full key is checked on flash, so a
collision of the short keys costs a read, never a wrong answer.

Record: kind(1) key(8) met_unix(4) day(2) org_hash(4) x_dm(2) y_dm(2) card(...)
  kind 1 = friend added, 2 = removed (undo). met_unix is 0 before the first time sync; day is
  the activity day number (cloudpin.wallclock) the meeting counted for. x_dm/y_dm: where they
  met in the simulator's hall (decimetres), NOWHERE on a real pin.
"""

import array
import binascii
import struct

from micropython import const

_ADD = const(1)
_REMOVE = const(2)
_HEAD = const(23)
_FMT = "<B8sIHIhh"
NOWHERE = const(-32768)
KEY_LEN = const(8)


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
        self._short = bytearray()  # 4 bytes per live friend
        self._offsets = array.array("I")
        self.problems = journal.problems

    @property
    def count(self):
        return len(self._offsets)

    def load(self):
        """Rebuild the index from flash (at boot). Returns the number of friends."""
        self._short = bytearray()
        self._offsets = array.array("I")
        for offset, body in self.journal.scan():
            if len(body) < _HEAD:
                self.problems.append("friends: short record at %d ignored" % offset)
                continue
            kind = body[0]
            key = bytes(body[1:9])
            at = self._find(key)
            if kind == _ADD and at < 0:
                self._short.extend(key[:4])
                self._offsets.append(offset)
            elif kind == _REMOVE and at >= 0:
                self._drop(at)
        return self.count

    def _find(self, key):
        """Index of the live friend with this key, or -1."""
        short = key[:4]
        start = 0
        while True:
            pos = self._short.find(short, start)
            if pos < 0:
                return -1
            if pos & 3 == 0:
                i = pos >> 2
                body = self.journal.read_at(self._offsets[i])
                if body is not None and body[1:9] == key:
                    return i
            start = pos + 1

    def _drop(self, i):
        # In place: copies of a 16 KB index would fragment a 100 KB heap.
        self._short[4 * i:4 * i + 4] = b""
        self._offsets[i:i + 1] = array.array("I")

    def is_friend(self, key):
        return self._find(bytes(key)) >= 0

    def get(self, key):
        i = self._find(bytes(key))
        if i < 0:
            return None
        return _decode(self.journal.read_at(self._offsets[i]))[1]

    def add(self, key, card, met_unix=0, day=0, org=0, x_dm=NOWHERE, y_dm=NOWHERE):
        """Store a new friend; False (and nothing written) if they already are one."""
        key = bytes(key)
        if len(key) != KEY_LEN:
            raise ValueError("friend key must be 8 bytes")
        if self._find(key) >= 0:
            return False
        head = struct.pack(_FMT, _ADD, key, met_unix, day, org, x_dm, y_dm)
        offset = self.journal.append(head + bytes(card))
        self._short.extend(key[:4])
        self._offsets.append(offset)
        return True

    def remove(self, key):
        """Undo a friendship (a tombstone on flash). False if they were no friend."""
        key = bytes(key)
        i = self._find(key)
        if i < 0:
            return False
        self.journal.append(struct.pack(_FMT, _REMOVE, key, 0, 0, 0, 0, 0))
        self._drop(i)
        return True

    def friends(self, start=0, limit=-1):
        """Yield Friend objects in the order they were made, from the `start`th; streams from
        flash (listing 2,000 friends over BLE needs no big buffer)."""
        n = 0
        for i in range(start, self.count):
            if limit >= 0 and n >= limit:
                return
            kind, friend = _decode(self.journal.read_at(self._offsets[i]))
            if friend is not None:
                n += 1
                yield friend

    def compact(self):
        """Rewrite the journal with live entries only (drops tombstones), atomically."""
        offsets = self._offsets
        self.journal.replace(self.journal.read_at(off) for off in offsets)
        self.load()
