"""`cloudpin companion`: talk to a pin over BLE with bleak.

    cloudpin companion scan
    cloudpin companion pair ADDRESS                 # the pin shows a 6-digit passkey
    cloudpin companion profile set ADDRESS --name "Ada Lovelace" --org EBU
    cloudpin companion profile get ADDRESS
    cloudpin companion time sync ADDRESS
    cloudpin companion friends ADDRESS [--vcard friends.vcf] [--csv friends.csv]
    cloudpin companion stats ADDRESS
    cloudpin companion design list [ADDRESS]        # the 33 sports (and what the pin unlocked)
    cloudpin companion design set ADDRESS Judo      # or its number, 0-32
    cloudpin companion scan --sim                   # simulated pins (host_sim), same code

Pairing: the pin displays a passkey on its panel. With a real pin the operating system asks
for it when bleak pairs (BlueZ agent, Windows dialog); with --sim the companion asks (or
takes --passkey). Every later command needs the bond that pairing left.

Transfers survive the pin leaving range: each step is retried on a fresh connection, and
the friends download resumes at the next friend instead of starting over. Exports are
written to a temporary file and renamed, so a failed run leaves no half-written file.
"""

import argparse
import asyncio
import csv
import io
import json
import os
import sys
import time

from host_sim.paths import FIRMWARE_DIR
from tools.bench.report import UsageError, fail, print_figures, print_result
from tools.device import pinlink
from tools.device.pinlink import PinError

_FIRMWARE = FIRMWARE_DIR
RETRIES = 4
RETRY_DELAY_S = 0.2


def _firmware():
    if _FIRMWARE not in sys.path:
        sys.path.insert(0, _FIRMWARE)
    from host_sim import runtime

    runtime.install()  # cloudpin.companion imports micropython.const
    from cloudpin import companion, profile

    return companion, profile


class Link:
    """Which bleak backend to use, and how passkeys are asked for."""

    def __init__(self, sim_world=None, passkey=None, log=pinlink.progress):
        self.world = sim_world
        self.passkey = passkey
        self.log = log
        self.reconnects = 0
        if sim_world is not None:
            from host_sim.bleak_backends import sim as bleak_sim

            bleak_sim.use(sim_world)
            self.scanner_backend = bleak_sim.SimScanner
            self.client_backend = bleak_sim.SimClient
            sim_world.passkey_provider = self._ask_passkey
        else:
            self.scanner_backend = None
            self.client_backend = None

    def _ask_passkey(self, pin):
        if self.passkey == "panel":
            return pin.shown_passkey  # a person reading the simulated pin's panel
        if self.passkey is not None:
            return self.passkey
        if not sys.stdin.isatty():
            raise PinError("the pin shows a passkey: give it with --passkey")
        text = input("Passkey shown on %s: " % pin.name).strip()
        return int(text) if text.isdigit() else None

    def client(self, address):
        from bleak import BleakClient

        kwargs = {"timeout": 10.0}
        if self.client_backend is not None:
            kwargs["backend"] = self.client_backend
        return BleakClient(address, **kwargs)

    async def scan(self, timeout):
        from bleak import BleakScanner

        companion, _ = _firmware()
        kwargs = {"timeout": timeout, "return_adv": True,
                  "service_uuids": [companion.SERVICE_UUID]}
        if self.scanner_backend is not None:
            kwargs["backend"] = self.scanner_backend
        try:
            found = await BleakScanner.discover(**kwargs)
        except Exception as exc:  # bleak's D-Bus, OS and adapter errors alike
            raise PinError(no_bluetooth(exc)) from None
        pins = [{"address": d.address, "name": adv.local_name or d.name, "rssi": adv.rssi}
                for d, adv in found.values()]
        return sorted(pins, key=lambda p: -p["rssi"])

    async def session(self, address, op):
        """Run op(client) on a connection; on a lost link, reconnect and run it again (op
        must be safe to repeat). Returns op's result. An address that no pin answers to is
        an error at once; one that answered once is tried again RETRIES times."""
        from bleak.exc import BleakDeviceNotFoundError, BleakError

        last = None
        for attempt in range(RETRIES):
            client = self.client(address)
            try:
                await client.connect()
            except BleakDeviceNotFoundError:
                raise PinError("no pin at %s: is it in range and awake? `cloudpin companion "
                               "scan` lists the pins nearby" % address) from None
            except BleakError as exc:
                if "pairing" in str(exc) or "authentication" in str(exc) or "refused" in str(exc):
                    raise PinError(_explain(exc)) from None
                last = exc
                if attempt + 1 < RETRIES:
                    self.log("could not connect to %s (%s); trying again" % (address, exc))
                    await asyncio.sleep(RETRY_DELAY_S * (attempt + 1))
                continue
            except Exception as exc:  # no adapter, no BlueZ, no permission
                raise PinError(no_bluetooth(exc)) from None
            try:
                return await op(client)
            except BleakError as exc:
                last = exc
                if "pairing" in str(exc) or "authentication" in str(exc):
                    raise PinError(_explain(exc)) from None
                if attempt + 1 < RETRIES:
                    self.reconnects += 1
                    self.log("link to %s lost (%s); reconnecting" % (address, exc))
                    await asyncio.sleep(RETRY_DELAY_S * (attempt + 1))
            finally:
                try:
                    await client.disconnect()
                except Exception:  # noqa: BLE001 - the link may be gone already
                    pass
        raise PinError("gave up on %s after %d attempts: %s" % (address, RETRIES, last))


