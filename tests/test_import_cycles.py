"""No import circles among the project's own modules (firmware/, host_sim/, tools/, tests/).

An edge is every import statement, at module level or inside a function: a circle broken by a
late import is still a circle a reader has to hold in their head. `from a import b` is an
edge to a.b when that is a module of ours, else to a.
"""

import ast
import os

from host_sim.paths import FIRMWARE_DIR, REPO_ROOT

TOPS = ("host_sim", "tools", "tests")


def _module_files():
    found = {}
    roots = [(FIRMWARE_DIR, d) for d in ("cloudpin",)] + [(REPO_ROOT, d) for d in TOPS]
    for base, top in roots:
        for folder, dirs, files in os.walk(os.path.join(base, top)):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            for name in files:
                if name.endswith(".py"):
                    path = os.path.join(folder, name)
                    dotted = os.path.relpath(path, base)[:-3].replace(os.sep, ".")
                    if dotted.endswith(".__init__"):
                        dotted = dotted[: -len(".__init__")]
                    found[dotted] = path
    return found


def import_graph():
    files = _module_files()
    graph = {}
    for mod, path in files.items():
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read(), path)
        package = mod if path.endswith("__init__.py") else mod.rpartition(".")[0]
        deps = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                deps.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                for alias in node.names:
                    sub = base + "." + alias.name
                    deps.add(sub if sub in files else base)
        graph[mod] = sorted(d for d in deps if d in files and d != mod)
    return graph


def import_circles(graph):
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(out)


def test_the_circle_finder_finds_a_circle():
    graph = {"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"], "e": []}
    assert import_circles(graph) == [["a", "b", "c"]]


def test_the_graph_sees_the_project():
    graph = import_graph()
    assert "cloudpin.app" in graph and "host_sim.radio.medium" in graph
    assert "host_sim.radio.bluetooth" in graph["host_sim.radio.medium"]


def test_no_import_circles():
    circles = import_circles(import_graph())
    assert not circles, "import circles: " + "; ".join(" <-> ".join(c) for c in circles)
