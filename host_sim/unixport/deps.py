"""Pure-Python MicroPython dependencies of firmware/ (PyPI packages), made importable on the
unix port.

MICROPYPATH cannot simply include CPython's site-packages (hundreds of CPython modules would
shadow or confuse MicroPython's), so each dependency module is linked into one folder of its
own, build/mpdeps/, which goes on the unix port's path. On the pin the same modules are
frozen into the image next to firmware/.
"""

import importlib.util
import os
import shutil

from host_sim.paths import REPO_ROOT

MODULES = ("micropython_qr",)
DEPS_DIR = os.path.join(REPO_ROOT, "build", "mpdeps")


def module_file(name):
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin:
        raise RuntimeError("%s is not installed (pip install -r requirements.txt)" % name)
    return spec.origin


def deps_dir():
    """The folder with every dependency module, refreshed if a source changed."""
    os.makedirs(DEPS_DIR, exist_ok=True)
    for name in MODULES:
        src = module_file(name)
        dst = os.path.join(DEPS_DIR, name + ".py")
        if not os.path.exists(dst) or os.path.getmtime(dst) < os.path.getmtime(src):
            shutil.copyfile(src, dst)
    return DEPS_DIR
