"""jieba, loaded once per process.

* The tokenizer is a lazy singleton: nothing is loaded until the first call.
* The prefix dictionary is read from jieba's cache file with ``marshal.loads`` on the file's
  bytes (about 4× faster than jieba's own ``marshal.load`` on a file object on Python 3.11).
* Text is always converted to simplified Chinese before segmenting: jieba's HMM paths are
  pathological on traditional text.
* Only ``lcut`` and TF-IDF ``extract_tags`` are used; ``posseg`` and ``textrank`` are far too
  slow for any hot path. Part of speech comes from :func:`word_tag`, a plain look-up of a
  dictionary word's tag (for the few candidate strings phrase mining scores).
"""

from __future__ import annotations

import logging
import marshal
import math
import os
import re
import sys
import tempfile
import threading
from collections.abc import Iterable
from typing import Any

from .convert import to_simplified

_lock = threading.Lock()
_tokenizer: Any = None
_tfidf: Any = None
_tags: dict[str, str] | None = None
# Words this process added to jieba: only these may be removed again (never its own words).
_added: set[str] = set()


def _cache_path(tokenizer: Any) -> str | None:
    import jieba

    if tokenizer.cache_file:
        name = tokenizer.cache_file
    elif tokenizer.dictionary == jieba.DEFAULT_DICT:
        name = "jieba.cache"
    else:
        return None
    return os.path.join(tokenizer.tmp_dir or tempfile.gettempdir(), name)


def _load() -> Any:
    """Return jieba's default tokenizer, initialised (fast path via the marshal cache)."""
    global _tokenizer
    if _tokenizer is not None:
        return _tokenizer
    with _lock:
        if _tokenizer is not None:
            return _tokenizer
        import jieba

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.dt
        if not tokenizer.initialized:
            path = _cache_path(tokenizer)
            loaded = False
            if path and os.path.isfile(path):
                try:
                    with open(path, "rb") as fh:
                        freq, total = marshal.loads(fh.read())
                    if isinstance(freq, dict) and total:
                        tokenizer.FREQ, tokenizer.total = freq, total
                        tokenizer.initialized = True
                        loaded = True
                except Exception:  # corrupt or foreign cache: let jieba rebuild it
                    loaded = False
            if not loaded:
                tokenizer.initialize()  # builds the dictionary and writes the cache
        _tokenizer = tokenizer
        return tokenizer


def _extractor() -> Any:
    global _tfidf
    if _tfidf is None:
        tokenizer = _load()
        with _lock:
            if _tfidf is None:
                import jieba.analyse

                extractor = jieba.analyse.default_tfidf
                extractor.tokenizer = tokenizer
                _tfidf = extractor
    return _tfidf


def lcut(text: str) -> list[str]:
    """Segment ``text`` (converted to simplified first) with jieba's default mode."""
    if not text:
        return []
    return _load().lcut(to_simplified(text))


_HAN_RUN_RE = re.compile(r"([\u4e00-\u9fff]+)")
_HAN_ONLY_RE = re.compile(r"[\u4e00-\u9fff]+\Z")


def dict_cut(text: str) -> list[str]:
    """jieba's dictionary route through ``text`` (its ``lcut(text, HMM=False)``), for the short
    strings phrase mining looks at (a clause, a few characters), at a fraction of the cost.

    The same dynamic programme as jieba's ``calc``: the split of each run of Chinese characters
    that maximises the sum of log word frequencies, user-dictionary words included. Other
    characters come out one run at a time. The text must be simplified already.
    """
    if not text:
        return []
    tokenizer = _tokenizer or _load()
    get = tokenizer.FREQ.get
    log = math.log
    logtotal = log(tokenizer.total)
    out: list[str] = []
    runs = [text] if _HAN_ONLY_RE.match(text) else _HAN_RUN_RE.split(text)
    for k, run in enumerate(runs, 1 if len(runs) == 1 else 0):
        if not run:
            continue
        if k % 2 == 0:  # not Chinese
            out.append(run)
            continue
        n = len(run)
        score = [0.0] * (n + 1)
        end = [0] * n
        for i in range(n - 1, -1, -1):
            best_end = i + 1
            best = log(get(run[i]) or 1) - logtotal + score[i + 1]
            j = i + 2
            while j <= n:
                f = get(run[i:j])
                if f is None:  # no dictionary word starts with this
                    break
                if f:
                    value = log(f) - logtotal + score[j]
                    if value > best:
                        best, best_end = value, j
                j += 1
            score[i], end[i] = best, best_end
        i = 0
        while i < n:
            out.append(run[i : end[i]])
            i = end[i]
    return out


