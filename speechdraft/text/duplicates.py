"""The same speech scraped from several sites: find the copies, keep the cleaner one.

Pure functions over plain data; speechdraft.corpus stores the band hashes and links the copies.

* A speech's *body* is its opening, the headings and paragraphs of its parts and its closing:
  not its title, speaker, date or salutation, which sites rewrite freely. Its shingles are the
  union of the shingles of each piece (:func:`body_shingles`), so the order of the pieces and
  where a site broke its lines hardly matter; punctuation, spaces and full-width forms never do
  (:func:`speechdraft.text.similarity.normalize`).
* Two bodies are copies of one speech when the Jaccard similarity of their shingle sets is at
  least :data:`THRESHOLD` (0.8). With 4-character shingles that tolerates, in a 10,000-character
  speech, a quarter more text left over from a page's chrome, or one character in 36 changed
  (each change breaks 4 shingles on each side: (n − 4m)/(n + 4m) ≥ 0.8 ⇔ m ≤ n/36): the
  differences between sites after cleaning. Different speeches do not come close: the sample
  speeches share 0.001–0.02 with each other, all on the same kind of work in the same stock
  phrases, and a speech revised for another year that keeps 60% of its text is a new speech,
  good material of its own, that must stay.
* Candidates come from the LSH bands of the review index (128 MinHash values in 32 bands of 4
  rows, :data:`HASHER`, :data:`BANDS`). Two bodies of similarity s share a band with probability
  1 − (1 − s⁴)³² and share ``32·s⁴`` bands on average; a candidate needs
  :data:`MIN_SHARED_BANDS` (3) of them, an estimated similarity of at least (3/32)^¼ ≈ 0.55.
  At s = 0.8 a copy is missed with probability 1.2·10⁻⁵ (0.9: 3·10⁻¹²), while a pair at 0.3
  gets through once in 450: only those few are compared exactly (:func:`best_copy`).
* The cleaner copy is the one stored (:func:`cleanliness`, :func:`cleaner`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from .model import Speech
from .similarity import LshIndex, MinHasher, jaccard

__all__ = [
    "BANDS",
    "HASHER",
    "MARGIN",
    "MIN_BODY_SHINGLES",
    "MIN_SHARED_BANDS",
    "THRESHOLD",
    "CopyQuality",
    "best_copy",
    "body_bands",
    "body_shingles",
    "cleaner",
    "cleanliness",
    "speech_pieces",
]

THRESHOLD = 0.8
# The review index's MinHash and bands (speechdraft.review.services): one kind of signature.
HASHER = MinHasher(num_perm=128, shingle=4)
BANDS = LshIndex(bands=32, rows=4)  # used for its band_hashes(); the index is a table
MIN_SHARED_BANDS = 3
# Bodies this small (a greeting and a thank-you) are not compared: anything would match.
MIN_BODY_SHINGLES = 100
# How much cleaner a new copy must be to replace the stored one: no churn over a line or two.
MARGIN = 0.1

K = TypeVar("K")


def speech_pieces(speech: Speech) -> list[str]:
    """The body of a parsed speech, piece by piece (the same texts the corpus stores as its
    sections' headings and its paragraphs)."""
    pieces = list(speech.opening)
    for section in speech.walk_sections():
        pieces.append(section.heading)
        pieces.extend(section.paragraphs)
    pieces.extend(speech.closing)
    return [p for p in pieces if p]


def body_shingles(pieces: Iterable[str]) -> frozenset[int]:
    """Shingles of a body: the union of the shingles of its pieces."""
    out: set[int] = set()
    for piece in pieces:
        out.update(HASHER.shingles(piece))
    return frozenset(out)


def body_bands(shingles: Iterable[int]) -> list[int]:
    """The 32 band hashes of a body's MinHash signature (non-negative, below 2**61)."""
    return BANDS.band_hashes(HASHER.signature_from_shingles(shingles))


def best_copy(
    shingles: frozenset[int],
    candidates: Mapping[K, frozenset[int]],
    threshold: float = THRESHOLD,
) -> tuple[K, float] | None:
    """The candidate whose body is most similar to ``shingles``, if at least ``threshold``
    (exact Jaccard; ties go to the smallest key, so the oldest row)."""
    if len(shingles) < MIN_BODY_SHINGLES:
        return None
    best: tuple[K, float] | None = None
    for key in sorted(candidates):  # type: ignore[type-var]
        other = candidates[key]
        if len(other) < MIN_BODY_SHINGLES:
            continue
        score = jaccard(shingles, other)
        if score >= threshold and (best is None or score > best[1]):
            best = (key, score)
    return best


@dataclass(frozen=True)
class CopyQuality:
    """What tells two copies of one speech apart.

    ``junk_lines`` are the lines the cleaner removed from the page the copy came from (site
    headers, 来源, related links …) and ``page_chars`` the characters of the speeches kept from
    that page: many removed lines per thousand characters mean a noisy site, whose leftovers
    are likely to remain. ``incomplete`` counts the reasons the copy looks like a part of the
    speech; ``sections`` the parts and points recognised; ``converted``: read from traditional
    characters (conversion can pick the wrong simplified character: 後/后 but 乾/干).
    """

    incomplete: int = 0
    has_title: bool = True
    has_salutation: bool = True
    sections: int = 0
    junk_lines: int = 0
    page_chars: int = 0
    converted: bool = False


def cleanliness(q: CopyQuality) -> float:
    """A copy's score; the higher, the cleaner. Each term is bounded, in order of weight:

    * −10 per reason it looks incomplete (at most 3 counted), more than all the other terms
      together can make up (6.5): a whole speech always beats a part of it;
    * +2 × the recognised parts and points, up to 10: the structure drafters start from;
    * −0.4 per removed line per thousand characters, at most −2: a noisy page;
    * +1 for a title, +1 for a salutation (同志们：);
    * −0.5 when it was converted from traditional characters.
    """
    score = -10.0 * min(q.incomplete, 3)
    score += 2.0 * min(q.sections, 10) / 10
    junk_rate = q.junk_lines * 1000 / max(q.page_chars, 1)
    score -= min(0.4 * junk_rate, 2.0)
    score += float(q.has_title) + float(q.has_salutation)
    if q.converted:
        score -= 0.5
    return score


def cleaner(new: CopyQuality, stored: CopyQuality, margin: float = MARGIN) -> bool:
    """Whether ``new`` should replace the ``stored`` copy: clearly cleaner, by ``margin``."""
    return cleanliness(new) > cleanliness(stored) + margin
