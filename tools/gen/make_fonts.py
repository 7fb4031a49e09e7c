"""Generate the pin's bitmap fonts (firmware/cloudpin/fonts/*.py) with font-to-py.

    python tools/gen/make_fonts.py [--ttf-dir DIR]

Source: DejaVu Sans and DejaVu Sans Bold (free licence: Bitstream Vera derivative, public
domain changes) from Debian's `fonts-dejavu-core` package, /usr/share/fonts/truetype/dejavu
(`apt-get install fonts-dejavu-core`). Tools: PyPI `font-to-py` and `freetype-py` (pinned in
requirements.txt). Every module holds Latin-1 (32-255), horizontally mapped, MSB first: the
rows blit straight onto a MONO_HLSB frame buffer. The glyphs are a bytes constant, so a
frozen module keeps them in flash. The generated modules are committed; rerun this only to
change sizes.
"""

import argparse
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT_DIR = os.path.join(REPO, "firmware", "cloudpin", "fonts")
DEFAULT_TTF_DIR = "/usr/share/fonts/truetype/dejavu"

# module name -> (TTF file, pixel height). Names are fitted from the largest bold down.
FONTS = {
    "bold32": ("DejaVuSans-Bold.ttf", 32),
    "bold24": ("DejaVuSans-Bold.ttf", 24),
    "bold18": ("DejaVuSans-Bold.ttf", 18),
    "sans14": ("DejaVuSans.ttf", 14),
}


def font_to_py_command():
    exe = os.path.join(os.path.dirname(sys.executable), "font_to_py")
    if os.path.exists(exe):
        return [exe]
    return [sys.executable, "-m", "font_to_py.font_to_py"]


def make(name, ttf, height, out_dir):
    out = os.path.join(out_dir, name + ".py")
    # font-to-py wants a bare module file name, so it runs in the output folder.
    cmd = font_to_py_command() + ["-x", "-s", "32", "-l", "255", ttf, str(height), name + ".py"]
    subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=out_dir)
    with open(out) as f:
        lines = f.read().splitlines()
    # font-to-py records the absolute command line; keep the module reproducible instead.
    lines = [("# Cmd: font_to_py -x -s 32 -l 255 %s %d %s.py  (tools/gen/make_fonts.py)"
              % (os.path.basename(ttf), height, name)) if ln.startswith("# Cmd:") else ln
             for ln in lines]
    lines.insert(1, "# DejaVu fonts: free licence (Bitstream Vera derivative), Debian fonts-dejavu-core")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--ttf-dir", default=DEFAULT_TTF_DIR)
    parser.add_argument("--out-dir", default=OUT_DIR)
    args = parser.parse_args(argv)
    for name, (ttf, height) in FONTS.items():
        path = os.path.join(args.ttf_dir, ttf)
        if not os.path.exists(path):
            print("make_fonts: %s not found (apt-get install fonts-dejavu-core, or --ttf-dir)"
                  % path, file=sys.stderr)
            return 1
        print("make_fonts: wrote", make(name, path, height, args.out_dir), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
