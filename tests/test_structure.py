"""The package's shape: the layer table of CONTRIBUTING.md, imports at module level, short modules."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "analysis"

#: Module -> layer, as in the layer list of CONTRIBUTING.md (keep the two in sync).  A module
#: may import from its own layer and the layers below, never from a higher one.
LAYERS: dict[str, int] = {
    "__init__": 0,
    "config": 1, "errors": 1, "schema": 1, "progress": 1, "params": 1, "workprogress": 1, "decoding": 1,
    "engines": 1, "dask_engine": 1, "resources": 1, "edits": 1,
    "cleaning": 2, "corpus": 2, "segment": 2, "lexicon": 2, "patterns": 2, "tables": 2, "outlets": 2, "coded": 2,
    "plots": 2, "plot_style": 2, "plot_axes": 2, "plot_charts": 2, "plot_counts": 2, "plot_events": 2,
    "press": 2, "entities": 3, "readability": 3, "officials": 3, "tone_model": 3, "tone_fit": 4,
    "protocol": 3, "protocol_lexicon": 3, "protocol_measures": 3,
    "phrases": 3, "phrase_stream": 3, "phrase_ngrams": 3, "phrase_association": 3,
    "reuse": 3, "duplicates": 3, "templates": 3,
    "dyads": 4, "outlet_context": 4, "tone_lexicon": 4, "tone_rules": 4, "sentiment": 4, "events": 4, "paired": 4,
    "training": 5, "tableio": 5, "outputs": 5, "report": 5, "pipeline": 5, "validate": 5, "adaptation": 5,
    "execute": 6, "__main__": 6,
}

#: Imports from a higher layer in modules other engineers are restructuring; the lead
#: empties this.  (importer, imported): why it is still there.
LAYER_VIOLATIONS_PENDING: dict[tuple[str, str], str] = {}

#: Imports inside functions that are needed: (module, imported module or package): why.
FUNCTION_IMPORTS_ALLOWED: dict[tuple[str, str], str] = {
    ("dask_engine", "distributed"): "the optional dask engine: distributed is imported when a cluster is started",
}
#: Modules with imports inside functions that other engineers are removing; the lead empties this.
FUNCTION_IMPORTS_PENDING: frozenset[str] = frozenset()

#: Longest module, in lines.
MAX_LINES = 900
#: Modules still longer than MAX_LINES that other engineers are splitting; the lead empties this.
LONG_MODULES_PENDING: frozenset[str] = frozenset()

MODULES = sorted(p.stem for p in PACKAGE.glob("*.py"))


def _tree(name: str) -> ast.Module:
    return ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))


def _package_imports(name: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The analysis modules an import statement of module *name* loads."""
    out: list[str] = []
    if isinstance(node, ast.Import):
        for a in node.names:
            parts = a.name.split(".")
            if parts[0] == "analysis":
                out.append(parts[1] if len(parts) > 1 else "__init__")
        return out
    if node.level == 0 and not (node.module or "").startswith("analysis"):
        return out
    if node.level > 1:
        raise AssertionError(f"analysis/{name}.py: relative import beyond the package")
    parts = (node.module or "").split(".")
    sub = parts[1:] if node.level == 0 else [p for p in parts if p]
    if sub:
        return [sub[0]]
    for a in node.names:  # from analysis import x / from . import x
        out.append(a.name if a.name in LAYERS else "__init__")
    return out


def _imports(name: str) -> list[tuple[int, str, bool]]:
    """(line, imported analysis module, inside a function or class) of every import of *name*."""
    found: list[tuple[int, str, bool]] = []

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = nested or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                mods = _package_imports(name, child) or ["<" + _first_module(child) + ">"]
                found.extend((child.lineno, m, nested) for m in mods)
            visit(child, inner)

    visit(_tree(name), False)
    return found


