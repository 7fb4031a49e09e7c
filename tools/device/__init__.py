"""Tools for a real pin on a serial port (or the unix-port pin on a pseudo-terminal):
flash.py (esptool: check the chip, write MicroPython), deploy.py (mpy-cross + mpremote: the
firmware, board and profile onto the pin), hil.py with hil_scripts/ (hardware-in-loop checks
run on the pin), ports.py (`cloudpin ports`, and how each tool picks its port: -p, then
$CLOUDPIN_PORT, then auto), and pinlink.py, the one raw-REPL connection they share (with a
connect timeout). All print through tools.bench.report. May import
host_sim.paths and host_sim.unixport (for --unix), and firmware's pure helpers."""
