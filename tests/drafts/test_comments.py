"""批注: readers comment on words of a draft; the words are found again through edits, or the
margin says 原文已修改; reviewers comment but never change the text; nobody outside the
draft's people reaches its comments."""

import json

import pytest

from speechdraft.drafts import flow, services
from speechdraft.drafts.comments import (
    comment_add,
    comment_answer,
    comment_resolve,
    comments_for,
)
from speechdraft.drafts.errors import DraftError
from speechdraft.drafts.models import Comment, Flow
from speechdraft.drafts.services import draft_create

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}
BODY = "要坚持稳中求进工作总基调，全年经济增长8%以上。\n要压实安全生产责任。"


@pytest.fixture
def draft(alice):
    draft = draft_create(owner=alice, title="在全市经济工作会议上的讲话")
    part = draft.items.filter(numbered=True).order_by("position").first()
    services.draft_item_update(
        draft, user=alice, version=None, item_id=part.pk, heading="稳住经济大盘", body=BODY
    )
    draft.refresh_from_db()
    return draft


def part_of(draft):
    return draft.items.filter(numbered=True).order_by("position").first()


def add(draft, user, words="增长8%", text="数字请核实", field="body", **kwargs):
    item = part_of(draft)
    source = getattr(item, field)
    offset = kwargs.pop("offset", None)
    offset = source.index(words) if offset is None else offset
    return comment_add(
        draft,
        user=user,
        item_id=item.pk,
        field=field,
        anchor=words,
        before=source[max(0, offset - 40) : offset],
        after=source[offset + len(words) : offset + len(words) + 40],
        offset=offset,
        text=text,
        **kwargs,
    )


def edit(draft, user, body):
    item = part_of(draft)
    services.draft_item_update(
        draft, user=user, version=None, item_id=item.pk, heading=item.heading, body=body
    )


def only_thread(draft):
    margin = comments_for(draft)
    return (margin.open + margin.resolved)[0]


# --- anchoring through edits ------------------------------------------------------------


def test_a_comment_is_placed_on_the_words_it_was_made_on(draft, alice):
    comment = add(draft, alice)
    thread = only_thread(draft)
    body = part_of(draft).body
    assert body[thread.start : thread.end] == "增长8%"
    assert (thread.gone, thread.moved) == (False, False)
    assert comment.version == draft.version and comment.author == alice


def test_the_words_are_found_again_after_text_is_inserted_before_them(draft, alice):
    add(draft, alice)
    edit(draft, alice, "在新的一年里，" + BODY)
    thread = only_thread(draft)
    body = part_of(draft).body
    assert body[thread.start : thread.end] == "增长8%"
    assert thread.moved and not thread.gone


def test_the_words_moved_within_the_item_are_followed(draft, alice):
    add(draft, alice, words="压实安全生产责任")
    edit(draft, alice, "要压实安全生产责任。\n要坚持稳中求进工作总基调，全年经济增长8%以上。")
    thread = only_thread(draft)
    assert part_of(draft).body[thread.start : thread.end] == "压实安全生产责任"
    assert thread.start == 1


def test_of_two_places_the_one_with_the_same_words_beside_it_wins(draft, alice):
    edit(draft, alice, "抓好落实。要抓好落实，更要抓好督查。")
    add(draft, alice, words="抓好", offset=6)  # the second: 要抓好落实
    edit(draft, alice, "首先，抓好落实。要抓好落实，更要抓好督查。")
    thread = only_thread(draft)
    body = part_of(draft).body
    assert body[thread.start - 1 : thread.end + 2] == "要抓好落实"


def test_words_deleted_read_as_changed_with_the_original_quoted(draft, alice, client):
    add(draft, alice)
    edit(draft, alice, "要坚持稳中求进工作总基调。\n要压实安全生产责任。")
    thread = only_thread(draft)
    assert thread.gone and thread.start is None
    assert comments_for(draft).marks() == []  # nothing to highlight
    client.force_login(alice)
    page = client.get(f"/drafts/{draft.pk}/").content.decode()
    margin = page[page.index('id="comments"') :]
    assert "原文已修改" in margin and "“增长8%”" in margin and "数字请核实" in margin


def test_a_comment_on_a_deleted_item_reads_as_changed(draft, alice):
    add(draft, alice)
    services.draft_item_delete(draft, user=alice, version=None, item_id=part_of(draft).pk)
    assert only_thread(draft).gone


