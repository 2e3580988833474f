import pytest

from speechdraft.text.convert import detect_script, normalize_line, to_simplified


def test_to_simplified():
    assert to_simplified("同志們：今天我們召開大會") == "同志们：今天我们召开大会"
    assert to_simplified("同志们") == "同志们"
    assert to_simplified("") == ""


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("同志們：今天我們召開全縣經濟工作會議，部署明年任務。", "traditional"),
        ("同志们：今天我们召开全县经济工作会议，部署明年任务。", "simplified"),
        ("我們", "traditional"),
        ("GDP growth", "simplified"),
    ],
)
def test_detect_script(original, expected):
    assert detect_script(original, to_simplified(original)) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("同志们:", "同志们："),
        ("今天,我们召开会议;主要任务是:总结工作!", "今天，我们召开会议；主要任务是：总结工作！"),
        ("怎么办?", "怎么办？"),
        ("(一)突出抓项目", "（一）突出抓项目"),
        ("(1)强化意识", "（1）强化意识"),
        ("满足群众(学位、床位)需求", "满足群众（学位、床位）需求"),
        ('要树牢"项目为王"的理念', "要树牢“项目为王”的理念"),
        ('"三新"和"三强"', "“三新”和“三强”"),
        ("构建\"'上下楼'就是上下游\"的格局", "构建“‘上下楼’就是上下游”的格局"),
        ("今年 GDP突破***亿元", "今年GDP突破***亿元"),
        ("全区 GDP 总量", "全区GDP总量"),
        ("乡村 CEO 来强村", "乡村CEO来强村"),
        ("使用 Microsoft Word 软件", "使用Microsoft Word软件"),
        ("同 志 们", "同志们"),
        ("2020-03-01 17:03:53 来源", "2020-03-01 17:03:53来源"),
        ("增长1.5倍,达到1,000万元", "增长1.5倍，达到1,000万元"),
        ("争创5A级景区", "争创5A级景区"),
        ("1.全力打造", "1.全力打造"),
        ("访问 http://example.com/a?b=1 了解", "访问http://example.com/a?b=1了解"),
        ("ＧＤＰ增长１２％", "GDP增长12％"),
        ("\u3000\u3000今天开会。", "今天开会。"),
    ],
)
def test_normalize_line(line, expected):
    assert normalize_line(line) == expected


def test_english_only_line_is_left_alone():
    assert normalize_line('He said: "fine, thanks!"') == 'He said: "fine, thanks!"'


def test_title_mode_keeps_phrase_separator():
    line = "全力打造过硬干部队伍 推进赶超发展争先进位"
    assert normalize_line(line, title=True) == line
    assert normalize_line(line) == "全力打造过硬干部队伍推进赶超发展争先进位"
    assert normalize_line("建设山水车城宜居  **", title=True) == "建设山水车城宜居 **"


def test_punctuation_between_non_chinese_neighbours_in_a_chinese_line():
    assert normalize_line("完成进度的45%,G345东线工程") == "完成进度的45%，G345东线工程"
    assert normalize_line("见 https://a.example.com/x?y=1,2 及邮箱 a.b@example.com!") == (
        "见https://a.example.com/x?y=1,2及邮箱a.b@example.com！"
    )
