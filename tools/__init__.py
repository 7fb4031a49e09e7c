"""Host-side tools: the `cloudpin` command line and what it runs.

cli.py dispatches to sim.py (`cloudpin sim`), render.py (`cloudpin render`), bench/ (the
benchmarks), device/ (ports, flash, deploy, hil: a pin on a port), companion/ (talking to a
pin over BLE); live/ is `cloudpin sim --serve` (the hall in a browser); plots.py draws the
--plot PNGs; gen/ holds the generators of committed files (fonts, designs, mip manifest);
checks.py is `./dev test`. Every command prints through bench/report.py, the one output
contract (JSON envelope with "ok", exit 0/1/2, progress on stderr)."""
