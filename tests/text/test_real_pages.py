"""Patterns of real speech pages from other sites, each reproduced in a document written here.

One test (or a few) per failure class: a lone first part (A), the site's own sentences (B),
titles (C), salutations (D), placeholders (E), flattened pages (F), date and subtitle lines
(G), a title printed again (H), and the singles (I): 【例文】, forum noise, pinyin, roles; plus
outlines above the speech, headings that start with a year, watermarks, site notices, page
counters and bylines. Each has its negative beside it where the rule could overreach.
"""

from __future__ import annotations

import re

from speechdraft.text.pipeline import parse_bytes

SITUATION = (
    "今年以来，全县上下认真贯彻上级决策部署，各项工作取得了明显成效，经济运行总体平稳，"
    "民生保障持续改善。但是也要清醒看到，我们面临的困难和挑战还不少，发展不平衡的问题依然突出。"
)
TASKS = (
    "各乡镇、各部门要对照年度目标，逐项细化责任分工，明确时间节点，倒排工期、挂图作战，"
    "确保每一项任务都有人抓、有人管、有人负责，以实打实的举措推动工作落地见效。"
)
STYLE = (
    "各级领导干部要带头转变作风，深入基层、深入一线，多到困难多、矛盾多的地方去，"
    "真正把心思用在干事业上，把功夫下在抓落实上，以过硬作风保障各项任务圆满完成。"
)
CLOSING = "同志们，任务艰巨，使命光荣。让我们紧密团结起来，开拓进取，为全面完成今年各项目标任务而努力奋斗！"


def speech_of(text: str, *, encoding: str = "utf-8", name: str = "page.txt"):
    parsed = parse_bytes(text.encode(encoding), name)
    return parsed, parsed.speeches[0]


def all_text(parsed) -> str:
    return "\n".join(t for s in parsed.speeches for t in s.texts() if t)


def three_parts(heads=("认清形势，增强信心", "突出重点，狠抓落实", "转变作风，强化保障")) -> str:
    return (
        f"一、{heads[0]}\n{SITUATION}\n二、{heads[1]}\n{TASKS}\n三、{heads[2]}\n{STYLE}\n{CLOSING}"
    )


# ------------------------------------------------------------------ A. a lone first part


def test_a_lone_first_part_after_an_announcement_is_a_section_and_the_speech_is_incomplete():
    text = (
        "在全县安全生产工作会议上的讲话\n同志们：\n今天召开会议，总结教训，部署工作。下面，我讲三点意见。\n"
        f"一、总结惨痛教训，分析严峻形势，切实增强责任感和紧迫感\n{SITUATION}\n{SITUATION}"
    )
    _, speech = speech_of(text)
    assert [s.number for s in speech.sections] == ["一、"]
    assert speech.sections[0].heading.startswith("总结惨痛教训")
    assert speech.sections[0].role == "situation"
    assert speech.announced_parts == 3
    assert any("只找到 1 个部分" in reason for reason in speech.incomplete)


def test_a_lone_first_part_of_a_cut_off_page_is_a_section_without_an_announcement():
    text = (
        "在全市教育工作会议上的讲话\n同志们：\n这次会议的主要任务是总结工作、部署任务。\n"
        f"一、提高站位，深刻认识教育工作的重要意义\n{SITUATION}\n{SITUATION}\n这两年，我们"
    )
    _, speech = speech_of(text)
    assert [s.number for s in speech.sections] == ["一、"]
    assert any("结尾不完整" in reason for reason in speech.incomplete)


def test_a_lone_numbered_item_after_a_lead_in_stays_in_the_opening():
    text = (
        "在全县经济工作会议上的讲话\n同志们：\n今年的工作目标如下：\n一、地区生产总值增长6%左右。\n"
        f"{SITUATION}\n{TASKS}\n{CLOSING}"
    )
    _, speech = speech_of(text)
    assert speech.sections == []
    assert "一、地区生产总值增长6%左右。" in speech.opening


