# ruff: noqa: F821  (gc, time, json and the verdict helpers come from _prelude.py)
# Accelerometer: the chip answers at its address with the LIS3DH identity (WHO_AM_I 0x0F
# reads 0x33, read straight off the I2C bus), then the driver cloudpin.drivers.lis3dh
# streams a burst at 100 Hz that must look like gravity on a resting pin (|a| near 1 g).
WHO_AM_I = 0x0F
LIS3DH_ID = 0x33
BURST_MS = 250  # 25 samples at 100 Hz: under the 32-deep FIFO, so none are lost

board = load_board()
spec = board.part("accel")
lacking = world_lacks("host_sim.fakes.lis3dh")


def burst(addr):
    from cloudpin.drivers import lis3dh

    sensor = lis3dh.LIS3DH(board.i2c, addr)
    sensor.start(rate_hz=100, range_g=4)
    time.sleep_ms(BURST_MS)
    samples = []
    sensor.read_fifo(lambda x, y, z: samples.append((x, y, z)))
    sensor.power_down()
    return samples


if spec is None or board.i2c is None:
    failed("the board definition has no accelerometer")
elif lacking:
    waiting(lacking, "(the unix pin has no emulated LIS3DH on its I2C bus)")
else:
    addr = spec.get("addr", 0x18)
    try:
        ident = board.i2c.readfrom_mem(addr, WHO_AM_I, 1)[0]
    except OSError as exc:
        ident = None
        failed("no answer at I2C address 0x%02x (%s): check SDA/SCL wiring and SDO" % (addr, exc))
    if ident is not None and ident != LIS3DH_ID:
        failed("WHO_AM_I at 0x%02x is 0x%02x, a LIS3DH says 0x33" % (addr, ident))
    elif ident is not None and not have_module("cloudpin.drivers.lis3dh"):
        waiting("cloudpin.drivers.lis3dh", "(identity 0x33 ok; the sample burst needs the driver)")
    elif ident is not None:
        samples = burst(addr)
        if len(samples) < 10:
            failed("%d samples in %d ms at 100 Hz" % (len(samples), BURST_MS))
        else:
            mags = [int((x * x + y * y + z * z) ** 0.5) for x, y, z in samples]
            mean = sum(mags) // len(mags)
            data({"accel_samples": len(samples), "accel_mean_mg": mean})
            if 800 <= mean <= 1200:
                passed("identity 0x33, %d samples in %d ms, |a| = %d mg at rest"
                       % (len(samples), BURST_MS, mean))
            else:
                failed("|a| = %d mg at rest, expected about 1000 (is the pin lying still?)" % mean)
