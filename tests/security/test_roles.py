# ruff: noqa: F811  (the `world` fixture of test_access.py is imported, then requested)
"""Every URL that acts on a draft, for every kind of person (issue 19).

The people: the owner, a 协作起草 colleague, a 审阅 colleague, a colleague of the same unit the
draft is not shared with, a member of another unit, a curator of each unit, and a visitor who
is not signed in; each URL with and without htmx. Each request runs in a savepoint that is
rolled back, so every one meets the same world. What each URL needs is said once, below; a URL
added to the site without a line here fails test_access.py's table test first.
"""

import pytest
from django.db import transaction

from speechdraft.corpus.models import Status
from speechdraft.drafts import flow
from speechdraft.drafts.access import REFUSALS
from speechdraft.drafts.models import Draft, DraftShare, Flow
from speechdraft.drafts.services import Details, draft_details_update
from speechdraft.library.models import Phrase, PhraseKind
from speechdraft.review.models import ReviewRun
from speechdraft.units.models import Membership, Unit
from speechdraft.units.services import membership_set
from tests.security.test_access import OWNED, path_for, site_urls, world  # noqa: F401

pytestmark = pytest.mark.django_db

# What a URL needs of the person (drafts/access.py): to read the draft (reading, comments,
# exports, the flow's steps, which the flow itself then checks), to change it (WRITE), or to
# own it. JOB: an export or a private phrase of one's own, which nobody else has.
READ_URLS = {
    "drafts:editor",
    "drafts:document",
    "drafts:history",
    "drafts:revision",
    "drafts:compare",
    "drafts:preview",
    "drafts:library",
    "drafts:material_detail",
    "drafts:item",
    "drafts:favourite",
    "review:hints",
    "review:status",
    "export_start",
    "redline_start",
    "drafts:flow_submit",
    "drafts:flow_withdraw",
    "drafts:flow_return",
    "drafts:flow_approve",
    "drafts:flow_finalize",
}
COMMENT_PREFIX = "drafts:comment"  # 批注: everyone who reads may comment
OWN_URLS = {"drafts:delete", "drafts:sharing", "drafts:undelete"}
JOB_URLS = {"exports:status", "exports:retry", "exports:download", "library:phrase_delete"}


def need_of(name: str) -> str:
    if name in JOB_URLS:
        return "job"
    if name in OWN_URLS:
        return "own"
    if name in READ_URLS or name.startswith(COMMENT_PREFIX):
        return "read"
    return "write"


# Which needs each person meets.
MEETS = {
    "owner": {"read", "write", "own", "job"},
    "co": {"read", "write"},
    "reviewer": {"read"},
    "colleague": set(),
    "stranger": set(),
    "curator": set(),
    "curator_other": set(),
}


@pytest.fixture
def people(world, alice, bob, editor, django_user_model):
    """World's draft is alice's, in the default unit; bob is her colleague with no share."""
    other_unit = Unit.objects.create(name="另一单位")
    co = django_user_model.objects.create_user("co", password="x")
    reviewer = django_user_model.objects.create_user("rev", password="x")
    stranger = django_user_model.objects.create_user("far", password="x")
    membership_set(user=stranger, unit=other_unit)
    curator_other = django_user_model.objects.create_user("cur2", password="x", is_staff=True)
    membership_set(user=curator_other, unit=other_unit)
    draft = world["draft"]
    ReviewRun.objects.filter(pk=world["run_id"]).update(
        findings=[
            {"key": "0123456789abcdef0123", "message": "示例提示", "item_id": world["item_id"]}
        ]
    )
    library = Phrase.objects.create(kind=PhraseKind.GOLDEN, text="单位金句", status=Status.APPROVED)
    world["library_phrase"] = library.pk
    flow.share_set(draft, user_id=co.pk, role=DraftShare.Role.EDIT)
    flow.share_set(draft, user_id=reviewer.pk, role=DraftShare.Role.REVIEW)
    return {
        "owner": alice,
        "co": co,
        "reviewer": reviewer,
        "colleague": bob,
        "stranger": stranger,
        "curator": editor,
        "curator_other": curator_other,
    }


def values_for(name: str, world: dict) -> dict:
    values = dict(world)
    if name.startswith("exports:"):
        values["pk"] = world["job"]
    elif name == "library:phrase_delete":
        values["pk"] = world["phrase"]
    return values


