import pytest

from speechdraft.text.slots import apply_part_count, apply_slots, slot_names, strip_slots


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("***市坚决贯彻**市委工作要求", "{{ 地区 }}市坚决贯彻{{ 地区 }}市委工作要求"),
        ("在X区2024年大会上", "在{{ 地区 }}区2024年大会上"),
        ("XX市、XXX县", "{{ 地区 }}市、{{ 地区 }}县"),
        ("×市委发出了“复兴十问”", "{{ 地区 }}市委发出了“复兴十问”"),
        ("**同志通报了情况", "{{ 姓名 }}同志通报了情况"),
        ("*同志宣读了通报", "{{ 姓名 }}同志宣读了通报"),
        ("力争今年GDP突破***亿元大关", "力争今年GDP突破{{ 数字 }}亿元大关"),
        ("改造**个老旧片区，建设**万平方米", "改造{{ 数字 }}个老旧片区，建设{{ 数字 }}万平方米"),
        ("*月底，市委组织考察", "{{ 数字 }}月底，市委组织考察"),
        ("近*万户老旧小区", "近{{ 数字 }}万户老旧小区"),
        ("排名第**位", "排名第{{ 数字 }}位"),
        ("市委×届×次全会", "市委{{ 数字 }}届{{ 数字 }}次全会"),
        ("建设山水车城宜居**", "建设山水车城宜居{{ 地区 }}"),
        ("愧对**人民的信任", "愧对{{ 地区 }}人民的信任"),
        ("努力实现**后发赶超", "努力实现{{ 地区 }}后发赶超"),
        ("跳出X看X", "跳出{{ 地区 }}看{{ 地区 }}"),
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
    assert slot_names(text) == ["姓名", "地区", "数字", "部分数"]
    assert strip_slots(text) == "同志在市调研，投资亿元。我讲点意见"


def test_slot_syntax_is_jinja_compatible():
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    text = apply_slots("***市投资**亿元")
    rendered = ImmutableSandboxedEnvironment().from_string(text).render(地区="江城", 数字="12")
    assert rendered == "江城市投资12亿元"


def test_placeholder_after_a_title_is_a_name():
    assert apply_slots("县委书记 ***") == "县委书记 {{ 姓名 }}"
    assert apply_slots("由**主任主持") == "由{{ 姓名 }}主任主持"
    assert apply_slots("市委书记**县调研") == "市委书记{{ 地区 }}县调研"
