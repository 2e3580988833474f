"""Crafted files that once made a step of the pipeline quadratic: what they give, and how much
work the fixed steps do.

No timings here (they live in bench/ingest_linear.py): the work is counted instead, as the
characters the searches of a step look at (a counting stand-in for its compiled patterns) or
the lines a step reads, and must stay within a small multiple of the input.
"""

from __future__ import annotations

import _markupbase
import html.parser
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from speechdraft.text import clean, completeness, convert, decode, join, pipeline
from speechdraft.text.decode import html_to_text
from speechdraft.text.errors import IngestError
from speechdraft.text.pipeline import parse_bytes

HEAD = "在全县经济工作会议上的讲话\n同志们：\n今天我们召开全县经济工作会议，部署明年工作。\n"
SENTENCE = "我们要坚持稳中求进工作总基调，扎实推进各项工作落实落地。"


class Scanned:
    """Stands in for a compiled pattern and counts the characters its searches and matches
    look at: up to the end of the match, or of the string when there is none."""

    def __init__(self, pattern: re.Pattern) -> None:
        self.pattern = pattern
        self.chars = 0

    def _count(self, m, string: str, pos: int) -> None:
        self.chars += (m.end() if m else len(string)) - pos

    def search(self, string, pos=0, *args):
        m = self.pattern.search(string, pos, *args)
        self._count(m, string, pos)
        return m

    def match(self, string, pos=0, *args):
        m = self.pattern.match(string, pos, *args)
        self._count(m, string, pos)
        return m

    def __getattr__(self, name):
        return getattr(self.pattern, name)


def scanned(monkeypatch, module, *names: str) -> list[Scanned]:
    counters = []
    for name in names:
        counter = Scanned(getattr(module, name))
        monkeypatch.setattr(module, name, counter)
        counters.append(counter)
    return counters


def texts(parsed) -> str:
    out = []
    for speech in parsed.speeches:
        out.extend([speech.title, *speech.texts()])
    return "\n".join(t for t in out if t)


# ------------------------------------------------------------------ HTML (decode.py)

PAGE = "<html><head><title>讲话</title></head><body><p>在全县经济工作会议上的讲话</p><p>{}</p>"

HTML_TAILS = {
    "unclosed quote": "<a b='",
    "unclosed tag": "<a b 推进",
    "unclosed comment": "<!--推进",
    "processing instruction": "<?推进",
    "declaration": "<!推进",
    "cdata": "<![CDATA[推进",
    "end tag": "</a 推进",
}


@pytest.mark.parametrize("unit", HTML_TAILS.values(), ids=HTML_TAILS.keys())
def test_an_unclosed_construct_runs_to_the_end_of_the_page(monkeypatch, unit):
    page = PAGE.format(SENTENCE) + unit * 2000
    counters = scanned(
        monkeypatch, html.parser, "locatestarttagend_tolerant", "piclose", "endendtag"
    )
    counters += scanned(
        monkeypatch, _markupbase, "_commentclose", "_markedsectionclose", "_msmarkedsectionclose"
    )
    lines = [ln for ln in html_to_text(page).splitlines() if ln]
    # as a browser shows it: the text before, nothing of what the open construct swallows
    assert lines[-2:] == ["在全县经济工作会议上的讲话", SENTENCE]
    # each "<" used to be scanned to the end of the page again (10^7 characters here)
    assert sum(c.chars for c in counters) <= 3 * len(page)


def test_closed_constructs_and_text_after_them_are_read_as_before():
    page = (
        PAGE.format(SENTENCE) + "<!-- 注释 --><p title='说明'>推进工作。</p><?php x ?><p>落实。</p>"
    )
    lines = [ln for ln in html_to_text(page).splitlines() if ln]
    assert lines[-3:] == [SENTENCE, "推进工作。", "落实。"]


def test_a_page_of_unclosed_quotes_is_parsed(monkeypatch):
    page = PAGE.format("同志们：") + f"<p>{SENTENCE}</p>" + "<a b='" * 3000
    parsed = parse_bytes(page.encode(), "a.html")
    assert SENTENCE in texts(parsed)
    assert "<a" not in texts(parsed)


