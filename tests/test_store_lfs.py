"""cloudpin's files on the filesystem the pin really runs: MicroPython's LittleFS v2
(vfs.VfsLfs2, unix port) on a NOR flash of ours that loses power at any block program or
erase (host_sim.fakes.blockdev), and that fills up."""

from host_sim.fakes.blockdev import NorFlash, PowerCut
from tests.crossrt import run_unix

PATHS = ("friend_added", "profile_changed", "day_rolled_over", "design_chosen", "compaction",
         "log_repair")


def test_a_power_cut_at_every_block_operation_of_every_write_path_loses_nothing():
    out = run_unix("tests/portable/store_lfs_powercut.py", heapsize="2M", timeout=600)
    lines = out.splitlines()
    assert lines[-1] == "total_losses 0", out
    assert not [line for line in lines if line.startswith("LOSS")]
    rows = [line.split() for line in lines if line.split()[0] in PATHS]
    assert {r[0] for r in rows} == set(PATHS)
    for r in rows:
        f = dict(zip(r[1::2], r[2::2], strict=False))
        ops, trials = int(f["ops"]), int(f["trials"])
        assert ops >= 2 and trials == 4 * ops + 1, r  # four ways to land, at every op
    # and for most paths a second run where the write makes LittleFS compact (erase) its
    # metadata in the middle, the hardest place for the power to go
    assert sum(1 for r in rows if r[2] != "0") >= 4
    first = [line.split() for line in lines if line.startswith("first_boot")][0]
    assert int(first[2]) >= 5 and first[-1] == "0"


def test_the_block_level_harness_finds_a_compaction_that_is_not_atomic():
    # Control: delete the log, then rename the copy (no atomic rename over it).
    out = run_unix("tests/portable/store_lfs_powercut.py", heapsize="2M", args=["naive"])
    assert int(out.splitlines()[-1].split()[1]) > 0
    assert "LOSS compaction" in out


def test_a_full_flash_refuses_writes_loses_nothing_and_the_pin_goes_on():
    out = run_unix("tests/portable/store_lfs_full.py", heapsize="2M")
    assert out.splitlines()[-1] == "full_failures 0", out
    assert "full: friends refused 20 of 20" in out
    assert "full: after the reboot 5 friends, design 11 problems 0" in out
    assert "full: room again, 6 friends" in out


def test_the_chip_behaves_like_nor_flash():
    chip = NorFlash(blocks=2, block_size=64)
    port = chip.connect()
    port.ioctl(6, 0)
    port.writeblocks(0, bytearray(b"\x0f" * 4), 8)
    port.writeblocks(0, bytearray(b"\xf3" * 4), 8)  # over programmed cells: bits only clear
    buf = bytearray(4)
    port.readblocks(0, buf, 8)
    assert buf == b"\x03" * 4 and chip.unerased_programs == 4
    assert chip.erases == [1, 0]
    chip.cut_at, chip.tear = chip.ops, "half"
    try:
        port.writeblocks(1, bytearray(8), 0)
    except PowerCut:
        pass
    else:
        raise AssertionError("no power cut")
    assert chip.data[64:72] == b"\x00" * 4 + b"\xff" * 4  # half of the program landed
    assert port.writeblocks(1, bytearray(8), 0) == -5  # dead until reboot
    chip.reboot()
    assert port.readblocks(0, buf, 0) == -5  # and that boot's connection stays dead
    assert chip.connect().readblocks(0, buf, 8) == 0 and buf == b"\x03" * 4
