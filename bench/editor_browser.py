"""Typing into the editor in Chromium: how long the page's own keystroke handlers take, on
drafts of 50 and 300 items, in one run. The handlers time themselves with the Performance API
(`performance.now()` in static/js/editor.js, read from `speechdraftEditor.perf`); the requests
the page sends while typing are counted too (autosave waits for a pause, so typing never waits
on the network).

Runs Django's development server on the benchmark database (BENCH_DATABASE_URL) and Debian's
chromium through Playwright. Run: .venv/bin/python bench/editor_browser.py [--chars N]
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Playwright's sync API runs an event loop in this thread; the ORM calls here are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from bench.editor import make_draft, pct  # noqa: E402  (sets Django up)
from bench.results import write_section  # noqa: E402
from speechdraft.drafts.models import Draft  # noqa: E402

PASSWORD = "bench-typing-2026"
TEXT = "要坚持问题导向聚焦企业群众急难愁盼持续优化营商环境推动各项政策落地见效，"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(port: int) -> subprocess.Popen:
    env = {**os.environ, "DEBUG": "true", "LOG_LEVEL": "WARNING", "REVISION_RATE_PER_MINUTE": "0"}
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=1)
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the development server did not start")


def type_into(page, base: str, draft: Draft, chars: int) -> dict:
    page.goto(f"{base}/drafts/{draft.pk}/")
    page.wait_for_function("window.speechdraftEditor")
    middle = page.locator("#document li.para .item-text [data-field=body]").nth(
        draft.items.filter(numbered=False).count() // 2
    )
    middle.click()
    page.keyboard.press("End")
    page.evaluate(
        "speechdraftEditor.perf.input.length = 0; speechdraftEditor.perf.keydown.length = 0"
    )
    sent = []

    def count(request):
        if request.method == "POST":
            sent.append(request.url)

    page.on("request", count)
    text = (TEXT * (chars // len(TEXT) + 1))[:chars]
    page.keyboard.type(text, delay=40)  # a fast typist: 25 keys a second
    for key in ("Enter", "ArrowLeft", "ArrowRight", "Backspace") * 5:
        page.keyboard.press(key)
        page.wait_for_timeout(40)
    typing_posts = len(sent)
    page.wait_for_function("speechdraftEditor.idle()", timeout=30_000)
    perf = page.evaluate("speechdraftEditor.perf")
    page.remove_listener("request", count)
    saved = draft.items.filter(body__contains=text[-20:]).exists()
    return {
        "input": perf["input"],
        "keydown": perf["keydown"],
        "posts": typing_posts,
        "saved": saved,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chars", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    User = get_user_model()
    user = User.objects.filter(username="bench-typing").first() or User.objects.create_user(
        "bench-typing", password=PASSWORD
    )
    Draft.objects.filter(owner=user).delete()
    drafts = {size: make_draft(user, size) for size in (50, 300)}
    port = free_port()
    server = serve(port)
    base = f"http://127.0.0.1:{port}"
    results = {}
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_context(
                locale="zh-CN", viewport={"width": 1400, "height": 1000}
            ).new_page()
            page.goto(f"{base}/accounts/login/")
            page.get_by_label("用户名").fill("bench-typing")
            page.get_by_label("密码").fill(PASSWORD)
            page.get_by_role("button", name="登录").click()
            page.wait_for_url(f"{base}/")
            for size, draft in drafts.items():
                type_into(page, base, draft, 20)  # warm up: the page's first handlers compile
                results[size] = type_into(page, base, draft, args.chars)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        Draft.objects.filter(owner=user).delete()

    def stats(values):
        if not values:
            return "–"
        return f"{statistics.median(values):.2f} / {pct(values, 95):.2f} / {max(values):.2f}"

    lines = []
    for size, r in results.items():
        lines.append(
            f"| {size} | {len(r['input'])} | {stats(r['input'])} | {len(r['keydown'])} | "
            f"{stats(r['keydown'])} | {r['posts']} | {'yes' if r['saved'] else 'NO'} |"
        )
    ratio = statistics.median(results[300]["input"]) / statistics.median(results[50]["input"])
    worst = max(pct(r[kind], 95) for r in results.values() for kind in ("input", "keydown"))
    body = f"""
{args.chars} characters (Chinese text, which arrives as input events, as from an input method;
plus Enter and arrow keys, which arrive as keydown) typed into a body paragraph in the middle of
the draft at 25 keys a second, in Debian's chromium (headless) against the development server,
one run. Times are what the page's own handlers took (from `performance.now()` in
static/js/editor.js), p50 / p95 / max in ms. Command: `.venv/bin/python bench/editor_browser.py`.

| items | input events | input handler | keydown events | keydown handler | POSTs while typing | all saved |
| ---: | ---: | ---: | ---: | ---: | ---: | --- |
{chr(10).join(lines)}

Input handler, 300 items ÷ 50 items (p50): {ratio:.2f}. Worst p95 of any handler
{worst:.2f} ms against the 5 ms target ({worst / 5:.2f} of it). The POSTs while typing are
autosaves, sent after a pause, never one per key.
"""
    print(body)
    write_section("Editor typing in Chromium", body)


if __name__ == "__main__":
    main()
