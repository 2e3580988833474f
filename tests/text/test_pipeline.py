import io
import json

import pytest

from speechdraft.text.errors import IngestError
from speechdraft.text.model import ParagraphUnit
from speechdraft.text.pipeline import parse_bytes, reusable_paragraphs

SPEECH = """在全县经济工作会议上的讲话
县委书记 ***
（2023年12月20日）
同志们:
今天我们召开全县经济工作会议,主要任务是总结今年工作,部署明年任务。下面,我讲三点意见。
一、充分认识当前经济形势
今年以来,全县GDP增长6.5%,完成固定资产投资***亿元。**同志在会上作了讲话。
二、扎实抓好明年重点任务
(一)抓项目。要加快"一主三优多特色"产业项目建设。
(二)抓招商。要加大招商引资力度,全年引进项目**个。
三、切实加强组织领导和作风建设
要严格落实责任,强化督查问责。
同志们,让我们团结一心,为完成明年各项目标任务而努力奋斗!
"""


def _sections(d):
    return [(s["number"], s["heading"], s["role"]) for s in d["speeches"][0]["sections"]]


def test_json_schema_exact():
    parsed = parse_bytes(SPEECH.encode("utf-8"), "speech.txt")
    d = parsed.to_json_dict()
    assert set(d) == {"file", "encoding", "script", "removed", "speeches"}
    assert d["file"] == "speech.txt" and d["encoding"] == "utf-8" and d["script"] == "simplified"
    speech = d["speeches"][0]
    assert set(speech) == {
        "title",
        "speaker",
        "date",
        "salutation",
        "opening",
        "sections",
        "closing",
        "incomplete",
    }
    assert speech["incomplete"] == []  # a whole speech

    def check(section, level):
        assert set(section) == {"number", "heading", "role", "paragraphs", "children"}
        assert (section["role"] is not None) == (level == 1)
        for child in section["children"]:
            check(child, level + 1)

    for section in speech["sections"]:
        check(section, 1)
    json.dumps(d, ensure_ascii=False)  # serialisable


def test_half_width_punctuation_slots_and_roles():
    d = parse_bytes(SPEECH.encode("utf-8"), "speech.txt").to_json_dict()
    speech = d["speeches"][0]
    assert speech["title"] == "在全县经济工作会议上的讲话"
    assert speech["speaker"] == "县委书记 {{ 姓名1 }}"  # two people: the speaker and 姓名2
    assert speech["date"] == "2023年12月20日"
    assert speech["salutation"] == "同志们："
    assert speech["opening"] == [
        "今天我们召开全县经济工作会议，主要任务是总结今年工作，部署明年任务。"
        "下面，我讲{{ 部分数 }}点意见。"
    ]
    assert _sections(d) == [
        ("一、", "充分认识当前经济形势", "situation"),
        ("二、", "扎实抓好明年重点任务", "tasks"),
        ("三、", "切实加强组织领导和作风建设", "style"),
    ]
    first = speech["sections"][0]["paragraphs"][0]
    assert first == (
        "今年以来，全县GDP增长6.5%，完成固定资产投资{{ 数字1 }}亿元。{{ 姓名2 }}同志在会上作了讲话。"
    )
    child = speech["sections"][1]["children"][0]
    assert (child["number"], child["heading"]) == ("（一）", "抓项目")
    assert child["paragraphs"] == ["要加快“一主三优多特色”产业项目建设。"]
    assert speech["closing"] == ["同志们，让我们团结一心，为完成明年各项目标任务而努力奋斗！"]


def test_slot_names_exposed():
    parsed = parse_bytes(SPEECH.encode("utf-8"), "speech.txt")
    assert parsed.slot_names() == ["姓名1", "部分数", "数字1", "姓名2", "数字2"]
    assert parsed.speeches[0].slot_names() == ["姓名1", "部分数", "数字1", "姓名2", "数字2"]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "big5", "utf-16", "utf-8-sig"])
