"""素材库 ranking quality: library_search's top 10 against a judged query set (issue 15).

Loads the judged library of bench/library_set.py (≥ 2,000 approved paragraphs and the phrase
rows, indexed as ingestion indexes them) into a fresh database, runs every query of
bench/library/queries.json through `library_search(query, limit=10, ranking=R)` for today's
ranking ("legacy") and the new one ("relevance", with `expand=True` when library_search takes
it), and reports nDCG@10 (gains 2^grade - 1) and recall@10 per query and on average, side by
side, in one run. A library_search without the `ranking` parameter is measured once, as
legacy.

Run: .venv/bin/python bench/library_quality.py [--no-write] [--query ID ...] [--show ID ...]

The database is a SQLite file in a temporary directory; with DATABASE_URL set to a PostgreSQL
server, a database `speechdraft_quality` on that server is dropped and created afresh (never
the database DATABASE_URL names). The section "素材库 ranking quality" of bench/RESULTS.md is
written when every query ran, unless --no-write. Exit status 1 when both rankings were measured
and the new one misses its target: mean nDCG@10 ≥ 0.8 and ≥ 1.3 × legacy.
"""

from __future__ import annotations

import argparse
import inspect
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import library_set  # noqa: E402
from bench.metrics import ndcg_at_k, recall_at_k  # noqa: E402

TARGET_NDCG = 0.8
TARGET_RATIO = 1.3
K = 10
QUALITY_DB = "speechdraft_quality"
SECTION = "素材库 ranking quality"


