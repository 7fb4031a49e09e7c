"""Scripts the benchmarks run on the MicroPython unix port, by path (`micropython SCRIPT`):
never imported on CPython. Common MicroPython subset; they may import cloudpin and the
common-subset parts of host_sim (fakes, radio.bluetooth, people.replay, eink.samples)."""
