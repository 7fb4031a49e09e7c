# Damage to what is on flash, at rest: every way a file can go wrong (cut short, emptied,
# deleted, and at the same length: bits flipped, bytes zeroed, garbage), for the store's
# two-slot records and its journal. Same-length damage is what catches a reader that skips
# a CRC: lengths and magics still look right. Each check returns the number of cases where
# something other than "the damaged record, and only it, is lost, and it is reported"
# happened, so tests can also run them on a store.py with a check taken out and see them
# fail. Common subset: the same checks run on CPython and on the unix port
# (tests/portable/store_damage.py); `cloudpin bench storage` applies DAMAGES to every file
# the whole firmware writes.

from host_sim.fakes.flashfs import FlashFS

KINDS = ("truncate", "empty", "delete", "zero", "garbage", "flip")


def damaged(data, kind, pos=0, bit=0):
    """data (bytes) with one damage applied, or None for a deleted file. `pos`/`bit` choose
    where: the length kept (truncate), the byte (zero, garbage) or the bit (flip)."""
    if kind == "delete":
        return None
    if kind == "empty":
        return b""
    if kind == "truncate":
        return data[:pos]
    out = bytearray(data)
    if kind == "zero":
        out[pos] = 0
        if out == data:
            out[pos] = 0xFF  # a byte that was already zero: zero means "changed to 00/FF"
    elif kind == "garbage":
        out[pos] = (data[pos] + 1 + (pos * 37 + 11) % 255) & 0xFF  # never its old value
    elif kind == "flip":
        out[pos] ^= 1 << bit
    return bytes(out)


