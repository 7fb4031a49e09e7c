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


MEDAL_STORY = """
from cloudpin import errands
p = errands.Progress()
seen = []
for n in range(1, 160):
    p.on_friend(1700000000 + 60 * n, n % 7 == 0)
    if n in (1, 49, 50, 51, 150, 151, 159):
        seen.append((n, p.medal()))
print(seen)
p.on_friend_undone(False)
for _ in range(8):
    p.on_friend_undone(False)
print("undone to", p.friends, p.medal())
print("stored", errands.from_bytes(p.to_bytes()).medal())
print([errands.MEDAL_NAMES[m] for m in (errands.NO_MEDAL, errands.BRONZE, errands.GOLD)])
"""


def test_medals_bronze_at_50_friends_gold_above_150_on_both_runtimes():
    out = run_both(code=MEDAL_STORY).splitlines()
    assert out[0] == "[(1, 0), (49, 0), (50, 1), (51, 1), (150, 1), (151, 2), (159, 2)]"
    assert out[1] == "undone to 150 1"  # undoing mistaken taps takes a medal back
    assert out[2] == "stored 1"
    assert out[3] == "[None, 'bronze', 'gold']"


def test_errands_read_as_things_to_do_for_a_locked_design():
    assert errands.errand(11) == "Make your first friend"
    assert errands.errand(5) == "Make 25 friends"
    assert errands.errand(16) == "Meet a friend again" and errands.describe(16) == "Met a friend again"
    assert errands.medal_errand(errands.GOLD) == "Make 151 friends"
    for i in range(errands.COUNT):
        kind, target = errands.RULES[i]
        text = errands.errand(i)
        assert text and ("%d" % target in text or target in (0, 1)), (i, text)


def test_closest_locked_is_the_one_nearest_to_done():
    p = Progress()
    assert p.closest_locked() is not None
    for n in range(4):
        p.on_friend(1_700_000_000 + 4000 * n, True)  # an hour apart: no HOUR_TAPS
    p.update()
    # 4 friends: Archery (5 friends) is 80 % done, Surfing (3 organisations) is done
    assert p.is_unlocked(25) and p.closest_locked() == 1
    everything = Progress()
    everything.unlocked = bytearray(b"\xff" * 5)
    assert everything.closest_locked() is None


def test_the_readme_rules_table_is_the_firmware_s():
    import os
    import re

    from cloudpin import designs

    from host_sim.paths import REPO_ROOT

    with open(os.path.join(REPO_ROOT, "README.md"), encoding="utf-8") as f:
        text = f.read()
    rows = re.findall(r"^\| (\d+) \| ([^|]+) \| ([^|]+) \|$", text, re.M)
    assert [(int(i), n.strip(), e.strip()) for i, n, e in rows] == [
        (i, designs.NAMES[i], errands.errand(i)) for i in range(errands.COUNT)]
    medals = re.findall(r"^\| (bronze|gold) \| ([^|]+) \|$", text, re.M)
    assert medals == [(errands.MEDAL_NAMES[m], errands.medal_errand(m))
                      for m in (errands.BRONZE, errands.GOLD)]
