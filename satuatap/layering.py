"""The layering rules of the project, and the import walk that checks them.

``docs/architecture.md`` draws the layers; this module is their single written form. Each
module under ``satuatap/`` belongs to one *unit*: an app (``satuatap.<app>.*``), the project
library (the other top-level modules), or the project level (``settings``, ``urls``, ``asgi``,
``wsgi``, ``api`` and the ``project`` app that holds the worker and the demo loader). An import
from one unit to another is allowed when it points down:

- the project level may import anything;
- every unit may import the library; the library imports no unit;
- ``notify`` and ``audit`` are leaves: every unit except the library may import them; they
  import the library only (and never write another app's model);
- a domain app may import a domain app of a lower layer, never one of its own layer or above
  (``SAME_LAYER`` names the one allowed direction inside a layer, with its reason).

The test ``tests/test_layering.py`` walks every import (including those inside functions and
relative ones) and fails with the list of edges against these rules and of private names
(``_name``) used across modules. ``scripts/import_table.py`` prints the app-to-app table.
Standard library only: nothing here imports Django or an app.
"""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "satuatap"
LIBRARY = "library"
PROJECT = "project"

# Domain layers from the bottom. A unit may import the units of lower layers only.
# Apps named here that do not exist yet are the rule for when they arrive.
LAYERS: list[tuple[str, ...]] = [
    ("directory",),
    ("accounts",),
    ("queueing",),
    ("booking", "cases", "feedback", "complaints"),
    ("reports", "mallsite", "evaluation", "planning"),
]
LEAVES = ("notify", "audit")

# Imports allowed inside one layer, each with its reason (one direction only, never a cycle).
SAME_LAYER = {
    ("feedback", "booking"): "the SKM survey link reaches a booked citizen through the booking's phone",
    ("evaluation", "reports"): "the evaluation prefills indicators from the reports' figures (complaints, tickets)",
}

# Top-level modules that are the project level (composition root), not the library.
PROJECT_MODULES = {"settings", "urls", "asgi", "wsgi", "api"}

# Modules (and packages) that belong to another unit than their place says.
MODULE_OWNERS = {
    # API authentication: tokens, roles and the mall of the caller (accounts' business).
    f"{PACKAGE}.apiauth": "accounts",
}

# Paths (relative to the package's parent) that the walk skips: tests, migrations and the
# test helper, which builds worlds from every app.
EXCLUDED_PARTS = {"tests", "migrations"}
EXCLUDED_FILES = {f"{PACKAGE}/testing.py"}

RANK = {app: index for index, layer in enumerate(LAYERS) for app in layer}


def unit_of(module: str) -> str | None:
    """The unit a dotted module name belongs to; None outside the package."""
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return None
    for owned, owner in MODULE_OWNERS.items():
        if module == owned or module.startswith(owned + "."):
            return owner
    if len(parts) == 1:
        return LIBRARY
    name = parts[1]
    if name == PROJECT or name in PROJECT_MODULES:
        return PROJECT
    if name in RANK or name in LEAVES:
        return name
    # ``satuatap.x.y``: x is a package, so an app; ``satuatap.x``: an app only if x is a package.
    return name if len(parts) > 2 or name in _PACKAGES else LIBRARY


_PACKAGES: set[str] = set()  # the sub-packages of the walked tree (filled by walk_tree)


def allowed(source: str, target: str) -> bool:
    """May unit ``source`` import unit ``target``?"""
    if source == target or source == PROJECT or target == LIBRARY:
        return True
    if source == LIBRARY or target == PROJECT:
        return False
    if target in LEAVES:
        return source not in LEAVES
    if source in LEAVES:
        return False
    if source not in RANK or target not in RANK:
        return False  # an app the rules do not name yet: name it in LAYERS first
    return RANK[source] > RANK[target] or (source, target) in SAME_LAYER


@dataclass(frozen=True)
class Edge:
    path: str
    line: int
    module: str  # the importing module
    target: str  # the imported module (or the package a name was taken from)

    @property
    def source_unit(self) -> str:
        return unit_of(self.module)

    @property
    def target_unit(self) -> str:
        return unit_of(self.target)

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.source_unit} -> {self.target_unit} ({self.module} imports {self.target})"
        )


@dataclass(frozen=True)
class PrivateUse:
    path: str
    line: int
    module: str
    target: str
    name: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.module} uses private {self.target}.{self.name}"


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


