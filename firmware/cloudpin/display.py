"""The display service: keeps the e-paper showing the right screen with the fewest refreshes.

    display = Display(epd.from_board(board))
    display.set_profile({"name": ..., "org": ..., "role": ..., "link": ..., "sport": 3})
    display.set_status(steps=1234, friends=5, battery=80, ble="on")
    display.new_friend({"name": ..., "org": ...}, count)   # shown for hold_ms, then the tag
    display.unlocked(sport_index, "10 friends made")
    display.locked(sport_index, "Make 25 friends", (17, 25))  # a design still to earn
    display.pairing(123456, "Cloud Pin 3F2A") / display.pairing_done()
    display.notice("Storage repaired", ["friends.log: 1 record lost"], hold_ms)
    asyncio.create_task(display.run())

Other services call the setters (cheap: they only store and set a flag); run() redraws the
current screen into the driver's frame buffer, asks the RefreshPolicy what to do and shows.
After sleep_after_ms without a refresh the panel goes to deep sleep; the next refresh wakes
it (full). The QR code is recomputed only when the profile's link changes (QRCache).
"""

import asyncio
import gc
import time

from cloudpin import layouts, qr
from cloudpin.refresh import NONE, RefreshPolicy


class Display:
    def __init__(self, epd, max_partials=8, hold_ms=10000, sleep_after_ms=120000,
                 full_every_ms=0, min_interval_ms=20000, log=None):
        self.epd = epd
        self.policy = RefreshPolicy(epd.width, epd.height, max_partials, full_every_ms)
        self.qr = qr.QRCache()
        self.hold_ms = hold_ms
        self.sleep_after_ms = sleep_after_ms
        # Counters change every second while walking; refreshing that often would flicker
        # and drain the battery. Overlays and profile changes skip this wait (_urgent).
        self.min_interval_ms = min_interval_ms
        self._urgent = asyncio.Event()
        self.log = log
        self.profile = {}
        self.status = {"steps": 0, "friends": 0, "battery": None, "ble": "off"}
        self._overlay = None        # (layout function, args, until_ms or None)
        self._changed = asyncio.Event()
        self._asleep = False
        self.screen = None          # the Screen last drawn
        self.refreshes = 0
        self.errors = 0
        self.retry_ms = 60000

    # -- what other services call ------------------------------------------------------------

    def set_profile(self, profile):
        self.profile = profile
        self._changed.set()
        self._urgent.set()

    def set_status(self, **values):
        status = self.status
        for k in values:
            if status.get(k) != values[k]:
                status[k] = values[k]
                self._changed.set()

    def new_friend(self, friend, count):
        self._show_overlay(layouts.new_friend, (friend, count), self.hold_ms)

    def unlocked(self, sport, reason):
        self._show_overlay(layouts.unlock, (sport, reason), self.hold_ms)

    def locked(self, sport, errand, progress=None):
        self._show_overlay(layouts.locked, (sport, errand, progress), self.hold_ms)

    def pairing(self, passkey, device_name=""):
        self._show_overlay(layouts.pairing, (passkey, device_name), None)

    def notice(self, title, lines, hold_ms=None):
        """Something the wearer should know (a damaged profile at boot): shown for hold_ms
        (default: the overlay time), then the name tag again."""
        self._show_overlay(layouts.notice, (title, tuple(lines)),
                           self.hold_ms if hold_ms is None else hold_ms)

    def pairing_done(self):
        self._close(layouts.pairing)

    def locked_done(self):
        """The wearer moved on from a locked design's screen (chose a design)."""
        self._close(layouts.locked)

    def _close(self, fn):
        if self._overlay is not None and self._overlay[0] is fn:
            self._overlay = None
            self._changed.set()
            self._urgent.set()

    def _show_overlay(self, fn, args, hold_ms):
        until = None if hold_ms is None else time.ticks_add(time.ticks_ms(), hold_ms)
        self._overlay = (fn, args, until)
        self._changed.set()
        self._urgent.set()

    # -- the task ------------------------------------------------------------------------------

    def draw(self, now_ms):
        """Draw the current screen into the frame buffer; returns its Screen."""
        overlay = self._overlay
        if overlay is not None and overlay[2] is not None and \
                time.ticks_diff(now_ms, overlay[2]) >= 0:
            overlay = self._overlay = None
        if overlay is not None:
            self.screen = overlay[0](self.epd, *overlay[1])
        else:
            self.screen = layouts.name_tag(self.epd, self.profile, self.status, self.qr)
        return self.screen

    async def refresh(self):
        """Redraw and refresh if the policy says so; returns the mode used or NONE."""
        now = time.ticks_ms()
        screen = self.draw(now)
        if self._asleep:
            self.policy.wake()
            self._asleep = False
        mode, window = self.policy.decide(screen.key, screen.regions, now)
        if mode == NONE:
            return NONE
        used = await self.epd.show(mode, window)
        self.refreshes += 1
        return used

    def _wait_ms(self):
        overlay = self._overlay
        wait = self.sleep_after_ms
        if overlay is not None and overlay[2] is not None:
            wait = min(wait, max(0, time.ticks_diff(overlay[2], time.ticks_ms())))
        return wait

    async def _refresh_guarded(self):
        # A panel that stops answering (BUSY stuck, SPI error) or a heap too fragmented for
        # the QR encoder must not end the display task: log, retry later from a full init.
        try:
            return await self.refresh()
        except (OSError, MemoryError) as exc:
            self.errors += 1
            if self.log is not None:
                self.log("display: refresh failed:", repr(exc))
            self._asleep = True  # re-initialise the panel and refresh in full next time
            gc.collect()
            await asyncio.sleep_ms(self.retry_ms)
            self._changed.set()
            return NONE

    async def run(self):
        while True:
            self._changed.clear()
            self._urgent.clear()
            if await self._refresh_guarded() != NONE and self.min_interval_ms:
                try:
                    await asyncio.wait_for_ms(self._urgent.wait(),
                                              min(self.min_interval_ms, self._wait_ms()))
                except asyncio.TimeoutError:
                    pass
            if self._changed.is_set():
                continue
            try:
                await asyncio.wait_for_ms(self._changed.wait(), self._wait_ms())
            except asyncio.TimeoutError:
                if self._overlay is None and not self._asleep:
                    await self.epd.sleep()
                    self._asleep = True
                    # nothing changed: wait without a timeout until something does
                    await self._changed.wait()
