"""Ingestion stores only phrases above PHRASE_MIN_QUALITY, each with its score.

The speech is written for this test.
"""

import pytest

from speechdraft.corpus.models import Status, Term
from speechdraft.corpus.services import document_ingest
from speechdraft.library.models import Phrase, PhraseSource

pytestmark = pytest.mark.django_db

SPEECH = """在全区安全生产和作风建设大会上的讲话
同志们：
今天我们召开全区安全生产和作风建设大会，主要任务是部署下半年工作。下面，我讲两点意见。
一、守牢安全底线
要紧盯矿山开采、建筑施工、道路交通、危险化学品等重点领域，扎实开展隐患排查。要加强对专业人员、一般干部、基层骨干、不同层次人才的教育培训。
二、锤炼过硬作风
要真抓实干、久久为功、凝心聚力、能上能下，以转变作风、解决问题、认真学习的实际行动推动发展。要坚决做到“两个维护”，落实“四个聚焦”，牢记“马上就办、办就办好”，锤炼“五种作风”。
思想是行动的先导，理论是实践的指南。要看好自己的门，管好自己的人，办好自己的事。
同志们，让我们团结一心，为完成全年目标任务而努力奋斗！
"""

OTHER = """在全县干部工作会议上的讲话
同志们：
这次会议的主要任务是总结干部工作，安排明年任务。
一、树立鲜明导向
选人用人要坚持标准，让干部能上能下、能进能出、有为有位，营造风清气正的良好环境。
同志们，让我们奋发有为，推动干部工作再上新台阶！
"""

NOUNS = {"建筑施工", "道路交通", "专业人员", "一般干部", "不同层次"}


def _ingest(name="作风.txt", text=SPEECH):
    result = document_ingest(file_name=name, data=text.encode("utf-8"))
    assert result.outcome in ("created", "updated"), result.message
    return result


def _texts(kind=None):
    qs = Phrase.objects.all() if kind is None else Phrase.objects.filter(kind=kind)
    return set(qs.values_list("text", flat=True))


def test_only_phrases_above_the_threshold_are_stored(settings):
    assert settings.PHRASE_MIN_QUALITY == 0.5
    _ingest()
    phrases = list(Phrase.objects.all())
    assert phrases
    assert all(p.quality is not None and p.quality >= 0.5 for p in phrases)
    assert all(p.status == Status.CANDIDATE for p in phrases)
    assert "危险化学" not in _texts()
    assert not NOUNS & _texts("four_char")
    assert {"真抓实干", "久久为功", "凝心聚力", "能上能下"} <= _texts("four_char")
    assert {"两个维护", "四个聚焦", "马上就办、办就办好"} <= _texts("slogan")
    assert "五种作风" not in _texts()
    assert "看好自己的门，管好自己的人，办好自己的事" in _texts("parallel")
    assert "思想是行动的先导，理论是实践的指南。" in _texts("golden")
    # the user dictionary gets the one-word slogans, never the counted noun
    terms = set(Term.objects.values_list("word", flat=True))
    assert {"两个维护", "四个聚焦"} <= terms
    assert "五种作风" not in terms and "马上就办、办就办好" not in terms
    # and the summary counts what was stored
    assert PhraseSource.objects.count() >= len(phrases)


def test_a_lower_threshold_lets_plain_nouns_in_but_never_cut_words(settings):
    settings.PHRASE_MIN_QUALITY = 0.0
    _ingest()
    assert NOUNS.issubset(_texts("four_char"))
    assert "五种作风" in _texts("slogan")
    assert "危险化学" not in _texts()
    good = Phrase.objects.get(kind="four_char", text="真抓实干").quality
    poor = Phrase.objects.get(kind="four_char", text="专业人员").quality
    assert good > poor


def test_a_curated_phrase_keeps_its_source_whatever_its_score():
    approved = Phrase.objects.create(kind="four_char", text="道路交通", status=Status.APPROVED)
    _ingest()
    assert approved.sources.count() == 1
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED


def test_a_phrase_mined_from_another_document_scores_higher():
    _ingest("一.txt")
    first = Phrase.objects.get(kind="four_char", text="能上能下").quality
    _ingest("二.txt", OTHER)
    second = Phrase.objects.get(kind="four_char", text="能上能下").quality
    assert second > first
    assert Phrase.objects.get(kind="four_char", text="能上能下").sources.count() == 2


def test_old_candidates_below_the_threshold_go_when_their_document_is_parsed_again():
    document = _ingest().document
    # a row left by the miner before scores existed, citing this document
    legacy = Phrase.objects.create(kind="four_char", text="建筑施工")
    PhraseSource.objects.create(phrase=legacy, document=document, position="s1:p0")
    _ingest(text=SPEECH + "同志们，散会。\n")
    assert not Phrase.objects.filter(pk=legacy.pk).exists()
