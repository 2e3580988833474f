"""The drafter's workflow in a real browser (Debian's chromium through Playwright)."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from speechdraft.drafts.models import Draft
from speechdraft.exports import pdf
from tests.e2e.pages import (
    create_from_skeleton,
    drag,
    idle,
    login,
    own,
    part,
    part_numbers,
    settled,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_draft_from_skeleton_fourth_part_drag_insert_undo(page, live_server, alice, sample_library):
    login(page, live_server)
    create_from_skeleton(page, "在全区领导干部大会上的讲话")
    doc = page.locator("#document")
    expect(doc).to_contain_text("讲三点意见")
    expect(page.get_by_role("button", name="导出Word")).to_be_visible()
    assert [t[:2] for t in part_numbers(page)] == ["一、", "二、", "三、"]

    # 添加部分: a fourth part, numbered 四、, and the announcement follows; the cursor is in
    # its heading, on the page, and what is typed there is saved by itself.
    page.get_by_role("button", name="添加部分").click()
    settled(page)
    heading = own(part(page, 3))
    expect(heading).to_be_focused()
    expect(page.locator("#document ol.root > li.level-1").nth(3)).to_contain_text("四、")
    expect(doc).to_contain_text("讲四点意见")
    page.keyboard.type("坚持改革创新，激发发展活力")
    idle(page)
    expect(doc).to_contain_text("四、坚持改革创新，激发发展活力")
    assert Draft.objects.get().items.filter(heading="坚持改革创新，激发发展活力").exists()

    # Drag the fourth part above the first: numbers follow.
    handles = page.locator("#document ol.root > li.level-1 > .item-row .handle")
    drag(page, handles.nth(3), handles.nth(0))
    expect(page.locator("#document ol.root > li.level-1").first).to_contain_text("一、坚持改革创新")
    expect(doc).to_contain_text("四、强化管理")

    # Insert a library paragraph after the part the cursor is in.
    own(part(page, 0)).click()
    page.get_by_label("搜索素材").fill("营商环境")
    result = page.locator("#library-results .result").first
    expect(result).to_contain_text("营商环境")
    snippet = result.locator(".result-text").inner_text().strip("…")[:12]
    result.get_by_role("button", name="插入").click()
    expect(page.locator("#flash")).to_contain_text("已插入素材")
    draft = Draft.objects.get()
    assert draft.items.filter(source_paragraph__isnull=False, body__contains=snippet[:6]).exists()

    # 撤销 takes the insertion back.
    count = draft.items.count()
    page.get_by_role("button", name="撤销").click()
    expect(page.locator("#flash")).to_contain_text("已撤销")
    assert draft.items.count() == count - 1
    assert page.locator("#statusbar").inner_text().count("未填写") == 1


def test_variables_fill_slots_live(page, live_server, alice):
    login(page, live_server)
    page.get_by_role("link", name="新建讲话稿").first.click()
    page.get_by_label("标题 *").fill("空白稿")
    page.get_by_role("button", name="创建").click()
    expect(page.locator("#statusbar")).to_contain_text("未填写 2（会议名称、地区）")
    expect(page.locator("#document .chip.unfilled")).to_have_count(2)
    panel = page.locator("#details-panel")
    panel.get_by_label("地区").fill("江城")
    panel.get_by_label("地区").press("Tab")
    expect(page.locator("#statusbar")).to_contain_text("未填写 1（会议名称）")
    expect(page.locator("#document")).to_contain_text("为江城高质量发展")
    page.locator("#details-panel").get_by_label("会议名称").fill("全市工作会议")
    page.locator("#details-panel").get_by_label("会议名称").press("Tab")
    expect(page.locator("#statusbar")).to_contain_text("未填写 0")
    expect(page.locator("#document")).to_contain_text("今天我们召开全市工作会议")


def test_export_word_shows_progress_then_download(page, live_server, alice, tasks_run):
    from docx import Document

    login(page, live_server)
    page.get_by_role("link", name="新建讲话稿").first.click()
    page.get_by_label("标题 *").fill("在全市工作会议上的讲话")
    page.get_by_label("会议名称").fill("全市工作会议")
    page.get_by_role("textbox", name="地区").fill("江城")
    page.get_by_role("button", name="创建").click()
    page.get_by_role("button", name="导出Word").click()
    download_link = page.get_by_role("link", name="下载")
    expect(download_link).to_be_visible(timeout=30_000)
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename == "在全市工作会议上的讲话.docx"
    texts = [p.text for p in Document(str(download.path())).paragraphs]
    assert any(t.startswith("一、") for t in texts) and any("我讲三点意见" in t for t in texts)
    if pdf.program_for(""):  # 导出PDF is offered where LibreOffice is
        page.get_by_role("button", name="导出PDF").click()
        expect(page.locator("#export-status")).to_contain_text("PDF 文件已生成", timeout=90_000)
        with page.expect_download() as info:
            page.get_by_role("link", name="下载").click()
        assert info.value.suggested_filename == "在全市工作会议上的讲话.pdf"
        assert Path(info.value.path()).read_bytes().startswith(b"%PDF")


def test_export_with_unfilled_slots_offers_draft_for_comment(page, live_server, alice):
    login(page, live_server)
    page.get_by_role("link", name="新建讲话稿").first.click()
    page.get_by_label("标题 *").fill("空白稿")
    page.get_by_role("button", name="创建").click()
    page.get_by_role("button", name="导出Word").click()
    expect(page.locator("#export-status")).to_contain_text("还有 2 处未填写：会议名称、地区")
    page.get_by_role("button", name=re.compile("仍然导出征求意见稿")).click()
    expect(page.get_by_role("link", name="下载")).to_be_visible(timeout=30_000)


def test_review_panel_flags_reuse_and_dates_and_fixes_a_typo(
    page, live_server, alice, sample_library, tasks_run, formulations
):
    login(page, live_server)
    # Last year's speech revised for this year: the whole text copied, then checked for reuse.
    create_from_skeleton(page, "在2020年全市干部大会上的讲话", mode="参照全文")
    # Write a padded date at the start of the opening paragraph.
    opening = (
        page.locator("#document ol.root > li.para")
        .nth(1)
        .locator(".item-text [data-field=body]")
        .first
    )
    opening.click()
    page.keyboard.press("Home")
    page.keyboard.type("2024年03月05日，我们召开全市干部大会。")
    # Leaving the paragraph saves it, and the on-save check shows under it.
    page.get_by_label("搜索素材").click()
    expect(page.locator(".item-hints").first).to_contain_text("2024年3月5日", timeout=20_000)

    page.get_by_role("button", name="全文审稿").click()
    panel = page.locator("#review-panel")
    expect(panel).to_contain_text("与往年讲话雷同", timeout=30_000)
    expect(panel).to_contain_text("此段与《在2020年全市干部大会上的讲话》")
    expect(panel).to_contain_text("日期格式")
    panel.get_by_role("button", name="一键替换为“心无旁骛”").click()
    expect(page.locator("#flash")).to_contain_text("已替换为“心无旁骛”")
    expect(page.locator("#document")).not_to_contain_text("心无旁鸯")
    expect(page.locator("#document")).to_contain_text("心无旁骛")
