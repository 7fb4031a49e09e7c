"""`cloudpin bench storage`: damage to the firmware's files with whole boots, and wear."""

import subprocess
import sys

from tools.bench import storage
from tools.cli import build_parser


def test_damage_to_a_pins_files_costs_only_what_was_damaged_and_is_always_said():
    files = ("data/friends.log", "data/identity.0", "data/profile.json.1", "data/activity.1",
             "data/design.0", "data/bonds.1")
    got = storage.damage_bench(friends=3, dense_limit=24, only=files)
    assert set(got["files"]) == set(files)
    assert got["cases"] > 800
    assert got["boot_failures"] == 0 and got["records_lost_beyond_damaged"] == 0
    assert got["unreported_changes"] == 0, got["examples"]
    for name, row in got["files"].items():
        # all but the harmless (the older copy deleted, a cut between records...) are said
        assert row["reported"] >= row["cases"] - 3, (name, row)


def test_the_wear_run_counts_erases_per_block_on_the_unix_ports_littlefs():
    wear = storage.wear_bench(days=2, friends=30, blocks=128)
    assert wear["friends"] == 30 and wear["problems"] == []
    assert wear["unerased_programs"] == 0  # LittleFS never programs over unerased cells
    assert 0 < wear["worst_block_erases"] <= wear["erases_total"]
    assert wear["mean_block_erases"] <= wear["worst_block_erases"]
    assert wear["worst_block_share_of_rated"] == wear["worst_block_erases"] / 100000


def test_the_bench_is_a_cloudpin_command():
    args = build_parser().parse_args(["bench", "storage", "--no-wear", "--json"])
    assert args._run is storage.run
    proc = subprocess.run([sys.executable, "-m", "tools.cli", "bench", "storage",
                           "--friends", "1"], capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "--friends must be" in proc.stderr
