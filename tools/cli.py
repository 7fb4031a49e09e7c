"""`cloudpin`: the one command-line entry.

Each subcommand lives in its own module with two functions:
    add_arguments(parser)   fill the subcommand's argparse parser
    run(args) -> int        do it; the exit status
`bench` has its own subcommands, one module each (tools/bench/<name>.py), same contract.
"""

import argparse
import importlib
import sys

COMMANDS = (
    ("sim", "tools.sim", "run the simulator (no arguments: the demo scenario)"),
    ("bench", None, "benchmarks that print figures (JSON with --json)"),
    ("render", "tools.render", "write PNG previews of every layout and panel"),
    ("deploy", "tools.device.deploy", "compile firmware/ and copy it to a pin over mpremote"),
    ("flash", "tools.device.flash", "write a MicroPython image to a pin with esptool"),
    ("hil", "tools.device.hil", "hardware-in-loop scripts against a pin or the unix port"),
    ("companion", "tools.companion.laptop", "talk to a pin over BLE (bleak)"),
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
    parser.set_defaults(_run=module.run)


def build_parser():
    parser = argparse.ArgumentParser(prog="cloudpin", description="Cloud Pin tools and simulator")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name, help_text in COMMANDS:
        if module_name is not None:
            _add(sub, name, module_name, help_text)
            continue
        bench = sub.add_parser(name, help=help_text, description=help_text)
        bench_sub = bench.add_subparsers(dest="bench", metavar="BENCH")
        for bench_name, bench_module, bench_help in BENCHES:
            _add(bench_sub, bench_name, bench_module, bench_help)
        bench.set_defaults(_run=lambda args, p=bench: (p.print_help(), 2)[1])
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        print("cloudpin: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
