import pytest

from speechdraft.corpus.models import Status
from speechdraft.library.selectors import library_search

pytestmark = pytest.mark.django_db


def texts(response):
    return [r.obj.text for r in response.results]


def test_exact_phrase_first_then_all_terms_then_partial(make_paragraph):
    partial = make_paragraph("持续优化环境，改善民生。")
    all_terms = make_paragraph("营造一流环境，让营商主体安心发展。")
    exact = make_paragraph("持续优化营商环境，打造服务高地，推动各项工作落地见效。")
    make_paragraph("与查询无关的一段文字。")
    response = library_search("营商环境")
    assert texts(response) == [exact.text, all_terms.text, partial.text]
    assert [r.tier for r in response.results] == [0, 1, 2]


def test_substring_recall_survives_segmentation(make_paragraph):
    # jieba cuts this as 绿色/低/碳循环: the word 低碳 is not among its tokens.
    p = make_paragraph("坚定不移推进绿色低碳循环发展。")
    assert texts(library_search("低碳")) == [p.text]
    assert texts(library_search("绿色低碳")) == [p.text]


def test_only_approved_material_by_default(make_paragraph, make_phrase):
    make_paragraph("优化营商环境的候选段落。", status=Status.CANDIDATE)
    make_phrase("营商环境只有更好没有最好", status=Status.REJECTED)
    approved = make_phrase("营商环境就是生产力")
    assert texts(library_search("营商环境")) == [approved.text]
    everything = library_search("营商环境", statuses=Status.values)
    assert len(everything.results) == 3


def test_filters_by_kind_and_role(make_paragraph, make_phrase):
    tasks = make_paragraph("抓项目促发展。", role="tasks")
    make_paragraph("抓作风促发展。", role="style")
    slogan = make_phrase("项目为王", kind="slogan")
    make_phrase("项目建设", kind="four_char")
    assert texts(library_search("项目", kinds=["slogan"])) == [slogan.text]
    assert texts(library_search("促发展", roles=["tasks"])) == [tasks.text]
    assert {r.kind for r in library_search("项目", kinds=["paragraph"]).results} == {"paragraph"}


def test_private_phrases_are_seen_by_their_owner_only(alice, bob, make_phrase):
    mine = make_phrase("奋进新征程 建功新时代", owner=alice, status=Status.CANDIDATE)
    assert texts(library_search("奋进", user=alice)) == [mine.text]
    assert texts(library_search("奋进", user=bob)) == []
    assert texts(library_search("奋进")) == []


def test_results_show_source_and_highlight(make_paragraph):
    make_paragraph("要优化营商环境，提升服务效能。")
    result = library_search("营商环境").results[0]
    assert result.source.startswith("《在全市干部大会上的讲话》")
    assert ("营商环境", True) in result.parts
    assert "".join(t for t, _ in result.parts) == result.obj.text


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "😀🎉",
        "'; DROP TABLE corpus_paragraph; --",
        "<script>alert(1)</script>",
        "%_\\",
        "营商" * 1000,
    ],
)
def test_odd_queries_give_results_or_a_message(make_paragraph, query):
    make_paragraph("优化营商环境。")
    response = library_search(query)
    assert response.results or response.message


def test_long_query_is_cut_with_a_note(make_paragraph):
    make_paragraph("优化营商环境。")
    response = library_search("营商环境" * 500)
    assert "查询过长" in response.message


def test_metacharacters_are_literal(make_paragraph):
    make_paragraph("完成率100%以上。")
    assert library_search("100%").results
    assert not library_search("'|&!").results


def test_sample_corpus_queries(sample_library):
    for query in ["营商环境", "一抓到底", "作风建设", "项目"]:
        response = library_search(query)
        assert response.results, query
        assert response.results[0].tier <= 1, query
    # Traditional input finds simplified material.
    assert library_search("營商環境").results
