"""The cost per sample of an accelerometer consumer on the MicroPython unix port, for the
benchmarks (bench steps, bench handheld): tools/bench/unix_scripts/feed_cost.py over a rendered recording."""

import os
import tempfile


def measure(recording, module, cls, own_key, repeats=5):
    """{"samples", "feed_us_per_sample", "loop_only_us_per_sample", own_key} for
    cloudpin.<module>.<cls>: own_key names its own share (the feed minus the bare loop)."""
    from host_sim.paths import REPO_ROOT
    from host_sim.unixport import mpunix

    script = os.path.join(REPO_ROOT, "tools", "bench", "unix_scripts", "feed_cost.py")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "motion.csv")
        with open(path, "w") as f:
            f.write(recording.to_csv())
        line = mpunix.run(script=script, args=(path, str(repeats), module, cls),
                          heapsize="256K").split()
    n, feed_us, loop_us = int(line[1]), int(line[2]), int(line[3])
    return {"samples": n, "feed_us_per_sample": round(feed_us / n, 2),
            "loop_only_us_per_sample": round(loop_us / n, 2),
            own_key: round((feed_us - loop_us) / n, 2)}