def test_a_comment_on_a_heading_stays_on_the_heading(draft, alice):
    add(draft, alice, words="经济大盘", field="heading", text="改为“经济基本盘”")
    thread = only_thread(draft)
    assert part_of(draft).heading[thread.start : thread.end] == "经济大盘"


# --- what a comment may be ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"anchor": "  "}, "请先在正文中选中要批注的文字"),
        ({"anchor": "不在正文中的话"}, "已不在这一段中"),
        ({"text": "   "}, "请填写批注内容"),
        ({"text": "很" * 2001}, "批注最多 2000 个字"),
        ({"field": "title"}, "批注的位置不正确"),
        ({"item_id": "999999"}, "找不到要批注的段落"),
    ],
)
def test_a_comment_that_cannot_be_placed_says_why(draft, alice, change, message):
    item = part_of(draft)
    data = {
        "item_id": item.pk,
        "field": "body",
        "anchor": "增长8%",
        "offset": item.body.index("增长8%"),
        "text": "数字请核实",
        **change,
    }
    with pytest.raises(DraftError) as caught:
        comment_add(draft, user=alice, **data)
    assert message in caught.value.message
    assert not Comment.objects.exists()


def test_an_item_of_another_draft_is_not_this_drafts(draft, alice):
    other = draft_create(owner=alice, title="另一篇")
    item = other.items.filter(numbered=True).first()
    with pytest.raises(DraftError):
        comment_add(draft, user=alice, item_id=item.pk, field="heading", anchor="x", text="y")


def test_answers_and_resolving(draft, alice, bob):
    comment = add(draft, alice)
    answer = comment_answer(comment, user=bob, text="已核实，是8%。")
    assert answer.parent == comment and answer.item_id == comment.item_id
    comment_answer(answer, user=alice, text="好")  # an answer to an answer joins the thread
    thread = only_thread(draft)
    assert [a.text for a in thread.answers] == ["已核实，是8%。", "好"]
    comment_resolve(comment, user=bob, resolved=True)
    margin = comments_for(draft)
    assert margin.open == [] and margin.resolved[0].comment.resolved_by == bob
    comment_resolve(comment, user=alice, resolved=False)
    assert comments_for(draft).open[0].comment.resolved_at is None


def test_a_final_draft_takes_no_more_comments(draft, alice):
    comment = add(draft, alice)
    draft.flow = Flow.FINAL
    draft.save(update_fields=["flow"])
    with pytest.raises(DraftError) as caught:
        add(draft, alice, words="压实")
    assert caught.value.message == "讲话稿已定稿，不能再批注。"
    with pytest.raises(DraftError):
        comment_answer(comment, user=alice, text="再看看")
    comment_resolve(comment, user=alice, resolved=True)  # settling one is still possible


def test_the_margin_follows_the_order_of_the_text(draft, alice):
    last = add(draft, alice, words="压实安全生产责任", text="第二条")
    first = add(draft, alice, words="稳中求进", text="第一条")
    heading = add(draft, alice, words="经济大盘", field="heading", text="标题")
    assert [t.comment for t in comments_for(draft).open] == [heading, first, last]


# --- the views ----------------------------------------------------------------------------


@pytest.fixture
def reviewer(draft, bob):
    flow.share_set(draft, user_id=bob.pk, role="review")
    return bob


def post_comment(client, draft, words="增长8%", text="数字请核实", headers=None):
    item = part_of(draft)
    offset = item.body.index(words) if words in item.body else 0
    return client.post(
        f"/drafts/{draft.pk}/comments/",
        {
            "item_id": item.pk,
            "field": "body",
            "anchor": words,
            "offset": offset,
            "before": item.body[max(0, offset - 40) : offset],
            "after": item.body[offset + len(words) : offset + len(words) + 40],
            "text": text,
        },
        headers=headers or {},
    )


def test_a_reviewer_comments_and_sees_the_margin(client, draft, reviewer):
    client.force_login(reviewer)
    response = post_comment(client, draft, headers=HX)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="comments"' in page and "数字请核实" in page and "bob" in page
    assert "已添加批注" in page
    comment = Comment.objects.get()
    assert comment.author == reviewer and comment.anchor == "增长8%"
    answer = client.post(
        f"/drafts/{draft.pk}/comments/{comment.pk}/answer/", {"text": "请起草人核实"}, headers=HX
    )
    assert "请起草人核实" in answer.content.decode()
    done = client.post(
        f"/drafts/{draft.pk}/comments/{comment.pk}/resolve/", {"resolved": "1"}, headers=HX
    )
    assert "已解决（1）" in done.content.decode() and "重新打开" in done.content.decode()


