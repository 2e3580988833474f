"""素材库 browsing: facet counts (with and without a query), filtering by each facet, the full
view of a paragraph with its neighbours, 收藏 and 最近使用."""

import re

import pytest
from django.http import QueryDict

from speechdraft.corpus.models import Paragraph, Skeleton, SourceDocument, Status
from speechdraft.drafts.services import draft_create, material_insert, placement_for_material
from speechdraft.library.facets import Filters, facet_counts
from speechdraft.library.listing import browse, favourites_of, recent_of
from speechdraft.library.models import Favourite, MaterialUse, Phrase
from speechdraft.library.selectors import library_search
from speechdraft.library.services import RECENT_KEPT, favourite_set, material_used, tags_set

pytestmark = pytest.mark.django_db


def _speech(title, date_text="", n=[0]):  # noqa: B006 — a counter for unique file names
    n[0] += 1
    document = SourceDocument.objects.create(file_name=f"s{n[0]}.txt", state="done")
    return Skeleton.objects.create(document=document, title=title, date_text=date_text)


def _para(skeleton, position, text, *, role="tasks", status=Status.APPROVED, used=0, heading=""):
    return Paragraph.objects.create(
        skeleton=skeleton,
        position=position,
        text=text,
        role=role,
        status=status,
        usage_count=used,
        heading=heading,
    )


@pytest.fixture
def corpus(db):
    """Two speeches (2021 动员部署会, 2023 工作会议 dated in date_text) and some phrases."""
    mobilise = _speech("在2021年全区招商引资动员部署大会上的讲话")
    meeting = _speech("在全县安全生产工作会议上的讲话", "2023年3月2日")
    rows = {
        "m1": _para(
            mobilise, 1, "当前招商引资形势严峻，营商环境亟待优化。", role="situation", used=1
        ),
        "m2": _para(mobilise, 2, "要持续优化营商环境，招大引强。", used=5),
        "m3": _para(mobilise, 3, "要转变作风，真抓实干。", role="style"),
        "m4": _para(mobilise, 4, "被弃用的一段营商环境。", status=Status.REJECTED),
        "w1": _para(meeting, 1, "安全生产形势依然复杂，营商环境也受影响。", role="situation"),
        "w2": _para(meeting, 2, "要压实安全生产责任。", used=3),
        "w3": _para(meeting, 3, "要锤炼过硬作风。", role="style", used=2),
    }
    rows["g1"] = Phrase.objects.create(
        text="营商环境就是生产力", kind="golden", status=Status.APPROVED, usage_count=4
    )
    rows["f1"] = Phrase.objects.create(
        text="真抓实干", kind="four_char", status=Status.APPROVED, usage_count=9
    )
    tags_set(rows["m2"], ["营商环境", "招商"])
    tags_set(rows["w1"], ["营商环境"])
    tags_set(rows["g1"], ["营商环境"])
    return rows


def _facets(user=None, **params):
    qd = QueryDict(mutable=True)
    for key, value in params.items():
        qd.setlist(key, value if isinstance(value, list) else [value])
    counts = facet_counts(Filters.from_query(qd), user=user)
    return {f.name: {v.value: v.count for v in f.values} for f in counts}, counts.total


def test_counts_of_all_approved_material_when_the_query_is_empty(corpus):
    facets, total = _facets()
    assert total == 8  # six approved paragraphs and two phrases; the rejected one is not counted
    assert facets["role"] == {"situation": 2, "tasks": 2, "style": 2}
    assert facets["kind"] == {"paragraph": 6, "golden": 1, "four_char": 1}
    assert facets["tag"] == {"营商环境": 3, "招商": 1}
    assert facets["year"] == {2021: 3, 2023: 3}  # 2023 read off the date, 2021 off the title
    assert facets["meeting"] == {"动员部署会": 3, "工作会议": 3}


