"""同义提法: the seed file's format and the expansion of query terms (pure; no Django here).

A group lists formulations a drafter means the same by (压实责任、落实主体责任、压紧压实责任).
A search term that is one of them is expanded with the others; so is a formulation the query's
terms make up together (jieba cuts 压实责任 into 压实/责任: the two terms spell the formulation).

Formulations are compared in the form search compares text in: normalized (simplified, NFKC,
lower case) with punctuation and spaces removed. An alternative that contains the term itself
is left out: a literal search for the term already finds every row containing it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from speechdraft.text.search import _STRIP, STOP_TERMS, normalize

MIN_CHARS = 2  # a one-character formulation would match nearly every paragraph
MAX_CHARS = 40
MAX_ALTERNATIVES = 8  # per term: bounds the extra OR-groups a search has to run
SEPARATOR = "、"


class SynonymFileError(ValueError):
    """A line of a synonym file that cannot be used (the message names the line)."""


@dataclass(frozen=True)
class SeedGroup:
    members: tuple[str, ...]
    note: str = ""


def compact(text: str) -> str:
    """The form formulations are compared in (as search.Query.text is)."""
    return _STRIP.sub("", normalize(text or ""))


def formulation_problem(text: str) -> str:
    """Why `text` cannot be a formulation ("" when it can)."""
    form = compact(text)
    if len(form) < MIN_CHARS:
        return f"“{text}”太短：提法至少两个字。"
    if len((text or "").strip()) > MAX_CHARS:
        return f"“{text}”太长：提法最多 {MAX_CHARS} 个字。"
    return ""


def parse_tsv(content: str) -> list[SeedGroup]:
    """Groups of a synonym file: one group a line, `提法、提法、…<TAB>说明`; `#` starts a comment.

    Raises SynonymFileError for a line with fewer than two distinct formulations, a formulation
    too short or too long, or a first formulation that an earlier line already starts with (the
    first formulation is how the seed recognises a group it added before).
    """
    groups: list[SeedGroup] = []
    firsts: set[str] = set()
    for number, line in enumerate(content.splitlines(), start=1):
        line = line.strip("\r\n\ufeff")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        members_field, _, note = line.partition("\t")
        members: list[str] = []
        seen: set[str] = set()
        for raw in members_field.split(SEPARATOR):
            text = raw.strip()
            if not text:
                continue
            problem = formulation_problem(text)
            if problem:
                raise SynonymFileError(f"第 {number} 行：{problem}")
            if compact(text) not in seen:
                seen.add(compact(text))
                members.append(text)
        if len(members) < 2:
            raise SynonymFileError(f"第 {number} 行：一组至少要有两个不同的提法。")
        if compact(members[0]) in firsts:
            raise SynonymFileError(f"第 {number} 行：“{members[0]}”已是前面一组的第一个提法。")
        firsts.add(compact(members[0]))
        groups.append(SeedGroup(tuple(members), note.strip()))
    return groups


def pair_count(groups: Iterable[Sequence[str]]) -> int:
    """Distinct unordered pairs of formulations the groups make equivalent."""
    pairs: set[frozenset[str]] = set()
    for members in groups:
        forms = sorted({compact(m) for m in members} - {""})
        pairs.update(frozenset((a, b)) for i, a in enumerate(forms) for b in forms[i + 1 :])
    return len(pairs)


class SynonymIndex:
    """Alternatives of each formulation, built once from the active groups."""

    def __init__(self, groups: Iterable[Sequence[str]]) -> None:
        alternatives: dict[str, list[str]] = {}
        for members in groups:
            forms = list(dict.fromkeys(f for f in map(compact, members) if len(f) >= MIN_CHARS))
            for form in forms:
                listed = alternatives.setdefault(form, [])
                listed.extend(f for f in forms if f != form and f not in listed)
        self._alternatives = alternatives
        self._chars = {form: frozenset(form) for form in alternatives}

    def __len__(self) -> int:
        return len(self._alternatives)

    def __contains__(self, text: str) -> bool:
        return compact(text) in self._alternatives

    def alternatives(self, text: str) -> list[str]:
        """Other formulations of `text` (none that contain it), at most MAX_ALTERNATIVES."""
        form = compact(text)
        found = [a for a in self._alternatives.get(form, ()) if form not in a]
        return found[:MAX_ALTERNATIVES]

    def expand(self, terms: Sequence[str]) -> dict[str, list[str]]:
        """{term or formulation: its alternatives} for the query's terms.

        Keys are the terms as given (when a term is itself a formulation) and, normalized, the
        formulations the terms make up together (压实 + 责任 → 压实责任). A term that is part of
        such a formulation is not expanded on its own: 抓落实 is 抓 + 落实, and 落实's
        alternatives (贯彻, 执行) next to 抓 would find paragraphs about something else.
        """
        if isinstance(terms, str):
            terms = [terms]
        direct: dict[str, list[str]] = {}
        pieces: dict[str, str] = {}  # compact form → the term as given
        for term in terms:
            form = compact(term)
            if not form or form in pieces:
                continue
            pieces[form] = term
            found = self.alternatives(form)
            if found:
                direct[term] = found
        if len(pieces) < 2:
            return direct
        chars = frozenset("".join(pieces) + "".join(STOP_TERMS))
        spelled: list[tuple[str, frozenset[str]]] = []
        for form, form_chars in self._chars.items():
            if form in pieces or not form_chars <= chars:
                continue
            used = _spelling(form, set(pieces))
            if used:
                spelled.append((form, used))
        # The terms are a set (their order is lost): 持续优化营商环境 推动高质量发展 gives 优化,
        # 营商, 环境, 发展 …, which also spell 发展环境. Each term goes to one formulation, the
        # longest first; a formulation inside one already taken (营商环境) needs no terms of
        # its own.
        composed: dict[str, list[str]] = {}
        taken: list[str] = []
        consumed: set[str] = set()
        for form, used in sorted(spelled, key=lambda item: (-len(item[0]), item[0])):
            if not any(form in other for other in taken):
                if used & consumed:
                    continue
                consumed |= used
            taken.append(form)
            found = self.alternatives(form)
            if found:
                composed[form] = found
        out = {t: alts for t, alts in direct.items() if compact(t) not in consumed}
        out.update(composed)
        return out


def _spelling(form: str, pieces: set[str]) -> frozenset[str]:
    """The query terms that spell `form` (stop words may stand between them); empty if none do."""
    words = pieces | STOP_TERMS
    longest = max(map(len, words))
    # back[i]: where the last word of a spelling of form[:i] starts (None: not spelled)
    back: list[int | None] = [None] * (len(form) + 1)
    back[0] = 0
    for start in range(len(form)):
        if back[start] is None:
            continue
        for end in range(start + 1, min(len(form), start + longest) + 1):
            if back[end] is None and form[start:end] in words:
                back[end] = start
    if back[-1] is None:
        return frozenset()
    used: set[str] = set()
    end = len(form)
    while end:
        prev = back[end]
        assert prev is not None  # back[-1] is set: so is every step back from it
        if form[prev:end] in pieces:
            used.add(form[prev:end])
        end = prev
    return frozenset(used)
