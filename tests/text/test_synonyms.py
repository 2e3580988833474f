"""The pure half of 同义提法: the seed file's format and term expansion."""

from pathlib import Path

import pytest

from speechdraft.text.search import parse_query
from speechdraft.text.synonyms import (
    MAX_ALTERNATIVES,
    SynonymFileError,
    SynonymIndex,
    pair_count,
    parse_tsv,
)

SEED = Path(__file__).resolve().parents[2] / "speechdraft" / "library" / "data" / "synonyms.tsv"


def seed_groups():
    return parse_tsv(SEED.read_text(encoding="utf-8"))


def test_seed_file_has_at_least_200_pairs_of_formulations():
    groups = seed_groups()
    assert pair_count(g.members for g in groups) >= 200
    assert all(len(g.members) >= 2 and g.note for g in groups)


def test_parse_tsv_format_and_refusals():
    groups = parse_tsv("# 注释\n\n压实责任、落实主体责任 、 压实责任\t责任落实\n抓落实、真抓实干\n")
    assert [(g.members, g.note) for g in groups] == [
        (("压实责任", "落实主体责任"), "责任落实"),
        (("抓落实", "真抓实干"), ""),
    ]
    with pytest.raises(SynonymFileError, match="第 1 行"):
        parse_tsv("压实责任\t只有一个\n")
    with pytest.raises(SynonymFileError, match="至少两个字"):
        parse_tsv("压实责任、责\n")
    with pytest.raises(SynonymFileError, match="第 2 行"):
        parse_tsv("抓落实、真抓实干\n抓落实、狠抓落实\n")


def test_pair_count_counts_distinct_pairs():
    assert pair_count([["甲甲", "乙乙", "丙丙"], ["乙乙", "甲甲"]]) == 3


def test_a_term_that_is_a_formulation_gets_the_others():
    index = SynonymIndex([["抓落实", "真抓实干", "狠抓落实"], ["守牢底线", "守住底线", "筑牢防线"]])
    assert index.expand(["守住底线"]) == {"守住底线": ["守牢底线", "筑牢防线"]}
    # 狠抓落实 contains 抓落实: a literal search for 抓落实 finds it already.
    assert index.expand(["抓落实"]) == {"抓落实": ["真抓实干"]}
    assert index.expand("抓落实") == {"抓落实": ["真抓实干"]}  # a bare string is one term
    assert index.expand(["无关词语"]) == {}


def test_formulations_spelled_by_the_query_terms_are_expanded():
    index = SynonymIndex([["压实责任", "落实主体责任", "压紧压实责任"], ["党的建设", "党建工作"]])
    terms = parse_query("压实责任").terms
    assert set(terms) == {"压实", "责任"}  # jieba cuts the formulation in two
    assert index.expand(terms) == {"压实责任": ["落实主体责任"]}
    # in another order, beside other words, or with a stop word in the formulation
    assert "压实责任" in index.expand(["安全生产", "责任", "压实"])
    assert "党的建设" in index.expand(["党", "建设"])
    # terms that only share characters with a formulation spell nothing
    assert index.expand(["压实", "任务"]) == {}


def test_alternatives_are_normalized_and_bounded():
    index = SynonymIndex([["營商環境", "发展环境"], [f"提法{i:02d}" for i in range(20)]])
    assert index.expand(["营商环境"]) == {"营商环境": ["发展环境"]}
    assert len(index.expand(["提法00"])["提法00"]) == MAX_ALTERNATIVES


def test_seed_expands_the_issue_examples():
    index = SynonymIndex(g.members for g in seed_groups())
    assert "落实主体责任" in index.expand(parse_query("压实责任").terms)["压实责任"]
    assert "真抓实干" in index.expand(["抓落实"])["抓落实"]
    for word in ("落实", "部署", "推进", "加强", "隐患", "整改"):
        assert index.expand([word]).get(word), word


def test_each_term_spells_one_formulation_and_is_not_expanded_alone():
    index = SynonymIndex(
        [
            ["优化营商环境", "打造一流营商环境"],
            ["营商环境", "发展环境"],
            ["抓落实", "真抓实干"],
            ["落实", "贯彻"],
        ]
    )
    # 持续优化营商环境 推动高质量发展: 发展 + 环境 spell 发展环境, but 环境 went to the longer one
    terms = parse_query("持续优化营商环境 推动高质量发展").terms
    assert set(index.expand(terms)) == {"优化营商环境", "营商环境"}
    # 抓落实 is 抓 + 落实: 落实's own alternatives would find other things
    assert index.expand(["落实", "抓"]) == {"抓落实": ["真抓实干"]}
    assert index.expand(["落实"]) == {"落实": ["贯彻"]}
