"""Which parts of a result are highlighted: the query as written, else its terms, never inside
a slot, never two overlapping; and the work stays linear in the text's length."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from speechdraft.text import search
from speechdraft.text.search import highlight_spans, parse_query
from speechdraft.text.templating import iter_slots


def spans_text(text: str, query: str, also=()) -> list[str]:
    return [text[s:e] for s, e in highlight_spans(text, parse_query(query), also)]


def test_the_query_as_written_is_highlighted_whole():
    text = "要压紧压实安全生产责任，安全生产无小事。"
    assert spans_text(text, "安全生产") == ["安全生产", "安全生产"]


def test_terms_and_expansions_are_highlighted_when_the_whole_query_is_not_there():
    text = "压实主体责任，狠抓工作落实。"
    assert spans_text(text, "压实 落实", also=["主体责任"]) == ["压实", "主体责任", "落实"]


def test_a_longer_needle_wins_and_spans_never_overlap():
    text = "安全生产，安全"
    spans = highlight_spans(text, parse_query("安全 工作"), ["安全生产", "生产"])
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    assert [text[s:e] for s, e in spans] == ["安全生产", "安全"]


def test_nothing_inside_a_slot_is_highlighted():
    text = "{{ 地区 }}要把地区发展放在首位。"
    spans = highlight_spans(text, parse_query("地区"))
    assert [text[s:e] for s, e in spans] == ["地区"]
    assert spans[0][0] > text.index("}}")


def _reference(text: str, query, also=()) -> list[tuple[int, int]]:
    """The plain pairwise version highlight_spans replaced (quadratic in the spans)."""
    norm = search.normalize(text)
    if len(norm) != len(text):
        norm = text
    needles = [query.text] if query.text and query.text in norm else [*query.terms, *also]
    spans: list[tuple[int, int]] = []
    for needle in sorted(set(needles), key=len, reverse=True):
        if not needle:
            continue
        start = norm.find(needle)
        while start != -1:
            end = start + len(needle)
            if all(end <= s or start >= e for s, e in spans):
                spans.append((start, end))
            start = norm.find(needle, end)
    slots = [(m.start(), m.end()) for m in iter_slots(text)]
    return sorted(sp for sp in spans if all(sp[1] <= a or sp[0] >= b for a, b in slots))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["安全", "生产", "安全生产", "{{ 地区 }}", "责任", "，", "压实"])),
    st.sampled_from(["安全", "安全生产", "生产 安全", "地区 责任", "压实 责任 安全"]),
)
def test_spans_are_those_of_the_pairwise_reference(pieces, query):
    text = "".join(pieces)
    parsed = parse_query(query)
    assert highlight_spans(text, parsed, ["责任"]) == _reference(text, parsed, ["责任"])


# Counted in a fresh interpreter: inside the test session a tracer of its own (Hypothesis's,
# after its tests) can make sys.settrace spin.
_COUNT_STEPS = """
import sys
from speechdraft.text import search
from speechdraft.text.search import highlight_spans, parse_query

query = parse_query("压实 安全 责任")
here = search.__file__


def steps(times):
    text = "压实安全生产责任，" * times
    assert len(highlight_spans(text, query)) == 3 * times
    count = 0

    def trace(frame, event, arg):
        nonlocal count
        if frame.f_code.co_filename != here:
            return None
        count += 1
        return trace

    sys.settrace(trace)
    try:
        highlight_spans(text, query)
    finally:
        sys.settrace(None)
    return count


print(steps(300), steps(1200))
"""


def test_highlighting_a_long_paragraph_costs_work_in_proportion_to_its_length():
    """Counted, not timed (bench/highlight_linear.py times it): the Python steps run in
    speechdraft/text/search.py for four times the text, with four times the matches, are
    about four times as many, where comparing every span with every earlier one made them
    sixteen times as many."""
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [sys.executable, "-c", _COUNT_STEPS],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert proc.returncode == 0, proc.stderr
    small, large = map(int, proc.stdout.split())
    assert large <= 6 * small
