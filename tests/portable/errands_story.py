# A wearer's week, told as events; prints what unlocks when. Both runtimes must agree.
from cloudpin import errands

p = errands.Progress()
print("start", p.unlocked_designs())
t = 1700000000


def friend(new_org):
    p.on_friend(t, new_org)
    return p.update()


print("first friend", friend(True))
t += 600
print("second within the hour", friend(False))
t += 7200
for i in range(3):
    t += 60
    print("friend", i + 3, friend(i % 2 == 0))
p.on_met_again()
print("met again", p.update())
p.on_steps(12000)
print("12k steps", p.update())
p.on_day_closed(12000, 5)
print("day closed", p.update(), p.progress(7), p.progress(18))
for _ in range(6):
    p.on_steps(6000)
    p.update()
    p.on_day_closed(6000, 0)
print("after a week", p.update(), "streak", p.value(errands.STREAK))
p.on_day_closed(6000, 0, consecutive=False)
print("gap breaks the streak", p.streak, p.best_streak)
p.on_friend_undone(org_gone=True)
print("undo keeps unlocks", p.friends, p.orgs, len(p.unlocked_designs()), p.update())
p.on_steps(3000)
saved = p.to_bytes()
q = errands.from_bytes(saved)
print("roundtrip", q.to_bytes() == saved, len(saved), errands.SIZE)
print("bad record", errands.from_bytes(b"\x01\x02").unlocked_designs())
print("progress", [p.progress(i) for i in range(errands.COUNT)])
