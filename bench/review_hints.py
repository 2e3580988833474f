"""On-save hints (审稿 of one just-saved item) at scale, before and after issue 17.

A drafter with 10,000 items in earlier drafts and a 300-item draft; the corpus is the
synthetic library of bench/library_search.py (100,000 paragraphs) with its reuse index built.
The hint request (GET /drafts/<pk>/review/items/<id>/, as the editor sends it after a save)
is timed through the test client with today's index lookups, and with the request doing what
it did before (syncing the corpus index and hashing up to 5,000 of the drafter's other items
on every request), side by side in one run. Target: p95 under 100 ms.

Run: .venv/bin/python bench/review_hints.py [--rounds N]  (after bench/library_search.py)
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.results import pct, setup_django  # noqa: E402

setup_django()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.results import write_section  # noqa: E402
from speechdraft.corpus.models import Paragraph  # noqa: E402
from speechdraft.drafts.models import Draft, DraftItem  # noqa: E402
from speechdraft.drafts.services import draft_create  # noqa: E402
from speechdraft.review import services  # noqa: E402
from speechdraft.review.models import ReuseSignature  # noqa: E402
from speechdraft.text import review as checks  # noqa: E402
from speechdraft.text.similarity import LshIndex  # noqa: E402

OTHER_ITEMS = 10_000
DRAFT_ITEMS = 300
SENTENCE = "第{n}稿第{i}段：要坚持稳中求进工作总基调，统筹推进各项工作，推动第{i}项任务取得新成效。"


def legacy_reuse_sources(draft, subset, per_line=None):
    """The request's work before issue 17: sync the corpus index, then hash up to 5,000 of
    the drafter's other items into an index in memory (what `_reuse_sources` did)."""
    services.reuse_index_sync()
    signatures = [
        services.HASHER.signature(line)
        for item in subset
        for line in item.text.split("\n")
        if checks.count_chars(line) >= services.MIN_CHARS
    ]
    earlier = LshIndex(bands=services.BANDS.bands, rows=services.BANDS.rows)
    texts = {}
    others = DraftItem.objects.filter(draft__owner=draft.owner).exclude(draft=draft)
    for pk, body in others.values_list("pk", "body")[:5000]:
        if checks.count_chars(body) >= services.MIN_CHARS:
            earlier.add(f"d{pk}", services.HASHER.signature(body))
            texts[f"d{pk}"] = body
    wanted = {h for sig in signatures for h in services.BANDS.band_hashes(sig)}
    corpus = services.ReuseBand.objects.filter(band_hash__in=list(wanted))
    buckets: dict[int, set[str]] = {}
    for h, pk in corpus.values_list("band_hash", "paragraph_id"):
        buckets.setdefault(h, set()).add(f"p{pk}")

    class Index:
        num_perm = services.BANDS.num_perm

        def candidates(self, signature):
            hashes = services.BANDS.band_hashes(signature)
            found = set().union(*(buckets.get(h, ()) for h in hashes))
            return found | earlier.candidates_for_band_hashes(hashes)

    return Index(), texts.get, lambda key: "资料库中的段落"


def build(user) -> tuple[Draft, list[int]]:
    Draft.objects.filter(owner=user).delete()
    for n in range(OTHER_ITEMS // 10):
        old = draft_create(owner=user, title=f"旧稿{n}")
        old.items.all().delete()
        DraftItem.objects.bulk_create(
            DraftItem(draft=old, position=i, body=SENTENCE.format(n=n, i=i)) for i in range(10)
        )
    draft = draft_create(owner=user, title="基准测试讲话稿（300 段）")
    draft.items.all().delete()
    sample = list(Paragraph.objects.order_by("pk").values_list("text", flat=True)[:DRAFT_ITEMS])
    DraftItem.objects.bulk_create(
        DraftItem(draft=draft, position=i, body=sample[i % len(sample)]) for i in range(DRAFT_ITEMS)
    )
    return draft, list(draft.items.order_by("position").values_list("pk", flat=True))


def measure(client, draft, ids, rounds: int) -> list[float]:
    times = []
    for r in range(rounds):
        item_id = ids[(r * 37) % len(ids)]
        t = time.perf_counter()
        response = client.get(
            f"/drafts/{draft.pk}/review/items/{item_id}/", headers={"HX-Request": "true"}
        )
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    total = Paragraph.objects.count()
    if total < 1000:
        raise SystemExit("run bench/library_search.py first: it builds the synthetic library")
    if ReuseSignature.objects.count() < total:
        print("building the corpus reuse index (once) …", flush=True)
        services.reuse_index_paragraphs(
            list(Paragraph.objects.values_list("pk", flat=True)), batch=5000
        )
    user, _ = get_user_model().objects.get_or_create(username="bench-hints")
    draft, ids = build(user)
    if connection.vendor == "postgresql":
        # As autovacuum does after such a bulk change (10,300 items deleted and made again):
        # measured on the dead rows and the statistics of before the rebuild, the band
        # lookups read the heap the slow way (p95 from 130 ms to over 800 ms).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    t = time.perf_counter()
    indexed = services.items_index_sync(user.pk)  # the worker's job after changes
    index_s = time.perf_counter() - t
    client = Client(HTTP_HOST="127.0.0.1")  # outside the test runner: a real allowed host
    client.force_login(user)
    measure(client, draft, ids, 3)  # warm
    after = measure(client, draft, ids, args.rounds)
    current = services._reuse_sources
    services._reuse_sources = legacy_reuse_sources
    try:
        measure(client, draft, ids, 1)
        before = measure(client, draft, ids, max(5, args.rounds // 6))
    finally:
        services._reuse_sources = current
    a50, a95 = statistics.median(after), pct(after, 95)
    b50, b95 = statistics.median(before), pct(before, 95)
    body = f"""
A drafter with {OTHER_ITEMS:,} items in earlier drafts, a {DRAFT_ITEMS}-item draft, a corpus of
{total:,} paragraphs (bench/library_search.py's) with its reuse index; the hint request of one
saved item through the test client, PostgreSQL, measured side by side in one run.
Command: `.venv/bin/python bench/review_hints.py` (the worker's index of the {indexed:,} items
built in {index_s:.1f} s).

| hint request | p50 | p95 | max |
| --- | ---: | ---: | ---: |
| today: stored indexes read, only the saved item hashed | {a50:.1f} ms | **{a95:.1f} ms** | {max(after):.1f} ms |
| before: corpus index synced and 5,000 other items hashed per request | {b50:.1f} ms | {b95:.1f} ms | {max(before):.1f} ms |

**{b50 / a50:.0f}× faster at p50** (target: p95 under 100 ms: {"met" if a95 < 100 else "missed"}).
"""
    print(body)
    write_section("Review: hints on save", body)


if __name__ == "__main__":
    main()
