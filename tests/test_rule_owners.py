"""Rules written once: each has one owner module, and no other module keeps a copy.

- Slot syntax: speechdraft/text/templating.py (SLOT_RE and the functions over it); the
  editor's JavaScript mirrors SLOT_RE exactly.
- Characters that are not text: speechdraft/text/sanitize.py.
"""

import ast
import re
from pathlib import Path

from speechdraft.text.templating import SLOT_RE

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "speechdraft"


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def _strings(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node


def test_only_templating_writes_a_pattern_of_slot_syntax():
    owner = PACKAGE / "text" / "templating.py"
    copies = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path, tree in _modules()
        if path != owner
        for node in _strings(tree)
        if "\\{\\{" in node.value or "\\{%" in node.value
    ]
    assert copies == [], "slot patterns outside text/templating.py: " + ", ".join(copies)


def test_one_function_is_called_slot_names():
    defined = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and node.name == "slot_names"
        # a model's method that collects its texts' slots through the owner is not a copy
        and not (node.args.args and node.args.args[0].arg == "self")
    ]
    assert defined == ["speechdraft/text/templating.py:" + defined[0].split(":")[1]]


def test_the_editor_finds_slots_with_the_same_pattern():
    script = (ROOT / "static" / "js" / "editor.js").read_text(encoding="utf-8")
    found = re.search(r"var SLOT = /(.+)/g;", script)
    assert found, "editor.js declares its slot pattern as `var SLOT = /…/g;`"
    assert found.group(1) == SLOT_RE.pattern


def test_only_sanitize_lists_control_characters():
    owner = PACKAGE / "text" / "sanitize.py"
    control_class = re.compile(r"\[[^\]]*(?:\x00|\x7f|\x9f|\\x00|\\x7f|\\x9f)")
    copies = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path, tree in _modules()
        if path != owner
        for node in _strings(tree)
        if control_class.search(node.value)
    ]
    assert copies == [], "control-character classes outside text/sanitize.py: " + ", ".join(copies)


def test_no_url_of_the_app_is_written_by_hand_in_python():
    """Paths are reversed from their names (drafts:item_up …), never formatted by hand."""
    by_hand = re.compile(r"^/(?:drafts|library|corpus|exports|review|accounts)/")
    copies = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        and node.values
        and isinstance(node.values[0], ast.Constant)
        and by_hand.match(str(node.values[0].value))
    ]
    assert copies == [], "hand-formatted URLs: " + ", ".join(copies)
