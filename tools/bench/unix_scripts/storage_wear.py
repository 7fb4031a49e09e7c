# Run on the MicroPython unix port by tools/bench/storage.py: the flash wear of an event.
# The firmware's own storage code (the App on a board with storage only, cloudpin.daily's
# step record) on MicroPython's LittleFS v2 over a counting NOR flash the size of the
# ESP32's filesystem partition (host_sim.fakes.blockdev), through a simulated event:
#
#   micropython storage_wear.py DAYS FRIENDS [BLOCKS]
#
# Each day: 12 hours worn, 10,000 steps (the step record written every 50 steps, as the
# firmware does), the housekeeping save every 5 minutes (activity and errands), the day's
# share of FRIENDS new friends spread over the day (each one appended and saved), one
# design change; at night the pin shuts down (its final save), and boots again the next
# morning (remount, the friends log read), where the day rolls over. Prints one JSON line:
# erase counts per block (the worst, the mean), totals, the filesystem's use.
import json
import sys

from cloudpin.daily import DailySteps

from host_sim.pins.lfs_powercut import Flash, booted, friend_card

DAYS = int(sys.argv[1]) if len(sys.argv) > 1 else 30
FRIENDS = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
BLOCKS = int(sys.argv[3]) if len(sys.argv) > 3 else 512  # 2 MB of 4 KB blocks
WORN_MIN = 12 * 60
STEPS_PER_DAY = 10000
FIRST_DAY = 20000

flash = Flash(blocks=BLOCKS)
flash.write("profile.json", b'{"name": "Ada Lovelace", "org": "Analytical Engines"}')
made = 0
writes = 0
for d in range(DAYS):
    day = FIRST_DAY + d
    app = booted()  # the morning's boot
    daily = DailySteps(app.store)
    today = FRIENDS * (d + 1) // DAYS - made  # this day's share of the event's friends
    at = [WORN_MIN * (k + 1) // (today + 1) for k in range(today)]
    steps = 0
    nxt = 0
    for minute in range(WORN_MIN):
        steps = STEPS_PER_DAY * (minute + 1) // WORN_MIN
        daily.update(day, steps)
        if minute == 0:
            app._closed(app.activity.on_steps(day, 0))
        app.activity.on_steps(day, steps)
        while nxt < len(at) and at[nxt] == minute:
            app._on_friend(friend_card(made), b"\x00" * 6)
            made += 1
            nxt += 1
        if minute % 5 == 4:
            app._save()
        if minute == 300:
            app.next_design()  # the button: the next unlocked design, written to flash
    app.shutdown()  # the night: a planned stop, then deep sleep
    daily.flush()
    flash.reboot()

app = booted()
stat = None
try:
    import os

    stat = os.statvfs("/flash")
except (ImportError, OSError):
    pass
erases = flash.chip.erases
used = [e for e in erases if e]
print(json.dumps({
    "days": DAYS, "friends": app.friends.count, "friends_wanted": FRIENDS,
    "blocks": BLOCKS, "block_size": flash.chip.block_size,
    "erases_total": sum(erases), "worst_block_erases": max(erases),
    "mean_block_erases": round(sum(erases) / BLOCKS, 1),
    "blocks_ever_erased": len(used),
    "programs": flash.chip.programs, "reads": flash.chip.reads,
    "unerased_programs": flash.chip.unerased_programs,
    "free_blocks": stat[3] if stat else None,
    "steps_today": app.activity.steps, "problems": app.problems,
}))
flash.unmount()
