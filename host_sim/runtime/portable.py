"""Run a script the way the unix port would, but on CPython with host_sim's shims:

    python -m host_sim.runtime.portable path/to/script.py [args...]
    python -m host_sim.runtime.portable -c "code"

Tests run the same script this way and on the unix port (host_sim.unixport.mpunix) and compare output.
"""

import runpy
import sys

from host_sim import runtime


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    runtime.install()
    if not argv:
        print("usage: python -m host_sim.runtime.portable SCRIPT [ARGS] | -c CODE", file=sys.stderr)
        return 2
    if argv[0] == "-c":
        sys.argv = ["-c", *argv[2:]]
        exec(compile(argv[1], "<string>", "exec"), {"__name__": "__main__"})
        return 0
    sys.argv = argv
    runpy.run_path(argv[0], run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
