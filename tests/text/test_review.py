"""Checks of the review panel: what each flags and, as important, what it must leave alone."""

import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from speechdraft.text.review import (
    CHECK_LABELS,
    DEFAULT_FORMULATIONS,
    DEFAULT_SETTINGS,
    Finding,
    Formulation,
    ReviewItem,
    ReviewSettings,
    check_brackets,
    check_dates,
    check_duplicate_sentences,
    check_empty_talk,
    check_formulations,
    check_part_balance,
    check_punctuation,
    check_repeated_openings,
    check_repeated_phrases,
    check_reuse,
    check_slots,
    count_chars,
    empty_talk_ratio,
    length_summary,
    review_all,
)
from speechdraft.text.similarity import LshIndex, MinHasher

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "fixtures" / "corpus"


def body_paragraphs(prefix: str, min_len: int = 80) -> list[str]:
    """Long clean body paragraphs of one sample speech, in document order."""
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if len(line) > min_len and "。" in line and "#" not in line and line not in out:
            out.append(line)
    return out


def as_items(paragraphs, part_index=0):
    return [ReviewItem(f"i{n}", part_index, "", text) for n, text in enumerate(paragraphs)]


def item(text, id="a", part_index=0, heading=""):
    return ReviewItem(id, part_index, heading, text)


def apply(text: str, findings: list[Finding]) -> str:
    """Apply every replacement (right to left so offsets stay valid)."""
    for f in sorted(findings, key=lambda f: f.start, reverse=True):
        if f.replacement is not None:
            text = text[: f.start] + f.replacement + text[f.end :]
    return text


# Body paragraphs typed with full-width punctuation (001, 003 and 004 were scraped with
# half-width commas and colons throughout: real slips the punctuation check rightly flags).
FULL_WIDTH = {p: body_paragraphs(p) for p in ("000", "002")}
ALL_SAMPLES = {p: body_paragraphs(p) for p in ("000", "001", "002", "003", "004")}
SIMPLIFIED = ("000", "001", "002", "004")
# A single speech each (000 is a compilation of six speeches).
SINGLE_SPEECHES = ("001", "002", "004")
CLOSING_002 = next(p for p in FULL_WIDTH["002"] if p.startswith("同志们，攻坚的冲锋号"))

EMPTY_TALK = [
    "我们要深入学习贯彻习近平新时代中国特色社会主义思想，坚决贯彻落实党中央决策部署，凝心聚力、"
    "攻坚克难，真抓实干、久久为功，以更加昂扬的斗志、更加务实的作风、更加有力的举措，"
    "奋力谱写高质量发展新篇章。",
    "各级各部门要切实提高政治站位，充分认识做好这项工作的重要性和紧迫性，增强责任感和使命感，"
    "主动担当、积极作为，守土有责、守土尽责，确保各项工作落地见效，为全市经济社会发展作出新的更大贡献。",
    "要坚持问题导向、目标导向、结果导向，进一步统一思想、提高认识、强化措施、狠抓落实，"
    "以钉钉子精神推动各项工作不断取得新成效、迈上新台阶。",
]


def test_every_check_has_a_chinese_label():
    assert set(CHECK_LABELS) >= {
        "reuse",
        "repeated_phrase",
        "repeated_opening",
        "duplicate_sentence",
        "empty_talk",
        "formulation",
        "date_format",
        "punctuation",
        "unbalanced",
        "unfilled_slot",
        "part_balance",
    }


def test_the_module_imports_no_django():
    code = "import sys, speechdraft.text.review; print('django' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "False"


def test_findings_serialise_to_plain_dicts():
    (f,) = check_dates([item("2024年03月05日")])
    d = f.to_dict()
    assert d["check"] == "date_format" and d["replacement"] == "2024年3月5日"
    assert d["target"] == "text"


# --- 1. reuse -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus():
    hasher = MinHasher()
    index = LshIndex()
    lookup = {}
    for prefix in SIMPLIFIED:
        for n, text in enumerate(ALL_SAMPLES[prefix]):
            key = (prefix, n)
            index.add(key, hasher.signature(text))
            lookup[key] = text
    return index, lookup


