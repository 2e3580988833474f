import pytest

from speechdraft.text.placeholders import (
    SlotNumbering,
    apply_part_count,
    apply_slots,
    renumber_slots,
    slot_kind,
)
from speechdraft.text.templating import slot_names, strip_slots


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A place takes its suffix into the blank: the value is the whole name (东山县).
        ("***市坚决贯彻**市委工作要求", "{{ 市名 }}坚决贯彻{{ 市名 }}委工作要求"),
        ("在X区2024年大会上", "在{{ 县区名 }}2024年大会上"),
        ("XX市、XXX县", "{{ 市名 }}、{{ 县区名 }}"),
        ("×市委发出了“复兴十问”", "{{ 市名 }}委发出了“复兴十问”"),
        ("赴重庆市**县、**县考察", "赴重庆市{{ 县区名 }}、{{ 县区名 }}考察"),
        ("**省**自治州", "{{ 省名 }}{{ 省名 }}"),
        ("**镇**村、**街道**社区", "{{ 乡镇名 }}{{ 村社区名 }}、{{ 乡镇名 }}{{ 村社区名 }}"),
        ("**经济技术开发区和**新区", "{{ 园区名 }}和{{ 园区名 }}"),
        # A person keeps the title in the text.
        ("**同志通报了情况", "{{ 姓名 }}同志通报了情况"),
        ("*同志宣读了通报", "{{ 姓名 }}同志宣读了通报"),
        ("***书记、**县长讲话", "{{ 姓名 }}书记、{{ 姓名 }}县长讲话"),
        ("**区长主持", "{{ 姓名 }}区长主持"),
        # A body, a meeting.
        ("**局、**委、**办要牵头", "{{ 单位名 }}、{{ 单位名 }}、{{ 单位名 }}要牵头"),
        ("**县委要牵头", "{{ 县区名 }}委要牵头"),
        ("召开***会议，参加**大会", "召开{{ 会议名称 }}，参加{{ 会议名称 }}"),
        # Numbers keep their unit; months and years are their own kind.
        ("力争今年GDP突破***亿元大关", "力争今年GDP突破{{ 数字 }}亿元大关"),
        ("改造**个老旧片区，建设**万平方米", "改造{{ 数字 }}个老旧片区，建设{{ 数字 }}万平方米"),
        ("*月底，市委组织考察", "{{ 月份 }}月底，市委组织考察"),
        ("近*万户老旧小区", "近{{ 数字 }}万户老旧小区"),
        ("排名第**位", "排名第{{ 数字 }}位"),
        ("市委×届×次全会", "市委{{ 数字 }}届{{ 数字 }}次全会"),
        ("20XX年是关键之年，20××年", "{{ 年份 }}年是关键之年，{{ 年份 }}年"),
        ("**年是关键之年", "{{ 年份 }}年是关键之年"),
        ("近**年来", "近{{ 数字 }}年来"),
        # No clue: the place the speech is about (the draft's 地区).
        ("建设山水车城宜居**", "建设山水车城宜居{{ 地区 }}"),
        ("愧对**人民的信任", "愧对{{ 地区 }}人民的信任"),
        ("努力实现**后发赶超", "努力实现{{ 地区 }}后发赶超"),
        ("跳出X看X", "跳出{{ 地区 }}看{{ 地区 }}"),
        # Slots of the earlier scheme are typed again by the same rules.
        ("{{ 地区 }}市、{{ 地区 }}县", "{{ 市名 }}、{{ 县区名 }}"),
        ("{{ 姓名 }}同志，{{ 数字 }}月", "{{ 姓名 }}同志，{{ 月份 }}月"),
        ("为{{ 地区 }}高质量发展", "为{{ 地区 }}高质量发展"),
    ],
)
def test_placeholders_become_slots(text, expected):
    assert apply_slots(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "力争今年GDP突破千亿元",
        "争创5A级景区，按照3A级景区标准",
        "系统内新增AA信用评级企业2家",
        "配备X光安检机和X射线设备",
        "引进一批乡村CEO",
        "3×4的方阵",
        "Xbox和XML不是占位符",
        "2024年是关键之年",
        "X线检查",
    ],
)
def test_real_latin_text_is_untouched(text):
    assert apply_slots(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("下面，我讲三点意见。", "下面，我讲{{ 部分数 }}点意见。"),
        ("在今天总结会上，我想讲三句话。", "在今天总结会上，我想讲{{ 部分数 }}句话。"),
        ("下面，我强调三点意见。", "下面，我强调{{ 部分数 }}点意见。"),
        ("结合实际，讲三点意见。", "结合实际，讲{{ 部分数 }}点意见。"),
        ("我讲三个方面的意见。", "我讲{{ 部分数 }}个方面的意见。"),
        ("今天开会。", "今天开会。"),
    ],
)
def test_part_count(text, expected):
    assert apply_part_count(text) == expected


def test_slot_names_and_strip():
    text = apply_slots("**同志在***市调研，投资**亿元。") + apply_part_count("我讲三点意见")
    assert slot_names(text) == ["姓名", "市名", "数字", "部分数"]
    assert strip_slots(text) == "同志在调研，投资亿元。我讲点意见"


def test_slot_syntax_is_jinja_compatible():
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    text = apply_slots("***市投资**亿元")
    rendered = ImmutableSandboxedEnvironment().from_string(text).render(市名="江城市", 数字="12")
    assert rendered == "江城市投资12亿元"


def test_placeholder_after_a_title_is_a_name():
    assert apply_slots("县委书记 ***") == "县委书记 {{ 姓名 }}"
    assert apply_slots("由**主任主持") == "由{{ 姓名 }}主任主持"
    assert apply_slots("市委书记**县调研") == "市委书记{{ 县区名 }}调研"


def test_each_placeholder_of_a_speech_is_a_blank_of_its_own():
    texts = [
        apply_slots(t)
        for t in (
            "**同志通报了考察情况，**同志宣读了处理决定，**同志宣读了《***市**区干部问责暂行规定》。",
            "*月底前完成，*月初验收；**县、**县要带头，为**作出贡献。",
        )
    ]
    numbering = SlotNumbering()
    for text in texts:
        numbering.count(text)
    first, second = (numbering.number(t) for t in texts)
    assert slot_names(first) == ["姓名1", "姓名2", "姓名3", "市名", "县区名1"]
    assert slot_names(second) == ["月份1", "月份2", "县区名2", "县区名3", "地区"]


def test_material_put_into_a_draft_gets_names_of_its_own_there():
    text = "{{ 姓名1 }}同志和{{ 姓名2 }}同志，{{ 姓名1 }}同志再讲；{{ 地区 }}"
    assert renumber_slots(text, {"姓名1", "姓名2", "地区"}) == (
        "{{ 姓名3 }}同志和{{ 姓名4 }}同志，{{ 姓名3 }}同志再讲；{{ 地区 }}"
    )
    assert renumber_slots("{{ 数字 }}亿元", {"姓名"}) == "{{ 数字 }}亿元"
    assert renumber_slots("{{ 数字 }}亿元", {"数字"}) == "{{ 数字1 }}亿元"
    assert slot_kind("县区名12") == "县区名" and slot_kind("地区") == "地区"