def test_a_list_inside_a_body_is_not_made_parts():
    text = (
        "在全县经济工作会议上的讲话\n同志们：\n下面，我讲三点意见。\n一、认清形势\n"
        "今年要实现三个目标：一、事故起数下降；二、死亡人数下降；三、不发生较大事故。\n"
        f"{SITUATION}\n二、突出重点\n{TASKS}\n三、转变作风\n{STYLE}"
    )
    _, speech = speech_of(text)
    assert [s.number for s in speech.sections] == ["一、", "二、", "三、"]
    assert speech.sections[0].paragraphs[0].startswith("今年要实现三个目标：一、事故起数下降")


# ------------------------------------------------------------------ B. the site's own sentences


def test_site_sentences_go_also_when_they_share_a_line_with_the_salutation_or_the_end():
    text = (
        "下面是小编为大家整理的在全县安全生产工作会议上的讲话，供大家参考。\n"
        "在全县安全生产工作会议上的讲话\n"
        "导语：本文是一篇讲话稿，内容来源于网友上传，不代表本站观点。\n"
        "本文由用户上传，如有侵权请联系删除。同志们：今天召开全县安全生产工作会议。\n"
        f"{three_parts()}本文为作者原创，不允许二次传播。\n预览结束，免费获取全文。"
    )
    parsed, speech = speech_of(text)
    assert speech.title == "在全县安全生产工作会议上的讲话"
    assert speech.salutation == "同志们："
    assert speech.opening == ["今天召开全县安全生产工作会议。"]
    assert speech.closing[-1].endswith("而努力奋斗！")
    body = all_text(parsed)
    for junk in ("小编", "网友上传", "侵权", "二次传播", "预览结束", "导语"):
        assert junk not in body
        assert any(junk in line for line in parsed.removed)


def test_a_speakers_own_words_about_reference_are_kept():
    text = (
        "在全市组织工作座谈会上的交流发言\n各位领导、同志们：\n"
        "结合我县实际，我谈几点体会，供大家参考。\n"
        f"{three_parts()}\n以上是我的一点粗浅体会，仅供参考。"
    )
    parsed, speech = speech_of(text)
    assert "结合我县实际，我谈几点体会，供大家参考。" in speech.opening
    assert "以上是我的一点粗浅体会，仅供参考。" in all_text(parsed)


def test_an_editors_note_in_brackets_becomes_a_blank_or_goes_and_is_reported():
    text = (
        "在全县干部大会上的讲话\n同志们：\n"
        "我们要认真学习（一个领导人的名字加职务，你可以前后对照进行准确替换）的重要讲话精神。"
        "会议要求各单位抓好落实（此处可根据实际补充具体要求）。\n"
        f"{three_parts()}"
    )
    parsed, speech = speech_of(text)
    assert speech.opening[0].startswith("我们要认真学习{{ 姓名 }}的重要讲话精神。")
    assert speech.opening[0].endswith("会议要求各单位抓好落实。")
    assert any("准确替换" in line for line in parsed.removed)
    assert any("补充具体要求" in line for line in parsed.removed)


def test_collection_labels_leave_the_title():
    for raw, title in (
        ("篇一：在全县经济工作会议上的讲话", "在全县经济工作会议上的讲话"),
        ("在全县经济工作会议上的讲话（精选文档）", "在全县经济工作会议上的讲话"),
        ("在全县经济工作会议上的讲话【优秀范文】", "在全县经济工作会议上的讲话"),
        ("党课讲稿党课讲稿：守初心 担使命", "党课讲稿：守初心担使命"),
    ):
        _, speech = speech_of(f"{raw}\n同志们：\n{three_parts()}")
        assert speech.title == title, raw


# ------------------------------------------------------------------ C. titles


def test_metadata_lines_and_the_salutation_are_never_the_title():
    text = (
        "栏目：讲话稿 人气：2.37W\n颗粒名称：安全生产讲话\n时间：2024-05-06\n"
        "在全县安全生产工作会议上的讲话\n各位党员同志：\n今天我们召开会议。\n" + three_parts()
    )
    parsed, speech = speech_of(text)
    assert speech.title == "在全县安全生产工作会议上的讲话"
    assert speech.salutation == "各位党员同志："
    assert "人气" not in all_text(parsed)


def test_a_title_broken_over_two_lines_is_joined():
    text = "在市第十五届人民代表大会\n第六次会议上的讲话\n各位代表：\n" + three_parts()
    _, speech = speech_of(text)
    assert speech.title == "在市第十五届人民代表大会第六次会议上的讲话"


