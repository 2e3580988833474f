"""The judged 素材库 set (bench/library) itself, and the metrics bench/library_quality.py uses.

Nothing here searches: these tests hold the yardstick to its own rules (enough queries and
paragraphs, every query answerable, every judgement pointing at something that exists, labels
a drafter would agree with), so that a score on it means something.
"""

from __future__ import annotations

import math
import re

import pytest

from bench import library_set
from bench.metrics import ndcg_at_k, recall_at_k
from speechdraft.corpus.models import Role
from speechdraft.library.models import PhraseKind

QUERY_TYPES = {"单词", "短语", "提法", "口语化"}
RULE_KEYS = {"topic", "role", "facet", "mention", "meeting", "kind", "grade"}


@pytest.fixture(scope="module")
def lib():
    return library_set.library()


@pytest.fixture(scope="module")
def queries():
    return library_set.queries()


def test_it_has_enough_queries_of_every_type(queries):
    assert len(queries) >= 60
    assert len({q.id for q in queries}) == len(queries)
    assert len({q.q for q in queries}) == len(queries)
    by_type = {t: [q for q in queries if q.type == t] for t in QUERY_TYPES}
    assert {q.type for q in queries} == QUERY_TYPES
    assert all(len(qs) >= 10 for qs in by_type.values())


def test_the_library_has_two_thousand_distinct_paragraphs(lib):
    assert len(lib.paragraphs) >= 2000
    ids = [p.id for p in lib.paragraphs] + [p.id for p in lib.phrases]
    assert len(set(ids)) == len(ids)
    texts = [p.text for p in lib.paragraphs]
    assert len(set(texts)) == len(texts)
    assert {p.role for p in lib.paragraphs} <= set(Role.values)
    assert {p.kind for p in lib.phrases} <= set(PhraseKind.values)
    assert len({(p.kind, p.text) for p in lib.phrases}) == len(lib.phrases)


def test_every_sample_paragraph_is_labelled_and_only_those(lib):
    import json

    labels = json.loads((library_set.DATA / "samples.json").read_text())["labels"]
    sample_ids = {p.id for p in lib.paragraphs if p.source == "sample"}
    assert sample_ids == set(labels)


def test_generation_is_deterministic():
    first = [(p.id, p.text, p.topic, p.sub, p.role) for p in library_set.generated()]
    again = [(p.id, p.text, p.topic, p.sub, p.role) for p in library_set.generated()]
    assert first == again


def test_every_query_has_a_fully_relevant_paragraph(lib, queries):
    paragraph_ids = {p.id for p in lib.paragraphs}
    for q in queries:
        grades = library_set.judgements(q, lib)
        assert any(g == 2 and i in paragraph_ids for i, g in grades.items()), q.id


def test_every_judgement_refers_to_what_exists(lib, queries):
    topics = {p.topic for p in lib.paragraphs}
    subs = {(p.topic, p.sub) for p in lib.paragraphs}
    facets = set(library_set.material()[1])
    ids = lib.ids()
    for q in queries:
        assert set(q.items) <= ids, q.id
        assert all(g in (0, 1, 2) for g in q.items.values()), q.id
        for rule in q.rules:
            assert set(rule) <= RULE_KEYS and rule["grade"] in (1, 2), q.id
            specs = rule.get("topic", [])
            for spec in [specs] if isinstance(specs, str) else specs:
                topic, slash, sub = spec.partition("/")
                assert topic in topics, (q.id, spec)
                if slash:  # "T/S": that subtopic; "T/": the topic's paragraphs without one
                    assert (topic, sub or None) in subs, (q.id, spec)
            assert set(rule.get("role", ())) <= set(Role.values), q.id
            assert set(rule.get("kind", ())) <= set(PhraseKind.values), q.id
            for key in ("facet", "mention"):
                if key in rule:
                    assert rule[key] in facets, q.id
            if "meeting" in rule:
                assert rule["meeting"] in library_set.MEETINGS, q.id


def test_labels_in_material_and_samples_are_known(lib):
    facets = set(library_set.material()[1])
    for p in lib.paragraphs:
        assert set(p.facets) <= facets, p.id
        assert set(p.facets.values()) <= {"focus", "mention"}, p.id
        assert p.meeting in (None, *library_set.MEETINGS), p.id


def _query(queries, text):
    return next(q for q in queries if q.q == text)


def test_judgements_are_what_a_drafter_would_say(lib, queries):
    safety = library_set.judgements(_query(queries, "安全生产"), lib)
    traffic = [p for p in lib.paragraphs if p.sub == "道路交通"]
    assert traffic and all(safety.get(p.id) == 2 for p in traffic)
    # 粮食安全 in passing in an economy paragraph answers neither 安全 nor 粮食安全.
    passing = [p for p in lib.paragraphs if p.topic == "经济发展" and "粮食安全" in p.text]
    assert passing
    for text in ("安全", "粮食安全"):
        grades = library_set.judgements(_query(queries, text), lib)
        assert all(p.id not in grades for p in passing)
    # A phrase holding the very words is a distractor for a paragraph query.
    phrase = next(ph for ph in lib.phrases if ph.text == "守牢安全底线，护航高质量发展")
    assert phrase.id not in library_set.judgements(_query(queries, "守牢安全底线"), lib)
    # Other wordings of a 提法 count: 压实责任 finds paragraphs that never say it.
    duty = library_set.judgements(_query(queries, "压实责任"), lib)
    assert any("压实" not in p.text and duty.get(p.id) == 2 for p in lib.paragraphs)


def test_material_sentences_are_whole_sentences():
    topics, facets, general = library_set.material()
    for topic in (*topics, *facets.values(), general):
        for (_, block), sentences in topic.blocks.items():
            if block.startswith("heading"):
                assert all(not re.search(r"[。！？]$", s.text) for s in sentences), topic.topic
            else:
                assert all(re.search(r"[。！？]$", s.text) for s in sentences), topic.topic


def test_ndcg_on_hand_made_rankings():
    judged = {"a": 2, "b": 1}
    assert ndcg_at_k(["a", "b"], judged) == pytest.approx(1.0)
    ideal = 3 + 1 / math.log2(3)
    assert ndcg_at_k(["b", "a"], judged) == pytest.approx((1 + 3 / math.log2(3)) / ideal)
    assert ndcg_at_k(["x", "a"], judged) == pytest.approx((3 / math.log2(3)) / ideal)
    assert ndcg_at_k([], judged) == 0.0
    assert ndcg_at_k(["a"], {}) == 0.0
    # Only the top k count.
    assert ndcg_at_k(["x"] * 10 + ["a"], judged, 10) == 0.0


def test_recall_counts_fully_relevant_items_out_of_at_most_k():
    many = {f"r{i}": 2 for i in range(12)} | {"half": 1}
    assert recall_at_k(["r0", "r1", "r2", "r3", "r4", "half"], many) == pytest.approx(0.5)
    few = {"a": 2, "b": 2, "c": 1}
    assert recall_at_k(["c", "a", "x", "b"], few) == pytest.approx(1.0)
    assert recall_at_k(["c"], few) == 0.0
    assert recall_at_k(["x"] * 10 + ["a"], few) == 0.0
