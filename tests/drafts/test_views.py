import pytest

from speechdraft.corpus.models import Paragraph, Skeleton
from speechdraft.drafts.models import Draft, DraftItem

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true", "HX-Target": "document"}


def url(draft, suffix=""):
    return f"/drafts/{draft.pk}/{suffix}"


def test_list_shows_only_my_drafts(alice_client, draft, bob):
    from speechdraft.drafts.services import draft_create

    draft_create(owner=bob, title="鲍勃的讲话")
    html = alice_client.get("/").content.decode()
    assert draft.title in html and "鲍勃的讲话" not in html
    assert "新建讲话稿" in html


def test_create_from_skeleton_and_blank(alice_client, sample_library):
    skeleton = Skeleton.objects.get(title="在2020年全市干部大会上的讲话")
    page = alice_client.get("/drafts/new/").content.decode()
    assert "空白模板" in page and "第二，千帆竞逐抓发展" in page
    response = alice_client.post(
        "/drafts/new/", {"title": "新讲话", "region": "江城", "skeleton": skeleton.pk}
    )
    draft = Draft.objects.get(title="新讲话")
    assert response.headers["Location"] == f"/drafts/{draft.pk}/"
    html = alice_client.get(url(draft)).content.decode()
    assert "第一，" in html and "上下同心抓发展" in html and "江城" in html
    assert draft.numbering["1"]["style"] == "第一，"
    first = draft.items.filter(parent=None).order_by("position").first()
    assert first.body == "同志们："
    response = alice_client.post("/drafts/new/", {"title": "空白", "skeleton": ""})
    blank = Draft.objects.get(title="空白")
    assert blank.items.filter(numbered=True).count() == 3


def test_create_refuses_missing_title_and_bad_skeleton(alice_client):
    response = alice_client.post("/drafts/new/", {"title": "", "skeleton": ""})
    assert response.status_code == 422 and "请检查标记的项目" in response.content.decode()
    response = alice_client.post("/drafts/new/", {"title": "x", "skeleton": "99999"})
    assert "所选骨架不存在" in response.content.decode()
    assert not Draft.objects.exists()


def test_other_users_get_404_everywhere(client, bob, draft):
    client.force_login(bob)
    item = draft.items.first()
    gets = [
        "",
        "preview/",
        "history/",
        "history/1/",
        "library/?q=x",
        f"items/{item.pk}/edit/",
        f"items/{item.pk}/",
    ]
    for suffix in gets:
        assert client.get(url(draft, suffix)).status_code == 404, suffix
    posts = [
        "delete/",
        "details/",
        "numbering/",
        "undo/",
        "history/1/restore/",
        "material/",
        "items/",
        f"items/{item.pk}/edit/",
        f"items/{item.pk}/delete/",
        f"items/{item.pk}/up/",
        f"items/{item.pk}/move/",
        "phrase-used/",
    ]
    for suffix in posts:
        assert client.post(url(draft, suffix), {"version": draft.version}).status_code == 404, (
            suffix
        )
    assert Draft.objects.filter(pk=draft.pk).exists()


def test_wrong_methods_are_refused(alice_client, draft):
    item = draft.items.first()
    assert alice_client.get(url(draft, "undo/")).status_code == 405
    assert alice_client.get(url(draft, f"items/{item.pk}/delete/")).status_code == 405
    assert alice_client.post(url(draft, "preview/")).status_code == 405


