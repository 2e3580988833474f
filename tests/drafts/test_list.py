"""我的讲话稿 at scale: search, filter, sort, pages; 复制为新稿; 删除 to the 回收站 and back."""

import datetime

import pytest
from django.utils import timezone

from speechdraft.drafts.models import Draft, Revision
from speechdraft.drafts.services import TRASH_DAYS, draft_create, drafts_purge

pytestmark = pytest.mark.django_db


def make(owner, n, **fields):
    return [draft_create(owner=owner, title=f"讲话稿{i:03d}", **fields) for i in range(n)]


def titles(response):
    return [d.title for d in response.context["page"].object_list]


def test_search_filters_and_sorts(alice_client, alice, bob):
    draft_create(
        owner=alice, title="在全县安全生产工作会议上的讲话", meeting_name="全县安全生产工作会议"
    )
    draft_create(owner=alice, title="在干部大会上的讲话", speaker="县长 王强")
    draft_create(owner=bob, title="鲍勃的安全生产讲话")
    assert titles(alice_client.get("/?q=安全生产")) == ["在全县安全生产工作会议上的讲话"]
    assert titles(alice_client.get("/?q=王强")) == ["在干部大会上的讲话"]
    assert titles(alice_client.get("/?q=县 会议")) == ["在全县安全生产工作会议上的讲话"]
    Draft.objects.filter(title="在干部大会上的讲话").update(stage="final")
    assert titles(alice_client.get("/?stage=final")) == ["在干部大会上的讲话"]
    assert titles(alice_client.get("/?sort=title")) == sorted(titles(alice_client.get("/")))
    page = alice_client.get("/?q=不存在的词").content.decode()
    assert "没有符合条件的讲话稿" in page


def test_pages_of_twenty_five(alice_client, alice):
    make(alice, 30)
    first = alice_client.get("/")
    assert len(titles(first)) == 25 and "第 1 / 2 页，共 30 篇" in first.content.decode()
    assert len(titles(alice_client.get("/?page=2"))) == 5
    assert len(titles(alice_client.get("/?page=999"))) == 5  # past the end: the last page


def test_copy_makes_a_draft_of_its_own(alice_client, alice):
    (draft,) = make(alice, 1, meeting_name="全县工作会议")
    part = draft.items.filter(numbered=True).first()
    response = alice_client.post(f"/drafts/{draft.pk}/copy/")
    copy = Draft.objects.exclude(pk=draft.pk).get()
    assert response.headers["Location"] == f"/drafts/{copy.pk}/"
    assert copy.title == "讲话稿000（副本）" and copy.meeting_name == "全县工作会议"
    assert copy.items.count() == draft.items.count()
    assert copy.items.filter(heading=part.heading, numbered=True).exists()
    assert not copy.items.filter(pk__in=draft.items.values("pk")).exists()
    assert Revision.objects.get(draft=copy).action == "复制自《讲话稿000》"


def test_delete_goes_to_the_trash_and_comes_back(alice_client, alice):
    (draft,) = make(alice, 1)
    alice_client.post(f"/drafts/{draft.pk}/delete/")
    assert "讲话稿000" not in titles(alice_client.get("/"))
    assert alice_client.get(f"/drafts/{draft.pk}/").status_code == 404
    trash = alice_client.get("/drafts/trash/").content.decode()
    assert "讲话稿000" in trash and f"保留 {TRASH_DAYS} 天" in trash
    response = alice_client.post(f"/drafts/{draft.pk}/undelete/")
    assert response.headers["Location"] == f"/drafts/{draft.pk}/"
    assert alice_client.get(f"/drafts/{draft.pk}/").status_code == 200


def test_the_trash_is_emptied_after_thirty_days(alice):
    old, recent = make(alice, 2)
    now = timezone.now()
    Draft.objects.filter(pk=old.pk).update(deleted_at=now - datetime.timedelta(days=TRASH_DAYS + 1))
    Draft.objects.filter(pk=recent.pk).update(deleted_at=now - datetime.timedelta(days=1))
    drafts_purge()
    assert not Draft.objects.filter(pk=old.pk).exists()
    assert Draft.objects.filter(pk=recent.pk).exists()
