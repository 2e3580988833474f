"""Slot syntax in user or corpus text never runs code or unbounded work.

Only `{{ 名称 }}` slots are accepted; everything else Jinja2 would do is refused with a
Chinese message before any rendering, wherever the text comes from.
"""

import time

import pytest

from speechdraft.corpus.models import Paragraph, Status
from speechdraft.drafts.services import draft_create
from speechdraft.library.models import Phrase

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{% for i in range(10**9) %}x{% endfor %}",
    "{{ 'x' * 10**9 }}",
    "{{ 地区|attr('__class__') }}",
    "{% set x = namespace() %}{{ x }}",
]
HX = {"HX-Request": "true", "HX-Target": "document"}
BOUND = 2.0  # seconds: a refusal is immediate; running the payload would take minutes


@pytest.fixture
def draft(alice):
    return draft_create(owner=alice, title="在全市工作会议上的讲话", region="江城")


def timed(send, *args, **kwargs):
    start = time.monotonic()
    response = send(*args, **kwargs)
    return response, time.monotonic() - start


@pytest.mark.parametrize("payload", PAYLOADS)
def test_item_text_with_template_code_is_refused_quickly(alice_client, draft, payload):
    item = draft.items.filter(numbered=True).first()
    for headers in (HX, {}):
        response, seconds = timed(
            alice_client.post,
            f"/drafts/{draft.pk}/items/{item.pk}/edit/",
            {"heading": "标题", "body": "前文" + payload, "current_version": draft.version},
            headers=headers,
        )
        assert seconds < BOUND
        assert response.status_code == 422
        html = response.content.decode()
        assert "填空" in html and "前文" in html  # the message, and the text kept on screen
    item.refresh_from_db()
    assert payload not in item.body


@pytest.mark.parametrize("payload", PAYLOADS[:4])
def test_variable_values_are_plain_text_never_templates(alice_client, draft, payload):
    response = alice_client.post(
        f"/drafts/{draft.pk}/details/",
        {
            "title": draft.title,
            "meeting_name": "",
            "speaker": "",
            "date": "",
            "stage": "drafting",
            "var_地区": payload,
            "current_version": draft.version,
        },
        headers=HX,
    )
    assert response.status_code == 200
    preview, seconds = timed(alice_client.get, f"/drafts/{draft.pk}/preview/")
    assert seconds < BOUND and preview.status_code == 200
    html = preview.content.decode()
    assert "&lt;class" not in html and "__globals__" not in html.replace(payload, "")
    assert "xxxxxxxxxx" not in html


@pytest.mark.parametrize("payload", PAYLOADS[1:3])
def test_library_material_with_template_code_is_refused_at_insert(
    alice_client, draft, sample_library, payload
):
    """A curator's edit or a scraped text may carry template code: it is shown as text in
    the library and refused, with a message, when a drafter inserts it."""
    paragraph = Paragraph.objects.filter(status=Status.APPROVED).first()
    paragraph.text = "推动发展" + payload
    paragraph.save()
    phrase = Phrase.objects.create(kind="golden", text="私人" + payload, owner=draft.owner)
    found, seconds = timed(alice_client.get, f"/drafts/{draft.pk}/library/", {"q": "推动发展"})
    assert seconds < BOUND and found.status_code == 200
    for material in ({"paragraph": paragraph.pk}, {"phrase": phrase.pk}):
        response, seconds = timed(
            alice_client.post,
            f"/drafts/{draft.pk}/material/",
            {**material, "current_version": draft.version},
            headers=HX,
        )
        assert seconds < BOUND
        assert response.status_code == 422 and "填空" in response.content.decode()
    assert not draft.items.filter(body__contains="{%").exists()
    assert not draft.items.filter(body__contains="__").exists()


def test_huge_text_is_refused_before_parsing(alice_client, draft):
    item = draft.items.first()
    body = "{{ 地区 }}" * 20_000  # 160,000 characters of slots
    response, seconds = timed(
        alice_client.post,
        f"/drafts/{draft.pk}/items/{item.pk}/edit/",
        {"heading": "", "body": body, "current_version": draft.version},
        headers=HX,
    )
    assert seconds < BOUND and response.status_code == 422
    assert "字" in response.content.decode()


def test_an_oversized_item_is_refused_with_the_text_kept(alice_client, draft):
    item = draft.items.first()
    body = "要坚持问题导向。" * 8_000  # 64,000 characters, no slots
    response, seconds = timed(
        alice_client.post,
        f"/drafts/{draft.pk}/items/{item.pk}/edit/",
        {"heading": "", "body": body, "current_version": draft.version},
        headers=HX,
    )
    assert seconds < BOUND and response.status_code == 422
    html = response.content.decode()
    assert "正文过长" in html and body[:200] in html
    item.refresh_from_db()
    assert item.body != body
