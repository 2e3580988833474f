"""Relevance ranking of library search: what a drafter finds first (issue 15)."""

import pytest

from speechdraft.corpus.models import Status
from speechdraft.library import synonyms
from speechdraft.library.selectors import library_search
from speechdraft.library.services import synonyms_seed
from speechdraft.text.search import parse_query, rank_key

pytestmark = pytest.mark.django_db


def texts(response):
    return [r.obj.text for r in response.results]


@pytest.fixture
def safety_library(make_paragraph, make_phrase):
    """Material a 安全生产 speech looks for, among material that only mentions the words."""
    lib = {
        "chemicals": make_paragraph(
            "危险化学品安全生产是安全生产工作的重中之重。要全面排查危险化学品生产、储存、"
            "运输各环节的安全隐患，落实企业安全生产主体责任，坚决遏制重特大事故发生。",
            heading="抓牢危险化学品安全生产",
            keywords=["危险化学品", "安全生产", "安全隐患", "主体责任"],
        ),
        "roads": make_paragraph(
            "道路交通安全生产事关群众生命财产安全。要深化重点车辆、重点路段隐患整治，"
            "严查超速超载、疲劳驾驶等违法行为，守住道路交通安全生产底线。",
            heading="严抓道路交通安全生产",
            keywords=["道路交通", "安全生产", "隐患整治", "重点车辆"],
        ),
        # 发改: 粮食安全 once, 生产 elsewhere; about something else entirely.
        "planning": make_paragraph(
            "发展改革部门要统筹谋划重大项目，稳定工业生产，保障能源供应和粮食安全，"
            "推动全市经济运行持续回升向好。",
            keywords=["重大项目", "经济运行", "能源供应"],
        ),
        "stability": make_phrase("安全稳定", kind="four_char"),
        "enterprise": make_phrase("企业生产", kind="four_char"),
        "services": make_phrase("生产服务", kind="four_char"),
    }
    make_paragraph("与查询无关的一段文字，讲的是文化旅游。")
    return {name: obj.text for name, obj in lib.items()}


def test_safety_paragraphs_come_before_words_that_only_share_a_character(safety_library):
    lib = safety_library
    found = texts(library_search("安全生产"))
    assert set(found[:2]) == {lib["chemicals"], lib["roads"]}
    for other in ("stability", "planning", "enterprise", "services"):
        assert found.index(lib[other]) > 1, other


def test_one_word_query_finds_the_paragraph_about_it_first(safety_library):
    lib = safety_library
    found = texts(library_search("安全"))
    assert set(found[:2]) == {lib["chemicals"], lib["roads"]}
    assert found.index(lib["stability"]) > 1 and found.index(lib["planning"]) > 1


def test_legacy_ranking_keeps_todays_order(safety_library):
    """The order the issue complains about, still there for side-by-side measurement."""
    lib = safety_library
    response = library_search("安全", ranking="legacy")
    assert texts(response)[:2] == [lib["stability"], lib["planning"]]
    query = parse_query("安全")
    for r in response.results:
        text = f"{r.obj.heading} {r.obj.text}" if r.is_paragraph else r.obj.text
        expected = rank_key(query, text)
        assert r.key == expected
    assert [r.key for r in response.results] == sorted(r.key for r in response.results)


def test_the_query_as_written_beats_its_words_scattered(make_paragraph):
    scattered = make_paragraph("安全检查要到位，各项生产任务要按期完成，措施要有力有效。")
    exact = make_paragraph("要抓好安全生产，各项工作任务要按期完成，措施要有力有效。")
    response = library_search("安全生产")
    assert texts(response) == [exact.text, scattered.text]
    assert [r.tier for r in response.results] == [0, 1]


def test_a_match_in_the_heading_beats_one_in_the_body(make_paragraph):
    body = make_paragraph(
        "各地各部门要把责任扛在肩上，层层传导压力。要落实安全生产责任，确保环环有人管。"
    )
    heading = make_paragraph(
        "各地各部门要把责任扛在肩上，层层传导压力。要健全责任链条，确保环环有人管。",
        heading="压紧压实安全生产责任",
    )
    assert texts(library_search("安全生产")) == [heading.text, body.text]


def test_a_paragraph_about_the_query_beats_one_mentioning_it(make_paragraph):
    mention = make_paragraph(
        "今年以来，全市经济运行总体平稳。我们稳住了工业投资，守住了粮食安全，推动了民生改善。"
    )
    about = make_paragraph(
        "粮食安全是“国之大者”，必须扛稳扛牢。要落实耕地保护制度，稳定播种面积，"
        "提高单产水平，确保粮食生产稳中有增。",
        keywords=["粮食安全", "耕地保护", "播种面积"],
    )
    assert texts(library_search("粮食安全")) == [about.text, mention.text]


def test_a_phrase_never_outranks_a_paragraph_containing_it(make_paragraph, make_phrase):
    long = make_paragraph(
        "今年是全面完成规划目标的关键之年。各级各部门要对照年度任务清单，逐项细化措施，"
        "逐级压实主体责任，确保各项工作落地见效，以实际行动推动全市高质量发展迈上新台阶。"
    )
    short = make_paragraph("压实主体责任。")
    phrase = make_phrase("逐级压实主体责任", kind="golden")
    results = library_search("主体责任").results
    found = [r.obj.text for r in results]
    assert found.index(long.text) < found.index(phrase.text)
    # On its own score the phrase would be above the long paragraph: it was held below it.
    by_text = {r.obj.text: r for r in results}
    assert by_text[phrase.text].score > by_text[long.text].score
    assert short.text in found
    # The old tiers put the short phrase first.
    assert texts(library_search("主体责任", ranking="legacy"))[0] == short.text


