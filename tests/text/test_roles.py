from speechdraft.text.model import Section
from speechdraft.text.roles import assign_roles


def _roles(*headings):
    sections = [
        Section(number=None, style=None, heading=h, paragraphs=["正文。"]) for h in headings
    ]
    sections[0].children.append(Section(number="（一）", style="（一）", heading="子项", level=2))
    assign_roles(sections)
    assert sections[0].children[0].role is None
    return [s.role for s in sections]


def test_classic_three_parts():
    assert _roles(
        "认清形势、开拓进取，切实增强加快跨越发展的责任感和紧迫感",
        "抢抓机遇，创新思路，努力实现后发赶超",
        "强化管理，严格问责，用过硬的工作作风推动经济社会快速发展",
    ) == ["situation", "tasks", "style"]


def test_shared_words_are_ignored_and_position_decides():
    assert _roles("上下同心抓发展", "千帆竞逐抓发展", "要奖罚分明抓发展") == [
        "situation",
        "tasks",
        "style",
    ]


def test_keywords_beat_position():
    assert _roles("切实加强组织领导", "充分认识重要意义", "扎实推进重点任务") == [
        "style",
        "situation",
        "tasks",
    ]


def test_two_parts_and_other():
    assert _roles("统一思想，提高认识", "狠抓落实，务求实效") == ["situation", "style"]
    assert _roles("一路走来", "感慨万千") == ["other", "other"]


def test_a_lone_part_is_the_situation_of_a_page_cut_after_it():
    assert _roles("一路走来") == ["situation"]
    assert _roles("狠抓落实，严明纪律，强化督查问责") == ["style"]  # its own words still decide


def test_the_parts_of_an_exchange_or_a_pledge_are_what_the_unit_does():
    heads = (
        "坚持党建引领，凝聚治理合力",
        "坚持资源整合，下沉治理力量",
        "坚持群众主体，激发自治活力",
    )
    sections = [Section(None, None, h) for h in heads]
    assign_roles(sections, "在全市基层治理工作会议上的交流发言")
    assert [s.role for s in sections] == ["tasks", "tasks", "tasks"]
    sections = [Section(None, None, h) for h in heads]
    assign_roles(sections, "在全市基层治理工作会议上的讲话")  # a leader's speech: by position
    assert [s.role for s in sections][-1] == "style"


def test_first_paragraph_helps_an_empty_heading():
    sections = [
        Section(None, None, "", paragraphs=["要切实加强作风建设，严明纪律。"]),
        Section(None, None, "其他", paragraphs=["正文。"]),
    ]
    assign_roles(sections)
    assert sections[0].role == "style"
