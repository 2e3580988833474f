"""The pure pieces of relevance ranking (speechdraft.text.search), without a database."""

from speechdraft.text.search import (
    Ranked,
    arrange,
    clean_expansions,
    idf,
    paragraph_doc,
    parse_query,
    phrase_doc,
    relevance,
)


def ranked(ref, doc, score, *, phrase=False):
    return Ranked(ref, doc, score, 1, phrase, (ref,))


def test_rare_words_weigh_more_and_idf_stays_positive():
    assert idf(1000, 3) > idf(1000, 300) > idf(1000, 1000) > 0
    assert idf(10, 50) == idf(10, 10)  # a stale size never makes it negative


def test_lead_sentence_heading_and_keywords_all_count():
    query = parse_query("粮食安全")
    body = "今年全市经济平稳。我们守住了粮食安全底线。"
    plain = paragraph_doc("", body)
    lead = paragraph_doc("", "粮食安全是国之大者。今年全市经济平稳。")
    keyed = paragraph_doc("", body, ["粮食安全"])
    headed = paragraph_doc("守住粮食安全底线", body)
    score = {
        name: relevance(query, doc, {"粮食安全": 1.0}, 20).score
        for name, doc in [("plain", plain), ("lead", lead), ("keyed", keyed), ("headed", headed)]
    }
    assert score["plain"] < score["lead"] and score["plain"] < score["keyed"]
    assert score["headed"] > score["lead"]


def test_arrange_merges_same_text_and_keeps_phrases_below_their_paragraphs():
    para = paragraph_doc("", "要压实主体责任，确保各项工作落地见效。")
    same = phrase_doc("要压实主体责任，确保各项工作落地见效")
    inside = phrase_doc("压实主体责任")
    other = phrase_doc("主体责任重于泰山")
    items = [
        ranked("p", para, 1.0),
        ranked("same", same, 0.5, phrase=True),
        ranked("inside", inside, 2.0, phrase=True),
        ranked("other", other, 1.5, phrase=True),
    ]
    out = arrange(items, 10)
    # "inside" scores above both, yet stays below the paragraph holding it; "other" does not.
    assert [r.ref for r in out] == ["other", "p", "inside"]
    assert [m.ref for m in out[1].merged] == ["same"] and out[1].score == 1.0
    assert [r.ref for r in arrange(items, 2)] == ["other", "p"]


def test_arrange_shows_the_same_text_once_the_better_placed_copy():
    """The same paragraph or phrase in two libraries a drafter sees (a unit's and a 共享 copy,
    an office's and its 科室's) is one result."""
    text = "要压实主体责任，确保各项工作落地见效。"
    items = [
        ranked("office", paragraph_doc("压实责任", text), 1.0),
        ranked("section", paragraph_doc("压实责任", text), 1.2),
        ranked("untitled", paragraph_doc("", text), 0.9),  # another heading: another text
        ranked("phrase-a", phrase_doc("压实主体责任重于泰山"), 0.4, phrase=True),
        ranked("phrase-b", phrase_doc("压实主体责任重于泰山。"), 0.3, phrase=True),
    ]
    assert [r.ref for r in arrange(items, 10)] == ["section", "untitled", "phrase-a"]


def test_expansions_are_normalized_and_never_the_term_again():
    query = parse_query("防汛")
    cleaned = clean_expansions(query, {"防汛": ["抗洪", "防汛", "防汛工作", "汛", "的", "抗洪"]})
    assert cleaned == {"防汛": ("抗洪",)}
    assert clean_expansions(query, {"其他": ["词"]}) == {}


def test_question_words_of_a_spoken_query_are_not_searched_for():
    assert parse_query("怎么吸引企业来投资").terms == parse_query("吸引企业投资").terms
    assert "怎么" not in parse_query("经济形势怎么讲").terms
    assert parse_query("怎么办").terms  # nothing else asked: the words stay
    assert "怎么" in parse_query("怎么吸引企业来投资", spoken=False).terms


def test_a_word_naming_a_part_is_found_in_a_paragraph_of_that_part():
    query = parse_query("经济形势")
    assert query.cues == {"形势": "situation"}
    doc = paragraph_doc("", "今年以来全市经济运行总体平稳，但下行压力依然较大。")
    idfs = {"经济": 1.0, "形势": 1.0}
    situation = relevance(query, doc, idfs, 30, role="situation")
    tasks = relevance(query, doc, idfs, 30, role="tasks")
    assert situation.tier == 1 and tasks.tier == 2
    assert situation.score > tasks.score


def test_alternatives_of_a_formulation_two_terms_spell_count_for_each_term():
    query = parse_query("压实 责任")
    found = clean_expansions(query, {"压实责任": ["落实主体责任"]})
    assert found == {"压实": ("落实主体责任",)}  # 责任 is in it: counting it twice is dropped
