"""Line breaking of long titles into balanced lines that keep words and quotations whole."""

from __future__ import annotations

import math
import re
from itertools import combinations, pairwise

from speechdraft.text.segment import lcut, word_tag

_OPEN = "（《「『【〔“‘([{<"
_CLOSE = "）》」』】〕”’)]}>"
_PAIRS = dict(zip(_OPEN, _CLOSE, strict=True))
_NO_LINE_START = _CLOSE + "，。、；：？！…·%,.;:?!"
_AFTER_PUNCT = "，。、；：？！,;:?!" + _CLOSE
_INF = float("inf")


def _width(text: str) -> float:
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in ".%+-/&_'")


# Terms of the genre that a title must not break inside (beyond jieba's words, see _words).
_KEEP_WHOLE = re.compile(
    "党的[一二三四五六七八九十]+(?:大|届)|二十届[一二三四五六七八九十]+中全会|"
    "习近平新时代中国特色社会主义思想|中国特色社会主义|中国式现代化|高质量发展|新发展理念|"
    "新时代|党的建设|全面从严治党|党风廉政建设|主题教育|乡村振兴|共同富裕|营商环境|"
    "[\u4e00-\u9fff]{0,2}(?:工作会议|全体会议|常委会|全会|大会|会议|座谈会|推进会|动员会|"
    "研讨班|培训班|开班式|结业式|讲话|报告)"
)
_ENDS_WEAK = set("在的和与及暨对把将从")
_SPACES = " \u3000"
_HAN = re.compile(r"[\u4e00-\u9fff]+\Z")


def _words(title: str) -> tuple[set[int], set[int]]:
    """jieba's word boundaries in ``title`` (offsets), and those that follow a verb (or a word
    jieba does not know, such as 厚筑) and precede its object: a line must not end there."""
    bounds: set[int] = set()
    after_verb: set[int] = set()
    position = 0
    words = lcut(title)
    for word, following in zip(words, [*words[1:], ""], strict=True):
        position += len(word)
        bounds.add(position)
        object_follows = bool(following) and (bool(_HAN.match(following)) or following[0] in "“《")
        verb = len(word) >= 2 and bool(_HAN.match(word)) and word_tag(word) in ("v", None)
        if object_follows and verb:
            after_verb.add(position)
    return bounds, after_verb


def _break_penalties(title: str) -> list[float]:
    """Penalty of a line break before ``title[i]`` (index 0 unused): inf where never allowed."""
    inside = [False] * (len(title) + 1)
    for match in _KEEP_WHOLE.finditer(title):
        for i in range(match.start() + 1, match.end()):
            inside[i] = True
    bounds, after_verb = _words(title)
    closers: list[str] = []
    penalties = [_INF] * len(title)
    for i, ch in enumerate(title):
        if i > 0:
            penalties[i] = _break_penalty(title, i, in_term=inside[i], quoted=bool(closers))
            if penalties[i] < _INF and title[i - 1] not in _SPACES and title[i] not in _SPACES:
                if i not in bounds:
                    penalties[i] += 5.0  # inside one of jieba's words
                elif i in after_verb:
                    penalties[i] += 6.0  # between a verb and its object
        if closers and ch == closers[-1]:
            closers.pop()
        elif ch in _PAIRS:
            closers.append(_PAIRS[ch])
    return penalties


