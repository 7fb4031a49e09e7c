# ruff: noqa: F821  (gc, time, json and the verdict helpers come from _prelude.py)
# Buttons: each one of the board's buttons must be seen pressed and released.
# On a real pin a person presses them when asked (20 s each); on the unix pin a simulated
# finger does.
TIMEOUT_MS = 20000

board = load_board()
missing = []
for name in sorted(board.buttons):
    pin, active_low = board.buttons[name]
    pressed_level = 0 if active_low else 1
    print("press and release button %s (GPIO %s)" % (name, getattr(pin, "id", "?")))
    start = time.ticks_ms()
    seen_press = seen_release = False
    last_note = start
    while time.ticks_diff(time.ticks_ms(), start) < TIMEOUT_MS:
        level = pin.value()
        if not seen_press and level == pressed_level:
            seen_press = True
        elif seen_press and level != pressed_level:
            seen_release = True
            break
        if time.ticks_diff(time.ticks_ms(), last_note) > 2000:
            print("  still waiting for button %s" % name)  # keeps mpremote's timeout away
            last_note = time.ticks_ms()
        time.sleep_ms(5)
    if not seen_release:
        missing.append(name)
if not board.buttons:
    failed("the board definition has no buttons")
elif missing:
    failed("no press and release seen on: %s" % ", ".join(missing))
else:
    passed("pressed and released: %s" % ", ".join(sorted(board.buttons)))
