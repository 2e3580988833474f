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
    response = alice_client.post("/library/insert/", {"draft": mine.pk, "paragraph": paragraph.pk})
    assert response.headers["Location"] == f"/drafts/{mine.pk}/"
    assert mine.items.filter(source_paragraph=paragraph).exists()
    # The material goes before the closing paragraph.
    last = mine.items.filter(parent=None).order_by("-position").first()
    assert last.source_paragraph_id != paragraph.pk
    assert (
        alice_client.post(
            "/library/insert/", {"draft": theirs.pk, "paragraph": paragraph.pk}
        ).status_code
        == 404
    )


def test_a_phrase_shown_as_its_paragraph_is_tagged_and_near_matches_marked(
    alice_client, make_paragraph, make_phrase, monkeypatch
):
    from speechdraft.library import synonyms

    text = "同志们：今天我们召开全市防汛工作会议，主要任务是部署今年防汛工作。"
    make_paragraph(text, role="opening")
    make_phrase(text.rstrip("。"), kind="opening")
    make_paragraph("抗洪抢险队伍要集结到位，确保关键时刻拉得出、顶得上。")
    monkeypatch.setattr(synonyms, "expand", lambda terms: {"防汛": ["抗洪"]})
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
