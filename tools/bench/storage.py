"""`cloudpin bench storage`: damage every file the firmware writes, boot each time, and
measure what was lost and whether it was said; then the flash wear of an event.

Damage: a pin is given a realistic state through the firmware's own calls (a deployed
profile and a companion edit, friends, an undo, a design, a time sync, steps, bonds). Then,
for every file the firmware wrote (both store slots of every record, friends.log), one
damage at a time: delete, empty, cut at every length, and at the same length a zeroed
byte, a garbage byte and a flipped bit at every position (files above --dense-limit bytes:
a spread-out sample, one bit per byte). After each, a whole App boots (radio, display and
companion on fakes) and draws its name tag. Counted:
  boot_failures                  an exception from boot or the first drawing
  records_lost_beyond_damaged    friends whose record the damage did not touch that are
                                 gone; store records read back as neither the copy before
                                 the damage nor, when the newest copy was the damaged one,
                                 the previous copy (mirrored records: anything else at all)
  recoveries_reported            cases where the boot reported what it found (app.problems,
                                 or the log of a service that reads its own record)
  unreported_changes             cases where the pin came up different and said nothing
The targets: 0, 0, and 0 unreported. /profile.json (written by `cloudpin deploy`, not the
firmware, and carrying no checksum) is damaged too, for boot failures only.

Wear: tools/bench/unix_scripts/storage_wear.py on the unix port: MicroPython's LittleFS v2
on a 2 MB NOR flash of 4 KB blocks (the ESP32's filesystem partition) through --wear-days
of an event with --wear-friends friends; the worst block's erase count against the
flash's rated 100,000 cycles.
"""

import json
import os
import shutil
import tempfile
import time

from host_sim.paths import REPO_ROOT
from host_sim.pins.flashdamage import cases, damaged
from tools.bench.report import print_result

RATED_CYCLES = 100000
DEPLOYED = {"name": "Ada Lovelace", "org": "Analytical Engines", "role": "Programmer"}


def add_arguments(parser):
    parser.add_argument("--friends", type=int, default=12,
                        help="friends on the damaged pin (default 12)")
    parser.add_argument("--dense-limit", type=int, default=4096,
                        help="files up to this many bytes get every bit flipped (default 4096)")
    parser.add_argument("--wear-days", type=int, default=30, help="days of the wear run")
    parser.add_argument("--wear-friends", type=int, default=2000,
                        help="friends made over the wear run")
    parser.add_argument("--no-wear", action="store_true", help="skip the wear run")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


# -- the pin ----------------------------------------------------------------------------

def _board(root, logged):
    from host_sim.fakes import epd as fake_epd
    from host_sim.fakes.board import SeededBytes, sim_board
    from host_sim.radio import bluetooth as fake_ble

    fake_ble.install()
    board = sim_board("bench", storage_root=root, log=lambda *a: logged.append(a),
                      ble=fake_ble.BLE(), random_bytes=SeededBytes(11))
    fake_epd.attach_to_board(board)
    return board


def _boot(root, logged, draw=True):
    from cloudpin.app import App

    app = App(_board(root, logged))
    app.boot()
    app._boot_ticks = time.ticks_ms()  # what run() sets
    if draw and app.display is not None:
        app.display.draw(time.ticks_ms())  # the name tag from what the boot made of it
    return app


def build_pin(root, friends):
    """A pin with something in every file, made through the firmware's own calls."""
    from cloudpin.card import Card
    from cloudpin.daily import DailySteps

    with open(os.path.join(root, "profile.json"), "w", encoding="utf-8") as f:
        json.dump(DEPLOYED, f)
    os.makedirs(os.path.join(root, "data"), exist_ok=True)
    app = _boot(root, [])
    app.sync_time(1785571200, 7200)
    app.set_profile(dict(DEPLOYED, handles=["@ada"]))  # a companion edit over the deploy
    for i in range(friends):
        card = Card(bytes((0xB0, i, 1, 2, 3, 4, 5, 6)), "Friend %d" % i,
                    "Org %d" % (i % 4), "Role %d" % i, ("@f%d" % i,))
        app._on_friend(card, b"\x00" * 6)
    app.undo_last_friend()
    app.choose_design(11)
    daily = DailySteps(app.store)
    daily.update(app.day(), 4321)
    daily.save()
    app.companion._set_secret(1, b"\x01" * 6, b"\x02" * 16)
    app.companion._set_secret(2, b"\x03" * 6, b"\x04" * 16)
    app._save()
    app.shutdown()


