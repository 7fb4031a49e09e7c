"""The one output contract of every `cloudpin` command (sim, render, bench *, flash, deploy,
hil, ports, companion).

- stdout carries the result. With --json: one JSON object on one line, keys sorted, always
  with "ok" (true, or false with "error" saying what went wrong), so runs can be diffed and
  parsed. Without: the command's own readable report; benches add a table of each figure
  beside its target with a pass/short mark (Check, print_checks).
- stderr carries progress (Progress: phase names, overall share done, an ETA), also with
  --json, and the one-line error of a failure.
- Exit status: 0 done, 1 the task failed (TaskError, or a device tool's PinError), 2 bad
  usage (UsageError, argparse errors), 130 interrupted.

tools/cli.py turns the exceptions into that status and the JSON envelope; a command may also
call fail() itself when it has figures to give with the error.
"""

import json
import sys
import time

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """Bad input a person must correct (a flag's value, a file): exit 2."""


class TaskError(Exception):
    """The command was used right but could not do its job: exit 1."""


def emit_json(obj):
    print(json.dumps(obj, sort_keys=True, ensure_ascii=False), flush=True)


def print_result(result, as_json, table=None, *, ok=True, checks=None):
    """Print a command's result. table(result) prints the readable report (default: every
    figure, nested ones indented); checks: Check rows, printed as a table of figure,
    target and mark, and put in the JSON as "checks"."""
    if as_json:
        out = dict(result)
        out["ok"] = bool(ok)
        if checks:
            out["checks"] = [c.as_dict() for c in checks]
        emit_json(out)
        return
    if table is not None:
        table(result)
    else:
        print_figures(result)
    if checks:
        print()
        print_checks(checks)


def fail(command, message, as_json, code=EXIT_FAILED, **figures):
    """Report a failure: the error on stderr, and with --json the envelope on stdout (with any
    figures that are still worth having). Returns the exit status."""
    if as_json:
        emit_json(dict(figures, ok=False, error=str(message)))
    print("%s: %s" % (command, message), file=sys.stderr, flush=True)
    return code


# -- readable figures ------------------------------------------------------------------------

