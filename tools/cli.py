"""`cloudpin`: the one command-line entry.

Each subcommand lives in its own module with two functions:
    add_arguments(parser)   fill the subcommand's argparse parser
    run(args) -> int        do it; the exit status
`bench` has its own subcommands, one module each (tools/bench/<name>.py), same contract.
Every command follows tools/bench/report.py: one JSON object with "ok" under --json (also
on failure), progress on stderr, exit 0 done / 1 failed / 2 bad usage / 130 interrupted.

Shell completion (argcomplete): eval "$(register-python-argcomplete cloudpin)".
"""

import argparse
import importlib
import sys

# PYTHON_ARGCOMPLETE_OK  (argcomplete's marker: this entry point completes its arguments)

COMMANDS = (
    ("sim", "tools.sim", "run the simulator (no arguments: the demo scenario)"),
    ("bench", None, "benchmarks that print figures (JSON with --json)"),
    ("render", "tools.render", "write PNG previews of every layout and panel"),
    ("ports", "tools.device.ports", "list serial ports and which look like a pin"),
    ("deploy", "tools.device.deploy", "compile firmware/ and copy it to a pin over mpremote"),
    ("flash", "tools.device.flash", "write a MicroPython image to a pin with esptool"),
    ("hil", "tools.device.hil", "hardware-in-loop scripts against a pin or the unix port"),
    ("companion", "tools.companion.laptop", "the Cloud Pin companion: talk to a pin over BLE"),
)
BENCHES = (
    ("tap", "tools.bench.tap", "tap detection on the simulated radio"),
    ("steps", "tools.bench.steps", "step counting on labelled motion"),
    ("handheld", "tools.bench.handheld", "the in-hand detector on generated motion"),
    ("day", "tools.bench.day", "a day at the event, many pins"),
    ("heap", "tools.bench.heap", "the app's heap on the unix port"),
    ("bystanders", "tools.bench.bystanders", "false friendships among bystanders, many hours"),
    ("render", "tools.bench.render", "e-ink render time and heap on the unix port"),
    ("storage", "tools.bench.storage", "damaged flash files, boots, lost records; flash wear"),
)


def version():
    from importlib import metadata

    try:
        return metadata.version("cloudpin")
    except metadata.PackageNotFoundError:  # run from a checkout without installing
        import os
        import re

        here = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                            "pyproject.toml")
        with open(here, encoding="utf-8") as f:
            return re.search(r'^version = "([^"]+)"', f.read(), re.M).group(1)


class Parser(argparse.ArgumentParser):
    """argparse that keeps the contract on bad usage: exit 2, and with --json on the command
    line also the JSON envelope on stdout."""

    def error(self, message):
        from tools.bench.report import emit_json

        self.print_usage(sys.stderr)
        if "--json" in sys.argv[1:] or "--json" in (_ARGV[0] or ()):
            emit_json({"ok": False, "error": "%s: %s" % (self.prog, message)})
        self.exit(2, "%s: error: %s\n" % (self.prog, message))


_ARGV = [None]  # the argv main() was given, for Parser.error


def _load(module_name):
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None  # not built yet
        raise


def _add(subparsers, name, module_name, help_text):
    module = _load(module_name)
    if module is None:
        return
    parser = subparsers.add_parser(name, help=help_text, description=help_text)
    module.add_arguments(parser)
    parser.set_defaults(_run=module.run, _parser=parser)


def build_parser():
    parser = Parser(prog="cloudpin", description="Cloud Pin tools and simulator")
    parser.add_argument("--version", action="version", version="cloudpin " + version(),
                        help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name, module_name, help_text in COMMANDS:
        if module_name is not None:
            _add(sub, name, module_name, help_text)
            continue
        bench = sub.add_parser(name, help=help_text, description=help_text)
        bench_sub = bench.add_subparsers(dest="bench", metavar="BENCH", parser_class=Parser)
        for bench_name, bench_module, bench_help in BENCHES:
            _add(bench_sub, bench_name, bench_module, bench_help)
        bench.set_defaults(_run=lambda args, p=bench: (p.print_help(), 2)[1], _parser=bench)
    return parser


def _command_name(args):
    parts = ["cloudpin"]
    for key in ("command", "bench"):
        if getattr(args, key, None):
            parts.append(getattr(args, key))
    return " ".join(parts)


def main(argv=None):
    from tools.bench import report
    from tools.device.pinlink import PinError

    _ARGV[0] = list(argv) if argv is not None else None
    parser = build_parser()
    try:
        import argcomplete

        argcomplete.autocomplete(parser)
    except ImportError:  # completion is a convenience; the command works without it
        pass
    args, extra = parser.parse_known_args(argv)
    if extra:
        # The error names the subcommand whose options these are not, not plain `cloudpin`.
        getattr(args, "_parser", parser).error("unrecognized arguments: %s" % " ".join(extra))
    if not getattr(args, "_run", None):
        parser.print_help(sys.stderr)
        return report.EXIT_USAGE
    name = _command_name(args)
    as_json = bool(getattr(args, "json", False))
    try:
        return int(args._run(args) or 0)
    except report.UsageError as exc:
        return report.fail(name, exc, as_json, report.EXIT_USAGE)
    except (report.TaskError, PinError) as exc:
        return report.fail(name, exc, as_json, report.EXIT_FAILED)
    except KeyboardInterrupt:
        return report.fail(name, "interrupted", as_json, report.EXIT_INTERRUPTED)
    except Exception as exc:
        # A bug: the traceback is for whoever fixes it; the envelope still holds.
        import traceback

        traceback.print_exc()
        return report.fail(name, "internal error: %s: %s" % (type(exc).__name__, exc),
                           as_json, report.EXIT_FAILED)


if __name__ == "__main__":
    sys.exit(main())
