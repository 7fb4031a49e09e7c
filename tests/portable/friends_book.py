# 2,000 friends on a real directory, in two phases run as separate processes, as a pin would
# live them: "make" adds them all (and undoes one), "reboot" is what a fresh boot finds.
# Both runtimes must print the same.
import binascii
import struct
import sys

from cloudpin.friends import FriendBook, org_hash
from cloudpin.store import Journal

root = sys.argv[1]
phase = sys.argv[2]
N = 2000


def key(i):
    # Friend i's 8-byte key, computed on demand: a list of 2,000 keys would not fit the heap.
    return struct.pack("<II", binascii.crc32(b"k%d" % i), binascii.crc32(b"K%d" % i))


def make():
    book = FriendBook(Journal(root + "/friends.log"))
    book.load()
    for i in range(N):
        card = b"name=Friend %d;org=Org %d;" % (i, i % 37)
        assert book.add(key(i), card, met_unix=1700000000 + i, day=100 + i // 500,
                        org=org_hash("Org %d" % (i % 37)))
    assert not book.add(key(7), b"dup")  # already a friend: nothing written
    print("count", book.count)
    assert book.is_friend(key(1999)) and not book.is_friend(b"\x00" * 8)
    f = book.get(key(42))
    print("get42", f.card, f.met_unix, f.day)
    assert book.remove(key(42)) and not book.is_friend(key(42)) and not book.remove(key(42))
    print("after_undo", book.count)


def reboot():
    book = FriendBook(Journal(root + "/friends.log"))
    loaded = book.load()
    print("index_bytes", len(book._short) + len(book._offsets))
    print("reloaded", loaded, book.is_friend(key(43)), book.is_friend(key(42)))
    orgs = {}
    for fr in book.friends():
        orgs[fr.org_hash] = 1
    print("listed_orgs", len(orgs))
    print("page", [fr.card for fr in book.friends(start=10, limit=3)])
    book.compact()
    print("compacted", book.count, book.journal.count, book.is_friend(key(0)))


if phase == "make":
    make()
else:
    reboot()