def test_reuse_flags_a_paragraph_taken_from_a_past_speech(corpus):
    index, lookup = corpus
    past = ALL_SAMPLES["002"][3]
    draft = past.replace("发展", "推进", 1) + "要进一步压实责任，确保各项任务落到实处。"
    items = [item(draft, "x"), item("今天的会议很重要，大家要认真学习领会会议精神。", "y")]
    findings = check_reuse(items, index, lookup, label=lambda key: f"《样例{key[0]}》")
    (f,) = findings
    assert f.check == "reuse" and f.item_id == "x"
    assert f.data["matches"][0]["key"] == ("002", 3)
    assert f.data["matches"][0]["score"] >= 0.6
    assert f.message.startswith("此段与《样例002》相似度 ")
    assert (f.start, f.end) == (0, len(draft))


def test_reuse_leaves_new_paragraphs_alone(corpus):
    index, lookup = corpus
    text = (
        "今年全区计划新建改造城市道路12条，完成老旧小区改造36个，新增停车位4800个，"
        "确保10月底前全部完工，由区住建局牵头，各街道配合落实。"
    )
    assert check_reuse([item(text)], index, lookup) == []


def test_review_all_runs_reuse_only_with_an_index(corpus):
    index, lookup = corpus
    items = [item(ALL_SAMPLES["004"][2], "x")]
    assert not [f for f in review_all(items) if f.check == "reuse"]
    found = review_all(items, corpus_index=index, corpus_lookup=lookup)
    reuse = [f for f in found if f.check == "reuse"]
    assert reuse and "相似度 100%" in reuse[0].message and reuse[0].severity == "warning"


# --- 2. repetition ------------------------------------------------------------------------


def test_a_phrase_used_more_than_three_times_is_flagged_once_per_paragraph():
    items = [
        item("我们要扎实推进城市更新，改造老旧小区。", "a"),
        item("同时扎实推进产业升级，培育龙头企业。", "b"),
        item("要扎实推进基层治理，扎实推进平安建设。", "c"),
    ]
    findings = check_repeated_phrases(items)
    assert [f.item_id for f in findings] == ["a", "b", "c"]
    assert {f.data["phrase"] for f in findings} == {"扎实推进"}
    assert all(f.data["count"] == 4 for f in findings)
    c = findings[2]
    assert c.data["spans"] == [[1, 5], [10, 14]]
    assert items[2].text[c.start : c.end] == "扎实推进"
    assert "出现 4 次" in c.message


def test_three_uses_are_fine_and_the_threshold_is_a_setting():
    items = [item(f"要凝心聚力抓好第{n}项工作。", str(n)) for n in range(3)]
    assert check_repeated_phrases(items) == []
    strict = ReviewSettings(phrase_max_uses=2)
    assert len(check_repeated_phrases(items, strict)) == 3


def test_overlapping_phrases_are_reported_once_not_as_their_windows():
    items = [item(f"第{n}，要更加扎实推进放管服改革。", str(n)) for n in range(5)]
    findings = check_repeated_phrases(items)
    assert len(findings) == 5
    assert {f.data["phrase"] for f in findings} == {"更加扎实推进"}
    assert items[0].text[findings[0].start : findings[0].end] == "更加扎实推进"


def test_only_the_phrase_is_reported_not_its_repeated_context():
    items = [item(f"第{n}，要持续深化放管服改革，优化营商环境。", str(n)) for n in range(5)]
    findings = check_repeated_phrases(items)
    assert len(findings) == 5
    assert {f.data["phrase"] for f in findings} == {"持续深化"}


def test_topic_nouns_and_genre_formulations_are_not_flagged():
    items = [
        item(
            f"第{n}，坚持全面从严治党，优化营商环境，推动乡村振兴和经济社会发展，"
            "学习习近平新时代中国特色社会主义思想。",
            str(n),
        )
        for n in range(6)
    ]
    assert check_repeated_phrases(items) == []


def test_chengyu_from_jiebas_dictionary_count():
    items = [item(f"第{n}项工作要持之以恒，一丝不苟抓落实。", str(n)) for n in range(4)]
    phrases = {f.data["phrase"] for f in check_repeated_phrases(items)}
    assert "持之以恒" in phrases
    assert "一丝不苟" in phrases or not DEFAULT_SETTINGS.use_jieba_idioms


