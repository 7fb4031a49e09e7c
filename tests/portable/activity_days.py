# A fortnight and more of days, including no sync at first, a sleep across midnight, a gap,
# and a clock that jumps back. Both runtimes print the same.
from cloudpin import activity

a = activity.Activity()
print("unsynced", a.on_steps(None, 120), a.on_friend(None), a.days())
print("first_sync", a.on_steps(20000, 150), a.days())
print("new_day", a.on_steps(20001, 10, yesterday_steps=480), a.days())
a.on_friend(20001)
print("gap", a.on_steps(20004, 5, yesterday_steps=900))
print("clock_back", a.on_steps(19990, 7), a.day)
for d in range(20005, 20025):
    a.on_steps(d, d - 20000, yesterday_steps=a.steps)
print("history", len(a.history), a.history[0], a.days()[-1])
raw = a.to_bytes()
b = activity.from_bytes(raw)
print("roundtrip", b.days() == a.days(), len(raw))
print("corrupt", activity.from_bytes(raw[:-1]).days())