def test_a_phrase_that_is_a_whole_paragraph_is_shown_once_as_the_paragraph(
    make_paragraph, make_phrase
):
    paragraph = make_paragraph(
        "同志们：今天我们召开全市安全生产工作会议，主要任务是总结工作、分析形势、部署任务。",
        role="opening",
    )
    make_phrase(
        "同志们：今天我们召开全市安全生产工作会议，主要任务是总结工作、分析形势、部署任务",
        kind="opening",
    )
    closing = "同志们，让我们以更加饱满的热情，为全市安全生产形势持续稳定作出新的更大贡献！"
    make_paragraph(closing, role="closing")
    make_phrase(closing, kind="closing")
    response = library_search("安全生产")
    assert [r.kind for r in response.results] == ["paragraph", "paragraph"]
    opening = next(r for r in response.results if r.obj.pk == paragraph.pk)
    assert opening.also_kinds == ["opening"] and opening.label == "段落 · 开头语"
    # Asked for phrases only, the phrase is there.
    assert [r.kind for r in library_search("安全生产", kinds=["opening"]).results] == ["opening"]


def test_the_part_being_written_comes_first_among_similar_results(make_paragraph):
    tasks = make_paragraph(
        "各地要结合实际抓好落实。要把安全生产摆在突出位置，一刻也不能放松。", role="tasks"
    )
    closing = make_paragraph(
        "各地要结合实际抓好落实。要把安全生产摆在更加突出的位置，一刻也不能放松。",
        role="closing",
    )
    # Far more relevant, of another part: the boost does not lift the closing one above it.
    best = make_paragraph(
        "安全生产责任重于泰山。要健全安全生产责任体系，把安全生产责任落实到每个岗位。",
        heading="压实安全生产责任",
        keywords=["安全生产", "责任体系"],
        role="style",
    )
    assert texts(library_search("安全生产")) == [best.text, tasks.text, closing.text]
    preferred = library_search("安全生产", prefer_role="closing")
    assert texts(preferred) == [best.text, closing.text, tasks.text]
    # A boost, not a filter: the other parts' material is still there.
    assert len(preferred.results) == 3


def test_empty_query_with_a_part_suggests_its_best_material(make_paragraph):
    make_paragraph("同志们：今天召开全市工作会议。", role="opening")
    favourite = make_paragraph(
        "同志们：今天我们召开全市经济工作会议，主要任务是总结今年工作、分析当前形势、"
        "部署明年任务。刚才，几位同志作了很好的发言，讲得都很实在，我都同意。",
        role="opening",
        keywords=["经济工作会议"],
        used=5,
    )
    make_paragraph("未审核的开场。", role="opening", status=Status.CANDIDATE, used=9)
    make_paragraph("同志们，让我们撸起袖子加油干！", role="closing", used=20)
    response = library_search("", prefer_role="opening")
    assert response.suggested and not response.message
    assert texts(response)[0] == favourite.text
    assert {r.obj.role for r in response.results} == {"opening"}
    assert all(r.obj.status == Status.APPROVED for r in response.results)
    assert library_search("", prefer_role="situation").message
    assert not library_search("").suggested


def test_expansions_are_found_marked_and_ranked_below_the_word_itself(make_paragraph, monkeypatch):
    literal = make_paragraph("汛期将至，要提前做好防汛各项准备。")
    near = make_paragraph(
        "抗洪抢险队伍要集结到位，抗洪物资要储备充足，确保抗洪关键时刻拉得出、顶得上。",
        heading="做好抗洪准备",
    )
    asked = []

    def expand(terms, **_):
        asked.append(list(terms))
        return {"防汛": ["抗洪", "防汛"]}

    monkeypatch.setattr(synonyms, "expand", expand)
    assert texts(library_search("防汛")) == [literal.text]
    assert not asked  # expansion is asked for, never done unasked
    response = library_search("防汛", expand=True)
    assert asked == [["防汛"]]
    assert texts(response) == [literal.text, near.text]
    assert [r.near for r in response.results] == [False, True]
    assert ("抗洪", True) in response.results[1].parts


def test_the_same_search_gives_the_same_order_twice(safety_library):
    first = [r.obj.pk for r in library_search("安全生产 隐患").results]
    assert first == [r.obj.pk for r in library_search("安全生产 隐患").results]


def test_unknown_ranking_is_refused():
    with pytest.raises(ValueError):
        library_search("安全", ranking="best")


def test_a_spoken_query_finds_the_paragraph_in_the_speeches_words(make_paragraph):
    from speechdraft.library.services import SPOKEN_SYNONYMS_FILE

    synonyms_seed(path=SPOKEN_SYNONYMS_FILE)
    petition = make_paragraph("要畅通信访渠道，及时就地解决群众合理诉求，把矛盾化解在基层。")
    make_paragraph("要严格落实河长制，对发现的问题严肃处理。")
    results = library_search("上访怎么处理", expand=True).results
    assert results[0].obj == petition and results[0].near


def test_asking_for_the_situation_finds_situation_paragraphs(make_paragraph):
    situation = make_paragraph(
        "今年以来，全市经济运行总体平稳，但下行压力依然较大。", role="situation"
    )
    make_paragraph("今天召开全市经济工作会议，分析经济形势，部署今年工作。", role="opening")
    make_paragraph("要抓项目稳投资，推动经济持续回升。", role="tasks")
    results = library_search("经济形势怎么讲", kinds=["paragraph"]).results
    assert situation in [r.obj for r in results[:2]]
