"""Script conversion and punctuation normalisation.

* :func:`to_simplified` – OpenCC ``t2s`` (several million characters per second).
* :func:`detect_script` – "traditional" when conversion changes a noticeable share of the
  Chinese characters, else "simplified".
* :func:`normalize_line` – in Chinese context turn ASCII ``, : ; ? ! ( ) " '`` into their
  full-width forms (quotes paired “ ” ‘ ’), turn full-width letters and digits into ASCII
  and remove spaces next to Chinese text (spaces between two Latin words stay). Decimal
  points, times (17:03:53), digit groups (1,000), URLs, ``5A级`` and ``1.`` numbering are
  left alone because the characters around them are not Chinese.
"""

from __future__ import annotations

import bisect
import operator
import re
import threading

CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65“”‘’…—·"
_CJK_RE = re.compile(f"[{CJK_CHARS}]")

_local = threading.local()

# Share of changed Chinese characters above which a text is taken as traditional.
# Simplified text is (almost) a fixed point of t2s; traditional text changes 15–35 %.
TRADITIONAL_RATIO = 0.04


def _converter():
    cc = getattr(_local, "t2s", None)
    if cc is None:
        import opencc

        cc = opencc.OpenCC("t2s")
        _local.t2s = cc
    return cc


def to_simplified(text: str) -> str:
    """Convert traditional Chinese to simplified (identity on simplified text)."""
    if not text:
        return text
    return _converter().convert(text)


def count_cjk(text: str) -> int:
    return _CJK_RE.subn("", text)[1] if text else 0


def has_cjk(text: str, at_least: int = 1) -> bool:
    """Whether ``text`` has at least one (or, with ``at_least=2``, two) Chinese characters."""
    m = _CJK_RE.search(text)
    if m is None:
        return False
    return at_least <= 1 or _CJK_RE.search(text, m.end()) is not None


def detect_script(original: str, converted: str) -> str:
    """Return "traditional" or "simplified" by how much ``t2s`` changed the text."""
    cjk = count_cjk(original)
    if cjk == 0:
        return "simplified"
    if len(original) == len(converted):
        changed = sum(map(operator.ne, original, converted))
    else:  # phrase conversions of different length: compare character multisets
        from collections import Counter

        diff = Counter(original) - Counter(converted)
        changed = sum(diff.values())
    ratio = changed / cjk
    if changed >= 2 and ratio >= TRADITIONAL_RATIO:
        return "traditional"
    if changed >= 1 and cjk <= 20 and ratio >= 0.1:
        return "traditional"
    return "simplified"


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF


def _is_cjk_context(ch: str) -> bool:
    """A Chinese character or full-width punctuation."""
    if not ch:
        return False
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or 0x3000 <= o <= 0x303F
        or 0xFF01 <= o <= 0xFF0F
        or 0xFF1A <= o <= 0xFF20
        or 0xFF3B <= o <= 0xFF40
        or 0xFF5B <= o <= 0xFF65
        or ch in "“”‘’…—·"
    )


_FULLWIDTH_ALNUM = {
    **{0xFF10 + i: 0x30 + i for i in range(10)},
    **{0xFF21 + i: 0x41 + i for i in range(26)},
    **{0xFF41 + i: 0x61 + i for i in range(26)},
    0x3000: 0x20,  # ideographic space
    0x00A0: 0x20,  # no-break space
    0x2002: 0x20,
    0x2003: 0x20,
    0x2009: 0x20,
    0x200B: None,  # zero-width space
    0xFEFF: None,  # stray BOM
    0x09: 0x20,
}

_NEEDS_TRANSLATE_RE = re.compile(
    "[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff\t]"
)
_SIMPLE_PUNCT = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_PUNCT_RE = re.compile(r"""[,:;?!()"']""")
_SPACES_RE = re.compile(r" +")


def _neighbour(text: str, i: int, step: int) -> str:
    """First non-space character from ``i`` in direction ``step`` ('' at the edge)."""
    n = len(text)
    while 0 <= i < n:
        ch = text[i]
        if ch != " ":
            return ch
        i += step
    return ""


