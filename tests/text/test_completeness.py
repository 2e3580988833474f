"""Is a parsed source the whole speech? Rules for the genre, on documents written here."""

from speechdraft.text.completeness import incompleteness, page_of
from speechdraft.text.pipeline import parse_bytes
from speechdraft.text.placeholders import announced_part_count

WHOLE = """在全县安全生产工作会议上的讲话
同志们：
今天召开全县安全生产工作会议，主要任务是总结工作、部署任务。下面，我讲三点意见。
一、认清形势，增强做好安全生产工作的责任感
今年以来，全县安全生产形势总体平稳。
二、突出重点，全力防范化解重大安全风险
要抓好危险化学品、道路交通、建筑施工等重点行业领域的专项整治。
三、强化保障，确保各项措施落到实处
各级各部门要压实责任，以钉钉子精神抓好落实。
同志们，安全生产责任重于泰山。让我们共同努力，为全县高质量发展营造安全稳定的环境！
"""


def reasons(text: str) -> list[str]:
    (speech,) = parse_bytes(text.encode(), "test.txt").speeches
    return speech.incomplete


def test_a_whole_speech_has_no_reasons():
    assert reasons(WHOLE) == []


def test_a_copy_that_begins_at_the_second_part():
    text = WHOLE.replace(
        "一、认清形势，增强做好安全生产工作的责任感\n今年以来，全县安全生产形势总体平稳。\n", ""
    )
    text = text.replace("下面，我讲三点意见。", "")
    assert reasons(text) == ["从第二部分开始，前面的内容缺失"]


def test_fewer_parts_than_announced_and_a_gap():
    text = WHOLE.replace(
        "二、突出重点，全力防范化解重大安全风险\n要抓好危险化学品、道路交通、建筑施工等重点行业领域的专项整治。\n",
        "",
    )
    assert reasons(text) == ["部分序号不连续，缺第二部分", "开头说讲三点意见，只找到 2 个部分"]


def test_one_page_of_several_and_a_cut_ending():
    text = WHOLE.replace(
        "在全县安全生产工作会议上的讲话", "在全县安全生产工作会议上的讲话(第1/3页)"
    )
    text = text.replace(
        "让我们共同努力，为全县高质量发展营造安全稳定的环境！",
        "让我们共同努力，为全县高质量发展营造",
    )
    assert reasons(text) == ["来自分页网页的第 1 页（共 3 页）", "结尾不完整：最后一句没有写完"]


def test_page_markers_in_the_forms_pages_use():
    assert page_of(["（第2/3页）"]) == (2, 3)
    assert page_of(["第2页 共5页"]) == (2, 5)
    assert page_of(["2/3页"]) == (2, 3)
    assert page_of(["第1/1页", "2024/3页码"]) is None  # one page of one; not a marker


def test_announced_counts():
    assert announced_part_count("下面，我讲三点意见。") == 3
    assert announced_part_count("我想讲两个问题") == 2
    assert announced_part_count("强调十二点要求") == 12
    assert announced_part_count("今天的会议很重要") is None


def test_numbers_may_be_missing_on_a_part():
    assert incompleteness(part_numbers=[None, None], announced=None, last_text="完。") == []
    assert incompleteness(part_numbers=[], announced=3, last_text="谢谢大家") == [
        "开头说讲三点意见，只找到 0 个部分"
    ]
