"""Buttons: presses classified from pin levels, mapped to the pin's actions.

PressClassifier is pure logic fed (pressed, now_ms) on every edge and polled with now_ms;
it reports SHORT, DOUBLE and LONG presses with debouncing. Buttons is the service: an IRQ on
each pin only sets a ThreadSafeFlag (nothing allocates in the IRQ), a task samples the levels
and hands actions to the app.

Actions by board: with two buttons, A short = wake and refresh, A long = show pairing
passkey, B short = next design, B long = undo the last friend. With one button: short =
wake and refresh, double = next design, long = undo the last friend.
"""

import asyncio
import time

from micropython import const

SHORT = const(1)
DOUBLE = const(2)
LONG = const(3)

DEBOUNCE_MS = const(30)
LONG_MS = const(1200)
DOUBLE_GAP_MS = const(350)

REFRESH = "refresh"
NEXT_DESIGN = "next_design"
UNDO_FRIEND = "undo_friend"
PAIRING = "pairing"


class PressClassifier:
    def __init__(self, double=True):
        self.double = double  # False: report SHORT at release, without waiting for a second
        self._down = False
        self._down_at = 0
        self._last_edge = 0
        self._long_sent = False
        self._pending_short = False
        self._released_at = 0

    def edge(self, pressed, now_ms):
        """A level change. Returns an event or 0."""
        if pressed == self._down:
            return 0
        if time.ticks_diff(now_ms, self._last_edge) < DEBOUNCE_MS:
            return 0  # contact bounce
        self._last_edge = now_ms
        self._down = pressed
        if pressed:
            self._down_at = now_ms
            self._long_sent = False
            return 0
        if self._long_sent:
            return 0
        if not self.double:
            return SHORT
        if self._pending_short:
            self._pending_short = False
            return DOUBLE
        self._pending_short = True
        self._released_at = now_ms
        return 0

    def poll(self, now_ms):
        """Call every few tens of ms while a press may be in progress. Returns an event or 0."""
        if self._down and not self._long_sent and time.ticks_diff(now_ms, self._down_at) >= LONG_MS:
            self._long_sent = True
            self._pending_short = False
            return LONG
        if (self._pending_short and not self._down
                and time.ticks_diff(now_ms, self._released_at) > DOUBLE_GAP_MS):
            self._pending_short = False
            return SHORT
        return 0

    def busy(self):
        return self._down or self._pending_short


def action_map(names):
    """{(button, event): action} for the buttons a board has."""
    names = sorted(names)
    if len(names) >= 2:
        a, b = names[0], names[1]
        return {(a, SHORT): REFRESH, (a, LONG): PAIRING,
                (b, SHORT): NEXT_DESIGN, (b, LONG): UNDO_FRIEND}
    if names:
        a = names[0]
        return {(a, SHORT): REFRESH, (a, DOUBLE): NEXT_DESIGN, (a, LONG): UNDO_FRIEND}
    return {}


class Buttons:
    """    buttons = Buttons(board.buttons, on_action)   # on_action(action_name)
           asyncio.create_task(buttons.run())"""

    def __init__(self, pins, on_action):
        self._pins = pins  # name -> (Pin, active_low)
        self._on_action = on_action
        self._actions = action_map(pins.keys())
        single = len(pins) < 2
        self._classifiers = {name: PressClassifier(double=single) for name in pins}
        self._flag = asyncio.ThreadSafeFlag()
        for name in pins:
            pin = pins[name][0]
            pin.irq(self._irq, 3)  # both edges

    def _irq(self, pin):
        self._flag.set()

    def _pressed(self, name):
        pin, active_low = self._pins[name]
        return (pin.value() == 0) == bool(active_low)

    def _step(self, now):
        busy = False
        for name, classifier in self._classifiers.items():
            event = classifier.edge(self._pressed(name), now) or classifier.poll(now)
            if event:
                action = self._actions.get((name, event))
                if action:
                    self._on_action(action)
            busy = busy or classifier.busy()
        return busy

    async def run(self):
        while True:
            await self._flag.wait()
            # Sample every 20 ms until every press is classified and the levels have been
            # quiet for longer than a bounce (an edge inside DEBOUNCE_MS is seen next sample).
            quiet = 0
            while quiet < 3:
                quiet = 0 if self._step(time.ticks_ms()) else quiet + 1
                await asyncio.sleep_ms(20)
