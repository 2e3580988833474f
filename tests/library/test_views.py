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