def test_the_main_title_stays_with_its_subtitle_whatever_the_dash():
    text = "凝心聚力抓落实 奋勇争先开新局\n──在全区三级干部大会上的讲话\n同志们：\n" + three_parts()
    _, speech = speech_of(text)
    assert speech.title == "凝心聚力抓落实 奋勇争先开新局——在全区三级干部大会上的讲话"


def test_a_page_headline_above_the_speech_is_not_a_speech():
    text = (
        "全县召开经济工作会议\n本网讯 12月20日，全县经济工作会议召开，县委书记作重要讲话。\n"
        "在全县经济工作会议上的讲话\n同志们：\n今天召开会议。\n" + three_parts()
    )
    parsed = parse_bytes(text.encode(), "page.txt")
    assert [s.title for s in parsed.speeches] == ["在全县经济工作会议上的讲话"]


# ------------------------------------------------------------------ D. salutations


def test_a_salutation_of_any_address_and_the_greeting_after_it():
    text = "在庆祝“三八”国际妇女节大会上的讲话\n尊敬的女同胞们：\n大家好！\n" + three_parts()
    parsed, speech = speech_of(text)
    assert speech.salutation == "尊敬的女同胞们："
    assert speech.opening[0] == "大家好！"
    assert not any("女同胞" in line for line in parsed.removed)


def test_a_salutation_glued_to_the_title():
    text = "在全县作风建设大会上的表态发言各位领导、同志们：\n" + three_parts()
    _, speech = speech_of(text)
    assert speech.title == "在全县作风建设大会上的表态发言"
    assert speech.salutation == "各位领导、同志们："


def test_a_colon_inside_a_sentence_is_not_a_salutation():
    text = (
        "在全县干部大会上的讲话\n同志们：\n我想对大家说：同志们：只有实干才能出彩。\n"
        + three_parts()
    )
    _, speech = speech_of(text)
    assert speech.opening == ["我想对大家说：同志们：只有实干才能出彩。"]


# ------------------------------------------------------------------ E. placeholders


def test_every_form_of_placeholder_becomes_a_typed_blank():
    text = (
        "在201x年全县经济工作会议上的讲话\n同志们：\n"
        "刚才，xx副县长通报了情况，xxx同志作了发言，X副县长作了部署。我们要认真学习对×××的讲话，"
        "20xx年全县要新增就业x万人，--局要牵头抓好落实。\n" + three_parts()
    )
    _, speech = speech_of(text)
    opening = speech.opening[0]
    assert "x" not in opening and "X" not in opening and "--" not in opening
    assert opening.count("{{ 姓名") == 4
    assert re.search(r"\{\{ 年份\d \}\}年全县要新增就业\{\{ 数字 \}\}万人", opening)
    assert "{{ 单位名 }}要牵头" in opening
    assert speech.title == "在{{ 年份1 }}年全县经济工作会议上的讲话"


def test_latin_letters_of_real_words_stay():
    text = (
        "在全县数字经济推进会上的讲话\n同志们：\n要用好X光机和5G网络，x轴和GDP都是术语。\n"
        + three_parts()
    )
    _, speech = speech_of(text)
    assert speech.opening == ["要用好X光机和5G网络，x轴和GDP都是术语。"]


# ------------------------------------------------------------------ F. flattened pages


def test_a_flattened_page_is_cut_back_into_title_salutation_headings_and_body():
    line = (
        "在全县安全生产工作会议上的讲话同志们：今天召开会议，部署今冬明春安全生产工作。下面，我讲三点看法："
        f"一、提高认识，增强紧迫感。{SITUATION}{SITUATION}二、突出重点，狠抓落实。{TASKS}{TASKS}"
        f"三、强化责任，严格考核。{STYLE}{CLOSING}"
    )
    _, speech = speech_of(line)
    assert speech.title == "在全县安全生产工作会议上的讲话"
    assert speech.salutation == "同志们："
    assert [s.heading for s in speech.sections] == [
        "提高认识，增强紧迫感",
        "突出重点，狠抓落实",
        "强化责任，严格考核",
    ]
    assert speech.closing == [CLOSING]


# ------------------------------------------------------------------ G. date and subtitle lines


