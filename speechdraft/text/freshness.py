"""时效: which wording of a text is dated, as of a reference date. Pure Python, no Django.

A rule is any object with the fields of :class:`speechdraft.text.review.Formulation`
(``wrong``, ``right``, ``note``, ``valid_from``, ``superseded_on``): the office's one curated
提法 list serves both the 审稿 check and the 时效 mark of library results.

* A rule is *in force* as of a date when it has no ``superseded_on`` (an always-wrong wording,
  a 错别字) or when the date is after ``superseded_on``.
* A rule is *dated* when it has a ``superseded_on``: only dated rules mark material 时效.
* Whether material is stale depends on the reference date only (the draft's meeting date in
  the editor, else today). The material's own year says whether the wording was right when it
  was written (:attr:`DatedMatch.current_when_written`): a 2015 speech naming 环境保护部 was
  right for its time, and is still stale for a 2026 draft.
* The replacement follows the list: 国务院扶贫办 → 国家乡村振兴局 (2021) → 农业农村部 (2023)
  gives 农业农村部 for a 2026 draft and 国家乡村振兴局 for a 2022 one.

Matching ignores quotation marks inside the wording (“十三五”规划 and 十三五规划 are one
rule), and a ministry's name ending in 部 is not matched in 部门 or 部署 (农业部门 is not
农业部). A one-click replacement is offered only for an exact match.

:func:`source_year` reads the year of a speech off its date, title or file name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Generic, Protocol, TypeVar, cast

__all__ = [
    "DatedMatch",
    "Rule",
    "dated_matches",
    "find_rules",
    "in_force",
    "is_dated",
    "replacement_as_of",
    "replacement_chain",
    "source_year",
    "stale_reasons",
]

# Quotation marks a wording may or may not carry: “十三五”规划 is 十三五规划.
QUOTES = "“”‘’\"'「」『』"
_QUOTE_CLASS = "[" + re.escape(QUOTES) + "]*"
# A name ending in 部 followed by one of these is another word: 农业部门, 部署.
_NOT_AFTER_BU = frozenset("门署")


class Rule(Protocol):
    """What this module reads of a rule (read-only: frozen dataclasses qualify)."""

    @property
    def wrong(self) -> str: ...
    @property
    def right(self) -> str: ...
    @property
    def note(self) -> str: ...
    @property
    def valid_from(self) -> date | None: ...
    @property
    def superseded_on(self) -> date | None: ...


R = TypeVar("R", bound=Rule)

# The prepared table of _compiled: the pattern of every wording, the rules by exact wording
# and by wording without quotes.
_Compiled = tuple[re.Pattern[str] | None, dict[str, Rule], dict[str, Rule]]
# The prepared table of _dated_table: the dated rules in force, the lookup by wording, and
# their _compiled table.
_DatedTable = tuple[tuple[Rule, ...], dict[str, Rule], _Compiled]


@dataclass(frozen=True, slots=True)
class RuleMatch(Generic[R]):
    """One occurrence of a rule's wording: ``text[start:end]``; ``exact`` when it is spelled
    exactly as the rule (quotes included), the condition of a one-click replacement."""

    start: int
    end: int
    rule: R
    exact: bool


@dataclass(frozen=True, slots=True)
class DatedMatch:
    start: int
    end: int
    matched: str  # the text as written
    rule: Rule
    replacement: str  # the wording in force as of the reference date ("" when there is none)
    reason: str  # why it is dated, for the drafter: "「银保监会」2023年5月起…"
    current_when_written: bool | None  # None: the material's year is unknown


def _strip_quotes(text: str) -> str:
    return "".join(ch for ch in text if ch not in QUOTES)


def is_dated(rule: Rule) -> bool:
    return rule.superseded_on is not None


def in_force(rule: Rule, as_of: date) -> bool:
    """The rule applies to text meant for ``as_of``: always, or after its ``superseded_on``."""
    return rule.superseded_on is None or as_of > rule.superseded_on


def _rule_pattern(wrong: str) -> str:
    core = _strip_quotes(wrong)
    body = _QUOTE_CLASS.join(re.escape(ch) for ch in core)
    if wrong[:1] in QUOTES:
        body = _QUOTE_CLASS + body
    if wrong[-1:] in QUOTES:
        body += _QUOTE_CLASS
    return body


@lru_cache(maxsize=32)
def _compiled(rules: tuple[Rule, ...]) -> _Compiled:
    usable = [r for r in rules if _strip_quotes(r.wrong or "")]
    exact: dict[str, Rule] = {}
    loose: dict[str, Rule] = {}
    for r in usable:
        exact.setdefault(r.wrong, r)
        loose.setdefault(_strip_quotes(r.wrong), r)
    if not usable:
        return None, exact, loose
    # Longest first (Python's alternation takes the first that matches); a wording written
    # with its quotes before the same wording without, so that it can match them.
    ordered = sorted(
        {r.wrong for r in usable},
        key=lambda w: (-len(_strip_quotes(w)), -(w[:1] in QUOTES), -len(w), w),
    )
    pattern = re.compile("|".join(f"(?:{_rule_pattern(w)})" for w in ordered))
    return pattern, exact, loose


def _contained_in_right(text: str, start: int, matched: str, right: str) -> bool:
    """The match is part of the right form itself (贯彻 inside 贯彻落实)."""
    if not right:
        return False
    offset = right.find(matched)
    while offset != -1:
        if start - offset >= 0 and text.startswith(right, start - offset):
            return True
        offset = right.find(matched, offset + 1)
    return False


def find_rules(text: str, rules: Iterable[R]) -> list[RuleMatch[R]]:
    """Every occurrence of every rule's wording in ``text``, left to right, not overlapping."""
    table = tuple(rules)
    if not text or not table:
        return []
    # Each match's rule is one of ``rules`` (the cached table cannot say so to mypy).
    return cast("list[RuleMatch[R]]", _find(text, _compiled(table)))


