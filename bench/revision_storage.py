"""Bytes stored per change, on a 20,000- and a 1,000,000-character draft: 300 上移/下移 and 100
paragraph edits each, through the services (the same revision code the editor's requests
run). "Before" is the encoding every revision used to get, a full zlib snapshot of the state
after the change, computed side by side in the same run; "after" is what the revision table
grew by (deltas, a full snapshot every REVISION_FULL_EVERY revisions). At the end every
revision is read back and must encode to exactly the bytes the old encoding gave its version.

The text is drawn, character by character, from the character frequencies of the sample
corpus (fixtures/corpus): it compresses about as real speeches do, unlike one sentence
repeated, which zlib would shrink to almost nothing.

Runs on a fresh SQLite file in a temporary directory (bytes do not depend on the database).
Run: .venv/bin/python bench/revision_storage.py
"""

import hashlib
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_TMP = tempfile.mkdtemp(prefix="speechdraft-revisions-")
os.environ["DATABASE_URL"] = f"sqlite:///{_TMP}/bench.sqlite3"
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DEBUG", "1")  # settings load with DEBUG (no collectstatic); off below
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "speechdraft.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

from bench.results import pct, write_section  # noqa: E402
from speechdraft.drafts import services as s  # noqa: E402
from speechdraft.drafts import versions  # noqa: E402
from speechdraft.drafts.models import Draft, DraftItem, Revision  # noqa: E402

MOVES, EDITS = 300, 100
# (name, parts, paragraphs per part, characters per paragraph)
SIZES = (("20k", 5, 10, 400), ("1M", 50, 20, 1000))


def alphabet() -> tuple[list[str], list[int]]:
    counts = Counter()
    for path in sorted((ROOT / "fixtures" / "corpus").glob("*.txt")):
        counts.update(c for c in path.read_text() if "\u4e00" <= c <= "\u9fff" or c in "，。；：、")
    chars = sorted(counts)
    return chars, [counts[c] for c in chars]


class Text:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.chars, self.weights = alphabet()

    def __call__(self, n: int) -> str:
        return "".join(self.rng.choices(self.chars, self.weights, k=n - 1)) + "。"


def make_draft(user, name: str, parts: int, per_part: int, chars: int, text: Text) -> Draft:
    draft = s.draft_create(owner=user, title=f"存储基准讲话稿（{name}）")
    draft.items.all().delete()
    DraftItem.objects.bulk_create(
        DraftItem(draft=draft, position=p, numbered=True, level=1, heading=text(16))
        for p in range(parts)
    )
    heads = list(draft.items.order_by("position"))
    DraftItem.objects.bulk_create(
        DraftItem(draft=draft, parent=head, position=i, body=text(chars))
        for head in heads
        for i in range(per_part)
    )
    # One change to record the outline just built (a full snapshot: it replaces the frame).
    s.draft_details_update(
        draft, user=user, version=draft.version, details=s.Details(title=draft.title + "。")
    )
    return draft


def timed(fn, *args, **kwargs) -> float:
    start = time.perf_counter()
    fn(*args, **kwargs)
    return (time.perf_counter() - start) * 1000