def no_bluetooth(exc):
    """What to say when bleak cannot reach a Bluetooth adapter at all."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return ("cannot use Bluetooth on this computer (%s: %s): check that it has an adapter, "
            "that it is switched on and, on Linux, that BlueZ (bluetoothd) and the system "
            "D-Bus run; to try the companion without a pin or adapter, add --sim"
            % (type(exc).__name__, text))


def _explain(exc):
    text = str(exc)
    if "authentication" in text:
        return "the pin needs pairing first: cloudpin companion pair ADDRESS (%s)" % text
    if "wrong passkey" in text:
        return "wrong passkey: nothing was changed; pair again with the number on the pin"
    return text


async def _checked_write(client, uuid, data):
    """Write with response, then read the pin's verdict on it."""
    companion, _ = _firmware()
    await client.write_gatt_char(uuid, data, response=True)
    verdict = bytes(await client.read_gatt_char(companion.RESULT_UUID)).decode("utf-8", "replace")
    if verdict != "ok":
        raise PinError("the pin refused it: %s" % verdict)


async def pair(link, address):
    async def op(client):
        await client.pair()
        companion, _ = _firmware()
        return json.loads(bytes(await client.read_gatt_char(companion.STATS_UUID)))

    from bleak.exc import BleakDeviceNotFoundError, BleakError

    try:
        async with link.client(address) as client:
            stats = await op(client)
    except BleakDeviceNotFoundError:
        raise PinError("no pin at %s: is it in range and in pairing mode? `cloudpin companion "
                       "scan` lists the pins nearby" % address) from None
    except BleakError as exc:
        raise PinError(_explain(exc)) from None
    except PinError:
        raise
    except Exception as exc:
        raise PinError(no_bluetooth(exc)) from None
    return {"paired": True, "address": address, "stats": stats}


async def profile_set(link, address, fields):
    companion, profile = _firmware()
    try:
        clean = profile.validate(fields)
    except profile.ProfileError as exc:
        raise PinError("profile: %s" % exc) from None
    data = json.dumps(clean, ensure_ascii=False).encode("utf-8")

    async def op(client):
        await _checked_write(client, companion.PROFILE_UUID, data)
        return json.loads(bytes(await client.read_gatt_char(companion.PROFILE_UUID)))

    stored = await link.session(address, op)
    if stored != clean:
        raise PinError("the pin stored %r, not %r" % (stored, clean))
    return {"profile": stored}


async def profile_get(link, address):
    companion, _ = _firmware()

    async def op(client):
        return json.loads(bytes(await client.read_gatt_char(companion.PROFILE_UUID)))

    return {"profile": await link.session(address, op)}


async def time_sync(link, address, now=None):
    companion, _ = _firmware()
    epoch = int(time.time() if now is None else now)
    tz_min = -(time.altzone if time.daylight and time.localtime(epoch).tm_isdst
               else time.timezone) // 60
    data = epoch.to_bytes(4, "little") + int(tz_min).to_bytes(2, "little", signed=True)

    async def op(client):
        await _checked_write(client, companion.TIME_UUID, data)
        return json.loads(bytes(await client.read_gatt_char(companion.STATS_UUID)))

    stats = await link.session(address, op)
    return {"time": epoch, "utc_offset_min": tz_min, "pin_time": stats.get("time")}


