// Cloud Pin conference badge: an original ESP32 with an e-ink panel, a LIS3DH and BLE.
// The pin map is not compiled in: it comes from /board.json (boards/*.json), written by
// `cloudpin deploy`, so one image serves every supported board.
#define MICROPY_HW_BOARD_NAME "Cloud Pin"
#define MICROPY_HW_MCU_NAME "ESP32"

// The badge never uses Wi-Fi's web REPL; BLE pairing and bonding are needed for the
// companion (6-digit passkey shown on the panel).
#define MICROPY_PY_BLUETOOTH_ENABLE_PAIRING_BONDING (1)