def test_repeated_phrases_report_only_changed_items_but_count_everywhere():
    items = [item(f"第{n}，要扎实推进各项工作。", str(n)) for n in range(5)]
    findings = check_repeated_phrases(items, changed_ids=["3"])
    assert [f.item_id for f in findings] == ["3"]
    assert findings[0].data["count"] == 5


@pytest.mark.parametrize("prefix", SINGLE_SPEECHES)
def test_no_repeated_phrase_alarm_on_the_sample_speeches(prefix):
    assert check_repeated_phrases(as_items(ALL_SAMPLES[prefix])) == []


def test_identical_openings_of_consecutive_paragraphs_are_flagged():
    items = [
        item("各级党组织要把好政治关，选好配强班子。", "a"),
        item("各级党组织要加强日常监督，抓早抓小。", "b"),
        item("同时要做好宣传工作。", "c"),
    ]
    (f,) = check_repeated_openings(items)
    assert f.item_id == "b" and f.data["previous_id"] == "a"
    assert f.excerpt == "各级党组织要" and (f.start, f.end) == (0, 6)


@pytest.mark.parametrize(
    "first, second",
    [
        ("一是加强组织领导，明确责任分工。", "二是加强督促检查，确保任务落实。"),
        ("要加强组织领导，明确责任分工。", "要加强督促检查，确保任务落实。"),
        ("坚持项目为王，狠抓项目建设。", "坚持产业强区，壮大主导产业。"),
        ("（一）加强组织领导，明确责任分工。", "（一）加强组织领导，确保任务落实。"),
        ("1.加强组织领导，明确责任分工。", "1.加强组织领导，确保任务落实。"),
        ("首先要加强组织领导，明确责任分工。", "首先要加强组织领导，确保任务落实。"),
        ("第一，加强组织领导。", "第一，加强组织领导，确保落实。"),
    ],
)
def test_deliberate_parallel_openings_are_not_flagged(first, second):
    assert check_repeated_openings([item(first, "a"), item(second, "b")]) == []


def test_openings_are_compared_only_within_a_part_and_on_the_body():
    a = item("各级党组织要把好政治关。", "a", part_index=0)
    b = item("各级党组织要加强监督。", "b", part_index=1)
    assert check_repeated_openings([a, b]) == []
    headed = [
        ReviewItem("a", 0, "坚持党建引领发展", "抓好基层组织建设。"),
        ReviewItem("b", 0, "坚持党建引领发展", "抓好党员教育管理。"),
    ]
    assert check_repeated_openings(headed) == []


def test_openings_with_changed_ids_touch_either_paragraph():
    items = [item("各级党组织要把好政治关。", "a"), item("各级党组织要加强监督。", "b")]
    assert len(check_repeated_openings(items, changed_ids=["a"])) == 1
    assert len(check_repeated_openings(items, changed_ids=["b"])) == 1
    assert check_repeated_openings([*items, item("其他。", "c")], changed_ids=["c"]) == []


@pytest.mark.parametrize("prefix", SINGLE_SPEECHES)
def test_no_opening_alarm_on_the_sample_speeches(prefix):
    assert check_repeated_openings(as_items(ALL_SAMPLES[prefix])) == []


def test_duplicated_sentences_are_flagged_wherever_they_are():
    items = [
        item("我们要狠抓落实。确保全年目标任务圆满完成！", "a"),
        item("今年任务很重。确保全年目标任务 圆满完成。", "b"),
    ]
    findings = check_duplicate_sentences(items)
    assert [f.item_id for f in findings] == ["a", "b"]
    a, b = findings
    assert items[0].text[a.start : a.end] == "确保全年目标任务圆满完成！"
    assert items[1].text[b.start : b.end] == "确保全年目标任务 圆满完成。"
    assert a.data["others"] == [{"item_id": "b", "start": b.start, "end": b.end}]
    assert "全文重复出现" in a.message


def test_a_sentence_repeated_in_the_same_paragraph():
    text = "要压实工作责任，层层传导压力。要压实工作责任，层层传导压力。"
    findings = check_duplicate_sentences([item(text)])
    assert len(findings) == 2 and "本段" in findings[0].message