def test_encodings_give_the_same_speech(encoding):
    reference = parse_bytes(SPEECH.encode("utf-8"), "speech.txt").to_json_dict()["speeches"]
    text = SPEECH
    if encoding == "big5":
        import opencc

        text = opencc.OpenCC("s2tw").convert(SPEECH)
    parsed = parse_bytes(text.encode(encoding), "speech.txt")
    assert parsed.encoding == {"gbk": "gb18030"}.get(encoding, encoding)
    assert parsed.script == ("traditional" if encoding == "big5" else "simplified")
    assert parsed.to_json_dict()["speeches"] == reference


def test_docx_speech():
    import docx

    document = docx.Document()
    for line in SPEECH.strip().split("\n"):
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    parsed = parse_bytes(buf.getvalue(), "讲话.docx")
    assert parsed.encoding == "docx"
    assert _sections(parsed.to_json_dict()) == _sections(
        parse_bytes(SPEECH.encode("utf-8"), "speech.txt").to_json_dict()
    )


def test_html_page():
    body = "".join(f"<p>{line}</p>" for line in SPEECH.strip().split("\n"))
    html = (
        "<!DOCTYPE html><html><head><meta charset='gbk'><title>讲话_范文网</title>"
        "<script>document.write('广告')</script></head><body>"
        "<div class='nav'><a href='/'>首页</a> &gt; <a>讲话稿</a> &gt; <a>领导讲话</a></div>"
        f"<div class='content'>{body}</div>"
        "<div class='footer'><p>上一篇：在全县安全生产会议上的讲话</p>"
        "<p>版权所有 © 某某范文网</p></div></body></html>"
    )
    parsed = parse_bytes(html.encode("gb18030"), "page.htm")
    assert parsed.encoding == "html"
    d = parsed.to_json_dict()
    assert d["speeches"][0]["title"] == "在全县经济工作会议上的讲话"
    assert len(d["speeches"][0]["sections"]) == 3
    assert any("首页" in line for line in d["removed"])
    assert any("上一篇" in line for line in d["removed"])


def test_reusable_paragraphs():
    parsed = parse_bytes(SPEECH.encode("utf-8"), "speech.txt")
    units = reusable_paragraphs(parsed.speeches[0])
    assert all(isinstance(u, ParagraphUnit) for u in units)
    assert [(u.role, u.level, u.position) for u in units] == [
        ("opening", 0, "opening:p0"),
        ("situation", 1, "s1:p0"),
        ("tasks", 2, "s2.1:p0"),
        ("tasks", 2, "s2.2:p0"),
        ("style", 1, "s3:p0"),
        ("closing", 0, "closing:p0"),
    ]
    child = units[2]
    assert (child.heading, child.number) == ("抓项目", "（一）")
    assert all(u.keywords for u in units)
    assert all("{{" not in k and "地区" not in k for u in units for k in u.keywords)
    assert "招商引资" in units[3].keywords


def _bad(data, name):
    with pytest.raises(IngestError) as info:
        parse_bytes(data, name)
    assert name in info.value.message and info.value.filename == name
    return info.value.message


def test_junk_only_file():
    junk = "首页 > 范文 > 讲话稿\n上一篇：无\n下一篇：无\n221381\n微信扫码领取福利\n点击下载文档\n"
    assert "未识别到讲话正文" in _bad(junk.encode("utf-8"), "垃圾.txt")


def test_english_only_file():
    assert "未识别到讲话正文" in _bad(b"Hello world.\nThis is not a speech.\n", "en.txt")


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"", "空.txt", "空文件"),
        (b"\x00\x01\x02binary" * 50, "bin.txt", "二进制"),
        (bytes([0x80, 0xFF, 0x81, 0xFE, 0x30]) * 40, "乱码.txt", "编码"),
        (b"not a zip", "假.docx", "zip"),
    ],
)
def test_bad_inputs(data, name, words):
    assert words in _bad(data, name)


def test_size_limit_parameter():
    with pytest.raises(IngestError) as info:
        parse_bytes(SPEECH.encode("utf-8"), "speech.txt", max_bytes=100)
    assert "超过上限" in info.value.message