async def stats(link, address):
    companion, _ = _firmware()

    async def op(client):
        return json.loads(bytes(await client.read_gatt_char(companion.STATS_UUID)))

    return {"stats": await link.session(address, op)}


def design_names():
    """The 33 sport designs' names, in the pin's order (cloudpin.designs.NAMES, less the
    last, "locked", which is what a pin shows before anything is unlocked, not a choice)."""
    _firmware()
    from cloudpin import designs

    return list(designs.NAMES[:designs.LOCKED])


def parse_design(text):
    """A design's number from its number (0..32) or its sport's name (any case)."""
    names = design_names()
    text = str(text).strip()
    if text.isdigit():
        number = int(text)
        if number < len(names):
            return number
        raise UsageError("design %s does not exist: the designs are 0..%d (`cloudpin companion "
                         "design list` names them)" % (text, len(names) - 1))
    for i, name in enumerate(names):
        if name.lower() == text.lower():
            return i
    raise UsageError("no design called %r (`cloudpin companion design list` names them)" % text)


async def design_set(link, address, design):
    companion, _ = _firmware()
    count = len(design_names())
    if not 0 <= design < count:
        raise PinError("design must be 0..%d (%d is the locked picture, not a choice)"
                       % (count - 1, count))

    async def op(client):
        await _checked_write(client, companion.DESIGN_UUID, bytes((design,)))
        return bytes(await client.read_gatt_char(companion.DESIGN_UUID))[0]

    chosen = await link.session(address, op)
    return {"design": chosen, "sport": design_names()[chosen]}


async def design_list(link, address=None):
    """Every design with its sport; with an address, which the pin has unlocked and shows."""
    names = design_names()
    unlocked = current = None
    if address is not None:
        pin_stats = (await stats(link, address))["stats"]
        unlocked = pin_stats.get("unlocked")
        current = pin_stats.get("design")
    rows = []
    for i, name in enumerate(names):
        row = {"design": i, "sport": name}
        if address is not None:
            row["unlocked"] = None if unlocked is None else i in unlocked
            row["current"] = i == current
        rows.append(row)
    return {"designs": rows}


async def friends(link, address):
    """Every friend, in chunks; a lost link resumes at the next friend, not from the start."""
    companion, _ = _firmware()
    got = []
    state = {"total": None}

    async def op(client):
        while state["total"] is None or len(got) < state["total"]:
            start = len(got)
            await _checked_write(client, companion.FRIENDS_UUID, start.to_bytes(2, "little"))
            chunk = json.loads(bytes(await client.read_gatt_char(companion.FRIENDS_UUID)))
            if chunk["start"] != start:
                raise PinError("the pin answered from friend %d, asked %d" % (chunk["start"], start))
            state["total"] = chunk["total"]
            if not chunk["friends"] and len(got) < state["total"]:
                raise PinError("the pin sent an empty chunk at friend %d of %d"
                               % (start, state["total"]))
            got.extend(chunk["friends"])
        return got

    await link.session(address, op)
    return {"total": len(got), "friends": got, "reconnects": link.reconnects}


# -- exports -------------------------------------------------------------------------------

def _vcard_escape(text):
    return (str(text).replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
            .replace("\n", "\\n"))


# Words that begin a family name ("Mateus Le Guen", "Ludwig van Beethoven", "Ana dos Santos"):
# the family name is from the first of them that is not the first word, else the last word.
_PARTICLES = frozenset(("al", "bin", "bint", "da", "das", "de", "del", "della", "der", "di",
                        "do", "dos", "du", "el", "la", "le", "st", "st.", "ter", "ten",
                        "van", "von", "y", "zu", "mac", "ibn", "ben", "af", "av"))


def split_name(name):
    """(family, given) of a full name written given name first."""
    words = name.split()
    if len(words) < 2:
        return name.strip(), ""
    cut = len(words) - 1
    for i in range(1, len(words) - 1):
        if words[i].lower() in _PARTICLES:
            cut = i
            break
    return " ".join(words[cut:]), " ".join(words[:cut])


