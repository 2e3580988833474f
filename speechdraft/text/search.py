"""Pure pieces of library search: index tokens, query terms, ranking, highlighting.

Index tokens are jieba's search-mode words plus every CJK character bigram of the text.
The bigrams make recall complete for any query of two or more characters: a row containing
the query as a substring contains all of its bigrams, whatever jieba made of its words
(绿色低碳循环 segments as 绿色/低/碳循环, yet 低碳 is one of its bigrams). Candidates found
through tokens are then verified and ranked on the text itself, so the database only has to
answer "which rows have all (or any) of these tokens", which a GIN index does well.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from speechdraft.text import segment
from speechdraft.text.convert import to_simplified

MAX_QUERY_CHARS = 100
MAX_TERMS = 12
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_SLOT = re.compile(r"\{\{\s*[^{}]*?\s*\}\}")
_FULLWIDTH_ALNUM = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_STRIP = re.compile(r"[^\w\u3400-\u9fff]+")
# Words too common in the genre to narrow a search; kept out of AND-matching and ranking.
STOP_TERMS = frozenset(
    "的 了 和 与 及 是 在 要 把 将 对 为 以 等 中 上 下 也 都 就 而 并 我们 各位 同志 同志们".split()
)


def normalize(text: str) -> str:
    """The form text is compared in: simplified, NFKC (full-width Latin → ASCII), lower case."""
    return unicodedata.normalize("NFKC", to_simplified(text)).lower()


def _bigrams(text: str) -> set[str]:
    grams: set[str] = set()
    for run in _CJK_RUN.findall(text):
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def index_tokens(text: str) -> str:
    """Space-separated tokens to store for a row (fed to to_tsvector('simple', …) on PostgreSQL)."""
    plain = normalize(_SLOT.sub(" ", text))
    # Tokens keep only word characters: jieba returns "100%" or "5a级" as one token.
    words = {_STRIP.sub("", w) for w in segment.cut_for_search(plain)} - {""}
    return " ".join(sorted(words | _bigrams(plain)))


@dataclass(frozen=True)
class Query:
    text: str  # normalized query, punctuation and spaces removed: what "exact" means
    terms: tuple[str, ...]  # words to match, most specific first
    truncated: bool = False

    @property
    def empty(self) -> bool:
        return not self.terms

    def token_groups(self) -> list[tuple[str, ...]]:
        """Per term, the tokens that must all be in a row containing that term."""
        groups = []
        for term in self.terms:
            grams = sorted(_bigrams(term)) if _CJK_RUN.fullmatch(term) and len(term) > 2 else []
            groups.append(tuple(grams) if grams else (term,))
        return groups


def parse_query(raw: str) -> Query:
    """Query terms: jieba words of the query (user dictionary included), stop words dropped."""
    raw = raw or ""
    truncated = len(raw) > MAX_QUERY_CHARS
    plain = normalize(raw[:MAX_QUERY_CHARS])
    compact = _STRIP.sub("", plain)
    words: dict[str, None] = {}
    for chunk in _STRIP.split(plain):
        if not chunk:
            continue
        for token in segment.lcut(chunk):
            word = _STRIP.sub("", token)
            if word and word not in STOP_TERMS:
                words.setdefault(word, None)
    terms = sorted(words, key=lambda w: -len(w))[:MAX_TERMS]
    return Query(text=compact, terms=tuple(terms), truncated=truncated)


def rank_key(query: Query, text: str, *, simplified: bool = False) -> tuple[int, int, int]:
    """Sort key: exact phrase first, then rows with every term, then by terms matched.

    Returns (tier, -matched, length); tier 3 means "no term at all" (not a result).
    `simplified=True` skips the traditional→simplified step for text known to be simplified
    already (everything stored in the library is), which is most of the ranking cost.
    """
    if simplified:  # NFKC only matters for full-width letters and digits; it is costly
        plain = unicodedata.normalize("NFKC", text) if _FULLWIDTH_ALNUM.search(text) else text
        plain = plain.lower()
    else:
        plain = normalize(text)
    compact = _STRIP.sub("", plain)
    matched = sum(1 for term in query.terms if term in compact)
    if query.text and len(query.text) >= 2 and query.text in compact:
        tier = 0
    elif matched == len(query.terms) and matched:
        tier = 1
    elif matched:
        tier = 2
    else:
        tier = 3
    return tier, -matched, len(text)


def highlight_spans(text: str, query: Query) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans of `text` to highlight: the exact query, or terms."""
    norm = normalize(text)
    if len(norm) != len(text):  # NFKC changed lengths (rare ligatures): match the raw text
        norm = text
    needles = [query.text] if query.text and query.text in norm else list(query.terms)
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
    # A match inside a slot's name ({{ 地区 }}) is not a match of the text: the page shows
    # the slot whole, as a chip.
    slots = [(m.start(), m.end()) for m in _SLOT_TOKEN.finditer(text)]
    return sorted(sp for sp in spans if all(sp[1] <= a or sp[0] >= b for a, b in slots))


_SLOT_TOKEN = re.compile(r"\{\{ [^{}\s]+ \}\}")


def snippet_window(text: str, spans: list[tuple[int, int]], width: int = 120) -> tuple[int, int]:
    """(start, end) of a window of about `width` characters around the first highlight."""
    if len(text) <= width:
        return 0, len(text)
    first = spans[0][0] if spans else 0
    start = max(0, min(first - width // 4, len(text) - width))
    end = start + width
    for m in _SLOT_TOKEN.finditer(text):  # never a cut inside a slot
        if m.start() < start < m.end():
            start = m.start()
        if m.start() < end < m.end():
            end = m.end()
    return start, end
