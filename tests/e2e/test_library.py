"""The 素材库 page: find a paragraph, choose the draft by its title, and it lands there with
its heading and numbering."""

import pytest
from playwright.sync_api import expect

from speechdraft.corpus.models import Paragraph, Skeleton, SourceDocument, Status
from speechdraft.drafts.services import draft_create
from tests.e2e.pages import idle, login, new_blank_draft, own, part

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def library(alice):
    document = SourceDocument.objects.create(file_name="own.txt")
    skeleton = Skeleton.objects.create(
        document=document, index=0, title="在全县安全生产工作会议上的讲话"
    )
    return Paragraph.objects.create(
        skeleton=skeleton,
        position=1,
        heading="压实安全生产责任",
        text="要把安全生产责任落实到岗位、落实到人，做到守土有责、守土尽责。",
        role="tasks",
        status=Status.APPROVED,
    )


def test_a_paragraph_goes_into_the_draft_chosen_by_title_as_its_next_point(
    page, live_server, alice, library
):
    for n in range(17, 21):
        draft_create(owner=alice, title=f"在全县安全生产工作会议上的讲话（第{n}稿）")
    login(page, live_server)
    page.goto(f"{live_server.url}/library/?q=安全生产责任")
    page.get_by_role("searchbox", name="按标题查找要插入的讲话稿").fill("第19稿")
    chooser = page.locator("#insert-draft")
    expect(chooser.locator("option:checked")).to_contain_text("第19稿")
    page.screenshot(path="/tmp/library_insert.png", full_page=True)
    page.get_by_role("button", name="插入到讲话稿").first.click()
    expect(page.locator("#document")).to_contain_text("（一）压实安全生产责任")
    expect(page.locator("h1, .draft-title").first).to_contain_text("第19稿")


def test_the_panel_suggests_material_for_the_part_the_cursor_is_in(page, live_server, alice):
    """With nothing typed in 搜索素材, the panel lists 建议素材 of the part being written, and
    moving the cursor to another part changes them; an inserted suggestion becomes that
    part's next point."""
    document = SourceDocument.objects.create(file_name="own.txt")
    skeleton = Skeleton.objects.create(document=document, index=0, title="在全县工作会议上的讲话")
    for position, (role, heading, text) in enumerate(
        [
            ("situation", "清醒认识面临的形势", "当前全县经济运行总体平稳，但下行压力依然较大。"),
            ("style", "以过硬作风抓好落实", "各级干部要发扬钉钉子精神，一件一件抓落实。"),
        ]
    ):
        Paragraph.objects.create(
            skeleton=skeleton,
            position=position,
            heading=heading,
            text=text,
            role=role,
            status=Status.APPROVED,
        )
    login(page, live_server)
    new_blank_draft(page)
    results = page.locator("#library-results")
    own(part(page, 0)).click()
    expect(results).to_contain_text("建议素材")
    expect(results).to_contain_text("清醒认识面临的形势")
    expect(results).not_to_contain_text("以过硬作风抓好落实")
    own(part(page, 2)).click()
    expect(results).to_contain_text("以过硬作风抓好落实")
    expect(results).not_to_contain_text("清醒认识面临的形势")
    page.screenshot(path="/tmp/panel_suggestions.png")
    results.get_by_role("button", name="插入").first.click()
    idle(page)
    expect(part(page, 2)).to_contain_text("以过硬作风抓好落实")