def test_a_title_never_closed_is_kept_in_pieces():
    parser = decode._TextExtractor()
    parser.feed("<html><head><title>讲话" + "推<b>进</b>" * 3000)
    parser.close()
    # a string grown by += at each piece copied the whole title again (quadratic)
    assert parser.title == "讲话" + "推进" * 3000
    assert len(parser._title) > 3000


# ------------------------------------------------------------------ markup in text (clean.py)

MARKUP = ["<script>", "<SCRIPT a>", "</script>", "</Script >", "<style>", "</style\t>"]
MARKUP += ["<!--", "-->", "<!---->", ">", "<", "-", "x", "推", "<scripts>", "<script", "</scr"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(MARKUP), max_size=14).map("".join))
def test_markup_blocks_are_the_matches_of_the_pattern(line):
    assert clean._markup_blocks(line) == [m.span() for m in clean._MARKUP_BLOCK_RE.finditer(line)]


def test_markup_blocks_scan_a_line_of_unclosed_openings_once(monkeypatch):
    line = "<!--讲话" * 2000 + "<script>推进" * 2000 + "<style 推进" * 2000 + "<script 推进" * 2000
    counters = scanned(monkeypatch, clean, "_MARKUP_OPEN_RE", "_MARKUP_GT_RE")
    ends = {k: Scanned(p) for k, p in clean._MARKUP_END_RE.items()}
    monkeypatch.setattr(clean, "_MARKUP_END_RE", ends)
    assert clean._markup_blocks(line) == []
    assert sum(c.chars for c in [*counters, *ends.values()]) <= 4 * len(line)


@pytest.mark.parametrize(
    "unit, shown",
    [
        ("<!--讲话", "<！--讲话<！--讲话"),  # no end: not a comment, text as before
        ("<script>推进", "推进推进"),  # no end: the tags go, the text stays
        ("<style a=1 推进", "<style a=1推进<style"),  # no ">": not a tag
    ],
)
def test_unclosed_markup_in_a_text_file_keeps_the_speech(unit, shown):
    data = (HEAD + "推进工作。" + unit * 5000 + "\n" + SENTENCE + "\n").encode()
    parsed = parse_bytes(data, "a.txt")
    assert parsed.speeches[0].title == "在全县经济工作会议上的讲话"
    assert SENTENCE in texts(parsed)
    assert shown in texts(parsed)


def test_closed_markup_in_a_text_file_is_removed():
    line = "推进<script>var a = '讲话';</script>工作<!-- 注释 -->落实<style>p{}</style>。"
    parsed = parse_bytes((HEAD + line + "\n").encode(), "a.txt")
    assert "推进工作落实。" in parsed.speeches[0].opening
    assert "<script>var a = '讲话';</script>" in parsed.removed


# ------------------------------------------------------------------ contents (clean.py)

_OLD_TOC_LEADER_RE = re.compile(
    r"(?:\.{3,}|…+|·{3,}|-{3,})\s*\d*\s*$|\s+\d{1,3}$|(?<=[\u4e00-\u9fff》”）])\d{1,3}$"
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([".", "…", "·", "-", " ", "1", "23", "讲", "》", "x"])).map("".join)
)
def test_the_leader_pattern_finds_what_it_found(line):
    old = [m.span() for m in _OLD_TOC_LEADER_RE.finditer(line)]
    assert [m.span() for m in clean._TOC_LEADER_RE.finditer(line)] == old


@pytest.mark.parametrize("leader", [".", "…", "·", "-"])
def test_a_contents_line_of_leaders_without_page_number(leader):
    entry = "在全县经济工作会议上的讲话" + leader * 60000 + "页"
    data = (HEAD + "目录\n" + entry + "\n" + SENTENCE + "\n").encode()
    parsed = parse_bytes(data, "a.txt")
    assert parsed.speeches[0].title == "在全县经济工作会议上的讲话"
    assert SENTENCE in parsed.speeches[0].opening
    # with a page number the leader goes, as before
    assert clean._norm_key("在全县经济工作会议上的讲话" + leader * 60000 + "12") == (
        "在全县经济工作会议上的讲话"
    )


