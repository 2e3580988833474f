"""Speeches written for the duplicate tests, and the pages different sites would make of them.

All text here is our own. `SPEECH` is one speech of 16 paragraphs; the builders return the
bytes a scraper would bring back from one site or another.
"""

from __future__ import annotations

import opencc

TITLE = "在全县农村人居环境整治提升工作推进会上的讲话"

# (heading or None, paragraphs): the opening, three parts, the closing.
OPENING = [
    "今天我们召开全县农村人居环境整治提升工作推进会，主要任务是总结去年以来的工作，分析当前面临的形势，安排部署今年的重点任务。刚才，三个乡镇作了交流发言，讲得都很实在，大家可以相互学习借鉴。下面，我讲三点意见。",
]
PARTS = [
    (
        "一、提高思想认识，切实增强做好整治工作的责任感",
        [
            "农村人居环境的好坏，直接关系群众的获得感和幸福感。这几年，全县上下围绕垃圾处理、污水治理、厕所改造和村容村貌提升四项重点，投入资金一点二亿元，建成农村公厕三百二十座，改造户厕一万一千多户，村庄面貌发生了明显变化。",
            "同时也要清醒看到，我们的工作与群众期盼相比还有不小差距。一些村庄垃圾收运不及时，河塘沟渠还有黑臭水体；有的地方重建设轻管护，设施建成后无人维修，群众意见比较大；还有的干部认为这项工作是软任务，抓得时紧时松。",
            "对这些问题，各乡镇要逐一梳理，列出清单，明确时限，真正把问题解决在基层、化解在一线，让群众看到实实在在的变化。",
        ],
    ),
    (
        "二、突出工作重点，扎实推进整治提升各项任务",
        [
            "（一）抓好生活垃圾治理。要健全村收集、镇转运、县处理的运行体系，每个行政村至少配备两名保洁员，做到垃圾日产日清。今年年底前，全县所有乡镇都要建成垃圾分类示范村，分类覆盖率达到百分之六十以上。",
            "（二）抓好生活污水治理。坚持因村施策，靠近集镇的村庄优先接入污水管网，居住分散的村庄推广小型湿地和一体化处理设施。县水利局要会同生态环境分局，对已建设施开展一次全面排查，运行不正常的限期整改。",
            "（三）抓好厕所革命。改厕要坚持群众自愿、质量第一，不能为了赶进度搞一刀切。今年计划新改户厕两千户，各乡镇要把好选址、施工、验收三道关，确保改一户、成一户、用一户。",
            "（四）抓好村容村貌提升。以清垃圾、清塘沟、清杂物为重点，持续开展村庄清洁行动。要引导群众在房前屋后种花种树，建设小菜园、小果园，让村庄既干净整洁又有乡土味道。",
            "（五）抓好长效管护。设施建起来只是第一步，管起来、用起来才是关键。要探索建立政府补助、村集体补贴、农户适当付费的管护机制，把管护责任落实到具体的人。",
        ],
    ),
    (
        "三、强化组织保障，确保各项工作落地见效",
        [
            "一是压实工作责任。县级领导要分片包干，乡镇党委书记是第一责任人，村党组织书记是直接责任人，一级抓一级，层层抓落实，形成上下联动的工作格局。",
            "二是加大资金投入。县财政每年安排专项资金不少于三千万元，同时积极争取上级项目资金，引导社会资本和村集体经济参与整治，把有限的钱用在刀刃上。",
            "三是严格督查考核。县委督查室要每季度开展一次明察暗访，对工作推进慢、问题整改不到位的乡镇进行通报，考核结果与年度评先评优挂钩。",
            "四是广泛发动群众。要用好村规民约和积分超市，开展美丽庭院、清洁家庭评比，让群众从旁观者变成参与者，自觉维护好自己的家园。",
        ],
    ),
]
CLOSING = [
    "同志们，改善农村人居环境是一件功在当下、利在长远的民生实事。希望大家以更加务实的作风、更加有力的举措，推动全县农村人居环境整治提升工作再上新台阶，为建设宜居宜业和美乡村作出新的更大贡献！",
]


def speech_lines(
    title: str = TITLE,
    *,
    salutation: bool = True,
    opening=OPENING,
    parts=PARTS,
    closing=CLOSING,
) -> list[str]:
    lines = [title] if title else []
    if salutation:
        lines.append("同志们：")
    lines.extend(opening)
    for heading, paragraphs in parts:
        lines.append(heading)
        lines.extend(paragraphs)
    lines.extend(closing)
    return lines


def clean_page(**kwargs) -> bytes:
    """The speech as its own office would publish it: nothing else on the page."""
    return "\n".join(speech_lines(**kwargs)).encode()


def broken(lines: list[str], every: int = 3) -> list[str]:
    """Every `every`-th long paragraph broken in two mid-sentence, as narrow pages copy."""
    out = []
    for i, line in enumerate(lines):
        if len(line) > 60 and i % every == 0:
            cut = len(line) // 2
            out.extend([line[:cut], line[cut:]])
        else:
            out.append(line)
    return out


