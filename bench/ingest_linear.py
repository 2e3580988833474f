"""Ingestion in bounded time: crafted files must not stall the text pipeline.

Each shape is a speech (title, salutation, a few paragraphs) around a payload that once
made a step of the pipeline quadratic (regex backtracking, rescanning from each position,
re-joining a growing paragraph…), built at 16 KB, 64 KB and 256 KB. ``parse_bytes`` is
timed on each in CPU seconds (best of N rounds; an IngestError is a normal outcome), and the time for
256 KB must be at most 5× the time for 64 KB: linear work gives 4×, quadratic 16×.

Run: .venv/bin/python bench/ingest_linear.py [--rounds N] [--only SHAPE …] [--no-write]
Exit status 1 when a shape's ratio is above 5.
"""

import argparse
import gc
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import write_section  # noqa: E402
from speechdraft.text.errors import IngestError  # noqa: E402
from speechdraft.text.pipeline import parse_bytes  # noqa: E402

SIZES = (16 * 1024, 64 * 1024, 256 * 1024)
MAX_RATIO = 5.0

TITLE = "在全县经济工作会议上的讲话"
OPENING = "同志们：\n今天我们召开全县经济工作会议，主要任务是总结今年工作，部署明年任务。"
CLOSING = "同志们，让我们团结一心，奋力开创全县高质量发展新局面！"
SENTENCE = "我们要坚持稳中求进工作总基调，扎实推进各项工作落实落地。"


def _repeat(unit: str, size: int, budget: int = 0) -> str:
    """``unit`` repeated until it takes ``size - budget`` bytes of UTF-8."""
    per = len(unit.encode())
    return unit * max(1, (size - budget) // per)


def _speech(payload: str, size: int) -> str:
    """A speech with ``payload`` filling it up to about ``size`` bytes."""
    head = f"{TITLE}\n{OPENING}\n"
    tail = f"\n{SENTENCE}\n{CLOSING}\n"
    return head + payload + tail


def _lines(unit: str, size: int) -> str:
    """Lines of ``unit`` up to about ``size`` bytes; ``{k}`` in it counts them (distinct lines,
    which the cleaner does not drop as repeats)."""
    if "{k}" not in unit:
        return _repeat(unit + "\n", size, 400)
    out, total, k = [], 400, 0
    while total < size:
        k += 1
        line = unit.format(k=k) + "\n"
        out.append(line)
        total += len(line.encode())
    return "".join(out)


def _html(body: str, tail: bool = False) -> str:
    """An HTML page holding ``body``; with ``tail`` the page ends right after it (nothing
    closes what it leaves open)."""
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>"
        + TITLE
        + "</title></head><body><div><p>"
        + TITLE
        + "</p><p>同志们：</p><p>"
        + SENTENCE
        + "</p>"
        + body
        + ("" if tail else "</div></body></html>")
    )


# Every builder takes the target size in bytes and returns (bytes, file name).
def comment_unclosed(size):
    return _speech(_repeat("<!--讲话", size, 400), size).encode(), "a.txt"


def script_unclosed(size):
    return _speech(_repeat("<script>推进", size, 400), size).encode(), "a.txt"


def script_no_gt(size):
    return _speech(_repeat("<script 推进", size, 400), size).encode(), "a.txt"


def html_comment_unclosed(size):
    return _html(_repeat("<p>推进工作。</p><!--", size, 600)).encode(), "a.html"


def html_script_unclosed(size):
    return _html(_repeat("<p>推进工作。</p><script>", size, 600)).encode(), "a.html"


def html_attr_quote(size):
    return _html(_repeat("<a b='", size, 600), tail=True).encode(), "a.html"


def html_attr_quote_closed(size):
    return _html(_repeat("<a b='", size, 600)).encode(), "a.html"


def html_comment_tail(size):
    return _html(_repeat("<!--推进", size, 600), tail=True).encode(), "a.html"


def html_script_tail(size):
    return _html(_repeat("<script>推进", size, 600), tail=True).encode(), "a.html"


def html_tag_tail(size):
    return _html(_repeat("<a b 推进", size, 600), tail=True).encode(), "a.html"


def html_pi_tail(size):
    return _html(_repeat("<?推进", size, 600), tail=True).encode(), "a.html"


def html_decl_tail(size):
    return _html(_repeat("<!推进", size, 600), tail=True).encode(), "a.html"


def html_cdata_tail(size):
    return _html(_repeat("<![CDATA[推进", size, 600), tail=True).encode(), "a.html"


def html_endtag_tail(size):
    return _html(_repeat("</a 推进", size, 600), tail=True).encode(), "a.html"


