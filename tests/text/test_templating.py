import re
import time

import pytest

from speechdraft.text.templating import (
    STANDARD_SLOTS,
    SlotError,
    render,
    segments,
    slot_check,
    slot_names,
)


def test_slot_names_in_order_without_duplicates():
    text = "{{ 地区 }}要在{{ 日期 }}前完成，{{ 地区 }}各部门"
    assert slot_names(text) == ["地区", "日期"]
    assert slot_names("没有填空的文字") == []


def test_render_fills_slots():
    assert render("我讲{{ 部分数 }}点意见", {"部分数": "四"}) == "我讲四点意见"
    assert render("{{地区}}", {"地区": "某市"}) == "某市"


def test_unfilled_slots_are_refused_or_replaced():
    with pytest.raises(SlotError, match="未填写：地区"):
        render("{{ 地区 }}发展", {})
    with pytest.raises(SlotError, match="未填写：地区"):
        render("{{ 地区 }}发展", {"地区": "  "})
    assert render("{{ 地区 }}发展", {}, unfilled="×××") == "×××发展"


def test_segments_mark_unfilled_slots():
    parts = segments("在{{ 地区 }}召开{{ 会议名称 }}", {"地区": "某县"})
    assert [(p.text, p.slot, p.filled) for p in parts] == [
        ("在", None, True),
        ("某县", "地区", True),
        ("召开", None, True),
        ("{{ 会议名称 }}", "会议名称", False),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ ''.__class__.__mro__ }}", "属性"),
        ("{{ cycler.__init__.__globals__ }}", "属性"),
        ("{{ 'x' * 10**9 }}", "表达式"),
        ("{% for i in range(10**9) %}x{% endfor %}", "语句"),
        ("{{ 地区|upper }}", "过滤器"),
        ("{{ lipsum() }}", "函数"),
        ("{{ 地区 ", "语法错误"),
        ("{# 注释 #}", "注释"),
    ],
)
def test_anything_but_plain_slots_is_refused_quickly(text, message):
    started = time.monotonic()
    with pytest.raises(SlotError, match=message):
        render(text, {"地区": "x", "cycler": "x", "lipsum": "x"})
    assert slot_check(text, set(STANDARD_SLOTS))
    assert time.monotonic() - started < 1


def test_slot_check_names_unknown_variables():
    assert slot_check("{{ 地区 }}的{{ 书记 }}", STANDARD_SLOTS) == [
        "未知的填空变量：{{ 书记 }}（可用：" + "、".join(STANDARD_SLOTS) + "）"
    ]
    assert slot_check("{{ 地区 }}", set(STANDARD_SLOTS)) == []


def test_values_are_plain_text_and_bounded():
    out = render("{{ 地区 }}", {"地区": "<script>alert(1)</script>" + "x" * 1000})
    assert out.startswith("<script>")  # HTML escaping is the page template's job
    assert len(out) == 500
    # A value that looks like a template is not evaluated again.
    assert render("{{ 地区 }}", {"地区": "{{ 7*7 }}"}) == "{{ 7*7 }}"


def test_slots_as_a_person_writes_them_in_a_text_box():
    from speechdraft.text.templating import from_brackets, to_brackets

    assert to_brackets("为{{ 地区 }}发展，{{ 姓名2 }}同志") == "为【地区】发展，【姓名2】同志"
    assert from_brackets("为【地区】发展，【姓名2】同志") == "为{{ 地区 }}发展，{{ 姓名2 }}同志"
    assert from_brackets("【重要】会议") == "【重要】会议"  # not a slot
    assert from_brackets("【书记】讲话", {"书记"}) == "{{ 书记 }}讲话"  # the draft's own


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{- 地区 -}}", "{{- … -}}"),
        ("{{+ 地区 }}", "{{- … -}}"),
        ("{{ range }}", "保留"),
        ("{{ lipsum }}", "保留"),
        ("{{ self }}", "保留"),
        ("{{ config }}", "保留"),
        ("{{ __class__ }}", "不合法"),
        ("{{ 2地区 }}", "不合法"),
        ("{{ " + "(" * 5000 + "地区" + ")" * 5000 + " }}", "表达式"),
        ("{{ " + "[" * 5000 + " }}", "表达式"),
        ("{{ " + "not " * 5000 + "地区 }}", "表达式"),
        ("前文{{ " + "(" * 5000, "语法错误"),
    ],
)
def test_only_a_plain_name_is_a_slot(text, message):
    """Jinja would accept these (or overflow its parser on them): a slot is {{ 名称 }} only."""
    with pytest.raises(SlotError, match=re.escape(message)):
        render(text, {"地区": "x", "range": "x", "self": "x"})
    assert slot_check(text, set(STANDARD_SLOTS))


def test_plain_names_in_any_spacing_are_slots():
    assert slot_names("{{地区}}、{{  姓名2  }}和{{ Region_1 }}") == ["地区", "姓名2", "Region_1"]
    assert render("{{地区}}", {"地区": "江北区"}) == "江北区"
