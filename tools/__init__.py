"""Host-side tools: the `cloudpin` command line and what it runs.

cli.py dispatches to sim.py (`cloudpin sim`), render.py (`cloudpin render`), bench/ (the
benchmarks), device/ (flash, deploy, hil: a pin on a port), companion/ (talking to a pin over
BLE); gen/ holds the generators of committed files (fonts, designs, mip manifest); checks.py
is `./dev test`."""
