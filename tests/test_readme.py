"""The README says what the commands are and what they print; this keeps it true: its command
table against the `cloudpin` parser, and its console examples run and compared, numbers aside
(they differ between machines) and `...` standing for lines left out."""

import os
import re
import shlex
import subprocess
import sys

import pytest

from host_sim.paths import REPO_ROOT
from tools import cli

CLOUDPIN = os.path.join(os.path.dirname(sys.executable), "cloudpin")


def _readme():
    with open(os.path.join(REPO_ROOT, "README.md"), encoding="utf-8") as f:
        return f.read()


def _subparsers(parser):
    for action in parser._actions:
        if isinstance(getattr(action, "choices", None), dict):
            return action.choices
    return {}


def _options(parser):
    return {s for a in parser._actions for s in a.option_strings}


def _table_rows():
    text = _readme()
    section = text[text.index("## The commands"):]
    section = section[:section.index("\n\n", section.index("| --- |"))]
    return re.findall(r"^\| `(cloudpin [^`]+)`(?: / `([^`]+)`)? \|", section, re.M)


def test_the_command_table_matches_the_commands():
    parser = cli.build_parser()
    commands = _subparsers(parser)
    benches = _subparsers(commands["bench"])
    seen = set()
    for cell, extra in _table_rows():
        words = cell.split()
        name = words[1]
        assert name in commands, cell
        sub = commands[name]
        rest = words[2:]
        key = name
        if name == "bench":
            assert rest[0] in benches, cell
            sub, key, rest = benches[rest[0]], "bench " + rest[0], rest[1:]
        elif name == "companion":
            actions = _subparsers(sub)
            listed = {w for w in " ".join(rest).replace("/", " ").split()
                      if w in actions}
            assert listed == set(actions), (listed, set(actions))
            rest = []
        seen.add(key)
        flags = [w.strip("[]") for w in rest + (extra or "").split() if w.strip("[]")
                 .startswith("-")]
        for flag in flags:
            assert flag in _options(sub), (cell, flag)
    wanted = {n for n in commands if n != "bench"} | {"bench " + b for b in benches}
    assert seen == wanted


def _examples():
    text = _readme()
    out = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        current = None
        for line in block.splitlines():
            if line.startswith("$ "):
                current = [line[2:], []]
                out.append(current)
            elif current is not None:
                current[1].append(line)
    return out


def _pattern(line):
    parts = re.split(r"(-?\d+(?:\.\d+)?|\s+)", line)
    regex = ""
    for part in parts:
        if not part:
            continue
        if re.fullmatch(r"-?\d+(?:\.\d+)?", part):
            regex += r"-?\d+(?:\.\d+)?"
        elif part.isspace():
            regex += r"\s+"
        else:
            regex += re.escape(part)
    return re.compile(regex + r"\Z")


def _matches(expected, actual):
    """Lines in order; '...' skips any number of lines."""
    i = 0
    for k, want in enumerate(expected):
        if want == "...":
            following = expected[k + 1] if k + 1 < len(expected) else None
            if following is None:
                return True
            pat = _pattern(following)
            while i < len(actual) and not pat.match(actual[i].rstrip()):
                i += 1
            continue
        if i >= len(actual) or not _pattern(want).match(actual[i].rstrip()):
            return False
        i += 1
    return i == len(actual)


EXAMPLES = _examples()


def test_the_readme_has_examples():
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("command, expected", EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_examples_print_what_the_readme_shows(command, expected, tmp_path):
    args = shlex.split(command)
    assert args[0] == "cloudpin"
    env = dict(os.environ, HOME=str(tmp_path))  # the simulated companion's files go there
    env.pop("CLOUDPIN_PORT", None)
    proc = subprocess.run([CLOUDPIN, *args[1:]], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, cwd=REPO_ROOT, env=env,
                          timeout=300)
    actual = proc.stdout.rstrip("\n").splitlines()
    assert _matches(expected, actual), "\n".join(actual)
