"""The whole pin in the simulator: the real App with every service on fake hardware."""

import math

from host_sim.people import scenarios
from host_sim.pins.world import World
from tools.bench.day import EVENT_START_UNIX, run_day


def _two_pins_tap(world):
    # Ada and Bo stand talking, then each takes the pin in hand and holds it out (their
    # accelerometers feel it: a tap is a gesture, pins lying still never tap).
    rng = __import__("random").Random(5)
    a_mover, b_mover, info = scenarios.tap(rng, 20.0)
    fa, fb = (scenarios.feel_tap(rng, info["lifts"][k], info["put_back"][k], info["end"] + 60)
              for k in (0, 1))
    a = world.add_pin("ada", a_mover, fa, {"name": "Ada", "org": "BBC"})
    b = world.add_pin("bo", b_mover, fb, {"name": "Bo", "org": "NHK", "handles": ["@bo"]})
    return a, b, info


def test_a_tap_makes_friends_on_both_pins_and_survives_a_reboot():
    with World(seed=3) as world:
        a, b, info = _two_pins_tap(world)
        world.run_for(5)
        for pin in (a, b):
            pin.app.sync_time(EVENT_START_UNIX, 3600)
        world.run_for(info["end"] + 5)
        for me, other in ((a, b), (b, a)):
            friend = me.app.friends.get(other.app.pin_id)
            assert friend is not None, me.log_lines
            assert me.app.activity.friends == 1
            assert me.app.progress.is_unlocked(11)  # Football: first friend
        assert b"@bo" in a.app.friends.get(b.app.pin_id).card
        # where they met, in the simulator's hall (decimetres)
        met = a.app.friends.get(b.app.pin_id)
        assert math.hypot(met.x_dm, met.y_dm) < 20
        # the new-friend screen went to the panel
        assert a.app.display._overlay is not None or a.app.display.refreshes > 0
        # a reboot (power off, on) finds everything on flash
        for pin in (a, b):
            pin.stop()
            pin.boot()
        assert a.app.friends.count == 1 and a.app.activity.friends == 1
        assert a.app.progress.is_unlocked(11) and a.app.clock.synced  # RTC kept the time
        assert a.app.pin_id == a.app.store.read("identity")


def test_undo_takes_back_only_a_fresh_friendship():
    with World(seed=3) as world:
        a, b, info = _two_pins_tap(world)
        world.run_for(info["end"] + 5)
        assert a.app.friends.count == 1
        assert a.app.undo_last_friend()
        assert a.app.friends.count == 0 and a.app.activity.friends == 0
        assert not a.app.undo_last_friend()  # nothing left to undo
        world.run_for(31)
        assert not b.app.undo_last_friend()  # more than 30 s ago
        assert b.app.friends.count == 1


def test_design_choice_is_limited_to_unlocked_designs():
    with World(seed=3) as world:
        a, _, _ = _two_pins_tap(world)
        world.run_for(2)
        assert not a.app.choose_design(0)  # Aquatics: 10 friends first
        assert a.app.choose_design(2)
        a.stop()
        a.boot()
        assert a.app.design == 2


def test_next_design_goes_through_the_unlocked_then_shows_the_nearest_locked_one():
    from cloudpin import errands, layouts

    with World(seed=3) as world:
        a, b, info = _two_pins_tap(world)
        world.run_for(info["end"] + 5)
        app = a.app
        assert app.progress.unlocked_designs() == [2, 11] and app.design == 2
        assert app.next_design() == 11 and app.design == 11
        # after the last unlocked one: the locked design nearest to done, with its errand
        assert app.next_design() is None and app.design == 11
        fn, (sport, errand, progress), _ = app.display._overlay
        assert fn is layouts.locked and sport == app.progress.closest_locked()
        assert not app.progress.is_unlocked(sport)
        assert errand == errands.errand(sport) and progress == app.progress.progress(sport)
        world.run_for(1)
        assert app.display.screen.kind == "locked"
        assert app.next_design() == 2 and app.design == 2  # and round again
        assert app.display._overlay is None  # straight back to the tag


def test_the_tag_shows_the_medal_of_the_friends_made():
    with World(seed=3) as world:
        a, b, info = _two_pins_tap(world)
        world.run_for(info["end"] + 5)
        assert a.app.display.status["medal"] == 0
        a.app.progress.friends = 50  # as if 50 taps had happened
        world.run_for(11)  # the next housekeeping round
        assert a.app.display.status["medal"] == 1
        a.app.progress.friends = 151
        world.run_for(11)
        assert a.app.display.status["medal"] == 2


def test_a_short_day_end_to_end():
    report = run_day(pins=4, seed=1, hours=0.5, night_hours=0.75, taps=0.3)
    assert report["taps_made"] >= 1
    assert report["friendships_both_sides"] == report["friendships_expected"] >= 1
    assert report["friendships_one_side_only"] == 0
    assert report["deep_sleeps"] == 4 and report["reboots_checked"] == 4
    assert report["state_survived_reboot"] is True
    assert report["power_cut_trials"] > 300 and report["power_cut_losses"] == 0
    assert abs(report["steps_error_pct"]) < 15
    assert report["battery_hours_1000mah"]["worst"] > 0


def test_a_new_deploy_wins_over_the_stored_profile_but_companion_edits_survive_reboots():
    with World(seed=3) as world:
        a, _, _ = _two_pins_tap(world)
        world.run_for(2)
        a.app.set_profile({"name": "Ada (from the companion)"})
        a.stop()
        a.boot()
        assert a.app.profile["name"] == "Ada (from the companion)"
        with open(a.board.path("profile.json"), "w") as f:
            f.write('{"name": "Ada (deployed again)"}')
        a.stop()
        a.boot()
        assert a.app.profile["name"] == "Ada (deployed again)"
        with open(a.board.path("profile.json"), "w") as f:
            f.write('{"name": ""}')  # a broken deploy: the pin keeps what it had
        a.stop()
        a.boot()
        assert a.app.profile["name"] == "Ada (deployed again)"


def test_an_unchosen_design_stays_the_same_across_a_reboot_after_unlocks():
    with World(seed=3) as world:
        a, b, info = _two_pins_tap(world)
        world.run_for(info["end"] + 5)
        a.app.progress.friends = 5  # as if five taps had happened: Archery (design 1)
        a.app._unlock()
        a.app._save()
        assert a.app.progress.is_unlocked(1) and a.app.design == 2
        a.stop()
        a.boot()
        assert a.app.design == 2  # not the lowest unlocked one