def fmt(value):
    """A figure as a person reads it: no dict reprs, floats to 4 significant digits."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value == int(value) and abs(value) < 1e9:
            return str(int(value)) if abs(value) >= 1 else ("%.4g" % value)
        return "%.4g" % value
    if isinstance(value, (list, tuple)):
        if all(not isinstance(v, (dict, list, tuple)) for v in value):
            return ", ".join(fmt(v) for v in value) or "-"
    return str(value)


def _label(key):
    return str(key).replace("_", " ")


def print_figures(result, indent=0, out=None):
    """Every figure of a (nested) result as aligned `label  value` lines."""
    out = out or sys.stdout
    flat = [(k, v) for k, v in result.items() if not isinstance(v, (dict, list))
            or (isinstance(v, list) and all(not isinstance(x, (dict, list)) for x in v))]
    width = max([len(_label(k)) for k, _ in flat] + [10])
    pad = " " * indent
    for key in sorted(result):
        value = result[key]
        if isinstance(value, dict):
            print("%s%s:" % (pad, _label(key)), file=out)
            if value:
                print_figures(value, indent + 2, out)
            else:
                print("%s  -" % pad, file=out)
        elif isinstance(value, list) and any(isinstance(x, (dict, list)) for x in value):
            print("%s%s: %d" % (pad, _label(key), len(value)), file=out)
            for item in value:
                if isinstance(item, dict):
                    print("%s  - %s" % (pad, ", ".join("%s %s" % (_label(k), fmt(v))
                                                     for k, v in sorted(item.items()))),
                          file=out)
                else:
                    print("%s  - %s" % (pad, fmt(item)), file=out)
        else:
            print("%s%-*s  %s" % (pad, width, _label(key), fmt(value)), file=out)


def print_rows(header, rows, out=None):
    """A plain table: header names and rows of values, columns aligned (numbers right)."""
    out = out or sys.stdout
    cells = [[fmt(v) if not isinstance(v, str) else v for v in row] for row in rows]
    widths = [len(h) for h in header]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], len(c))
    numeric = [all(not isinstance(row[i], str) for row in rows) if rows else False
               for i in range(len(header))]

    def line(values):
        parts = []
        for i, v in enumerate(values):
            parts.append(v.rjust(widths[i]) if numeric[i] else v.ljust(widths[i]))
        return "  ".join(parts).rstrip()

    print(line(header), file=out)
    print(line(["-" * w for w in widths]), file=out)
    for row in cells:
        print(line(row), file=out)


class Check:
    """One figure beside its target: Check("tap success", 0.995, ">=", 0.99)."""

    OPS = {">=": lambda v, b: v >= b, "<=": lambda v, b: v <= b,
           "within": lambda v, b: abs(v) <= b}

    def __init__(self, figure, value, op, bound, unit=""):
        if op not in self.OPS:
            raise ValueError("op is one of %s" % ", ".join(self.OPS))
        self.figure = figure
        self.value = value
        self.op = op
        self.bound = bound
        self.unit = unit

    @property
    def met(self):
        if self.value is None:
            return None
        return bool(self.OPS[self.op](self.value, self.bound))

    def target(self):
        unit = (" " + self.unit) if self.unit else ""
        if self.op == "within":
            return "within +/-%s%s" % (fmt(self.bound), unit)
        return "%s %s%s" % (self.op, fmt(self.bound), unit)

    def mark(self):
        return {True: "pass", False: "SHORT", None: "n/a"}[self.met]

    def as_dict(self):
        return {"figure": self.figure, "value": self.value, "target": self.target(),
                "met": self.met}


def print_checks(checks, out=None):
    print_rows(["figure", "value", "target", "result"],
               [[c.figure, fmt(c.value) + ((" " + c.unit) if c.unit and c.value is not None
                                           else ""), c.target(), c.mark()] for c in checks],
               out)


# -- progress --------------------------------------------------------------------------------

def _duration(s):
    s = int(round(s))
    if s < 60:
        return "%d s" % s
    if s < 3600:
        return "%d min %02d s" % (s // 60, s % 60)
    return "%d h %02d min" % (s // 3600, (s % 3600) // 60)


class Progress:
    """Progress of a run made of named phases, on stderr, with the share of the whole run done
    and an ETA from the time spent so far.

        progress = Progress("bench tap", [("taps", 1), ("bystanders", 3)])
        update = progress.phase("taps")     # update(done, total, note="") as it goes
        ...
        progress.done()

    weights: each phase's expected share of the wall time (any units); the ETA assumes the
    rest goes as fast as what is done. Lines are rewritten in place on a terminal; elsewhere
    one line per tenth of a phase and one at each phase change. quiet=True prints nothing.
    """

    def __init__(self, command, phases, quiet=False, stream=None, clock=time.monotonic):
        self.command = command
        self.phases = list(phases)
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self._clock = clock
        self._started = clock()
        self._total = float(sum(w for _, w in self.phases)) or 1.0
        self._current = None
        self._base = 0.0
        self._weight = 0.0
        self._last_line = None
        self._last_step = None
        self._tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._dirty = False

    def phase(self, name):
        """Start the named phase (one of those given); returns its update(done, total)."""
        base = 0.0
        for phase_name, weight in self.phases:
            if phase_name == name:
                self._current, self._base, self._weight = name, base, float(weight)
                break
            base += weight
        else:
            raise KeyError("unknown phase %r" % name)
        self._last_step = None
        self.update(0, 1)
        return self.update

    def fraction(self, done, total):
        part = min(1.0, max(0.0, done / total)) if total else 1.0
        return (self._base + self._weight * part) / self._total

    def update(self, done, total, note=""):
        if self.quiet or self._current is None:
            return
        frac = self.fraction(done, total)
        elapsed = self._clock() - self._started
        eta = ("about %s left" % _duration(elapsed / frac * (1 - frac))
               if 0.02 <= frac < 1 and elapsed > 1 and elapsed / frac * (1 - frac) >= 1 else "")
        index = [n for n, _ in self.phases].index(self._current) + 1
        part = note or (("%s/%s" % (fmt(done), fmt(total))) if total != 1 else "")
        bits = [b for b in (part, "%d%% in all" % int(100 * frac), eta) if b]
        line = "%s: [%d/%d %s] %s" % (self.command, index, len(self.phases), self._current,
                                     ", ".join(bits))
        step = int(10 * done / total) if total else 10
        if self._tty:
            if line != self._last_line:
                self.stream.write("\r\x1b[K" + line)
                self.stream.flush()
                self._dirty = True
        elif step != self._last_step:
            self.stream.write(line + "\n")
            self.stream.flush()
        self._last_line = line
        self._last_step = step

    def note(self, message):
        """A line of its own (a figure as soon as it is known, a warning)."""
        if self.quiet:
            return
        self._end_line()
        self.stream.write("%s: %s\n" % (self.command, message))
        self.stream.flush()

    def _end_line(self):
        if self._dirty:
            self.stream.write("\n")
            self._dirty = False

    def done(self):
        if self.quiet:
            return
        self._end_line()
        self.stream.write("%s: done in %s\n" % (self.command,
                                               _duration(self._clock() - self._started)))
        self.stream.flush()

    def sim_progress(self, name):
        """A progress(done_s, total_s) for host_sim's run_for (virtual seconds): the named
        phase starts at its first call."""
        started = [False]

        def progress(done_s, total_s):
            if not started[0]:
                started[0] = True
                self.phase(name)
            self.update(done_s, total_s,
                        "%s of %s virtual" % (_virtual(done_s), _virtual(total_s)))

        return progress


def _virtual(s):
    return "%.2f h" % (s / 3600) if s >= 3600 else "%.0f s" % s


# -- shared checks of benches' input ------------------------------------------------------------

def parse_heapsize(text, flag, minimum=16 * 1024):
    """A unix-port heap size as `-X heapsize=` takes it (bytes, or a number with K or M);
    returns (text for the unix port, bytes). UsageError for anything else."""
    import re

    m = re.fullmatch(r"\s*(\d+)\s*([kKmM]?)\s*", str(text))
    if not m:
        raise UsageError("%s %r is not a size: give bytes or a number with K or M (e.g. 512K, "
                         "2M)" % (flag, text))
    number = int(m.group(1)) * {"": 1, "k": 1024, "m": 1024 * 1024}[m.group(2).lower()]
    if number < minimum:
        raise UsageError("%s %s is too small: at least %dK" % (flag, text, minimum // 1024))
    if number > 1024 * 1024 * 1024:
        raise UsageError("%s %s is more than 1G" % (flag, text))
    return "%d%s" % (int(m.group(1)), m.group(2).upper()), number


def unix_port_failure(exc, heapsize=None, flag="--heapsize", suggest="512K"):
    """TaskError for a MicroPythonError of the unix port: out of memory says which heap and
    what to try; anything else keeps the port's last lines."""
    text = (exc.stdout or "") + (exc.stderr or "")
    if "MemoryError" in text:
        return TaskError("the unix port ran out of memory%s (it holds in RAM the bytecode, "
                         "fonts and designs a pin keeps in flash, about 220 KB); give it more "
                         "with %s, e.g. %s %s" % (" in a %s heap" % heapsize if heapsize else "",
                                                  flag, flag, suggest))
    tail = "\n".join(text.strip().splitlines()[-6:])
    return TaskError("the unix port failed:\n%s" % tail)