HEADER = [
    "首页 > 范文大全 > 讲话稿 > 会议讲话",
    f"下面是小编为大家整理的{TITLE}，供大家参考。",
    "来源：笔杆子范文网",
    "发布时间：2024-03-20 09:15:02",
    "浏览次数：1536",
]
FOOTER = [
    "本文由用户上传，如有侵权请联系删除！",
    "相关推荐：",
    "1. 在全市乡村振兴工作会议上的讲话",
    "2. 在全镇美丽乡村建设动员会上的发言",
    "3. 农村人居环境整治工作总结范文",
    "上一篇：在全县安全生产工作会议上的讲话",
    "下一篇：在全县春季植树造林动员会上的讲话",
]


def scraped_page(*, encoding: str = "utf-8", traditional: bool = False, **kwargs) -> bytes:
    """The speech on a 范文 site: header and footer chrome, some lines broken differently."""
    lines = [*HEADER, *broken(speech_lines(**kwargs)), *FOOTER]
    text = "\n".join(lines)
    if traditional:
        text = opencc.OpenCC("s2t").convert(text)
    return text.encode(encoding)


def traditional_page(**kwargs) -> bytes:
    """The speech reposted in traditional characters, with a line of chrome."""
    text = "\n".join([*speech_lines(**kwargs), "來源：某某資訊網"])
    return opencc.OpenCC("s2t").convert(text).encode()


# The same work, another speech: the next year's meeting, written from last year's text. The
# stock phrases and most paragraphs stay, the facts, some tasks and the headings are new: a
# Jaccard similarity of about 0.6 (a candidate of the band index, refused on the exact score).
OTHER_PARTS = [
    (
        "一、总结成绩，正视问题",
        [
            PARTS[0][1][0]
            .replace("一点二亿元", "一点八亿元")
            .replace("三百二十座", "四百一十座")
            .replace("一万一千多户", "一万五千多户"),
            "去年全县新增垃圾分类示范村二十六个，农村生活污水治理率提高到百分之四十八，群众满意度测评排在全市第三位，这些成绩来之不易，是大家共同努力的结果。",
            PARTS[0][1][2],
        ],
    ),
    (
        "二、聚焦短板，精准发力",
        [
            PARTS[1][1][0].replace("百分之六十", "百分之八十"),
            "（二）抓好农村供水保障。要加快城乡供水一体化建设，年内完成十二个村的管网延伸，解决好高山村和偏远村群众的饮水问题，让群众喝上放心水。",
            PARTS[1][1][2],
            PARTS[1][1][3],
            PARTS[1][1][4],
        ],
    ),
    (
        "三、压实责任，合力推进",
        [
            PARTS[2][1][0],
            PARTS[2][1][1],
            PARTS[2][1][2],
            "四是注重典型引路。每个乡镇今年要打造两个以上示范样板，组织村干部分批观摩学习，用身边的例子带动面上工作，以点带面推动整体提升。",
        ],
    ),
]
OTHER_TITLE = "在全县2025年农村人居环境整治提升工作会议上的讲话"

ANOTHER_TITLE = "在全县安全生产工作会议上的讲话"
ANOTHER_PARTS = [
    (
        "一、清醒认识安全生产面临的严峻形势",
        [
            "今年以来，全县安全生产形势总体平稳，但一季度仍发生了两起较大事故，教训十分深刻。道路交通、建筑施工、危险化学品三个领域的隐患依然突出，一些企业主体责任落实不到位，安全投入欠账较多。",
        ],
    ),
    (
        "二、全力抓好重点领域专项整治",
        [
            "要聚焦矿山、危化品、燃气、消防等重点行业，开展为期三个月的拉网式排查，做到不留死角、不留盲区。对排查出的重大隐患，实行挂牌督办、销号管理，整改不到位的坚决停产停业。",
            "要持续加强道路交通安全管理，严厉打击超速超载、酒驾醉驾等违法行为，在事故多发路段增设警示标志和减速设施，切实降低交通事故发生率。",
        ],
    ),
    (
        "三、层层压紧压实安全生产责任",
        [
            "各乡镇、各部门要严格落实党政同责、一岗双责，主要负责同志要亲自研究、亲自部署、亲自督办。对工作不力、失职失责造成事故的，要依法依规严肃追究责任。",
        ],
    ),
]
ANOTHER_CLOSING = [
    "同志们，安全生产责任重于泰山。我们要以对人民群众生命财产高度负责的态度，扎扎实实做好各项工作，坚决守住安全生产底线！",
]


def compilation_page(*, first_is_ours: bool = True) -> bytes:
    """A 汇编 of two speeches: ours and another one, with a table of contents."""
    ours = speech_lines()
    another = speech_lines(ANOTHER_TITLE, parts=ANOTHER_PARTS, opening=[], closing=ANOTHER_CLOSING)
    speeches = [ours, another] if first_is_ours else [another, ours]
    titles = [s[0] for s in speeches]
    lines = ["2024年县委领导讲话汇编", "目录", *(f"{i}．{t}" for i, t in enumerate(titles, 1)), ""]
    for speech in speeches:
        lines.extend([*speech, ""])
    return "\n".join(lines).encode()


def truncated_page(**kwargs) -> bytes:
    """The speech as a preview cut off before its end: no closing, the last sentence unfinished."""
    lines = speech_lines(closing=[], **kwargs)
    last = lines[-1]
    lines[-1] = last[: last.index("，", len(last) // 2)]
    return "\n".join(lines).encode()
