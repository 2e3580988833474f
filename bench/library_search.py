"""Library search on PostgreSQL at scale, against a plain ILIKE scan in the same run.

Builds (once; reused while the row counts match) a synthetic library of 100,000 paragraphs
and 200,000 phrases by recombining the sample corpus's sentences, then times 200 queries of
1-4 terms through `library_search` (server side, in process) and the same queries as an
`ILIKE '%term%'` scan over the same rows.

Run: .venv/bin/python bench/library_search.py [--paragraphs N] [--phrases N] [--queries N]
Uses BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/speechdraft_bench).
"""

import argparse
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.results import pct, setup_django  # noqa: E402

setup_django(production_like=False)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench.results import write_section  # noqa: E402
from speechdraft.corpus.models import Paragraph, Skeleton, SourceDocument  # noqa: E402
from speechdraft.library.models import Phrase, PhraseKind  # noqa: E402
from speechdraft.library.selectors import library_search  # noqa: E402
from speechdraft.text import segment  # noqa: E402
from speechdraft.text.pipeline import parse_bytes  # noqa: E402
from speechdraft.text.search import _STRIP, _bigrams, normalize  # noqa: E402

SENTENCE = re.compile(r"[^。！？；]+[。！？；]")


def sample_sentences() -> list[str]:
    sentences = []
    for path in sorted((ROOT / "fixtures" / "corpus").glob("*.txt")):
        for speech in parse_bytes(path.read_bytes(), path.name).speeches:
            texts = list(speech.opening) + list(speech.closing)
            for section in speech.walk_sections():
                texts.extend(section.paragraphs)
            for text in texts:
                sentences.extend(s for s in SENTENCE.findall(text) if 8 <= len(s) <= 200)
    return sorted(set(sentences))


def sentence_tokens(sentences: list[str]) -> dict[str, set[str]]:
    """Index tokens per sentence; a paragraph's tokens are the union of its sentences'."""
    out = {}
    for s in sentences:
        plain = normalize(s)
        words = {_STRIP.sub("", w) for w in segment.cut_for_search(plain)} - {""}
        out[s] = words | _bigrams(plain)
    return out


def build(n_paragraphs: int, n_phrases: int, rng: random.Random) -> None:
    if Paragraph.objects.count() == n_paragraphs and Phrase.objects.count() == n_phrases:
        print("reusing the synthetic library already in the bench database")
        return
    print(f"building {n_paragraphs:,} paragraphs and {n_phrases:,} phrases …", flush=True)
    Phrase.objects.all().delete()
    SourceDocument.objects.all().delete()
    sentences = sample_sentences()
    tokens = sentence_tokens(sentences)
    document = SourceDocument.objects.create(file_name="bench.txt", state="done")
    skeletons = Skeleton.objects.bulk_create(
        Skeleton(document=document, index=i, title=f"合成讲话{i}") for i in range(100)
    )
    roles = ["situation", "tasks", "style", "opening", "closing"]
    batch = []
    for i in range(n_paragraphs):
        chosen = rng.sample(sentences, rng.randint(2, 6))
        batch.append(
            Paragraph(
                skeleton=skeletons[i % 100],
                position=i,
                text="".join(chosen),
                role=roles[i % 5],
                status="approved",
                search_tokens=" ".join(sorted(set().union(*(tokens[s] for s in chosen)))),
            )
        )
        if len(batch) == 5000:
            Paragraph.objects.bulk_create(batch)
            batch = []
    Paragraph.objects.bulk_create(batch)
    clauses = sorted(
        {c for s in sentences for c in re.split(r"[，、。！？；：]", s) if 4 <= len(c) <= 30}
    )
    kinds = PhraseKind.values
    seen, batch = set(), []
    while len(seen) < n_phrases:
        text = rng.choice(clauses) + ("" if rng.random() < 0.3 else "，" + rng.choice(clauses))
        key = (kinds[len(seen) % len(kinds)], text)
        if key in seen:
            continue
        seen.add(key)
        plain = normalize(text)
        words = {_STRIP.sub("", w) for w in segment.cut_for_search(plain)} - {""}
        batch.append(
            Phrase(
                kind=key[0],
                text=text,
                status="approved",
                search_tokens=" ".join(sorted(words | _bigrams(plain))),
            )
        )
        if len(batch) == 5000:
            Phrase.objects.bulk_create(batch)
            batch = []
    Phrase.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE corpus_paragraph")
        cursor.execute("VACUUM ANALYZE library_phrase")


def make_queries(n: int, rng: random.Random) -> list[str]:
    words = sorted(
        {
            w
            for s in sample_sentences()
            for w in segment.lcut(s)
            if len(w) >= 2 and _STRIP.sub("", w) == w and not w.isascii()
        }
    )
    return [" ".join(rng.sample(words, rng.randint(1, 4))) for _ in range(n)]


def ilike_scan(query: str, limit: int) -> int:
    terms = query.split()
    found = 0
    with connection.cursor() as cursor:
        for table in ("corpus_paragraph", "library_phrase"):
            where = " OR ".join(["text ILIKE %s"] * len(terms))
            cursor.execute(
                # Ids only: the scan's own cost, not shipping every matching text to Python.
                f"SELECT id FROM {table} WHERE {where}",
                [f"%{t}%" for t in terms],
            )
            found += len(cursor.fetchall())
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paragraphs", type=int, default=100_000)
    parser.add_argument("--phrases", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(20241122)
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    build(args.paragraphs, args.phrases, rng)
    build_s = time.perf_counter() - t0
    with connection.cursor() as cursor:  # fresh statistics for the planner
        cursor.execute("ANALYZE corpus_paragraph")
        cursor.execute("ANALYZE library_phrase")
    queries = make_queries(args.queries, rng)
    library_search(queries[0])  # warm: jieba loaded, connection open

    search_ms, scan_ms = [], []
    for q in queries:
        t = time.perf_counter()
        library_search(q, limit=20, expand=True)  # as the 素材库 page and panel search
        search_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        ilike_scan(q, 20)
        scan_ms.append((time.perf_counter() - t) * 1000)
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN SELECT id FROM corpus_paragraph WHERE search_vector "
            "@@ to_tsquery('simple'::regconfig, %s) LIMIT 300",
            ["'营商' & '环境'"],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    s50, s95 = statistics.median(search_ms), pct(search_ms, 95)
    i50, i95 = statistics.median(scan_ms), pct(scan_ms, 95)
    body = f"""
{args.paragraphs:,} paragraphs and {args.phrases:,} phrases (synthetic, recombined from the
sample corpus's sentences), {len(queries)} queries of 1–4 terms, PostgreSQL
{connection.cursor().connection.info.server_version}, measured side by side in one process.
Command: `.venv/bin/python bench/library_search.py` (library built in {build_s:.0f} s, or reused).

| | p50 | p95 | max |
| --- | ---: | ---: | ---: |
| `library_search` (both tables, ranked, synonyms expanded, top 20) | {s50:.1f} ms | {s95:.1f} ms | {max(search_ms):.1f} ms |
| `ILIKE '%term%'` scan (both tables, ids of all matches) | {i50:.1f} ms | {i95:.1f} ms | {max(scan_ms):.1f} ms |

**Speed-up: {i50 / s50:.0f}× at p50, {i95 / s95:.0f}× at p95** (targets: p95 < 50 ms, ≥ 20×).

Plan of a token query (the GIN index is used):
```
{plan}
```
"""
    print(body)
    write_section("Library search", body)


if __name__ == "__main__":
    main()