def _snapshot(root):
    out = {}
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, root)] = f.read()
    return out


def _lay(root, files):
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            if os.path.relpath(path, root) not in files:
                os.remove(path)  # what a boot added (a repair's leftovers)
    for rel, data in files.items():
        path = os.path.join(root, rel)
        if data is None:
            if os.path.exists(path):
                os.remove(path)
            continue
        with open(path, "wb") as f:
            f.write(data)


def _records(root):
    """Every store record's newest intact body, as a fresh reader finds it."""
    from cloudpin.app import MIRRORED
    from cloudpin.store import Store

    store = Store(os.path.join(root, "data"), mirrored=MIRRORED)
    names = set()
    for name in os.listdir(os.path.join(root, "data")):
        if name[-2:] in (".0", ".1"):
            names.add(name[:-2])
    return {name: store.read(name) for name in sorted(names)}


def _state(app, root):
    return {
        "identity": app.pin_id, "profile": app.profile, "design": app.design,
        "friends": [(f.key, f.card) for f in app.friends.friends()],
        "activity": app.activity.to_bytes(), "errands": app.progress.to_bytes(),
        "bonds": sorted(app.companion._secrets_map().items()),
        "records": _records(root),
    }


def _slot_body(raw):
    """The body of one store slot file (for 'the previous copy'), or None."""
    import binascii
    import struct

    if raw is None or len(raw) < 16 or raw[:4] != b"CPs1":
        return None
    seq, length, crc = struct.unpack("<III", raw[4:16])
    body = raw[16:]
    if len(body) != length or binascii.crc32(raw[4:12] + body) != crc:
        return None
    return body


def _friend_spans(log):
    """key -> (start, end) of the record that added each friend, in the clean log."""
    from cloudpin.store import Journal

    from host_sim.fakes.flashfs import FlashFS

    journal = Journal("/log", FlashFS({"/log": log}))
    offsets = [(offset, kind, body) for offset, kind, body in journal.scan()]
    spans = {}
    for i, (offset, _kind, body) in enumerate(offsets):
        end = offsets[i + 1][0] if i + 1 < len(offsets) else len(log)
        if body and body[0] == 1:
            spans[bytes(body[1:9])] = (offset, end)
    return spans


def _touched(span, kind, pos):
    start, end = span
    if kind in ("delete", "empty"):
        return True
    if kind == "truncate":
        return end > pos
    return start <= pos < end


def _reported(app, logged):
    if app.problems:
        return True
    for line in logged:
        text = " ".join(str(x) for x in line)
        if text.startswith(("storage", "profile", "steps: ignoring")):
            return True
    return False