def test_short_sentences_and_different_sentences_are_not_duplicates():
    items = [item("同志们！大家好。", "a"), item("同志们！我们开会。", "b")]
    assert check_duplicate_sentences(items) == []


def test_duplicates_with_changed_ids_report_every_copy_of_a_changed_sentence():
    items = [item("确保全年目标任务圆满完成。", "a"), item("确保全年目标任务圆满完成。", "b")]
    items.append(item("其他内容写在这里。", "c"))
    assert len(check_duplicate_sentences(items, changed_ids=["b"])) == 2
    assert check_duplicate_sentences(items, changed_ids=["c"]) == []


@pytest.mark.parametrize("prefix", SINGLE_SPEECHES)
def test_no_duplicate_sentence_alarm_on_the_sample_speeches(prefix):
    assert check_duplicate_sentences(as_items(ALL_SAMPLES[prefix])) == []


# --- 3. 空话 density ----------------------------------------------------------------------


@pytest.mark.parametrize("text", EMPTY_TALK)
def test_slogan_paragraphs_without_concrete_content_are_flagged(text):
    (f,) = check_empty_talk([item(text)])
    assert f.check == "empty_talk" and f.severity == "warning"
    assert f.message.startswith("内容空泛：空话占比 ")
    assert f.data["ratio"] >= DEFAULT_SETTINGS.empty_ratio
    assert (f.start, f.end) == (0, len(text))


def test_one_concrete_fact_is_enough():
    for fact in (
        "今年新建5个",
        "由市发改委牵头",
        "在丹江外滩改造项目上",
        "三季度末前",
        "投资20亿元",
    ):
        text = EMPTY_TALK[0].replace("奋力谱写", fact + "奋力谱写")
        _, concrete = empty_talk_ratio(text)
        assert concrete, fact
        assert check_empty_talk([item(text)]) == []


def test_generic_words_are_not_taken_for_concrete_content():
    for generic in ("以人民为中心", "推进重点项目", "开创新局面", "增强“四个意识”", "全区上下"):
        _, concrete = empty_talk_ratio(f"我们要{generic}，凝心聚力、攻坚克难。")
        assert not concrete, generic


@pytest.mark.parametrize("prefix", SIMPLIFIED)
def test_no_empty_talk_alarm_on_the_sample_body_paragraphs(prefix):
    body = [p for p in body_paragraphs(prefix, min_len=40) if p != CLOSING_002]
    assert check_empty_talk(as_items(body)) == []


def test_concrete_task_paragraphs_score_as_concrete():
    concrete = [p for p in FULL_WIDTH["000"] if "项目" in p and any(c.isdigit() for c in p)]
    assert concrete
    for text in concrete:
        assert empty_talk_ratio(text)[1]


def test_opening_and_closing_are_skipped_unless_asked():
    closing = ReviewItem("end", None, "", CLOSING_002)
    assert check_empty_talk([closing]) == []
    asked = ReviewSettings(empty_check_opening_closing=True)
    (f,) = check_empty_talk([closing], asked)
    assert "空话占比" in f.message


def test_short_paragraphs_are_not_judged():
    assert check_empty_talk([item("凝心聚力、攻坚克难，真抓实干、久久为功。")]) == []


# --- 4. 提法 and wrongly written words ----------------------------------------------------


def test_a_typo_is_flagged_with_an_exact_one_click_replacement():
    text = "全体干部要心无旁鹜抓落实，再接再励创佳绩。"
    findings = check_formulations([item(text)])
    assert [f.replacement for f in findings] == ["心无旁骛", "再接再厉"]
    assert [text[f.start : f.end] for f in findings] == ["心无旁鹜", "再接再励"]
    assert all(f.severity == "error" and f.data["kind"] == "typo" for f in findings)
    assert apply(text, findings) == "全体干部要心无旁骛抓落实，再接再厉创佳绩。"
    assert findings[0].message == "疑似错别字：「心无旁鹜」应为「心无旁骛」"


def test_typos_of_the_sample_speech_are_caught():
    findings = check_formulations(as_items(FULL_WIDTH["002"]))
    assert sorted(f.data["wrong"] for f in findings) == ["千罗万象", "心无旁鸯"]


