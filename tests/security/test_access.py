"""Nobody reaches another user's drafts, items, revisions, reviews, exports or phrases.

The table below names every URL of the site. A test fails when a URL is added without
being listed here, so each new page gets its access check.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver

from speechdraft.corpus.models import Paragraph, Skeleton, SourceDocument, Status
from speechdraft.drafts.models import Comment, Proposal
from speechdraft.drafts.services import draft_create
from speechdraft.exports.models import ExportJob
from speechdraft.library.models import Phrase, PhraseKind
from speechdraft.review.models import ReviewRun

pytestmark = pytest.mark.django_db

SECRET = "绝密讲话稿标题"

# name → (methods, the parameters taken from the owner's world). Every one of these must
# answer 404 to another signed-in user, whatever the method.
OWNED = {
    "drafts:editor": ("GET", ["pk"]),
    "drafts:delete": ("POST", ["pk"]),
    "drafts:copy": ("POST", ["pk"]),
    "drafts:undelete": ("POST", ["pk"]),
    "drafts:details": ("POST", ["pk"]),
    "drafts:sharing": ("GET POST", ["pk"]),
    "drafts:flow_submit": ("POST", ["pk"]),
    "drafts:flow_withdraw": ("POST", ["pk"]),
    "drafts:flow_return": ("POST", ["pk"]),
    "drafts:flow_approve": ("POST", ["pk"]),
    "drafts:flow_finalize": ("POST", ["pk"]),
    "drafts:numbering": ("POST", ["pk"]),
    "drafts:undo": ("POST", ["pk"]),
    "drafts:redo": ("POST", ["pk"]),
    "drafts:document": ("GET", ["pk"]),
    "drafts:history": ("GET", ["pk"]),
    "drafts:revision": ("GET", ["pk", "version"]),
    "drafts:compare": ("GET", ["pk"]),
    "drafts:restore": ("POST", ["pk", "version"]),
    "drafts:revision_name": ("POST", ["pk", "version"]),
    "drafts:preview": ("GET", ["pk"]),
    "drafts:library": ("GET", ["pk"]),
    "drafts:material": ("POST", ["pk"]),
    "drafts:material_detail": ("GET", ["pk", "paragraph_id"]),
    "drafts:reference": ("POST", ["pk"]),
    "drafts:phrase_used": ("POST", ["pk"]),
    "drafts:favourite": ("POST", ["pk"]),
    "review:start": ("POST", ["pk"]),
    "review:hints": ("GET", ["pk", "item_id"]),
    "review:status": ("GET", ["pk", "run_id"]),
    "review:dismiss": ("POST", ["pk", "run_id"]),
    "review:apply": ("POST", ["pk", "run_id"]),
    "drafts:item_insert": ("POST", ["pk"]),
    "drafts:item": ("GET", ["pk", "item_id"]),
    "drafts:item_edit": ("GET POST", ["pk", "item_id"]),
    "drafts:item_save": ("POST", ["pk", "item_id"]),
    "drafts:item_delete": ("POST", ["pk", "item_id"]),
    "drafts:item_up": ("POST", ["pk", "item_id"]),
    "drafts:item_down": ("POST", ["pk", "item_id"]),
    "drafts:item_indent": ("POST", ["pk", "item_id"]),
    "drafts:item_outdent": ("POST", ["pk", "item_id"]),
    "drafts:item_move": ("POST", ["pk", "item_id"]),
    "drafts:import_revision": ("POST", ["pk"]),
    "drafts:proposals_accept_all": ("POST", ["pk"]),
    "drafts:proposals_dismiss": ("POST", ["pk"]),
    "drafts:proposal_accept": ("POST", ["pk", "proposal_id"]),
    "drafts:proposal_reject": ("POST", ["pk", "proposal_id"]),
    "drafts:comment_add": ("POST", ["pk"]),
    "drafts:comment_answer": ("POST", ["pk", "comment_id"]),
    "drafts:comment_resolve": ("POST", ["pk", "comment_id"]),
    "export_start": ("POST", ["pk"]),
    "redline_start": ("POST", ["pk"]),
    "exports:status": ("GET", ["job"]),
    "exports:retry": ("POST", ["job"]),
    "exports:download": ("GET", ["job"]),
    "library:phrase_delete": ("POST", ["phrase"]),
}
# Pages every signed-in user has (their own list, forms, the shared library): checked below
# for not showing or accepting another user's objects.
PERSONAL = {
    "home",
    "drafts:new",
    "drafts:import",  # 从Word导入: always a new draft of one's own
    "drafts:trash",
    "drafts:todo_link",  # the top bar's 我的待办: the user's own count
    "library:search",
    "library:phrase_create",
    "drafts:insert_material",
    "library:favourite",
    "library:paragraph",  # approved paragraphs of the shared library only
    "accounts:logout",
}
PUBLIC = {"accounts:login", "healthz"}


def site_urls(patterns=None, prefix="", namespace=None):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith("admin/"):
                continue  # the admin: staff only, see test_login.py
            ns = ":".join(filter(None, [namespace, p.namespace]))
            yield from site_urls(p.url_patterns, prefix + str(p.pattern), ns or None)
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), prefix + str(p.pattern)


@pytest.fixture
def world(alice, bob):
    """Alice's objects of every kind, and a draft of Bob's own (for mixed URLs)."""
    draft = draft_create(owner=alice, title=SECRET, meeting_name="机密会议")
    item = draft.items.first()
    run = ReviewRun.objects.create(draft=draft, version=draft.version)
    job = ExportJob.objects.create(
        draft=draft, draft_version=draft.version, title=SECRET, user=alice, status="done"
    )
    job.file.save("secret.docx", ContentFile(b"PK-secret"), save=True)
    phrase = Phrase.objects.create(kind=PhraseKind.GOLDEN, text="爱丽丝的私人金句", owner=alice)
    proposal = Proposal.objects.create(
        draft=draft, item=item, kind=Proposal.Kind.INSERT, field="body", text="机密插入"
    )
    comment = Comment.objects.create(
        draft=draft, item=item, field="body", anchor="机密", text="机密批注", author=alice
    )
    own = draft_create(owner=bob, title="鲍勃的讲话稿")
    document = SourceDocument.objects.create(file_name="shared.txt", state="done")
    skeleton = Skeleton.objects.create(document=document, title="在全市大会上的讲话")
    shared = Paragraph.objects.create(
        skeleton=skeleton, position=1, text="要压实责任。", status=Status.APPROVED
    )
    return {
        "paragraph_id": shared.pk,
        "pk": draft.pk,
        "item_id": item.pk,
        "version": draft.version,
        "run_id": run.pk,
        "job": job.pk,
        "phrase": phrase.pk,
        "proposal_id": proposal.pk,
        "comment_id": comment.pk,
        "draft": draft,
        "own": own,
    }


def path_for(route: str, values: dict) -> str:
    for name in ("pk", "item_id", "run_id", "version", "paragraph_id", "proposal_id", "comment_id"):
        if f"<int:{name}>" in route:
            route = route.replace(f"<int:{name}>", str(values[name]))
    return "/" + route


def test_every_url_of_the_site_has_an_access_rule():
    names = {name for name, _ in site_urls()}
    assert names - set(OWNED) - PERSONAL - PUBLIC == set(), "add the new URL to this test"
    assert set(OWNED) | PERSONAL | PUBLIC <= names  # and none listed here has gone


def test_another_user_gets_404_on_every_owned_url(client, bob, world):
    client.force_login(bob)
    routes = dict(site_urls())
    for name, (methods, params) in OWNED.items():
        values = dict(world)
        if "job" in params or "phrase" in params:
            values["pk"] = world["job"] if "job" in params else world["phrase"]
        path = path_for(routes[name], values)
        for method in methods.split():
            for headers in ({}, {"HX-Request": "true"}):
                send = client.get if method == "GET" else client.post
                response = send(path, {"version": world["version"]}, headers=headers)
                assert response.status_code == 404, (name, method, path, response.status_code)
                assert SECRET not in response.content.decode()


def test_own_draft_with_someone_elses_item_or_run_is_404(client, bob, world):
    """Mixed ids: Bob's own draft in the URL, Alice's item or review run after it."""
    client.force_login(bob)
    routes = dict(site_urls())
    mixed = {**world, "pk": world["own"].pk, "version": world["own"].version}
    for name, (methods, params) in OWNED.items():
        if not {"item_id", "run_id", "proposal_id", "comment_id"} & set(params):
            continue
        path = path_for(routes[name], mixed)
        for method in methods.split():
            send = client.get if method == "GET" else client.post
            response = send(
                path, {"version": mixed["version"], "current_version": mixed["version"]}
            )
            assert response.status_code == 404, (name, method, path)


def test_nothing_was_changed_by_the_attempts(client, bob, world):
    draft = world["draft"]
    before = (draft.version, list(draft.items.values_list("id", "position", "body")))
    test_another_user_gets_404_on_every_owned_url(client, bob, world)
    draft.refresh_from_db()
    assert (draft.version, list(draft.items.values_list("id", "position", "body"))) == before
    assert Phrase.objects.filter(pk=world["phrase"]).exists()
    assert ExportJob.objects.get(pk=world["job"]).status == "done"
    assert Proposal.objects.get(pk=world["proposal_id"]).state == Proposal.State.OPEN
    comment = Comment.objects.get(pk=world["comment_id"])
    assert comment.resolved_at is None and not comment.answers.exists()
    assert Comment.objects.filter(draft=draft).count() == 1


def test_personal_pages_show_and_accept_only_ones_own_objects(client, bob, world):
    client.force_login(bob)
    assert SECRET not in client.get("/").content.decode()
    found = client.get("/library/", {"q": "私人金句"}).content.decode()
    assert "爱丽丝的私人金句" not in found
    inserted = client.post("/drafts/insert/", {"draft": world["pk"], "phrase": world["phrase"]})
    assert inserted.status_code == 404
    into_own = client.post("/drafts/insert/", {"draft": world["own"].pk, "phrase": world["phrase"]})
    assert into_own.status_code == 404  # someone else's private phrase is not visible
    kept = client.post("/library/favourites/", {"phrase": world["phrase"], "on": "1"})
    assert kept.status_code == 404  # nor can it be kept in 收藏


def test_signed_out_visitors_are_sent_to_login_everywhere(client, world):
    routes = dict(site_urls())
    for name, route in routes.items():
        if name in PUBLIC:
            continue
        values = {**world, "pk": world["pk"]}
        path = path_for(route, values)
        for send in (client.get, client.post):
            response = send(path)
            assert response.status_code == 302, (name, path, response.status_code)
            assert response.headers["Location"].startswith("/accounts/login/"), name


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def test_no_page_the_owner_opens_writes_to_the_database(alice_client, world):
    """A GET shows; it never writes (no index sync, no counter, no cleanup on the way)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    routes = dict(site_urls())
    gets = [n for n, (methods, _) in OWNED.items() if "GET" in methods.split()]
    gets += [n for n in PERSONAL if n != "accounts:logout"]
    for name in gets:
        values = dict(world)
        if name.startswith("exports:"):
            values["pk"] = world["job"]
        path = path_for(routes[name], values)
        for headers in ({}, {"HX-Request": "true"}):
            with CaptureQueriesContext(connection) as queries:
                response = alice_client.get(path, headers=headers)
            # 405: a POST-only form address; 404: a paragraph id the world has none of.
            assert response.status_code in (200, 286, 302, 404, 405), (name, response.status_code)
            writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
            assert writes == [], (name, writes)


