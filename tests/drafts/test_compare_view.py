"""The 比较版本 page: two versions picked, their changes inline; bad versions get a message."""

import pytest
from django.urls import reverse

from speechdraft.drafts.services import draft_item_update
from speechdraft.drafts.versions import versions_compared

pytestmark = pytest.mark.django_db


def compare_url(draft, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("drafts:compare", args=[draft.pk]) + (f"?{query}" if query else "")


def edit_first_part(draft, alice, body):
    item = draft.items.filter(numbered=True).order_by("position").first()
    draft_item_update(
        draft, user=alice, version=draft.version, item_id=item.pk, heading=item.heading, body=body
    )
    draft.refresh_from_db()
    return item


def test_it_shows_the_previous_version_against_the_current_one(alice_client, alice, draft):
    edit_first_part(draft, alice, "要深刻认识做好工作的重要意义。")
    edit_first_part(draft, alice, "要充分认识做好工作的重要意义。")
    html = alice_client.get(compare_url(draft)).content.decode()
    assert "<del>深刻</del><ins>充分</ins>" in html
    assert "新增 0 段，删除 0 段，修改 1 段，移动 0 段" in html
    assert "第 2 版 → 第 3 版" in html
    assert '<option value="3" selected>第 3 版' in html and "（当前）" in html
    # The opening folded before the change, parts 二 and 三 and the closing after it.
    assert "未改动 1 段" in html and "未改动 3 段" in html
    assert "{{" not in html


def test_any_two_versions_and_a_link_from_history_and_a_version(alice_client, alice, draft):
    edit_first_part(draft, alice, "第一次修改的正文。")
    edit_first_part(draft, alice, "第二次修改的正文。")
    html = alice_client.get(compare_url(draft, a=1, b=3)).content.decode()
    assert "第 1 版 → 第 3 版" in html and "<ins>第二次修改的正文。</ins>" in html
    assert "第一次修改" not in html  # version 2 between them is not shown
    swapped = alice_client.get(compare_url(draft, a=3, b=1)).content.decode()
    assert "第 1 版 → 第 3 版" in swapped  # the older one first, whichever way picked
    history = alice_client.get(reverse("drafts:history", args=[draft.pk])).content.decode()
    assert reverse("drafts:compare", args=[draft.pk]) in history and "比较版本" in history
    old = alice_client.get(reverse("drafts:revision", args=[draft.pk, 1])).content.decode()
    assert f"{compare_url(draft)}?a=1&amp;b=3" in old and "与当前版本比较" in old


def test_bad_versions_get_a_message_not_an_error(alice_client, alice, draft):
    edit_first_part(draft, alice, "修改过的正文。")
    for params, message in [
        ({"a": 99, "b": 2}, "没有第 99 版（当前是第 2 版）"),
        ({"a": "abc"}, "版本号不正确"),
        ({"a": -1}, "版本号不正确"),
        ({"a": 2, "b": 2}, "两个版本相同"),
    ]:
        response = alice_client.get(compare_url(draft, **params))
        assert response.status_code == 200
        assert message in response.content.decode(), params


def test_a_new_draft_has_nothing_to_compare_yet(alice_client, draft):
    html = alice_client.get(compare_url(draft)).content.decode()
    assert "只有一个版本" in html


def test_another_users_draft_is_404(client, bob, draft):
    client.force_login(bob)
    assert client.get(compare_url(draft)).status_code == 404
    assert client.post(compare_url(draft)).status_code in (404, 405)


def test_user_text_is_escaped(alice_client, alice, draft):
    edit_first_part(draft, alice, "<script>alert(1)</script>")
    html = alice_client.get(compare_url(draft)).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_the_selector_reads_each_version_once(alice, draft, django_assert_max_num_queries):
    edit_first_part(draft, alice, "修改过的正文。")
    with django_assert_max_num_queries(8):
        shown = versions_compared(draft, None, None)
    assert (shown.old, shown.new) == (1, 2) and shown.comparison.counts["changed"] == 1
