import pytest
from hypothesis import given
from hypothesis import strategies as st

from speechdraft.text.numbering import (
    STYLES,
    chinese_numeral,
    format_number,
    parse_chinese_numeral,
    parse_number_token,
)


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "一"),
        (2, "二"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (19, "十九"),
        (20, "二十"),
        (21, "二十一"),
        (30, "三十"),
        (99, "九十九"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
    ],
)
def test_chinese_numeral(n, expected):
    assert chinese_numeral(n) == expected
    assert parse_chinese_numeral(expected) == n


@pytest.mark.parametrize("bad", [0, -1, 10000])
def test_chinese_numeral_rejects_out_of_range(bad):
    with pytest.raises(ValueError):
        chinese_numeral(bad)


@pytest.mark.parametrize("text", ["", "十十", "一二", "二十十", "百", "abc"])
def test_parse_chinese_numeral_rejects_non_numerals(text):
    assert parse_chinese_numeral(text) is None


@pytest.mark.parametrize(
    ("style", "n", "expected"),
    [
        ("一、", 1, "一、"),
        ("一、", 12, "十二、"),
        ("（一）", 12, "（十二）"),
        ("1.", 3, "3."),
        ("（1）", 10, "（10）"),
        ("第一，", 2, "第二，"),
        ("第一个问题，", 2, "第二个问题，"),
        ("一是", 4, "四是"),
        ("一要", 9, "九要"),
        ("一要", 21, "二十一要"),
        ("其一，", 2, "其二，"),
    ],
)
def test_format_number(style, n, expected):
    assert format_number(style, n) == expected


def test_format_number_rejects_unknown_style_and_bad_n():
    with pytest.raises(ValueError):
        format_number("A.", 1)
    with pytest.raises(ValueError):
        format_number("一、", 0)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("一、认清形势", ("一、", 1, "认清形势")),
        ("十二、加强领导", ("一、", 12, "加强领导")),
        ("一．认清形势", ("一、", 1, "认清形势")),
        ("（一）突出抓项目", ("（一）", 1, "突出抓项目")),
        ("(二)突出抓项目", ("（一）", 2, "突出抓项目")),
        ("（三)混合括号", ("（一）", 3, "混合括号")),
        ("1.全力打造", ("1.", 1, "全力打造")),
        ("1．全力打造", ("1.", 1, "全力打造")),
        ("2、全力打造", ("1.", 2, "全力打造")),
        ("１．全角数字", ("1.", 1, "全角数字")),
        ("(1)强化红线意识", ("（1）", 1, "强化红线意识")),
        ("（12）强化红线意识", ("（1）", 12, "强化红线意识")),
        ("第一，上下同心抓发展", ("第一，", 1, "上下同心抓发展")),
        ("第二,半角逗号", ("第一，", 2, "半角逗号")),
        ("第三、顿号", ("第一，", 3, "顿号")),
        ("第二个问题，怎么理解", ("第一个问题，", 2, "怎么理解")),
        ("一是以更高的标准", ("一是", 1, "以更高的标准")),
        ("九要在抓党建", ("一要", 9, "在抓党建")),
        ("其二，另一方面", ("其一，", 2, "另一方面")),
        ("  二、前导空格", ("一、", 2, "前导空格")),
    ],
)
def test_parse_number_token(line, expected):
    assert parse_number_token(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "第一时间排查风险",
        "1.5倍系数",
        "3.5工作法",
        "2023年以来",
        "一要素",
        "一二是",
        "今年以来",
        "同志们：",
        "一",
    ],
)
def test_parse_number_token_rejects(line):
    assert parse_number_token(line) is None


_REST = st.text(
    alphabet="加强党的建设推进高质量发展落实责任重点工作认清形势", min_size=1, max_size=20
)


@given(style=st.sampled_from(STYLES), n=st.integers(min_value=1, max_value=99), rest=_REST)
def test_format_parse_round_trip(style, n, rest):
    assert parse_number_token(format_number(style, n) + rest) == (style, n, rest)


@given(n=st.integers(min_value=1, max_value=9999))
def test_numeral_round_trip(n):
    assert parse_chinese_numeral(chinese_numeral(n)) == n


@given(style=st.sampled_from(STYLES), n=st.integers(min_value=1, max_value=98))
def test_consecutive_numbers_stay_in_style(style, n):
    a = parse_number_token(format_number(style, n) + "工作")
    b = parse_number_token(format_number(style, n + 1) + "工作")
    assert a is not None and b is not None
    assert a[0] == b[0] == style
    assert b[1] == a[1] + 1
