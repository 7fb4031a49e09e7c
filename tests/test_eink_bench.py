"""`cloudpin bench render` runs on the unix port and stays within the heap budget (bytes are
deterministic; times are only reported, never asserted)."""

import json
import os
import subprocess
import sys

from host_sim.paths import REPO_ROOT


def test_bench_render_json_and_heap_budget():
    proc = subprocess.run([sys.executable, "-m", "tools.bench.render", "--json"],
                          capture_output=True, text=True, cwd=REPO_ROOT, check=True)
    result = json.loads(proc.stdout)
    assert result["runtime"].startswith("micropython")
    assert set(result["layouts"]) == {"2in13", "2in9", "1in54"}
    for panel, per in result["layouts"].items():
        for name in ("tag", "new_friend", "unlock", "pairing"):
            m = per[name]
            assert m["ms"] > 0
            # the budget: a few KB beyond the frame buffer per screen, nothing kept
            assert m["alloc_bytes"] < 4096, (panel, name, m)
            assert m["retained_bytes"] == 0, (panel, name, m)
        assert result["send_ms"][panel]["alloc_bytes"] < 2048
    assert result["qr"]["modules"] == 29 and result["qr"]["cached_bytes"] < 1024
    # the encoder must fit in what the pin has free beside BLE (~100 KB heap in all)
    assert 1024 < result["qr"]["peak_live_bytes"] < 48 * 1024
    # readable at 1 m: names of up to ~20 characters get the 24 px font or larger (capital
    # height ~3 mm on the 2.13", about twice what 20/20 eyes resolve at 1 m)
    legible = result["name_legibility"]
    for panel in ("2in13", "2in9", "1in54"):
        for name in ("Jo Wu", "Maria Fernández", "Christopher Johnson"):
            assert legible[panel][name]["font_px"] >= 24, (panel, name)
            assert not legible[panel][name]["ellipsised"]
    assert legible["2in13"]["Christopher Johnson"]["cap_mm"] >= 2.8


def test_bench_render_reports_a_failing_unix_port():
    env = dict(os.environ, CLOUDPIN_MICROPYTHON="/nonexistent/micropython")
    proc = subprocess.run([sys.executable, "-m", "tools.bench.render"], capture_output=True,
                          text=True, cwd=REPO_ROOT, env=env)
    assert proc.returncode == 1 and "not an executable" in proc.stderr
