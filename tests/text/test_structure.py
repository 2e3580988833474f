from speechdraft.text.clean import CleanSpeech
from speechdraft.text.structure import build_speech, sentence_end, split_heading


def _speech(*body: str):
    return build_speech(CleanSpeech(title="讲话", salutation="同志们：", body=list(body)))


def _outline(sections, depth=0):
    out = []
    for s in sections:
        out.append(("  " * depth) + f"{s.number}|{s.heading}|{len(s.paragraphs)}")
        out.extend(_outline(s.children, depth + 1))
    return out


def test_four_levels():
    speech = _speech(
        "今天我们召开全市安全生产工作会议。下面，我讲两点意见。",
        "一、充分认识安全生产工作的重要意义",
        "安全生产事关人民群众生命财产安全。",
        "（一）安全生产是发展的前提。没有安全，就谈不上发展。",
        "1.坚持人民至上。要始终把人民生命安全放在第一位。",
        "（1）强化红线意识。各级领导干部要牢固树立安全发展理念。",
        "（2）强化底线思维。要坚持问题导向。",
        "2.坚持预防为主。要把工作重心放在事前预防上。",
        "（二）安全生产是民生的底线。群众最关心的就是安全。",
        "二、扎实抓好重点任务",
        "（一）抓好隐患排查。要全面开展隐患排查整治。",
        "（二）抓好专项整治。要深入推进专项整治。",
    )
    assert speech.opening == ["今天我们召开全市安全生产工作会议。下面，我讲两点意见。"]
    assert _outline(speech.sections) == [
        "一、|充分认识安全生产工作的重要意义|1",
        "  （一）|安全生产是发展的前提|1",
        "    1.|坚持人民至上|1",
        "      （1）|强化红线意识|1",
        "      （2）|强化底线思维|1",
        "    2.|坚持预防为主|1",
        "  （二）|安全生产是民生的底线|1",
        "二、|扎实抓好重点任务|0",
        "  （一）|抓好隐患排查|1",
        "  （二）|抓好专项整治|1",
    ]
    levels = [s.level for s in speech.walk_sections()]
    assert levels == [1, 2, 3, 4, 4, 3, 2, 1, 2, 2]
    assert speech.sections[0].paragraphs == ["安全生产事关人民群众生命财产安全。"]
    assert speech.sections[0].children[0].children[0].children[1].paragraphs == ["要坚持问题导向。"]
    assert speech.closing == []


def test_di_yi_sections_with_run_in_children_and_closing():
    speech = _speech(
        "刚才同志们的发言很好。在今天总结会上，我想讲三句话。",
        "第一，上下同心抓发展。统一思想才能统一行动。",
        "第二，千帆竞逐抓发展。那如何千帆竞逐抓发展？主要是“四靠”。",
        "一要靠人。全市以指挥部为作战单元。",
        "二要靠项目。项目从哪里来？一是项目策划。二是争取项目。",
        "三要靠资金。资金从哪里来？",
        "第三，要奖罚分明抓发展。目前，全市已经形成良好氛围。",
        "同志们，攻坚的冲锋号已经吹响，让我们奋力谱写高质量发展新篇章。",
    )
    assert _outline(speech.sections) == [
        "第一，|上下同心抓发展|1",
        "第二，|千帆竞逐抓发展|1",
        "  一要|靠人|1",
        "  二要|靠项目|1",
        "  三要|靠资金|1",
        "第三，|要奖罚分明抓发展|1",
    ]
    assert speech.sections[1].children[1].paragraphs == [
        "项目从哪里来？一是项目策划。二是争取项目。"
    ]
    assert speech.closing == ["同志们，攻坚的冲锋号已经吹响，让我们奋力谱写高质量发展新篇章。"]


def test_unnumbered_run_in_headings():
    speech = _speech(
        "***市坚决贯彻市委工作要求，全面加强干部能力作风建设。",
        "提高站位抓推进。一是以更高的标准推进产业发展。二是以开放的思维推进平台建设。",
        "聚焦重点抓推进。一是对标“四个聚焦”找差距。二是突出“六个能力”促提升。",
        "严实举措抓推进。一是深化积分制考核。二是深化岗位大练兵。",
    )
    assert speech.opening == ["***市坚决贯彻市委工作要求，全面加强干部能力作风建设。"]
    assert [(s.number, s.style, s.heading) for s in speech.sections] == [
        (None, None, "提高站位抓推进"),
        (None, None, "聚焦重点抓推进"),
        (None, None, "严实举措抓推进"),
    ]
    assert speech.sections[0].paragraphs == [
        "一是以更高的标准推进产业发展。二是以开放的思维推进平台建设。"
    ]


def test_two_run_in_headings_of_identical_shape():
    speech = _speech(
        "市发改委将认真贯彻市委工作要求，推动发展改革工作提质提效。",
        "学用新思想，拉高新标杆。对标建设绿色低碳发展示范区要求，学习先进经验。",
        "抢占新赛道，实现新突破。聚焦现代产业体系，开展业务大培训。",
    )
    assert [s.heading for s in speech.sections] == [
        "学用新思想，拉高新标杆",
        "抢占新赛道，实现新突破",
    ]


