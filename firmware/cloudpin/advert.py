"""The Cloud Pin advert, format v1: what one pin broadcasts so another can judge a tap.

Legacy advertising (the original ESP32 is BLE 4.2): the whole payload must fit in 31 bytes
and a passive scanner never sees a scan response, so everything a peer needs is here.
No name, no contact data, nothing stable: the ephemeral ID rotates together with the
random address (radio.py), so two adverts from before and after a rotation share no field.

    off len  field
     0   3   02 01 06        flags AD: LE general discoverable, no BR/EDR
     3   1   20              length of the manufacturer AD that follows (type + 19 bytes)
     4   1   FF              AD type: manufacturer specific data
     5   2   company ID      little endian; 0xFFFF is the Bluetooth SIG's test value only
     7   1   C9              magic: this is a Cloud Pin advert
     8   1   version         1
     9   1   flags           FLAG_NEAR: the peer named by `hint` is at tap range for me
                             FLAG_BUSY: exchanging cards, do not start another tap now
                             FLAG_HELD: in hand (or no accelerometer to say otherwise)
    10   1   tx power        dBm, signed (what the pin was told to transmit)
    11   8   ephemeral ID    random, rotates with the address (<= 15 min)
    19   4   hint            first 4 bytes of the ephemeral ID of the peer this pin hears best
                             at close range (its tap candidate), else 0
    23   1   hint RSSI       dBm, signed: how loud that peer is here (0 when no hint). Each
                             side averages both directions, which cancels the TX/RX offsets
                             that make one direction of a link several dB louder
    24       end

A parser that meets anything else (foreign adverts, other versions, garbage) answers False
after a few integer compares, allocating nothing: 300 pins and every phone in a hall are
heard by the scan callback.
"""

from micropython import const

ADV_LEN = const(24)
MAGIC = const(0xC9)
VERSION = const(1)
TEST_COMPANY_ID = const(0xFFFF)

FLAG_NEAR = const(0x01)
FLAG_BUSY = const(0x02)
FLAG_HELD = const(0x04)
_KNOWN_FLAGS = const(0x07)

OFF_FLAGS = const(9)
OFF_TXPOWER = const(10)
OFF_EPH = const(11)
EPH_LEN = const(8)
OFF_HINT = const(19)
HINT_LEN = const(4)
OFF_HINT_RSSI = const(23)


def build(buf, company_id, eph_id, flags=0, hint=None, tx_power=0, hint_rssi=0):
    """Write a v1 advert into buf (a bytearray of ADV_LEN) and return buf."""
    if len(buf) != ADV_LEN:
        raise ValueError("advert buffer must be %d bytes" % ADV_LEN)
    if not 0 <= company_id <= 0xFFFF:
        raise ValueError("company ID is 16 bits")
    if len(eph_id) != EPH_LEN:
        raise ValueError("ephemeral ID is %d bytes" % EPH_LEN)
    buf[0] = 2
    buf[1] = 0x01
    buf[2] = 0x06
    buf[3] = ADV_LEN - 4
    buf[4] = 0xFF
    buf[5] = company_id & 0xFF
    buf[6] = company_id >> 8
    buf[7] = MAGIC
    buf[8] = VERSION
    buf[OFF_TXPOWER] = tx_power & 0xFF
    for i in range(EPH_LEN):
        buf[OFF_EPH + i] = eph_id[i]
    if hint is None:
        flags &= ~FLAG_NEAR  # NEAR names a peer: no hint, no NEAR
        hint_rssi = 0
    buf[OFF_FLAGS] = flags & _KNOWN_FLAGS
    for i in range(HINT_LEN):
        buf[OFF_HINT + i] = hint[i] if hint is not None else 0
    buf[OFF_HINT_RSSI] = max(-128, min(127, hint_rssi)) & 0xFF
    return buf


def is_ours(data, company_lo, company_hi):
    """True if `data` (bytes or memoryview) is a well-formed v1 Cloud Pin advert.

    Integer compares only: nothing is allocated, nothing raises for any input bytes.
    The company ID comes pre-split so no shift happens per advert.
    """
    if len(data) != ADV_LEN:
        return False
    if data[0] != 2 or data[1] != 0x01 or data[2] != 0x06 or data[3] != ADV_LEN - 4:
        return False
    if data[4] != 0xFF:
        return False
    if data[5] != company_lo or data[6] != company_hi:
        return False
    if data[7] != MAGIC or data[8] != VERSION:
        return False
    if data[OFF_FLAGS] & ~_KNOWN_FLAGS:
        return False
    # No hint (all zero) with FLAG_NEAR or a hint RSSI is malformed: v1 writers never do it.
    if not (data[19] | data[20] | data[21] | data[22]):
        if data[OFF_FLAGS] & FLAG_NEAR or data[OFF_HINT_RSSI]:
            return False
    return True


def hint_is(data, eph_id):
    """True if the advert's hint names eph_id (its first HINT_LEN bytes). No allocation."""
    return (data[19] == eph_id[0] and data[20] == eph_id[1] and data[21] == eph_id[2]
            and data[22] == eph_id[3])


def hint_rssi(data):
    v = data[OFF_HINT_RSSI]
    return v - 256 if v > 127 else v


def tx_power(data):
    v = data[OFF_TXPOWER]
    return v - 256 if v > 127 else v
