"""What ingestion keeps of the material it mines: jieba's user dictionary (Term rows, the
words segmentation keeps whole) and the quality a mined phrase needs to be kept.

Segmentation happens here, in ingestion, and the library's search uses the same dictionary
(it imports this module); every process (web, worker, CLI) follows curators' changes through
a version stamp in the shared cache.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from speechdraft.core.queueing import enqueue
from speechdraft.corpus.models import Term
from speechdraft.text import segment
from speechdraft.text.phrase_quality import MIN_QUALITY

TERMS_VERSION_KEY = "corpus:terms-version"
_local: dict = {"version": None, "words": set()}


def phrase_min_quality() -> float:
    """Mined phrases below this quality are not kept (setting PHRASE_MIN_QUALITY)."""
    return float(getattr(settings, "PHRASE_MIN_QUALITY", MIN_QUALITY))


def user_dictionary_ensure() -> None:
    """Bring this process's jieba in line with the Term table when it has changed.

    Every process (web, worker, CLI) compares a version stamp in the shared cache with the one
    it loaded; a curator's change therefore reaches all of them without a restart.
    """
    version = cache.get(TERMS_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(TERMS_VERSION_KEY, version, timeout=None)
        version = cache.get(TERMS_VERSION_KEY, version)
    if version == _local["version"]:
        return
    words = set(Term.objects.values_list("word", flat=True))
    segment.add_terms(sorted(words - _local["words"]))
    segment.remove_terms(sorted(_local["words"] - words))
    _local["words"] = words
    _local["version"] = version


def terms_changed(words: Iterable[str]) -> None:
    """Call after Term rows were added, edited or deleted: all processes reload, rows re-index."""
    words = sorted({w for w in words if w})
    cache.set(TERMS_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    if words:
        # The broker down: the rows keep their tokens until the next change of terms.
        transaction.on_commit(lambda: enqueue("library.reindex_terms", words))


def terms_add_mined(words: Iterable[str], *, unit_id: int) -> None:
    """Mined slogans become dictionary words of the unit (those not there already); new words
    segment from now on, and ingestion indexes its own rows."""
    words = set(words)
    present = Term.objects.filter(word__in=words, unit_id=unit_id).values_list("word", flat=True)
    new = words - set(present)
    if new:
        Term.objects.bulk_create(
            [Term(word=w, origin=Term.Origin.MINED, unit_id=unit_id) for w in sorted(new)],
            ignore_conflicts=True,
        )
        terms_changed([])