def test_counts_follow_the_query(corpus):
    facets, total = _facets(q="营商环境")
    assert total == 4  # m1, m2, w1 and the golden phrase
    assert facets["role"] == {"situation": 2, "tasks": 1}
    assert facets["kind"] == {"paragraph": 3, "golden": 1}
    assert facets["year"] == {2021: 2, 2023: 1}
    assert facets["tag"] == {"营商环境": 3, "招商": 1}


def test_a_facet_counts_without_its_own_filter_and_with_the_others(corpus):
    facets, total = _facets(role="situation")
    assert total == 2
    assert facets["role"] == {"situation": 2, "tasks": 2, "style": 2}  # alternatives stay visible
    assert facets["year"] == {2021: 1, 2023: 1}
    assert facets["kind"]["paragraph"] == 2 and facets["kind"]["golden"] == 1
    facets, total = _facets(role=["situation", "style"], year="2023")
    assert total == 2  # (situation or style) and 2023
    assert facets["role"] == {"situation": 1, "tasks": 1, "style": 1}
    assert facets["year"] == {2021: 2, 2023: 2}


def test_unknown_facet_values_are_dropped():
    f = Filters.from_query(
        QueryDict("kind=poem&role=boss&year=12&year=abc&meeting=开会&page=x&tab=evil&year=2020")
    )
    assert (f.kinds, f.roles, f.years, f.meetings, f.page, f.tab) == ((), (), (2020,), (), 1, "")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"role": "style"}, {"m3", "w3"}),
        ({"kind": "paragraph", "tag": "营商环境"}, {"m2", "w1"}),
        ({"tag": "营商环境"}, {"m2", "w1", "g1"}),
        ({"kind": "four_char"}, {"f1"}),
        ({"year": "2023"}, {"w1", "w2", "w3"}),
        ({"meeting": "动员部署会"}, {"m1", "m2", "m3"}),
        ({"meeting": "动员部署会", "role": "tasks"}, {"m2"}),
    ],
)
def test_each_facet_filters_browsing_and_searching(corpus, params, expected):
    names = {obj.pk: name for name, obj in corpus.items() if isinstance(obj, Paragraph)}
    phrase_names = {obj.pk: name for name, obj in corpus.items() if isinstance(obj, Phrase)}

    def named(results):
        return {(names if r.is_paragraph else phrase_names)[r.obj.pk] for r in results}

    qd = QueryDict(mutable=True)
    for key, value in params.items():
        qd[key] = value
    filters = Filters.from_query(qd)
    assert named(browse(filters, user=None).results) == expected
    _, total = _facets(**params)
    assert total == len(expected)
    # The same filters narrow a search, through library_search's own parameters.
    words = ["营商环境", "作风", "安全生产", "真抓实干"]
    searched = library_search(" ".join(words), **filters.search_kwargs()).results
    assert named(searched) == {n for n in expected if any(w in corpus[n].text for w in words)}


def test_browsing_lists_the_most_used_first_and_pages(corpus):
    results = browse(Filters(), user=None, page_size=3)
    assert [r.obj.text for r in results.results] == [
        "真抓实干",
        "要持续优化营商环境，招大引强。",
        "营商环境就是生产力",
    ]
    assert results.has_more
    last = browse(Filters(page=3), user=None, page_size=3)
    assert len(last.results) == 2 and not last.has_more


def test_library_page_browses_with_facets_and_filters_by_link(alice_client, corpus):
    html = alice_client.get("/library/").content.decode()
    assert "共 8 条已审核素材" in html
    assert re.search(r"作风与要求</span><span class=\"count\">2</span>", html)
    assert "动员部署会" in html and "2021年" in html and "查看全文" in html
    html = alice_client.get("/library/", {"role": "style", "q": "作风"}).content.decode()
    assert (
        "要转变作风" in html and "要锤炼过硬作风" in html and "营商" not in html.split("listing")[1]
    )
    assert "去掉筛选：部分 作风与要求" in html
    assert 'name="role" value="style"' in html  # a new query keeps the facet
    fragment = alice_client.get(
        "/library/", {"year": "2023"}, headers={"HX-Request": "true", "HX-Target": "search-results"}
    ).content.decode()
    assert "<html" not in fragment and "共 3 条" in fragment