# ------------------------------------------------------------------ punctuation (convert.py)


def _reference_punct(line: str) -> str:
    """convert._normalize_punct as it was written first (quadratic): the reference."""
    if not convert._PUNCT_RE.search(line) or convert._CJK_RE.search(line) is None:
        return line
    pairs = convert._paren_pairs(line)
    protected = convert._protected_spans(line)
    out = list(line)
    dq = sq = 0
    for m in convert._PUNCT_RE.finditer(line):
        i = m.start()
        if any(a <= i < b for a, b in protected):
            continue
        ch = line[i]
        before = convert._neighbour(line, i - 1, -1)
        after = convert._neighbour(line, i + 1, 1)
        context = convert._is_cjk_context(before) or convert._is_cjk_context(after)
        if ch in convert._SIMPLE_PUNCT:
            if not (convert._is_ascii_alnum(before) and convert._is_ascii_alnum(after)):
                out[i] = convert._SIMPLE_PUNCT[ch]
        elif ch in "()":
            j = pairs.get(i)
            if j is not None:
                lo, hi = min(i, j), max(i, j)
                outside = convert._neighbour(line, lo - 1, -1) + convert._neighbour(line, hi + 1, 1)
                if convert._CJK_RE.search(line[lo + 1 : hi]) or any(
                    convert._is_cjk_context(c) for c in outside
                ):
                    out[i] = "（" if ch == "(" else "）"
            elif context:
                out[i] = "（" if ch == "(" else "）"
        elif ch == '"':
            out[i] = "“" if dq % 2 == 0 else "”"
            dq += 1
        elif ch == "'" and (context or before in "“”" or after in "“”"):
            out[i] = "‘" if sq % 2 == 0 else "’"
            sq += 1
    return "".join(out)


PUNCT = ["(", ")", "推", "a", "1", ",", ":", '"', "'", " ", "@", "b.cn", "www.", "x@y.com", "!"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PUNCT), max_size=16).map("".join))
def test_punctuation_is_normalised_as_before(line):
    assert convert._normalize_punct(line) == _reference_punct(line)


def test_nested_parentheses_are_read_once(monkeypatch):
    line = "推进" + "(" * 20000 + "工作" + ")" * 20000 + "。"
    (counter,) = scanned(monkeypatch, convert, "_CJK_RE")
    assert convert.normalize_line(line) == "推进" + "（" * 20000 + "工作" + "）" * 20000 + "。"
    # each pair used to search its inside again (4·10^8 characters here)
    assert counter.chars <= 2 * len(line)


def test_addresses_among_commas_keep_their_punctuation():
    line = "请联系zhang.san@example.com,或见www.example.com/a,b," * 3000 + "推进"
    assert convert.normalize_line(line) == (
        "请联系zhang.san@example.com，或见www.example.com/a,b," * 3000 + "推进"
    )


@pytest.mark.parametrize(
    "line, expected",
    [
        ("联系," + "a" * 100000 + " @ 推进,", "联系，" + "a" * 100000 + " @推进，"),
        ("联系,a@" + "a." * 50000 + "推进,", "联系，a@" + "a." * 50000 + "推进，"),
    ],
    ids=["long local part", "long domain"],
)
def test_long_runs_around_an_at_sign(line, expected):
    assert convert.normalize_line(line) == expected


# ------------------------------------------------------------------ broken lines (join.py)


def counted_tokens(monkeypatch) -> list[int]:
    """Characters given to join's parse_number_token, call by call."""
    seen: list[int] = []
    real = join.parse_number_token

    def counting(text):
        seen.append(len(text))
        return real(text)

    monkeypatch.setattr(join, "parse_number_token", counting)
    return seen


