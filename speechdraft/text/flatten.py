"""Pages that lost their line breaks: title, salutation, headings and body in one line.

PDF-to-text copies and some 范文 sites print a whole speech as one paragraph:
``在全县…会议上的讲话同志们：今天…下面，我讲三点看法：一、提高认识，增加…。二、…``. The
line is cut back into the lines the speech had:

* before and after a **salutation** inside a line (``各位领导、同志们：``) when what precedes it
  is a title or ends a sentence;
* before a **part or point number** (``一、``, ``（一）``, ``第二个问题``, ``1.``) that follows
  。！？：; only in a long line, only for a run of numbers counting up, and only when the pieces
  between numbers are paragraphs, not the short items of a list (``目标是：一、…；二、…；``),
  which stay in their paragraph.

Run-in numbers (第一，/ 一是) are left inside their paragraph: the structure step reads them there.
"""

from __future__ import annotations

import re

from .numbering import parse_chinese_numeral

# A salutation: address terms, separated by 、 or ，, ending in ：. It starts at 尊敬的/亲爱的/各位/
# 全体 … or at a term of address in 们 (with a few modifiers: 女同胞们, 全体党员同志们).
_TERM = (
    r"(?:(?:全体|广大|在座的|亲爱的|尊敬的)?(?:党员|干部|青年|女|男|小|老|机关|基层|各界)?"
    r"(?:同志们|同事们|朋友们|同学们|老师们|女士们|先生们|代表们|乡亲们|同胞们|战友们|青年们|家长们"
    r"|来宾们|委员们|企业家们))"
)
_LEAD = r"(?:尊敬的|亲爱的|各位|全体)[^。！？：:；;\n]{0,30}?"
SALUTATION_IN_LINE_RE = re.compile(
    rf"(?:{_LEAD}|{_TERM})(?:[、，,和及](?:{_LEAD}|[^。！？：:；;\n、，,]{{0,10}}?{_TERM}|各位[^。！？：:；;\n、，,]{{1,8}}))*[：:]"
)
_TITLE_END_RE = re.compile(r"(?:讲话|发言|致辞|讲稿|报告|词|稿|会议|大会|[）)》”])$")
_STOPS = "。！？!?"

# Numbers of parts and points after a stop.
_NUMBER_RE = re.compile(
    r"(?<=[。！？：；:;!?])\s*(?:"
    r"(?P<cn>[一二三四五六七八九十]{1,3})、"
    r"|[（(](?P<pcn>[一二三四五六七八九十]{1,3})[）)]"
    r"|第(?P<q>[一二三四五六七八九十]{1,3})(?:个问题|部分|方面)[，,：:、]?"
    r"|(?P<ar>[1-9][0-9]?)[.．、](?=[\u4e00-\u9fff])"
    r")"
)
# 同志们，… / 让我们… after a sentence: the closing of a flattened speech.
_CLOSING_RE = re.compile(r"[。！？](?:同志们|同事们|朋友们)[，！]|[。！？]让我们")
LONG_LINE = 300
MIN_PIECE = 60  # average characters between two numbers for them to be paragraphs


def _number(match: re.Match[str]) -> tuple[str, int] | None:
    for group in ("cn", "pcn", "q"):
        value = match.group(group)
        if value:
            n = parse_chinese_numeral(value)
            return (group, n) if n else None
    value = match.group("ar")
    return ("ar", int(value)) if value else None


def _salutation_cuts(line: str) -> list[int]:
    cuts: list[int] = []
    for match in SALUTATION_IN_LINE_RE.finditer(line):
        start, end = match.start(), match.end()
        if len(match.group(0)) > 40:
            continue
        before = line[:start].rstrip()
        if start > 0:
            if not before:
                continue
            previous = max(before.rfind(ch) for ch in _STOPS)
            prefix = before[previous + 1 :]
            if prefix and not (_TITLE_END_RE.search(prefix) and "，" not in prefix[-30:]):
                continue  # mid-sentence: 我要对大家说：
            cuts.append(start)
        if end < len(line):
            cuts.append(end)
    return cuts


def _number_cuts(line: str) -> list[int]:
    if len(line) < LONG_LINE:
        return []
    by_style: dict[str, list[tuple[int, int]]] = {}
    for match in _NUMBER_RE.finditer(line):
        found = _number(match)
        if found:
            style, n = found
            by_style.setdefault(style, []).append(
                (match.start() + len(match.group(0)) - len(match.group(0).lstrip()), n)
            )
    cuts: list[int] = []
    for items in by_style.values():
        run: list[int] = []
        expected = None
        for pos, n in items:
            if expected is None or n == expected:
                run.append(pos)
                expected = n + 1
            elif n == 1:
                cuts.extend(_paragraph_run(line, run))
                run, expected = [pos], 2
        cuts.extend(_paragraph_run(line, run))
    return cuts


def _paragraph_run(line: str, run: list[int]) -> list[int]:
    """The positions of a run of numbers when the pieces between them read as paragraphs."""
    if not run:
        return []
    ends = [*run[1:], len(line)]
    pieces = [line[a:b] for a, b in zip(run, ends, strict=True)]
    if len(run) == 1:
        # one number: a part of a cut-off page (一、… to the end), if it is long
        return run if len(pieces[0]) >= 2 * MIN_PIECE else []
    inner = pieces[:-1]
    if sum(len(p) for p in inner) / len(inner) < MIN_PIECE:
        return []
    if sum(p.rstrip().endswith(("；", ";")) for p in inner) * 2 >= len(inner):
        return []  # items of a list
    return run


def split_flattened(line: str) -> list[str]:
    """``line`` cut into the lines a flattened page lost (one piece when nothing applies)."""
    if len(line) < 8:
        return [line]
    numbers = _number_cuts(line)
    cuts = set(_salutation_cuts(line)) | set(numbers)
    if numbers:  # a flattened speech: its closing exhortation after the last part
        closing = _CLOSING_RE.search(line, max(numbers))
        if closing:
            cuts.add(closing.start() + 1)
    cuts.discard(0)
    if not cuts:
        return [line]
    pieces: list[str] = []
    last = 0
    for cut in sorted(cuts):
        pieces.append(line[last:cut])
        last = cut
    pieces.append(line[last:])
    return [p.strip() for p in pieces if p.strip()]
