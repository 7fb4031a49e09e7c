"""What a simulated pin draws from its battery.

Each part of the pin is in one state at a time; the simulator's fakes report state changes
(the BLE fake when it scans or advertises, the panel emulator while it refreshes, the app
when it sleeps) and the meter integrates current over virtual time. Figures in mA, with their
sources; the ESP32 dominates, so its numbers matter most.
"""

# Current per part and state, mA.
CURRENT_MA = {
    # ESP32-WROOM-32 (datasheet v3.x, "RF power-consumption specifications" and "power-down
    # modes"; DESIGN.md's measured figures for MicroPython):
    ("cpu", "active"): 40.0,       # MicroPython running with the BLE controller idle (measured)
    ("cpu", "light_sleep"): 0.8,   # datasheet: light-sleep 0.8 mA
    ("cpu", "deep_sleep"): 0.01,   # datasheet: deep-sleep, RTC timer + RTC memory, 10 uA
    ("cpu", "off"): 0.0,
    # Radio on top of the CPU's figure. RX/listen 80-100 mA total (datasheet "Rx BT/BLE"
    # ~ 95-100 mA); counted as 50 mA beyond the 40 mA base, so a continuously scanning pin
    # draws ~ 90 mA and empties 1000 mAh in ~ 11 h (DESIGN.md: about 9 h measured).
    ("radio", "scan"): 50.0,
    ("radio", "idle"): 0.0,
    # Advertising: TX at 0 dBm ~ 130 mA (datasheet "Tx BLE 0 dBm") for ~ 0.38 ms per channel,
    # three channels per advert; accounted per advert in ADVERT_MAH below, not as a state.
    # E-paper panel (Good Display GDEY0213B74 / SSD1680 datasheet: operating current ~ 5 mA
    # during refresh, deep sleep ~ 1 uA):
    ("panel", "refresh"): 5.0,
    ("panel", "sleep"): 0.001,
    # LIS3DH (ST datasheet table 12: 11 uA at 50 Hz normal mode, 6 uA low-power mode).
    ("accel", "normal"): 0.011,
    ("accel", "low_power"): 0.006,
    ("accel", "off"): 0.0005,
}
# One legacy advert: 3 channels x 0.38 ms at (130 - 40) mA beyond the base, in mAh.
ADVERT_MAH = 3 * 0.38e-3 / 3600 * 90.0
BATTERY_MAH = 1000.0


class PowerMeter:
    """    meter = PowerMeter(now_s=0)
           meter.set("radio", "scan", now_s=12.5)
           meter.advert()                       # one advertising event
           meter.mah(now_s=3600)                # charge drawn so far
    """

    def __init__(self, now_s=0.0, states=None):
        self._since = now_s
        self._state = dict(states or {"cpu": "active", "radio": "idle", "panel": "sleep",
                                      "accel": "normal"})
        for part, state in self._state.items():
            if (part, state) not in CURRENT_MA:
                raise ValueError(f"unknown power state {part}={state}")
        self._mah = 0.0
        self.adverts = 0
        self.seconds_in = {}  # (part, state) -> seconds

    def _settle(self, now_s):
        dt = now_s - self._since
        if dt < 0:
            raise ValueError("time went backwards")
        if dt:
            for part, state in self._state.items():
                self._mah += CURRENT_MA[(part, state)] * dt / 3600.0
                key = (part, state)
                self.seconds_in[key] = self.seconds_in.get(key, 0.0) + dt
            self._since = now_s

    def set(self, part, state, now_s):
        if (part, state) not in CURRENT_MA:
            raise ValueError(f"unknown power state {part}={state}")
        self._settle(now_s)
        self._state[part] = state

    def state(self, part):
        return self._state[part]

    def advert(self, count=1):
        self.adverts += count
        self._mah += ADVERT_MAH * count

    def mah(self, now_s):
        self._settle(now_s)
        return self._mah

    def average_ma(self, now_s, since_s=0.0):
        span = now_s - since_s
        return self.mah(now_s) * 3600.0 / span if span > 0 else 0.0

    def battery_hours(self, now_s, since_s=0.0, capacity_mah=BATTERY_MAH):
        """Hours a full battery lasts at the average draw seen so far."""
        avg = self.average_ma(now_s, since_s)
        return capacity_mah / avg if avg > 0 else float("inf")

    def duty(self, part, state):
        total = sum(v for (p, _), v in self.seconds_in.items() if p == part)
        return self.seconds_in.get((part, state), 0.0) / total if total else 0.0
