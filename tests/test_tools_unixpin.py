"""The unix-port pin on a pseudo-terminal behaves like a MicroPython board to real mpremote:
soft reset in the raw REPL, a filesystem rooted at its folder, a flash that fills up."""

import hashlib
import os
import subprocess
import sys

import pytest

from host_sim.unixport.pty_pin import UnixPin

MPREMOTE = os.path.join(os.path.dirname(sys.executable), "mpremote")


def mpremote(port, *args):
    return subprocess.run([MPREMOTE, "connect", port, *args], capture_output=True, text=True,
                          timeout=60)


@pytest.fixture
def pin(tmp_path):
    with UnixPin(str(tmp_path / "flash"), flash_kb=64) as p:
        yield p


def test_soft_reset_starts_a_fresh_interpreter(pin):
    boots = pin.boots
    # Within one mpremote session state survives between commands ...
    out = mpremote(pin.port, "exec", "marker = 1", "+", "exec", "print('marker' in globals())")
    assert out.stdout.strip() == "True", out
    # ... and the next session's soft reset starts from scratch, with the ESP32's sys.path.
    out = mpremote(pin.port, "exec", "import sys; print('marker' in globals(), sys.path)")
    assert out.stdout.strip() == "False ['', '.frozen', '/lib']", out
    assert pin.boots >= boots + 2  # each mpremote session soft-resets once


def test_files_land_in_the_pin_folder_and_hashes_read_back(pin, tmp_path):
    src = tmp_path / "hello.txt"
    src.write_bytes(b"hello pin\n")
    assert mpremote(pin.port, "fs", "cp", str(src), ":/hello.txt").returncode == 0
    with open(os.path.join(pin.root, "hello.txt"), "rb") as f:
        assert f.read() == b"hello pin\n"
    out = mpremote(pin.port, "sha256sum", ":/hello.txt")  # computed on the pin
    assert hashlib.sha256(b"hello pin\n").hexdigest() in out.stdout


def test_a_full_flash_says_enospc(pin):
    out = mpremote(pin.port, "exec",
                   "f = open('/big', 'wb')\nfor i in range(100): f.write(bytes(1024))")
    assert out.returncode != 0 and "OSError: 28" in out.stdout  # errno 28 is ENOSPC
    out = mpremote(pin.port, "exec", "import os; s = os.statvfs('/'); print(s[0] * s[2])")
    assert out.stdout.strip() == str(64 * 1024)


def test_machine_is_the_fakes_with_buttons_released_at_rest(pin, tmp_path):
    board = tmp_path / "board.json"
    board.write_text('{"buttons": {"a": {"pin": 39, "active_low": true}}}')
    assert mpremote(pin.port, "fs", "cp", str(board), ":/board.json").returncode == 0
    out = mpremote(pin.port, "exec", "import machine\n"
                   "p = machine.Pin(39)\nprint(p is machine.Pin(39), type(p).__name__)")
    assert out.stdout.strip() == "True FakePin", out
