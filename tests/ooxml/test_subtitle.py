"""The subtitle ——在{会议名称}上的讲话 under a theme title (speechdraft.text.meetings)."""

from __future__ import annotations

import io

import docx as python_docx
import pytest

from speechdraft.ooxml.model import ExportDocument
from speechdraft.ooxml.render import render_docx
from speechdraft.text.meetings import names_occasion, occasion_subtitle, speech_verb

MEETING = "全市2024年经济工作会议"


@pytest.mark.parametrize(
    "title",
    [
        "在全市经济工作会议上的讲话",
        "区委书记张三同志在全区深入学习贯彻党的二十大精神专题研讨班开班式上的讲话",
        "在2024年新春团拜会上的致辞",
        "在市委理论学习中心组学习会上的交流发言",
        "在全市经济工作会议上的总结讲话（摘要）",
        "在全市安全生产工作会议结束时的讲话",
        "凝心聚力 共谱新篇——在新春团拜会上的致辞",
        "在“存在问题”整改推进会上的讲话",
    ],
)
def test_a_title_that_names_its_occasion_gets_no_subtitle(title):
    assert names_occasion(title)
    assert occasion_subtitle(title, MEETING) is None
    assert occasion_subtitle(title, MEETING, always=True) is not None


@pytest.mark.parametrize(
    ("title", "subtitle"),
    [
        ("奋力开创高质量发展新局面", "——在全市2024年经济工作会议上的讲话"),
        ("厚植为民情怀 践行初心使命", "——在全市2024年经济工作会议上的讲话"),
        ("扛起责任 勇争一流（表态发言）", "——在全市2024年经济工作会议上的发言"),
        ("新春致辞", "——在全市2024年经济工作会议上的致辞"),
        ("关于讲话精神的学习体会", "——在全市2024年经济工作会议上的讲话"),
    ],
)
def test_a_theme_title_gets_the_meeting_as_subtitle(title, subtitle):
    assert not names_occasion(title)
    assert occasion_subtitle(title, MEETING) == subtitle


def test_the_subtitle_needs_a_meeting_name_and_takes_it_as_written():
    assert occasion_subtitle("奋力开创新局面", "") is None
    assert occasion_subtitle("奋力开创新局面", "  ", always=True) is None
    assert occasion_subtitle("奋力开创新局面", " 在全市 经济工作会议上 ") == (
        "——在全市 经济工作会议上的讲话"
    )
    assert occasion_subtitle("在全市经济工作会议上的讲话", MEETING, always=True) == (
        "——在全市2024年经济工作会议上的讲话"
    )


def test_the_verb_follows_the_title():
    assert speech_verb("奋力开创新局面") == "讲话"
    assert speech_verb("表态发言") == "发言"
    assert speech_verb("新闻发言人制度") == "讲话"
    assert speech_verb("新年贺词") == "致辞"


def test_the_subtitle_is_rendered_under_the_title_in_its_style():
    title = "奋力开创高质量发展新局面"
    data = render_docx(
        ExportDocument(title, subtitle=occasion_subtitle(title, MEETING), speaker="市长 张三")
    )
    paragraphs = python_docx.Document(io.BytesIO(data)).paragraphs
    assert [(p.style.name, p.text) for p in paragraphs[:3]] == [
        ("讲话稿标题", title),
        ("讲话稿副标题", "——在全市2024年经济工作会议上的讲话"),
        ("讲话稿署名", "市长 张三"),
    ]
