"""Buttons: press classification on both runtimes, and the service on fake pins."""

from cloudpin import buttons

from host_sim.fakes.hw import FakePin
from host_sim.runtime.scheduler import Simulation
from tests.crossrt import run_both


def test_press_patterns_agree_on_both_runtimes():
    out = dict(line.split(" ", 1) for line in
               run_both("tests/portable/buttons_presses.py").splitlines())
    assert out["short"] == "[(610, 'short')]"
    assert out["short_no_double"] == "[(250, 'short')]"
    assert out["bouncy_short"].count("short") == 1
    assert out["double"] == "[(450, 'double')]"
    assert out["two_shorts"].count("short") == 2
    assert out["long"] == "[(1300, 'long')]"
    assert out["long_then_short"] == "[(1300, 'long'), (2460, 'short')]"


def _press(sim, pin, hold_s, gap_s=0.5):
    pin.drive(0)  # active low
    sim.run_for(hold_s)
    pin.drive(1)
    sim.run_for(gap_s)


def test_two_button_board_actions():
    a = FakePin("a", FakePin.IN, FakePin.PULL_UP)
    b = FakePin("b", FakePin.IN, FakePin.PULL_UP)
    actions = []
    with Simulation() as sim:
        sim.spawn(buttons.Buttons({"a": (a, True), "b": (b, True)}, actions.append).run())
        sim.run_for(1)
        _press(sim, a, 0.15)
        _press(sim, b, 0.15)
        _press(sim, b, 2.0)
        _press(sim, a, 1.5)
    assert actions == [buttons.REFRESH, buttons.NEXT_DESIGN, buttons.UNDO_FRIEND,
                       buttons.PAIRING]


def test_one_button_board_uses_double_press_for_the_design():
    a = FakePin("a", FakePin.IN, FakePin.PULL_UP)
    actions = []
    with Simulation() as sim:
        sim.spawn(buttons.Buttons({"a": (a, True)}, actions.append).run())
        _press(sim, a, 0.1, gap_s=0.1)
        _press(sim, a, 0.1)
        _press(sim, a, 0.1, gap_s=1.0)
        _press(sim, a, 1.6)
    assert actions == [buttons.NEXT_DESIGN, buttons.REFRESH, buttons.UNDO_FRIEND]


def test_no_buttons_no_actions():
    assert buttons.action_map([]) == {}
