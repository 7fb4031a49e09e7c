"""One connection to a pin's MicroPython raw REPL, through mpremote's own transport.

deploy and hil share it: connect (or say clearly that nothing is there), read what the pin
is (chip, MicroPython version, .mpy ABI, flash, heap), and decide whether firmware built
here can run on it. Works the same on an ESP32 and on the unix-port pin (host_sim.unixport.pty_pin).
"""

import sys

# mpy-cross's -march names, indexed by the arch field of sys.implementation._mpy.
MPY_ARCHS = (None, "x86", "x64", "armv6", "armv6m", "armv7m", "armv7em", "armv7emsp",
             "armv7emdp", "xtensa", "xtensawin", "rv32imc", "rv64imc")
# What mpy-cross 1.29 emits (mpy v6.3); MicroPython 1.23 was the first to load it.
MPY_VERSION = 6
MPY_SUB_VERSION = 3
MIN_MICROPYTHON = (1, 23, 0)
# ESP32 variants MicroPython names in os.uname().machine; only the original has our pins.
_OTHER_ESP32S = ("ESP32S2", "ESP32S3", "ESP32C2", "ESP32C3", "ESP32C5", "ESP32C6", "ESP32H2",
                 "ESP32P4")


class PinError(Exception):
    """Something a person must fix (no device, wrong chip, full flash, ...): print and exit 1."""


_INFO = (
    "import sys,os,gc\n"
    "gc.collect()\n"
    "try:\n m=os.uname().machine\nexcept AttributeError:\n m=sys.platform\n"
    "s=os.statvfs('/')\n"
    "try:\n import cloudpin\n fz=str(getattr(cloudpin,'__path__','')).startswith('.frozen')\n"
    " fv=getattr(cloudpin,'VERSION',None)\nexcept ImportError:\n fz=False;fv=None\n"
    "print(repr({'frozen':fz,'firmware':fv,'platform':sys.platform,'machine':m,'version':tuple(sys.implementation.version),"
    "'mpy':getattr(sys.implementation,'_mpy',0),'block':s[0],'blocks':s[2],'free_blocks':s[3],"
    "'mem_free':gc.mem_free(),'mem_alloc':gc.mem_alloc()}))\n"
)


CONNECT_TIMEOUT_S = 10.0  # for the raw REPL to answer; a pin answers in well under 2 s
_READ_TIMEOUT_S = 0.2      # per read: without one, a silent pty blocks forever


class Pin:
    """A connected pin in the raw REPL.

    connect_timeout: seconds to wait for MicroPython's raw REPL (a port nobody answers on
    fails then, with what to check); log: where the "connecting to ..." line goes."""

    def __init__(self, port, connect_timeout=CONNECT_TIMEOUT_S, log=None):
        import contextlib

        from mpremote.transport import TransportError
        from mpremote.transport_serial import SerialTransport
        from serial import SerialException

        self.port = port
        if log is not None:
            log("connecting to %s ..." % port)
        try:
            self.transport = SerialTransport(port, baudrate=115200, timeout=_READ_TIMEOUT_S)
        except (TransportError, SerialException, OSError) as exc:
            raise PinError("no device at %s (%s): is the pin plugged in and the port right? "
                           "`cloudpin ports` lists the ports" % (port, _first_line(exc))) from None
        try:
            # mpremote prints what it read on a failed attempt; stdout is for results.
            with contextlib.redirect_stdout(sys.stderr):
                self.transport.enter_raw_repl(soft_reset=True, timeout_overall=connect_timeout)
        except (TransportError, SerialException, OSError) as exc:
            self._close_transport()
            raise PinError("no MicroPython answered on %s within %g s (%s): check that the pin "
                           "is powered and runs MicroPython (cloudpin flash --image ...), that "
                           "no other program (a serial monitor, mpremote) holds the port, and "
                           "that the port is right (`cloudpin ports`)"
                           % (port, connect_timeout, _first_line(exc))) from None

    def _close_transport(self):
        try:
            self.transport.close()
        except Exception:  # noqa: BLE001
            pass

    def close(self):
        # Closing a port whose device went away fails too; that must not hide why.
        try:
            self.transport.exit_raw_repl()
        except Exception:  # noqa: BLE001
            pass
        try:
            self.transport.close()
        except Exception:  # noqa: BLE001
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def exec(self, code, stream=None):
        """Run code on the pin; return its stdout (bytes). Errors raise PinError."""
        from mpremote.transport import TransportError, TransportExecError
        from serial import SerialException

        try:
            return self.transport.exec(code, data_consumer=stream)
        except TransportExecError as exc:
            raise PinError("the pin raised:\n%s" % exc.error_output.strip()) from None
        except (TransportError, SerialException, OSError) as exc:
            raise PinError("lost the connection to the pin on %s (%s)"
                           % (self.port, exc or type(exc).__name__)) from None

    def info(self):
        import ast

        out = self.exec(_INFO).decode().strip().splitlines()[-1]
        return ast.literal_eval(out)


def mpy_fields(mpy):
    """(version, sub_version, arch name) from sys.implementation._mpy."""
    arch_index = mpy >> 10
    arch = MPY_ARCHS[arch_index] if arch_index < len(MPY_ARCHS) else "arch%d" % arch_index
    return mpy & 0xFF, (mpy >> 8) & 3, arch


def check_device(info, board, allow_unix=False):
    """The .mpy arch to compile for, or PinError saying why this pin cannot take the firmware.

    board: the validated board definition (its "chip" is what deploy promises to run on).
    allow_unix: accept the unix-port pin (host_sim.unixport.pty_pin) in place of an ESP32.
    """
    version = tuple(info["version"][:3])
    mpy_version, mpy_sub, arch = mpy_fields(info["mpy"])
    platform = info["platform"]
    machine = str(info.get("machine", ""))
    if platform == "linux" and allow_unix:
        pass
    elif platform != "esp32":
        raise PinError("wrong chip: board %s is an %s but the device runs MicroPython for %r "
                       "(%s)" % (board["id"], board.get("chip", "ESP32"), platform, machine))
    elif any(v in machine.upper().replace("-", "") for v in _OTHER_ESP32S):
        raise PinError("wrong chip: board %s is an original ESP32 but the device is %s"
                       % (board["id"], machine))
    if version < MIN_MICROPYTHON:
        raise PinError("wrong MicroPython version: the pin runs %s, cloudpin needs %s or newer "
                       "(flash a newer image with cloudpin flash)"
                       % (".".join(map(str, version)), ".".join(map(str, MIN_MICROPYTHON))))
    if mpy_version != MPY_VERSION or mpy_sub != MPY_SUB_VERSION:
        raise PinError("wrong MicroPython version: the pin loads .mpy v%d.%d, mpy-cross here "
                       "makes v%d.%d" % (mpy_version, mpy_sub, MPY_VERSION, MPY_SUB_VERSION))
    # None: a port without native code; plain bytecode .mpy (no -march) still loads.
    return arch


def progress(message):
    print(message, file=sys.stderr, flush=True)


def emit_json(obj):
    from tools.bench.report import emit_json as emit

    emit(obj)


def _first_line(exc):
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
