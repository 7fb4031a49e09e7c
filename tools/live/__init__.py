"""The live view of the simulated hall (`cloudpin sim --serve`): hall.py runs the day on the
virtual clock in a thread and reads off it what a person watches; server.py serves it on
127.0.0.1 with the standard library; static/ is the page (plain HTML, JS and CSS, no build
step). Imports tools.bench.day (the day) and host_sim; nothing imports it but tools.sim."""
