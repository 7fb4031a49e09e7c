# Runs first on every reset. Reserve room for tracebacks raised inside IRQ handlers (the BLE
# scan callback), so a bug there is reported instead of hidden behind a MemoryError.
import micropython

micropython.alloc_emergency_exception_buf(100)