def damage_bench(friends=12, dense_limit=4096, progress=None, only=None):
    """The damage half of the bench; `only`: the files (paths under the pin) to damage."""
    from cloudpin.app import MIRRORED

    # tens of thousands of small files: in RAM where the machine has a tmpfs
    work = tempfile.mkdtemp(prefix="cloudpin-storage-",
                            dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    try:
        root = os.path.join(work, "pin")
        os.makedirs(root)
        build_pin(root, friends)
        clean = _snapshot(root)
        _lay(root, clean)
        base = _state(_boot(root, []), root)
        spans = _friend_spans(clean["data/friends.log"])
        total = {"cases": 0, "boot_failures": 0, "records_lost_beyond_damaged": 0,
                 "recoveries_reported": 0, "unreported_changes": 0, "unchanged_silent": 0}
        per_file = {}
        examples = []
        for rel in sorted(clean):
            if only is not None and rel not in only:
                continue
            data = clean[rel]
            stats = per_file[rel] = {"bytes": len(data), "cases": 0, "boot_failures": 0,
                                     "lost_beyond": 0, "reported": 0, "unreported_changes": 0}
            name = os.path.basename(rel)
            record = name[:-2] if name[-2:] in (".0", ".1") else None
            other = None
            if record is not None:
                other = _slot_body(clean.get("data/%s.%d" % (record, 1 - int(name[-1]))))
            newest = record is not None and base["records"].get(record) == _slot_body(data)
            for kind, pos, bit in cases(data, dense=len(data) <= dense_limit):
                files = dict(clean)
                files[rel] = damaged(data, kind, pos, bit)
                _lay(root, files)
                logged = []
                stats["cases"] += 1
                total["cases"] += 1
                try:
                    # the name tag is drawn when the damage can change what it shows
                    app = _boot(root, logged, draw=name.startswith(("profile", "design")))
                    got = _state(app, root)
                except Exception as exc:  # noqa: BLE001 - a boot failure is what we count
                    stats["boot_failures"] += 1
                    total["boot_failures"] += 1
                    if len(examples) < 5:
                        examples.append("%s %s@%d: %r" % (rel, kind, pos, exc))
                    continue
                lost = 0
                if rel == "profile.json":
                    pass  # the tool's file, no checksum: a damaged one can read as a deploy
                elif rel == "data/friends.log":
                    have = {k for k, _ in got["friends"]}
                    for key, _card in base["friends"]:
                        if key not in have and not _touched(spans.get(key, (0, 0)), kind, pos):
                            lost += 1
                elif got["friends"] != base["friends"]:
                    lost += len(base["friends"])
                for rec, body in base["records"].items() if rel != "profile.json" else ():
                    now = got["records"].get(rec)
                    allowed = [body]
                    if rec == record and newest and rec not in MIRRORED:
                        allowed.append(other)  # the previous copy
                    if rec == "errands" and rel == "data/friends.log":
                        continue  # brought down to the friends left, after a reported loss
                    if now not in allowed:
                        lost += 1
                if got["identity"] != base["identity"] and rel != "profile.json":
                    lost += 1
                reported = _reported(app, logged)
                changed = got != base
                if lost:
                    stats["lost_beyond"] += lost
                    total["records_lost_beyond_damaged"] += lost
                    if len(examples) < 5:
                        examples.append("%s %s@%d.%d: %d lost" % (rel, kind, pos, bit, lost))
                if reported:
                    stats["reported"] += 1
                    total["recoveries_reported"] += 1
                elif changed and rel == "profile.json":
                    stats["taken_as_a_new_deploy"] = stats.get("taken_as_a_new_deploy", 0) + 1
                elif changed:
                    stats["unreported_changes"] += 1
                    total["unreported_changes"] += 1
                    if len(examples) < 5:
                        examples.append("%s %s@%d.%d: changed, not reported"
                                        % (rel, kind, pos, bit))
                else:
                    total["unchanged_silent"] += 1
            if progress is not None:
                progress("%-28s %5d cases, %d reported" % (rel, stats["cases"], stats["reported"]))
        total["files"] = per_file
        total["examples"] = examples
        total["friends"] = len(base["friends"])
        return total
    finally:
        shutil.rmtree(work, ignore_errors=True)


def wear_bench(days=30, friends=2000, blocks=512):
    from host_sim.unixport import mpunix

    script = os.path.join(REPO_ROOT, "tools", "bench", "unix_scripts", "storage_wear.py")
    out = mpunix.run(script=script, heapsize="8M", args=[str(days), str(friends), str(blocks)],
                     timeout=3600)
    wear = json.loads(out.strip().splitlines()[-1])
    worst = wear["worst_block_erases"]
    wear["rated_cycles"] = RATED_CYCLES
    wear["worst_block_share_of_rated"] = round(worst / RATED_CYCLES, 6)
    wear["months_to_rated_at_this_rate"] = (round(RATED_CYCLES / worst * days / 30, 1)
                                            if worst else None)
    return wear


def run(args):
    import sys

    if args.friends < 2 or args.friends > 200:
        raise SystemExit("cloudpin bench storage: --friends must be 2..200")
    if args.wear_days < 1 or args.wear_friends < 0:
        raise SystemExit("cloudpin bench storage: --wear-days >= 1 and --wear-friends >= 0")
    started = time.monotonic()

    def say(msg):
        print("bench storage: " + msg, file=sys.stderr, flush=True)

    result = damage_bench(args.friends, args.dense_limit, progress=say)
    if not args.no_wear:
        say("wear: %d days, %d friends on the unix port's LittleFS..."
            % (args.wear_days, args.wear_friends))
        result["wear"] = wear_bench(args.wear_days, args.wear_friends)
    result["targets_met"] = (result["boot_failures"] == 0
                             and result["records_lost_beyond_damaged"] == 0
                             and result["unreported_changes"] == 0)
    result["seconds"] = round(time.monotonic() - started, 1)
    print_result(result, args.json)
    return 0 if result["targets_met"] else 1
