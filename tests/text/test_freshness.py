"""时效: dated wording, matched against a reference date (speechdraft.text.freshness)."""

from datetime import date, timedelta

import pytest

from speechdraft.text.freshness import (
    dated_matches,
    find_rules,
    in_force,
    replacement_as_of,
    source_year,
    stale_reasons,
)
from speechdraft.text.review import (
    DATED_FORMULATIONS,
    DEFAULT_FORMULATIONS,
    Formulation,
    ReviewItem,
    check_formulations,
)

from .test_review import ALL_SAMPLES

RULES = DEFAULT_FORMULATIONS + DATED_FORMULATIONS
D = date.fromisoformat


def dated(wrong, right="", note="", superseded_on="2023-05-18", valid_from=None):
    return Formulation(
        wrong, right, note, "outdated", D(valid_from) if valid_from else None, D(superseded_on)
    )


# --- when a rule applies -------------------------------------------------------------------


def test_a_rule_applies_only_after_its_superseded_on():
    rule = dated("十八大即将召开", superseded_on="2012-11-08")
    assert not in_force(rule, D("2012-10-01"))
    assert not in_force(rule, D("2012-11-08"))  # "after", not on the day
    assert in_force(rule, D("2012-11-09"))
    assert in_force(rule, D("2026-03-01"))
    assert in_force(Formulation("心无旁鹜", "心无旁骛"), D("1990-01-01"))  # undated: always


def test_the_party_congress_about_to_be_held_is_stale_after_it_was_held():
    text = "目前，正值十八大即将召开的非常时期。"
    assert stale_reasons(text, RULES, as_of=D("2012-09-01")) == []
    (reason,) = stale_reasons(text, RULES, as_of=D("2026-03-01"))
    assert "十八大即将召开" in reason and "2012年11月召开" in reason


def test_material_of_its_time_is_still_stale_for_a_later_draft():
    rule = dated(
        "银保监会",
        "国家金融监督管理总局",
        "2023年起称国家金融监督管理总局",
        valid_from="2018-03-17",
    )
    text = "银保监会要加强监管。"
    (m,) = dated_matches(text, [rule], as_of=D("2026-01-05"), year=2020)
    assert m.current_when_written is True and m.replacement == "国家金融监督管理总局"
    assert "2023年起称国家金融监督管理总局" in m.reason
    # Written before the wording's own valid_from: not "of its time", and stale all the same.
    (early,) = dated_matches(text, [rule], as_of=D("2026-01-05"), year=2015)
    assert early.current_when_written is False
    (late,) = dated_matches(text, [rule], as_of=D("2026-01-05"), year=2025)
    assert late.current_when_written is False
    (unknown,) = dated_matches(text, [rule], as_of=D("2026-01-05"))
    assert unknown.current_when_written is None
    # The year never rescues it, nor makes it stale before the date.
    assert dated_matches(text, [rule], as_of=D("2021-06-01"), year=2025) == []
    assert "当时的提法" in stale_reasons(text, [rule], as_of=D("2026-01-05"), year=2020)[0]


def test_undated_rules_never_mark_material_stale():
    assert dated_matches("一带一路战略，心无旁鹜。", RULES, as_of=D("2026-01-01")) == []


# --- the replacement in force ----------------------------------------------------------------


def test_the_replacement_follows_the_list_to_the_reference_date():
    rule = next(f for f in DATED_FORMULATIONS if f.wrong == "国务院扶贫办")
    assert replacement_as_of(rule, RULES, D("2022-06-01")) == "国家乡村振兴局"
    assert replacement_as_of(rule, RULES, D("2026-06-01")) == "农业农村部"
    (m,) = dated_matches("国务院扶贫办牵头。", RULES, as_of=D("2026-06-01"))
    assert "国家乡村振兴局" in m.reason and "农业农村部" in m.reason
    spirit = next(f for f in DATED_FORMULATIONS if f.wrong == "学习贯彻党的十八大精神")
    assert replacement_as_of(spirit, RULES, D("2019-01-01")) == "学习贯彻党的十九大精神"
    assert replacement_as_of(spirit, RULES, D("2026-01-01")) == "学习贯彻党的二十大精神"


def test_a_loop_in_the_list_ends():
    a = dated("甲局", "乙局", superseded_on="2020-01-01")
    b = dated("乙局", "甲局", superseded_on="2020-01-01")
    assert replacement_as_of(a, [a, b], D("2021-01-01")) == "甲局"


# --- matching ---------------------------------------------------------------------------------


def test_quotes_do_not_matter_but_only_an_exact_match_is_replaced():
    rule = dated("“十三五”规划", "“十四五”规划", superseded_on="2020-12-31")
    quoted, bare = find_rules("落实“十三五”规划，编制十三五规划。", [rule])
    assert quoted.exact and not bare.exact
    text = "落实‘十三五’规划"
    (m,) = find_rules(text, [rule])
    assert text[m.start : m.end] == "‘十三五’规划" and not m.exact


def test_a_ministry_name_is_not_found_in_bumen_or_bushu():
    rule = dated("农业部", "农业农村部", superseded_on="2018-03-17")
    assert find_rules("各级农业部门要抓好落实，做好农业部署。", [rule]) == []
    assert len(find_rules("农业部印发通知。", [rule])) == 1


def test_the_longest_wording_wins():
    (m,) = dated_matches("要做好常态化疫情防控。", RULES, as_of=D("2024-01-01"))
    assert m.matched == "常态化疫情防控"


