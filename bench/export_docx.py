"""Word export: render time at 5,000 / 20,000 / 100,000 characters against pandoc converting
the same text (as Markdown) to .docx in the same run, and click-to-download time through the
real worker when REDIS_URL is set.

Run: .venv/bin/python bench/export_docx.py   (pandoc: apt-get install pandoc)
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import celery_worker_argv, write_section  # noqa: E402
from speechdraft.ooxml.model import Block, ExportDocument  # noqa: E402
from speechdraft.ooxml.render import render_docx  # noqa: E402
from speechdraft.text.pipeline import parse_bytes  # noqa: E402


def sample_paragraphs() -> list[str]:
    out = []
    for path in sorted((ROOT / "fixtures" / "corpus").glob("*.txt")):
        for speech in parse_bytes(path.read_bytes(), path.name).speeches:
            for section in speech.walk_sections():
                out.extend(p.replace("{{", "").replace("}}", "") for p in section.paragraphs)
    return out


def speech_of(chars: int, paragraphs: list[str]) -> tuple[ExportDocument, str]:
    blocks, markdown, total, i = [], ["# 在全市工作会议上的讲话", "", "同志们："], 0, 0
    cn = "一二三四五六七八九十"
    while total < chars:
        part = i // 6
        if i % 6 == 0:
            heading = f"第{cn[part % 10]}部分的标题"
            blocks.append(
                Block(kind="heading", level=1, number=f"{cn[part % 10]}、", heading=heading)
            )
            markdown += ["", f"## {cn[part % 10]}、{heading}"]
        text = paragraphs[i % len(paragraphs)]
        blocks.append(
            Block(
                kind="heading",
                level=2,
                number=f"（{cn[i % 6]}）",
                heading="要点",
                body=text,
                run_in=True,
            )
        )
        markdown += ["", f"**（{cn[i % 6]}）要点。**{text}"]
        total += len(text)
        i += 1
    doc = ExportDocument(
        title="在全市工作会议上的讲话", speaker="市长 张三", salutation="同志们：", blocks=blocks
    )
    return doc, "\n".join(markdown)


def median_ms(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def click_to_download(chars: int, rounds: int = 5) -> str:
    """Through Django, Redis and a real worker process: POST 导出Word, poll the status every
    100 ms as a browser polls every second (finer, to measure), download the file."""
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
    db_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/speechdraft_bench"
    )
    os.environ.update(
        DATABASE_URL=db_url,
        REDIS_URL=redis_url,
        DEBUG="1",
        DJANGO_SETTINGS_MODULE="speechdraft.settings",
    )
    from bench.results import ensure_database

    ensure_database(db_url)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from speechdraft.drafts.services import (
        Details,
        Placement,
        draft_create,
        draft_details_update,
        draft_item_insert,
    )

    call_command("migrate", verbosity=0)
    media = tempfile.mkdtemp(prefix="bench-media-")
    from django.conf import settings

    settings.MEDIA_ROOT = media
    env = dict(os.environ, MEDIA_ROOT=media)
    worker = subprocess.Popen(
        celery_worker_argv("speechdraft", loglevel="WARNING"),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        user, _ = get_user_model().objects.get_or_create(username="bench-export")
        draft = draft_create(owner=user, title="基准测试讲话稿", meeting_name="全市工作会议")
        draft_details_update(
            draft,
            user=user,
            version=draft.version,
            details=Details(
                title=draft.title, meeting_name=draft.meeting_name, variables={"地区": "江城"}
            ),
        )
        paragraphs, total = sample_paragraphs(), 0
        parts = list(draft.items.filter(numbered=True))
        i = 0
        while total < chars:
            draft.refresh_from_db()
            text = paragraphs[i % len(paragraphs)]
            draft_item_insert(
                draft,
                user=user,
                version=draft.version,
                placement=Placement(parts[i % 3].pk, 99),
                numbered=True,
                heading="要点",
                body=text,
            )
            total += len(text)
            i += 1
        client = Client(HTTP_HOST="127.0.0.1")  # outside the test runner: a real allowed host
        client.force_login(user)
        hx = {"HX-Request": "true"}
        client.post(f"/drafts/{draft.pk}/export/", {"profile": "gongwen"}, headers=hx)  # warm
        times = []
        for r in range(rounds):
            draft.refresh_from_db()
            from speechdraft.drafts.services import draft_item_update

            item = draft.items.filter(numbered=True).first()
            draft_item_update(
                draft,
                user=user,
                version=draft.version,
                item_id=item.pk,
                heading=f"第{r}轮",
                body="",
            )  # a new version: no cached file
            t = time.perf_counter()
            client.post(f"/drafts/{draft.pk}/export/", {"profile": "gongwen"}, headers=hx)
            from speechdraft.exports.models import ExportJob

            job = ExportJob.objects.filter(draft=draft).order_by("-pk").first()
            while True:
                status = client.get(f"/exports/{job.pk}/status/", headers=hx)
                if status.status_code == 286:
                    break
                time.sleep(0.1)
                if time.perf_counter() - t > 60:
                    raise RuntimeError("export did not finish in 60 s")
            b"".join(client.get(f"/exports/{job.pk}/download/").streaming_content)
            times.append(time.perf_counter() - t)
        draft.delete()
        return (
            f"{statistics.median(times):.2f} s median, {max(times):.2f} s max over {rounds} clicks"
        )
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()


def main() -> None:
    paragraphs = sample_paragraphs()
    pandoc = shutil.which("pandoc")
    rows = []
    render_docx(speech_of(1000, paragraphs)[0])  # warm: reference loaded once per process
    with tempfile.TemporaryDirectory() as tmp:
        for chars in (5_000, 20_000, 100_000):
            doc, markdown = speech_of(chars, paragraphs)
            ours = median_ms(lambda doc=doc: render_docx(doc), 7)
            if pandoc:
                src = Path(tmp) / "in.md"
                src.write_text(markdown)
                theirs = median_ms(
                    lambda src=src: subprocess.run(
                        [pandoc, str(src), "-o", str(Path(tmp) / "out.docx")], check=True
                    ),
                    5,
                )
                rows.append(
                    f"| {chars:,} | {ours:.0f} ms | {theirs:.0f} ms | {theirs / ours:.1f}× |"
                )
            else:
                rows.append(f"| {chars:,} | {ours:.0f} ms | (pandoc not installed) | — |")
    click = click_to_download(20_000)
    body = f"""
Render of a speech of N characters (sample-corpus paragraphs as run-in points under level-1
parts) by `render_docx`, against `pandoc` converting the same text written as Markdown to
.docx (process start included, as a user would run it), medians, same run.
Command: `.venv/bin/python bench/export_docx.py`.

| characters | speechdraft `render_docx` | pandoc | pandoc ÷ ours |
| ---: | ---: | ---: | ---: |
{chr(10).join(rows)}

Target: faster than pandoc at every size.

Click to download through the real worker on Redis (PostgreSQL, a 20,000-character draft,
polling every 100 ms): **{click}** (target under 2 s).
"""
    print(body)
    write_section("Word export", body)


if __name__ == "__main__":
    main()