def test_full_view_shows_source_and_neighbours(alice_client, corpus):
    html = alice_client.get(f"/library/paragraphs/{corpus['m2'].pk}/").content.decode()
    assert "在2021年全区招商引资动员部署大会上的讲话" in html
    assert "重点任务" in html and "2021年" in html and "动员部署会" in html and "招商" in html
    current = re.search(r'<li class="neighbour current" aria-current="true">(.*?)</li>', html, re.S)
    assert "要持续优化营商环境" in current.group(1)
    assert "当前招商引资形势严峻" in html and "要转变作风" in html
    assert "被弃用的一段" not in html  # rejected neighbours are left out
    assert "在全县安全生产工作会议上的讲话" not in html  # another speech's paragraphs are not
    assert alice_client.get(f"/library/paragraphs/{corpus['m4'].pk}/").status_code == 404


def test_full_view_in_the_editor_offers_the_editors_insert(alice_client, alice, corpus):
    draft = draft_create(owner=alice, title="稿")
    html = alice_client.get(
        f"/drafts/{draft.pk}/material/{corpus['m2'].pk}/",
        headers={"HX-Request": "true", "HX-Target": "material-dialog-body"},
    ).content.decode()
    assert "<html" not in html and "要持续优化营商环境" in html
    assert f'hx-post="/drafts/{draft.pk}/material/"' in html and "插入到本稿" in html
    assert f'action="/drafts/{draft.pk}/favourite/"' in html


def test_the_editors_full_view_shows_only_approved_paragraphs_of_ones_own_draft(
    alice_client, alice, bob, corpus
):
    mine, theirs = draft_create(owner=alice, title="稿"), draft_create(owner=bob, title="他的稿")
    rejected = f"/drafts/{mine.pk}/material/{corpus['m4'].pk}/"
    assert alice_client.get(rejected, headers={"HX-Request": "true"}).status_code == 404
    other = f"/drafts/{theirs.pk}/material/{corpus['m2'].pk}/"
    assert alice_client.get(other, headers={"HX-Request": "true"}).status_code == 404


def test_the_full_page_from_the_editor_preselects_that_draft(alice_client, alice, corpus):
    draft_create(owner=alice, title="另一稿")
    draft = draft_create(owner=alice, title="本稿")
    older = draft_create(owner=alice, title="最早的稿")
    html = alice_client.get(
        f"/library/paragraphs/{corpus['m2'].pk}/", {"draft": draft.pk}
    ).content.decode()
    assert f'<option value="{draft.pk}" selected>' in html
    assert f'<option value="{older.pk}">' in html