def _find(text: str, compiled: _Compiled) -> list[RuleMatch[Rule]]:
    pattern, exact, loose = compiled
    if pattern is None or not text:
        return []
    found = []
    for m in pattern.finditer(text):
        matched = m.group()
        rule = exact.get(matched) or loose.get(_strip_quotes(matched))
        if rule is None:
            continue
        if matched.endswith("部") and text[m.end() : m.end() + 1] in _NOT_AFTER_BU:
            continue
        if _contained_in_right(text, m.start(), matched, rule.right):
            continue
        found.append(RuleMatch(m.start(), m.end(), rule, matched == rule.wrong))
    return found


def _lookup(rules: Sequence[Rule]) -> dict[str, Rule]:
    table: dict[str, Rule] = {}
    for r in rules:
        table.setdefault(_strip_quotes(r.wrong), r)
    return table


def replacement_chain(rule: Rule, rules: Sequence[Rule], as_of: date) -> list[Rule]:
    """The rule, then each rule in force as of ``as_of`` whose wording is the previous one's
    replacement: the last one's ``right`` is the wording to use."""
    return _chain(rule, _lookup(rules), as_of)


def _chain(rule: Rule, by_wrong: dict[str, Rule], as_of: date) -> list[Rule]:
    chain = [rule]
    seen = {id(rule)}
    while chain[-1].right:
        nxt = by_wrong.get(_strip_quotes(chain[-1].right))
        if nxt is None or id(nxt) in seen or not in_force(nxt, as_of):
            break
        chain.append(nxt)
        seen.add(id(nxt))
    return chain


def replacement_as_of(rule: Rule, rules: Sequence[Rule], as_of: date) -> str:
    """The wording in force as of ``as_of`` for ``rule``'s wording ("" when there is none)."""
    return _chain(rule, _lookup(rules), as_of)[-1].right


def _reason(chain: list[Rule]) -> str:
    notes = [r.note for r in chain if r.note]
    return "；".join(dict.fromkeys(notes))


def _current_when_written(rule: Rule, year: int | None) -> bool | None:
    if year is None:
        return None
    if rule.valid_from is not None and year < rule.valid_from.year:
        return False
    return rule.superseded_on is None or year <= rule.superseded_on.year


@lru_cache(maxsize=32)
def _dated_table(table: tuple[Rule, ...], as_of: date) -> _DatedTable:
    """The dated rules in force as of ``as_of`` and the lookup by wording: the same for every
    text of a search (a list of results asks for each of them)."""
    applicable = tuple(r for r in table if is_dated(r) and in_force(r, as_of))
    if not applicable:
        return (), {}, (None, {}, {})
    return applicable, _lookup(table), _compiled(applicable)


