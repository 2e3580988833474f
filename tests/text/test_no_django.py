import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "speechdraft" / "text"


def test_no_django_import_in_the_text_core():
    for path in PACKAGE.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "import django" not in source and "from django" not in source, path.name


def test_pipeline_runs_without_django():
    code = (
        "import sys\n"
        "from speechdraft.text.pipeline import parse_bytes, reusable_paragraphs\n"
        "p = parse_bytes('同志们：\\n今天开会，部署工作。\\n'.encode(), 'a.txt')\n"
        "reusable_paragraphs(p.speeches[0])\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)\n"
    )
    root = PACKAGE.parents[1]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root, timeout=120)
