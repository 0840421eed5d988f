"""The house: every import inside accord goes down the stages, and no module imports itself back.

The stage order is written once, below. Every import of every module counts: at the top, inside
functions and under `TYPE_CHECKING` alike, since each one is a dependency a reader must follow.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from accord.util.graphs import strongly_connected

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "accord"

# Lowest first. A module may import from its own stage and from any stage before it, never after.
STAGES = ("util", "language", "compile", "solve", "knowledge", "results", "analyses", "report", "server", "lsp", "cli",
          "api")


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str) -> set[str]:
    """The accord modules that module `name` imports (a package's submodule where one is named)."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "accord")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # a relative import: counted from the module's own package
                parents = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parents, *filter(None, [base])])
            if base.split(".")[0] != "accord":
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in MODULES else base)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: _imports(name) for name in MODULES}


def _stage(name: str) -> int | None:
    parts = name.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[1] in STAGES else None


def test_the_stage_list_names_every_package() -> None:
    top = {name.split(".")[1] for name in MODULES if name.count(".") >= 1}
    assert top == set(STAGES), "every package (and api.py) has its place in STAGES"


def _upward(graph: dict[str, set[str]]) -> list[str]:
    return [
        f"{name} imports {target}"
        for name, targets in graph.items()
        for target in sorted(targets)
        if (a := _stage(name)) is not None and (b := _stage(target)) is not None and b > a
    ]


def test_no_import_goes_up_a_stage() -> None:
    upward = _upward(GRAPH)
    assert not upward, "\n".join(upward)


def test_the_stage_check_finds_a_planted_upward_import() -> None:
    planted = {**GRAPH, "accord.solve.core": GRAPH["accord.solve.core"] | {"accord.report.query"}}
    assert _upward(planted) == ["accord.solve.core imports accord.report.query"]


def test_nothing_imports_the_facade() -> None:
    """`accord.api` sits on top; only the package's lazy root may name it."""
    users = sorted(name for name, targets in GRAPH.items() if "accord.api" in targets and name != "accord")
    assert not users


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The components of more than one module: each is an import circle."""
    components = strongly_connected(sorted(graph), {name: sorted(targets) for name, targets in graph.items()})
    return [c for c in components if len(c) > 1]


def test_no_import_circles() -> None:
    assert not _circles(GRAPH)


def test_the_circle_check_finds_a_planted_circle() -> None:
    """The check can fail: one edge from the language back to the analyses closes a circle."""
    planted = {**GRAPH, "accord.language.ir": GRAPH["accord.language.ir"] | {"accord.analyses.engine"}}
    assert any("accord.language.ir" in c and "accord.analyses.engine" in c for c in _circles(planted))


def _floors(graph: dict[str, set[str]]) -> int:
    """How many floors the packages make: the longest chain of package-to-package imports."""
    packages = {n.split(".")[1] for n in graph if n.count(".") >= 1}
    edges = {p: {t.split(".")[1] for n, ts in graph.items() if n.count(".") >= 1 and n.split(".")[1] == p
                 for t in ts if t.count(".") >= 1 and t.split(".")[1] != p} for p in packages}
    depth: dict[str, int] = {}

    def floor(p: str) -> int:
        if p not in depth:
            depth[p] = 1 + max((floor(q) for q in edges[p]), default=0)
        return depth[p]

    return max(floor(p) for p in packages)


def test_the_packages_stand_on_as_many_floors_as_there_are_stages() -> None:
    assert _floors(GRAPH) <= len(STAGES)


def test_every_package_and_module_says_what_goes_in_and_out() -> None:
    missing = [name for name, path in MODULES.items()
               if ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) is None]
    assert not missing


def test_modules_stay_small() -> None:
    big = [f"{name}: {n} lines" for name, path in MODULES.items()
           if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400]
    assert not big


def test_the_architecture_page_lists_every_package() -> None:
    """docs/architecture.md names each stage's package in its table, in the stage order."""
    page = (SRC.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `([a-z_]+)(?:/|\.py)` \|", page, flags=re.M)
    assert listed == list(STAGES)
