import pytest

from speechdraft.corpus.models import Skeleton
from speechdraft.drafts.models import DraftItem
from speechdraft.drafts.services import draft_create, draft_item_update
from speechdraft.library.models import Formulation
from speechdraft.review.models import ReviewRun
from speechdraft.review.services import draft_review, finding_apply, finding_dismiss, review_request
from tests.conftest import wait_until

HX = {"HX-Request": "true"}


@pytest.fixture
def reused_draft(alice, sample_library, formulations):
    skeleton = Skeleton.objects.get(title="在2020年全市干部大会上的讲话")
    return draft_create(
        owner=alice, title="新的讲话", region="江城", skeleton=skeleton, mode="full"
    )


@pytest.mark.django_db
def test_reused_paragraphs_are_found_with_their_source(reused_draft):
    report = draft_review(reused_draft)
    reuse = [f for f in report.findings if f["check"] == "reuse"]
    assert reuse
    assert any(
        "此段与《在2020年全市干部大会上的讲话》重点任务部分相似度" in f["message"] for f in reuse
    )
    # A rewritten paragraph is no longer flagged.
    item = reused_draft.items.filter(numbered=True).first()
    rewritten = "今年我们要坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，推动数字经济和实体经济深度融合，抓好三个重点园区建设。"
    draft_item_update(
        reused_draft,
        user=reused_draft.owner,
        version=reused_draft.version,
        item_id=item.pk,
        heading=item.heading,
        body=rewritten,
    )
    again = draft_review(reused_draft, changed_ids=[item.pk])
    assert not [f for f in again.findings if f["check"] == "reuse" and f["item_id"] == item.pk]


@pytest.mark.django_db
def test_typos_get_one_click_replacement_and_dismissal(reused_draft, alice):
    report = draft_review(reused_draft)
    typo = next(
        f for f in report.findings if f["check"] == "formulation" and "心无旁骛" in f["message"]
    )
    assert typo["replacement"] == "心无旁骛" and typo["original"] == "心无旁鸯"
    reused_draft.refresh_from_db()
    finding_apply(
        reused_draft,
        user=alice,
        version=reused_draft.version,
        item_id=typo["item_id"],
        target=typo["target"],
        original=typo["original"],
        replacement=typo["replacement"],
    )
    item = DraftItem.objects.get(pk=typo["item_id"])
    assert "心无旁鸯" not in item.body and "心无旁骛" in item.body
    other = next(f for f in draft_review(reused_draft).findings if "千罗万象" in f["message"])
    finding_dismiss(reused_draft, other["key"])
    after = draft_review(reused_draft)
    assert not any("千罗万象" in f["message"] for f in after.findings)
    assert after.dismissed >= 1


@pytest.mark.django_db
def test_curated_list_and_format_checks(alice, formulations):
    draft = draft_create(owner=alice, title="格式检查", meeting_name="会议", region="江城")
    item = draft.items.filter(numbered=True).first()
    draft_item_update(
        draft,
        user=alice,
        version=draft.version,
        item_id=item.pk,
        heading=item.heading,
        body="2024年03月05日召开会议,要按步就班推进，推进新常态下的工作。",
    )
    Formulation.objects.create(
        wrong="新常态下的工作", right="新发展阶段的工作", kind="outdated", note="本单位规定"
    )
    draft.refresh_from_db()
    messages = [f["message"] for f in draft_review(draft).findings]
    assert any("2024年3月5日" in m for m in messages)
    assert any("按步就班" in m for m in messages)
    assert any("新常态下的工作" in m for m in messages)
    assert any("逗号" in m for m in messages)


@pytest.mark.django_db(transaction=True)
def test_full_review_runs_in_the_background_and_the_panel_shows_it(
    client, alice, tasks_run, sample_library, formulations
):
    skeleton = Skeleton.objects.get(title="在2020年全市干部大会上的讲话")
    draft = draft_create(
        owner=alice, title="新的讲话", region="江城", skeleton=skeleton, mode="full"
    )
    client.force_login(alice)
    client.post(f"/drafts/{draft.pk}/review/", headers=HX)
    run = ReviewRun.objects.get()
    assert wait_until(lambda: ReviewRun.objects.get().status == "done", timeout=60)
    html = client.get(f"/drafts/{draft.pk}/review/{run.pk}/", headers=HX).content.decode()
    assert "与往年讲话雷同" in html and "一键替换为“心无旁骛”" in html and "第二部分" in html


@pytest.mark.django_db
def test_apply_and_hints_through_the_views(client, alice, reused_draft):
    client.force_login(alice)
    run = review_request(reused_draft)
    from speechdraft.review.services import review_run

    review_run(run.pk)
    run.refresh_from_db()
    typo = next(f for f in run.findings if f.get("replacement") == "心无旁骛")
    response = client.post(
        f"/drafts/{reused_draft.pk}/review/{run.pk}/apply/",
        {"key": typo["key"], "current_version": reused_draft.version},
        headers=HX,
    )
    assert response.status_code == 200 and "已替换为“心无旁骛”" in response.content.decode()
    hints = client.get(f"/drafts/{reused_draft.pk}/review/items/{typo['item_id']}/", headers=HX)
    assert "心无旁鸯" not in hints.content.decode()


@pytest.mark.django_db
def test_other_users_get_404(client, bob, reused_draft):
    run = review_request(reused_draft)
    item = reused_draft.items.first()
    client.force_login(bob)
    base = f"/drafts/{reused_draft.pk}/review/"
    assert client.post(base).status_code == 404
    assert client.get(f"{base}{run.pk}/").status_code == 404
    assert client.post(f"{base}{run.pk}/dismiss/", {"key": "x"}).status_code == 404
    assert client.post(f"{base}{run.pk}/apply/", {"key": "x"}).status_code == 404
    assert client.get(f"{base}items/{item.pk}/").status_code == 404


@pytest.mark.django_db
def test_sample_corpus_text_raises_no_false_format_alarm(alice, sample_library):
    """The samples' correct text (full-width punctuation, real dates) passes the format checks."""
    skeleton = Skeleton.objects.get(title="在2020年全市干部大会上的讲话")
    draft = draft_create(owner=alice, title="样例", region="江城", skeleton=skeleton, mode="full")
    checks = {f["check"] for f in draft_review(draft, reuse=False).findings}
    assert not checks & {"date_format", "unbalanced"}


@pytest.mark.django_db
def test_length_summary_agrees_with_the_status_bar(alice, settings):
    from speechdraft.drafts.selectors import draft_document

    draft = draft_create(owner=alice, title="篇幅", meeting_name="会议", region="江城")
    draft.target_minutes = 1
    draft.save()
    summary = draft_review(draft, reuse=False).summary
    doc = draft_document(draft)
    assert summary["chars"] == doc.chars
    assert f"全文 {doc.chars} 字" in summary["message"] and "目标 1 分钟" in summary["message"]
    assert summary["over_target"] is (doc.chars / settings.READING_RATE > 1)
