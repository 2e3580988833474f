"""字数 and 预计时长: one rule (Word's 字数统计), used by every place that shows a length."""

import pytest

from speechdraft.text.counting import count_chars, duration_text, reading_minutes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("同志们", 3),
        ("同志们：", 4),  # full-width punctuation counts, as in Word
        ("“江城”……", 6),  # curly quotes and the ellipsis are full-width marks
        ("GDP增长8.3%。", 5),  # GDP, 增, 长, 8.3%, 。
        ("2024年3月5日", 6),  # 2024 年 3 月 5 日
        ("同志们：今天， 我们召开GDP 2024会议！", 16),
        ("  \n\t", 0),  # white space counts nothing
        ("ＡＢＣ１２３", 6),  # full-width letters and digits count one each
        ("COVID-19 疫情", 3),  # a Latin run with its hyphen is one word
    ],
)
def test_it_counts_as_word_does(text, expected):
    assert count_chars(text) == expected


def test_one_sentence_has_one_count_wherever_it_is_shown():
    # The status bar and the 审稿 panel used to give 37 and 30 for this sentence.
    from speechdraft.text import review

    sentence = "各级领导干部要以上率下、示范带动，切实把“两个维护”落到实处，争当表率！"
    assert review.count_chars is count_chars
    assert count_chars(sentence) == len(sentence)


def test_reading_time():
    assert reading_minutes(340, 170) == 2
    assert duration_text(0.4) == "不到 1 分钟"
    assert duration_text(8.2) == "约 8 分钟"
    assert duration_text(8.6) == "约 8 分半钟"
    with pytest.raises(ValueError):
        reading_minutes(10, 0)
