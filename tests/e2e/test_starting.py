"""Starting a speech: from a skeleton's structure with the source beside it, and finding,
copying and restoring drafts in 我的讲话稿."""

import re

import pytest
from playwright.sync_api import expect

from speechdraft.corpus.models import Skeleton, Status
from speechdraft.drafts.models import Draft
from speechdraft.drafts.services import draft_create
from tests.e2e.pages import create_from_skeleton, idle, login, own, part

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "title",
    [
        "在全区领导干部大会上的讲话",
        "在2020年全市干部大会上的讲话",
        "在全县三季度重点工作“擂台比武”大会上的讲话",
    ],
)
def test_by_structure_the_headings_come_and_the_source_waits_beside(
    page, live_server, alice, sample_library, title
):
    skeleton = Skeleton.objects.get(title=title)
    login(page, live_server)
    create_from_skeleton(page, title, title="在全县安全生产工作会议上的讲话", region="东山")
    sections = list(skeleton.sections.filter(level=1).order_by("position"))
    for n, section in enumerate(sections):
        expect(own(part(page, n))).to_have_text(section.heading.replace("{{ 地区 }}", "东山"))
    # No body of the source speech in the draft: its paragraphs wait in 参考原文.
    source = skeleton.paragraphs.filter(section=sections[0]).first()
    expect(page.locator("#document")).not_to_contain_text(source.text[:15])
    expect(page.locator("#document")).to_contain_text(
        re.compile("三(点意见|句话)")
    )  # its own 过渡语
    own(part(page, 0)).click()
    group = page.locator("#reference details.current")
    expect(group).to_contain_text(sections[0].heading)
    group.locator(".ref-para").first.get_by_role("button", name="插入").click()
    idle(page)
    draft = Draft.objects.get()
    first_part = draft.items.get(source_section=sections[0])
    assert first_part.body == source.text


def test_an_incomplete_source_is_not_offered_until_a_curator_approves_it(
    page, live_server, alice, sample_library
):
    login(page, live_server)
    page.get_by_role("link", name="新建讲话稿").first.click()
    expect(page.locator(".skeleton-choice", has_text="三新三强")).to_have_count(0)
    Skeleton.objects.filter(title__contains="三新三强").update(status=Status.APPROVED)
    page.reload()
    choice = page.locator(".skeleton-choice", has_text="三新三强")
    expect(choice.locator(".badge-warn")).to_have_text("不完整")
    expect(choice).to_contain_text("从第二部分开始，前面的内容缺失")


def test_find_a_draft_copy_it_and_restore_one_from_the_trash(page, live_server, alice):
    for n in range(30):
        draft_create(owner=alice, title=f"在第{n}次常务会议上的讲话", meeting_name="常务会议")
    draft_create(owner=alice, title="在全县安全生产工作会议上的讲话", speaker="县长 王强")
    login(page, live_server)
    expect(page.locator(".pager")).to_contain_text("共 31 篇")
    page.get_by_label("查找讲话稿").fill("王强")
    page.get_by_role("button", name="查找").click()
    rows = page.locator("table.list tbody tr")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("button", name="复制为新稿").click()
    page.wait_for_url(re.compile(r"/drafts/\d+/$"))
    expect(page.locator("h1")).to_have_text("在全县安全生产工作会议上的讲话（副本）")
    page.goto(f"{live_server.url}/?q=安全生产")
    expect(rows).to_have_count(2)
    page.get_by_role("button", name="删除《在全县安全生产工作会议上的讲话》").click()
    expect(page.locator(".messages")).to_contain_text("移到回收站")
    page.get_by_role("link", name=re.compile("回收站")).click()
    page.get_by_role("button", name="恢复").click()
    page.wait_for_url(re.compile(r"/drafts/\d+/$"))
    expect(page.locator("#flash")).to_contain_text("已恢复")
    assert Draft.objects.live().count() == 32
