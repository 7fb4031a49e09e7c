"""The radio channel between two pins: what RSSI one pin reads for one packet of another.

    rssi = mean path loss(distance)            log-distance, two slopes
         + link offset(tx, rx)                 fixed per device (TX and RX halves)
         + shadowing(pair, time, movement)     slow, log-normal, symmetric, correlated
         - body loss                           a torso between the pins
         + fast fading(packet, channel)        Rician, independent per packet and channel
    then clipped at receiver saturation, rounded to a whole dBm, dropped below sensitivity.

Every parameter has a default with its source; a scenario file or the command line may
override any of them (PARAMS / merge()).
"""

import math

PARAMS = {
    # Mean RSSI at 1 m for 0 dBm TX. Source: DESIGN.md table (ESP32 receiver defaults,
    # GAEN calibration data): -45 @10 cm, -54 @30 cm, -59 @50 cm, -65 @1 m, -73 @2 m, -84 @5 m.
    "ref_rssi_1m_dbm": -65.0,
    # Path-loss exponent under 1 m: free space (DESIGN.md: "≈ 2 under 1 m").
    "exp_near": 2.0,
    # Beyond 1 m: indoor fits 2.4-2.7 (DESIGN.md); 2.6 matches -73 @2 m and -84 @5 m.
    "exp_far": 2.6,
    # Sigma of a link's fixed TX+RX offset, dB. One hardware model: ~3 dB; mixed 5-8 dB.
    # Split evenly between the TX half of one device and the RX half of the other.
    "device_offset_db": 3.0,
    # Slow log-normal shadowing sigma, dB (indoor fits 4-6 dB) ...
    "shadowing_db": 5.0,
    # ... correlated over seconds (a first-order Gauss-Markov process with this time constant)
    "shadowing_tau_s": 3.0,
    # ... and over movement: moving the pair this far apart/together decorrelates it by 1/e
    # (indoor decorrelation distances are ~1-2 m).
    "shadowing_decorr_m": 1.0,
    # Below this distance shadowing shrinks linearly to 0: shadowing is obstacles and
    # multipath structure; nothing fits between two pins held together, and the indoor fits
    # it comes from were measured at >= 1 m.
    "shadowing_full_m": 1.0,
    # Rician K-factor (LOS / scattered power) at 1 m, dB; LOS power goes as 1/d^2 while the
    # scattered part is roughly constant indoors, so K scales as 1/d^2 (Rayleigh far away).
    "rician_k_1m_db": 3.0,
    # A torso between the pins: 10-20 dB (DESIGN.md, body-shadowing measurements at 2.4 GHz).
    "body_loss_db": 15.0,
    # The ESP32's reported RSSI saturates near contact (AGC): readings clip here.
    "saturation_dbm": -30.0,
    # ESP32 BLE receiver sensitivity (datasheet: -94..-97 dBm at 1 Mbps).
    "sensitivity_dbm": -94.0,
    # Co-channel capture: a packet survives a collision if this much stronger (BLE spec
    # co-channel rejection is 21 dB for interference *below*; receivers capture at ~6-10 dB).
    "capture_db": 8.0,
    # advDelay: 0-10 ms of random delay added to every advertising event (BLE Core spec).
    "adv_jitter_ms": 10.0,
    # Time between the channel 37/38/39 packets of one advertising event (ESP32 ~0.5-1 ms).
    "channel_gap_us": 700,
    # Connection interval used for every GATT operation round trip (NimBLE default 30-50 ms).
    "conn_interval_ms": 30.0,
    # Pairs further apart than this are never looked at (mean RSSI is far below sensitivity).
    "max_range_m": 40.0,
}


def merge(overrides=None):
    """PARAMS with overrides applied; unknown names are an error, not a silent no-op."""
    params = dict(PARAMS)
    for key, value in (overrides or {}).items():
        if key not in PARAMS:
            raise ValueError("unknown channel parameter %r (known: %s)"
                             % (key, ", ".join(sorted(PARAMS))))
        params[key] = float(value)
    return params


