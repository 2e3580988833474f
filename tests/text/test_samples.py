"""The five scraped samples (fixtures/corpus): expectations from the issue.

They are examples of the genre, not the rules: every expectation here is met by general
rules of the parser (see the module docs of speechdraft.text.clean and .structure).
"""

from functools import cache

import pytest

from speechdraft.text.pipeline import parse_bytes, reusable_paragraphs
from speechdraft.text.templating import known_slot

from .helpers import missing_from_output, output_texts, sample

SAMPLES = ["000", "001", "002", "003", "004"]


@cache
def parsed(prefix):
    name, data = sample(prefix)
    return parse_bytes(data, name)


def _json(prefix):
    return parsed(prefix).to_json_dict()


def _headings(sections):
    return [s["heading"] for s in sections]


def _all_text(prefix):
    """All text of the speeches (not the removed lines)."""
    return "\n".join(output_texts(parsed(prefix)))


def test_000_compilation_split_by_contents():
    d = _json("000")
    assert [s["title"] for s in d["speeches"]] == [
        "全力打造过硬干部队伍 推进赶超发展争先进位",
        "坚持起步提速开局冲刺 努力闯出新路子拼出新作为",
        "铁腕打造能力作风铁军 当好绿色低碳发展模范",
        "加快能力作风提升提振 推动发改工作提质提效",
        "狠抓落实促进能力提升 确保开局精彩全年飘红",
        "担当城市建设更新使命 建设山水车城宜居{{ 地区 }}",
    ]
    speeches = d["speeches"]
    assert _headings(speeches[0]["sections"]) == [
        "提高站位抓推进",
        "聚焦重点抓推进",
        "严实举措抓推进",
    ]
    assert _headings(speeches[1]["sections"]) == [
        "学用新思想，拉高新标杆",
        "抢占新赛道，实现新突破",
        "推行新机制，激发新动能",
    ]
    assert _headings(speeches[2]["sections"]) == [
        "坚定立场，以落实讲忠诚",
        "锚定目标，以发展论英雄",
        "主动作为，以实干求实效",
    ]
    fourth = _headings(speeches[3]["sections"])
    assert len(fourth) == 4 and all(h.startswith("坚持") for h in fourth)
    assert _headings(speeches[4]["sections"]) == [
        "埋头苦学提能力",
        "动真碰硬改作风",
        "勇于担当抓落实",
    ]
    sixth = _headings(speeches[5]["sections"])
    assert len(sixth) == 4
    assert sixth[0] == "把准奋斗方向，勇担发展新使命"
    assert sixth[-1] == "锤炼严实作风，一丝不苟抓落实"
    for speech in speeches:
        assert all(s["number"] is None for s in speech["sections"])
        assert len(speech["opening"]) == 1
    assert "##paid" not in _all_text("000")
    assert "##paidbegin##" in d["removed"] and "##paidend##" in d["removed"]


def test_001_page_two_of_three():
    d = _json("001")
    speech = d["speeches"][0]
    assert "第2/3页" not in speech["title"]
    assert speech["title"].endswith("行动动员部署大会上的讲话")
    assert speech["opening"][0].startswith("第五，这是我们改进党员干部能力作风的现实所需")
    sections = speech["sections"]
    assert [s["number"] for s in sections] == ["第二个问题，", "第三个问题，", "第四个问题，"]
    assert [s["role"] for s in sections] == ["situation", "tasks", "style"]
    assert [len(s["children"]) for s in sections] == [3, 5, 2]
    assert all(c["number"].startswith("（") for s in sections for c in s["children"])
    assert sections[1]["children"][0]["heading"] == "以上率下示范干"
    removed = "\n".join(d["removed"])
    for piece in ("SUCAI198.COM", "共计16698个字", "221381", "领取福利", "微信扫码"):
        assert piece in removed
    text = _all_text("001")
    for piece in ("SUCAI198", "共计16698", "221381", "领取福利", "微信扫码"):
        assert piece not in text


def test_002_di_yi_sections_and_closing():
    d = _json("002")
    speech = d["speeches"][0]
    assert speech["title"] == "在2020年全市干部大会上的讲话"
    assert speech["salutation"] == "同志们："
    sections = speech["sections"]
    assert [(s["number"], s["heading"], s["role"]) for s in sections] == [
        ("第一，", "上下同心抓发展", "situation"),
        ("第二，", "千帆竞逐抓发展", "tasks"),
        ("第三，", "要奖罚分明抓发展", "style"),
    ]
    assert [(c["number"], c["heading"]) for c in sections[1]["children"]] == [
        ("一要", "靠人"),
        ("二要", "靠项目"),
        ("三要", "靠资金"),
        ("四要", "靠环境"),
    ]
    assert len(speech["closing"]) == 1
    assert speech["closing"][0].startswith("同志们，攻坚的冲锋号已经吹响")
    assert "我想讲{{ 部分数 }}句话" in speech["opening"][-1]
    removed = "\n".join(d["removed"])
    for piece in ("会员", "QQ群", "禁止外传", "订阅"):
        assert piece in removed
    assert "会员" not in _all_text("002")


