# ruff: noqa: F821  (include, package and module are given by MicroPython's manifestfile.py)
# Freeze the Cloud Pin firmware into the image, on top of MicroPython's standard ESP32 set
# (asyncio, neopixel, ...). Frozen code runs from flash: its bytes constants (fonts) cost no
# heap. The package's data files (designs.bin, read a design at a time), /boot.py, /main.py,
# /board.json and /profile.json stay files on the pin's filesystem, written by `cloudpin
# deploy`, which notices the frozen firmware and writes only those (the data files into
# /lib/cloudpin, where the frozen modules look for them).
import os

include("$(PORT_DIR)/boards/manifest.py")

# boards/CLOUDPIN_ESP32 -> the repository's firmware/ folder.
package("cloudpin", base_path="$(BOARD_DIR)/../../firmware", opt=3)

# The QR encoder (PyPI micropython-qr, one module). Point CLOUDPIN_QR_DIR at the folder that
# holds micropython_qr.py (boards/README.md shows how); without it the image has no QR code
# support and deploy puts the module in /lib instead.
_qr_dir = os.environ.get("CLOUDPIN_QR_DIR")
if _qr_dir:
    module("micropython_qr.py", base_path=_qr_dir, opt=3)
