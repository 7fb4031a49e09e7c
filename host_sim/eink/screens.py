"""Save a simulated pin's screen as PNG after every refresh of its emulated panel.

    emu = attach_to_board(board, on_refresh=ScreenRecorder("out/screens", "pin-3", 90))

Files: <dir>/<pin>-<nnnn>-<mode>.png, numbered per pin in refresh order. Ghosts left by
partial refreshes show grey, as on the glass.
"""

import os

from host_sim.eink.png import emulator_png


class ScreenRecorder:
    def __init__(self, out_dir, pin_name, rotation, scale=1):
        self.out_dir = out_dir
        self.pin_name = pin_name
        self.rotation = rotation
        self.scale = scale
        self.count = 0
        self.paths = []
        os.makedirs(out_dir, exist_ok=True)

    def __call__(self, emu, mode):
        self.count += 1
        path = os.path.join(self.out_dir, "%s-%04d-%s.png" % (self.pin_name, self.count, mode))
        self.paths.append(emulator_png(emu, path, self.rotation, self.scale))


def record_board(board, out_dir, durations=None, scale=1):
    """Attach an emulated panel to a sim board that saves every refresh under out_dir."""
    from host_sim.fakes.epd import attach_to_board

    rotation = (board.part("panel") or {}).get("rotation", 90)
    recorder = ScreenRecorder(out_dir, board.name, rotation, scale)
    return attach_to_board(board, durations, recorder), recorder
