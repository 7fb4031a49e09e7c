"""`cloudpin hil`: hardware-in-loop scripts on a pin, through mpremote.

    cloudpin hil --port /dev/ttyUSB0           # a real pin (deployed with cloudpin deploy)
    cloudpin hil --unix --board lilygo-t5-v23-213
        # the MicroPython unix port on a pseudo-terminal (host_sim.unixport.pty_pin), fakes for
        # hardware; the firmware is deployed to it first with the same deploy code
    cloudpin hil ... --script buttons --script heap --json

Each script in tools/device/hil_scripts/ runs on the pin after _prelude.py, in a fresh soft reset,
and ends with PASS, FAIL or WAIT (it needs a module another branch has not delivered: not a
pass). One line per script; exit 1 if any failed (or waited, unless --allow-waiting). The first
failure stops the run, with what to check (--keep-going runs the rest); a pin that does not
answer on its port within --connect-timeout stops it at once.
The BLE script's advert is then looked for from the host with bleak (name and RSSI): over
the real radio for a real pin; for the unix pin its fake BLE writes adverts to an "air"
folder that a bleak scanner backend (host_sim.bleak_backends.unixport) reads, with a fixed desk RSSI.
"""

import asyncio
import json
import os
import sys
import tempfile

from tools.bench.report import UsageError, fail, print_result
from tools.device import deploy, pinlink, ports
from tools.device.pinlink import PinError

SCRIPTS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hil_scripts")
# Order: cheap checks first; buttons (a person may need to press) after the automatic ones.
ORDER = ("config", "heap", "accel", "panel", "ble", "buttons")


def available_scripts():
    names = [n[:-3] for n in os.listdir(SCRIPTS_DIR)
             if n.endswith(".py") and not n.startswith("_")]
    return [n for n in ORDER if n in names] + sorted(n for n in names if n not in ORDER)


def _source(name):
    with open(os.path.join(SCRIPTS_DIR, "_prelude.py"), encoding="utf-8") as f:
        prelude = f.read()
    with open(os.path.join(SCRIPTS_DIR, name + ".py"), encoding="utf-8") as f:
        return prelude + "\n" + f.read()


class Result:
    def __init__(self, name):
        self.name = name
        self.status = "FAIL"
        self.detail = "no verdict"
        self.data = {}
        self.log = []
        self.advertising = None

    def as_dict(self):
        return {"script": self.name, "status": self.status, "detail": self.detail,
                "data": self.data}


def parse_output(name, text):
    """Result from what a script printed: its last verdict line wins."""
    result = Result(name)
    verdicts = 0
    for line in text.splitlines():
        line = line.rstrip("\r")
        if line.startswith("HIL DATA "):
            try:
                result.data.update(json.loads(line[9:]))
            except ValueError:
                result.log.append(line)
        elif line.startswith("HIL ADVERTISING "):
            result.advertising = line[16:].strip()
        elif line[:9] in ("HIL PASS ", "HIL FAIL ", "HIL WAIT ") or line in (
                "HIL PASS", "HIL FAIL", "HIL WAIT"):
            verdicts += 1
            result.status = line[4:8]
            result.detail = line[9:].strip()
        else:
            result.log.append(line)
    if verdicts > 1 and result.status == "PASS":
        # A script that said FAIL and later PASS is a bug in the script, not a pass.
        result.status = "FAIL"
        result.detail = "script gave %d verdicts" % verdicts
    return result


# What to look at when a script fails, for a person at the bench.
CHECK = {
    "config": "the board and profile files: deploy again (cloudpin deploy -p PORT --board ID)",
    "heap": "what else the firmware or boot.py allocates; the MicroPython image's heap",
    "accel": "the LIS3DH's wiring in the board definition (I2C SDA/SCL, address 0x18/0x19, "
             "INT1) and its power",
    "panel": "the panel's ribbon and the board definition's SPI, CS, DC, RST and BUSY pins",
    "ble": "Bluetooth on this computer (bleak: an adapter, BlueZ running) and the pin's radio",
    "buttons": "the button pins and their pull-ups in the board definition (press when asked)",
}


class Unreachable(PinError):
    """The pin does not answer at all: no later script can do better."""


def run_script(port, name, echo=None, air_dir=None, connect_timeout=pinlink.CONNECT_TIMEOUT_S,
               log=None):
    """Run one script in a fresh soft reset of the pin; return its Result. Unreachable if
    nothing answers on the port."""
    chunks = []

    def consume(data):
        chunks.append(data)
        if echo is not None and data == b"\n":
            line = b"".join(chunks).decode(errors="replace").rsplit("\n", 2)[-2]
            if not line.startswith("HIL "):
                echo("  %s: %s" % (name, line.rstrip()))

    try:
        pin = pinlink.Pin(port, connect_timeout, log=log)
    except PinError as exc:
        raise Unreachable(str(exc)) from None
    try:
        with pin:
            pin.exec(_source(name), stream=consume)
    except PinError as exc:
        result = parse_output(name, b"".join(chunks).decode(errors="replace"))
        result.status = "FAIL"
        last = str(exc).strip().splitlines()[-1]
        result.detail = "raised on the pin: %s" % last
        return result
    result = parse_output(name, b"".join(chunks).decode(errors="replace"))
    if result.status == "PASS" and result.advertising:
        backend = None
        if air_dir is not None:
            from host_sim.bleak_backends import unixport as bleak_air

            bleak_air.use(air_dir)
            backend = bleak_air.AirScanner
        check_advert_from_host(result, backend=backend)
    return result


