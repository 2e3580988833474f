"""A 东山县 speech from every sample skeleton, in both ways of starting, every blank filled in
the 会议信息与变量 panel: no 县县, no one person for different placeholders, no braces, in the
draft or in the Word file."""

import io
import re

import pytest
from docx import Document
from playwright.sync_api import expect

from speechdraft.corpus.models import Skeleton, Status
from speechdraft.drafts.models import Draft
from speechdraft.drafts.selectors import draft_document
from speechdraft.exports.services import render_bytes
from speechdraft.text.outline import reading_paragraphs
from tests.e2e.pages import idle, login, settled

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# A filled value followed by the suffix it already has (the source's own words, 片区区域,
# are not this).
DOUBLED = re.compile(r"东山县县|东\d+县县|江\d+市市|南\d+省省|河\d+镇镇|柳\d+村村|园区区|第\d+局局")
# A value per kind that reads like one, numbered so that every blank gets its own.
FILL = """(n, kind) => ({
  姓名: '王' + '甲乙丙丁戊己庚辛壬癸'[n % 10] + n, 县区名: '东' + n + '县', 市名: '江' + n + '市',
  省名: '南' + n + '省', 乡镇名: '河' + n + '镇', 村社区名: '柳' + n + '村', 园区名: '高新' + n + '园区',
  单位名: '第' + n + '局', 数字: String(n + 2), 年份: '2026', 月份: String(n % 12 + 1),
})[kind] || ('值' + n)"""


def fill_every_blank(page):
    """Every blank's field in the panel gets its own value; one 保存."""
    page.evaluate(
        f"""() => {{
          const fill = {FILL};
          let n = 0;
          document.querySelectorAll('#details-panel input[name^="var_"]').forEach(input => {{
            const name = input.name.slice(4);
            if (name === '地区') {{ input.value = '东山县'; return; }}
            input.value = fill(n++, name.replace(/[0-9]+$/, ''));
          }});
          const meeting = document.querySelector('#details-panel input[name="meeting_name"]');
          meeting.value = '全县安全生产工作会议';
        }}"""
    )
    page.locator("#details-panel").get_by_role("button", name="保存").click()
    idle(page)


@pytest.mark.parametrize("mode", ["按结构起草", "参照全文"])
def test_every_sample_skeleton_fills_into_a_speech_that_reads_right(
    page, live_server, alice, sample_library, tasks_run, mode
):
    Skeleton.objects.update(status=Status.APPROVED)  # the incomplete one too, deliberately
    login(page, live_server)
    for skeleton in Skeleton.objects.order_by("pk"):
        page.goto(f"{live_server.url}/drafts/new/")
        page.get_by_label("标题 *").fill(f"在东山县的讲话（{skeleton.pk}）")
        page.get_by_role("textbox", name="地区").fill("东山县")
        page.locator(f'.skeleton-choice input[value="{skeleton.pk}"]').check()
        page.locator(".mode-choice", has_text=mode).click()
        page.get_by_role("button", name="创建").click()
        page.wait_for_url(re.compile(r"/drafts/\d+/$"))
        settled(page)
        fill_every_blank(page)
        expect(page.locator("#statusbar")).to_contain_text("未填写 0")
        shown = page.locator("#document").inner_text()
        draft = Draft.objects.get(title=f"在东山县的讲话（{skeleton.pk}）")
        data = render_bytes(draft, draft.version, profile="gongwen", placeholders=False)
        word = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
        reading = "\n".join(reading_paragraphs(draft_document(draft).blocks))
        for where, text in (("editor", shown), ("word", word), ("reading", reading)):
            assert not DOUBLED.search(text), (skeleton.title, where, DOUBLED.search(text).group(0))
            assert not re.search(r"[{}【】]", text), (skeleton.title, where)
        if mode == "参照全文" and "全区领导干部大会" in skeleton.title:
            # Three different people read out three different things.
            people = re.findall(r"(王.\d+)同志(?:通报|宣读)", reading)
            assert len(people) == 3 and len(set(people)) == 3, people
