"""The package's layout holds: three layers, imports only downward, no cycles, argparse only in cli/.

Every module's imports are read with ``ast`` (module-level and inside functions
alike), so the test sees what a reader of the code sees, without importing it:

1. the library: ``micrograd_nn/*.py`` (engine, nn, draw, ...);
2. the documents: ``micrograd_nn/documents/``;
3. the command line: ``micrograd_nn/cli/`` and ``micrograd_nn/__main__.py``.

``micrograd_nn/__init__.py`` is the public face: it gathers the library's names
and sits above the library (so no library module may import it).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "micrograd_nn"
LAYERS = {"library": 0, "documents": 1, "cli": 2}


def module_name(path: Path) -> str:
    parts = ["micrograd_nn", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}
PACKAGES = {name for name, path in MODULES.items() if path.name == "__init__.py"}


def layer(name: str) -> str:
    if name == "micrograd_nn":
        return "face"
    if name == "micrograd_nn.__main__" or name.startswith("micrograd_nn.cli"):
        return "cli"
    if name.startswith("micrograd_nn.documents"):
        return "documents"
    return "library"


def imports(name: str) -> set[str]:
    """Every module of the package and every top-level outside module ``name`` imports."""
    path = MODULES[name]
    package = name if name in PACKAGES else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module
            # `from . import nn` imports the module micrograd_nn.nn; `from .nn import MLP`, nn.
            # (Python runs a package's __init__ before any of its modules: that is not counted.)
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.add(submodule if submodule in MODULES else source)
    resolved = set()
    for target in found:
        if target.startswith("micrograd_nn"):
            # `import micrograd_nn.documents.doc001` runs every package on the way
            while target not in MODULES:
                target = target.rpartition(".")[0]
            resolved.add(target)
        else:
            resolved.add(target.split(".")[0])
    resolved.discard(name)
    return resolved


GRAPH = {name: {t for t in imports(name) if t in MODULES} for name in MODULES}


def test_the_three_layers_exist():
    layers = {layer(name) for name in MODULES}
    assert layers == {"face", "library", "documents", "cli"}
    assert "micrograd_nn.documents.doc001" in MODULES and "micrograd_nn.cli.train" in MODULES


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_go_down_only(name):
    here = layer(name)
    for target in sorted(GRAPH[name]):
        there = layer(target)
        if here == "face":
            assert there == "library", f"micrograd_nn/__init__.py imports {target} ({there})"
            continue
        assert there != "face", (
            f"{name} imports the package's face (micrograd_nn/__init__.py); "
            "import the module it needs instead"
        )
        assert LAYERS[there] <= LAYERS[here], f"{name} ({here}) imports {target} ({there}): upward"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_argparse_only_in_cli(name):
    if layer(name) != "cli":
        assert "argparse" not in imports(name), f"{name} imports argparse; only cli/ parses arguments"


def test_the_engine_imports_nothing_of_the_package():
    assert GRAPH["micrograd_nn.engine"] == set()


def test_no_import_cycles():
    """Depth-first search over the import graph; a grey node met again closes a cycle."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(GRAPH, WHITE)
    cycles = []

    def visit(name, path):
        colour[name] = GREY
        for target in sorted(GRAPH[name]):
            if colour[target] == GREY:
                cycles.append(path[path.index(target):] + [target])
            elif colour[target] == WHITE:
                visit(target, path + [target])
        colour[name] = BLACK

    for name in sorted(GRAPH):
        if colour[name] == WHITE:
            visit(name, [name])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_the_checker_finds_what_it_should():
    """The test's own parts, on code written for it: a cycle and an upward import are seen."""
    source = "from ..documents import networks\nfrom . import nn\n"
    tree = ast.parse(source)
    levels = [node.level for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert levels == [2, 1]
    assert "micrograd_nn.nn" in GRAPH["micrograd_nn.serialize"]  # serialize builds an MLP
    assert "micrograd_nn.serialize" not in GRAPH["micrograd_nn.nn"]  # so nn does not import it
    assert "micrograd_nn.documents.networks" in GRAPH["micrograd_nn.cli.graph"]
