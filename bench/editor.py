"""Editor operations' server time on drafts of 50, 300 and 1,000 items, against rendering the
full editor page for the same draft in the same run.

Each operation is a real request through Django's test client (middleware, service, revision,
fragment rendering), on the database named by BENCH_DATABASE_URL (PostgreSQL by default).

Run: .venv/bin/python bench/editor.py [--rounds N]
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

import speechdraft.wsgi  # noqa: E402, F401  (the web server process's GC tuning)
from bench.results import write_section  # noqa: E402
from speechdraft.drafts.models import Draft, DraftItem  # noqa: E402
from speechdraft.drafts.services import draft_create  # noqa: E402

BODY = (
    "要坚持问题导向，聚焦企业群众急难愁盼，持续优化营商环境，推动各项政策落地见效，"
    "确保全年目标任务圆满完成，以实干实绩检验{{ 地区 }}能力作风建设成效。"
)


def make_draft(user, items: int) -> Draft:
    draft = draft_create(owner=user, title=f"基准测试讲话稿（{items} 段）", region="江城")
    draft.items.all().delete()
    parts = max(3, items // 10)
    rows = []
    for p in range(parts):
        rows.append(
            DraftItem(draft=draft, position=p, numbered=True, level=1, heading=f"第{p}部分标题")
        )
    DraftItem.objects.bulk_create(rows)
    parents = list(draft.items.order_by("position"))
    children = []
    for i in range(items - parts):
        parent = parents[i % parts]
        children.append(
            DraftItem(
                draft=draft,
                parent=parent,
                position=i // parts,
                numbered=i % 3 == 0,
                level=2 if i % 3 == 0 else 1,
                heading="要点" if i % 3 == 0 else "",
                body=BODY,
            )
        )
    DraftItem.objects.bulk_create(children)
    return draft


def timed(fn, *args, **kwargs) -> float:
    start = time.perf_counter()
    response = fn(*args, **kwargs)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code in (200, 302), (response.status_code, response.content[:300])
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from django.conf import settings

    settings.REVISION_RATE_PER_MINUTE = 0  # the bench changes far faster than a person can
    user, _ = get_user_model().objects.get_or_create(username="bench-editor")
    Draft.objects.filter(owner=user).delete()
    client = Client(HTTP_HOST="127.0.0.1")  # outside the test runner: a real allowed host
    client.force_login(user)
    hx = {"HX-Request": "true", "HX-Target": "document"}
    rows = []
    for size in (50, 300, 1000):
        draft = make_draft(user, size)
        base = f"/drafts/{draft.pk}/"
        client.get(base)  # warm caches
        page, move, insert, edit, autosave = [], [], [], [], []
        for r in range(args.rounds):
            page.append(timed(client.get, base))
            draft.refresh_from_db()
            parts = list(draft.items.filter(parent=None).order_by("position"))
            data = {"parent": "", "position": r % len(parts), "current_version": draft.version}
            move.append(timed(client.post, f"{base}items/{parts[-1].pk}/move/", data, headers=hx))
            draft.refresh_from_db()
            data = {
                "kind": "paragraph",
                "anchor": parts[0].pk,
                "body": BODY,
                "current_version": draft.version,
            }
            insert.append(timed(client.post, f"{base}items/", data, headers=hx))
            draft.refresh_from_db()
            target = draft.items.filter(numbered=False).first()
            data = {"heading": "", "body": BODY + str(r), "current_version": draft.version}
            edit.append(timed(client.post, f"{base}items/{target.pk}/edit/", data, headers=hx))
            # Typing on the page: the same item saved again and again, one undo step.
            draft.refresh_from_db()
            data = {"body": BODY + "再写一句" * (r + 1), "version": draft.version}
            saved = f"{base}items/{target.pk}/save/"
            autosave.append(timed(client.post, saved, data, headers=hx))
        rows.append((size, page, move, insert, edit, autosave))
        Draft.objects.filter(pk=draft.pk).delete()

    lines = []
    for size, page, move, insert, edit, autosave in rows:
        cells = [
            f"{statistics.median(v):.1f} / {pct(v, 95):.1f}"
            for v in (page, move, insert, edit, autosave)
        ]
        ratio = statistics.median(move + insert + edit) / statistics.median(page)
        saving = statistics.median(autosave) / statistics.median(edit)
        lines.append(f"| {size:,} | " + " | ".join(cells) + f" | {ratio:.2f} | {saving:.2f} |")
    body = f"""
Server time per request through Django's test client (middleware, service, revision,
rendering), {args.rounds} rounds per size, {connection.vendor} {connection.cursor().connection.info.server_version if connection.vendor == "postgresql" else ""}.
Command: `.venv/bin/python bench/editor.py`. Cells are p50 / p95 in ms; DEBUG off.

| items | full editor page | move | insert | edit (form) | autosave | operations ÷ page (p50) | autosave ÷ edit (p50) |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
{chr(10).join(lines)}

"edit (form)" is the plain form's save (it answers with the row and the panels); "autosave" is
typing on the page (`items/<id>/save/`, JSON with the status bar), the same item saved again
and again so each save extends one undo step. Targets: p95 under 50 ms at 300 items, growth no
worse than linear; autosave no slower than the form's edit.
"""
    print(body)
    write_section("Editor operations", body)


if __name__ == "__main__":
    main()