class _Walker(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool, path: str, known_modules: set[str]):
        self.module = module
        self.package = module if is_package else module.rpartition(".")[0]
        self.path = path
        self.known = known_modules
        self.edges: list[Edge] = []
        self.private: list[PrivateUse] = []
        self.aliases: dict[str, str] = {}  # local name -> module of the package

    def _base(self, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        parts = self.package.split(".")
        if node.level > 1:
            parts = parts[: len(parts) - (node.level - 1)]
        base = ".".join(parts)
        return f"{base}.{node.module}" if node.module else base

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if unit_of(alias.name) is None:
                continue
            self.edges.append(Edge(self.path, node.lineno, self.module, alias.name))
            if any(_is_private(part) for part in alias.name.split(".")):
                self.private.append(PrivateUse(self.path, node.lineno, self.module, alias.name, ""))
            if alias.asname:
                self.aliases[alias.asname] = alias.name

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = self._base(node)
        if base == "__future__" or unit_of(base) is None:
            return
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            if submodule in self.known:
                target = submodule
                self.aliases[alias.asname or alias.name] = submodule
            else:
                target = base
            self.edges.append(Edge(self.path, node.lineno, self.module, target))
            if _is_private(alias.name) and target != self.module:
                self.private.append(PrivateUse(self.path, node.lineno, self.module, base, alias.name))

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.value, ast.Name) and _is_private(node.attr):
            target = self.aliases.get(node.value.id)
            if target is not None and target != self.module:
                self.private.append(PrivateUse(self.path, node.lineno, self.module, target, node.attr))
        self.generic_visit(node)


def walk_source(
    source: str, module: str, *, is_package: bool = False, path: str = "<source>", known_modules=()
) -> tuple[list[Edge], list[PrivateUse]]:
    walker = _Walker(module, is_package, path, set(known_modules))
    walker.visit(ast.parse(source, filename=path))
    # One edge per import statement and imported module (``from m import a, b`` is one).
    return list(dict.fromkeys(walker.edges)), list(dict.fromkeys(walker.private))


def python_files(root: Path) -> list[Path]:
    """Every checked ``.py`` file of the package under ``root`` (the repository)."""
    files = []
    for path in sorted((root / PACKAGE).rglob("*.py")):
        relative = path.relative_to(root)
        if EXCLUDED_PARTS & set(relative.parts) or relative.as_posix() in EXCLUDED_FILES:
            continue
        files.append(path)
    return files


def walk_tree(root: Path) -> tuple[list[Edge], list[PrivateUse]]:
    root = Path(root)
    _PACKAGES.clear()
    _PACKAGES.update(p.parent.name for p in (root / PACKAGE).glob("*/__init__.py"))
    known = {module_name(p, root) for p in (root / PACKAGE).rglob("*.py")}
    edges: list[Edge] = []
    private: list[PrivateUse] = []
    for path in python_files(root):
        found_edges, found_private = walk_source(
            path.read_text(encoding="utf-8"),
            module_name(path, root),
            is_package=path.name == "__init__.py",
            path=path.relative_to(root).as_posix(),
            known_modules=known,
        )
        edges += found_edges
        private += found_private
    return edges, private


def violations(edges: list[Edge], private: list[PrivateUse]) -> list[str]:
    """Every import against the rules and every private name used across modules, readable."""
    found = [str(e) for e in edges if not allowed(e.source_unit, e.target_unit)]
    found += [str(p) for p in private]
    return found


def unit_table(edges: list[Edge]) -> Counter:
    """(source unit, target unit) -> number of import statements, between different units."""
    return Counter((e.source_unit, e.target_unit) for e in edges if e.source_unit != e.target_unit)


def app_of(unit: str) -> str:
    """The app folder a unit lives in (a unit ``app.part`` of ``MODULE_OWNERS`` lives in ``app``)."""
    return unit.split(".")[0]


def format_table(edges: list[Edge], *, apps_only: bool = True, fold: bool = False) -> str:
    """The unit-to-unit table with counts and verdicts; ``fold`` counts by app folder instead.

    Folded, a row is "ok" when every import it counts is allowed by the rules.
    """
    table: Counter = Counter()
    verdicts: dict[tuple[str, str], bool] = {}
    for (source, target), count in unit_table(edges).items():
        key = (app_of(source), app_of(target)) if fold else (source, target)
        if key[0] == key[1] or (apps_only and LIBRARY in key):
            continue
        table[key] += count
        verdicts[key] = verdicts.get(key, True) and allowed(source, target)
    lines = [f"{'from':<14} {'to':<14} {'imports':>7}  rule"]
    for (source, target), count in sorted(table.items()):
        verdict = "ok" if verdicts[(source, target)] else "AGAINST THE RULES"
        lines.append(f"{source:<14} {target:<14} {count:>7}  {verdict}")
    cycles = sorted({tuple(sorted(k)) for k in table if (k[1], k[0]) in table})
    lines.append("")
    lines.append(f"two-way pairs (cycles): {len(cycles)}")
    lines += [f"  {a} <-> {b}" for a, b in cycles]
    bad = sum(1 for ok in verdicts.values() if not ok)
    lines.append(f"pairs with an import against the rules: {bad}")
    return "\n".join(lines)
