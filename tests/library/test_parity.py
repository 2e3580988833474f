"""The same queries give the same top results on PostgreSQL (GIN over tsvector) and SQLite."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from speechdraft.library.selectors import library_search
from tests.conftest import postgres_mode

ROOT = Path(__file__).resolve().parents[2]
QUERIES = [
    "营商环境",
    "一抓到底",
    "作风建设",
    "项目",
    "绿色低碳",
    "低碳",
    "干部队伍",
    "高质量发展",
    "招商引资",
    "抓落实",
    "擂台比武",
    "乡村振兴",
    "同志们",
    "担当作为",
    "营商环境 项目建设",
]
TOP = 8


def sqlite_results(tmp_path: Path) -> dict[str, list]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'parity.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
    )

    def manage(*args: str) -> str:
        proc = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    manage("migrate", "--noinput", "-v0")
    manage("ingest", "--approve", str(ROOT / "fixtures" / "corpus"))
    out = manage("search", "--json", "--limit", str(TOP), *QUERIES)
    return {
        row["query"]: [(r["kind"], r["text"]) for r in row["results"]]
        for row in map(json.loads, out.splitlines())
    }


@pytest.mark.skipif(not postgres_mode(), reason="needs PostgreSQL (DATABASE_URL) to compare with")
@pytest.mark.slow
def test_same_top_results_on_sqlite_and_postgresql(sample_library, tmp_path):
    from django.db import connection

    assert connection.vendor == "postgresql"
    on_postgres = {
        q: [(r.kind, r.obj.text) for r in library_search(q, limit=TOP).results] for q in QUERIES
    }
    on_sqlite = sqlite_results(tmp_path)
    assert all(on_postgres[q] for q in QUERIES if q != "同志们")
    for query in QUERIES:
        assert on_sqlite[query] == on_postgres[query], query
