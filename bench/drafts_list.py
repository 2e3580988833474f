"""我的讲话稿 with 200 drafts: its first page, a search and a later page, server time through
Django's test client, on the benchmark database (BENCH_DATABASE_URL).

Run: .venv/bin/python bench/drafts_list.py [--rounds N]
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
from django.test import Client  # noqa: E402

from bench.results import write_section  # noqa: E402
from speechdraft.drafts.models import Draft  # noqa: E402
from speechdraft.drafts.services import draft_create  # noqa: E402

MEETINGS = ("全县安全生产工作会议", "全县经济工作会议", "干部大会", "乡村振兴推进会", "表彰大会")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    user, _ = get_user_model().objects.get_or_create(username="bench-list")
    Draft.objects.filter(owner=user).delete()
    for n in range(200):
        meeting = MEETINGS[n % len(MEETINGS)]
        draft_create(owner=user, title=f"在{meeting}上的讲话（第{n}稿）", meeting_name=meeting)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    urls = {
        "first page": "/",
        "search 安全生产": "/?q=安全生产",
        "page 5, by title": "/?sort=title&page=5",
    }
    times = {name: [] for name in urls}
    for _ in range(args.rounds):
        for name, url in urls.items():
            start = time.perf_counter()
            response = client.get(url)
            times[name].append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
    Draft.objects.filter(owner=user).delete()
    rows = "\n".join(
        f"| {name} | {statistics.median(v):.1f} | {pct(v, 95):.1f} |" for name, v in times.items()
    )
    body = f"""
200 drafts of one drafter, 25 a page; {args.rounds} rounds, server time through Django's test
client (DEBUG off). Command: `.venv/bin/python bench/drafts_list.py`.

| request | p50 ms | p95 ms |
| --- | ---: | ---: |
{rows}

Target: the first page under 50 ms.
"""
    print(body)
    write_section("我的讲话稿", body)


if __name__ == "__main__":
    main()
