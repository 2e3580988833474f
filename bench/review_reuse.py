"""审稿 reuse check: a 20,000-character draft against 100,000 corpus paragraphs through the
database band index, against brute-force pairwise Jaccard of the same draft (on a subset,
extrapolated) in the same run; plus the index build time.

Uses the synthetic library of bench/library_search.py (run that first) in BENCH_DATABASE_URL.
Run: .venv/bin/python bench/review_reuse.py
"""

import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.results import setup_django, write_section  # noqa: E402

setup_django()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from speechdraft.corpus.models import Paragraph  # noqa: E402
from speechdraft.drafts.models import Draft, DraftItem  # noqa: E402
from speechdraft.drafts.services import draft_create  # noqa: E402
from speechdraft.review.models import ReuseSignature  # noqa: E402
from speechdraft.review.services import HASHER, draft_review, reuse_index_paragraphs  # noqa: E402
from speechdraft.text.similarity import _grams, normalize  # noqa: E402


def edit(text: str, rng: random.Random) -> str:
    """A paragraph reused with small changes: a few words swapped, a sentence added."""
    chars = list(text)
    for _ in range(3):
        i = rng.randrange(len(chars))
        chars[i] = "新"
    return "".join(chars) + "要抓紧抓实，确保取得实效。"


def main() -> None:
    call_command("migrate", verbosity=0)
    total = Paragraph.objects.count()
    if total < 1000:
        raise SystemExit("run bench/library_search.py first: it builds the synthetic library")
    started = time.perf_counter()
    if ReuseSignature.objects.count() < total:
        ids = list(Paragraph.objects.values_list("pk", flat=True))
        reuse_index_paragraphs(ids, batch=5000)
    build_s = time.perf_counter() - started

    rng = random.Random(5)
    user, _ = get_user_model().objects.get_or_create(username="bench-review")
    Draft.objects.filter(owner=user).delete()
    draft = draft_create(owner=user, title="基准测试审稿", meeting_name="会议", region="江城")
    draft.items.all().delete()
    sample = list(Paragraph.objects.order_by("?").values_list("text", flat=True)[:400])
    bodies, chars = [], 0
    while chars < 20_000:
        text = sample[len(bodies)]
        text = edit(text, rng) if len(bodies) % 3 == 0 else text[::-1]  # a third reused
        bodies.append(text)
        chars += len(text)
    DraftItem.objects.bulk_create(
        DraftItem(draft=draft, position=i, body=body) for i, body in enumerate(bodies)
    )
    draft_review(draft)  # warm: connection, caches
    times, found = [], 0
    for _ in range(5):
        t = time.perf_counter()
        report = draft_review(draft)
        times.append(time.perf_counter() - t)
        found = sum(1 for f in report.findings if f["check"] == "reuse")
    review_s = statistics.median(times)

    subset = list(Paragraph.objects.values_list("text", flat=True)[:2000])
    t = time.perf_counter()
    subset_grams = [_grams(normalize(text), HASHER.shingle) for text in subset]
    for body in bodies:
        mine = _grams(normalize(body), HASHER.shingle)
        for theirs in subset_grams:
            inter = len(mine & theirs)
            _ = inter / (len(mine) + len(theirs) - inter) if inter else 0.0
    brute_s = (time.perf_counter() - t) * total / len(subset)
    draft.delete()

    body = f"""
A draft of {chars:,} characters in {len(bodies)} paragraphs (a third of them corpus paragraphs
with a few words changed and a sentence added), against {total:,} corpus paragraphs on
PostgreSQL. Command: `.venv/bin/python bench/review_reuse.py` (after bench/library_search.py).

| what | time |
| --- | ---: |
| index build (MinHash 128 × 4-character shingles, 32 LSH bands in the ReuseBand table) | {build_s:.0f} s{" (already built)" if build_s < 1 else ""} |
| full 审稿 of the draft (`draft_review`: reuse through the band index + every other check) | **{review_s * 1000:.0f} ms** |
| brute-force Jaccard of the same draft against every paragraph (2,000 measured, extrapolated) | {brute_s:.1f} s |

Reused paragraphs found: {found} of {len(bodies) // 3 + 1} planted. Speed-up over brute force:
{brute_s / review_s:.0f}×. Target: under 1 s.
"""
    print(body)
    write_section("Review: reuse against past speeches", body)


if __name__ == "__main__":
    main()
