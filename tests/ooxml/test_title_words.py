"""Title lines: no space at a line's edge, breaks at jieba's word boundaries, a verb kept with
its object."""

from __future__ import annotations

import pytest

from speechdraft.ooxml.titles import split_title

SPACES = (" ", "\u3000")


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        (
            "以更大力度厚筑全市“压舱石”行动 奋力谱写高质量发展新篇章",
            ["以更大力度厚筑全市“压舱石”行动", "奋力谱写高质量发展新篇章"],
        ),
        (
            "全力以赴厚筑全市“压舱石”行动\u3000奋力开创高质量发展新局面",
            ["全力以赴厚筑全市“压舱石”行动", "奋力开创高质量发展新局面"],
        ),
        (
            "坚持以人民为中心的发展思想 在推进共同富裕中展现新作为",
            ["坚持以人民为中心的发展思想", "在推进共同富裕中展现新作为"],
        ),
    ],
)
def test_a_theme_title_breaks_at_its_space_and_drops_it(title, lines):
    assert split_title(title) == lines


@pytest.mark.parametrize(
    "title",
    [
        "凝心聚力抓落实 厚筑全市“压舱石”行动为全面建设社会主义现代化强市作出新贡献",
        "以更大力度厚筑全市“压舱石”行动 奋力谱写高质量发展新篇章",
        "在全区厚筑全市“压舱石”行动暨项目建设百日攻坚动员部署大会上的讲话",
        " 奋力开创高质量发展新局面　全面建设社会主义现代化强市 ",
    ],
)
def test_no_line_starts_or_ends_with_a_space_and_the_verb_keeps_its_object(title):
    lines = split_title(title)
    assert len(lines) >= 2
    assert "".join(lines).replace(" ", "") == "".join(title.split())
    for line in lines:
        assert not line.startswith(SPACES) and not line.endswith(SPACES), lines
        assert not line.endswith("厚筑") and not line.endswith("“压舱石”"), lines
    if "厚筑" in title:
        assert any("厚筑全市“压舱石”行动" in line for line in lines), lines


def test_a_break_does_not_fall_inside_a_word():
    lines = split_title("以党建引领基层治理现代化推动全市经济社会发展再上新台阶")
    # jieba's words: 基层 / 治理 / 现代化 / 推动 / 经济社会 / 发展 / 再 / 上 / 新台阶
    assert lines == ["以党建引领基层治理现代化", "推动全市经济社会发展再上新台阶"]