def cases(data, dense=True):
    """Yield (kind, pos, bit) for every damage to a file of this content: every bit flipped and
    every byte zeroed and garbled when dense, else a spread-out sample of them."""
    n = len(data)
    yield "delete", 0, 0
    yield "empty", 0, 0
    step = 1 if dense or n <= 64 else max(1, n // 64)
    for pos in range(0, n, step):
        yield "truncate", pos, 0
        yield "zero", pos, 0
        yield "garbage", pos, 0
        for bit in range(8) if dense or n <= 64 else (pos & 7,):
            yield "flip", pos, bit


def _slot(name, slot):
    return "/d/%s.%d" % (name, slot)


def _each_damage(fs, clean, path):
    """Lay each damage of `path` over the clean files in turn; yields (kind, pos, bit)."""
    for kind, pos, bit in cases(clean[path]):
        fs.files = dict(clean)
        bad = damaged(clean[path], kind, pos, bit)
        if bad is None:
            del fs.files[path]
        else:
            fs.files[path] = bad
        yield kind, pos, bit


def check_store(Store, report=print):
    """A record written twice (v1 in slot 0, v2 in slot 1): damage either slot in every way;
    the reader must return v2, or v1 when v2's slot is the damaged one, never anything else,
    and must report damage it found. Returns (cases, failures)."""
    fs = FlashFS()
    st = Store("/d", fs)
    st.write("rec", b"version one of the record")
    st.write("rec", b"version two, a little longer")
    clean = dict(fs.files)
    n = failures = 0
    for slot, fallback in ((0, b"version two, a little longer"),
                           (1, b"version one of the record")):
        for kind, pos, bit in _each_damage(fs, clean, _slot("rec", slot)):
            reader = Store("/d", fs)
            got = reader.read("rec")
            want = b"version two, a little longer" if slot == 0 else fallback
            n += 1
            if got != want or (kind != "delete" and not reader.problems):
                failures += 1
                if failures <= 3:
                    report("store FAIL slot", slot, kind, pos, bit, got, reader.problems)
    return n, failures


def check_mirrored(Store, report=print):
    """A mirrored record (the pin's identity, written once): damage to one slot loses
    nothing, is reported, and is rewritten so a second damage cannot lose it either."""
    fs = FlashFS()
    Store("/d", fs, mirrored=("identity",)).write("identity", b"\x11\x22\x33\x44\x55\x66\x77\x88")
    clean = dict(fs.files)
    n = failures = 0
    for slot in (0, 1):
        for kind, pos, bit in _each_damage(fs, clean, _slot("identity", slot)):
            reader = Store("/d", fs, mirrored=("identity",))
            got = reader.read("identity")
            healed = Store("/d", fs, mirrored=("identity",))
            again = healed.read("identity")
            n += 1
            if (got != b"\x11\x22\x33\x44\x55\x66\x77\x88" or not reader.problems
                    or again != got or healed.problems):
                failures += 1
                if failures <= 3:
                    report("mirror FAIL slot", slot, kind, pos, bit, got, reader.problems,
                           healed.problems)
    return n, failures


RECORDS = (b"first friend: Ada", b"second friend, a longer card " * 2, b"3",
           b"fourth friend", b"fifth and last friend")


def _starts(journal):
    """Where each record starts in the file, from a clean scan."""
    return [offset for offset, _kind, _body in journal.scan()]


def _check_log(Journal, fs, path, starts, report, label):
    clean = fs.files[path]
    ends = starts[1:] + [len(clean)]
    n = failures = 0
    for kind, pos, bit in cases(clean):
        fs.files = {path: damaged(clean, kind, pos, bit)} if kind != "delete" else {}
        j = Journal(path, fs)
        got = j.records()
        # What may be lost: the record whose bytes were touched (a cut: all from there on).
        if kind in ("empty", "delete"):
            lost = range(len(starts))
        elif kind == "truncate":
            lost = [i for i in range(len(starts)) if ends[i] > pos]
        else:
            lost = [i for i in range(len(starts)) if starts[i] <= pos < ends[i]]
        want = [RECORDS[i] for i in range(len(RECORDS)) if i not in lost]
        # A log cut exactly between records, emptied or deleted looks like a shorter log:
        # only the app's cross-check (friends counted by the errands) can tell.
        silent = kind in ("empty", "delete") or (kind == "truncate" and pos in starts)
        ok = got == want and (silent or bool(j.problems))
        if ok and j.needs_repair():
            j.repair()
            again = Journal(path, fs)
            ok = again.records() == want and not again.problems
            again.append(b"after the repair")
            ok = ok and Journal(path, fs).records() == want + [b"after the repair"]
        n += 1
        if not ok:
            failures += 1
            if failures <= 3:
                report(label, "FAIL", kind, pos, bit, len(got), j.problems)
    return n, failures


def check_journal(Journal, report=print):
    """Five records; damage the log at every byte and bit: exactly the touched record is
    lost (a cut loses the records from the cut on), the rest are read, the damage is
    reported, and repair() leaves a clean log that takes appends."""
    fs = FlashFS()
    j = Journal("/d/friends.log", fs)
    for rec in RECORDS:
        j.append(rec)
    starts = _starts(Journal("/d/friends.log", fs))
    if len(starts) != len(RECORDS):
        return 1, 1
    return _check_log(Journal, fs, "/d/friends.log", starts, report, "journal")


def legacy_log(records):
    """A log in the first format (A5, length, CRC-32 of the body): what earlier firmware
    wrote, which this one still reads."""
    import binascii
    import struct

    out = b""
    for rec in records:
        out += struct.pack("<BHI", 0xA5, len(rec), binascii.crc32(rec)) + rec
    return out


def check_legacy(Journal, report=print):
    """The same damage on a log of the first format, which repair() then rewrites."""
    fs = FlashFS({"/d/friends.log": legacy_log(RECORDS)})
    starts = []
    pos = 0
    for rec in RECORDS:
        starts.append(pos)
        pos += 7 + len(rec)
    return _check_log(Journal, fs, "/d/friends.log", starts, report, "legacy")


def main(Store=None, Journal=None):
    if Store is None:
        from cloudpin.store import Journal, Store
    total = failures = 0
    for label, fn, cls in (("store", check_store, Store), ("mirrored", check_mirrored, Store),
                           ("journal", check_journal, Journal),
                           ("legacy", check_legacy, Journal)):
        n, bad = fn(cls)
        print(label, "cases", n, "failures", bad)
        total += n
        failures += bad
    print("total_failures", failures)
    return total, failures
