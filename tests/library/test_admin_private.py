"""A drafter's private work stays out of the curators' admin: private phrases and export jobs.

A curator (staff, with every library and exports permission) sees the library's phrases only;
a private phrase (owner set) is not in the list, its pages are not reachable and it cannot be
deleted; export jobs (a draft's title, its author) are not shown at all. Superusers see both.
"""

import pytest

from speechdraft.drafts.models import Draft
from speechdraft.exports.models import ExportJob

pytestmark = pytest.mark.django_db
PHRASES = "/admin/library/phrase/"
JOBS = "/admin/exports/exportjob/"
PRIVATE = "只给自己看的私有提法"
LIBRARY = "素材库里的公共提法"
JOB_TITLE = "在全市机密工作会议上的讲话"


@pytest.fixture
def phrases(alice, make_phrase):
    return make_phrase(LIBRARY), make_phrase(PRIVATE, owner=alice)


@pytest.fixture
def job(alice):
    draft = Draft.objects.create(owner=alice, title=JOB_TITLE)
    return ExportJob.objects.create(draft=draft, draft_version=1, title=JOB_TITLE, user=alice)


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.cn", "pw-root-1234")
    client.force_login(user)
    return client


def test_the_curator_has_the_model_permissions(editor):
    """What follows is about rows, not permissions: the curator may view and delete phrases."""
    assert editor.is_staff and not editor.is_superuser
    for perm in ("view_phrase", "change_phrase", "delete_phrase"):
        assert editor.has_perm(f"library.{perm}")
    assert editor.has_perm("exports.view_exportjob")


def test_curator_list_search_and_csv_leave_out_private_phrases(curator, phrases):
    listing = curator.get(PHRASES)
    assert listing.status_code == 200
    html = listing.content.decode()
    assert LIBRARY in html and PRIVATE not in html
    assert "用户私有" not in html  # the 归属 filter only shows to superusers
    assert PRIVATE not in curator.get(PHRASES, {"q": "私有提法"}).content.decode()
    export = curator.get(PHRASES + "export-csv/")
    assert export.status_code == 200
    rows = export.content.decode("utf-8-sig")
    assert LIBRARY in rows and PRIVATE not in rows


def test_curator_cannot_open_change_or_delete_a_private_phrase(curator, phrases):
    library, private = phrases
    assert curator.get(f"{PHRASES}{library.pk}/change/").status_code == 200
    for page in ("change", "delete", "history"):
        response = curator.get(f"{PHRASES}{private.pk}/{page}/")
        assert response.status_code in (302, 404), page
        assert PRIVATE not in response.content.decode()
    curator.post(f"{PHRASES}{private.pk}/delete/", {"post": "yes"})
    curator.post(
        f"{PHRASES}{private.pk}/change/",
        {"text": "改掉", "kind": "golden", "status": "approved", "tag_names": ""},
    )
    curator.post(
        PHRASES,
        {"action": "delete_selected", "_selected_action": [private.pk], "post": "yes", "index": 0},
    )
    private.refresh_from_db()
    assert private.text == PRIVATE


def test_superuser_sees_and_opens_private_phrases(superuser_client, phrases):
    _, private = phrases
    html = superuser_client.get(PHRASES).content.decode()
    assert PRIVATE in html and LIBRARY in html
    assert PRIVATE in superuser_client.get(PHRASES, {"owner": "private"}).content.decode()
    page = superuser_client.get(f"{PHRASES}{private.pk}/change/")
    assert page.status_code == 200 and "alice" in page.content.decode()


def test_curator_sees_no_export_jobs(curator, job):
    listing = curator.get(JOBS)
    assert listing.status_code == 403
    assert JOB_TITLE not in listing.content.decode()
    page = curator.get(f"{JOBS}{job.pk}/change/")
    assert page.status_code in (302, 403, 404)
    assert JOB_TITLE not in page.content.decode()
    assert curator.get(f"{JOBS}{job.pk}/delete/").status_code in (302, 403, 404)
    index = curator.get("/admin/").content.decode()
    assert JOBS not in index and "/admin/exports/officereference/" in index
    assert ExportJob.objects.filter(pk=job.pk).exists()


def test_superuser_sees_export_jobs(superuser_client, job):
    listing = superuser_client.get(JOBS)
    assert listing.status_code == 200
    html = listing.content.decode()
    assert JOB_TITLE in html and "alice" in html
    assert superuser_client.get(f"{JOBS}{job.pk}/change/").status_code == 200
