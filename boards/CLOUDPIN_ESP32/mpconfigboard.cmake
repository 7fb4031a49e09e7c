# Cloud Pin: MicroPython for an original ESP32 (4 MB flash, no PSRAM needed) with BLE on
# (NimBLE) and the pin's firmware frozen into the image. See boards/README.md to build.
set(IDF_TARGET esp32)

set(SDKCONFIG_DEFAULTS
    boards/sdkconfig.base
    boards/sdkconfig.ble
    ${MICROPY_BOARD_DIR}/sdkconfig.board
)

set(MICROPY_FROZEN_MANIFEST ${MICROPY_BOARD_DIR}/manifest.py)
