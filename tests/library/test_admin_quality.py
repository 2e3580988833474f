"""The phrase list shows mining's quality score, sorts by it and filters by it."""

import pytest

from speechdraft.corpus.models import Status
from speechdraft.library.models import Phrase

pytestmark = pytest.mark.django_db
PHRASES = "/admin/library/phrase/"


def _phrases():
    Phrase.objects.create(kind="four_char", text="真抓实干", quality=0.95, status=Status.CANDIDATE)
    Phrase.objects.create(kind="four_char", text="转变作风", quality=0.6, status=Status.CANDIDATE)
    Phrase.objects.create(kind="golden", text="人工录入的金句")  # written by a person: no score


def _order(html: str, texts: list[str]) -> list[str]:
    return sorted(texts, key=html.index)


def test_the_score_is_a_column_and_sorts_best_first(curator):
    _phrases()
    page = curator.get(PHRASES).content.decode()
    assert "质量分" in page and "0.95" in page and "0.60" in page
    # the column's index in the change list (the action checkbox is column 0)
    from speechdraft.library.admin import PhraseAdmin

    column = ["action_checkbox", *PhraseAdmin.list_display].index("shown_quality")
    texts = ["真抓实干", "转变作风", "人工录入的金句"]
    best_first = curator.get(PHRASES, {"o": f"-{column}"}).content.decode()
    assert _order(best_first, texts) == texts
    worst_first = curator.get(PHRASES, {"o": f"{column}"}).content.decode()
    assert _order(worst_first, texts) == texts[::-1]


def test_the_quality_filter(curator):
    _phrases()
    high = curator.get(PHRASES, {"quality": "high"}).content.decode()
    assert "真抓实干" in high and "转变作风" not in high
    unscored = curator.get(PHRASES, {"quality": "none"}).content.decode()
    assert "人工录入的金句" in unscored and "真抓实干" not in unscored


def test_the_change_form_shows_the_score_read_only(curator):
    _phrases()
    phrase = Phrase.objects.get(text="真抓实干")
    page = curator.get(f"{PHRASES}{phrase.pk}/change/").content.decode()
    assert "质量分" in page and "0.95" in page
    assert 'name="quality"' not in page