def test_outdated_formulations_carry_a_note():
    (f,) = check_formulations([item("积极参与一带一路战略，深化供给侧结构性改革。")])
    assert f.severity == "warning" and f.replacement == "一带一路倡议"
    assert "倡议" in f.message and "不称“战略”" in f.message


def test_headings_are_checked_too():
    (f,) = check_formulations([item("正文。", heading="以身做则抓落实")])
    assert f.target == "heading" and (f.start, f.end) == (0, 4)


def test_a_wrong_form_inside_the_right_form_is_not_flagged():
    table = [Formulation("贯彻", "贯彻落实", "", "outdated")]
    assert check_formulations([item("要认真贯彻落实会议精神。")], table) == []
    assert len(check_formulations([item("要认真贯彻会议精神。")], table)) == 1


def test_an_entry_without_replacement_only_warns():
    (f,) = check_formulations(
        [item("老提法在此。")], [Formulation("老提法", "", "请核对", "outdated")]
    )
    assert f.replacement is None and "请核对" in f.message


def test_correct_official_wording_is_never_flagged():
    text = (
        "要心无旁骛、按部就班、再接再厉、一鼓作气，仗义执言，贯彻落实部署，毕竟纪律不能松弛，"
        "领导坐镇指挥，趋之若鹜不可取，厉行节约，艰苦奋斗，融会贯通，全面建成小康社会，"
        "建设中国特色社会主义，推进供给侧结构性改革，共建“一带一路”倡议，生态环境局、应急管理局。"
    )
    assert check_formulations([item(text)]) == []


@pytest.mark.parametrize("prefix", ("000", "001", "003", "004"))
def test_no_formulation_alarm_on_the_other_samples(prefix):
    assert check_formulations(as_items(ALL_SAMPLES[prefix])) == []


def test_the_default_list_is_small_and_well_formed():
    assert 30 <= len(DEFAULT_FORMULATIONS) <= 60
    wrongs = [f.wrong for f in DEFAULT_FORMULATIONS]
    assert len(wrongs) == len(set(wrongs))
    for f in DEFAULT_FORMULATIONS:
        assert f.kind in ("typo", "outdated")
        assert f.wrong and f.right and f.wrong != f.right and f.wrong not in f.right
        # The replacement itself must pass the check.
        assert check_formulations([item(f.right)]) == [], f


# --- 5. format ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, fixed",
    [
        ("2024年03月05日", "2024年3月5日"),
        ("2024年3月05日", "2024年3月5日"),
        ("03月", "3月"),
        ("２０２４年０３月", "2024年3月"),
    ],
)
def test_padded_dates_are_flagged(text, fixed):
    source = f"会议于{text}召开。"
    (f,) = check_dates([item(source)])
    assert f.replacement == fixed and source[f.start : f.end] == text


@pytest.mark.parametrize(
    "text", ["2024年3月5日", "2024年12月31日", "10月底", "3.5", "2024.03.05", "第3季度"]
)
def test_correct_dates_are_not_flagged(text):
    assert check_dates([item(f"会议于{text}召开。")]) == []


@pytest.mark.parametrize(
    "text, fixed",
    [
        ("我们要坚持,推进发展。", "我们要坚持，推进发展。"),
        ("主要任务如下:", "主要任务如下："),
        ("怎么理解这一行动?", "怎么理解这一行动？"),
        ("同志们!我们开会。", "同志们！我们开会。"),
        ("抓好三件事;一是学习。", "抓好三件事；一是学习。"),
        ("发展 , 推进", "发展，推进"),
        ("“三新三强”,厚筑全市", "“三新三强”，厚筑全市"),
        ("讲话(第二部分)如下。", "讲话（第二部分）如下。"),
        ('存在"庸懒散软"问题。', "存在“庸懒散软”问题。"),
        ("经济 社会发展。", "经济社会发展。"),
    ],
)
def test_half_width_punctuation_and_spaces_in_chinese_are_flagged(text, fixed):
    findings = check_punctuation([item(text)])
    assert findings
    assert apply(text, findings) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "增长3.5个百分点，下午17:30开会。",
        "字体用Times New Roman，网址为https://www.gov.cn/zhengce/，欢迎访问。",
        "争创5A级景区，GDP增长5.5%。",
        "1.加强组织领导。",
        "（1）加强组织领导。",
        "今年 GDP突破100亿元。",
        "他说 Hello, world! 然后离开。",
        "比分是3:2，时间为8:30。",
        "公式(a+b)不含中文。",
    ],
)
def test_correct_mixed_text_is_not_flagged(text):
    assert check_punctuation([item(text)]) == []


