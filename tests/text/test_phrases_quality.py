"""Quality of mined phrases: cut words and plain nouns out, the genre's idioms and slogans in.

Every text here is written for these tests.
"""

import pytest

from speechdraft.text import phrase_quality as quality
from speechdraft.text import segment
from speechdraft.text.clean import CleanSpeech
from speechdraft.text.phrase_quality import MIN_QUALITY
from speechdraft.text.phrases import mine_phrases, slogans
from speechdraft.text.structure import build_speech

# A safety paragraph: four-character-looking items, a five-character word at the list's end.
SAFETY = (
    "要紧盯矿山开采、建筑施工、道路交通、危险化学品等重点领域，扎实开展隐患排查。"
    "要加强对专业人员、一般干部、基层骨干、不同层次人才的教育培训。"
)
STYLE = (
    "要真抓实干、久久为功、凝心聚力、能上能下，以转变作风、解决问题、认真学习的实际行动推动发展。"
)
SLOGANS = (
    "要坚决做到“两个维护”，落实“四个聚焦”，推进“一主三优多特色”产业布局，"
    "牢记“马上就办、办就办好”，锤炼“五种作风”，抓好“六件要事”。"
    "全体干部要锤炼五种作风、增强本领、改进方法。"
)


def _mine(*paragraphs: str):
    speech = build_speech(
        CleanSpeech(
            title="在全区作风建设大会上的讲话",
            salutation="同志们：",
            body=["今天召开全区作风建设大会。", "一、提高认识", *paragraphs],
        )
    )
    speech.phrases = mine_phrases(speech, 0)
    return speech


def _scores(speech, kind: str) -> dict[str, float]:
    return {p.text: p.score for p in speech.phrases if p.kind == kind}


def _kept(speech, kind: str) -> set[str]:
    return {text for text, score in _scores(speech, kind).items() if score >= MIN_QUALITY}


def test_a_window_cut_from_a_longer_word_is_never_mined():
    speech = _mine(SAFETY)
    assert all(p.text != "危险化学" for p in speech.phrases)
    assert "危险化学" not in _scores(speech, "four_char")
    # the other end of a list: four characters inside one word of the head clause
    speech = _mine("要持续推进城市更新、污水处理、垃圾清运、厕所改造，建设宜居城市。")
    assert "宜居城市" not in _scores(speech, "four_char")


def test_plain_nouns_are_not_four_character_phrases():
    speech = _mine(SAFETY)
    assert not {"建筑施工", "道路交通", "专业人员", "一般干部", "不同层次"} & _kept(
        speech, "four_char"
    )


def test_the_genres_idioms_in_a_list_are_mined():
    speech = _mine(STYLE)
    kept = _kept(speech, "four_char")
    assert {"真抓实干", "久久为功", "凝心聚力"} <= kept
    # not from the curated list: an AxAy idiom, verb + object, adverb + verb
    assert {"能上能下", "转变作风", "认真学习"} <= kept


def test_the_whole_word_check_reads_jiebas_tokens():
    assert quality.whole_span(["危险", "化学品", "等"], 0) is None
    assert quality.whole_span(["要", "心悦诚服"], 1) == ["心悦诚服"]
    assert quality.whole_span(["扎实", "推进", "工作"], 0) == ["扎实", "推进"]
    assert quality.whole_span(["加强", "城市更新"], 1) is None
    assert quality.four_char_tokens("危险化学品等重点领域", 0) is None


def test_counted_nouns_are_not_slogans():
    speech = _mine(SLOGANS)
    scores = _scores(speech, "slogan")
    kept = _kept(speech, "slogan")
    assert {"两个维护", "四个聚焦", "一主三优多特色", "马上就办、办就办好"} <= kept
    assert "五种作风" not in kept and "六件要事" not in kept
    assert scores["五种作风"] < MIN_QUALITY
    # unquoted it is no slogan candidate at all, nor a four-character phrase worth keeping
    assert "五种作风" not in _kept(speech, "four_char")
    # the user dictionary gets one-word slogans above the threshold only
    assert set(slogans(speech)) == {"两个维护", "四个聚焦", "一主三优多特色"}


@pytest.mark.parametrize(
    ("good", "poor"),
    [
        ("真抓实干", "专业人员"),
        ("心悦诚服", "建筑施工"),
        ("能上能下", "一般干部"),
        ("转变作风", "道路交通"),
        ("认真学习", "不同层次"),
    ],
)
def test_the_score_orders_a_good_four_character_phrase_above_a_poor_one(good, poor):
    def score(text):
        return quality.four_char_score(text, segment.lcut(text))

    assert score(good) >= MIN_QUALITY > score(poor)


def test_the_score_orders_slogans_parallels_and_golden_sentences():
    assert quality.slogan_score("四个聚焦") > quality.slogan_score("五种作风")
    assert quality.slogan_score("一主三优多特色") > quality.slogan_score("三大专题")
    rhetoric = ["看好自己的门", "管好自己的人", "办好自己的事"]
    names = ["东湖公园", "西湖公园", "南湖公园"]
    assert quality.parallel_score(rhetoric) >= MIN_QUALITY > quality.parallel_score(names)
    saying = ["思想是行动的先导", "理论是实践的指南"]
    fact = ["全年增长百分之8", "投资完成12亿元"]
    assert quality.golden_score(saying) >= MIN_QUALITY > quality.golden_score(fact)
    assert min(map(quality.slogan_score, ["五种作风", "一盘棋", "双招双引"])) >= 0
    assert max(map(quality.slogan_score, ["五种作风", "一盘棋", "双招双引"])) <= 1


def test_a_list_of_names_is_a_poor_parallel():
    speech = _mine("今年建成三座公园：东湖公园、西湖公园、南湖公园。群众更舒心、更安心、更放心。")
    scores = _scores(speech, "parallel")
    assert scores["东湖公园、西湖公园、南湖公园"] < MIN_QUALITY
    assert scores["更舒心、更安心、更放心"] >= MIN_QUALITY


def test_a_phrase_found_twice_in_a_speech_scores_higher():
    once = _scores(_mine(STYLE), "four_char")["能上能下"]
    twice = _scores(_mine(STYLE, "干部要能上能下、能进能出、有为有位。"), "four_char")["能上能下"]
    assert twice > once


def test_every_score_is_in_range():
    speech = _mine(SAFETY, STYLE, SLOGANS)
    assert speech.phrases
    assert all(0 < p.score <= 1 for p in speech.phrases)