def to_vcard(friend_list):
    out = []
    for f in friend_list:
        name = f.get("name", "")
        family, given = split_name(name)
        out += ["BEGIN:VCARD", "VERSION:3.0",
                "N:%s;%s;;;" % (_vcard_escape(family), _vcard_escape(given)),
                "FN:%s" % _vcard_escape(name)]
        if f.get("org"):
            out.append("ORG:%s" % _vcard_escape(f["org"]))
        if f.get("role"):
            out.append("TITLE:%s" % _vcard_escape(f["role"]))
        if f.get("link"):
            out.append("URL:%s" % _vcard_escape(f["link"]))
        for handle in f.get("handles") or ():
            # vCard 3.0 has no field for a social handle; X-SOCIALPROFILE is what the
            # address books that read one (Apple's, Google's import) use.
            out.append("X-SOCIALPROFILE:%s" % _vcard_escape(handle))
        if f.get("met"):
            out.append("NOTE:%s" % _vcard_escape("Met with Cloud Pin on %s" % time.strftime(
                "%Y-%m-%d %H:%M UTC", time.gmtime(int(f["met"])))))
        out.append("END:VCARD")
    return "\r\n".join(out) + ("\r\n" if out else "")


def to_csv(friend_list):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["name", "org", "role", "link", "handles", "met_utc"])
    for f in friend_list:
        met = (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(f["met"])))
               if f.get("met") else "")
        writer.writerow([f.get("name", ""), f.get("org", ""), f.get("role", ""),
                         f.get("link", ""), " ".join(f.get("handles") or ()), met])
    return buf.getvalue()


def write_atomically(path, text):
    tmp = "%s.tmp-%d" % (path, os.getpid())
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise PinError("cannot write %s: %s" % (path, exc.strerror)) from None


# -- command line --------------------------------------------------------------------------

def _add_shared(parser, default):
    """The companion's own options, taken before or after the action (`companion --sim scan`
    and `companion scan --sim` alike)."""
    d = (lambda value: value) if default else (lambda value: argparse.SUPPRESS)
    parser.add_argument("--sim", action="store_true", default=d(False),
                        help="talk to simulated pins (host_sim) through bleak's backend hook")
    parser.add_argument("--sim-dir", default=d(SIM_DIR), metavar="DIR",
                        help="where the simulated pins keep their files and bonds "
                             "(default %s)" % SIM_DIR)
    parser.add_argument("--sim-pins", type=int, default=d(3), metavar="N",
                        help="how many simulated pins are in range with --sim (1-16, default 3)")
    parser.add_argument("--passkey", default=d(None),
                        help="the 6 digits the pin shows (with --sim; 'panel' reads them off "
                             "the simulated pin's panel)")
    parser.add_argument("--json", action="store_true", default=d(False),
                        help="print one JSON object on stdout")


SIM_DIR = os.path.join(os.path.expanduser("~"), ".cache", "cloudpin-sim")


def add_arguments(parser):
    _add_shared(parser, True)
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name, help_text):
        p = sub.add_parser(name, help=help_text, description=help_text)
        _add_shared(p, False)
        p.set_defaults(_parser=p)  # errors name `cloudpin companion ACTION`
        return p

    p = action("scan", "pins nearby in pairing mode, with RSSI")
    p.add_argument("--timeout", type=float, default=5.0, metavar="S",
                   help="seconds to listen (default 5)")
    p = action("pair", "pair with a pin (it shows a 6-digit passkey)")
    p.add_argument("address", help="the pin's Bluetooth address (from scan)")
    p = action("profile", "read or set the wearer's profile")
    p.add_argument("op", choices=("get", "set"), help="get: read it; set: write the fields")
    p.add_argument("address", help="the pin's Bluetooth address (from scan)")
    p.add_argument("--profile", dest="profile_file", metavar="FILE",
                   help="JSON file with the fields")
    p.add_argument("--name", help="the wearer's name, as the tag shows it")
    p.add_argument("--org", help="organisation (on the tag and the contact card)")
    p.add_argument("--role", help="role or job title")
    p.add_argument("--link", help="a link for the tag's QR code and the card")
    p.add_argument("--handle", dest="handles", action="append", metavar="HANDLE",
                   help="a social handle for the contact card ('@ada', 'linkedin.com/in/ada'); "
                        "repeatable, up to 4")
    p = action("time", "set the pin's clock from this computer's")
    p.add_argument("op", choices=("sync",), help="sync: set it now")
    p.add_argument("address", help="the pin's Bluetooth address (from scan)")
    p = action("friends", "list friends, export to vCard and CSV")
    p.add_argument("address", help="the pin's Bluetooth address (from scan)")
    p.add_argument("--vcard", metavar="FILE", help="write a .vcf file")
    p.add_argument("--csv", metavar="FILE", help="write a .csv file")
    p = action("stats", "steps, friends, battery")
    p.add_argument("address", help="the pin's Bluetooth address (from scan)")
    p = action("design", "list the sport designs, or choose the one the tag shows")
    p.add_argument("op", choices=("list", "set"),
                   help="list: the designs by sport (with ADDRESS: which the pin unlocked); "
                        "set: show DESIGN")
    p.add_argument("address", nargs="?", help="the pin's Bluetooth address (from scan)")
    p.add_argument("design", nargs="?", help="with set: the design's number (0-32) or sport")


