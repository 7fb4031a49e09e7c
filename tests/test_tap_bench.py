"""`cloudpin bench tap` end to end (small runs: this checks the tool, not the figures) and the
unix-port cost benchmark of the scan path."""

import json
import os
import subprocess
import sys

from host_sim.paths import REPO_ROOT

KEYS = ("tap_success_rate", "tap_latency_p50_s", "tap_latency_p95_s",
        "false_friends_per_bystander_hour", "false_friend_rate_passers", "radio_duty_cycle",
        "adverts_per_s_per_pin",
        # what the gated figure is made of
        "false_friends_per_bystander_hour_rssi_only",
        "false_friends_per_bystander_hour_never_in_hand", "bystanders_both_in_hand_share")


def _cli(*args):
    exe = os.path.join(os.path.dirname(sys.executable), "cloudpin")
    return subprocess.run([exe, "bench", "tap", *args], capture_output=True, text=True,
                          cwd=REPO_ROOT, timeout=600)


def test_bench_tap_prints_one_json_object_with_the_issue_keys(tmp_path):
    scenario = tmp_path / "room.json"
    scenario.write_text(json.dumps({"channel": {"capture_db": 10}}))
    proc = _cli("--trials", "4", "--passers", "4", "--bystander-hours", "0.05", "--seed", "3",
                "--shadowing-db", "6", "--device-offset-db", "4", "--body-loss-db", "18",
                "--crowd", "5", "--scenario", str(scenario), "--channel", "exp_far=2.5",
                "--json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)  # exactly one JSON document on stdout
    for key in KEYS:
        assert key in result
    assert 0.0 <= result["tap_success_rate"] <= 1.0
    assert 0.0 < result["radio_duty_cycle"] <= 1.0
    assert 5.0 < result["adverts_per_s_per_pin"] < 12.0  # 100 ms + 0-10 ms advDelay
    ch = result["channel"]
    assert (ch["shadowing_db"], ch["device_offset_db"], ch["body_loss_db"]) == (6, 4, 18)
    assert (ch["capture_db"], ch["exp_far"]) == (10, 2.5)
    assert result["crowd"] == 5 and result["trials"] == 4
    assert result["in_hand_gate"] is True and 0.0 <= result["bystanders_both_in_hand_share"] <= 1


def test_bench_tap_rssi_only_leaves_the_accelerometers_out():
    proc = _cli("--trials", "2", "--passers", "1", "--bystander-hours", "0.02", "--seed", "5",
                "--rssi-only", "--json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["in_hand_gate"] is False
    assert "bystanders_both_in_hand_share" not in result


def test_bench_tap_is_deterministic_for_a_seed():
    args = ("--trials", "3", "--passers", "2", "--bystander-hours", "0.02", "--seed", "4",
            "--json")
    first, second = _cli(*args), _cli(*args)
    assert first.returncode == second.returncode == 0
    assert json.loads(first.stdout) == json.loads(second.stdout)


def test_bench_tap_rejects_bad_arguments_with_a_message(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    cases = (("--trials", "0"), ("--channel", "warp_factor=9"), ("--channel", "exp_far"),
             ("--scenario", str(tmp_path / "missing.json")), ("--scenario", str(bad)),
             ("--shadowing-db", "-1"), ("--handling-per-hour", "-2"))
    for args in cases:
        proc = _cli(*args, "--json")
        assert proc.returncode == 2, args
        assert "cloudpin bench tap:" in proc.stderr, args
        out = json.loads(proc.stdout)  # with --json, the envelope says why
        assert out["ok"] is False and out["error"] in proc.stderr, args


def test_scan_path_on_the_unix_port_allocates_nothing_for_foreign_adverts_and_fits():
    from tools.bench import tap_unix as bench_tap_unix

    r = bench_tap_unix.measure(rounds=3)
    assert r["foreign_adverts_allocated"] is False  # ran with the heap locked
    assert r["irq_errors"] == 0
    assert r["proximity_table_size"] <= 32  # 300 pins in view, bounded table
    assert r["heap_peak_without_bytecode_bytes"] < 64 * 1024
    assert r["scan_us_per_foreign_advert"] > 0 and r["scan_us_per_our_advert"] > 0
