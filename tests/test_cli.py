"""The `cloudpin` command line, run as a user runs it."""

import json
import os
import subprocess
import sys

from host_sim.runtime import REPO_ROOT

CLOUDPIN = os.path.join(os.path.dirname(sys.executable), "cloudpin")


def cloudpin(*args):
    return subprocess.run([CLOUDPIN, *args], capture_output=True, text=True, cwd=REPO_ROOT,
                          timeout=300)


def test_sim_json_prints_one_json_object():
    proc = cloudpin("sim", "--json", "--pins", "3", "--duration", "120")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["pins"] == 3 and report["simulated_s"] == 120
    assert [p["heartbeats"] for p in report["per_pin"]] == [120, 120, 120]
    assert "simulated" in proc.stderr  # progress goes to stderr, never into the JSON


def test_sim_is_deterministic_for_a_seed():
    runs = [json.loads(cloudpin("sim", "--json", "--quiet", "--seed", "3").stdout)
            for _ in range(2)]
    for run in runs:
        run.pop("wall_s"), run.pop("speedup")
    assert runs[0] == runs[1]


def test_sim_default_prints_a_human_report():
    proc = cloudpin("sim", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Cloud Pin simulator")


def test_bad_arguments_get_clear_errors(tmp_path):
    proc = cloudpin("sim", "--pins", "0")
    assert proc.returncode != 0 and "pins must be a whole number" in proc.stderr
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