def _profile_fields(args):
    fields = {}
    if args.profile_file:
        try:
            with open(args.profile_file, "rb") as f:
                fields = json.loads(f.read().decode("utf-8"))
        except OSError as exc:
            raise PinError("profile %s: %s" % (args.profile_file, exc.strerror)) from None
        except UnicodeDecodeError:
            raise PinError("profile %s is not UTF-8 text" % args.profile_file) from None
        except ValueError as exc:
            raise PinError("profile %s is not valid JSON: %s" % (args.profile_file, exc)) from None
    for field in ("name", "org", "role", "link", "handles"):
        value = getattr(args, field)
        if value is not None:
            fields[field] = value
    return fields


async def _dispatch(args, link):
    if args.action == "scan":
        return {"pins": await link.scan(args.timeout)}
    if args.action == "pair":
        return await pair(link, args.address)
    if args.action == "profile":
        if args.op == "get":
            return await profile_get(link, args.address)
        return await profile_set(link, args.address, _profile_fields(args))
    if args.action == "time":
        return await time_sync(link, args.address)
    if args.action == "stats":
        return await stats(link, args.address)
    if args.action == "design":
        if args.op == "list":
            return await design_list(link, args.address)
        if args.address is None or args.design is None:
            raise UsageError("design set needs ADDRESS and DESIGN (a number 0-32 or a sport)")
        return await design_set(link, args.address, parse_design(args.design))
    result = await friends(link, args.address)
    if args.vcard:
        write_atomically(args.vcard, to_vcard(result["friends"]))
        result["vcard"] = args.vcard
    if args.csv:
        write_atomically(args.csv, to_csv(result["friends"]))
        result["csv"] = args.csv
    return result


def _print_human(args, result):
    if args.action == "scan":
        for p in result["pins"]:
            print("%-18s %-10s %4d dBm" % (p["address"], p["name"] or "?", p["rssi"]))
        if not result["pins"]:
            print("no pins in pairing mode nearby")
    elif args.action == "friends":
        for f in result["friends"]:
            print("%-28s %-20s %s" % (f.get("name", ""), f.get("org", ""), f.get("role", "")))
        print("%d friends%s" % (result["total"], "".join(
            ", written to %s" % result[k] for k in ("vcard", "csv") if k in result)))
    elif args.action == "design" and args.op == "list":
        for row in result["designs"]:
            mark = ""
            if "unlocked" in row:
                mark = ("  (showing)" if row["current"] else
                        "  unlocked" if row["unlocked"] else "")
            print("%2d  %s%s" % (row["design"], row["sport"], mark))
    elif args.action == "design":
        print("the pin shows design %d (%s)" % (result["design"], result["sport"]))
    else:
        print_figures(result)


def run(args):
    if not 1 <= args.sim_pins <= 16:
        raise UsageError("--sim-pins must be 1 to 16")
    if args.action in ("pair", "profile", "time", "friends", "stats") and not args.address:
        raise UsageError("%s needs the pin's ADDRESS (`cloudpin companion scan`)" % args.action)
    world = None
    if args.sim:
        from host_sim.pins.companion import CompanionWorld

        world = CompanionWorld.demo(args.sim_dir, pins=args.sim_pins, passkey_seed=None)
    passkey = None
    if args.passkey == "panel" and args.sim:
        passkey = "panel"
    elif args.passkey is not None:
        if not (args.passkey.isdigit() and len(args.passkey) == 6):
            raise UsageError("--passkey is the 6 digits the pin shows")
        passkey = int(args.passkey)
    link = Link(world, passkey)
    try:
        result = asyncio.run(_dispatch(args, link))
    except PinError as exc:
        return fail("cloudpin companion", exc, args.json)
    if args.json:
        print_result(result, True)
    else:
        _print_human(args, result)
    return 0
