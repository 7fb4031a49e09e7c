"""Pure-logic checks that must give the same answers on CPython (with host_sim's shims) and
on the MicroPython unix port."""

from tests.crossrt import run_both


def test_ticks_math_matches_unix_port():
    out = run_both("tests/portable/ticks_math.py")
    lines = out.splitlines()
    assert lines[0] == "period_is_power_of_two True"
    assert len(lines) == 1 + 8 * 9
    # From the last tick before the wrap (start index 7), +1 wraps and still differs by +1.
    assert "7 1 True 1 -1" in lines


def test_framebuf_scene_is_byte_identical():
    out = run_both("tests/portable/framebuf_scene.py")
    formats = [line.split()[0] for line in out.splitlines()]
    assert formats == ["MONO_HLSB", "MONO_HMSB", "MONO_VLSB"]
    for line in out.splitlines():
        hexbytes = line.split()[1]
        # The scene really drew something in both colours (not a blank or solid buffer).
        assert set(hexbytes) - {"0"} and set(hexbytes) - {"f"}


def test_framebuf_rejects_a_short_buffer_like_micropython():
    code = (
        "import framebuf\n"
        "try:\n"
        "    framebuf.FrameBuffer(bytearray(10), 16, 6, framebuf.MONO_HLSB)\n"
        "except ValueError:\n"
        "    print('ValueError')\n"
        "framebuf.FrameBuffer(bytearray(12), 16, 6, framebuf.MONO_HLSB)\n"
        "print('ok')\n")
    assert run_both(code=code) == "ValueError\nok\n"