# The parts of an address are bounded (64 and 255 characters, as in RFC 5321): unbounded, a
# long run of letters without "@" is scanned again from each of its letters.
_URL_RE = re.compile(
    r"(?:https?://|www\.)[!-~]+|[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,255}\.[A-Za-z]{2,}"
)


def _protected_spans(line: str) -> list[tuple[int, int]]:
    """URLs and e-mail addresses keep their ASCII punctuation."""
    if "://" not in line and "www." not in line and "@" not in line:
        return []
    return [m.span() for m in _URL_RE.finditer(line)]


def _is_ascii_alnum(ch: str) -> bool:
    return bool(ch) and ch.isascii() and ch.isalnum()


def _paren_pairs(line: str) -> dict[int, int]:
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for i, ch in enumerate(line):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            j = stack.pop()
            pairs[j] = i
            pairs[i] = j
    return pairs


def _normalize_punct(line: str) -> str:
    if not _PUNCT_RE.search(line):
        return line
    if _CJK_RE.search(line) is None:
        return line
    pairs = _paren_pairs(line) if "(" in line or ")" in line else {}
    # positions of the Chinese characters, to tell whether a pair encloses one (bisect)
    cjk_at = [m.start() for m in _CJK_RE.finditer(line)] if pairs else []
    protected = _protected_spans(line)
    span = 0  # protected spans ending before the current position are passed
    out = list(line)
    dq = 0
    sq = 0
    for m in _PUNCT_RE.finditer(line):
        i = m.start()
        while span < len(protected) and protected[span][1] <= i:
            span += 1
        if span < len(protected) and protected[span][0] <= i:
            continue
        ch = line[i]
        before = _neighbour(line, i - 1, -1)
        after = _neighbour(line, i + 1, 1)
        context = _is_cjk_context(before) or _is_cjk_context(after)
        if ch in _SIMPLE_PUNCT:
            if _is_ascii_alnum(before) and _is_ascii_alnum(after):
                continue  # 1,000 / 17:03 / "fine, thanks"
            out[i] = _SIMPLE_PUNCT[ch]  # a line with Chinese: 45%,G345 → 45%，G345
        elif ch in "()":
            j = pairs.get(i)
            if j is not None:
                lo, hi = min(i, j), max(i, j)
                k = bisect.bisect_right(cjk_at, lo)
                inner_cjk = k < len(cjk_at) and cjk_at[k] < hi
                outside = _neighbour(line, lo - 1, -1) + _neighbour(line, hi + 1, 1)
                if inner_cjk or any(_is_cjk_context(c) for c in outside):
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


def _remove_spaces(line: str, keep_title_space: bool) -> str:
    if " " not in line:
        return line

    def repl(m: re.Match[str]) -> str:
        s, e = m.start(), m.end()
        before = line[s - 1] if s > 0 else ""
        after = line[e] if e < len(line) else ""
        if not before or not after:
            return ""
        if keep_title_space and is_cjk(before) and (is_cjk(after) or after in "*×"):
            return " "
        if keep_title_space and before in "*×" and is_cjk(after):
            return " "
        if _is_cjk_context(before) or _is_cjk_context(after):
            return ""
        return " "

    return _SPACES_RE.sub(repl, line)


def normalize_line(line: str, *, title: bool = False) -> str:
    """Normalise one line (already simplified).

    ``title=True`` keeps a single space between two Chinese phrases, as in the genre's
    two-part titles (``全力打造过硬干部队伍 推进赶超发展争先进位``); everywhere else spaces
    next to Chinese text are removed (``今年 GDP突破`` → ``今年GDP突破``).
    """
    if _NEEDS_TRANSLATE_RE.search(line):
        line = line.translate(_FULLWIDTH_ALNUM)
    line = _normalize_punct(line)
    line = _remove_spaces(line, title)
    return line.strip()