def test_a_wording_inside_its_replacement_is_not_flagged():
    rules = [dated("保监会", "银保监会", superseded_on="2018-03-17")]
    assert dated_matches("银保监会", rules, as_of=D("2020-01-01")) == []
    assert len(dated_matches("保监会", rules, as_of=D("2020-01-01"))) == 1


def test_current_wording_is_never_stale():
    text = (
        "自然资源部、生态环境部、应急管理部、国家市场监督管理总局、国家卫生健康委员会、农业农村部、"
        "文化和旅游部、国家金融监督管理总局、中央金融委员会、司法部、国家监察委员会、"
        "农业农村部门、文化部门、卫生部门、纪检监察部门、生态环境保护部门、铁道部署，"
        "全面建成小康社会后，巩固拓展脱贫攻坚成果同乡村振兴有效衔接，实施“十五五”规划，"
        "学习贯彻党的二十大精神，新冠病毒感染实施“乙类乙管”，中央全面深化改革委员会。"
    )
    assert dated_matches(text, RULES, as_of=D("2026-06-01")) == []


def test_reasons_are_listed_once_per_wording():
    text = "银保监会、银保监会和保监会。"
    reasons = stale_reasons(text, RULES, as_of=D("2026-06-01"))
    assert len(reasons) == 2 and reasons[0].startswith("「银保监会」")
    assert "国家金融监督管理总局" in reasons[1]


# --- the dated list ---------------------------------------------------------------------------


def test_the_dated_list_is_well_formed():
    assert len(DATED_FORMULATIONS) >= 40
    wrongs = [f.wrong for f in RULES]
    assert len(wrongs) == len(set(wrongs))
    for f in DATED_FORMULATIONS:
        assert f.kind == "outdated" and f.note and f.superseded_on, f
        assert len(f.wrong) <= 60 and len(f.right) <= 60 and len(f.note) <= 200, f
        assert f.wrong != f.right
        if f.valid_from:
            assert f.valid_from < f.superseded_on, f
        day_after = f.superseded_on + timedelta(days=1)
        assert dated_matches(f.wrong, RULES, as_of=day_after), f
        assert dated_matches(f.wrong, [f], as_of=f.superseded_on) == [], f
        if f.right:
            # The replacement is right when the wording stops being so.
            assert dated_matches(f.right, RULES, as_of=day_after) == [], f


def test_the_starting_list_names_the_brief_s_cases():
    by_wrong = {f.wrong: f for f in DATED_FORMULATIONS}
    assert by_wrong["银保监会"].right == "国家金融监督管理总局"
    assert by_wrong["银保监会"].superseded_on.year == 2023
    assert by_wrong["十八大即将召开"].superseded_on == D("2012-11-08")
    assert by_wrong["动态清零"].superseded_on == D("2023-01-08")
    for wrong in (
        "国土资源部",
        "农业部",
        "文化部",
        "国家旅游局",
        "监察部",
        "国家卫生和计划生育委员会",
    ):
        assert by_wrong[wrong].superseded_on.year == 2018, wrong


@pytest.mark.parametrize("prefix", sorted(ALL_SAMPLES))
def test_the_samples_are_stale_only_where_they_say_so(prefix):
    found = [
        m.matched
        for text in ALL_SAMPLES[prefix]
        for m in dated_matches(text, RULES, as_of=D("2026-06-01"))
    ]
    assert found == (["十八大即将召开"] if prefix == "004" else [])


# --- 审稿 by the draft's date ----------------------------------------------------------------


def test_the_formulation_check_judges_a_dated_wording_by_the_draft_s_date():
    items = [ReviewItem(1, None, "", "要配合银保监会做好金融风险防范。")]
    assert check_formulations(items, RULES, as_of=D("2020-06-01")) == []
    (f,) = check_formulations(items, RULES, as_of=D("2026-03-01"))
    assert f.replacement == "国家金融监督管理总局" and f.severity == "warning"
    assert "已过时" in f.message and "国家金融监督管理总局" in f.message
    assert f.data["superseded_on"] == "2023-05-18"


def test_an_undated_rule_applies_whatever_the_date():
    items = [ReviewItem(1, None, "", "要心无旁鹜抓落实。")]
    assert len(check_formulations(items, RULES, as_of=D("2000-01-01"))) == 1


def test_a_quoted_variant_is_reported_without_a_one_click_replacement():
    items = [ReviewItem(1, None, "", "落实十三五规划。")]
    (f,) = check_formulations(items, RULES, as_of=D("2022-01-01"))
    assert f.replacement is None and "“十四五”规划" in f.message


# --- the year of a speech ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date_text", "title", "file_name", "year"),
    [
        ("2023年3月15日", "在2020年全市干部大会上的讲话", "2019讲话.docx", 2023),
        ("（二〇二一年五月八日）", "", "", 2021),
        ("２０２２年１月", "", "", 2022),
        ("2021-05-03", "", "", 2021),
        ("", "在2020年全市干部大会上的讲话", "2019讲话.docx", 2020),
        ("", "在全县三季度工作会议上的讲话", "2019讲话.docx", 2019),
        ("", "", "讲话_20180315.doc", 2018),
        ("", "", "uploads/2017-会议讲话.txt", 2017),
        ("", "", "000_8497deb454e1b19d.txt", None),
        ("", "", "ab2019cd.txt", None),
        ("", "在全区领导干部大会上的讲话", "会议.docx", None),
        ("3月15日", "第1850年", "", None),
    ],
)
def test_source_year(date_text, title, file_name, year):
    assert source_year(date_text, title, file_name) == year
