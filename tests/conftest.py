# Importing host_sim first makes CPython look like MicroPython (micropython, framebuf,
# time.ticks_*, asyncio.sleep_ms) and puts firmware/ on the path, so tests import `cloudpin`
# exactly as the pin does.
import host_sim  # noqa: F401
