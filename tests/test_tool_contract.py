"""Every `cloudpin` command keeps one output contract (tools/bench/report.py): with --json one
JSON object with "ok" (and "error" on failure) on stdout; progress and errors on stderr; exit
0 done, 1 failed, 2 bad usage. And the rough edges a new user met (issue 24)."""

import io
import json
import os
import re
import subprocess
import sys

import pytest

from host_sim.paths import REPO_ROOT
from tools import cli
from tools.bench import report

CLOUDPIN = os.path.join(os.path.dirname(sys.executable), "cloudpin")


def cloudpin(*args, env=None, timeout=300):
    return subprocess.run([CLOUDPIN, *args], capture_output=True, text=True, cwd=REPO_ROOT,
                          timeout=timeout, env=env)


def one_json(proc):
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1, proc.stdout
    return json.loads(lines[0])


# -- bad usage: exit 2, a clear line, and the envelope with --json ----------------------------

BAD_USAGE = [
    (("sim", "--pins", "0"), "pins must be a whole number"),
    (("bench", "tap", "--trials", "0"), "--trials must be at least 1"),
    (("bench", "tap", "--trials", "many"), "invalid int value"),
    (("bench", "day", "--pins", "1"), "--pins must be 2 to 200"),
    (("bench", "steps", "--seeds", "0"), "--seeds must be at least 1"),
    (("bench", "steps", "--rates", "banana"), "'banana' is not a rate"),
    (("bench", "steps", "--rates", "200"), "outside 12.5-100"),
    (("bench", "handheld", "--seeds", "0"), "--seeds must be at least 1"),
    (("bench", "heap", "--heapsize", "banana"), "'banana' is not a size"),
    (("bench", "heap", "--heapsize", "8K"), "too small"),
    (("bench", "render", "--heap", "lots"), "'lots' is not a size"),
    (("bench", "bystanders", "--hours", "0"), "--hours must be positive"),
    (("companion", "--sim", "--passkey", "12", "pair", "24:0A:C4:00:00:01"), "6 digits"),
    (("companion", "--sim", "design", "set"), "needs ADDRESS and DESIGN"),
    (("companion", "--sim", "design", "set", "24:0A:C4:00:00:01", "33"), "0..32"),
    (("companion", "--sim", "design", "set", "24:0A:C4:00:00:01", "chess"), "no design called"),
    (("deploy", "--board", "devkit-breakout", "--connect-timeout", "0"), "must be positive"),
    (("hil", "--connect-timeout", "-1"), "must be positive"),
    (("flash", "--baud", "300"), "--baud must be at least 9600"),
]


@pytest.mark.parametrize("args, message", BAD_USAGE, ids=[" ".join(a) for a, _ in BAD_USAGE])
def test_bad_usage_exits_2_with_a_message_and_the_json_envelope(args, message):
    proc = cloudpin(*args, "--json")
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert message in proc.stderr and "Traceback" not in proc.stderr
    out = one_json(proc)
    assert out["ok"] is False and message in out["error"]


def test_a_misplaced_flag_is_named_against_its_subcommand():
    for args, prog in ((("sim", "--bogus"), "cloudpin sim"),
                       (("bench", "tap", "--heapsize", "1M"), "cloudpin bench tap"),
                       (("companion", "--sim", "stats", "AA", "--vcard", "x"),
                        "cloudpin companion stats")):
        proc = cloudpin(*args)
        assert proc.returncode == 2
        assert "%s: error: unrecognized arguments" % prog in proc.stderr, proc.stderr


def test_every_option_has_help_text():
    missing = []

    def walk(parser, path):
        for action in parser._actions:
            if action.help is None and action.dest not in ("help",) and action.option_strings:
                missing.append("%s %s" % (path, "/".join(action.option_strings)))
            if action.help is None and not action.option_strings and not hasattr(action,
                                                                                  "choices"):
                missing.append("%s %s" % (path, action.dest))
            choices = getattr(action, "choices", None)
            if isinstance(choices, dict):
                for name, sub in choices.items():
                    walk(sub, path + " " + name)

    walk(cli.build_parser(), "cloudpin")
    assert missing == []