def run(user, name: str, parts: int, per_part: int, chars: int) -> list[dict]:
    text = Text(seed=len(name))
    rng = random.Random(7)
    draft = make_draft(user, name, parts, per_part, chars, text)
    total_chars = draft.char_count
    paragraphs = list(draft.items.filter(numbered=False).values_list("pk", flat=True))
    old_digest: dict[int, str] = {}
    rows = []

    def measure(kind: str, change) -> dict:
        before = Draft.objects.values_list("revision_bytes", flat=True).get(pk=draft.pk)
        ms = timed(change)
        draft.refresh_from_db()
        new = draft.revision_bytes - before
        start = time.perf_counter()
        old = versions.draft_snapshot(draft).to_bytes()  # the old encoding of the same state
        old_ms = (time.perf_counter() - start) * 1000
        old_digest[draft.version] = hashlib.sha256(old).hexdigest()
        return {"kind": kind, "old": len(old), "new": new, "ms": ms, "old_ms": old_ms}

    for _ in range(MOVES):
        pk = rng.choice(paragraphs)
        item = DraftItem.objects.get(pk=pk)
        last = DraftItem.objects.filter(draft=draft, parent_id=item.parent_id).count() - 1
        delta = 1 if item.position == 0 else -1 if item.position == last else rng.choice((-1, 1))
        rows.append(
            measure(
                "move",
                lambda pk=pk, delta=delta: s.draft_item_step(
                    draft, user=user, version=draft.version, item_id=pk, delta=delta
                ),
            )
        )
    for _ in range(EDITS):
        pk = rng.choice(paragraphs)
        body = DraftItem.objects.values_list("body", flat=True).get(pk=pk)
        at = rng.randrange(len(body) - 20)
        body = body[:at] + text(20)[:-1] + body[at + 20 :]  # one phrase rewritten
        rows.append(
            measure(
                "edit",
                lambda pk=pk, body=body: s.draft_item_update(
                    draft, user=user, version=draft.version, item_id=pk, heading="", body=body
                ),
            )
        )

    # Exact: every revision of the run reads back as the old encoding stored its version.
    reads = []
    for revision in Revision.objects.filter(draft=draft, version__in=list(old_digest)):
        start = time.perf_counter()
        snapshot = versions.revision_snapshot(revision)
        reads.append((time.perf_counter() - start) * 1000)
        again = snapshot.to_bytes()
        assert hashlib.sha256(again).hexdigest() == old_digest[revision.version], revision
    checked = len(reads)
    read_ms = (statistics.median(reads), pct(reads, 95))
    fulls = Revision.objects.filter(
        draft=draft, version__in=list(old_digest), kind=Revision.Kind.FULL
    ).count()
    for row in rows:
        row.update(size=name, chars=total_chars, fulls=fulls, read_ms=read_ms, checked=checked)
    Draft.objects.filter(pk=draft.pk).delete()
    return rows


def mb(n: float) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.1f} KB"


def main() -> None:
    call_command("migrate", verbosity=0)
    settings.DEBUG = False
    settings.REVISION_RATE_PER_MINUTE = 0  # 400 changes in a minute, on purpose
    user, _ = get_user_model().objects.get_or_create(username="bench-revisions")
    results = [row for size in SIZES for row in run(user, *size)]

    lines = []
    for name, *_ in SIZES:
        for kind, count in (("move", MOVES), ("edit", EDITS)):
            rows = [r for r in results if r["size"] == name and r["kind"] == kind]
            old = [r["old"] for r in rows]
            new = [r["new"] for r in rows]
            ms = [r["ms"] for r in rows]
            lines.append(
                f"| {rows[0]['chars']:,} | {count} {'上移/下移' if kind == 'move' else '修改段落'} "
                f"| {mb(statistics.mean(old))} | {mb(statistics.mean(new))} "
                f"| {statistics.median(new):,.0f} B | {mb(sum(old))} | {mb(sum(new))} "
                f"| {sum(old) / max(1, sum(new)):,.0f}× "
                f"| {statistics.median(ms):.0f} / {pct(ms, 95):.0f} ms "
                f"| {statistics.median(r['old_ms'] for r in rows):.0f} ms |"
            )
    summary = []
    for name, *_ in SIZES:
        rows = [r for r in results if r["size"] == name]
        summary.append(
            f"{rows[0]['chars']:,} characters: {rows[0]['fulls']} full snapshots among "
            f"{rows[0]['checked']} revisions, a revision read back in "
            f"{rows[0]['read_ms'][0]:.0f} ms (p50) / {rows[0]['read_ms'][1]:.0f} ms (p95)"
        )
    body = f"""
Bytes the revision table grows by per change, on SQLite, through the services. "Before": the
old encoding (a full zlib snapshot per change) of the same state, computed in the same run;
"after": deltas from the previous revision, and a full snapshot (counted in the mean) when a
delta would be more than half of one, when a chain's deltas add up to as much as its full
snapshot, and at the latest every {settings.REVISION_FULL_EVERY} revisions (`REVISION_FULL_EVERY`).
Command: `.venv/bin/python bench/revision_storage.py`.

| characters | changes | before, per change | after, per change (mean) | after, median | before, total | after, total | saved | time per change p50 / p95 (after) | old encoding's own time p50 |
| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
{chr(10).join(lines)}

Every revision was read back (`versions.revision_snapshot`) and encoded to exactly the bytes the old
encoding gave its version: {"; ".join(summary)}. The median is the delta alone; the mean
includes the periodic full snapshot, which bounds how many deltas a read replays.
"""
    print(body)
    write_section("Revision storage", body)


if __name__ == "__main__":
    try:
        main()
    finally:
        connections.close_all()
        shutil.rmtree(_TMP, ignore_errors=True)
