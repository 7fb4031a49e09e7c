"""CPython stand-in for MicroPython's `micropython` module."""

import asyncio
import builtins


def const(value):
    return value


def native(fn):
    return fn


def viper(fn):
    return fn


def schedule(fn, arg):
    """Run fn(arg) soon, outside the current (IRQ) handler, as MicroPython does."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        fn(arg)
        return
    loop.call_soon(fn, arg)


def alloc_emergency_exception_buf(size):
    pass


def heap_lock():
    return 0


def heap_unlock():
    return 0


def opt_level(level=None):
    return 0 if level is None else None


def mem_info(verbose=False):
    print("mem_info: not available on CPython")


def kbd_intr(ch):
    pass


# Viper code casts buffers with ptr8/ptr16/ptr32, which are builtins on MicroPython.
def _ptr(fmt):
    def cast(obj):
        return memoryview(obj).cast("B").cast(fmt)

    return cast


for _name, _fmt in (("ptr8", "B"), ("ptr16", "H"), ("ptr32", "I")):
    if not hasattr(builtins, _name):
        setattr(builtins, _name, _ptr(_fmt))