def test_without_htmx_a_comment_goes_back_to_the_editor_with_a_message(client, draft, reviewer):
    client.force_login(reviewer)
    response = post_comment(client, draft)
    assert response.status_code == 302
    assert response["Location"] == f"/drafts/{draft.pk}/#comments"
    page = client.get(response["Location"]).content.decode()
    assert "已添加批注" in page and "数字请核实" in page


def test_a_refused_comment_says_why_in_its_form(client, draft, reviewer):
    client.force_login(reviewer)
    response = post_comment(client, draft, words="没有的话", headers=HX)
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#comment-form-error"
    assert "已不在这一段中" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_reviewer_reads_but_cannot_save_text(client, draft, reviewer):
    client.force_login(reviewer)
    item = part_of(draft)
    page = client.get(f"/drafts/{draft.pk}/").content.decode()
    assert "data-readonly" in page and "审阅人，可以阅读和批注" in page
    assert "添加部分" not in page and "导入修改稿" not in page and 'id="item-bar"' not in page
    assert "搜索素材" not in page and 'class="handle"' not in page
    assert "导出Word" in page and "附带批注" in page and 'id="comment-form"' in page
    assert 'data-field="body"' in page  # words can still be selected
    editing = client.get(f"/drafts/{draft.pk}/?edit={item.pk}").content.decode()
    assert 'name="body"' not in editing  # ?edit= opens no form
    saved = client.post(
        f"/drafts/{draft.pk}/items/{item.pk}/save/",
        {"body": "审阅人改的字", "version": draft.version},
    )
    assert saved.status_code == 403
    assert client.post(f"/drafts/{draft.pk}/items/", {"kind": "paragraph"}).status_code == 403
    item.refresh_from_db()
    assert item.body == BODY


def test_the_owner_keeps_the_editor_and_sees_the_comment(alice_client, draft, reviewer):
    comment = add(draft, reviewer)
    page = alice_client.get(f"/drafts/{draft.pk}/").content.decode()
    assert "data-readonly" not in page and "添加部分" in page and "导入修改稿" in page
    margin = page[page.index('id="comments"') :]
    assert "数字请核实" in margin and "“增长8%”" in margin and "标记为已解决" in margin
    marks = margin[margin.index('<script id="comment-marks"') :]
    marks = json.loads(marks[marks.index(">") + 1 : marks.index("</script>")])
    assert marks == [  # the words the page highlights
        {
            "id": comment.pk,
            "item": comment.item_id,
            "field": "body",
            "start": 17,
            "end": 21,
            "anchor": "增长8%",
        }
    ]


def test_while_the_draft_is_with_its_reviewer_the_owner_only_reads(alice_client, draft, alice, bob):
    flow.flow_submit(draft, user=alice, version=None, reviewer_id=bob.pk)
    page = alice_client.get(f"/drafts/{draft.pk}/").content.decode()
    assert "data-readonly" in page and "暂不能修改" in page and "添加部分" not in page
    response = post_comment(alice_client, draft, headers=HX)
    assert response.status_code == 200  # the owner still comments


def test_a_member_of_another_unit_gets_404(client, django_user_model, draft, reviewer):
    from speechdraft.units.models import Unit
    from speechdraft.units.services import membership_set

    comment = add(draft, reviewer)
    carol = django_user_model.objects.create_user("carol", password="x")
    membership_set(user=carol, unit=Unit.objects.create(name="另一单位"))
    client.force_login(carol)
    assert post_comment(client, draft).status_code == 404
    for action in ("answer", "resolve"):
        path = f"/drafts/{draft.pk}/comments/{comment.pk}/{action}/"
        assert client.post(path, {"text": "x", "resolved": "1"}).status_code == 404
    assert Comment.objects.count() == 1 and Comment.objects.get().resolved_at is None


def test_a_comment_of_another_draft_is_404(alice_client, draft, alice):
    comment = add(draft, alice)
    other = draft_create(owner=alice, title="另一篇")
    path = f"/drafts/{other.pk}/comments/{comment.pk}/resolve/"
    assert alice_client.post(path, {"resolved": "1"}).status_code == 404
    comment.refresh_from_db()
    assert comment.resolved_at is None