def test_favourite_toggle_and_listing(alice_client, alice, bob, corpus):
    m2, g1 = corpus["m2"], corpus["g1"]
    response = alice_client.post(
        "/library/favourites/", {"paragraph": m2.pk, "on": "1", "next": "/library/?q=x"}
    )
    assert response.status_code == 302 and response["Location"] == "/library/?q=x"
    alice_client.post("/library/favourites/", {"paragraph": m2.pk, "on": "1"})  # twice: still one
    fragment = alice_client.post(
        "/library/favourites/", {"phrase": g1.pk, "on": "1"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert 'aria-label="取消收藏"' in fragment and "★" in fragment
    assert Favourite.objects.filter(user=alice).count() == 2
    assert [r.obj for r in favourites_of(alice).results] == [g1, m2]  # the latest first
    assert favourites_of(bob).results == []
    html = alice_client.get("/library/", {"tab": "favourites"}).content.decode()
    assert "营商环境就是生产力" in html and "要持续优化营商环境" in html
    assert 'aria-current="page">★ 收藏' in html
    # Starred in search results too.
    html = alice_client.get("/library/", {"q": "营商环境"}).content.decode()
    assert html.count('aria-label="取消收藏"') == 2
    alice_client.post("/library/favourites/", {"paragraph": m2.pk, "on": "0"})
    assert [r.obj for r in favourites_of(alice).results] == [g1]
    # An open redirect is refused; a paragraph not approved cannot be kept.
    response = alice_client.post(
        "/library/favourites/", {"phrase": g1.pk, "on": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/library/"
    assert (
        alice_client.post(
            "/library/favourites/", {"paragraph": corpus["m4"].pk, "on": "1"}
        ).status_code
        == 404
    )
    private = Phrase.objects.create(text="我的话", kind="golden", owner=bob, status=Status.APPROVED)
    assert (
        alice_client.post("/library/favourites/", {"phrase": private.pk, "on": "1"}).status_code
        == 404
    )


def test_favourites_leave_out_material_no_longer_usable(alice, corpus):
    favourite_set(user=alice, on=True, paragraph=corpus["m1"])
    Paragraph.objects.filter(pk=corpus["m1"].pk).update(status=Status.REJECTED)
    assert favourites_of(alice).results == []


def test_inserting_records_a_use(alice_client, alice, corpus):
    draft = draft_create(owner=alice, title="稿")
    # From the 素材库 page …
    alice_client.post("/drafts/insert/", {"draft": draft.pk, "paragraph": corpus["w2"].pk})
    # … from the editor's panel …
    draft.refresh_from_db()
    alice_client.post(
        f"/drafts/{draft.pk}/material/", {"version": draft.version, "phrase": corpus["g1"].pk}
    )
    # … and a phrase typed in at the cursor by the browser.
    alice_client.post(f"/drafts/{draft.pk}/phrase-used/", {"phrase": corpus["f1"].pk})
    assert MaterialUse.objects.filter(user=alice).count() == 3
    assert [r.obj for r in recent_of(alice).results] == [corpus["f1"], corpus["g1"], corpus["w2"]]
    draft.refresh_from_db()
    material_insert(
        draft,
        user=alice,
        version=draft.version,
        placement=placement_for_material(draft, None, has_heading=False, role="tasks"),
        paragraph=corpus["w2"],
    )
    assert [r.obj for r in recent_of(alice).results][:2] == [
        corpus["w2"],
        corpus["f1"],
    ]  # once each
    html = alice_client.get("/library/", {"tab": "recent"}).content.decode()
    assert html.index("要压实安全生产责任") < html.index("真抓实干")
    panel = alice_client.get(f"/drafts/{draft.pk}/library/", {"tab": "recent"}).content.decode()
    assert "要压实安全生产责任" in panel and "查看全文" in panel


def test_only_the_last_uses_are_kept(alice, corpus):
    for _ in range(RECENT_KEPT + 5):
        material_used(user=alice, phrase=corpus["g1"])
    assert MaterialUse.objects.filter(user=alice).count() == RECENT_KEPT


def test_favourite_from_the_editor_saves_typed_text_first(alice_client, alice, corpus):
    import json

    draft = draft_create(owner=alice, title="稿")
    item = draft.items.filter(numbered=True).first()
    pending = json.dumps([{"id": item.pk, "body": "刚输入的文字", "base": draft.version}])
    response = alice_client.post(
        f"/drafts/{draft.pk}/favourite/",
        {
            "paragraph": corpus["m2"].pk,
            "on": "1",
            "pending": pending,
            "current_version": draft.version,
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "X-Pending-Saved" in response
    item.refresh_from_db()
    assert item.body == "刚输入的文字"
    assert Favourite.objects.filter(user=alice, paragraph=corpus["m2"]).exists()


def test_full_view_shows_slots_as_chips_and_escapes(alice_client, corpus):
    paragraph = corpus["m3"]
    Paragraph.objects.filter(pk=paragraph.pk).update(text="{{ 地区 }}要转变作风<b>")
    html = alice_client.get(f"/library/paragraphs/{paragraph.pk}/").content.decode()
    assert '<span class="slot" title="待填写：地区">地区</span>要转变作风&lt;b&gt;' in html


def test_counting_a_query_leaves_the_planner_as_it_was(corpus):
    from django.db import connection

    facet_counts(Filters(q="营商环境"), user=None)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone()[0] == "on"
