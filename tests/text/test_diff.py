from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from speechdraft.text.diff import Op, diff_text, lines, new_text, old_text, similarity, tokens


def assert_round_trip(old, new):
    ops = diff_text(old, new)
    assert old_text(ops) == old
    assert new_text(ops) == new
    assert all(op.text for op in ops)  # no empty ops
    assert all(a.kind != b.kind for a, b in pairwise(ops))  # merged
    return ops


def test_a_word_changed_inside_a_sentence_is_reported_as_that_word():
    ops = assert_round_trip("要加快推进高质量发展。", "要全面推进高质量发展。")
    assert ops == [
        Op("equal", "要"),
        Op("delete", "加快"),
        Op("insert", "全面"),
        Op("equal", "推进高质量发展。"),
    ]


def test_an_inserted_word_stands_alone():
    ops = assert_round_trip("要压实责任", "要压实安全责任")
    assert [op for op in ops if op.kind != "equal"] == [Op("insert", "安全")]


def test_changes_are_whole_words_never_half_of_one():
    ops = assert_round_trip("推进高质量发展", "推进高水平发展")
    assert Op("delete", "高质量") in ops and Op("insert", "高水平") in ops


def test_what_replaced_words_share_stays_equal():
    ops = assert_round_trip("要深刻认识做好工作", "要充分认识做好工作")
    assert ops == [
        Op("equal", "要"),
        Op("delete", "深刻"),
        Op("insert", "充分"),
        Op("equal", "认识做好工作"),
    ]


def test_punctuation_changes_are_kept_exactly():
    ops = assert_round_trip("同志们：今天开会，部署工作。", "同志们，今天开会！部署工作……")
    assert Op("delete", "：") in ops and Op("insert", "，") in ops
    assert Op("insert", "……") in ops


def test_a_slot_is_never_cut_inside():
    assert tokens("为{{ 地区 }}发展") == ["为", "{{ 地区 }}", "发展"]
    ops = assert_round_trip("为{{ 地区 }}发展作贡献", "为{{ 市名 }}发展作贡献")
    assert Op("delete", "{{ 地区 }}") in ops and Op("insert", "{{ 市名 }}") in ops
    ops = assert_round_trip("今天召开会议", "今天召开{{ 会议名称 }}")
    assert all("{{" not in op.text or "}}" in op.text for op in ops)


def test_empty_texts():
    assert diff_text("", "") == []
    assert diff_text("", "新增的段落。") == [Op("insert", "新增的段落。")]
    assert diff_text("删掉的段落。", "") == [Op("delete", "删掉的段落。")]
    assert diff_text("不变", "不变") == [Op("equal", "不变")]


def test_line_breaks_are_tokens_of_their_own():
    assert "\n" in tokens("第一段。\n第二段。")
    ops = assert_round_trip("第一段。\n第二段。", "第一段。\n新的一段。\n第二段。")
    assert new_text(ops).count("\n") == 2


def test_mixed_and_traditional_text_round_trips():
    assert_round_trip("推進GDP增長8.3%，", "推进GDP增长8.5%，")
    assert_round_trip("abc 123 def", "abc 124 def")


def test_similarity():
    assert similarity("", "") == 1.0
    assert similarity("要压实责任", "要压实责任") == 1.0
    assert similarity("要压实责任", "要压实安全责任") > 0.6
    assert similarity("要压实责任", "加快发展步伐") < 0.3


_text = st.lists(
    st.sampled_from([*"要加快推进高质量发展，。：！“”的了在和\n a1", "{{ 地区 }}", "{{"]),
    max_size=30,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(_text, _text)
def test_old_and_new_text_always_come_back(old, new):
    assert_round_trip(old, new)


def test_lines_follow_the_new_texts_paragraphs():
    ops = diff_text("第一段。\n第二段。", "第一段。\n新的一段。\n第二段。")
    assert [new_text(line) for line in lines(ops)] == ["第一段。", "新的一段。", "第二段。"]
    merged = diff_text("第一段。\n第二段。", "第一段。第二段。")
    assert len(lines(merged)) == 1 and Op("delete", "\n") in lines(merged)[0]
    assert lines([]) == []


def test_a_long_paragraph_is_segmented_only_where_it_changed():
    sentence = "要坚持稳中求进工作总基调，完整准确全面贯彻新发展理念。"
    old = sentence * 50 + "要加快推进高质量发展。" + sentence * 50
    new = sentence * 50 + "要全面推进高质量发展。" + sentence * 50
    ops = assert_round_trip(old, new)
    assert [op for op in ops if op.kind != "equal"] == [Op("delete", "加快"), Op("insert", "全面")]


def test_longest_increasing_keeps_the_items_still_in_order():
    from speechdraft.text.diff import longest_increasing

    # Old positions of the items in their new order: 3 moved to the front, the rest kept.
    assert longest_increasing([3, 0, 1, 2, 4]) == {1, 2, 3, 4}
    assert longest_increasing([]) == set()
    assert len(longest_increasing([4, 3, 2, 1, 0])) == 1
