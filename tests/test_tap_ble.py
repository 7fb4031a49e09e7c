"""The fake bluetooth.BLE keeps MicroPython's contract where firmware bugs would hide."""

import pytest

from host_sim import runtime

runtime.install()

from host_sim.radio import bluetooth as fake_ble  # noqa: E402


def test_scan_payloads_are_only_valid_during_the_handler():
    b = fake_ble.BLE(mac=bytes(6))
    kept = []
    b.irq(lambda event, data: kept.append(data))
    b.deliver_scan(1, b"\x01\x02\x03\x04\x05\x06", 0, -40, b"\x02\x01\x06")
    addr_type, addr, adv_type, rssi, adv_data = kept[0]
    assert (addr_type, adv_type, rssi) == (1, 0, -40)
    with pytest.raises(ValueError):  # released after the call, like a reused stack buffer
        bytes(adv_data)
    with pytest.raises(ValueError):
        bytes(addr)


def test_a_copy_taken_inside_the_handler_survives_and_the_buffer_is_reused():
    b = fake_ble.BLE(mac=bytes(6))
    copies = []
    b.irq(lambda event, data: copies.append(bytes(data[4])))
    b.deliver_scan(1, bytes(6), 0, -40, b"\xaa\xbb")
    b.deliver_scan(1, bytes(6), 0, -40, b"\xcc")
    assert copies == [b"\xaa\xbb", b"\xcc"]
    assert b._data_buf[0] == 0xA5  # scribbled over after each event


def test_exceptions_escaping_the_handler_are_counted_not_swallowed_silently():
    b = fake_ble.BLE(mac=bytes(6))

    def bad(event, data):
        raise RuntimeError("bug in the IRQ handler")

    b.irq(bad)
    b.deliver_scan(1, bytes(6), 0, -40, b"\x00")
    assert b.handler_errors == 1


def test_gap_and_gatt_checks_like_the_stack():
    b = fake_ble.BLE(mac=bytes(6))
    with pytest.raises(OSError):
        b.gap_advertise(100000, b"\x00")  # not active yet
    b.active(True)
    with pytest.raises(ValueError):
        b.gap_advertise(100000, bytes(32))  # legacy adverts hold 31 bytes
    with pytest.raises(ValueError):
        b.config(mac=bytes(6))  # read-only
    before = b.config("mac")[1]
    b.config(addr_mode=3)
    assert b.config("mac")[1] != before and b.config("mac")[1][0] & 0xC0 == 0
    svc = (fake_ble.UUID("c10d0a00-7a9f-4b7e-9d2c-3c1e0f5a7e01"),
           ((fake_ble.UUID(0x2A00), fake_ble.FLAG_READ),
            (fake_ble.UUID(0x2A01), fake_ble.FLAG_WRITE | fake_ble.FLAG_NOTIFY)))
    ((h1, h2),) = b.gatts_register_services((svc,))
    assert h1 != h2
    b.gatts_write(h1, b"hello")
    assert b.gatts_read(h1) == b"hello"
    with pytest.raises(OSError):
        b.gatts_read(999)
