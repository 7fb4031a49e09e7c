"""Write package.json, the mip manifest at the repository root, from firmware/.

    python -m tools.gen.mip_package          # rewrite package.json
    python -m tools.gen.mip_package --check  # exit 1 if package.json is out of date

`mpremote mip install github:OWNER/REPO` reads it and copies every file of the cloudpin
package into the pin's /lib: the modules as source, the data files (designs.bin, fonts) as
they are. A test keeps it in step with firmware/.
"""

import json
import os
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PACKAGE_JSON = os.path.join(REPO_ROOT, "package.json")


def build():
    sys.path.insert(0, os.path.join(REPO_ROOT, "firmware"))
    from cloudpin import VERSION

    urls = []
    pkg = os.path.join(REPO_ROOT, "firmware", "cloudpin")
    for folder, dirs, files in os.walk(pkg):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if not name.endswith(".pyc"):
                rel = os.path.relpath(os.path.join(folder, name), os.path.join(REPO_ROOT,
                                                                              "firmware"))
                rel = rel.replace(os.sep, "/")
                urls.append([rel, "firmware/" + rel])
    return {"urls": sorted(urls), "version": VERSION}


def render():
    return json.dumps(build(), indent=2) + "\n"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    text = render()
    if "--check" in argv:
        try:
            with open(PACKAGE_JSON, encoding="utf-8") as f:
                current = f.read()
        except OSError:
            current = ""
        if current != text:
            print("package.json is out of date: python -m tools.gen.mip_package", file=sys.stderr)
            return 1
        return 0
    with open(PACKAGE_JSON, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
