"""The benchmarks: one module per `cloudpin bench` subcommand (tap, bystanders, day, steps,
handheld, render, heap, storage), each with add_arguments(parser) and run(args), all printing through
report.print_result (one JSON object with "ok" under --json; figures beside their targets as
report.Check rows; progress by phase with an ETA through report.Progress). Helpers beside
them: tap_unix.py and feed_cost.py measure cost on the unix port by running the scripts in
unix_scripts/ there; ref_pedometer.py is the Espruino-style baseline bench steps compares against; steps_real.py
is bench steps' real-data section. May import
host_sim and firmware; nothing in host_sim imports tools."""