def test_version():
    proc = cloudpin("--version")
    assert proc.returncode == 0
    with open(os.path.join(REPO_ROOT, "pyproject.toml"), encoding="utf-8") as f:
        want = re.search(r'^version = "([^"]+)"', f.read(), re.M).group(1)
    assert proc.stdout.strip() == "cloudpin " + want


def test_shell_completion_completes_subcommands_and_flags(tmp_path):
    # argcomplete's protocol, as bash's `complete -F` (register-python-argcomplete) runs it:
    # the line in COMP_LINE, the candidates written to _ARGCOMPLETE_STDOUT_FILENAME.
    out = tmp_path / "candidates"

    def ask(line):
        env = dict(os.environ, _ARGCOMPLETE="1", _ARGCOMPLETE_IFS="\n", COMP_LINE=line,
                   COMP_POINT=str(len(line)), _ARGCOMPLETE_STDOUT_FILENAME=str(out))
        subprocess.run([CLOUDPIN], env=env, cwd=REPO_ROOT, capture_output=True, timeout=120,
                       stdin=subprocess.DEVNULL)
        return set(out.read_text(encoding="utf-8").split())

    assert {"sim", "bench", "ports", "companion"} <= ask("cloudpin ")
    assert {"bystanders", "tap"} <= ask("cloudpin bench ")
    assert "--trials" in ask("cloudpin bench tap --tr")


