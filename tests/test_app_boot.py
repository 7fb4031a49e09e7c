"""The firmware app boots on a simulated pin (CPython, virtual time) and on the unix port
(fake hardware, a pin-sized heap)."""

from cloudpin.app import App

from host_sim.fakes.board import sim_board
from host_sim.runtime.scheduler import Simulation
from tools.bench import heap as bench_heap


def test_app_runs_60_simulated_seconds_on_one_pin(tmp_path):
    logged = []
    board = sim_board("pin0", storage_root=str(tmp_path), log=lambda *a: logged.append(a))
    app = App(board)
    with Simulation(start_ticks_ms=(1 << 30) - 30_000) as sim:  # crosses the ticks wrap too
        task = sim.spawn(app.run())
        sim.run_for(60)
        assert not task.done()  # still running: the app never returns on its own
    assert app.stats.heartbeats == 60
    assert app.stats.uptime_ms == 60_000
    assert logged and logged[0][0] == "cloudpin: boot on board"


def test_bounded_run_stops_its_tasks(tmp_path):
    app = App(sim_board("pin0", storage_root=str(tmp_path), log=lambda *a: None))
    with Simulation() as sim:
        sim.run_until_complete(app.run(duration_ms=5000))
        beats = app.stats.heartbeats
        sim.run_for(10)
    assert beats == 5 and app.stats.heartbeats == 5


def test_whole_app_runs_on_the_unix_port_within_the_64k_budget():
    # Every service runs (emulated panel, accelerometer replaying a walk, buttons, battery, a
    # fake BLE). The unix port holds the imported bytecode, fonts and designs in RAM, which
    # the pin keeps in flash: the budget applies to what the running app itself holds.
    figures = bench_heap.measure(duration_ms=2500)
    print("unix port heap figures:", figures)
    assert figures["heartbeats"] >= 1  # real time on the unix port: at least one beat
    assert figures["display_drawn"]  # the name tag was drawn (its refresh takes real seconds)
    assert 0 < figures["app_heap_bytes"] < 64 * 1024