def html_attr_dquote(size):
    return _html(_repeat('<p>推进工作。</p><a b="', size, 600)).encode(), "a.html"


def html_declaration(size):
    return _html(_repeat("<!推进工作 ", size, 600)).encode(), "a.html"


def html_end_tag(size):
    return _html(_repeat("</a 推进工作", size, 600)).encode(), "a.html"


def html_entities(size):
    return _html("<p>" + _repeat("&推进&#&#x&amp", size, 600) + "</p>").encode(), "a.html"


def html_lt_runs(size):
    return _html("<p>" + _repeat("<<<推进", size, 600) + "</p>").encode(), "a.html"


def toc_dots(size):
    body = "目录\n在全县经济工作会议上的讲话" + _repeat(".", size, 800) + "页\n"
    return _speech(body, size).encode(), "a.txt"


def toc_ellipsis(size):
    body = "目录\n在全县经济工作会议上的讲话" + _repeat("…", size, 800) + "页\n"
    return _speech(body, size).encode(), "a.txt"


def toc_middots(size):
    body = "目录\n在全县经济工作会议上的讲话" + _repeat("·", size, 800) + "页\n"
    return _speech(body, size).encode(), "a.txt"


def toc_huge(size):
    n = max(2, size // 180)
    entries = "".join(f"{k}.在第{k}次全县工作会议上的讲话\n" for k in range(1, n + 1))
    speeches = "".join(
        f"{k}.在第{k}次全县工作会议上的讲话\n同志们：\n{SENTENCE}\n" for k in range(1, n + 1)
    )
    return ("讲话汇编\n目录\n" + entries + "\n" + speeches).encode(), "a.txt"


def ellipsis_lines(size):
    return _speech(_lines("推进第{k}项工作" + "……" * 20, size), size).encode(), "a.txt"


def email_commas(size):
    return _speech(_repeat("请联系zhang.san@example.com,", size, 400), size).encode(), "a.txt"


def email_long_local(size):
    payload = "联系," + _repeat("a", size, 400) + " @ 推进"
    return _speech(payload, size).encode(), "a.txt"


def email_long_domain(size):
    payload = "联系,a@" + _repeat("a.", size, 400) + "推进"
    return _speech(payload, size).encode(), "a.txt"


def url_runs(size):
    return _speech(_repeat("见www.a,推进", size, 400), size).encode(), "a.txt"


def nested_parens(size):
    n = max(1, (size - 400) // 8)
    return _speech("推进" + "(" * n + "工作" + ")" * n + "。", size).encode(), "a.txt"


def paren_runs(size):
    return _speech(_repeat("(推进)", size, 400), size).encode(), "a.txt"


def unbalanced_parens(size):
    return _speech("推进" + _repeat("((工作", size, 400) + "。", size).encode(), "a.txt"


def quotes_runs(size):
    return _speech(_repeat("\"推进'工作'\"", size, 400) + "。", size).encode(), "a.txt"


def noise_tokens(size):
    return _speech(_repeat("a# b$ c% ", size, 400) + "推进。", size).encode(), "a.txt"


def noise_not_noise(size):
    return _speech(_repeat("ab cd ", size, 400) + "abcd推进。", size).encode(), "a.txt"


def spaces_run(size):
    return _speech("推进 a" + _repeat(" ", size, 400) + "b 工作。", size).encode(), "a.txt"


def spaced_punct(size):
    return _speech(_repeat(" , ", size, 400) + "推进。", size).encode(), "a.txt"


def tabs_tokens(size):
    return _speech(_repeat("a\t\t", size, 400) + "推进。", size).encode(), "a.txt"


def long_line_no_punct(size):
    return _speech(_repeat("推进工作落实", size, 400), size).encode(), "a.txt"


def long_line_commas(size):
    return _speech(_repeat("推进工作落实，", size, 400), size).encode(), "a.txt"


def breadcrumbs(size):
    return _speech(_repeat("首页>", size, 400), size).encode(), "a.txt"


def breadcrumb_lines(size):
    return _speech(_lines("首页>新闻{k}>讲话>正文", size), size).encode(), "a.txt"


def tags_many(size):
    return _speech(_repeat("<a 推进", size, 400) + "。", size).encode(), "a.txt"


def tags_long(size):
    return _speech(_repeat("<a " + "推" * 390, size, 400) + "。", size).encode(), "a.txt"


def numbered_10k(size):
    n = max(2, size // 40)
    items = "".join(f"{k}.推进第{k}项工作，狠抓落实。\n" for k in range(1, n + 1))
    return _speech(items, size).encode(), "a.txt"


def numbered_headings(size):
    n = max(2, size // 40)
    from speechdraft.text.numbering import chinese_numeral

    items = "".join(
        f"{chinese_numeral(k % 9999 + 1)}、推进第{k}项工作\n{SENTENCE}\n" for k in range(n)
    )
    return _speech(items, size).encode(), "a.txt"


def runin_leads(size):
    leads = ("提高站位抓推进", "压实责任抓落实", "强化保障抓服务", "转变作风抓效能")
    unit = "".join(f"{lead}。{SENTENCE}\n" for lead in leads)
    return _speech(_repeat(unit, size, 400), size).encode(), "a.txt"


def wrapped_no_stop(size):
    return _speech(
        _lines("推进第{k}项工作落实各项任务，确保工作取得实效", size), size
    ).encode(), "a.txt"


def comma_lines(size):
    # unfinished lines of many lengths, with commas and no full stop: one paragraph
    unit = "我们要推进第{k}项工作，落实各项任务确保工作取得实效"
    lines = _lines(unit + "{k}", size).splitlines()
    lines = [line + "实" * (len(line) * 7 % 23) for line in lines]
    return _speech("\n".join(lines) + "\n", size).encode(), "a.txt"


def continued_lines(size):
    return _speech(_lines("，推进第{k}项工作落实", size), size).encode(), "a.txt"


def short_lines(size):
    return _speech(_lines("推进第{k}项", size), size).encode(), "a.txt"


def blank_lines(size):
    return _speech(_repeat("\n", size, 400), size).encode(), "a.txt"


def repeated_lines(size):
    return _speech(_lines(SENTENCE, size), size).encode(), "a.txt"


def salutations(size):
    return _speech(
        _lines("在第{k}次会议上的讲话\n同志们：\n推进第{k}项工作。", size), size
    ).encode(), "a.txt"


def placeholders(size):
    return _speech(
        _repeat("**同志在***县***会议上讲话，", size, 400) + "。", size
    ).encode(), "a.txt"


def placeholder_runs(size):
    return _speech("推进" + _repeat("×", size, 400) + "5。", size).encode(), "a.txt"


def x_runs(size):
    return _speech(_repeat("推进X工作XX", size, 400) + "。", size).encode(), "a.txt"


def braces(size):
    return _speech(_repeat("{{推进{%工作%}}}", size, 400) + "。", size).encode(), "a.txt"


def entities(size):
    return _speech(_repeat("&&nbsp;&amp&推进", size, 400) + "。", size).encode(), "a.txt"


def page_marks(size):
    return _speech(_lines("（第2/3页）推进第{k}项工作。", size), size).encode(), "a.txt"


def paywall(size):
    return _speech(_repeat("##paidbegin##[paid推进", size, 400) + "。", size).encode(), "a.txt"


def strong_phrases(size):
    return _speech(_lines("来源：本站{k} 发布时间：2024-01-01", size), size).encode(), "a.txt"


def dates(size):
    return _speech(_repeat("2024年1月1日", size, 400), size).encode(), "a.txt"


def four_char(size):
    return _speech(_repeat("心悦诚服、", size, 400) + "表里如一。", size).encode(), "a.txt"


def quoted_slogans(size):
    return _speech(_repeat("“一主三优”", size, 400) + "。", size).encode(), "a.txt"


def transitions(size):
    return _speech(_repeat("下面讲", size, 400) + "。", size).encode(), "a.txt"


def sentences(size):
    return _speech(_repeat("推进。", size, 400), size).encode(), "a.txt"


def gb18030(size):
    return _speech(_lines("第{k}条，" + SENTENCE, size), size).encode("gb18030"), "a.txt"


def big5(size):
    import opencc

    text = opencc.OpenCC("s2t").convert(_speech(_lines("第{k}条，" + SENTENCE, size), size))
    return text.encode("big5", "replace"), "a.txt"


def utf16(size):
    return _speech(_lines("第{k}条，" + SENTENCE, size // 2), size).encode("utf-16"), "a.txt"


SHAPES = [
    comment_unclosed,
    script_unclosed,
    script_no_gt,
    html_comment_unclosed,
    html_script_unclosed,
    html_attr_quote,
    html_attr_quote_closed,
    html_comment_tail,
    html_script_tail,
    html_tag_tail,
    html_pi_tail,
    html_decl_tail,
    html_cdata_tail,
    html_endtag_tail,
    html_attr_dquote,
    html_declaration,
    html_end_tag,
    html_entities,
    html_lt_runs,
    toc_dots,
    toc_ellipsis,
    toc_middots,
    toc_huge,
    ellipsis_lines,
    email_commas,
    email_long_local,
    email_long_domain,
    url_runs,
    nested_parens,
    paren_runs,
    unbalanced_parens,
    quotes_runs,
    noise_tokens,
    noise_not_noise,
    spaces_run,
    spaced_punct,
    tabs_tokens,
    long_line_no_punct,
    long_line_commas,
    breadcrumbs,
    breadcrumb_lines,
    tags_many,
    tags_long,
    numbered_10k,
    numbered_headings,
    runin_leads,
    wrapped_no_stop,
    comma_lines,
    continued_lines,
    short_lines,
    blank_lines,
    repeated_lines,
    salutations,
    placeholders,
    placeholder_runs,
    x_runs,
    braces,
    entities,
    page_marks,
    paywall,
    strong_phrases,
    dates,
    four_char,
    quoted_slogans,
    transitions,
    sentences,
    gb18030,
    big5,
    utf16,
]


def run_once(data: bytes, name: str) -> tuple[float, str]:
    """CPU seconds of one parse (other processes on the machine do not count) and its
    outcome."""
    started = time.process_time()
    try:
        parsed = parse_bytes(data, name)
        outcome = f"{len(parsed.speeches)} 篇"
    except IngestError:
        outcome = "IngestError"
    return time.process_time() - started, outcome


def measure(shape, rounds: int) -> tuple[list[float], str]:
    """Best CPU time at each size. The rounds go 16, 64, 256, 16, 64, 256…, so that a slow
    spell of the machine falls on every size alike rather than on one."""
    inputs = [shape(size) for size in SIZES]
    best = [float("inf")] * len(SIZES)
    outcome = ""
    for _ in range(rounds):
        for i, (data, name) in enumerate(inputs):
            elapsed, outcome = run_once(data, name)
            best[i] = min(best[i], elapsed)
    return best, outcome


def warm_up() -> None:
    """Load what the first parse loads once per process (OpenCC, jieba, the score table of
    the legacy encodings), so that it is not counted in the 16 KB figures; then freeze that
    heap, so that the garbage collector does not walk jieba's dictionary during the timed
    parses (a cost that depends on when a collection falls, not on the input)."""
    for path in sorted((ROOT / "fixtures" / "corpus").glob("*.txt"))[:1]:
        parse_bytes(path.read_bytes(), path.name)
    for shape in (numbered_headings, gb18030, big5):
        run_once(*shape(4096))
    gc.collect()
    gc.freeze()


def judge(shape, rounds: int) -> tuple[list[float], str, float, bool]:
    times, outcome = measure(shape, rounds)
    ratio = times[2] / max(times[1], 1e-6)
    if ratio > MAX_RATIO and times[2] >= 0.02:
        # Measured again with more rounds before it is called too slow: a shape that is
        # really quadratic stays near 16 however often it is run.
        times, outcome = measure(shape, rounds * 2)
        ratio = times[2] / max(times[1], 1e-6)
    # Below a few milliseconds the ratio is noise: such a shape passes.
    return times, outcome, ratio, ratio <= MAX_RATIO or times[2] < 0.02


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="shape names (default: all)")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args()
    shapes = [s for s in SHAPES if not args.only or s.__name__ in args.only]
    warm_up()

    rows = []
    failed = []
    for shape in shapes:
        (t16, t64, t256), outcome, ratio, ok = judge(shape, args.rounds)
        if not ok:
            failed.append(shape.__name__)
        row = (
            f"| `{shape.__name__}` | {t16:.3f} | {t64:.3f} | {t256:.3f} | {ratio:.1f} | "
            f"{outcome} |{'' if ok else ' **too slow**'}"
        )
        rows.append(row)
        print(row, flush=True)

    body = (
        f"""
Crafted files around a speech, each at 16, 64 and 256 KB; CPU seconds of `parse_bytes` (best
of {args.rounds} rounds taken in turn over the three sizes; a shape above the target is measured
again with twice the rounds), and the ratio 256 KB ÷ 64 KB (linear work gives 4, quadratic 16; target ≤ {MAX_RATIO:g},
shapes under 20 ms at 256 KB pass whatever their ratio). An IngestError is a normal outcome.
Command: `.venv/bin/python bench/ingest_linear.py`.

| shape | 16 KB | 64 KB | 256 KB | 256 ÷ 64 | outcome (256 KB) |
| --- | ---: | ---: | ---: | ---: | --- |
"""
        + "\n".join(rows)
        + "\n\n"
        + (
            f"**Too slow: {', '.join(failed)}.**"
            if failed
            else f"**Every shape within {MAX_RATIO:g}×.**"
        )
    )
    if not args.no_write and not args.only:
        write_section("Ingestion in bounded time", body)
    if failed:
        print(f"FAILED: ratio above {MAX_RATIO:g} for {', '.join(failed)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