def requests(world):
    routes = dict(site_urls())
    for name, (methods, _params) in OWNED.items():
        path = path_for(routes[name], values_for(name, world))
        for method in methods.split():
            for htmx in (False, True):
                yield name, method, path, htmx


def send(client, method, path, htmx, world, *, keep=False):
    """The request as the page sends it: the version, and what a form of that URL names (a
    library paragraph or phrase, a review finding), so that a 404 is about the draft."""
    headers = {"HX-Request": "true"} if htmx else {}
    version = Draft.objects.get(pk=world["pk"]).version
    data = {"version": version, "current_version": version}
    if method == "POST":
        data.update(
            paragraph=world["paragraph_id"],
            phrase=world.get("library_phrase", ""),
            key="0123456789abcdef0123",
            on="1",
        )
    sender = client.get if method == "GET" else client.post
    if keep:
        return sender(path, data, headers=headers)
    with transaction.atomic():
        response = sender(path, data, headers=headers)
        transaction.set_rollback(True)
    return response


def outcome(response) -> str:
    if response.status_code == 404:
        return "missing"
    if response.status_code == 403:
        return "refused"
    if response.status_code == 302 and response.headers["Location"].startswith("/accounts/login"):
        return "login"
    return "served"


def test_every_person_gets_what_their_role_allows_on_every_url(client, people, world):
    wrong = []
    for who, user in people.items():
        client.force_login(user)
        for name, method, path, htmx in requests(world):
            need = need_of(name)
            if name == "drafts:undelete":
                continue  # not in the 回收站: 404 for everyone (test_access.py)
            response = send(client, method, path, htmx, world)
            got = outcome(response)
            if need in MEETS[who]:
                expected = "served"
            elif who in ("owner", "co", "reviewer") and need in ("write", "own"):
                expected = "refused"  # they see the draft: told why not, not told it is gone
            else:
                expected = "missing"
            if got != expected:
                wrong.append((who, name, method, htmx, response.status_code))
            if got == "refused":
                body = response.content.decode()  # says why, in words
                assert any(why in body for why in REFUSALS.values()), (who, name)
    assert wrong == [], "\n".join(map(str, wrong))


def test_a_signed_out_visitor_is_sent_to_login_everywhere(client, people, world):
    for name, method, path, htmx in requests(world):
        response = send(client, method, path, htmx, world)
        if htmx:
            assert response.status_code in (302, 401), (name, response.status_code)
        else:
            assert outcome(response) == "login", (name, method, response.status_code)


def state_of(draft: Draft) -> tuple:
    draft.refresh_from_db()
    return (
        draft.version,
        draft.title,
        draft.meeting_name,
        draft.stage,
        draft.flow,
        draft.deleted_at,
        list(
            draft.items.order_by("id").values_list("id", "parent_id", "position", "heading", "body")
        ),
        draft.revisions.count(),
    )


def test_a_reviewer_changes_nothing_by_any_url(client, people, world):
    """Every request kept (no rollback): the text, details, versions and flow are as before."""
    draft = world["draft"]
    before = state_of(draft)
    client.force_login(people["reviewer"])
    for _name, method, path, htmx in requests(world):
        send(client, method, path, htmx, world, keep=True)
    assert state_of(draft) == before


def test_after_final_no_url_changes_the_draft(client, people, world):
    draft = world["draft"]
    signer = people["curator"]  # the unit's 签发人 happens to be its curator here
    Membership.objects.filter(user=signer).update(is_signer=True)
    owner, reviewer = people["owner"], people["reviewer"]
    details = Details(
        title=draft.title,
        meeting_name=draft.meeting_name or "全市工作会议",
        variables={**draft.variables, "地区": "江城"},
    )
    draft_details_update(draft, user=owner, version=draft.version, details=details)
    draft.refresh_from_db()
    flow.flow_submit(draft, user=owner, version=draft.version, reviewer_id=reviewer.pk)
    flow.flow_approve(draft, user=reviewer, version=draft.version)
    flow.flow_finalize(draft, user=signer, version=draft.version)
    assert draft.flow == Flow.FINAL
    before = state_of(draft)
    for who in ("owner", "co", "reviewer", "curator"):
        client.force_login(people[who])
        for name, method, path, htmx in requests(world):
            if name == "drafts:copy":
                continue  # a new draft from it: the one way on (checked in test_flow.py)
            send(client, method, path, htmx, world, keep=True)
    assert state_of(draft) == before
