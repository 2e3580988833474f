"""The import contract: the apps import one way, text → corpus → library → drafts → {review,
exports}, with core and accounts as leaves every app may use and `speechdraft.text` pure.

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
    "env": set(),
    "core": {"text", "celery", "env"},
    "accounts": {"core", "text"},
    "corpus": {"core", "text"},
    "library": {"core", "text", "corpus"},
    "drafts": {"core", "text", "corpus", "library", "accounts"},
    "review": {"core", "text", "corpus", "library", "drafts"},
    "exports": {"core", "text", "corpus", "library", "drafts"},
}
TOP = {"settings", "urls", "celery", "wsgi", "asgi", "__init__"}  # may import any part

# Wrong-way imports not yet removed (issue 18). Listed so that no new one can come in; each
# goes when its import does (the test fails while a listed one no longer exists).
KNOWN: set[tuple[str, str]] = {
    ("corpus/duplicates.py", "speechdraft.library.models"),
    ("corpus/management/commands/ingest.py", "speechdraft.library.services"),
    ("corpus/services.py", "speechdraft.library.services"),
    ("corpus/services.py", "speechdraft.library.models"),
    ("library/views.py", "speechdraft.drafts.models"),
    ("library/views.py", "speechdraft.drafts.services"),
}


def _part(relative: Path) -> str:
    first = relative.parts[0]
    return first[:-3] if first.endswith(".py") else first


def _imports(path: Path):
    """(line, module) of every speechdraft import in the file, wherever it is."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "speechdraft":  # from speechdraft import drafts
                for alias in node.names:
                    yield node.lineno, f"speechdraft.{alias.name}"
            else:
                yield node.lineno, node.module


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
    assert modules == ["os", "speechdraft.text", "speechdraft.drafts.services"]


# Module cycles not yet broken (issue 18): each is kept working by an import inside a function.
KNOWN_CYCLES: set[frozenset[str]] = {
    frozenset({"speechdraft.exports.docx", "speechdraft.exports.reference"}),
}


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