def test_add_part_fragment_renumbers_and_updates_count(alice_client, draft):
    response = alice_client.post(
        url(draft, "items/"), {"kind": "part", "current_version": draft.version}, headers=HX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "四、" in html and "我讲<span" in html and ">四</span>点意见" in html
    assert 'id="draft-version"' in html and f'value="{draft.version + 1}"' in html
    new = draft.items.filter(numbered=True).order_by("-position").first()
    assert new.heading == "" and new.body == ""  # nothing to clear away before typing
    # The cursor goes into the new part's heading, on the page itself.
    assert f'data-focus="{new.pk}" data-focus-field="heading"' in html
    assert 'data-field="heading" data-ph="输入部分标题"></span>' in html
    assert "<html" not in html


def test_adding_a_paragraph_without_javascript_opens_its_form(alice_client, draft):
    response = alice_client.post(
        url(draft, "items/"), {"kind": "paragraph", "version": draft.version}
    )
    new = draft.items.order_by("-pk").first()
    assert response.status_code == 302
    assert response.headers["Location"] == f"{url(draft)}?edit={new.pk}#item-{new.pk}"
    page = alice_client.get(response.headers["Location"]).content.decode()
    assert 'class="item-edit"' in page


def test_edit_in_place_and_stale_edit_keeps_text(alice_client, draft):
    item = draft.items.filter(numbered=True).first()
    form = alice_client.get(url(draft, f"items/{item.pk}/edit/"), headers=HX).content.decode()
    assert 'name="heading"' in form and item.heading in form
    ok = alice_client.post(
        url(draft, f"items/{item.pk}/edit/"),
        {"heading": "新标题", "body": "正文", "current_version": draft.version},
        headers=HX,
    )
    assert ok.status_code == 200 and "新标题" in ok.content.decode()
    stale = alice_client.post(
        url(draft, f"items/{item.pk}/edit/"),
        {"heading": "我的修改", "body": "我辛苦写的正文", "current_version": draft.version},
        headers=HX,
    )
    html = stale.content.decode()
    assert stale.status_code == 409
    assert (
        "此稿已在其他窗口修改" in html and "我辛苦写的正文" in html and "仍然保存我的修改" in html
    )
    item.refresh_from_db()
    assert item.heading == "新标题"
    draft.refresh_from_db()
    forced = alice_client.post(
        url(draft, f"items/{item.pk}/edit/"),
        {
            "heading": "我的修改",
            "body": "我辛苦写的正文",
            "current_version": 1,
            "force_version": draft.version,
        },
        headers=HX,
    )
    assert forced.status_code == 200
    item.refresh_from_db()
    assert item.body == "我辛苦写的正文"


def test_a_save_answers_with_its_own_version_when_another_window_saved_right_after(
    alice_client, alice, draft, monkeypatch
):
    """Another window's save can land between this save's commit and its answer: the answer
    must name the version this save made, else the page thinks it has seen the other change
    and two saves report one version."""
    from speechdraft.drafts import services

    mine, other = draft.items.filter(numbered=True)[:2]
    real_update = services.draft_item_update

    def update_then_other_window_saves(*args, **kwargs):
        item = real_update(*args, **kwargs)
        later = Draft.objects.get(pk=draft.pk)
        real_update(
            later, user=alice, version=later.version, item_id=other.pk, heading="", body="另一窗口"
        )
        return item

    monkeypatch.setattr(services, "draft_item_update", update_then_other_window_saves)
    start = draft.version
    response = alice_client.post(
        url(draft, f"items/{mine.pk}/edit/"),
        {"heading": "", "body": "我的正文", "current_version": start},
        headers=HX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{start + 1}"' in html and f'value="{start + 2}"' not in html
    assert "另一窗口" not in html  # the answer shows the draft as this save left it
    draft.refresh_from_db()
    assert draft.version == start + 2


def test_structural_change_on_stale_version_shows_message_and_changes_nothing(alice_client, draft):
    item = draft.items.filter(numbered=True).last()
    response = alice_client.post(
        url(draft, f"items/{item.pk}/up/"), {"current_version": draft.version - 1}, headers=HX
    )
    assert response.status_code == 409
    assert response.headers["HX-Reswap"] == "none"
    assert "此稿已在其他窗口修改" in response.content.decode()
    before = item.position
    item.refresh_from_db()
    assert item.position == before


def test_plain_forms_work_without_javascript(alice_client, draft):
    item = draft.items.filter(numbered=True).last()
    response = alice_client.post(url(draft, f"items/{item.pk}/up/"), {"version": draft.version})
    assert response.status_code == 302 and response.headers["Location"] == url(draft)
    page = alice_client.get(url(draft) + f"?edit={item.pk}").content.decode()
    assert 'class="item-edit"' in page
    response = alice_client.post(url(draft, "undo/"), {"version": draft.version + 1}, follow=True)
    assert "已撤销" in response.content.decode()


def test_drag_and_drop_move(alice_client, draft):
    parts = list(draft.items.filter(numbered=True).order_by("position"))
    response = alice_client.post(
        url(draft, f"items/{parts[2].pk}/move/"),
        {"parent": "", "position": 1, "current_version": draft.version},
        headers=HX,
    )
    assert response.status_code == 200
    parts[2].refresh_from_db()
    assert parts[2].position == 1
    bad = alice_client.post(
        url(draft, f"items/{parts[0].pk}/move/"),
        {"parent": parts[0].pk, "position": "x", "current_version": draft.version + 1},
        headers=HX,
    )
    assert bad.status_code == 422 and "位置不正确" in bad.content.decode()


def test_a_drag_on_a_stale_or_locked_draft_is_refused_as_such(alice_client, draft):
    """A DraftError is a ValueError as well: the move's refusals are not a bad position."""
    parts = list(draft.items.filter(numbered=True).order_by("position"))
    before = parts[2].position
    stale = alice_client.post(
        url(draft, f"items/{parts[2].pk}/move/"),
        {"parent": "", "position": 0, "current_version": draft.version + 1},
        headers=HX,
    )
    assert stale.status_code == 409 and "已在其他窗口修改" in stale.content.decode()
    Draft.objects.filter(pk=draft.pk).update(flow=Draft.Flow.FINAL)
    locked = alice_client.post(
        url(draft, f"items/{parts[2].pk}/move/"),
        {"parent": "", "position": 0, "current_version": draft.version},
        headers=HX,
    )
    assert locked.status_code == 422 and "已定稿" in locked.content.decode()
    parts[2].refresh_from_db()
    assert parts[2].position == before


def test_a_new_slot_gets_its_field_but_a_move_leaves_the_panels_alone(alice_client, draft):
    anchor = draft.items.filter(numbered=True).first()
    inserted = alice_client.post(
        url(draft, "items/"),
        {
            "kind": "paragraph",
            "anchor": anchor.pk,
            "body": "请{{ 分管领导 }}同志牵头落实。",
            "current_version": draft.version,
        },
        headers=HX,
    )
    html = inserted.content.decode()
    assert inserted.status_code == 200
    assert 'id="details-panel"' in html and "分管领导（文中待填写）" in html

    draft.refresh_from_db()
    parts = list(draft.items.filter(parent=None, numbered=True).order_by("position"))
    moved = alice_client.post(
        url(draft, f"items/{parts[2].pk}/move/"),
        {"parent": "", "position": 0, "current_version": draft.version},
        headers=HX,
    )
    html = moved.content.decode()
    assert moved.status_code == 200
    # The moved part reads 一、 now; the panels on screen (maybe mid-typing) are not replaced.
    assert f'data-id="{parts[2].pk}"' in html and html.index("一、") < html.index("二、")
    assert 'id="details-panel"' not in html and 'id="numbering-panel"' not in html
    assert f'value="{draft.version + 1}"' in html


def test_variables_panel_fills_slots(alice_client, draft):
    response = alice_client.post(
        url(draft, "details/"),
        {
            "title": draft.title,
            "meeting_name": "全市工作会议",
            "speaker": "",
            "date": "2024-03-05",
            "stage": "drafting",
            "var_地区": "江城",
            "new_name": "书记",
            "new_value": "张三",
            "current_version": draft.version,
        },
        headers=HX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert ">江城</span>" in html and "2024年3月5日" in html
    draft.refresh_from_db()
    assert draft.variables == {"地区": "江城", "书记": "张三"}


def test_numbering_panel(alice_client, draft):
    response = alice_client.post(
        url(draft, "numbering/"),
        {"style_1": "第一个问题，", "style_2": "一要", "current_version": draft.version},
        headers=HX,
    )
    assert "第一个问题，" in response.content.decode()
    bad = alice_client.post(
        url(draft, "numbering/"),
        {"style_1": "（一）", "current_version": draft.version + 1},
        headers=HX,
    )
    assert bad.status_code == 422 and "第1级不能使用" in bad.content.decode()


def test_library_panel_and_insert(alice_client, draft, sample_library):
    html = alice_client.get(url(draft, "library/"), {"q": "营商环境"}).content.decode()
    assert "<mark>营商环境</mark>" in html and "插入" in html
    paragraph = Paragraph.objects.filter(text__contains="营商环境", status="approved").first()
    anchor = draft.items.filter(numbered=True).first()
    response = alice_client.post(
        url(draft, "material/"),
        {"paragraph": paragraph.pk, "anchor": anchor.pk, "current_version": draft.version},
        headers=HX,
    )
    assert response.status_code == 200
    inserted = DraftItem.objects.get(draft=draft, source_paragraph=paragraph)
    assert inserted.body == paragraph.text
    paragraph.refresh_from_db()
    assert paragraph.usage_count == 1


def test_history_preview_and_restore(alice_client, draft):
    item = draft.items.filter(numbered=True).first()
    alice_client.post(
        url(draft, f"items/{item.pk}/delete/"), {"current_version": draft.version}, headers=HX
    )
    history = alice_client.get(url(draft, "history/")).content.decode()
    assert "删除第一部分" in history and "新建讲话稿" in history and "alice" in history
    old = alice_client.get(url(draft, "history/1/")).content.decode()
    assert item.heading in old and "恢复到此版本" in old
    alice_client.post(url(draft, "history/1/restore/"), {"version": draft.version + 1})
    assert DraftItem.objects.filter(draft=draft, heading=item.heading).exists()
    preview = alice_client.get(url(draft, "preview/")).content.decode()
    assert "一、" in preview and "未填写" in preview


def test_user_text_is_escaped_everywhere(alice_client, draft):
    item = draft.items.filter(numbered=True).first()
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)> javascript:alert(3)"
    alice_client.post(
        url(draft, f"items/{item.pk}/edit/"),
        {"heading": evil, "body": evil, "current_version": draft.version},
    )
    for page in ("", "preview/", "history/1/"):
        html = alice_client.get(url(draft, page)).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in alice_client.get(url(draft)).content.decode()


def test_template_injection_in_text_is_refused_without_500(alice_client, draft):
    item = draft.items.first()
    for evil in (
        "{{ ''.__class__.__mro__ }}",
        "{% for i in range(10**9) %}x{% endfor %}",
        "{{ 'x' * 10**9 }}",
    ):
        response = alice_client.post(
            url(draft, f"items/{item.pk}/edit/"),
            {"heading": "", "body": evil, "current_version": draft.version},
            headers=HX,
        )
        assert response.status_code == 422
        assert "填空" in response.content.decode()
