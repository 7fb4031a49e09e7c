"""E-ink firmware on both runtimes: layouts byte for byte, driver through the emulator,
refresh policy. A missing unix port fails (never skips)."""

from host_sim.unixport import deps, mpunix
from tests.crossrt import run_both, run_cpython

# Fonts and the QR encoder are frozen (flash) on the pin; from .py on the unix port they
# are compiled into the heap, hence the larger heap here (bench_render measures the rest).
HEAP = "2M"


def _both(script):
    cpython = run_cpython(script)
    unix = mpunix.run(script=script, heapsize=HEAP, extra_path=(deps.deps_dir(),))
    assert cpython == unix, "CPython and the unix port disagree on %s" % script
    return cpython


def test_every_layout_same_bytes_on_both_runtimes():
    out = _both("tests/portable/eink_layouts.py")
    lines = out.splitlines()
    frames = lines[1:-1:2]
    assert len(frames) == 3 * 9
    # every frame has ink and white (a blank or black screen would also compare equal)
    for hexbuf in frames:
        assert set(hexbuf) - {"f"} and set(hexbuf) - {"0"}
    assert len(set(frames)) == len(frames)


def test_driver_through_emulator_on_both_runtimes():
    out = _both("tests/portable/eink_driver.py")
    assert out.count("full partial partial partial full fast") == 13
    assert out.count("uc8151") == 3
    assert "GDEY029T94 offsets 0 0" in out and "offsets 8 6" in out and "offsets 16 0" in out


def test_refresh_policy_on_both_runtimes():
    out = run_both("tests/portable/eink_refresh.py")
    assert "after max_partials: full (0, None)" in out


def test_long_names_never_overflow_on_both_runtimes():
    out = _both("tests/portable/eink_fit.py")
    assert "Wolfeschlegelsteinh..." in out
    assert "Lukasz Test | Ouvre Issel k" in out
    assert "Lódz Dabrowski" in out


def test_bad_profiles_draw_without_raising_on_both_runtimes():
    out = _both("tests/portable/eink_bad_input.py")
    lines = out.splitlines()
    assert lines[3] == "3 tag Ok qr error: True"      # a 220-character link: no QR, a reason
    assert lines[4] == "4 tag Ok qr error: False"
    assert "('locked', 33, '')" in out                 # unknown design -> the locked screen
    assert "('pairing', '------', '')" in out
