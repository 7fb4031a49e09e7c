// Cloud Pin conference badge: an original ESP32 with an e-ink panel, a LIS3DH and BLE.
// The pin map is not compiled in: it comes from /board.json (boards/*.json), written by
// `cloudpin deploy`, so one image serves every supported board.
#define MICROPY_HW_BOARD_NAME "Cloud Pin"
#define MICROPY_HW_MCU_NAME "ESP32"
// BLE pairing and bonding (the companion's 6-digit passkey) come with the esp32 port's
// mpconfigport.h (MICROPY_PY_BLUETOOTH_ENABLE_PAIRING_BONDING), so nothing to add here.