def dated_matches(
    text: str, rules: Iterable[Rule], *, as_of: date, year: int | None = None
) -> list[DatedMatch]:
    """The dated wording of ``text`` (written in ``year``, when known) for use on ``as_of``.

    Only dated rules (with a ``superseded_on``) that are in force on ``as_of`` count.
    """
    return _dated(text, _dated_table(tuple(rules), as_of), as_of=as_of, year=year)


def _dated(text: str, prepared: _DatedTable, *, as_of: date, year: int | None) -> list[DatedMatch]:
    applicable, by_wrong, compiled = prepared
    if not applicable:
        return []
    out = []
    for m in _find(text, compiled):
        chain = _chain(m.rule, by_wrong, as_of)
        matched = text[m.start : m.end]
        reason = _reason(chain) or f"{m.rule.superseded_on:%Y年%-m月}起已不再使用"
        out.append(
            DatedMatch(
                m.start,
                m.end,
                matched,
                m.rule,
                chain[-1].right,
                f"「{matched}」：{reason}",
                _current_when_written(m.rule, year),
            )
        )
    return out


def stale_reasons(
    text: str, rules: Iterable[Rule], *, as_of: date, year: int | None = None
) -> list[str]:
    """Why ``text`` is dated for use on ``as_of``: one reason per wording, in text order."""
    return stale_reasons_each([(text, year)], rules, as_of=as_of)[0]


def stale_reasons_each(
    texts: Iterable[tuple[str, int | None]], rules: Iterable[Rule], *, as_of: date
) -> list[list[str]]:
    """stale_reasons of each (text, year), the rules prepared once for all of them."""
    prepared = _dated_table(tuple(rules), as_of)
    return [_reasons(text, prepared, as_of, year) for text, year in texts]


def _reasons(text: str, prepared: _DatedTable, as_of: date, year: int | None) -> list[str]:
    reasons: dict[str, None] = {}
    for m in _dated(text, prepared, as_of=as_of, year=year):
        reason = m.reason
        if m.replacement and m.replacement not in reason:
            reason += f"，现称「{m.replacement}」"
        if m.current_when_written:
            reason += f"（出自{year}年的讲话，当时的提法）"
        reasons.setdefault(reason, None)
    return list(reasons)


# --- the year of a speech ------------------------------------------------------------------

_CN_DIGITS = str.maketrans("〇○零一二三四五六七八九", "00012345678" + "9")
_YEAR_WORD = re.compile(r"(?<![\d〇○零一二三四五六七八九])((?:19|20)\d{2})\s*年")
_CN_YEAR = re.compile(r"([一二][〇○零一二三四五六七八九]{3})\s*年")
# In a file name a year stands alone (2019-讲话, 讲话_2019.docx) or begins a date (20190315).
_FILE_YEAR = re.compile(
    r"(?<![0-9A-Za-z])((?:19|20)\d{2})(?:(?![0-9A-Za-z])|(?=(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?![0-9A-Za-z])))"
)
MIN_YEAR = 1949
MAX_YEAR = 2099


def _plausible(year: int) -> int | None:
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def _year_in_words(text: str) -> int | None:
    text = unicodedata.normalize("NFKC", text or "")
    for pattern in (_YEAR_WORD, _CN_YEAR):
        for m in pattern.finditer(text):
            year = _plausible(int(m.group(1).translate(_CN_DIGITS)))
            if year:
                return year
    return None


def _year_in_file_name(name: str) -> int | None:
    name = unicodedata.normalize("NFKC", name or "")
    base = name.rsplit("/", 1)[-1]
    found = _year_in_words(base)
    if found:
        return found
    for m in _FILE_YEAR.finditer(base):
        year = _plausible(int(m.group(1)))
        if year:
            return year
    return None


def source_year(date_text: str = "", title: str = "", file_name: str = "") -> int | None:
    """The year of a speech: its parsed date, else a year in its title (在2020年全市干部大会上
    的讲话), else one in the source file's name; None when none says."""
    date_text = unicodedata.normalize("NFKC", date_text or "")
    year = _year_in_words(date_text)
    if year is None:
        # A bare numeric date: 2023-03-15, 2023.3.15, 2023/3/15.
        m = re.search(r"(?<!\d)((?:19|20)\d{2})[-./](?:0?[1-9]|1[0-2])(?!\d)", date_text)
        year = _plausible(int(m.group(1))) if m else None
    return year or _year_in_words(title) or _year_in_file_name(file_name)