def _first_module(node: ast.Import | ast.ImportFrom) -> str:
    if isinstance(node, ast.Import):
        return node.names[0].name.split(".")[0]
    return (node.module or "").split(".")[0]


def test_every_module_has_a_layer() -> None:
    assert not set(MODULES) - set(LAYERS), "add the new module(s) to LAYERS and CONTRIBUTING.md"
    assert not set(LAYERS) - set(MODULES), "LAYERS lists module(s) that no longer exist"


def test_contributing_lists_every_module_in_its_layer() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    items = re.findall(r"^  (\d)\. (.*(?:\n     .*)*)", text, flags=re.M)
    assert items, "CONTRIBUTING.md has no numbered layer list"
    listed: dict[str, int] = {}
    for layer, body in items:
        for mod in re.findall(r"`([A-Za-z_]+)`", body):
            listed[mod] = int(layer)
    want = {m: layer for m, layer in LAYERS.items() if m != "__init__"}
    assert listed == want


@pytest.mark.parametrize("name", MODULES)
def test_imports_only_from_lower_or_same_layers(name: str) -> None:
    bad = []
    for line, mod, _ in _imports(name):
        if mod.startswith("<") or (name, mod) in LAYER_VIOLATIONS_PENDING:
            continue
        if LAYERS[mod] > LAYERS[name]:
            bad.append(f"analysis/{name}.py:{line} imports {mod} (layer {LAYERS[mod]} > {LAYERS[name]})")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("name", MODULES)
def test_no_imports_inside_functions(name: str) -> None:
    if name in FUNCTION_IMPORTS_PENDING:
        pytest.skip(f"{name}: function-level imports are being removed (FUNCTION_IMPORTS_PENDING)")
    bad = [
        f"analysis/{name}.py:{line} imports {mod.strip('<>')} inside a function"
        for line, mod, nested in _imports(name)
        if nested and (name, mod.strip("<>")) not in FUNCTION_IMPORTS_ALLOWED
    ]
    assert not bad, "\n".join(bad)


def test_pending_lists_name_existing_modules() -> None:
    known = set(MODULES)
    assert set(LONG_MODULES_PENDING) <= known and set(FUNCTION_IMPORTS_PENDING) <= known
    assert {m for pair in LAYER_VIOLATIONS_PENDING for m in pair} <= known


@pytest.mark.parametrize("name", MODULES)
def test_modules_are_at_most_max_lines(name: str) -> None:
    if name in LONG_MODULES_PENDING:
        pytest.skip(f"{name}: being split (LONG_MODULES_PENDING)")
    n = len((PACKAGE / f"{name}.py").read_text(encoding="utf-8").splitlines())
    assert n <= MAX_LINES, f"analysis/{name}.py has {n} lines (max {MAX_LINES}): split it along a seam"


def test_importing_the_package_emits_no_warning() -> None:
    """Any warning at import time would become a stored notebook output (in a kernel, stderr is one)."""
    import subprocess
    import sys

    code = "import analysis.pipeline, analysis.plots, analysis.validate, analysis.__main__"
    res = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0 and not res.stderr, res.stderr[-2000:]


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of *graph* (module -> modules it imports), or []."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(m: str) -> list[str]:
        state[m] = 1
        path.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                return path[path.index(n):] + [n]
            if n not in state:
                found = visit(n)
                if found:
                    return found
        path.pop()
        state[m] = 2
        return []

    for m in sorted(graph):
        if m not in state:
            found = visit(m)
            if found:
                return found
    return []


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles() -> None:
    """No two modules import each other, directly or through others, at module level or inside
    a function (a same-layer cycle, e.g. engines <-> dask_engine, is a cycle all the same)."""
    graph = {
        name: {mod for _, mod, _ in _imports(name) if not mod.startswith("<") and mod not in (name, "__init__")}
        for name in MODULES
    }
    cycle = _cycle(graph)
    assert not cycle, "import cycle: " + " -> ".join(cycle)