def test_date_lines_under_the_title_in_every_form():
    for line, date in (
        ("（20**年8月9日）", "20**年8月9日"),
        ("（一九九九年元月九日）", "一九九九年元月九日"),
        ("(20XX年5月9日)", "20XX年5月9日"),
        ("（2023年12月20日）", "2023年12月20日"),
    ):
        _parsed, speech = speech_of(f"在全县干部大会上的讲话\n{line}\n同志们：\n{three_parts()}")
        assert speech.date == date, line
        assert date[:4] not in " ".join(speech.opening)


def test_a_dashed_subtitle_with_a_date_gives_the_date_and_keeps_the_meeting():
    text = (
        "奋力谱写高质量发展新篇章\n——2021年2月27日在全县三级干部大会上的讲话\n同志们：\n"
        + three_parts()
    )
    _, speech = speech_of(text)
    assert speech.date == "2021年2月27日"
    assert speech.title == "奋力谱写高质量发展新篇章——在全县三级干部大会上的讲话"


# ------------------------------------------------------------------ H. a title printed again


def test_a_title_printed_again_inside_the_body_does_not_split_the_speech():
    text = (
        "在全县经济工作会议上的讲话\n同志们：\n今天召开会议。\n"
        f"一、认清形势，增强信心\n{SITUATION}\n在全县经济工作会议上的讲话\n"
        f"二、突出重点，狠抓落实\n{TASKS}\n三、转变作风，强化保障\n{STYLE}\n{CLOSING}"
    )
    parsed = parse_bytes(text.encode(), "page.txt")
    assert len(parsed.speeches) == 1
    assert [s.number for s in parsed.speeches[0].sections] == ["一、", "二、", "三、"]
    assert parsed.speeches[0].sections[0].paragraphs == [SITUATION]


# ------------------------------------------------------------------ I. singles


def test_a_writing_guide_gives_only_its_example():
    text = (
        "讲话稿怎么写\n写讲话稿要注意三点：一是站位要高，二是结构要清楚，三是语言要简洁。\n"
        "【例文】\n在全县经济工作会议上的讲话\n同志们：\n今天召开会议。\n" + three_parts()
    )
    parsed = parse_bytes(text.encode(), "page.txt")
    assert len(parsed.speeches) == 1
    speech = parsed.speeches[0]
    assert speech.title == "在全县经济工作会议上的讲话"
    assert "站位要高" not in all_text(parsed)


def test_forum_noise_inside_lines_goes_and_the_texts_own_brackets_stay():
    text = (
        "在全县干部大会上的讲话\n同志们：4 d0 L2 Z& v4 N3 }& U\n"
        "今天召开会议（扩大会议) 7 k2 P$ e5 Q1 \n" + three_parts()
    )
    parsed, speech = speech_of(text)
    assert speech.salutation == "同志们："
    assert speech.opening == ["今天召开会议（扩大会议）"]
    assert "｝" not in all_text(parsed)


def test_pinyin_after_a_character_goes():
    text = "在全县干部大会上的讲话\n同志们：\n山路崎岖（qū），我们要迎难而上。\n" + three_parts()
    _, speech = speech_of(text)
    assert speech.opening == ["山路崎岖，我们要迎难而上。"]


def test_roles_of_a_first_part_that_starts_with_yao_and_a_last_part_about_mechanisms():
    heads = (
        "要高度重视作风建设，坚守纪律红线",
        "要聚焦突出问题，抓好作风建设专项整治",
        "健全机制，推动作风建设常态长效",
    )
    _, speech = speech_of("在全县作风建设大会上的讲话\n同志们：\n" + three_parts(heads))
    assert [s.role for s in speech.sections] == ["situation", "tasks", "style"]


# ------------------------------------------------------------------ the second sample


def test_an_outline_above_the_speech_is_navigation_not_structure():
    text = (
        "在全县教育工作会议上的讲话\n目录\n一、认清形势，增强信心\n二、突出重点，狠抓落实\n"
        "三、转变作风，强化保障\n同志们：\n今天召开会议。\n" + three_parts()
    )
    _parsed, speech = speech_of(text)
    assert [s.number for s in speech.sections] == ["一、", "二、", "三、"]
    assert speech.sections[0].paragraphs == [SITUATION]
    assert speech.title == "在全县教育工作会议上的讲话"