class Channel:
    def __init__(self, rng, params=None):
        self.rng = rng
        self.p = merge(params)
        p = self.p
        self._half_off = p["device_offset_db"] / math.sqrt(2.0)
        self._k1 = 10 ** (p["rician_k_1m_db"] / 10.0)
        self._tx_off = {}
        self._rx_off = {}
        self._shadow = {}  # (a, b) -> [z, t_s, d]

    def offsets_for(self, node_id):
        if node_id not in self._tx_off:
            self._tx_off[node_id] = self.rng.gauss(0.0, self._half_off)
            self._rx_off[node_id] = self.rng.gauss(0.0, self._half_off)

    def path_loss_mean(self, d):
        p = self.p
        d = max(d, 0.02)
        if d <= 1.0:
            return p["ref_rssi_1m_dbm"] - 10.0 * p["exp_near"] * math.log10(d)
        return p["ref_rssi_1m_dbm"] - 10.0 * p["exp_far"] * math.log10(d)

    def mean_rssi(self, tx, rx, d):
        """Without fading or shadowing: for collisions (interference power) and range."""
        return self.path_loss_mean(d) + self._tx_off[tx] + self._rx_off[rx]

    def shadowing(self, a, b, d, t_s):
        p = self.p
        sigma = p["shadowing_db"]
        if sigma <= 0:
            return 0.0
        key = (a, b) if a < b else (b, a)
        st = self._shadow.get(key)
        if st is None:
            st = [self.rng.gauss(0.0, 1.0), t_s, d]
            self._shadow[key] = st
        else:
            dt = max(0.0, t_s - st[1])  # a query for an earlier moment: as correlated as now
            dd = abs(d - st[2])
            if dt > 0 or dd > 0:
                rho = math.exp(-dt / p["shadowing_tau_s"] - dd / p["shadowing_decorr_m"])
                st[0] = rho * st[0] + math.sqrt(1.0 - rho * rho) * self.rng.gauss(0.0, 1.0)
                st[1] = t_s
                st[2] = d
        scale = min(1.0, d / p["shadowing_full_m"]) if p["shadowing_full_m"] > 0 else 1.0
        return st[0] * sigma * scale

    def body_loss(self, ax, ay, afacing, bx, by, bfacing):
        """A pin is worn on the chest: its wearer's torso blocks paths to the back half."""
        loss = self.p["body_loss_db"]
        if loss <= 0:
            return 0.0
        total = 0.0
        ang = math.atan2(by - ay, bx - ax)
        for facing, direction in ((afacing, ang), (bfacing, ang + math.pi)):
            off = abs((direction - facing + math.pi) % (2 * math.pi) - math.pi)
            # no loss while the peer is within 80 degrees of straight ahead; full by 120
            frac = (off - math.radians(80)) / math.radians(40)
            if frac > 0:
                total += loss * min(1.0, frac)
        return total

    def fading(self, d):
        k = self._k1 / max(d, 0.02) ** 2
        los = math.sqrt(k / (k + 1.0))
        s = math.sqrt(1.0 / (2.0 * (k + 1.0)))
        re = los + s * self.rng.gauss(0.0, 1.0)
        im = s * self.rng.gauss(0.0, 1.0)
        g = re * re + im * im
        return 10.0 * math.log10(max(g, 1e-6))

    def rssi(self, tx, rx, d, t_s, body_db):
        """One packet's RSSI as the receiver reports it (int dBm), or None if unheard."""
        p = self.p
        v = (self.mean_rssi(tx, rx, d) + self.shadowing(tx, rx, d, t_s) - body_db
             + self.fading(d))
        if v < p["sensitivity_dbm"]:
            return None
        if v > p["saturation_dbm"]:
            v = p["saturation_dbm"]
        return int(round(v))
