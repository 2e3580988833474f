"""The import contract: the apps import one way, text → corpus → library → drafts → {review,
exports}, with core, units and accounts as leaves every app may use. `speechdraft.text` and
`speechdraft.ooxml` (the Word writer, on top of text, used by exports alone) are pure: no
Django import.

Every import counts, at module level or inside a function: an import moved into a function to
dodge a cycle is still a dependency. Project modules (settings, urls, celery, wsgi) sit on top.
`make lint` runs this file. A wrong-way import fails here with the line that makes it.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "speechdraft"

# What each part of the project may import besides itself (and third-party code).
ALLOWED: dict[str, set[str]] = {
    "text": set(),
    "ooxml": {"text"},  # the Word writer, pure like text: only exports uses it
    "env": set(),
    "core": {"text", "celery", "env"},
    "units": {"core", "text"},  # 单位 and membership: every app below may use it
    "accounts": {"core", "text", "units"},
    "corpus": {"core", "text", "units"},
    "library": {"core", "text", "units", "corpus"},
    "drafts": {"core", "text", "units", "corpus", "library", "accounts"},
    "review": {"core", "text", "units", "corpus", "library", "drafts"},
    "exports": {"core", "text", "ooxml", "units", "corpus", "library", "drafts"},
}
TOP = {"settings", "urls", "celery", "wsgi", "asgi", "__init__"}  # may import any part
# Pure layers: plain Python, no Django (each also has a test that runs it without Django:
# tests/text/test_no_django.py, tests/ooxml/test_no_django.py).
PURE = {"text", "ooxml"}

# Wrong-way imports not yet removed (issue 18). Listed so that no new one can come in; each
# goes when its import does (the test fails while a listed one no longer exists).
KNOWN: set[tuple[str, str]] = set()


def _part(relative: Path) -> str:
    first = relative.parts[0]
    return first[:-3] if first.endswith(".py") else first


def _module_exists(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _imports(path: Path):
    """(line, module) of every speechdraft import in the file, wherever it is: relative ones
    resolved (`from .review import x` in speechdraft/text is speechdraft.text.review), and
    `from package import module` naming the module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    inside = path.resolve().is_relative_to(ROOT)
    # an __init__ is in its own package, like any module of it
    package = path.resolve().relative_to(ROOT).with_suffix("").parts[:-1] if inside else ()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            for alias in node.names:
                inner = f"{module}.{alias.name}"
                yield node.lineno, inner if _module_exists(inner) else module


def wrong_way_imports() -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if "migrations" in relative.parts:
            continue  # a migration may name any app's model by design of Django's migrations
        part = _part(relative)
        if part in TOP and len(relative.parts) == 1:
            continue
        allowed = ALLOWED.get(part)
        assert allowed is not None, f"{relative}: add its app to ALLOWED"
        for line, module in _imports(path):
            names = module.split(".")
            if names[0] != "speechdraft" or len(names) < 2:
                continue
            target = names[1]
            if target != part and target not in allowed:
                found.setdefault((relative.as_posix(), module), line)
    return found


def test_apps_import_one_way():
    found = wrong_way_imports()
    new = {
        f"speechdraft/{f}:{line} imports {m}"
        for (f, m), line in found.items()
        if (f, m) not in KNOWN
    }
    assert new == set(), "wrong-way imports (see this file's docstring):\n" + "\n".join(sorted(new))


def test_the_pure_layers_import_no_django():
    found = [
        f"speechdraft/{path.relative_to(PACKAGE).as_posix()}:{line} imports {module}"
        for part in sorted(PURE)
        for path in sorted((PACKAGE / part).rglob("*.py"))
        for line, module in _imports(path)
        if module == "django" or module.startswith("django.")
    ]
    assert found == [], "Django in a pure layer:\n" + "\n".join(found)


def test_the_list_of_known_exceptions_only_shrinks():
    gone = KNOWN - set(wrong_way_imports())
    assert gone == set(), f"these imports are gone: remove them from KNOWN: {sorted(gone)}"


def test_the_contract_sees_imports_inside_functions(tmp_path):
    """The checker itself: an import tucked into a function is found like one at the top."""
    sample = tmp_path / "m.py"
    sample.write_text(
        "import os\nfrom speechdraft.text import clean\n\n"
        "def f():\n    from speechdraft.drafts.services import x\n    return x\n",
        encoding="utf-8",
    )
    modules = [m for _, m in _imports(sample)]
    assert modules == ["os", "speechdraft.text.clean", "speechdraft.drafts.services"]


def test_the_contract_sees_relative_imports():
    """`from . import segment` and `from .clean import clean_text` in speechdraft/text."""
    modules = {m for _, m in _imports(PACKAGE / "text" / "pipeline.py")}
    assert {"speechdraft.text.segment", "speechdraft.text.clean"} <= modules


# Module cycles not yet broken: none left (issue 18 broke the last ones). Listed here only
# while a cycle is being taken apart; the test fails when a listed one is gone.
KNOWN_CYCLES: set[frozenset[str]] = set()


def module_cycles() -> set[frozenset[str]]:
    """Modules that import each other, through any chain, counting imports inside functions
    too (moving an import into a function hides a cycle, it does not break it)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if "migrations" in relative.parts:
            continue
        name = "speechdraft." + ".".join(relative.with_suffix("").parts)
        graph[name.removesuffix(".__init__")] = {
            m for _, m in _imports(path) if m.startswith("speechdraft.")
        }
    cycles: set[frozenset[str]] = set()

    def visit(node: str, stack: list[str], seen: set[str]) -> None:
        for nxt in graph.get(node, ()):
            if nxt in stack:
                cycles.add(frozenset(stack[stack.index(nxt) :]))
            elif nxt not in seen:
                seen.add(nxt)
                visit(nxt, [*stack, nxt], seen)

    for start in graph:
        visit(start, [start], {start})
    return cycles


def test_no_module_cycles():
    """services ↔ tasks, services ↔ selectors: a cycle is what pushes imports into functions.
    A service queues its app's task by name (speechdraft.core.queueing), never by import."""
    new = module_cycles() - KNOWN_CYCLES
    assert new == set(), sorted(sorted(c) for c in new)
    gone = KNOWN_CYCLES - module_cycles()
    assert gone == set(), f"these cycles are broken: remove them from KNOWN_CYCLES: {gone}"
