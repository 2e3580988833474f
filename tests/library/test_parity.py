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
    "安全生产",
    "安全",
    "发展",
    "同志们 贡献",
]
# Also with the old tiers, and with a part's material preferred: (command options, kwargs).
VARIANTS = [
    ((), {}),
    (("--ranking", "legacy"), {"ranking": "legacy"}),
    (("--prefer-role", "closing"), {"prefer_role": "closing"}),
]
TOP = 8


def sqlite_results(tmp_path: Path) -> list[dict[str, list]]:
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
    variants = []
    for options, _ in VARIANTS:
        out = manage("search", "--json", "--limit", str(TOP), *options, *QUERIES)
        variants.append(
            {
                row["query"]: [(r["kind"], r["text"]) for r in row["results"]]
                for row in map(json.loads, out.splitlines())
            }
        )
    return variants


@pytest.mark.skipif(not postgres_mode(), reason="needs PostgreSQL (DATABASE_URL) to compare with")
@pytest.mark.slow
def test_same_top_results_on_sqlite_and_postgresql(sample_library, tmp_path):
    from django.db import connection

    from speechdraft.corpus.mining import user_dictionary_ensure

    assert connection.vendor == "postgresql"
    user_dictionary_ensure()  # as the command does
    on_sqlite = sqlite_results(tmp_path)
    for (options, kwargs), sqlite in zip(VARIANTS, on_sqlite, strict=True):
        on_postgres = {
            q: [(r.kind, r.obj.text) for r in library_search(q, limit=TOP, **kwargs).results]
            for q in QUERIES
        }
        assert all(on_postgres[q] for q in QUERIES if q != "同志们"), options
        for query in QUERIES:
            assert sqlite[query] == on_postgres[query], (query, options)
