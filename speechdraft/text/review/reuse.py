"""Reuse of past speeches (与往年讲话雷同): lines of the draft that closely match a paragraph of
the corpus (MinHash/LSH, see speechdraft.text.similarity)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from typing import Any

from ..similarity import LshIndex, MinHasher, best_matches
from .findings import Finding, excerpt_around, finding
from .items import LINE, ReviewItem
from .settings import DEFAULT_SETTINGS, ReviewSettings


def check_reuse(
    items: Sequence[ReviewItem],
    index: LshIndex,
    corpus_lookup: Mapping[Hashable, Any] | Callable[[Hashable], Any],
    settings: ReviewSettings = DEFAULT_SETTINGS,
    *,
    hasher: MinHasher | None = None,
    label: Callable[[Hashable], str] | None = None,
    exclude: Collection[Hashable] = (),
) -> list[Finding]:
    """Paragraphs that closely match a corpus paragraph (past speeches, earlier drafts).

    ``label(key)`` names a match for the message, e.g. "《2023年全区经济工作会议讲话》第二部分";
    without it the message says "资料库中的段落". Each line of an item is checked on its own.
    """
    findings = []
    for item in items:
        for m in LINE.finditer(item.text):
            matches = best_matches(
                m.group(),
                index,
                corpus_lookup,
                k=settings.reuse_k,
                threshold=settings.reuse_threshold,
                hasher=hasher,
                min_chars=settings.reuse_min_chars,
                exclude=exclude,
            )
            if not matches:
                continue
            best = matches[0]
            name = label(best.key) if label else "资料库中的段落"
            percent = round(best.score * 100)
            findings.append(
                finding(
                    "reuse",
                    item.id,
                    "warning" if best.score >= settings.reuse_error_score else "info",
                    f"此段与{name}相似度 {percent}%，请确认是否在同一场合重复使用",
                    span=m.span(),
                    excerpt=excerpt_around(item.text, m.start(), min(m.end(), m.start() + 24), 0),
                    data={
                        "matches": [
                            {"key": x.key, "score": x.score, "containment": x.containment}
                            for x in matches
                        ]
                    },
                )
            )
    return findings
