"""No slot syntax reaches a person: every page and fragment a drafter can open (the access
test's URL list) and the library, search and 审稿 views, read as text, hold no {{, }}, {%,
no {# (a template comment Django ends only on its own line) and no 部分数 — slots show as
chips or values."""

import re
from html.parser import HTMLParser

import pytest

from speechdraft.corpus.models import Skeleton, Status
from speechdraft.drafts.services import StartMode, draft_create
from speechdraft.review.models import ReviewRun
from speechdraft.review.services import review_run
from tests.security.test_access import OWNED, PERSONAL, path_for, site_urls

pytestmark = pytest.mark.django_db
RAW = re.compile(r"\{\{|\}\}|\{%|\{#|#\}|部分数")


class VisibleText(HTMLParser):
    """The text a reader sees: text nodes outside script, style and templates."""

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template", "textarea"):
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "textarea"):
            self.hidden = max(0, self.hidden - 1)

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "".join(parser.parts)


@pytest.fixture
def world(alice, sample_library):
    skeleton = Skeleton.objects.filter(status=Status.APPROVED, title__contains="领导干部").first()
    draft = draft_create(
        owner=alice, title="在东山县干部大会上的讲话", skeleton=skeleton, mode=StartMode.FULL
    )
    run = ReviewRun.objects.create(draft=draft, version=draft.version)
    review_run(run.pk)
    return {
        "pk": draft.pk,
        "item_id": draft.items.first().pk,
        "version": draft.version,
        "run_id": run.pk,
        "paragraph_id": skeleton.paragraphs.filter(status=Status.APPROVED).first().pk,
    }


def test_no_page_a_drafter_opens_shows_slot_syntax(alice_client, world):
    routes = dict(site_urls())
    pages = [
        path_for(routes[name], world)
        for name, (methods, _) in OWNED.items()
        if "GET" in methods and "job" not in _
    ]
    pages += [path_for(routes[name], world) for name in PERSONAL if name != "accounts:logout"]
    pages += [
        "/library/?q=意见",
        "/library/?q=干部",
        f"/drafts/{world['pk']}/library/?q=干部",
        f"/drafts/{world['pk']}/library/?q=意见",
        f"/drafts/{world['pk']}/review/items/{world['item_id']}/",
    ]
    for path in pages:
        response = alice_client.get(
            path, headers={"HX-Request": "true"} if "/library/?" in path else {}
        )
        if response.status_code != 200:
            continue
        text = visible(response.content.decode())
        found = RAW.search(text)
        assert found is None, (path, text[max(0, found.start() - 40) : found.end() + 40])
