"""The Word writer is pure like the text core (tests/text/test_no_django.py): no module of
speechdraft/ooxml imports Django, and a whole export runs without loading it."""

import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "speechdraft" / "ooxml"


def test_no_django_import_in_the_word_writer():
    for path in PACKAGE.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "import django" not in source and "from django" not in source, path.name


def test_an_export_runs_without_django():
    modules = sorted(f"speechdraft.ooxml.{path.stem}" for path in PACKAGE.glob("[!_]*.py"))
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "from speechdraft.ooxml.builtin_reference import REFERENCE_PATH, build_reference\n"
        "from speechdraft.ooxml.model import Block, ExportDocument\n"
        "from speechdraft.ooxml.reference import reference_check, reference_sanitize\n"
        "from speechdraft.ooxml.render import render_docx\n"
        "doc = ExportDocument('讲话', blocks=[Block('heading', 1, '一、', '标题', '正文', True)])\n"
        "assert render_docx(doc, profile='large')\n"
        "assert reference_check(build_reference()) == []\n"
        "assert reference_sanitize(REFERENCE_PATH.read_bytes())[1] == 0\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)\n"
    )
    root = PACKAGE.parents[1]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root, timeout=120)