async def _scan_for(name, seconds, backend=None):
    from bleak import BleakScanner

    found = {}

    def seen(device, adv):
        if adv.local_name == name or device.name == name:
            found["rssi"] = adv.rssi
            found["address"] = device.address

    kwargs = {"backend": backend} if backend is not None else {}
    async with BleakScanner(detection_callback=seen, **kwargs):
        for _ in range(int(seconds * 10)):
            if found:
                break
            await asyncio.sleep(0.1)
    return found


def check_advert_from_host(result, seconds=8.0, backend=None):
    """The host's half of the BLE script: see the pin's advert with bleak, with an RSSI.
    backend: a bleak scanner backend (the unix pin's air), None for the real radio."""
    try:
        found = asyncio.run(_scan_for(result.advertising, seconds, backend))
    except Exception as exc:  # no adapter, no permission, no BlueZ: say which
        result.status = "FAIL"
        result.detail = "the host could not scan with bleak: %s" % (exc or type(exc).__name__)
        return
    if not found:
        result.status = "FAIL"
        result.detail = "the host did not see %s within %.0f s" % (result.advertising, seconds)
        return
    result.data.update({"ble_rssi": found["rssi"], "ble_address": found["address"]})
    result.detail = "host saw %s at %s, RSSI %d dBm" % (result.advertising, found["address"],
                                                         found["rssi"])


def run_all(port, names, echo=None, air_dir=None, keep_going=True,
            connect_timeout=pinlink.CONNECT_TIMEOUT_S, log=None):
    """Run the scripts in order. A pin that does not answer stops the run (Unreachable); a
    failed script stops it too unless keep_going (a broken panel is worth fixing before
    the rest is judged)."""
    results = []
    for i, name in enumerate(names):
        if echo is not None:
            echo("running %s ..." % name)
        result = run_script(port, name, echo=echo, air_dir=air_dir,
                            connect_timeout=connect_timeout, log=log if i == 0 else None)
        results.append(result)
        if result.status == "FAIL" and not keep_going:
            break
    return results


def add_arguments(parser):
    where = parser.add_mutually_exclusive_group()
    ports.add_port_argument(where, "a real pin (deploy it first)")
    where.add_argument("--unix", action="store_true",
                       help="the MicroPython unix port on a pty, fakes for hardware")
    parser.add_argument("--connect-timeout", type=float, default=pinlink.CONNECT_TIMEOUT_S,
                        metavar="S", help="seconds to wait for the pin's MicroPython to answer "
                                          "(default %g)" % pinlink.CONNECT_TIMEOUT_S)
    parser.add_argument("--keep-going", action="store_true",
                        help="run every script even after one fails (default: stop at the "
                             "first failure, with what to check)")
    parser.add_argument("--board", default="devkit-breakout",
                        help="with --unix: the board definition deployed to the unix pin")
    parser.add_argument("--script", action="append", choices=available_scripts(),
                        help="run only this script (repeatable); default: all")
    parser.add_argument("--allow-waiting", action="store_true",
                        help="scripts waiting on undelivered modules do not fail the run")
    parser.add_argument("-v", "--verbose", action="store_true", help="show the scripts' logs")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")


def _verdict_line(result):
    return "%-4s %-8s %s" % (result.status, result.name, result.detail)


def run(args):
    if not args.connect_timeout > 0:
        raise UsageError("--connect-timeout must be positive")
    names = args.script or available_scripts()
    echo = pinlink.progress if args.verbose else None
    try:
        if args.unix:
            from host_sim.unixport.pty_pin import UnixPin

            with tempfile.TemporaryDirectory(prefix="cloudpin-unixpin-") as root:
                with UnixPin(root) as unix_pin:
                    pinlink.progress("unix pin on %s; deploying %s" % (unix_pin.port, args.board))
                    board = deploy.load_board(args.board)
                    profile = deploy.load_profile(name="HIL Tester", org="Cloud Pin")
                    deploy.deploy(unix_pin.port, board, profile, allow_unix=True,
                                  log=echo or (lambda m: None))
                    results = run_all(unix_pin.port, names, echo, air_dir=unix_pin.air_dir,
                                      keep_going=args.keep_going)
            port = "unix"
        else:
            port = ports.resolve(args.port)
            results = run_all(port, names, echo, keep_going=args.keep_going,
                              connect_timeout=args.connect_timeout, log=pinlink.progress)
    except PinError as exc:
        return fail("cloudpin hil", exc, args.json)
    bad = [r for r in results
           if r.status == "FAIL" or (r.status == "WAIT" and not args.allow_waiting)]
    out = sys.stderr if args.json else sys.stdout
    for result in results:
        print(_verdict_line(result), file=out)
        if result.status == "FAIL" and result.name in CHECK:
            print("     check: %s" % CHECK[result.name], file=out)
    skipped = names[len(results):]
    counts = {s: sum(1 for r in results if r.status == s) for s in ("PASS", "FAIL", "WAIT")}
    print("%d passed, %d failed, %d waiting on undelivered modules%s"
          % (counts["PASS"], counts["FAIL"], counts["WAIT"],
             "; stopped at the first failure, not run: %s (--keep-going runs them)"
             % ", ".join(skipped) if skipped else ""), file=out)
    figures = {"port": port, "passed": counts["PASS"], "failed": counts["FAIL"],
               "waiting": counts["WAIT"], "not_run": skipped,
               "results": [r.as_dict() for r in results]}
    if bad:
        first = next(r for r in bad)
        error = "%s: %s %s" % (first.name, first.status, first.detail)
        if first.status == "FAIL" and first.name in CHECK:
            error += "; check %s" % CHECK[first.name]
        figures["error"] = error
    if args.json:
        print_result(figures, True, ok=not bad)
    return 1 if bad else 0