def test_a_member_of_another_unit_gets_404_on_this_units_library(client, django_user_model, world):
    """World's speech is the default unit's; carol drafts in another unit (issue 19)."""
    from speechdraft.units.models import Unit
    from speechdraft.units.services import membership_set

    carol = django_user_model.objects.create_user("carol", password="x")
    membership_set(user=carol, unit=Unit.objects.create(name="另一单位"))
    mine = draft_create(owner=carol, title="卡罗尔的讲话稿")
    paragraph = world["paragraph_id"]
    library_phrase = Phrase.objects.create(
        kind=PhraseKind.GOLDEN, text="默认单位的金句", status=Status.APPROVED
    )
    client.force_login(carol)
    assert client.get(f"/library/paragraphs/{paragraph}/").status_code == 404
    assert client.get(f"/drafts/{mine.pk}/material/{paragraph}/").status_code == 404
    for data in ({"paragraph": paragraph}, {"phrase": library_phrase.pk}):
        insert = client.post("/drafts/insert/", {"draft": mine.pk, **data})
        assert insert.status_code == 404
        assert client.post(f"/drafts/{mine.pk}/material/", data).status_code == 404
        assert client.post("/library/favourites/", {**data, "on": "1"}).status_code == 404
    reference = client.post(f"/drafts/{mine.pk}/reference/", {"paragraph": paragraph})
    assert reference.status_code == 404
    assert "默认单位的金句" not in client.get("/library/", {"q": "金句"}).content.decode()
    assert "要压实责任" not in client.get("/library/", {"q": "压实责任"}).content.decode()
    assert mine.items.filter(source_paragraph_id=paragraph).count() == 0
    client.force_login(world["draft"].owner)  # the paragraph's own unit: there it is
    assert client.get(f"/library/paragraphs/{paragraph}/").status_code == 200
    assert client.get(f"/drafts/{world['pk']}/material/{paragraph}/").status_code == 200
