"""Simulated pins for the companion: each runs the real cloudpin.companion service on a
host_sim.radio.bluetooth_secure.SecureBLE, with its files in a folder, as a person's pin in pairing mode.

    world = CompanionWorld.demo(state_dir, pins=3, seed=1)
    host_sim.bleak_backends.sim.use(world)     # bleak's sim backend now talks to these pins

The world also keeps the laptop's side of bonds (which pins this "laptop" has paired with) in
state_dir, so separate `cloudpin companion --sim ...` runs behave like one laptop over time.
"""

import json
import os
import random
import sys

from host_sim import runtime

runtime.install()  # before host_sim.radio.bluetooth and the firmware: they import micropython

from host_sim.radio import bluetooth as ble  # noqa: E402

ble.install()  # `import bluetooth` in the firmware finds host_sim's fake

from cloudpin import companion  # noqa: E402
from cloudpin.designs import LOCKED as LOCKED_DESIGN  # noqa: E402

from host_sim.radio.bluetooth_secure import SecureBLE  # noqa: E402

_FIRST = ("Ada", "Björn", "Chiara", "Dmitri", "Eun-ji", "Farah", "Gaël", "Hiro", "Ingrid",
          "José", "Kwame", "Lena", "Mateus", "Nadia", "Oisín", "Priya")
_LAST = ("Lovelace", "Sørensen", "Bianchi", "Volkov", "Park", "Haddad", "Le Guen", "Tanaka",
         "Berg", "Núñez", "Mensah", "Fischer", "Costa", "Rahman", "Byrne", "Iyer")
_ORGS = ("EBU", "RTÉ", "NHK", "BBC Sport", "France Télévisions", "ARD", "SVT", "Globo")
_ROLES = ("Camera", "Producer", "Commentator", "Editor", "Sound", "Runner")


class DirStore:
    """The store protocol (read(name) -> bytes or None, write(name, data)) on a folder,
    atomic: write a temporary file, then rename it over the old one."""

    def __init__(self, root):
        self.root = root
        os.makedirs(root, exist_ok=True)

    def read(self, name):
        try:
            with open(os.path.join(self.root, name), "rb") as f:
                return f.read()
        except OSError:
            return None

    def write(self, name, data):
        path = os.path.join(self.root, name)
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(bytes(data))
        os.replace(tmp, path)


class SimPin:
    def __init__(self, name, address, root, rssi, friends, stats, seed=None):
        self.name = name
        self.address = address
        self.rssi = rssi
        self.store = DirStore(root)
        self.friend_list = friends
        self.base_stats = stats
        self.shown_passkey = None      # what the panel shows right now
        self.passkeys_shown = []       # every passkey the panel showed
        mac = bytes(int(b, 16) for b in address.split(":"))
        self.ble = SecureBLE(mac=mac, name=name)
        # Passkeys: reproducible for a seed (tests), else from the OS like the pin's urandom.
        rng = random.Random(seed) if seed is not None else random.SystemRandom()
        self.service = companion.CompanionService(
            self.ble, self.store, show_passkey=self._show, friends=companion.friends_from_list(self.friend_list),
            stats=self._stats, on_design=self._on_design, rng=lambda: rng.getrandbits(32))
        self.service.start()
        self.ble.gap_advertise(100000, adv_data=companion.pairing_advert(name))

    def _show(self, passkey):
        self.shown_passkey = passkey
        if passkey is not None:
            self.passkeys_shown.append(passkey)
            print("[sim] %s shows passkey %06d on its panel" % (self.name, passkey),
                  file=sys.stderr)

    def _on_design(self, design):
        # As the App's choose_design: the last design is the locked picture, not a choice.
        if design >= LOCKED_DESIGN:
            raise ValueError("design %d is the locked picture, not a choice" % design)

    def _stats(self):
        from cloudpin import errands

        stats = dict(self.base_stats)
        stats["friends"] = len(self.friend_list)
        progress = errands.Progress()  # the medal by the pin's own rule (App.figures)
        progress.friends = len(self.friend_list)
        stats["medal"] = errands.MEDAL_NAMES[progress.medal()]
        stored = self.store.read("design")  # what the companion chose last, as on a pin
        if stored:
            stats["design"] = stored[0]
        return stats

    def profile(self):
        raw = self.store.read("profile.json")
        return json.loads(raw) if raw else None


class CompanionWorld:
    def __init__(self, state_dir):
        self.state_dir = state_dir
        self.pins = []
        self.host_address = "C0:FF:EE:00:00:01"
        os.makedirs(state_dir, exist_ok=True)
        # Who types passkeys: tools/companion asks the person; tests read the pin's panel.
        self.passkey_provider = None

    @classmethod
    def demo(cls, state_dir, pins=3, seed=1, friends_per_pin=12, passkey_seed=1):
        world = cls(state_dir)
        rng = random.Random(seed)
        for i in range(pins):
            address = "24:0A:C4:%02X:%02X:%02X" % (seed & 0xFF, i, rng.randrange(256))
            name = "CPin-%02d" % (i + 1)  # pairing adverts carry at most 8 name bytes
            friends = [_demo_friend(rng) for _ in range(friends_per_pin)]
            stats = {"steps_today": rng.randrange(2000, 15000), "battery_mv": 3900,
                     "uptime_s": rng.randrange(3600, 40000), "design": rng.randrange(34)}
            world.add(SimPin(name, address, os.path.join(state_dir, "pin-%d" % i),
                             rssi=-50 - 7 * i, friends=friends, stats=stats,
                             seed=None if passkey_seed is None else passkey_seed * 100 + i))
        return world

    def add(self, pin):
        self.pins.append(pin)
        return pin

    def find(self, address):
        for pin in self.pins:
            if pin.address.upper() == address.upper():
                return pin
        return None

    # -- the laptop's bonds ------------------------------------------------------------

    def _bonds_path(self):
        return os.path.join(self.state_dir, "host-bonds.json")

    def host_bonds(self):
        try:
            with open(self._bonds_path(), encoding="utf-8") as f:
                return set(json.load(f))
        except (OSError, ValueError):
            return set()

    def save_bond(self, address, bonded=True):
        bonds = self.host_bonds()
        if bonded:
            bonds.add(address.upper())
        else:
            bonds.discard(address.upper())
        tmp = self._bonds_path() + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(sorted(bonds), f)
        os.replace(tmp, self._bonds_path())


def _demo_friend(rng):
    name = "%s %s" % (rng.choice(_FIRST), rng.choice(_LAST))
    friend = {"name": name, "org": rng.choice(_ORGS), "role": rng.choice(_ROLES)}
    if rng.random() < 0.5:
        friend["link"] = "https://example.org/%s" % name.split()[0].lower()
    friend["met"] = 1780000000 + rng.randrange(0, 86400 * 3)
    return friend