def test_a_space_in_a_heading_separates_two_halves_and_is_kept():
    heading = "全力打造过硬干部队伍 推进赶超发展争先进位"
    assert check_punctuation([item("正文。", heading=heading)]) == []


@pytest.mark.parametrize("prefix", ("000", "002"))
def test_punctuation_on_the_full_width_samples(prefix):
    findings = check_punctuation(as_items(FULL_WIDTH[prefix]))
    # 002 has four half-width commas between Chinese characters: real slips; 000 has none.
    expected = 4 if prefix == "002" else 0
    assert len(findings) == expected
    assert all(f.replacement == "，" for f in findings)


@given(st.sampled_from([p for ps in ALL_SAMPLES.values() for p in ps]))
def test_applying_every_punctuation_fix_leaves_nothing_to_fix(text):
    fixed = apply(text, check_punctuation([item(text)]))
    assert check_punctuation([item(fixed)]) == []


@given(
    st.text(alphabet=st.sampled_from(list("推进发展，。“”（）《》、1234.：；abcXY-")), max_size=80)
)
def test_text_without_half_width_marks_or_spaces_is_never_flagged(text):
    assert check_punctuation([item(text)]) == []


@pytest.mark.parametrize(
    "text, position, missing",
    [
        ("他说“要抓落实。", 2, "”"),
        ("要抓落实”。", 4, "“"),
        ("学习《决定精神。", 2, "》"),
        ("（一）加强领导（见附件。", 7, "）"),
        ("认真学习决定）。", 6, "（"),
    ],
)
def test_unbalanced_brackets_are_flagged(text, position, missing):
    (f,) = check_brackets([item(text)])
    assert f.start == position and f.data["missing"] == missing


@pytest.mark.parametrize(
    "text",
    [
        "（一）加强领导。",
        "学习《中共中央关于党的百年奋斗重大成就和历史经验的决议》。",
        "增强“四个意识”、坚定“四个自信”、做到“两个维护”。",
        "他说：“要坚决做到‘两个维护’。”",
        "（见《通知》第3条）",
    ],
)
def test_balanced_brackets_are_not_flagged(text):
    assert check_brackets([item(text)]) == []


def test_brackets_are_balanced_per_line():
    assert len(check_brackets([item("第一段“开始\n第二段结束”")])) == 2


@pytest.mark.parametrize("prefix", ("000", "001", "002", "003", "004"))
def test_no_date_bracket_or_slot_alarm_on_the_samples(prefix):
    items = as_items(ALL_SAMPLES[prefix])
    assert check_dates(items) == []
    assert check_brackets(items) == []
    assert check_slots(items, {}) == []


def test_unfilled_slots_are_flagged():
    # Slots are found as text/templating finds them, spaces inside or not; a filter is not
    # a slot (the editor refuses it on save, and the export refuses any braces left).
    text = "{{ 地区 }}召开{{会议名称}}，{{数字}}人参加。"
    findings = check_slots([item(text)], {"会议名称": "全区经济工作会议", "地区": "  "})
    assert [f.data["slot"] for f in findings] == ["地区", "数字"]
    assert all(f.severity == "error" for f in findings)
    assert text[findings[0].start : findings[0].end] == "{{ 地区 }}"
    assert findings[0].message == "空位「地区」尚未填写"
    assert check_slots([item(text)], {"地区": "X区", "会议名称": "会", "数字": "300"}) == []


def test_unfilled_slots_in_headings():
    (f,) = check_slots([item("正文", heading="{{ 地区 }}的做法")], None)
    assert f.target == "heading"


def parts(*sizes):
    items = [ReviewItem("open", None, "", "同志们：" * 50)]
    for n, size in enumerate(sizes):
        items.append(ReviewItem(f"h{n}", n, "加强领导", ""))
        items.append(ReviewItem(f"b{n}", n, "", "字" * size))
    items.append(ReviewItem("close", None, "", "同志们，" * 50))
    return items


