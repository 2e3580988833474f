import pytest

from speechdraft.text.meetings import meeting_kind, year_of


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("在全区“三新三强”打擂台行动动员部署大会上的讲话", "动员部署会"),
        ("在2020年全市干部大会上的讲话", "干部大会"),
        ("在全县三季度重点工作“擂台比武”大会上的讲话", "推进会"),
        ("在全县安全生产工作会议上的讲话", "工作会议"),
        ("在全市优秀共产党员表彰大会上的讲话", "表彰大会"),
        ("在民营企业家座谈会上的讲话", "座谈会"),
        ("在县委十五届六次全会上的讲话", "全会"),
        ("在全市能力作风建设推进会上的交流发言", "推进会"),
        ("在全省经验交流会上的表态发言", "交流发言"),
        ("七一专题党课讲稿", "党课"),
        ("全力打造过硬干部队伍 推进赶超发展争先进位", "其他"),
        ("在全市项目建设部署会上的讲话", "动员部署会"),
        ("在庆祝建党100周年暨“两优一先”表彰大会上的讲话", "表彰大会"),
        ("在全县科级干部会议上的讲话", "干部大会"),
        ("在青年干部座谈会上的讲话", "座谈会"),
        ("在主题教育读书班上的研讨发言", "交流发言"),
        ("在全县经济工作会上的讲话", "工作会议"),
    ],
)
def test_meeting_kinds(title, kind):
    assert meeting_kind(title) == kind


def test_years():
    assert year_of("在2020年全市干部大会上的讲话") == 2020
    assert year_of("在全县会议上的讲话", "2023年12月20日") == 2023
    assert year_of("GDP增长12020年份", "") is None
    assert year_of("无年份") is None


def test_years_written_in_chinese_numerals_or_wide_digits():
    assert year_of("在全县会议上的讲话", "二〇二三年十二月二十日") == 2023
    assert year_of("二零一九年工作总结") == 2019
    assert year_of("在２０２２年全市经济工作会议上的讲话") == 2022
    assert year_of("十二年来") is None
    assert year_of("一三五七年") is None  # outside 1900–2099
