"""`cloudpin bench bystanders`: long bystander runs split into chunks across processes (small
runs: this checks the tool, not the figures)."""

import json
import os
import subprocess
import sys

import pytest

from host_sim.paths import REPO_ROOT
from tools.bench.tap import poisson_upper


def _cli(*args):
    exe = os.path.join(os.path.dirname(sys.executable), "cloudpin")
    return subprocess.run([exe, "bench", *args], capture_output=True, text=True,
                          cwd=REPO_ROOT, timeout=600)


def test_the_figure_does_not_depend_on_how_many_processes_run_the_chunks():
    args = ("bystanders", "--hours", "0.1", "--chunk-hours", "0.04", "--seed", "7", "--json")
    one, two = _cli(*args, "--jobs", "1"), _cli(*args, "--jobs", "2")
    assert one.returncode == two.returncode == 0, one.stderr + two.stderr
    a, b = json.loads(one.stdout), json.loads(two.stdout)
    assert (a["jobs"], b["jobs"]) == (1, 2)
    assert a["chunks"] == 3 and a["bystander_hours"] == pytest.approx(0.1)
    for key in ("wall_s", "jobs"):
        del a[key], b[key]
    assert a == b
    assert "3/3 rooms" in one.stderr  # progress, on stderr, also with --json


def test_chunk_zero_is_the_bystander_room_of_bench_tap_with_the_same_seed():
    tap = _cli("tap", "--trials", "1", "--passers", "1", "--bystander-hours", "0.5",
               "--seed", "9", "--json")
    by = _cli("bystanders", "--hours", "0.5", "--chunk-hours", "0.5", "--seed", "9",
              "--json", "--quiet")
    assert tap.returncode == by.returncode == 0, tap.stderr + by.stderr
    assert by.stderr == ""
    t, b = json.loads(tap.stdout), json.loads(by.stdout)
    assert b["bystander_pickups_per_hour"] > 0
    for key in ("bystander_hours", "bystander_pickups_per_hour", "bystander_tap_confirmations",
                "false_friends_bystanders", "radio_duty_cycle", "adverts_per_s_per_pin"):
        assert b[key] == t[key], key


@pytest.mark.parametrize("how", ["ctrl-c", "timeout -s INT"])
def test_ctrl_c_keeps_the_figures_of_the_rooms_that_finished(how):
    # Ctrl-C signals every process of the terminal's group once. `timeout -s INT` signals
    # the command and then its whole group: the command gets SIGINT twice, and the second
    # used to land during the clean-up and throw the finished rooms away ("interrupted
    # before any room finished" after 2 of 5 had).
    import signal
    import threading

    exe = os.path.join(os.path.dirname(sys.executable), "cloudpin")
    proc = subprocess.Popen([exe, "bench", "bystanders", "--hours", "0.4", "--chunk-hours",
                             "0.04", "--seed", "7", "--jobs", "1", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO_ROOT,
                            start_new_session=True)
    err = bytearray()
    first_room = threading.Event()

    def read_stderr():
        while True:
            b = proc.stderr.read(1)
            if not b:
                break
            err.extend(b)
            if b"1/10 rooms" in err:
                first_room.set()

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    try:
        assert first_room.wait(300), bytes(err)
        if how == "timeout -s INT":
            os.kill(proc.pid, signal.SIGINT)
        os.killpg(proc.pid, signal.SIGINT)  # as Ctrl-C: to every process of the group
        out = proc.stdout.read()  # the reader thread owns stderr
        proc.wait(120)
    finally:
        if proc.poll() is None:
            proc.kill()
    reader.join(30)
    assert proc.returncode == 130, bytes(err)
    result = json.loads(out)
    assert result["interrupted"] is True and result["chunks"] == 10
    assert result["ok"] is False and "rooms that finished" in result["error"]
    assert 1 <= result["chunks_done"] < 10
    assert result["bystander_hours"] == pytest.approx(0.04 * result["chunks_done"])
    assert b"interrupted; the figures are for the" in err


@pytest.mark.parametrize("args, message", [
    (("--hours", "0"), "--hours must be positive"),
    (("--chunk-hours", "-1"), "--chunk-hours must be positive"),
    (("--jobs", "0"), "--jobs must be at least 1"),
    (("--handling-per-hour", "-2"), "--handling-per-hour must not be negative"),
    (("--hours", "1e9", "--chunk-hours", "0.001"), "too many chunks"),
])
def test_bad_arguments_get_a_message_and_no_run(args, message):
    proc = _cli("bystanders", *args)
    assert proc.returncode == 2
    assert message in proc.stderr and proc.stdout == ""


def test_poisson_upper_bound_matches_the_textbook_values():
    # one-sided 95 % upper limits on a Poisson mean (Gehrels 1986, table 1)
    for k, upper in ((0, 2.996), (1, 4.744), (2, 6.296), (5, 10.513), (10, 16.962)):
        assert poisson_upper(k) == pytest.approx(upper, abs=0.01)
