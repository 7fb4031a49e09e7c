"""An in-memory flash filesystem that can lose power at any call.

Semantics, on the harsh side of what the ESP32's filesystems do:
- open(path, "wb") truncates at once; data written is buffered until flush()/close();
- if the power goes while data is buffered, part of it may have reached flash: `torn` (a
  fraction 0..1) says how much landed intact, and `damage` what became of the rest: "cut"
  (nothing: the file ends there), "zeros" or "garbage" (the rest is there, the same length,
  but zeroed or random: a program cut mid-page), "flip" (all of it landed, one bit wrong);
- rename() and remove() are atomic (LittleFS).

Every open, write, flush, close, rename, remove counts as one call. With cut_at=k, the power
goes as call k begins (0-based): that call and every later one raise PowerCut until reboot().
Common MicroPython subset, so the same fault tests run on CPython and on the unix port.
"""


class PowerCut(Exception):
    pass


class _File:
    def __init__(self, fs, path, mode):
        self.fs = fs
        self.path = path
        self.mode = mode
        self.pending = b""
        self.pos = 0
        self.closed = False

    def read(self, n=-1):
        self.fs._call()
        data = self.fs.files.get(self.path, b"")
        if n is None or n < 0:
            n = len(data) - self.pos
        out = data[self.pos:self.pos + n]
        self.pos += len(out)
        return out

    def seek(self, offset, whence=0):
        self.fs._call()
        if whence == 0:
            self.pos = offset
        elif whence == 1:
            self.pos += offset
        else:
            self.pos = len(self.fs.files.get(self.path, b"")) + offset
        return self.pos

    def tell(self):
        return self.pos

    def write(self, data):
        self.fs._call()
        self.pending += bytes(data)
        return len(data)

    def flush(self):
        self.fs._call()
        self._commit()

    def _commit(self):
        if self.pending:
            self.fs.files[self.path] = self.fs.files.get(self.path, b"") + self.pending
            self.pending = b""

    def close(self):
        if self.closed:
            return
        self.fs._call()
        self._commit()
        self.closed = True
        self.fs._open.remove(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class FlashFS:
    def __init__(self, files=None, cut_at=-1, torn=0.5, damage="cut"):
        self.files = dict(files or {})
        self.cut_at = cut_at
        self.torn = torn
        self.damage = damage
        self.calls = 0
        self.powered = True
        self._open = []

    def _call(self):
        if not self.powered:
            raise PowerCut("no power")
        if self.calls == self.cut_at:
            self._lose_power()
            raise PowerCut("power cut at call %d" % self.calls)
        self.calls += 1

    def _lose_power(self):
        self.powered = False
        for f in self._open:
            if f.pending:
                self.files[f.path] = self.files.get(f.path, b"") + self._landed(f.pending)
                f.pending = b""
        self._open = []

    def _landed(self, data):
        n = len(data)
        keep = int(n * self.torn)
        if self.damage == "zeros":
            return data[:keep] + bytes(n - keep)
        if self.damage == "garbage":
            junk = bytearray(n - keep)
            x = (n * 2654435761 + keep) & 0xFFFFFFFF
            for i in range(len(junk)):
                x = (x * 1103515245 + 12345) & 0xFFFFFFFF
                junk[i] = x >> 24
            return data[:keep] + bytes(junk)
        if self.damage == "flip":
            i = min(keep, n - 1)
            return data[:i] + bytes((data[i] ^ (1 << (keep & 7)),)) + data[i + 1:]
        return data[:keep]

    def reboot(self):
        """Power back on: open handles are gone, flash keeps what reached it."""
        if self.powered:
            self._lose_power()
        self.powered = True
        self.cut_at = -1

    # -- the interface cloudpin.store uses --------------------------------------------

    def open(self, path, mode):
        self._call()
        if "r" in mode:
            if path not in self.files:
                raise OSError(2)  # ENOENT
        elif "w" in mode:
            self.files[path] = b""
        elif "a" in mode:
            self.files.setdefault(path, b"")
        f = _File(self, path, mode)
        self._open.append(f)
        return f

    def rename(self, old, new):
        self._call()
        if old not in self.files:
            raise OSError(2)
        self.files[new] = self.files.pop(old)

    def remove(self, path):
        self._call()
        if path not in self.files:
            raise OSError(2)
        del self.files[path]

    def exists(self, path):
        return path in self.files
