"""The whole test suite, as `./dev test` runs it (and CI, through .ci/run):

1. ruff over all Python,
2. pyright over firmware/ against the ESP32's own API (micropython-esp32-stubs),
3. pytest (CPython and the MicroPython unix port; mpy-cross for the ESP32).

Extra arguments go to pytest, e.g. `./dev test -k framebuf -x`. Exit status: non-zero if any
step failed; every step runs regardless, so one report shows everything.
"""

import json
import os
import subprocess
import sys
import sysconfig
import tempfile
import time

from host_sim.paths import REPO_ROOT


def _step(name, cmd, env=None):
    print(f"==> {name}: {' '.join(cmd)}", flush=True)
    started = time.monotonic()
    code = subprocess.call(cmd, cwd=REPO_ROOT, env=env)
    took = time.monotonic() - started
    print(f"<== {name}: {'ok' if code == 0 else f'FAILED (exit {code})'} in {took:.1f} s",
          flush=True)
    return code


def pyright_config(directory):
    """A pyright config that type-checks firmware/ as MicroPython for the ESP32: the stubs
    package replaces CPython's typeshed, so `time.time_ns` passes and `time.monotonic` fails."""
    site = sysconfig.get_paths()["purelib"]
    firmware = os.path.join(REPO_ROOT, "firmware")
    config = {
        # pyright takes "include" relative to the config file's folder only.
        "include": [os.path.relpath(firmware, directory)],
        "exclude": ["**/__pycache__"],
        "typeshedPath": site,
        "stubPath": site,
        "extraPaths": [firmware],
        "pythonVersion": "3.10",
        "typeCheckingMode": "basic",
        "reportMissingModuleSource": "none",
    }
    path = os.path.join(directory, "pyrightconfig.json")
    with open(path, "w") as f:
        json.dump(config, f)
    return path


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    bindir = os.path.dirname(sys.executable)
    results = {}
    results["ruff"] = _step("ruff", [os.path.join(bindir, "ruff"), "check", "."])
    with tempfile.TemporaryDirectory() as tmp:
        results["pyright"] = _step(
            "pyright (firmware vs ESP32 stubs)",
            [os.path.join(bindir, "pyright"), "-p", pyright_config(tmp)])
    code = _step("pytest", [sys.executable, "-m", "pytest", *argv])
    # pytest exits 5 when it collected nothing: for a suite that is a failure, not a pass.
    results["pytest"] = code
    failed = [name for name, code in results.items() if code != 0]
    print("checks: " + ("all passed" if not failed else "FAILED: " + ", ".join(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