def test_a_heading_that_starts_with_a_year():
    heads = ("2023年教育工作回顾", "2024年重点任务", "强化保障")
    _, speech = speech_of("在全县教育工作会议上的讲话\n同志们：\n" + three_parts(heads))
    assert [s.heading for s in speech.sections] == list(heads)


def test_watermarks_site_notices_and_page_counters_go():
    text = (
        "在全县经济工作会议上的讲话\n同志们：\n今天召开会议。\n公文汇\n"
        f"一、认清形势，增强信心\n{SITUATION}第1页共8页\n公文汇\n二、突出重点，狠抓落实\n{TASKS}\n"
        f"公文汇\n三、转变作风，强化保障\n{STYLE}\n{CLOSING}\n"
        "1.本站所有资源均来自网络，仅供学习。\n2.为防止用户资源被盗用，请勿转载。\n"
        "试读结束，请点击右下角登录后继续阅读。"
    )
    parsed, speech = speech_of(text)
    assert [s.number for s in speech.sections] == ["一、", "二、", "三、"]
    body = all_text(parsed)
    for junk in ("公文汇", "第1页", "本站", "用户资源", "试读结束"):
        assert junk not in body
    assert speech.sections[0].paragraphs == [SITUATION]


def test_bylines_become_the_speaker():
    _, speech = speech_of(
        f"在全区经济工作会议上的讲话\n区领导 **\n（20XX年5月9日）\n同志们：\n{three_parts()}"
    )
    assert speech.speaker == "区领导 {{ 姓名 }}"
    assert speech.date == "20XX年5月9日"
    _, speech = speech_of(f"郑 建 新\n在全区经济工作会议上的讲话\n同志们：\n{three_parts()}")
    assert speech.speaker == "郑建新"


def test_a_page_that_prints_the_beginning_twice_is_one_speech():
    head = "在创建文明城市动员大会上的讲话\n同志们：这次会议是市委决定召开的一次重要会议。\n下面，我讲三点意见。\n"
    parsed = parse_bytes((head + head + three_parts()).encode(), "page.txt")
    assert len(parsed.speeches) == 1
    speech = parsed.speeches[0]
    assert speech.opening == [
        "这次会议是市委决定召开的一次重要会议。",
        "下面，我讲{{ 部分数 }}点意见。",
    ]
    assert [s.number for s in speech.sections] == ["一、", "二、", "三、"]


def test_a_paywall_counter_and_a_bookmark_line_go():
    text = (
        "在全市领导干部大会上的讲话\n同志们：\n今天召开会议。\n" + three_parts() + "\n"
        "……（某某网省略697字，正式会员可完整阅读）\n"
        "……（未完，全文共3876字，当前仅显示1958字，请阅读下面提示信息。\n收藏《在全市领导干部大会上的讲话》）"
    )
    parsed, _ = speech_of(text)
    body = all_text(parsed)
    for junk in ("省略", "全文共", "收藏"):
        assert junk not in body


def test_headings_listed_after_the_announcement_are_a_preview_not_parts():
    text = (
        "在全县教育工作会议上的讲话\n同志们：\n今天召开会议。下面主要讲三个问题：\n"
        "（一）认清形势；\n（二）突出重点；\n（三）转变作风。\n"
        f"（一）认清形势。{SITUATION}\n（二）突出重点。{TASKS}\n（三）转变作风。{STYLE}\n{CLOSING}"
    )
    parsed, speech = speech_of(text)
    assert [s.heading for s in speech.sections] == ["认清形势", "突出重点", "转变作风"]
    assert speech.sections[0].paragraphs == [SITUATION]
    assert "（一）认清形势；" in parsed.removed


def test_a_numbered_list_of_short_lines_that_never_comes_again_stays():
    text = (
        "在全县教育工作会议上的讲话\n同志们：\n今天召开会议。下面，我讲三点意见。\n"
        f"一、认清形势\n{SITUATION}\n1.学前教育普及；\n2.义务教育均衡；\n3.高中教育提质。\n"
        f"二、突出重点\n{TASKS}\n三、转变作风\n{STYLE}"
    )
    parsed, _ = speech_of(text)
    assert not any("学前教育" in line for line in parsed.removed)
    assert "学前教育普及" in all_text(parsed)
