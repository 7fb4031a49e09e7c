"""The friends list: 2,000 friends on flash with a small RAM index, on both runtimes."""

import pytest
from cloudpin.friends import FriendBook, org_hash
from cloudpin.store import Journal

from host_sim.fakes.flashfs import FlashFS
from tests.crossrt import run_cpython, run_unix


def test_two_thousand_friends_fit_in_64k_of_heap(tmp_path):
    (tmp_path / "cp").mkdir()
    (tmp_path / "mp").mkdir()
    script = "tests/portable/friends_book.py"
    cpython = unix = ""
    # Making 2,000 friends without a reboot grows the index 31 times: 96K, the pin's heap.
    # What a boot finds (load, list, compact) must fit the app's 64K budget. Firmware comes
    # precompiled, as frozen on the pin: compiling .py would spend heap the pin never spends.
    for phase, heap in (("make", "96K"), ("reboot", "64K")):
        cpython += run_cpython(script, args=[str(tmp_path / "cp"), phase])
        unix += run_unix(script, heapsize=heap, args=[str(tmp_path / "mp"), phase],
                         frozen=True)
    assert cpython == unix
    lines = dict(line.split(" ", 1) for line in cpython.splitlines())
    assert lines["count"] == "2000"
    assert lines["after_undo"] == "1999"
    assert lines["reloaded"] == "1999 True False"
    assert lines["listed_orgs"] == "37"
    assert lines["compacted"] == "1999 1999 True"
    assert int(lines["index_bytes"]) == 8 * (2000 + 64)  # sized once at boot, with headroom


def test_same_person_after_id_rotation_is_met_again_not_duplicated():
    book = FriendBook(Journal("/friends.log", FlashFS()))
    book.load()
    key = b"\x01\x02\x03\x04\x05\x06\x07\x08"
    assert book.add(key, b"card v1", org=org_hash("BBC"))
    # Their adverts rotated; the card still carries the same permanent key.
    assert not book.add(key, b"card v1")
    assert book.count == 1


def test_short_key_collisions_are_resolved_on_flash():
    book = FriendBook(Journal("/friends.log", FlashFS()))
    book.load()
    a = b"\xaa\xbb\xcc\xdd" + b"1111"
    b = b"\xaa\xbb\xcc\xdd" + b"2222"  # same first 4 bytes
    assert book.add(a, b"A") and book.add(b, b"B")
    assert book.get(a).card == b"A" and book.get(b).card == b"B"
    assert book.remove(a) and not book.is_friend(a) and book.is_friend(b)


def test_keys_must_be_8_bytes():
    book = FriendBook(Journal("/friends.log", FlashFS()))
    with pytest.raises(ValueError):
        book.add(b"short", b"card")


def test_org_hash_ignores_case_and_spaces():
    assert org_hash(" BBC ") == org_hash("bbc") != org_hash("NHK")


def test_organisations_are_counted_once_and_survive_a_reload():
    journal = Journal("/friends.log", FlashFS())
    book = FriendBook(journal)
    book.load()
    news = []
    for i, org in enumerate(["BBC", "bbc ", "NHK", "", "RAI"]):
        book.add(bytes([i]) * 8, b"card", org=org_hash(org) if org else 0)
        news.append(book.new_org)
    assert news == [True, False, True, False, True]
    assert book.organisations == 3
    assert book.org_count(org_hash("BBC")) == 2
    again = FriendBook(Journal("/friends.log", journal.fs))
    again.load()
    assert again.organisations == 3


def _five_friends():
    fs = FlashFS()
    book = FriendBook(Journal("/friends.log", fs))
    book.load()
    for i in range(5):
        book.add(bytes([i + 1]) * 8, b"card of friend %d" % i, org=org_hash("org %d" % i))
    return fs


def test_one_flipped_bit_costs_one_friend_not_every_later_one():
    # The reproduction: a flip in the first of 5 records used to leave 0 friends, and at
    # half the file 2 of 5; the log was then rewritten to the good part, for good.
    for where in (0.05, 0.5, 0.99):
        fs = _five_friends()
        log = bytearray(fs.files["/friends.log"])
        pos = int(len(log) * where)
        log[pos] ^= 0x10
        fs.files["/friends.log"] = bytes(log)
        book = FriendBook(Journal("/friends.log", fs))
        assert book.load() == 4, where
        assert book.problems and "damaged bytes skipped" in book.problems[0]
        assert "rewritten without the" in book.problems[-1]
        # rewritten without the damage: the next boot finds 4 friends and nothing to report
        again = FriendBook(Journal("/friends.log", fs))
        assert again.load() == 4 and not again.problems
        assert again.add(b"\x09" * 8, b"a new friend") and again.count == 5


def test_compaction_keeps_the_good_friends_after_a_bad_one_and_other_kinds():
    fs = _five_friends()
    journal = Journal("/friends.log", fs)
    journal.append(b"a record of some later kind", 7)  # e.g. a friend's daily activity
    book = FriendBook(journal)
    book.load()
    assert book.remove(b"\x05" * 8)
    log = bytearray(fs.files["/friends.log"])
    log[12] ^= 0xFF  # inside the first friend
    fs.files["/friends.log"] = bytes(log)
    book = FriendBook(Journal("/friends.log", fs))
    assert book.load() == 3
    book.compact()
    assert book.count == 3 and [f.card for f in book.friends()] == [
        b"card of friend 1", b"card of friend 2", b"card of friend 3"]
    kinds = [kind for _, kind, _ in Journal("/friends.log", fs).scan()]
    assert kinds == [1, 1, 1, 7]  # tombstone and the undone friend gone, the other kind kept


def test_a_log_of_the_first_format_is_read_and_rewritten():
    from host_sim.pins.flashdamage import legacy_log

    body = b"\x01" + b"\x07" * 8 + bytes(14) + b"old card"
    fs = FlashFS({"/friends.log": legacy_log([body])})
    book = FriendBook(Journal("/friends.log", fs))
    assert book.load() == 1 and book.get(b"\x07" * 8).card == b"old card"
    assert fs.files["/friends.log"][:2] == b"\xc0\xde"  # now in the framing with kinds
    assert FriendBook(Journal("/friends.log", fs)).load() == 1