@pytest.mark.parametrize(
    "lines",
    [
        [f"推进第{k}项工作落实各项任务，确保工作取得实效" for k in range(1000, 6000)],
        ["我们要推进工作，" * 6]
        + [f"推进第{k}项工作，落实各项任务" + "实" * (k % 23) for k in range(5000)],
        ["推进工作落实"] + [f"，推进第{k}项工作" for k in range(5000)],
    ],
    ids=["hard-wrapped without stops", "commas without stops", "lines opening with a comma"],
)
def test_a_paragraph_of_thousands_of_lines_costs_its_length(monkeypatch, lines):
    (stops,) = scanned(monkeypatch, join, "_INTERNAL_STOP_RE")
    tokens = counted_tokens(monkeypatch)
    assert join.join_lines(lines) == ["".join(lines)]
    total = sum(map(len, lines))
    # the paragraph so far used to be searched for a stop (and rebuilt) at every line
    assert stops.chars <= 2 * total
    assert sum(tokens) <= 2 * total + join._HEAD * len(lines)  # each line, and a head


def test_a_numbered_paragraph_is_read_from_its_beginning():
    lines = ["一是" + "推进" * 40, "工作，" * 30 + "落实"]
    assert join.join_lines(lines) == lines  # a numbered item is not run on
    spaced = ["一是" + " \u2004" * 40 + "推进", "工作，" * 30 + "落实"]
    assert join.join_lines(spaced) == spaced
    assert join.join_lines(["积极参加会议。我们使用Microsoft", "Word编写材料。"]) == [
        "积极参加会议。我们使用Microsoft Word编写材料。"
    ]


# ------------------------------------------------------------------ compilations (pipeline.py)


def compilation(n: int, marker: str = "") -> bytes:
    entries = "".join(f"{k}.在第{k}次全县工作会议上的讲话\n" for k in range(1, n + 1))
    speeches = "".join(
        f"{k}.在第{k}次全县工作会议上的讲话\n同志们：\n{SENTENCE}\n" for k in range(1, n + 1)
    )
    return f"讲话汇编{marker}\n目录\n{entries}\n{speeches}".encode()


def test_a_compilation_reads_the_removed_lines_once(monkeypatch):
    read: list[int] = []
    real = completeness.page_of

    def counting(removed):
        removed = list(removed)
        read.append(len(removed))
        return real(removed)

    monkeypatch.setattr(completeness, "page_of", counting)
    monkeypatch.setattr(pipeline, "page_of", counting)
    parsed = parse_bytes(compilation(500), "a.txt")
    assert len(parsed.speeches) == 500
    assert [s.title for s in parsed.speeches[:2]] == [
        "在第1次全县工作会议上的讲话",
        "在第2次全县工作会议上的讲话",
    ]
    # every speech used to read all of them (the 500 entries of the contents and more)
    assert sum(read) <= len(parsed.removed) + 2 * len(parsed.speeches)


def test_a_page_marker_still_flags_every_speech_of_a_compilation():
    parsed = parse_bytes(compilation(3, "（第2/3页）"), "a.txt")
    assert len(parsed.speeches) == 3
    for speech in parsed.speeches:
        assert "来自分页网页的第 2 页（共 3 页）" in speech.incomplete


def test_a_file_of_nothing_but_crafted_markup_is_refused():
    with pytest.raises(IngestError, match="未识别到讲话正文"):
        parse_bytes(("<!--" * 20000 + "\n" + "<a b='" * 20000).encode(), "a.txt")


def test_a_run_of_blank_lines_is_read_as_one_paragraph_break(monkeypatch):
    """A page padded with 100,000 blank (or whitespace-only) lines: the lines after the first
    are not read, and the speech is what one blank line between its paragraphs gives."""
    calls = 0
    real = convert.normalize_line

    def counted(*args, **kwargs):
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(clean, "normalize_line", counted)
    padding = "\n".join([" ", "\u3000", "", "\t"] * 25_000)
    padded = parse_bytes(f"{HEAD}\n{padding}\n{SENTENCE}\n".encode(), "a.txt")
    assert calls < 100
    plain = parse_bytes(f"{HEAD}\n\n{SENTENCE}\n".encode(), "a.txt")
    assert padded.speeches[0].to_json_dict() == plain.speeches[0].to_json_dict()
    assert SENTENCE in list(padded.speeches[0].texts())
