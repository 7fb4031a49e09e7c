# DailySteps across reboots, midnight (awake and asleep), a wrong clock and a corrupt record.
# Pure logic with a dict-backed store; runs on CPython and the unix port alike.
from cloudpin.daily import DailySteps


class DictStore:
    """The store contract: read(name) -> bytes or None; write(name, data) replaces it whole."""

    def __init__(self):
        self.files = {}
        self.writes = 0

    def read(self, name):
        return self.files.get(name)

    def write(self, name, data):
        self.files[name] = bytes(data)
        self.writes += 1


def expect(cond, what):
    if not cond:
        raise AssertionError(what)
    print("ok", what)


DAY = 20415  # some day number (days since 1970)
logs = []
store = DictStore()

# A day of walking, with a planned reboot (flush) in the middle.
d = DailySteps(store, save_every=50, log=logs.append)
d.update(DAY, 0)
d.update(DAY, 120)
d.update(DAY, 340)
expect(d.today == 340, "340 steps counted")
d.flush()
d = DailySteps(store, save_every=50, log=logs.append)  # reboot: pedometer back to 0
expect(d.today == 340, "after reboot the day still has 340")
d.update(DAY, 0)
d.update(DAY, 60)
expect(d.today == 400 and d.lifetime == 400, "reboot neither lost nor double-counted")

# An unplanned reset loses at most save_every - 1 steps, never counts any twice.
d.update(DAY, 95)  # 35 unsaved since the save at 60 -> 50 threshold not reached
crashed_today = d.today
d = DailySteps(store, save_every=50, log=logs.append)
expect(crashed_today - 49 <= d.today <= crashed_today,
       "crash lost %d (< 50) steps" % (crashed_today - d.today))
d.update(DAY, 0)
d.update(DAY, 10)
before_midnight = d.today

# Midnight while awake: the first update on the new date starts the day.
d.update(DAY + 1, 25)  # 15 new steps seen in the update that crossed midnight
expect(d.day == DAY + 1 and d.today == 15, "new day starts with the steps seen after midnight")
expect(d.yesterday == before_midnight, "yesterday kept: %d" % d.yesterday)
expect(store.read("steps.json") is not None, "the day change was saved at once")

# Midnight while asleep: flush before sleeping, wake on the next date with a new pedometer.
d.update(DAY + 1, 125)
d.flush()
evening = d.today
d = DailySteps(store, save_every=50, log=logs.append)  # woke from deep sleep = a boot
d.update(DAY + 2, 0)
d.update(DAY + 2, 30)
expect(d.today == 30 and d.yesterday == evening, "asleep across midnight: 30 today, %d "
       "yesterday" % evening)
lifetime = d.lifetime

# Light sleep across midnight (same pedometer, counts kept in RAM).
d.update(DAY + 2, 80)
d.update(DAY + 3, 80)  # nothing new: the new day starts at zero
expect(d.today == 0 and d.yesterday == 80, "light sleep: today 0, yesterday 80")
d.update(DAY + 3, 90)
expect(d.lifetime == lifetime + 60, "lifetime never loses or repeats steps")

# Several days away: yesterday is zero, not the last day worn.
d.update(DAY + 6, 100)
expect(d.today == 10 and d.yesterday == 0, "days skipped: yesterday 0")

# The clock goes back (RTC lost): keep counting into the stored day, warn once.
d.update(DAY, 110)
d.update(DAY, 120)
expect(d.day == DAY + 6 and d.today == 30, "date going back does not wipe the day")
expect(len([m for m in logs if "went back" in m]) == 1, "warned once")

# A restarted pedometer (count drops) only adds its new steps.
d.update(DAY + 6, 5)
expect(d.today == 35, "pedometer restart: +5")

# Corrupt or foreign records: a clear message, a fresh start, never a crash.
for bad in (b"\xff\xfe garbage", b"{\"day\": -1, \"base\": 0, \"life\": 0}",
            b"[1, 2, 3]", b"{\"day\": 1, \"base\": 9, \"life\": 3}", b""):
    s = DictStore()
    s.files["steps.json"] = bad
    logs = []
    d = DailySteps(s, log=logs.append)
    expect(d.today == 0 and d.day is None and len(logs) == 1, "corrupt %r ignored" % bad[:12])
    d.update(DAY, 7)
    d.flush()
    expect(DailySteps(s).today == 7, "and replaced by a good record")
print("writes", store.writes)