def setup_django() -> str:
    """Django on a fresh database; returns a description of it."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        from urllib.parse import urlsplit, urlunsplit

        import psycopg

        parts = urlsplit(url)
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{QUALITY_DB}" WITH (FORCE)')
            c.execute(f"CREATE DATABASE \"{QUALITY_DB}\" ENCODING 'UTF8' TEMPLATE template0")
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{QUALITY_DB}"))
        where = f"PostgreSQL (fresh database {QUALITY_DB})"
    else:
        tmp = tempfile.mkdtemp(prefix="speechdraft-quality-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/quality.sqlite3"
        where = "SQLite (fresh file in a temporary directory)"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DEBUG", "1")  # settings load with DEBUG (no collectstatic); off below
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "speechdraft.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return where


def load(lib: library_set.Library) -> dict[tuple[str, int], str]:
    """The library as approved rows; returns (kind, pk) -> judged id ("paragraph" or "phrase")."""
    from speechdraft.corpus.models import Paragraph, Skeleton, SourceDocument, Status
    from speechdraft.library.models import Phrase
    from speechdraft.text import segment
    from speechdraft.text.search import index_tokens
    from speechdraft.text.templating import strip_slots

    document = SourceDocument.objects.create(file_name="library_quality", state="done")
    groups: dict[str, list[library_set.Paragraph]] = {}
    for p in lib.paragraphs:
        # One speech per generated topic, one per sample speech.
        key = p.id.rsplit("-", 1)[0] if p.source == "sample" else p.id.split("-", 1)[0]
        groups.setdefault(key, []).append(p)
    skeletons = {
        key: Skeleton(
            document=document,
            index=i,
            title=f"素材库评测·{key}",
            status=Status.APPROVED,
        )
        for i, key in enumerate(groups)
    }
    Skeleton.objects.bulk_create(skeletons.values())
    skeletons = {s.title.split("·", 1)[1]: s for s in Skeleton.objects.filter(document=document)}
    rows, ids = [], {}
    for key, paragraphs in groups.items():
        for position, p in enumerate(paragraphs):
            keywords = p.keywords
            if keywords is None:  # as reusable_paragraphs computes them
                keywords = segment.keywords(strip_slots(p.text), k=8)
            rows.append(
                Paragraph(
                    skeleton=skeletons[key],
                    position=position,
                    heading=p.heading[:300],
                    text=p.text,
                    role=p.role,
                    keywords=list(keywords),
                    status=Status.APPROVED,
                    search_tokens=index_tokens(f"{p.heading or ''} {p.text}"),
                )
            )
            ids[(skeletons[key].pk, position)] = p.id
    Paragraph.objects.bulk_create(rows, batch_size=500)
    by_pk = {
        ("paragraph", pk): ids[(skeleton_id, position)]
        for pk, skeleton_id, position in Paragraph.objects.values_list(
            "pk", "skeleton_id", "position"
        )
    }
    Phrase.objects.bulk_create(
        [
            Phrase(
                kind=ph.kind,
                text=ph.text,
                status=Status.APPROVED,
                search_tokens=index_tokens(ph.text),
            )
            for ph in lib.phrases
        ]
    )
    text_ids = {(ph.kind, ph.text): ph.id for ph in lib.phrases}
    for pk, kind, text in Phrase.objects.values_list("pk", "kind", "text"):
        by_pk[("phrase", pk)] = text_ids[(kind, text)]
    return by_pk


def rankings() -> tuple[list[tuple[str, dict]], str]:
    """(name, keyword arguments for library_search) per ranking to measure, and a note."""
    from speechdraft.library.selectors import library_search

    params = inspect.signature(library_search).parameters
    if "ranking" not in params:
        return [("legacy", {})], (
            "library_search has no `ranking` parameter yet: today's ranking measured alone."
        )
    new = {"ranking": "relevance"}
    note = ""
    if "expand" in params:
        new["expand"] = True
    else:
        note = "library_search has no `expand` parameter: relevance measured without expansion."
    return [("legacy", {"ranking": "legacy"}), ("relevance", new)], note


def run(queries, by_pk, runs) -> dict[str, list[dict]]:
    from speechdraft.library.selectors import library_search

    library_search("安全生产", limit=K)  # warm: jieba loaded
    out: dict[str, list[dict]] = {}
    for name, kwargs in runs:
        rows = []
        for q in queries:
            t = time.perf_counter()
            response = library_search(q.q, limit=K, **kwargs)
            ms = (time.perf_counter() - t) * 1000
            ranked = [
                by_pk[("paragraph" if r.is_paragraph else "phrase", r.obj.pk)]
                for r in response.results
            ]
            judged = library_set.judgements(q)
            rows.append(
                {
                    "query": q,
                    "ranked": ranked,
                    "judged": judged,
                    "ndcg": ndcg_at_k(ranked, judged, K),
                    "recall": recall_at_k(ranked, judged, K),
                    "ms": ms,
                }
            )
        out[name] = rows
    return out


def mean(rows, key) -> float:
    return statistics.fmean(r[key] for r in rows) if rows else 0.0


def per_query_table(results: dict[str, list[dict]]) -> str:
    names = list(results)
    head = "| id | 类型 | query | rel (2/1) | " + " | ".join(f"{n} nDCG | {n} R" for n in names)
    lines = [head + " |", "| --- | --- | --- | ---: |" + " ---: | ---: |" * len(names)]
    first = results[names[0]]
    for i, row in enumerate(first):
        q, judged = row["query"], row["judged"]
        twos = sum(1 for g in judged.values() if g == 2)
        cells = [q.id, q.type, q.q, f"{twos}/{len(judged) - twos}"]
        for n in names:
            r = results[n][i]
            cells += [f"{r['ndcg']:.2f}", f"{r['recall']:.2f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def summary_table(results: dict[str, list[dict]]) -> str:
    names = list(results)
    types = list(dict.fromkeys(r["query"].type for r in results[names[0]]))
    lines = [
        "| queries | n | " + " | ".join(f"{n} nDCG@10 | {n} recall@10" for n in names) + " |",
        "| --- | ---: |" + " ---: | ---: |" * len(names),
    ]
    for label, pick in [("all", None), *((t, t) for t in types)]:
        cells = [label]
        for j, n in enumerate(names):
            rows = [r for r in results[n] if pick is None or r["query"].type == pick]
            if j == 0:
                cells.append(str(len(rows)))
            cells += [f"{mean(rows, 'ndcg'):.3f}", f"{mean(rows, 'recall'):.3f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def show(results, lib: library_set.Library, qid: str) -> None:
    items = {p.id: p for p in lib.paragraphs} | {p.id: p for p in lib.phrases}
    for name, rows in results.items():
        for r in rows:
            if r["query"].id != qid:
                continue
            print(f"\n{qid} {r['query'].q!r} — {name}: nDCG@10 {r['ndcg']:.2f}")
            for rank, item_id in enumerate(r["ranked"], 1):
                item = items[item_id]
                label = (
                    f"phrase:{item.kind}"
                    if isinstance(item, library_set.Phrase)
                    else f"{item.topic}/{item.sub or ''}@{item.role}"
                )
                text = item.text.replace("\n", " ")
                print(f"  {rank:2}. [{r['judged'].get(item_id, 0)}] {item_id} {label}  {text[:50]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--no-write", action="store_true", help="do not touch bench/RESULTS.md")
    parser.add_argument("--query", action="append", default=[], help="run only these query ids")
    parser.add_argument("--show", action="append", default=[], help="print the top 10 of a query")
    args = parser.parse_args()

    started = time.perf_counter()
    lib = library_set.library()
    queries = library_set.queries()
    if args.query:
        queries = [q for q in queries if q.id in set(args.query)]
    where = setup_django()
    t = time.perf_counter()
    by_pk = load(lib)
    load_s = time.perf_counter() - t
    runs, note = rankings()
    runs_kwargs = dict(runs)
    if note:
        print(f"note: {note}")
    t = time.perf_counter()
    results = run(queries, by_pk, runs)
    search_s = time.perf_counter() - t
    total_s = time.perf_counter() - started

    print(per_query_table(results))
    print()
    print(summary_table(results))
    for qid in args.show:
        show(results, lib, qid)

    legacy = mean(results["legacy"], "ndcg")
    verdict, failed = "", False
    if "relevance" in results:
        new = mean(results["relevance"], "ndcg")
        ratio = new / legacy if legacy else float("inf")
        failed = new < TARGET_NDCG or ratio < TARGET_RATIO
        verdict = (
            f"**nDCG@10: relevance {new:.3f} vs legacy {legacy:.3f}, {ratio:.2f}×** "
            f"(target ≥ {TARGET_NDCG} and ≥ {TARGET_RATIO}×: {'missed' if failed else 'met'})."
        )
    else:
        verdict = f"**nDCG@10: legacy {legacy:.3f}** (the new ranking not measured, see the note)."
    print()
    print(verdict)
    n_generated = sum(p.source == "generated" for p in lib.paragraphs)
    ms = [r["ms"] for rows in results.values() for r in rows]
    timing = (
        f"whole run {total_s:.1f} s (library loaded and indexed in {load_s:.1f} s, "
        f"{len(ms)} searches in {search_s:.1f} s, {statistics.median(ms):.0f} ms median)"
    )
    print(timing)

    complete = len(queries) == len(library_set.queries())
    if complete and not args.no_write:
        from bench.results import write_section

        types = ", ".join(
            f"{n} {t}"
            for t, n in _counts(q.type for q in queries).items()  # 单词, 短语, 提法, 口语化
        )
        measured = " and ".join(f"ranking={n!r}" for n in results if runs_kwargs[n])
        measured = f"with {measured}" if measured else "(today's ranking, reported as legacy)"
        body = f"""
{len(queries)} judged queries ({types}) over a library of {len(lib.paragraphs):,} approved
paragraphs ({n_generated:,} composed from hand-written building blocks,
{len(lib.paragraphs) - n_generated} from the five sample speeches) and {len(lib.phrases)} phrases
on {where}; `library_search(query, limit=10)` {measured}, in one run. Grades 2/1/0
from the labels in `bench/library/` (phrases and passing mentions are distractors); gains
2^grade − 1; recall@10 = grade-2 items in the top 10 / min(10, grade-2 items).
Command: `.venv/bin/python bench/library_quality.py`; {timing}.

{summary_table(results)}

{verdict}
"""
        if note:
            body += f"\nNote: {note}\n"
        body += f"""
<details><summary>Per query</summary>

{per_query_table(results)}

</details>
"""
        write_section(SECTION, body)
        print("written to bench/RESULTS.md")
    _cleanup()
    return 1 if failed else 0


def _counts(values) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


def _cleanup() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("sqlite:///"):
        from django.db import connections

        connections.close_all()
        shutil.rmtree(Path(url.removeprefix("sqlite:///")).parent, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
