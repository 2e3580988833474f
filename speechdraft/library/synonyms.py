"""Query expansion with the curated 同义提法 (SynonymGroup) for library search.

`expand(terms)` gives, for each query term that is a curated formulation (and for each
formulation the terms make up together, 压实 + 责任 → 压实责任), the other formulations of its
groups. The active groups are read once per process into a SynonymIndex; a version stamp in
the shared cache, changed whenever a group or formulation is saved or deleted, tells every
process (web, worker) to read them again, so a curator's edit applies without a restart.

No lexicon package is used: the candidates evaluated (data/README.md) either download their
data at run time, weigh 40–120 MB, or ship 同义词词林 data whose licence does not allow use in
this product, and their synonyms for 公文 words were too often wrong (推进 → 助长).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Sequence

from django.core.cache import cache
from django.db import transaction

from speechdraft.text.synonyms import SynonymIndex
from speechdraft.units.access import visible_q

VERSION_KEY = "library:synonyms-version"
# With the shared cache unreachable a process cannot hear of edits: it re-reads this often.
STALE_SECONDS = 30.0

_lock = threading.Lock()
# One index per unit (None: every unit's, for a search without a user), all of one version.
_local: dict = {"version": None, "indexes": {}, "loaded_at": 0.0}


def _load(unit_id: int | None) -> SynonymIndex:
    from speechdraft.library.models import Synonym

    groups: dict[int, list[str]] = {}
    rows = Synonym.objects.filter(group__active=True)
    if unit_id is not None:
        rows = rows.filter(visible_q(unit_id, "group__"))  # the unit's groups and 共享 ones
    for group_id, text in rows.order_by("group_id", "pk").values_list("group_id", "text"):
        groups.setdefault(group_id, []).append(text)
    return SynonymIndex(groups.values())


def curated_index(unit_id: int | None = None) -> SynonymIndex:
    """The active groups `unit_id` sees, as this process last read them (re-read when they
    have changed)."""
    version = cache.get(VERSION_KEY)
    index = _local["indexes"].get(unit_id)
    if index is not None:
        if version is not None and version == _local["version"]:
            return index
        # No stamp: the cache is down (each call may cost its socket timeout: make no more) or
        # lost the key. Keep the copy for a while before reading the table again.
        if version is None and time.monotonic() - _local["loaded_at"] < STALE_SECONDS:
            return index
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    with _lock:
        index = _load(unit_id)
        if version != _local["version"]:
            _local["indexes"] = {}  # another version: every unit's copy is stale
        _local["indexes"][unit_id] = index
        _local.update(version=version, loaded_at=time.monotonic())
    return index


def expand(terms: Sequence[str], *, unit_id: int | None = None) -> dict[str, list[str]]:
    """{term: alternative formulations} for the query's terms (see SynonymIndex.expand), from
    the groups of unit `unit_id` and the 共享 ones (None: every unit's)."""
    return curated_index(unit_id).expand(terms)


def synonyms_changed() -> None:
    """Call after groups or formulations changed (the model signals do): all processes re-read.

    The stamp changes at once (this process sees its own edit) and again on commit (a process
    that re-read in between saw the rows as they were before the commit).
    """

    def bump() -> None:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)

    forget()
    bump()
    transaction.on_commit(bump)


def forget() -> None:
    """Drop this process's copy (the next expand() reads the table again)."""
    _local["indexes"] = {}


def on_synonym_change(sender, **kwargs) -> None:
    synonyms_changed()
