"""User and corpus text is shown as text on every page: no markup of its own gets through.

The payloads go in the way an attacker's text would (a drafter's own fields, a private
phrase, a scraped document ingested into the corpus) and every page that shows them is read.
"""

import re

import pytest
from django.core.management import call_command

from speechdraft.corpus.models import Paragraph, Skeleton, Term
from speechdraft.drafts.models import Comment, Draft
from speechdraft.library.models import Formulation, Phrase, Tag
from speechdraft.review.models import ReviewRun
from speechdraft.review.services import review_run

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x1")</script>'
ATTRIBUTE = '"><img src=x onerror=alert(2)>'
LINK = '<a href="javascript:alert(3)">点我</a>'
EVIL = SCRIPT + ATTRIBUTE + LINK
HX = {"HX-Request": "true", "HX-Target": "document"}


def assert_inert(html: str, where: str) -> None:
    """None of the payloads arrived as markup (each may well be there, escaped)."""
    assert "<script>alert(" not in html, where
    assert "<img src=x" not in html, where
    assert not re.search(r"""<a\s+href\s*=\s*["'“]?\s*javascript:""", html, re.I), where


@pytest.fixture
def corpus(tmp_path):
    """A scraped speech whose title, headings and paragraphs carry the payloads."""
    text = f"""在全市{SCRIPT}工作会议上的讲话
同志们：
今天召开会议，主要任务是部署全年工作。下面，我讲三点意见。
一、提高政治站位{ATTRIBUTE}
要深刻认识做好工作的重要意义，切实增强责任感使命感紧迫感{LINK}。
二、突出工作重点
要聚焦主责主业，推动各项任务落地见效{SCRIPT}，确保取得实效。
三、强化作风保障
要锤炼过硬作风，以钉钉子精神抓好落实{ATTRIBUTE}。
同志们，让我们团结一心，为高质量发展作出新的更大贡献！
"""
    path = tmp_path / "evil-speech.txt"
    path.write_text(text, encoding="utf-8")
    with open("/dev/null", "w") as sink:
        call_command("ingest", str(path), approve=True, stdout=sink)
    # Ingestion drops markup copied from web pages (reported as removed), keeping the text.
    assert not Paragraph.objects.filter(text__contains="<img").exists()
    assert Paragraph.objects.filter(text__contains="紧迫感点我").exists()
    # A curator may still paste anything into a paragraph in the admin.
    pasted = Paragraph.objects.get(text__contains="紧迫感点我")
    pasted.text = pasted.text + EVIL
    pasted.save()
    return Skeleton.objects.get(document__file_name__contains="evil-speech")


def test_draft_fields_and_items_are_text_on_every_drafter_page(alice_client, corpus):
    response = alice_client.post(
        "/drafts/new/",
        {
            "title": "标题" + ATTRIBUTE + SCRIPT,
            "meeting_name": LINK,
            "speaker": ATTRIBUTE,
            "date": "2024-03-05",
            "region": ATTRIBUTE,
            "skeleton": corpus.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    draft = Draft.objects.get(owner__username="alice")
    base = f"/drafts/{draft.pk}/"
    item = draft.items.filter(numbered=True).first()
    alice_client.post(
        f"{base}items/{item.pk}/edit/",
        {
            "heading": EVIL,
            "body": EVIL + "请{{ 书记 }}同志牵头。",
            "current_version": draft.version,
        },
    )
    draft.refresh_from_db()
    alice_client.post(
        f"{base}details/",
        {
            "title": draft.title,
            "meeting_name": LINK,
            "speaker": ATTRIBUTE,
            "date": "2024-03-05",
            "stage": "drafting",
            "var_地区": ATTRIBUTE,
            "new_name": "书记",
            "new_value": EVIL,
            "current_version": draft.version,
        },
    )
    draft.refresh_from_db()
    assert draft.variables["书记"] == EVIL
    alice_client.post("/library/phrases/", {"kind": "golden", "text": "私人金句" + EVIL})
    assert Phrase.objects.filter(owner__username="alice").exists()
    run = ReviewRun.objects.create(draft=draft, version=draft.version)
    review_run(run.pk)
    item.refresh_from_db()
    # 批注 on the payload's words, saying it, answered with it; one from a Word file signed with it.
    comment = {"item_id": item.pk, "field": "body", "anchor": EVIL, "offset": 0, "text": EVIL}
    assert alice_client.post(f"{base}comments/", comment).status_code == 302
    first = Comment.objects.get()
    Comment.objects.create(
        draft=draft, item=item, field="heading", anchor=EVIL, text="好", author_name=ATTRIBUTE
    )
    margin = alice_client.post(
        f"{base}comments/{first.pk}/answer/", {"text": EVIL}, headers={"HX-Request": "true"}
    )
    refused = alice_client.post(
        f"{base}comments/",
        {**comment, "anchor": SCRIPT + "不在正文"},
        headers={"HX-Request": "true"},
    )
    assert refused.status_code == 422
    assert_inert(refused.content.decode(), "comment refused")
    pages = {
        "comments margin": margin,
        "list": alice_client.get("/"),
        "new": alice_client.get("/drafts/new/"),
        "editor": alice_client.get(base),
        "edit form": alice_client.get(f"{base}items/{item.pk}/edit/", headers=HX),
        "preview": alice_client.get(f"{base}preview/"),
        "history": alice_client.get(f"{base}history/"),
        "revision": alice_client.get(f"{base}history/{draft.version}/"),
        "library page": alice_client.get("/library/", {"q": "工作重点"}),
        "library phrases": alice_client.get("/library/", {"q": "私人金句"}),
        "editor library panel": alice_client.get(f"{base}library/", {"q": "紧迫感"}),
        "review panel": alice_client.get(f"{base}review/{run.pk}/"),
        "review hints": alice_client.get(f"{base}review/items/{item.pk}/"),
    }
    for where, response in pages.items():
        assert response.status_code == 200, where
        assert_inert(response.content.decode(), where)
    # Shown, as text: the user sees exactly what they typed.
    assert "&lt;script&gt;alert(&quot;x1&quot;)&lt;/script&gt;" in pages["editor"].content.decode()
    assert "&lt;a href=&quot;javascript" in pages["editor library panel"].content.decode()


def test_corpus_and_curation_text_is_text_in_the_admin(client, editor, corpus):
    Tag.objects.create(name="标签" + ATTRIBUTE[:20])
    Term.objects.create(word="词" + SCRIPT[:30])
    Formulation.objects.create(wrong="错" + SCRIPT[:40], right="对" + ATTRIBUTE[:20], note=LINK)
    Phrase.objects.create(kind="golden", text="金句" + EVIL, status="approved")
    client.force_login(editor)
    paragraph = Paragraph.objects.filter(text__contains="<a href=").first()
    assert paragraph is not None
    pages = [
        "/admin/corpus/sourcedocument/",
        f"/admin/corpus/sourcedocument/{corpus.document_id}/change/",
        "/admin/corpus/skeleton/",
        f"/admin/corpus/skeleton/{corpus.pk}/change/",
        "/admin/corpus/paragraph/",
        "/admin/corpus/paragraph/?q=%E8%90%BD%E5%9C%B0",
        f"/admin/corpus/paragraph/{paragraph.pk}/change/",
        "/admin/library/phrase/",
        "/admin/library/tag/",
        "/admin/corpus/term/",
        "/admin/library/formulation/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_inert(response.content.decode(), path)
