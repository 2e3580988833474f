"""One limit per text field: the plain form, the in-place editor and the autosave refuse the
same lengths with the same message, and never cut what was typed."""

import re

import pytest
from django.urls import resolve

from speechdraft.drafts.services import (
    BODY_TOO_LONG,
    HEADING_TOO_LONG,
    MAX_BODY_CHARS,
    MAX_HEADING_CHARS,
)

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true", "HX-Target": "document"}


def _item(draft):
    return draft.items.filter(numbered=True).first()


@pytest.mark.parametrize("way", ["form", "autosave"])
def test_a_body_at_the_limit_is_kept_and_one_over_is_refused_the_same_way(alice_client, draft, way):
    item = _item(draft)

    def send(body: str):
        draft.refresh_from_db()
        if way == "form":
            return alice_client.post(
                f"/drafts/{draft.pk}/items/{item.pk}/edit/",
                {"heading": item.heading, "body": body, "current_version": draft.version},
                headers=HX,
            )
        return alice_client.post(
            f"/drafts/{draft.pk}/items/{item.pk}/save/",
            {"heading": item.heading, "body": body, "version": draft.version},
        )

    at_limit = "字" * MAX_BODY_CHARS
    assert send(at_limit).status_code == 200
    item.refresh_from_db()
    assert item.body == at_limit

    over = "句" * (MAX_BODY_CHARS + 1)
    answer = send(over)
    text = answer.content.decode()
    if way == "form":
        assert BODY_TOO_LONG in text and over in text  # the typed text stays in the form
    else:
        assert answer.status_code == 422 and answer.json()["error"] == BODY_TOO_LONG
    item.refresh_from_db()
    assert item.body == at_limit  # nothing stored, nothing cut


def test_a_long_heading_is_refused_not_cut(alice_client, draft):
    item = _item(draft)
    heading = "标" * (MAX_HEADING_CHARS + 1)
    answer = alice_client.post(
        f"/drafts/{draft.pk}/items/{item.pk}/save/",
        {"heading": heading, "body": "正文", "version": draft.version},
    )
    assert answer.status_code == 422 and answer.json()["error"] == HEADING_TOO_LONG
    item.refresh_from_db()
    assert item.heading != heading[:MAX_HEADING_CHARS]


def test_the_export_menu_offers_the_profiles_the_export_knows(alice_client, draft):
    from speechdraft.exports.models import Profile

    html = alice_client.get(f"/drafts/{draft.pk}/").content.decode()
    menu = re.search(r'<select name="profile"[^>]*>(.*?)</select>', html, re.S).group(1)
    offered = re.findall(r'<option value="([^"]+)">([^<]+)</option>', menu)
    assert offered == list(Profile.choices)


def test_every_action_form_of_the_outline_posts_to_its_own_view(alice_client, draft):
    """The outline's plain forms (the way without JavaScript) are built from reversed URLs."""
    item = _item(draft)
    html = alice_client.get(f"/drafts/{draft.pk}/?edit={item.pk}").content.decode()
    actions = set(re.findall(r'<form method="post" action="([^"]+/items/\d+/[a-z]+/)"', html))
    assert actions, "the open item shows its action forms"
    names = set()
    for action in actions:
        match = resolve(action)
        assert match.kwargs["pk"] == draft.pk
        names.add(match.url_name)
        if match.kwargs["item_id"] == item.pk:
            assert action.endswith(f"/{match.url_name.removeprefix('item_')}/")
    assert {"item_up", "item_down", "item_indent", "item_outdent", "item_delete"} <= names