def test_run_in_heading_with_comma_before_a_list():
    speech = _speech(
        "市住建局将认真贯彻市委工作要求，提能力、改作风、抓落实。",
        "埋头苦学提能力，一是强化理论武装。二是提升专业能力。",
        "动真碰硬改作风，一是刀刃向内彻查问题。二是全面彻底深入整改。",
        "勇于担当抓落实，一是坚持领导带头。二是坚持主动作为。",
    )
    assert [s.heading for s in speech.sections] == [
        "埋头苦学提能力",
        "动真碰硬改作风",
        "勇于担当抓落实",
    ]
    assert speech.sections[0].paragraphs == ["一是强化理论武装。二是提升专业能力。"]


def test_run_in_headings_above_restarting_numbered_paragraphs():
    speech = _speech(
        "今天的会议很重要，我讲几点意见。",
        "提高站位抓推进",
        "一是以更高的标准推进产业发展。",
        "二是以开放的思维推进平台建设。",
        "聚焦重点抓推进",
        "一是对标找差距。",
        "二是突出促提升。",
        "严实举措抓推进",
        "一是深化积分制考核。",
        "二是深化岗位大练兵。",
    )
    assert _outline(speech.sections) == [
        "None|提高站位抓推进|0",
        "  一是|以更高的标准推进产业发展|0",
        "  二是|以开放的思维推进平台建设|0",
        "None|聚焦重点抓推进|0",
        "  一是|对标找差距|0",
        "  二是|突出促提升|0",
        "None|严实举措抓推进|0",
        "  一是|深化积分制考核|0",
        "  二是|深化岗位大练兵|0",
    ]


def test_ordinary_paragraphs_are_not_run_in_headings():
    speech = _speech(
        "今天我们召开全县经济工作会议。",
        "发展是第一要务。我们要坚定不移抓发展，推动经济持续健康发展。",
        "当前形势依然严峻。稍有松懈就会功虧一篑。",
        "同志们，让我们团结一心，为完成全年目标任务而努力奋斗！",
    )
    assert speech.sections == []
    assert len(speech.opening) == 3
    assert speech.closing == ["同志们，让我们团结一心，为完成全年目标任务而努力奋斗！"]


def test_numbered_lists_in_the_opening_stay_in_the_opening():
    speech = _speech(
        "今年以来，我们做了三件事：",
        "一是抓项目。",
        "二是抓招商。",
        "下面，我讲两点意见。",
        "一、认清形势",
        "形势依然严峻。",
        "二、明确任务",
        "任务十分繁重。",
    )
    assert speech.opening == [
        "今年以来，我们做了三件事：",
        "一是抓项目。",
        "二是抓招商。",
        "下面，我讲两点意见。",
    ]
    assert [s.number for s in speech.sections] == ["一、", "二、"]


def test_top_family_may_start_above_one_and_stray_items_stay_text():
    speech = _speech(
        "第五，这是我们改进作风的现实所需。我们要弘扬伟大精神。",
        "第二个问题，怎么理解这项行动？",
        "思想是行动的先导。",
        "（一）“三强”是目标。要强产争先。",
        "（二）“三新”是路径。要构建新产业。",
        "第三个问题，怎样推进这项行动？",
        "（一）以上率下示范干。领导要在一线指挥。",
        "（二）对标管理比着干。要学习先进。",
    )
    assert speech.opening == ["第五，这是我们改进作风的现实所需。我们要弘扬伟大精神。"]
    assert [(s.number, s.heading) for s in speech.sections] == [
        ("第二个问题，", "怎么理解这项行动？"),
        ("第三个问题，", "怎样推进这项行动？"),
    ]
    assert [c.heading for c in speech.sections[0].children] == ["“三强”是目标", "“三新”是路径"]
    assert speech.sections[0].paragraphs == ["思想是行动的先导。"]


def test_closing_fallback_final_exclamation():
    speech = _speech(
        "讲三点意见。",
        "一、认清形势",
        "形势严峻。",
        "二、明确任务",
        "（一）抓项目。要加快项目建设。",
        "（二）抓招商。要加大招商力度。",
        "我们应全面贯彻落实会议精神，迅速掀起干事创业的新热潮！",
    )
    assert speech.closing == ["我们应全面贯彻落实会议精神，迅速掀起干事创业的新热潮！"]
    assert speech.sections[1].children[1].paragraphs == ["要加大招商力度。"]


def test_split_heading():
    assert split_heading("靠人。全市以指挥部为作战单元。") == ("靠人", "全市以指挥部为作战单元。")
    assert split_heading("认清形势，增强紧迫感") == ("认清形势，增强紧迫感", "")
    assert split_heading("怎么理解这项行动？") == ("怎么理解这项行动？", "")
    assert split_heading("对标管理比着干。“不是一流就学习一流。”向谁学？") == (
        "对标管理比着干",
        "“不是一流就学习一流。”向谁学？",
    )
    long_lead = "项目方面" * 20 + "。下一句。"
    assert split_heading(long_lead) == ("", long_lead)


def test_sentence_end_ignores_quotes():
    assert sentence_end("“不是。”是的。") == 7
    assert sentence_end("（注：略。）好") is None
