"""A pin on a pseudo-terminal: the MicroPython unix port behind a serial-port-like device.

mpremote (and so `cloudpin deploy` and `cloudpin hil`) talks to it exactly as to an ESP32
on /dev/ttyUSB0:

    with UnixPin(root="/tmp/pin", flash_kb=1400) as pin:
        subprocess.run(["mpremote", "connect", pin.port, "ls"])

    python -m host_sim.unixport.pty_pin --root /tmp/pin     # prints the port, serves until Ctrl-C

Why a bridge and not the unix port on the terminal directly: the unix port has a raw REPL
but no soft reset. Ctrl-D on an empty raw-REPL line makes it print "OK" and exit, where an
ESP32 prints "MPY: soft reboot" and starts over. The bridge sits between mpremote's terminal
(pty A) and the interpreter's (pty B); when the interpreter exits it prints the reboot line,
starts a fresh one and, if mpremote was in the raw REPL, puts the new one there too. That is
mpremote's soft reset, so every mpremote command works without `resume`.

Each boot runs host_sim.unixport.pin_world first: the folder `root` becomes the pin's "/" (a flash
of flash_kb, default 2 MB), `bluetooth` is host_sim.radio.bluetooth's fake advertising into air_dir (a
temporary folder, mounted on the pin at /.air, read by host_sim.bleak_backends.unixport), sys.path becomes the ESP32's, and `machine` is host_sim's fakes.
"""

import argparse
import os
import pty
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tty

from host_sim.paths import REPO_ROOT
from host_sim.unixport import mpunix

_BOOT = "import host_sim.unixport.pin_world as w; w.boot(); del w"
_RAW_BANNER = b"raw REPL; CTRL-B to exit\r\n>"


class UnixPin:
    def __init__(self, root, flash_kb=None, heapsize="256K", log=None):
        self.root = os.path.abspath(root)
        self.flash_kb = flash_kb
        self.heapsize = heapsize
        self.boots = 0
        self._log = log
        self._proc = None
        self._stop = threading.Event()
        self._thread = None
        self._raw = False  # was the host last in the raw REPL (Ctrl-A) or friendly (Ctrl-B)?
        self.port = None
        # Where the pin's BLE adverts appear for the host (host_sim.unixport.air, bleak_air).
        self.air_dir = None

    # -- lifecycle --------------------------------------------------------------------------

    def start(self):
        os.makedirs(self.root, exist_ok=True)
        self.air_dir = tempfile.mkdtemp(prefix="cloudpin-air-")
        self._host_master, host_slave = pty.openpty()
        tty.setraw(host_slave)
        # Keep our handle on the host side's slave so the port never "hangs up" between
        # mpremote sessions, as a USB serial port stays present between openings.
        self._host_slave = host_slave
        self.port = os.ttyname(host_slave)
        self._pin_master, pin_slave = pty.openpty()
        tty.setraw(pin_slave)
        self._pin_slave = pin_slave
        self._spawn()
        self._thread = threading.Thread(target=self._pump, name="unixpin", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        self._kill()
        for fd in (self._host_master, self._host_slave, self._pin_master, self._pin_slave):
            try:
                os.close(fd)
            except OSError:
                pass
        if self.air_dir:
            shutil.rmtree(self.air_dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- the interpreter --------------------------------------------------------------------

    def _spawn(self):
        # A reset pin stops advertising: its adverts leave the air.
        for name in os.listdir(self.air_dir):
            try:
                os.remove(os.path.join(self.air_dir, name))
            except OSError:
                pass
        env = dict(os.environ, MICROPYPATH=mpunix.micropython_path(),
                   CLOUDPIN_PIN_ROOT=self.root)
        env["CLOUDPIN_PIN_FLASH_KB"] = str(int(self.flash_kb or 2048))
        env["CLOUDPIN_PIN_AIR"] = self.air_dir
        cmd = [mpunix.find_micropython(), "-X", "heapsize=%s" % self.heapsize, "-i", "-c", _BOOT]
        self._proc = subprocess.Popen(cmd, stdin=self._pin_slave, stdout=self._pin_slave,
                                      stderr=self._pin_slave, cwd=REPO_ROOT, env=env,
                                      close_fds=True)
        self.boots += 1

    def _kill(self):
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()

    def _read_pin(self, timeout):
        r, _, _ = select.select([self._pin_master], [], [], timeout)
        if not r:
            return b""
        try:
            return os.read(self._pin_master, 4096)
        except OSError:
            return b""

    def _soft_reboot(self):
        """The interpreter exited: do what an ESP32's soft reset looks like from outside."""
        # Pass on whatever it printed last ("OK" of the raw REPL's Ctrl-D).
        tail = self._read_pin(0.05)
        while tail:
            os.write(self._host_master, tail)
            tail = self._read_pin(0.05)
        os.write(self._host_master, b"MPY: soft reboot\r\n")
        self._spawn()
        if not self._raw:
            return
        # Put the new interpreter in the raw REPL and swallow its friendly banner, so the
        # host sees only what a pin prints after a soft reset in the raw REPL.
        os.write(self._pin_master, b"\r\x01")
        seen = b""
        deadline = time.monotonic() + 10
        while not seen.endswith(_RAW_BANNER) and time.monotonic() < deadline:
            seen += self._read_pin(0.1)
            if self._proc.poll() is not None:
                break
        os.write(self._host_master, b"\r\n" + _RAW_BANNER)

    def _pump(self):
        while not self._stop.is_set():
            if self._proc.poll() is not None:
                if self._log:
                    self._log("unixpin: interpreter exited (%s); soft reboot" % self._proc.returncode)
                self._soft_reboot()
                continue
            r, _, _ = select.select([self._host_master, self._pin_master], [], [], 0.05)
            if self._host_master in r:
                try:
                    data = os.read(self._host_master, 4096)
                except OSError:
                    data = b""
                if data:
                    self._track(data)
                    os.write(self._pin_master, data)
            if self._pin_master in r:
                data = self._read_pin(0)
                if data:
                    os.write(self._host_master, data)

    def _track(self, data):
        # Only the last mode switch in the chunk counts: Ctrl-A raw, Ctrl-B friendly.
        a = data.rfind(b"\x01")
        b = data.rfind(b"\x02")
        if a > b:
            self._raw = True
        elif b > a:
            self._raw = False


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m host_sim.unixport.pty_pin",
                                     description="serve a unix-port pin on a pseudo-terminal")
    parser.add_argument("--root", required=True, help="folder that is the pin's flash")
    parser.add_argument("--flash-kb", type=int, default=2048, help="flash size (default 2048)")
    parser.add_argument("--heapsize", default="256K")
    args = parser.parse_args(argv)
    with UnixPin(args.root, args.flash_kb, args.heapsize,
                 log=lambda m: print(m, file=sys.stderr)) as pin:
        print(pin.port, flush=True)
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
