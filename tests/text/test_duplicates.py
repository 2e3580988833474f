"""The same speech from several sites: body shingles, the exact check, which copy is cleaner."""

import random

import pytest

from speechdraft.text.duplicates import (
    MIN_BODY_SHINGLES,
    MIN_SHARED_BANDS,
    THRESHOLD,
    CopyQuality,
    best_copy,
    body_bands,
    body_shingles,
    cleaner,
    cleanliness,
    speech_pieces,
)
from speechdraft.text.pipeline import parse_bytes
from speechdraft.text.similarity import jaccard
from tests.text import speeches

CLEAN = CopyQuality(sections=8, junk_lines=0, page_chars=2500)


def body(data: bytes) -> frozenset[int]:
    """The body of the page's speech (scraped pages split their chrome off as small pieces)."""
    parsed = parse_bytes(data, "x.txt")
    return max((body_shingles(speech_pieces(s)) for s in parsed.speeches), key=len)


# --- which copy is cleaner ------------------------------------------------------------------


def test_a_whole_copy_beats_an_incomplete_one_whatever_else():
    whole_but_poor = CopyQuality(
        has_title=False,
        has_salutation=False,
        sections=0,
        junk_lines=200,
        page_chars=1000,
        converted=True,
    )
    part_but_perfect = CopyQuality(incomplete=1, sections=10)
    assert cleaner(whole_but_poor, part_but_perfect)
    assert not cleaner(part_but_perfect, whole_but_poor)
    assert cleanliness(CopyQuality(incomplete=1)) > cleanliness(CopyQuality(incomplete=2))


def test_fewer_removed_lines_for_its_size_is_cleaner():
    noisy = CopyQuality(sections=8, junk_lines=10, page_chars=2500)
    assert cleaner(CLEAN, noisy) and not cleaner(noisy, CLEAN)
    # The same ten lines around a page four times as long are less of it.
    long_page = CopyQuality(sections=8, junk_lines=10, page_chars=10_000)
    assert cleanliness(long_page) > cleanliness(noisy)


def test_junk_counts_at_most_two_points():
    endless = CopyQuality(sections=8, junk_lines=10_000, page_chars=100)
    assert cleanliness(CLEAN) - cleanliness(endless) == pytest.approx(2.0)


def test_a_title_a_salutation_and_more_structure_are_cleaner():
    assert cleaner(CLEAN, CopyQuality(sections=8, has_title=False, page_chars=2500))
    assert cleaner(CLEAN, CopyQuality(sections=8, has_salutation=False, page_chars=2500))
    assert cleaner(CLEAN, CopyQuality(sections=3, page_chars=2500))
    # Past ten parts and points, more is not cleaner.
    assert cleanliness(CopyQuality(sections=12)) == cleanliness(CopyQuality(sections=10))


def test_a_copy_converted_from_traditional_characters_is_a_little_less_clean():
    converted = CopyQuality(sections=8, page_chars=2500, converted=True)
    assert cleaner(CLEAN, converted) and not cleaner(converted, CLEAN)


def test_a_copy_hardly_cleaner_does_not_replace_the_stored_one():
    one_line = CopyQuality(sections=8, junk_lines=1, page_chars=10_000)
    assert 0 < cleanliness(CLEAN) - cleanliness(one_line) < 0.1
    assert not cleaner(CLEAN, one_line)
    assert not cleaner(CLEAN, CLEAN)


# --- finding the copies ------------------------------------------------------------------------


def test_the_body_leaves_out_the_title_and_the_salutation():
    parsed = parse_bytes(speeches.clean_page(), "a.txt").speeches[0]
    pieces = speech_pieces(parsed)
    assert speeches.TITLE not in pieces and "同志们：" not in pieces
    assert pieces[0] == parsed.opening[0]
    assert "一、提高思想认识，切实增强做好整治工作的责任感" not in pieces  # the number goes
    assert "提高思想认识，切实增强做好整治工作的责任感" in pieces
    assert body(speeches.clean_page()) == body(speeches.clean_page(title="另一个标题"))


@pytest.mark.parametrize(
    "page",
    [
        speeches.scraped_page(),
        speeches.scraped_page(encoding="gbk"),
        speeches.traditional_page(),
        speeches.scraped_page(traditional=True),
        speeches.truncated_page(),
    ],
    ids=["chrome", "gbk", "traditional", "traditional-chrome", "truncated"],
)
def test_copies_from_other_sites_are_near_duplicates(page):
    original = body(speeches.clean_page())
    copy = body(page)
    assert jaccard(original, copy) >= THRESHOLD
    assert len(set(body_bands(original)) & set(body_bands(copy))) >= MIN_SHARED_BANDS
    assert best_copy(copy, {1: original})[0] == 1


def test_a_different_speech_on_the_same_work_is_a_candidate_but_not_a_copy():
    original = body(speeches.clean_page())
    other = body(speeches.clean_page(title=speeches.OTHER_TITLE, parts=speeches.OTHER_PARTS))
    assert 0.5 < jaccard(original, other) < 0.7
    # The band index offers it (many stock phrases) …
    assert len(set(body_bands(original)) & set(body_bands(other))) >= MIN_SHARED_BANDS
    # … and the exact comparison refuses it.
    assert best_copy(other, {1: original}) is None


def test_best_copy_takes_the_most_similar_above_the_threshold():
    original = body(speeches.clean_page())
    noisy = body(speeches.scraped_page())
    cut = body(speeches.truncated_page())
    assert best_copy(original, {3: cut, 2: noisy})[0] == 2
    key, score = best_copy(original, {3: cut, 2: noisy, 1: original})
    assert (key, score) == (1, 1.0)
    assert best_copy(original, {5: original, 4: original})[0] == 4  # a tie: the oldest row


def test_small_bodies_are_never_copies():
    greeting = body_shingles(["同志们好，今天的会就开到这里，谢谢大家。"])
    assert len(greeting) < MIN_BODY_SHINGLES
    assert best_copy(greeting, {1: greeting}) is None


def test_a_copy_at_the_threshold_shares_enough_bands():
    """At similarity 0.8 and above, a copy shares at least 3 of the 32 bands (a miss has a
    probability of about 10⁻⁵): checked on 60 edited copies of one speech."""
    text = "".join(speech_pieces(parse_bytes(speeches.clean_page(), "a.txt").speeches[0]))
    original = body_shingles([text])
    rng = random.Random(14)
    checked = 0
    for _ in range(300):
        chars = list(text)
        for _ in range(rng.randrange(5, 40)):
            chars[rng.randrange(len(chars))] = rng.choice("的了是在和有我们要进一步")
        copy = body_shingles(["".join(chars)])
        if jaccard(original, copy) < THRESHOLD:
            continue
        checked += 1
        assert len(set(body_bands(original)) & set(body_bands(copy))) >= MIN_SHARED_BANDS
    assert checked >= 60
