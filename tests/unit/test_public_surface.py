"""Each package declares its public surface in ``__init__.__all__`` (names and modules, as
httpx does): every declared name exists, and no other package imports a private (``_x``)
name or module of it, or a module it does not declare (STYLE.md, issue 16)."""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest

import safeguard

PACKAGES = (
    "accounts", "analytics", "crime", "domain", "identity", "ingest", "licensing", "network",
    "people", "research", "risk", "sharing", "store", "support", "synth",
)  # fmt: skip
SRC = Path(safeguard.__file__).parent


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def reaches(source: str, importer: str, surfaces: dict[str, set[str]]) -> list[str]:
    """Each import in ``source`` (the module ``importer``) of a private or undeclared part of
    another package in ``surfaces``, as a sentence."""
    home = importer.split(".")[1]
    found: list[tuple[str, list[str]]] = []  # (module path, names imported from it)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found += [(a.name, []) for a in node.names]
    problems = []
    for module, names in found:
        parts = module.split(".")
        if parts[0] != "safeguard" or len(parts) < 2 or parts[1] == home:
            continue
        package = parts[1]
        if package not in surfaces:
            continue
        # `from safeguard.p import a, b` uses a and b; `from safeguard.p.m… import x` uses m.
        used = names if len(parts) == 2 else [parts[2]]
        private = [p for p in parts[2:] + names if _private(p)]
        if private:
            problems.append(f"{importer} imports the private {', '.join(private)} of {module}")
        problems += [
            f"{importer} imports {package}.{u}, which safeguard.{package}.__all__ does not declare"
            for u in used
            if u not in surfaces[package] and not _private(u)
        ]
    return problems


@pytest.mark.parametrize("package", PACKAGES)
def test_every_declared_name_exists(package: str) -> None:
    module = importlib.import_module(f"safeguard.{package}")
    declared = list(module.__all__)
    assert len(declared) == len(set(declared)), f"safeguard.{package}.__all__ repeats a name"
    missing = [
        n
        for n in declared
        if not hasattr(module, n) and importlib.util.find_spec(f"safeguard.{package}.{n}") is None
    ]
    assert missing == [], f"safeguard.{package}.__all__ declares names that do not exist"


def test_no_package_reaches_past_another_packages_surface() -> None:
    surfaces = {p: set(importlib.import_module(f"safeguard.{p}").__all__) for p in PACKAGES}
    problems = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        importer = ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
        problems += reaches(path.read_text("utf-8"), importer, surfaces)
    assert problems == []


def test_the_check_sees_private_and_undeclared_imports() -> None:
    surfaces = {"sharing": {"service"}}
    source = (
        "from safeguard.sharing.service import _hidden\n"
        "from safeguard.sharing.plain import shown\n"
        "from safeguard.sharing._impl import thing\n"
        "import safeguard.sharing.rules\n"
        "from safeguard.sharing import service, _secret\n"
        "from safeguard.sharing.service import SharingService\n"
    )
    problems = reaches(source, "safeguard.web.pages", surfaces)
    assert len(problems) == 5, problems
    assert any("private _hidden" in p for p in problems)
    assert any("sharing.plain, which" in p for p in problems)
    assert reaches(source, "safeguard.sharing.other", surfaces) == []