def _break_penalty(title: str, i: int, *, in_term: bool, quoted: bool) -> float:
    """Penalty of a line break before ``title[i]`` (``i`` > 0), inside a term kept whole
    (``in_term``) or inside 《》 or quotes (``quoted``)."""
    a, b = title[i - 1], title[i]
    if _is_word_char(a) and _is_word_char(b):
        pen = _INF  # 2024, GDP, 5.5%
    elif b in _NO_LINE_START or a in _OPEN or a == "—":
        pen = _INF  # no closing mark first, no opening mark or dash last
    elif a in _SPACES or b in _SPACES:
        pen = 0.0  # the space between two phrases of a theme title; dropped at the break
    elif quoted:
        pen = 100.0  # inside 《》 or quotes: only when a quotation is longer than a line
    elif a in "”》」』" and _HAN.match(b):
        pen = 8.0  # “压舱石”行动: the quotation qualifies the noun after it
    elif a in _AFTER_PUNCT or b == "—":
        pen = 0.0
    elif in_term:
        pen = 50.0
    elif b in "在暨" or title.startswith("关于", i):
        pen = 0.0  # 在…会议上 / 关于… open a phrase
    elif b in "“「『" and _HAN.match(a):
        pen = 8.0  # 全市“压舱石”行动: a quotation inside a noun phrase
    elif b in _OPEN:
        pen = 1.0
    elif b == "的" or a.isascii() or b.isascii():
        pen = 2.0
    else:
        pen = 4.0  # possibly inside a word
    if a in _ENDS_WEAK:
        pen += 3.0  # a line should not end on a preposition or conjunction
    return pen


def split_title(title: str, max_width: int = 20) -> list[str]:
    """Break a long title into balanced lines (see :func:`_split`); no line starts or ends with
    a space (a space between two phrases is where such a title breaks)."""
    lines = (line.strip(_SPACES) for line in _split(title, max_width))
    return [line for line in lines if line]


def _split(title: str, max_width: int) -> list[str]:
    """Break a long title into balanced lines (a trapezoid), keeping words and quotations whole.

    ``max_width`` is the number of full-width characters a line holds (20 at 二号 in the GB/T
    type area); ASCII counts half. Lines of near-equal width are preferred, longer lines first;
    breaks fall after punctuation, before 在/关于/暨/的, never inside an ASCII/digit run (2024,
    GDP), inside 《…》 or quotes unless a quotation alone exceeds a line.
    """
    title = title.strip()
    if _width(title) <= max_width or len(title) < 2:
        return [title] if title else []
    penalties = _break_penalties(title)
    candidates = [i for i in range(1, len(title)) if penalties[i] < _INF]
    count = math.ceil(_width(title) / max_width)
    if count > 3 or not candidates:
        return _greedy_lines(title, penalties, max_width)
    prefix = [0.0]
    for ch in title:
        prefix.append(prefix[-1] + (0.5 if ch.isascii() else 1.0))
    best: tuple[float, tuple[int, ...]] | None = None
    for lines in (count, count + 1):
        if lines > min(3, len(candidates) + 1):
            break
        for cuts in combinations(candidates, lines - 1):
            bounds = (0, *cuts, len(title))
            widths = [prefix[b] - prefix[a] for a, b in pairwise(bounds)]
            if max(widths) > max_width:
                continue
            cost = max(widths) - min(widths) + sum(penalties[c] for c in cuts)
            # A line clearly longer than the one above it turns the trapezoid upside down.
            cost += sum(1.0 for x, y in pairwise(widths) if y > x + 1)
            cost += 3 * (lines - count)
            if best is None or cost < best[0]:
                best = (cost, cuts)
        if best is not None and best[0] < 3:
            break
    if best is None or best[0] >= 50:
        # Only by breaking a quotation or a term: more lines may keep them whole.
        greedy = _greedy_lines(title, penalties, max_width)
        greedy_cuts = [sum(map(len, greedy[:i])) for i in range(1, len(greedy))]
        greedy_cost = sum(penalties[c] for c in greedy_cuts)
        if best is None or greedy_cost < sum(penalties[c] for c in best[1]):
            return greedy
    bounds = (0, *best[1], len(title))
    return [title[a:b] for a, b in pairwise(bounds)]


def _greedy_lines(title: str, penalties: list[float], max_width: int) -> list[str]:
    """Fallback for very long titles: fill each line up to the latest acceptable break."""
    lines: list[str] = []
    start = 0
    while _width(title[start:]) > max_width:
        end = start + 1
        while end < len(title) and _width(title[start : end + 1]) <= max_width:
            end += 1
        window = range(start + 1, end + 1)
        # The latest ordinary break; failing that the least bad one (inside a quotation …).
        cut = max(window, key=lambda i: (-max(penalties[i], 10), i))
        lines.append(title[start:cut])
        start = cut
    lines.append(title[start:])
    return lines
