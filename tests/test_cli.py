"""The `cloudpin` command line, run as a user runs it."""

import json
import os
import subprocess
import sys

from host_sim.paths import REPO_ROOT

CLOUDPIN = os.path.join(os.path.dirname(sys.executable), "cloudpin")


def cloudpin(*args):
    return subprocess.run([CLOUDPIN, *args], capture_output=True, text=True, cwd=REPO_ROOT,
                          timeout=300)


def test_sim_json_prints_one_json_object():
    proc = cloudpin("sim", "--json", "--pins", "3", "--hours", "0.15", "--night-hours", "0.75")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["pins"] == 3 and report["scenario"] == "demo"
    assert report["simulated_s"] == (0.15 + 0.75) * 3600 + 600
    assert report["state_survived_reboot"] is True
    assert report["ok"] is True
    # progress goes to stderr, never into the JSON, and names its phases
    assert "[2/3 the day]" in proc.stderr and "virtual, " in proc.stderr


def test_sim_is_deterministic_for_a_seed():
    args = ("sim", "--json", "--quiet", "--pins", "3", "--hours", "0.1", "--seed", "3")
    runs = [json.loads(cloudpin(*args).stdout) for _ in range(2)]
    for run in runs:
        run.pop("wall_s")
    assert runs[0] == runs[1]


def test_bad_arguments_get_clear_errors(tmp_path):
    proc = cloudpin("sim", "--pins", "0")
    assert proc.returncode != 0 and "pins must be a whole number" in proc.stderr
    proc = cloudpin("sim", "--night-hours", "0.1")
    assert proc.returncode != 0 and "night_hours must be a number from 0.75" in proc.stderr
    proc = cloudpin("sim", "--scenario", str(tmp_path / "nope.json"))
    assert proc.returncode != 0 and "cannot read" in proc.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"pins": 2, "colour": "red"}')
    proc = cloudpin("sim", "--scenario", str(bad))
    assert proc.returncode != 0 and "unknown scenario keys: colour" in proc.stderr


def test_help_lists_the_commands():
    proc = cloudpin("--help")
    assert proc.returncode == 0
    assert "sim" in proc.stdout and "bench" in proc.stdout
