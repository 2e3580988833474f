"""时效 in the editor's library panel, in a real browser: hidden by default, marked when shown."""

from datetime import date

import pytest
from playwright.sync_api import expect

from speechdraft.corpus.models import Paragraph, Skeleton, SourceDocument, Status
from speechdraft.drafts.services import draft_create
from tests.e2e.pages import login, settled

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_panel_hides_stale_material_and_marks_it_when_asked(
    page, live_server, alice, formulations
):
    document = SourceDocument.objects.create(file_name="2021年讲话.txt", state="done")
    skeleton = Skeleton.objects.create(
        document=document, index=0, title="在全市金融工作会议上的讲话"
    )
    for n, text in enumerate(
        ["要配合银保监会做好金融风险防范工作。", "要配合地方金融管理部门做好金融风险防范工作。"]
    ):
        Paragraph.objects.create(
            skeleton=skeleton, position=n, text=text, role="tasks", status=Status.APPROVED
        )
    draft = draft_create(owner=alice, title="在全市金融工作会议上的讲话", region="江城")
    draft.date = date(2026, 3, 10)
    draft.save(update_fields=["date"])

    login(page, live_server)
    page.goto(f"{live_server.url}/drafts/{draft.pk}/")
    settled(page)
    toggle = page.get_by_label("隐藏过时素材")
    expect(toggle).to_be_checked()
    page.get_by_label("搜索素材").fill("金融风险防范")
    results = page.locator("#library-results")
    expect(results).to_contain_text("已隐藏 1 条过时素材")
    expect(results.locator(".result")).to_have_count(1)
    expect(results).not_to_contain_text("银保监会")

    toggle.uncheck()
    expect(results.locator(".result")).to_have_count(2)
    mark = results.locator(".badge-stale")
    expect(mark).to_have_count(1)
    expect(mark).to_have_text("时效")
    expect(mark).to_have_attribute(
        "title",
        "「银保监会」：2023年5月起由国家金融监督管理总局履行职责，不再保留中国银行保险监督管理委员会（出自2021年的讲话，当时的提法）",
    )
    expect(results.locator(".result-year").first).to_have_text("2021年")
