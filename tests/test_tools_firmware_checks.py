"""Board definitions and profile checks, on CPython and the unix port alike."""

from tests.crossrt import run_both


def test_board_definitions_on_both_runtimes():
    out = run_both("tests/portable/tools_boarddef.py")
    assert "lilygo-t5-v23-213.json ssd1680 250 122" in out
    assert "lilygo-t5-v24-290.json ssd1680 296 128" in out
    assert "lilygo-t5-v24-154.json ssd1681 200 200" in out


def test_profile_checks_on_both_runtimes():
    out = run_both("tests/portable/tools_profile.py")
    assert "name=Zoë Ångström|org=RTÉ\n" in out
    assert "Björk" in out


def test_companion_service_logic_on_both_runtimes():
    out = run_both("tests/portable/tools_companion.py")
    assert "ok name=Zoë|org=EBU\n" in out
    assert "friends: 25 True True" in out
    assert "failures: 3 locked: True" in out and "dropped at once: True" in out
    assert "irq errors: 0 0" in out
