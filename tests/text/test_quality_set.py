"""The annotated quality set itself (bench/quality): well-formed, whatever the parser scores.

Nothing here parses a document with the pipeline: these tests hold the yardstick to its own
rules (every page annotated, decodable in its declared encoding, annotations that point at text
the page really has, every failure class covered), so that a score on it means something.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from bench.ingest_quality import (
    DEFAULT_DIR,
    DEFAULT_EXPECTED,
    ROLES,
    blind,
    load_expected,
    plain,
    source_text,
)
from speechdraft.text.model import ROLES as MODEL_ROLES

ISSUE_CLASSES = tuple("ABCDEFGHI")
TAGS = frozenset((*ISSUE_CLASSES, "J", "numbering", "encoding", "control", "negative"))
NAME_RE = re.compile(r"^\d{2}_[A-Za-z0-9_]+\.txt$")
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
SPEECH_KEYS = {"title", "salutation", "date", "speaker", "parts", "closing_starts", "incomplete"}


@cache
def annotations() -> dict[str, dict]:
    return load_expected(DEFAULT_EXPECTED)


def files() -> list[Path]:
    return sorted(p for p in DEFAULT_DIR.iterdir() if p.is_file())


NAMES = sorted(annotations())


@cache
def source(name: str) -> str:
    ann = annotations()[name]
    return source_text((DEFAULT_DIR / name).read_bytes(), ann.get("encoding"))


def cjk(text: str | None) -> str:
    return "".join(_CJK_RE.findall(text or ""))


def without_junk(name: str) -> str:
    """The page with its annotated junk taken out (longest first), placeholder-blind."""
    text = plain(source(name))
    for junk in sorted(annotations()[name].get("must_be_absent", []), key=len, reverse=True):
        text = text.replace(plain(junk), "")
    return blind(text)


def test_every_file_is_annotated_and_every_annotation_has_a_file():
    on_disk = {p.name for p in files()}
    assert on_disk == set(annotations())
    assert all(NAME_RE.match(n) for n in on_disk), sorted(
        n for n in on_disk if not NAME_RE.match(n)
    )
    assert len(on_disk) >= 45
    numbers = [n[:2] for n in on_disk]
    assert len(set(numbers)) == len(numbers), "two files share a number"


def test_roles_are_the_parsers_vocabulary():
    assert set(ROLES) == set(MODEL_ROLES)


def test_every_class_is_covered():
    seen = {tag for ann in annotations().values() for tag in ann["classes"]}
    assert set(ISSUE_CLASSES) <= seen
    assert {"J", "numbering", "encoding", "control", "negative"} <= seen


@pytest.mark.parametrize("name", NAMES)
def test_annotation_is_well_formed(name):
    ann = annotations()[name]
    assert ann["classes"] and set(ann["classes"]) <= TAGS
    assert isinstance(ann.get("note"), str) and ann["note"]
    assert ann["speeches"], "a page has at least one speech"
    for speech in ann["speeches"]:
        assert set(speech) == SPEECH_KEYS
        assert isinstance(speech["title"], str) and speech["title"]
        assert isinstance(speech["incomplete"], bool)
        for key in ("salutation", "date", "speaker", "closing_starts"):
            assert speech[key] is None or (isinstance(speech[key], str) and speech[key])
        for part in speech["parts"]:
            assert set(part) <= {"number", "heading", "role", "children"}
            assert part["number"] is None or isinstance(part["number"], str)
            assert isinstance(part["heading"], str) and part["heading"]
            assert part["role"] in ROLES
            assert isinstance(part.get("children", 0), int) and part.get("children", 0) >= 0
    for key in ("must_be_absent", "must_keep"):
        assert isinstance(ann[key], list)
    assert ann["must_keep"], "every page names sentences that must survive"
    for key in ("placeholders", "once"):
        assert isinstance(ann.get(key, []), list)


@pytest.mark.parametrize("name", NAMES)
def test_page_decodes_in_its_declared_encoding(name):
    ann = annotations()[name]
    data = (DEFAULT_DIR / name).read_bytes()
    encoding = ann.get("encoding", "utf-8")
    text = data.decode(encoding)  # strict
    if encoding.replace("-", "").lower() != "utf8":
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")  # really written in that codec
    if ann.get("script") == "traditional":
        simplified = source(name)
        changed = sum(a != b for a, b in zip(text, simplified, strict=True))
        assert changed / max(1, len(cjk(text))) > 0.04
    else:
        assert source(name) == text, "a simplified page is a fixed point of t2s"


@pytest.mark.parametrize("name", NAMES)
def test_speech_length_is_realistic(name):
    ann = annotations()[name]
    chars = len(without_junk(name)) / len(ann["speeches"])
    assert 600 <= chars <= 2500, chars


@pytest.mark.parametrize("name", NAMES)
def test_junk_and_placeholders_are_on_the_page(name):
    ann = annotations()[name]
    page = plain(source(name))
    for junk in ann["must_be_absent"]:
        assert plain(junk) in page, junk
    for run in ann.get("placeholders", []):
        assert plain(run) in page, run


@pytest.mark.parametrize("name", NAMES)
def test_kept_text_is_on_the_page(name):
    ann = annotations()[name]
    page = without_junk(name)
    for text in ann["must_keep"]:
        assert blind(text) in page, text
    for text in ann.get("once", []):
        assert blind(text) in page, text
    for text in ann["must_keep"]:
        assert not any(blind(j) in blind(text) for j in ann["must_be_absent"]), text


@pytest.mark.parametrize("name", NAMES)
def test_annotated_fields_are_on_the_page(name):
    """Titles, headings, salutations … read from the page (lines may be broken or glued and
    notes may sit inside: compared on their Chinese characters)."""
    ann = annotations()[name]
    page_cjk = cjk(blind(source(name)))
    page = plain(source(name))
    for speech in ann["speeches"]:
        # a date printed inside the subtitle is the speech's date and leaves the title
        undated = page_cjk.replace(cjk(blind(speech["date"] or "")) or "\0", "")
        for key in ("title", "salutation", "date", "speaker", "closing_starts"):
            if speech[key] and cjk(speech[key]):
                found = cjk(blind(speech[key]))
                assert found in page_cjk or (key == "title" and found in undated), (
                    key,
                    speech[key],
                )
        for part in speech["parts"]:
            assert cjk(blind(part["heading"])) in page_cjk, part["heading"]
            if part["number"] is not None:
                assert plain(part["number"]) in page, part["number"]


@pytest.mark.parametrize("name", NAMES)
def test_incomplete_speeches_have_a_reason_on_the_page(name):
    """A speech annotated incomplete announces more parts than it shows, or stops mid-way:
    its last part is its last expected content (nothing closes it)."""
    for speech in annotations()[name]["speeches"]:
        if speech["incomplete"]:
            assert speech["closing_starts"] is None
