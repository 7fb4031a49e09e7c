"""A store held in RAM with cloudpin.store.Store's two calls, for tests that need a store but
not a filesystem (common subset: the unix port runs it too)."""


class MemStore:
    def __init__(self):
        self.files = {}

    def read(self, name):
        return self.files.get(name)

    def write(self, name, data):
        self.files[name] = bytes(data)