def test_a_part_much_longer_than_the_others_is_flagged():
    (f,) = check_part_balance(parts(1000, 1100, 3000))
    assert f.item_id == "h2" and f.data["part_index"] == 2
    assert f.message.startswith("第三部分篇幅明显偏长")


def test_a_part_much_shorter_than_the_others_is_flagged():
    (f,) = check_part_balance(parts(1000, 300, 1100, 1200))
    assert f.item_id == "h1" and "偏短" in f.message


def test_balanced_parts_or_too_few_parts_are_not_flagged():
    assert check_part_balance(parts(1000, 1500, 1900)) == []
    assert check_part_balance(parts(100, 1000)) == []
    loose = ReviewSettings(part_long_ratio=3.0)
    assert check_part_balance(parts(1000, 1100, 3000), loose) == []


# --- 6. length ----------------------------------------------------------------------------


def test_length_summary():
    summary = length_summary(parts(1000, 1100, 3000), rate_per_minute=170)
    opening = count_chars("同志们：" * 50)
    assert summary.chars == 2 * opening + 5100 + 3 * 4
    assert summary.minutes == round(summary.chars / 170, 1)
    assert opening == 200  # 字数 as Word counts it: full-width punctuation counts
    assert summary.per_part == [(None, 200), (0, 1004), (1, 1104), (2, 3004), (None, 200)]
    assert summary.over_target is None
    assert "全文约 5512 字" in summary.message and "预计讲话约 32.4 分钟" in summary.message


def test_length_against_a_target():
    over = length_summary(parts(1000, 1100, 3000), target_minutes=20)
    assert over.over_target is True and "超出目标时长（20 分钟）" in over.message
    under = length_summary(parts(1000), target_minutes=20)
    assert under.over_target is False and "以内" in under.message
    with pytest.raises(ValueError):
        length_summary([], rate_per_minute=0)


# --- review_all ---------------------------------------------------------------------------


def draft_of_the_samples(limit=20000):
    items, total = [], 0
    for prefix in SIMPLIFIED:
        for n, text in enumerate(body_paragraphs(prefix, min_len=40)):
            items.append(ReviewItem(f"{prefix}-{n}", len(items) // 15, "", text))
            total += len(text)
            if total >= limit:
                return items
    return items


def test_review_all_runs_every_check():
    items = [
        ReviewItem("open", None, "", "同志们：今天召开{{ 会议名称 }}。"),
        ReviewItem("a", 0, "以身做则抓落实", "会议于2024年03月05日召开,要心无旁鹜抓落实。"),
        ReviewItem("b", 0, "", EMPTY_TALK[0]),
        ReviewItem("c", 0, "", "要抓落实“。"),
    ]
    settings = ReviewSettings(target_minutes=0.1)
    checks = {f.check for f in review_all(items, settings=settings, filled_slots={})}
    assert checks == {
        "unfilled_slot",
        "formulation",
        "date_format",
        "punctuation",
        "empty_talk",
        "unbalanced",
        "length",
    }


def test_review_all_with_changed_ids_looks_only_at_those_items():
    items = [
        item("要心无旁鹜抓落实。确保全年目标任务圆满完成。", "a"),
        item("要再接再励。确保全年目标任务圆满完成。", "b"),
        item("要心无旁鹜。", "c"),
    ]
    found = review_all(items, changed_ids=["b"])
    assert {f.item_id for f in found if f.check == "formulation"} == {"b"}
    assert {f.item_id for f in found if f.check == "duplicate_sentence"} == {"a", "b"}


def test_review_all_takes_custom_formulations():
    items = [item("要心无旁鹜抓落实。")]
    assert not [f for f in review_all(items, formulations=[]) if f.check == "formulation"]


def test_review_of_a_20000_character_draft_is_fast():
    items = draft_of_the_samples()
    assert sum(len(i.text) for i in items) >= 20000
    review_all(items[:2])  # warm up: jieba's idiom list is read once per process
    start = time.perf_counter()
    review_all(items, filled_slots={})
    elapsed = time.perf_counter() - start
    assert elapsed < 0.5, f"{elapsed * 1000:.0f} ms"
