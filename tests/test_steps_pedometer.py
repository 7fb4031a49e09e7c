"""The pedometer on CPython: accuracy on generated walking, silence on non-walking, rates,
integer-only state, and the rhythm gate's corner cases."""

import math
from array import array

import pytest

from host_sim import runtime
from host_sim.people import motion

runtime.install()

from cloudpin.pedometer import Pedometer  # noqa: E402


def count(rec):
    ped = Pedometer(rec.rate_hz)
    for x, y, z in zip(rec.xs, rec.ys, rec.zs, strict=True):
        ped.feed(x, y, z)
    return ped


@pytest.mark.parametrize("rate", [12.5, 25, 50, 100])
@pytest.mark.parametrize("placement", ["chest", "lanyard"])
def test_walking_within_five_percent_at_every_rate(rate, placement):
    rec = motion.walking(11, placement, "walk", duration_s=120).render(rate)
    ped = count(rec)
    true = rec.true_steps()
    assert true > 100
    assert abs(ped.steps - true) <= 0.05 * true, (ped.steps, true)


def test_non_walking_stays_near_zero():
    # The target is an average over non-walking time; vehicles are the weak class (a bumpy
    # road can hold a rhythm for a few seconds), so they get their own, looser bound.
    false = {}
    minutes = 0
    for kind in motion.NEGATIVES:
        for seed in (5, 6):
            rec = motion.negative(kind, seed, "chest", duration_s=300).render(25)
            assert rec.true_steps() == 0
            false[kind] = false.get(kind, 0) + count(rec).steps
            minutes += 5
    assert sum(false.values()) <= minutes * 1.0, false
    for kind in ("sitting_typing", "standing_gesturing", "handling"):
        assert false[kind] <= 2, false
    assert false["vehicle"] <= 30, false  # <= 3 per minute over these 10 minutes


def synthetic(rate, cadence_hz, seconds, amp=250, start_s=0.0):
    """A clean vertical step signal, in a tilted orientation."""
    out = []
    for i in range(int(seconds * rate)):
        t = i / rate
        v = amp * math.cos(2 * math.pi * cadence_hz * (t - start_s)) if t >= start_s else 0
        out.append((int(600 + 0.6 * v), int(-300 - 0.3 * v), int(742 + 0.74 * v)))
    return out


def test_clean_steps_counted_exactly_and_short_bursts_ignored():
    ped = Pedometer(25)
    for s in synthetic(25, 2.0, 30, start_s=1.0):
        ped.feed(*s)
    assert abs(ped.steps - 58) <= 2  # 29 s of steps at 2 Hz
    # Four knocks in rhythm are not a walk: bouts confirm after six.
    ped = Pedometer(25)
    for s in synthetic(25, 2.0, 2.0, start_s=0.1) + [(600, -300, 742)] * 75:
        ped.feed(*s)
    assert ped.steps == 0


def test_gap_ends_a_bout():
    ped = Pedometer(50)
    sig = synthetic(50, 1.8, 10)
    for s in sig:
        ped.feed(*s)
    counted = ped.steps
    assert counted >= 15
    ped.gap()
    # After a gap the next steps need a fresh confirmation: a 2 s burst adds nothing.
    for s in sig[:100]:
        ped.feed(*s)
    assert ped.steps == counted


def test_rates_outside_range_rejected():
    for bad in (5, 11.9, 101, 400):
        with pytest.raises(ValueError):
            Pedometer(bad)


def test_state_is_small_ints_even_for_wild_input():
    ped = Pedometer(100)
    wild = [(4000, 4000, 4000), (-4000, -4000, -4000), (0, 0, 0), (32767, -32768, 0),
            (1, 0, 0), (0, 0, 0)] * 50
    for s in wild:
        ped.feed(*s)
    for name, value in vars(ped).items():
        if isinstance(value, bool):
            continue
        if isinstance(value, array):
            if value.typecode == "H":
                continue  # candidate intervals, unsigned 16 bit
            # The stride test's history: 16-bit ints bounded so its sums stay small ints.
            assert value.typecode == "h" and max(abs(v) for v in value) <= 2047, name
            assert sum(v * v for v in value) < 2 ** 30, name
            continue
        assert isinstance(value, int), (name, value)  # no floats in the per-sample state
        assert abs(value) < 2 ** 30, (name, value)     # no long ints on the pin


def stride_signal(rate, seconds, bump):
    """0.8 s cycles: a big swing, then (with bump) a smaller one half-way (the other step of a
    swinging hand or a pocket, too weak to be a candidate); without it, one slow step."""
    out = []
    for i in range(int(seconds * rate)):
        phase = (i / rate) % 0.8 / 0.8
        v = 300 if phase < 0.25 else -200 if phase < 0.5 else \
            (80 if bump and phase < 0.7 else -180)
        out.append((40, -200, 1000 + v))
    return out


@pytest.mark.parametrize("rate", [25, 50])
def test_candidates_once_per_stride_count_two_steps(rate):
    # Candidates 0.8 s apart either way; only the signal between them tells steps of a slow
    # walk (one per candidate) from strides (two).
    for bump, per_cycle in ((True, 2), (False, 1)):
        ped = Pedometer(rate)
        for s in stride_signal(rate, 60, bump):
            ped.feed(*s)
        cycles = 60 / 0.8
        assert abs(ped.steps - per_cycle * cycles) <= 2 * per_cycle, (bump, ped.steps)


def test_alternating_intervals_and_swings_confirm_and_count():
    # A pocket: the phone's leg swings twice as hard, and the candidates' instants alternate
    # 0.35 s / 0.65 s (a 1 s stride). Every step counts (after the bout confirms, all of it).
    rate = 25
    out = []
    t = 0.0
    steps = 0
    while t < 60:
        for dur, amp in ((0.35, 500), (0.65, 250)):
            n = int(round(dur * rate))
            for k in range(n):
                out.append((0, 300, int(1000 + amp * math.sin(2 * math.pi * k / n))))
            steps += 1
            t += dur
    ped = Pedometer(rate)
    for s in out:
        ped.feed(*s)
    assert abs(ped.steps - steps) <= 2, (ped.steps, steps)
