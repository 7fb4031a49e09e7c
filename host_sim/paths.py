"""Where the checkout's parts are, for the simulator and tools on CPython (and importable on
the unix port's common subset: it only joins strings)."""

import os

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIRMWARE_DIR = os.path.join(REPO_ROOT, "firmware")
BOARDS_DIR = os.path.join(REPO_ROOT, "boards")
