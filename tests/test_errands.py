"""Errands that unlock the 33 sport designs."""

from cloudpin import errands
from cloudpin.errands import Progress

from tests.crossrt import run_both


def test_one_rule_per_design_and_every_kind_the_event_asks_for():
    assert len(errands.RULES) == errands.COUNT == 33
    rules = set(errands.RULES)
    for wanted in [(errands.FRIENDS, n) for n in (1, 5, 10, 25, 50)] + [
            (errands.DAY_STEPS, n) for n in (5000, 10000, 20000)]:
        assert wanted in rules
    kinds = {kind for kind, _ in errands.RULES}
    assert {errands.ORGS, errands.STREAK, errands.HOUR_TAPS} <= kinds
    assert sum(1 for kind, _ in errands.RULES if kind == errands.START) == 1
    assert len(rules) == 33  # no two designs share an errand


def test_a_week_unlocks_the_same_on_both_runtimes():
    out = run_both("tests/portable/errands_story.py")
    lines = {line.split(" [")[0].split(" (")[0]: line for line in out.splitlines()}
    assert lines["start"] == "start [2]"  # Athletics from the start
    assert lines["first friend"] == "first friend [11]"  # Football: first friend
    assert "roundtrip True" in out


def test_taps_within_an_hour_count_only_inside_the_hour():
    p = Progress()
    for t in (0, 1800, 3599):
        p.on_friend(1_700_000_000 + t, False)
    assert p.best_hour_taps == 3
    q = Progress()
    for t in (0, 3600, 7200):
        q.on_friend(1_700_000_000 + t, False)
    assert q.best_hour_taps == 1


def test_streak_needs_consecutive_days():
    p = Progress()
    for _ in range(2):
        p.on_day_closed(6000, 0)
    p.on_day_closed(6000, 0, consecutive=False)
    assert p.streak == 1 and p.best_streak == 2
    p.on_day_closed(100, 0)
    assert p.streak == 0


def test_unlocks_survive_undo_and_storage():
    p = Progress()
    p.on_friend(1_700_000_000, True)
    assert p.update() == [11]
    p.on_friend_undone(org_gone=True)
    assert p.update() == [] and p.is_unlocked(11) and p.friends == 0
    assert errands.from_bytes(p.to_bytes()).is_unlocked(11)


def test_malformed_records_give_a_fresh_start():
    for bad in (None, b"", b"\x00" * 7, b"\xff" * (errands.SIZE + 1)):
        p = errands.from_bytes(bad)
        assert p.unlocked_designs() == [2] and p.friends == 0


def test_the_start_design_is_the_start_row():
    assert errands.RULES[errands.START_DESIGN][0] == errands.START