def test_dev_help_exits_0_and_shows_no_code():
    proc = subprocess.run([os.path.join(REPO_ROOT, "dev"), "--help"], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0
    assert "./dev test" in proc.stdout and "set -euo" not in proc.stdout + proc.stderr
    proc = subprocess.run([os.path.join(REPO_ROOT, "dev"), "nonsense"], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 2 and "unknown command 'nonsense'" in proc.stderr


# -- failures of the task: exit 1 and the envelope -------------------------------------------

def test_unix_port_out_of_memory_is_explained_not_a_traceback():
    for args, flag in ((("bench", "heap", "--heapsize", "64K"), "--heapsize"),
                       (("bench", "render", "--heap", "64K"), "--heap")):
        proc = cloudpin(*args, "--json")
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr
        out = one_json(proc)
        assert out["ok"] is False and "ran out of memory in a 64K heap" in out["error"]
        assert flag in out["error"]


def test_render_to_a_place_it_cannot_write(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    proc = cloudpin("render", "--out", str(blocker / "sub"), "--json")
    assert proc.returncode == 1
    out = one_json(proc)
    assert out["ok"] is False and "cannot write" in out["error"]


# -- success: ok, figures, checks, progress on stderr also with --json --------------------------

def test_a_bench_run_keeps_the_contract_with_json():
    proc = cloudpin("bench", "steps", "--seeds", "1", "--walk-minutes", "0.5",
                    "--other-minutes", "0.5", "--rates", "25", "--no-cost", "--json")
    assert proc.returncode == 0, proc.stderr
    out = one_json(proc)
    assert out["ok"] is True and out["walking"]["true"] > 0
    assert {c["figure"] for c in out["checks"]} >= {"false steps when not walking"}
    assert all(set(c) == {"figure", "value", "target", "met"} for c in out["checks"])
    # progress with the phase's name and the share done, on stderr although --json
    assert "[1/1 count the set]" in proc.stderr and "% in all" in proc.stderr


def test_bench_tables_put_each_figure_beside_its_target_with_a_mark():
    proc = cloudpin("bench", "tap", "--trials", "2", "--passers", "1", "--bystander-hours",
                    "0.1", "--rssi-only", "--quiet")
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert "{'" not in text and "': " not in text  # no Python dict reprs
    rows = [ln for ln in text.splitlines() if ln.rstrip().endswith(("pass", "SHORT"))]
    assert len(rows) >= 5
    assert any("tap latency, median" in r and "<= 1.5 s" in r for r in rows)
    assert proc.stderr == ""  # --quiet


def test_print_result_stays_compatible_and_adds_ok():
    buf = io.StringIO()
    old = sys.stdout
    sys.stdout = buf
    try:
        report.print_result({"a": 1, "nested": {"b": 0.5}}, True)
        report.print_result({"a": 1}, False, lambda r: print("table", r["a"]))
        report.print_result({"figure": 2.0, "nested": {"inner": [1, 2]}}, False)
    finally:
        sys.stdout = old
    lines = buf.getvalue().splitlines()
    assert json.loads(lines[0]) == {"a": 1, "nested": {"b": 0.5}, "ok": True}
    assert lines[1] == "table 1"
    assert "{" not in "\n".join(lines[2:]) and "inner" in lines[-1] and "1, 2" in lines[-1]


def test_checks_mark_pass_and_short():
    assert report.Check("x", 1.2, "<=", 1.5).mark() == "pass"
    assert report.Check("x", 1.6, "<=", 1.5).mark() == "SHORT"
    assert report.Check("x", -2.9, "within", 3).mark() == "pass"
    assert report.Check("x", 0.98, ">=", 0.99).met is False
    assert report.Check("x", None, ">=", 0.99).mark() == "n/a"


def test_progress_names_phases_and_gives_an_eta_from_the_whole_run():
    now = [0.0]
    out = io.StringIO()
    p = report.Progress("cloudpin bench x", [("first", 1), ("second", 3)], stream=out,
                        clock=lambda: now[0])
    update = p.phase("first")
    now[0] = 10.0
    update(1, 1)                       # a quarter of the run in 10 s: 30 s to go
    p.phase("second")
    now[0] = 25.0
    update(1, 2)                       # 62.5 % in 25 s: 15 s to go
    p.done()
    text = out.getvalue()
    assert "[1/2 first]" in text and "[2/2 second]" in text
    assert "25% in all, about 30 s left" in text
    assert "62% in all, about 15 s left" in text
    assert "done in 25 s" in text
    # the share done never restarts at a phase change
    shares = [int(m) for m in re.findall(r"(\d+)% in all", text)]
    assert shares == sorted(shares)


# -- what the README says ------------------------------------------------------------------

def _readme(path="README.md"):
    with open(os.path.join(REPO_ROOT, path), encoding="utf-8") as f:
        return f.read()


def test_boards_readme_battery_pins_match_the_board_files():
    text = _readme(os.path.join("boards", "README.md"))
    rows = re.findall(r"^\| `([a-z0-9-]+)` \|.*\| GPIO (\d+) \|", text, re.M)
    files = sorted(n[:-5] for n in os.listdir(os.path.join(REPO_ROOT, "boards"))
                   if n.endswith(".json"))
    assert sorted(r[0] for r in rows) == files
    for board, gpio in rows:
        with open(os.path.join(REPO_ROOT, "boards", board + ".json"), encoding="utf-8") as f:
            assert json.load(f)["battery"]["adc"] == int(gpio), board
    assert "every board measures the cell through a 1:2 divider on GPIO 35" not in text


def test_the_pairing_screen_names_the_companion_and_fits_every_panel():
    from cloudpin import layouts, writer
    from cloudpin.drivers import epd as epd_drivers

    from host_sim.eink import samples
    from host_sim.fakes.board import sim_board
    from host_sim.fakes.epd import attach_to_board

    assert "phone" not in layouts.PAIRING_HINT and "companion" in layouts.PAIRING_HINT
    for panel, controller, width, height, rotation in samples.PANELS:
        board = sim_board(panel, {"id": panel, "panel": {
            "controller": controller, "width": width, "height": height, "rotation": rotation}})
        attach_to_board(board)
        fb = epd_drivers.from_board(board)
        assert writer.ellipsize(layouts.sans14, layouts.PAIRING_HINT, fb.width - 4) == \
            layouts.PAIRING_HINT, (panel, fb.width)
    # the laptop tool is "the Cloud Pin companion" in its own help
    assert "Cloud Pin companion" in dict((c[0], c[2]) for c in cli.COMMANDS)["companion"]
