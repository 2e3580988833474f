"""One outline reads the same everywhere: the editor, the preview, the reading text 审稿 checks
and the Word file. Headings ending in 。！？：， run-in and standalone, every numbering
family; and one 字数 for the lot."""

import io
import re

import lxml.html
import pytest
from docx import Document

from speechdraft.drafts.models import DraftItem, default_numbering
from speechdraft.drafts.selectors import draft_document
from speechdraft.drafts.services import draft_create
from speechdraft.drafts.versions import commit
from speechdraft.exports.services import export_document
from speechdraft.ooxml.render import render_docx
from speechdraft.review.services import draft_review
from speechdraft.text.counting import count_chars
from speechdraft.text.outline import reading_paragraphs

pytestmark = pytest.mark.django_db

# (depth, heading, body); depth 0 is an unnumbered paragraph at the root.
OUTLINE = [
    (
        0,
        "",
        "同志们：今天我们召开{{ 会议名称 }}，主要任务是部署工作。下面，我讲{{ 部分数 }}点意见。",
    ),
    (1, "提高政治站位。", "这是第一部分的开头。"),
    (2, "以上率下示范干。", "各级领导干部要带头示范。"),
    (2, "以上率下示范干：", "冒号结尾的小标题。"),
    (2, "敢于担当作为！", "感叹号结尾的小标题。"),
    (2, "怎样抓落实？", "问号结尾的小标题。"),
    (2, "层层压实责任，", "逗号结尾的小标题。"),
    (3, "健全工作制度。", "第三级的正文。"),
    (4, "完善考核办法：", "第四级的正文。"),
    (3, "强化{{ 地区 }}督查", "以填空结尾的小标题。"),
    (1, "突出工作重点：", ""),
    (2, "抓项目", ""),
    (2, "", "没有小标题的要点。"),
    (1, "强化作风保障", "第一段正文。\n第二段正文。"),
    (0, "", "同志们，让我们为{{ 地区 }}高质量发展作出新的更大贡献！"),
]

NUMBERINGS = {
    "一、（一）1.（1）": default_numbering(),
    "第一，一是 1. （1）": {
        "1": {"style": "第一，", "run_in": True},
        "2": {"style": "一是", "run_in": True},
        "3": {"style": "1.", "run_in": False},
        "4": {"style": "（1）", "run_in": True},
    },
    "第一个问题，一要": {
        "1": {"style": "第一个问题，", "run_in": False},
        "2": {"style": "一要", "run_in": True},
        "3": {"style": "1.", "run_in": True},
        "4": {"style": "（1）", "run_in": False},
    },
    "run-in parts, standalone points": {
        "1": {"style": "一、", "run_in": True},
        "2": {"style": "（一）", "run_in": False},
        "3": {"style": "1.", "run_in": False},
        "4": {"style": "（1）", "run_in": False},
    },
}


def build(alice, numbering):
    draft = draft_create(
        owner=alice, title="在全县安全生产工作会议上的讲话", meeting_name="全县安全生产工作会议"
    )
    draft.items.all().delete()
    draft.variables = {"地区": "东山县"}
    draft.numbering = numbering
    draft.save()
    parents: dict[int, DraftItem] = {}
    positions: dict[int | None, int] = {}
    for depth, heading, body in OUTLINE:
        parent = parents.get(depth - 1) if depth > 1 else None
        key = parent.pk if parent else None
        position = positions.get(key, 0)
        positions[key] = position + 1
        item = DraftItem.objects.create(
            draft=draft,
            parent=parent,
            position=position,
            numbered=depth > 0,
            level=depth,
            heading=heading,
            body=body,
        )
        if depth:
            parents[depth] = item
    commit(draft, alice, "测试大纲")
    return draft


def _with_class(node, cls: str, tag: str = "*") -> list:
    return node.xpath(f'.//{tag}[contains(concat(" ", normalize-space(@class), " "), " {cls} ")]')


def editor_lines(client, draft) -> list[str]:
    page = lxml.html.fromstring(client.get(f"/drafts/{draft.pk}/").content.decode())
    lines = []
    for text in _with_class(page.get_element_by_id("document"), "item-text"):
        for para in text:
            if "item-error" in para.classes:
                continue
            salutation = _with_class(para, "salutation")
            if salutation:
                lines.append(salutation[0].text_content())
                rest = para.text_content()[len(salutation[0].text_content()) :]
                if rest:
                    lines.append(rest)
            else:
                lines.append(para.text_content())
    return [line for line in lines if line]


def preview_lines(client, draft) -> list[str]:
    page = lxml.html.fromstring(client.get(f"/drafts/{draft.pk}/preview/").content.decode())
    article = _with_class(page, "print-copy", "article")[0]
    return [p.text_content() for p in article if p.tag == "p"]


def docx_lines(draft) -> list[str]:
    data = render_docx(export_document(draft, draft.version, placeholders=False))
    paragraphs = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    return [text for text in paragraphs[1:] if text]  # after the title


@pytest.mark.parametrize("name", list(NUMBERINGS))
def test_the_outline_reads_the_same_in_editor_preview_review_and_word(alice_client, alice, name):
    draft = build(alice, NUMBERINGS[name])
    doc = draft_document(draft)
    reading = reading_paragraphs(doc.blocks)
    editor = editor_lines(alice_client, draft)
    preview = preview_lines(alice_client, draft)
    word = docx_lines(draft)

    assert editor == reading
    assert preview == reading
    assert word == reading
    text = "\n".join(reading)
    for bad in ("。。", "：。", "，。", "！。", "？。", "、。"):
        assert bad not in text, (bad, text)
    assert reading[0] == "同志们：" and reading[1].startswith("今天我们召开全县安全生产工作会议")
    assert "下面，我讲三点意见。" in reading[1]


def test_headings_read_by_one_rule(alice_client, alice):
    reading = reading_paragraphs(draft_document(build(alice, default_numbering())).blocks)
    assert "一、提高政治站位" in reading  # standalone: no closing punctuation
    assert "二、突出工作重点" in reading
    assert "（一）以上率下示范干。各级领导干部要带头示范。" in reading  # run-in: one stop
    assert "（二）以上率下示范干。冒号结尾的小标题。" in reading
    assert "（三）敢于担当作为！感叹号结尾的小标题。" in reading  # ！ and ？ are kept, alone
    assert "（四）怎样抓落实？问号结尾的小标题。" in reading
    assert "（五）层层压实责任。逗号结尾的小标题。" in reading
    assert "2.强化东山县督查。以填空结尾的小标题。" in reading
    assert "（1）完善考核办法。第四级的正文。" in reading
    assert "（一）抓项目。" in reading  # run-in with no body yet still ends in its stop
    assert "（二）没有小标题的要点。" in reading


def test_one_character_count_everywhere(alice_client, alice):
    draft = build(alice, default_numbering())
    doc = draft_document(draft)
    expected = count_chars("".join(reading_paragraphs(doc.blocks)))
    assert doc.chars == expected
    editor = alice_client.get(f"/drafts/{draft.pk}/").content.decode()
    assert f"字数 <strong data-chars>{expected}</strong>" in editor
    preview = alice_client.get(f"/drafts/{draft.pk}/preview/").content.decode()
    assert re.search(rf">字数 {expected}<", preview)
    assert draft_review(draft, reuse=False).summary["chars"] == expected
    assert count_chars("".join(docx_lines(draft))) == expected
    # The tooltip says how it is counted.
    assert "按 Word 的字数统计" in editor