def test_003_traditional_source():
    d = _json("003")
    assert d["script"] == "traditional"
    speech = d["speeches"][0]
    assert speech["title"] == "在全县三季度重点工作“擂台比武”大会上的讲话"
    assert d["removed"].count(speech["title"]) == 2  # repeated title lines
    sections = speech["sections"]
    assert [(s["number"], s["heading"], s["role"]) for s in sections] == [
        ("一、", "激扬斗志、勇当标杆，坚定信心再出发", "situation"),
        ("二、", "锚定目标、提速攻坚，昂扬奋进创一流", "tasks"),
        ("三、", "凝心聚力、苦干实干，扛起重任强担当", "style"),
    ]
    assert [c["number"] for c in sections[1]["children"]] == [
        "一要",
        "二要",
        "三要",
        "四要",
        "五要",
        "六要",
        "七要",
        "八要",
        "九要",
    ]
    assert len(sections[2]["children"]) == 3
    assert speech["closing"][0].startswith("同志们，实现争先进、创一流")
    text = _all_text("003")
    for trad in "們會經濟員發講話縣臺說":
        assert trad not in text
    assert "同志們" not in text and ":" not in "".join(speech["opening"])


def test_004_rejoined_lines_and_tail():
    d = _json("004")
    speech = d["speeches"][0]
    assert speech["title"] == "在全区领导干部大会上的讲话"
    sections = speech["sections"]
    assert [s["role"] for s in sections] == ["situation", "tasks", "style"]
    assert sections[0]["heading"].startswith("认清形势")
    assert sections[1]["heading"] == "抢抓机遇，创新思路，努力实现{{ 地区 }}后发赶超"
    assert sections[2]["heading"].startswith("强化管理，严格问责")
    assert len(sections[1]["children"]) == 4
    assert len(sections[2]["children"]) == 3
    # Each placeholder its own blank: three people, two counties, not one each.
    assert any(
        p.startswith("{{ 姓名1 }}同志通报了区委考察组赴重庆市{{ 县区名1 }}、{{ 县区名2 }}考察")
        and "{{ 姓名2 }}同志宣读了" in p
        and "{{ 姓名3 }}同志宣读了《{{ 市名1 }}{{ 县区名3 }}干部问责暂行规定》" in p
        for p in speech["opening"]
    )
    text = _all_text("004")
    assert "合作共建、携手招商实现突破" in text
    assert "“{{ 地区 }}速度”，大家要认真领会" in text
    assert len(speech["closing"]) == 1
    assert "十八大精神" in speech["closing"][0]
    assert speech["opening"][-1] == "下面，结合当前形势和我区实际，讲{{ 部分数 }}点意见。"
    removed = d["removed"]
    for piece in (
        "下载全文",
        "推荐度：",
        "点击下载文档",
        "《领导干部大会讲话.doc》",
        "县级领导干部大会讲话材料",
    ):
        assert piece in removed
    assert "推荐度" not in text


@pytest.mark.parametrize("prefix", SAMPLES)
def test_nothing_of_the_speech_is_lost(prefix):
    name, data = sample(prefix)
    assert missing_from_output(data, name, parsed(prefix)) == ""


@pytest.mark.parametrize("prefix", SAMPLES)
def test_output_is_simplified_full_width_and_slotted(prefix):
    text = _all_text(prefix)
    assert "*" not in text and "×" not in text
    for ch in ",;?!()":
        assert ch not in text
    assert "{{ " in text
    for name in parsed(prefix).slot_names():
        assert known_slot(name), name


@pytest.mark.parametrize("prefix", SAMPLES)
def test_reusable_paragraphs_cover_the_body(prefix):
    p = parsed(prefix)
    for speech in p.speeches:
        units = reusable_paragraphs(speech)
        body = len(speech.opening) + len(speech.closing)
        body += sum(len(s.paragraphs) for s in speech.walk_sections())
        assert len(units) == body
        assert all(
            u.role in {"opening", "closing", "situation", "tasks", "style", "other"} for u in units
        )
