import pytest

from speechdraft.library.models import Phrase

pytestmark = pytest.mark.django_db


def test_search_page_lists_matches_with_escaped_highlights(alice_client, make_paragraph):
    make_paragraph("<script>alert('x')</script> 优化营商环境")
    response = alice_client.get("/library/", {"q": "营商环境"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>营商环境</mark>" in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert "复制" in html and "插入到讲话稿" in html


def test_htmx_request_gets_only_the_results_fragment(alice_client, make_paragraph):
    make_paragraph("优化营商环境。")
    response = alice_client.get(
        "/library/", {"q": "营商"}, headers={"HX-Request": "true", "HX-Target": "search-results"}
    )
    html = response.content.decode()
    assert "<mark>营商</mark>" in html
    assert "<html" not in html and "我的短语" not in html


def test_empty_and_odd_queries_never_error(alice_client):
    for q in ["", "😀", "'\"<>", "营" * 2000, "x" * 3000]:
        response = alice_client.get("/library/", {"q": q})
        assert response.status_code == 200


def test_private_phrase_save_and_delete(alice_client, alice, bob):
    response = alice_client.post("/library/phrases/", {"text": "撸起袖子加油干", "kind": "golden"})
    assert response.status_code == 302
    phrase = Phrase.objects.get(owner=alice)
    page = alice_client.get("/library/").content.decode()
    assert "撸起袖子加油干" in page
    assert alice_client.get("/library/", {"q": "加油干"}).content.decode().count("撸起袖子") >= 1

    alice_client.force_login(bob)
    assert alice_client.post(f"/library/phrases/{phrase.pk}/delete/").status_code == 404
    assert "没有找到相关素材" in alice_client.get("/library/", {"q": "撸起袖子"}).content.decode()
    alice_client.force_login(alice)
    assert alice_client.post(f"/library/phrases/{phrase.pk}/delete/").status_code == 302
    assert not Phrase.objects.filter(pk=phrase.pk).exists()


def test_private_phrase_with_bad_slot_is_refused(alice_client, alice):
    response = alice_client.post(
        "/library/phrases/", {"text": "{{ 书记 }}同志讲话", "kind": "golden"}, follow=True
    )
    assert "未保存：未知的填空变量：{{ 书记 }}" in response.content.decode()
    assert not Phrase.objects.filter(owner=alice).exists()


def test_library_requires_login_and_post_for_writes(alice_client):
    from django.test import Client

    assert Client().get("/library/").status_code == 302
    assert alice_client.get("/library/phrases/").status_code == 405


def test_slots_show_as_chips_and_stay_escaped(alice_client, make_paragraph):
    make_paragraph("{{ 地区 }}要优化营商环境<b>")
    html = alice_client.get("/library/", {"q": "营商环境"}).content.decode()
    assert '<span class="slot" title="待填写：地区">地区</span>' in html
    assert "&lt;b&gt;" in html and "<b>" not in html


def test_insert_into_draft_from_the_library_page(alice_client, alice, bob, make_paragraph):
    from speechdraft.drafts.services import draft_create

    paragraph = make_paragraph("持续优化营商环境。")
    mine = draft_create(owner=alice, title="我的稿子")
    theirs = draft_create(owner=bob, title="别人的稿子")
    page = alice_client.get("/library/", {"q": "营商环境"}).content.decode()
    assert "我的稿子" in page and "别人的稿子" not in page
    response = alice_client.post("/drafts/insert/", {"draft": mine.pk, "paragraph": paragraph.pk})
    assert response.headers["Location"] == f"/drafts/{mine.pk}/"
    assert mine.items.filter(source_paragraph=paragraph).exists()
    # The material goes before the closing paragraph.
    last = mine.items.filter(parent=None).order_by("-position").first()
    assert last.source_paragraph_id != paragraph.pk
    assert (
        alice_client.post(
            "/drafts/insert/", {"draft": theirs.pk, "paragraph": paragraph.pk}
        ).status_code
        == 404
    )


def test_a_headed_paragraph_from_the_library_page_becomes_the_next_point_of_its_part(
    alice_client, alice, make_paragraph
):
    """Inserted from the 素材库 page (no cursor in the draft), a paragraph keeps its heading and
    numbering: a 任务 point goes under the middle part of three as its next （N）, a 作风 point
    under the last, a 形势 one under the first; an opening paragraph ends the opening and a
    closing one ends the speech."""
    from speechdraft.drafts.selectors import draft_document
    from speechdraft.drafts.services import draft_create

    draft = draft_create(owner=alice, title="在全县安全生产工作会议上的讲话")
    parts = list(draft.items.filter(parent=None, numbered=True).order_by("position"))
    assert len(parts) == 3
    cases = [
        (make_paragraph("要把责任落实到人。", heading="压实安全责任", role="tasks"), parts[1]),
        (make_paragraph("要敢于动真碰硬。", heading="转变工作作风", role="style"), parts[2]),
        (make_paragraph("形势依然复杂严峻。", heading="认清严峻形势", role="situation"), parts[0]),
        (make_paragraph("要排查整治重大隐患。", heading="排查重大隐患", role="tasks"), parts[1]),
    ]
    for paragraph, _ in cases:
        alice_client.post("/drafts/insert/", {"draft": draft.pk, "paragraph": paragraph.pk})
    doc = draft_document(draft, fresh=True)
    numbers = {}
    for paragraph, part in cases:
        item = draft.items.get(source_paragraph=paragraph)
        assert item.numbered and item.parent_id == part.pk
        assert item.heading == paragraph.heading
        numbers[paragraph.heading] = doc.find(item.pk).block.number
    assert numbers == {
        "压实安全责任": "（一）",
        "排查重大隐患": "（二）",
        "转变工作作风": "（一）",
        "认清严峻形势": "（一）",
    }

    opening = make_paragraph("今天，我们召开全县安全生产工作会议。", role="opening")
    closing = make_paragraph("同志们，让我们齐心协力，确保全县安全形势持续稳定！", role="closing")
    for paragraph in (opening, closing):
        alice_client.post("/drafts/insert/", {"draft": draft.pk, "paragraph": paragraph.pk})
    top = list(draft.items.filter(parent=None).order_by("position"))
    first_part = next(i for i, item in enumerate(top) if item.numbered)
    assert top[first_part - 1].source_paragraph_id == opening.pk
    assert top[-1].source_paragraph_id == closing.pk


def test_the_insert_chooser_lists_every_draft_with_its_full_title_and_date(
    alice_client, alice, make_paragraph
):
    import datetime

    from speechdraft.drafts.services import draft_create

    make_paragraph("持续优化营商环境。")
    title = "在全市优化营商环境暨作风建设大会上的讲话（第{n}稿）"
    for n in range(1, 26):
        draft_create(owner=alice, title=title.format(n=n))
    dated = draft_create(owner=alice, title="在全县经济工作会议上的讲话")
    dated.date = datetime.date(2026, 12, 8)
    dated.save()
    page = alice_client.get("/library/", {"q": "营商环境"}).content.decode()
    for n in (1, 18, 19, 25):  # 25 drafts: none left out, none cut short
        assert title.format(n=n) in page
    assert "在全县经济工作会议上的讲话 · 2026年12月8日" in page
    assert "{#" not in page and "comment" not in page
    assert 'form="insert-form"' in page  # every result's button uses the one chooser


def test_a_phrase_shown_as_its_paragraph_is_tagged_and_near_matches_marked(
    alice_client, make_paragraph, make_phrase, monkeypatch
):
    from speechdraft.library import synonyms

    text = "同志们：今天我们召开全市防汛工作会议，主要任务是部署今年防汛工作。"
    make_paragraph(text, role="opening")
    make_phrase(text.rstrip("。"), kind="opening")
    make_paragraph("抗洪抢险队伍要集结到位，确保关键时刻拉得出、顶得上。")
    monkeypatch.setattr(synonyms, "expand", lambda terms, **_: {"防汛": ["抗洪"]})
    html = alice_client.get("/library/", {"q": "防汛"}).content.decode()
    assert html.count('<li class="result">') == 2  # the merged paragraph, the near one
    assert "段落 · 开头语" in html
    assert html.count(">近义</span>") == 1


def _blank_draft(alice):
    from speechdraft.drafts.services import draft_create

    draft = draft_create(owner=alice, title="在全市工作会议上的讲话")
    roots = list(draft.items.filter(parent=None).order_by("position"))
    return draft, roots


def test_the_part_of_an_item_follows_its_place_in_the_speech(alice):
    from speechdraft.drafts.models import DraftItem
    from speechdraft.drafts.selectors import anchor_role

    draft, roots = _blank_draft(alice)
    roles = [anchor_role(draft, item.pk) for item in roots]
    assert roles == ["opening", "situation", "tasks", "style", "closing"]
    point = DraftItem.objects.create(
        draft=draft, parent=roots[2], position=0, level=2, numbered=True, heading="抓项目"
    )
    assert anchor_role(draft, str(point.pk)) == "tasks"
    assert anchor_role(draft, "") == anchor_role(draft, "x") == anchor_role(draft, 0) == ""


def test_editor_panel_suggests_material_for_the_part_being_written(
    alice_client, alice, bob, make_paragraph
):
    draft, roots = _blank_draft(alice)
    closing = make_paragraph(
        "同志们，让我们撸起袖子加油干，为全市发展作出新的更大贡献！", role="closing"
    )
    tasks = make_paragraph("要抓项目、促投资，全力以赴稳增长。", role="tasks")
    panel = f"/drafts/{draft.pk}/library/"
    html = alice_client.get(panel, {"q": "", "anchor": roots[-1].pk}).content.decode()
    assert ">建议素材</h3>" in html and closing.text in html and tasks.text not in html
    html = alice_client.get(panel, {"q": "", "anchor": roots[2].pk}).content.decode()
    assert ">建议素材</h3>" in html and tasks.text in html and closing.text not in html
    html = alice_client.get(panel, {"q": ""}).content.decode()
    assert '<h3 class="results-head">' not in html and "输入词语" in html
    # Another user's item gives them nothing: the draft is not theirs.
    alice_client.force_login(bob)
    assert alice_client.get(panel, {"anchor": roots[-1].pk}).status_code == 404


def test_editor_panel_ranks_the_parts_material_first(alice_client, alice, make_paragraph):
    draft, roots = _blank_draft(alice)
    tasks = make_paragraph("各地要结合实际抓好落实。要把项目建设摆在突出位置。", role="tasks")
    style = make_paragraph("各地要结合实际抓好落实。要把项目建设摆在更加突出的位置。", role="style")
    panel = f"/drafts/{draft.pk}/library/"
    html = alice_client.get(panel, {"q": "项目建设"}).content.decode()
    assert html.index(tasks.text[-6:]) < html.index(style.text[-6:])
    html = alice_client.get(panel, {"q": "项目建设", "anchor": roots[3].pk}).content.decode()
    assert html.index(style.text[-6:]) < html.index(tasks.text[-6:])