def add_terms(words: Iterable[str]) -> int:
    """Add words to jieba's user dictionary (in this process); returns how many were added."""
    tokenizer = _load()
    added = 0
    for word in words:
        word = to_simplified((word or "").strip())
        if len(word) < 2 or any(ch.isspace() for ch in word):
            continue
        if tokenizer.FREQ.get(word):
            continue
        tokenizer.add_word(word)
        _added.add(word)
        added += 1
    return added


def keywords(text: str, k: int = 8, *, simplified: bool = False) -> list[str]:
    """Top ``k`` TF-IDF keywords of ``text`` (jieba.analyse.extract_tags); ``simplified`` when
    the text is simplified already (the pipeline's), which spares the conversion."""
    if not text or k <= 0:
        return []
    return list(_extractor().extract_tags(text if simplified else to_simplified(text), topK=k))


def cut_for_search(text: str) -> list[str]:
    """jieba's search mode: long words plus the dictionary words inside them (for indexing)."""
    if not text:
        return []
    return list(_load().cut_for_search(to_simplified(text)))


def remove_terms(words: Iterable[str]) -> int:
    """Take words out of this process's dictionary (a curator deleted them)."""
    tokenizer = _load()
    removed = 0
    for word in words:
        word = to_simplified((word or "").strip())
        if word in _added:
            tokenizer.del_word(word)
            _added.discard(word)
            removed += 1
    return removed


# jieba's noun tags: stored as one class ("n") and not stored at all (see _word_tags).
_NOUN_TAGS = frozenset("n nr nr1 nr2 nrj nrf nrfg nrt ns nt nz".split())


def _word_tags() -> dict[str, str]:
    """Tags of the dictionary's words of up to four characters, nouns left out.

    Nouns are two thirds of jieba's dictionary; a known word without an entry here is a noun,
    which keeps this table near 12 MB. Read once per process (about 0.3 s), lazily.
    """
    global _tags
    if _tags is not None:
        return _tags
    tokenizer = _load()
    with _lock:
        if _tags is None:
            try:
                with tokenizer.get_dict_file() as fh:
                    text = fh.read().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
            fields = text.split()
            pairs: Iterable[tuple[str, str]]
            if len(fields) % 3 == 0 and all(map(str.isdigit, fields[1::3])):
                pairs = zip(fields[0::3], fields[2::3], strict=True)
            else:  # a dictionary with optional fields: read it line by line
                pairs = (
                    (parts[0], parts[2])
                    for parts in map(str.split, text.splitlines())
                    if len(parts) >= 3
                )
            _tags = {
                word: sys.intern(tag)
                for word, tag in pairs
                if len(word) <= 4 and tag not in _NOUN_TAGS
            }
    return _tags


def word_tag(word: str) -> str | None:
    """jieba's part-of-speech tag of a dictionary word (``v``, ``a``, ``d``, ``i``, ``l``, ``m`` …).

    Every noun tag (n, nr, ns, nt, nz …) reads ``"n"``. None for a word jieba does not know,
    for a user-dictionary term (it has no tag) and for words longer than four characters.
    """
    if not word or len(word) > 4:
        return None
    tag = (_tags if _tags is not None else _word_tags()).get(word)
    if tag is not None:
        return tag
    if word in _added or not (_tokenizer or _load()).FREQ.get(word):
        return None
    return "n"


def word_freq(word: str) -> int:
    """jieba's dictionary frequency of ``word`` (0 when it is no word of the dictionary)."""
    return int((_tokenizer or _load()).FREQ.get(word) or 0) if word else 0
