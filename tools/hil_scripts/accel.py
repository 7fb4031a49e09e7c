# ruff: noqa: F821  (gc, time, json and the verdict helpers come from _prelude.py)
# Accelerometer: the chip answers at its address with the LIS3DH identity (WHO_AM_I 0x0F
# reads 0x33), read directly on the I2C bus; then a burst of samples through the driver
# cloudpin.drivers.lis3dh (when delivered) must look like gravity on a resting pin.
WHO_AM_I = 0x0F
LIS3DH_ID = 0x33

board = load_board()
accel = board.part("accel")
lacking = world_lacks("host_sim.fakes.lis3dh")
if accel is None or board.i2c is None:
    failed("the board definition has no accelerometer")
elif lacking:
    waiting(lacking, "(the unix pin has no emulated LIS3DH on its I2C bus yet)")
else:
    addr = accel.get("addr", 0x18)
    try:
        ident = board.i2c.readfrom_mem(addr, WHO_AM_I, 1)[0]
    except OSError as exc:
        ident = None
        failed("no answer at I2C address 0x%02x (%s): check SDA/SCL wiring and SDO" % (addr, exc))
    if ident is not None and ident != LIS3DH_ID:
        failed("WHO_AM_I at 0x%02x is 0x%02x, a LIS3DH says 0x33" % (addr, ident))
    elif ident is not None:
        if not have_module("cloudpin.drivers.lis3dh"):
            waiting("cloudpin.drivers.lis3dh", "(identity 0x33 ok; the sample burst needs the driver)")
        else:
            from cloudpin.drivers import lis3dh

            make = getattr(lis3dh, "from_board", None)
            if make is None:
                failed("cloudpin.drivers.lis3dh has no from_board(board); HIL expects one")
            else:
                sensor = make(board)
                samples = sensor.burst(32) if hasattr(sensor, "burst") else None
                if not samples:
                    failed("the driver gave no samples (HIL expects sensor.burst(n) -> [(x,y,z) mg])")
                else:
                    mags = [int((x * x + y * y + z * z) ** 0.5) for x, y, z in samples]
                    mean = sum(mags) // len(mags)
                    data({"accel_samples": len(samples), "accel_mean_mg": mean})
                    if 800 <= mean <= 1200:
                        passed("identity 0x33, %d samples, |a| = %d mg at rest" % (len(samples), mean))
                    else:
                        failed("|a| = %d mg at rest, expected about 1000" % mean)
