from speechdraft.text.join import join_lines, wrap_width


def test_particle_continuation():
    lines = ["**同志通报", "了区委考察组赴重庆市考察学习情况，希望大家认真学习。"]
    assert join_lines(lines) == ["**同志通报了区委考察组赴重庆市考察学习情况，希望大家认真学习。"]


def test_paragraph_broken_mid_sentence():
    lines = [
        "（一）突出抓项目和招商。通过园区复制、整体克隆、合作",
        "共建、携手招商实现突破。",
        "（二）重点抓园区建设。",
    ]
    assert join_lines(lines) == [
        "（一）突出抓项目和招商。通过园区复制、整体克隆、合作共建、携手招商实现突破。",
        "（二）重点抓园区建设。",
    ]


def test_line_starting_with_continuation_punctuation():
    lines = ["催生了“**经验”和“**速度”", "，大家要认真领会，深入思考。"]
    assert join_lines(lines) == ["催生了“**经验”和“**速度”，大家要认真领会，深入思考。"]


def test_headings_are_not_glued_to_their_body():
    lines = [
        "一、认清形势、开拓进取，切实增强加快跨越发展的责任感和紧迫感",
        "今年以来，我们取得了较好的成绩。",
        "提高站位抓推进",
        "一是以更高的标准推进产业发展。",
        "把准奋斗方向，勇担发展新使命",
        "围绕发展壮大主城区，坚持以城建城。",
    ]
    assert join_lines(lines) == lines


def test_complete_lines_stay_apart():
    lines = ["同志们：", "今天我们召开大会。", "下面，我讲三点意见：", "一是统一思想。"]
    assert join_lines(lines) == lines


def test_long_unfinished_line_with_commas_is_joined():
    a = "我们要坚持以人民为中心的发展思想，把群众的急难愁盼问题作为工作的出发点和落脚点，持续推进"
    b = "民生实事项目落地见效。"
    assert join_lines([a, b]) == [a + b]


def test_latin_words_keep_a_space_when_joined():
    assert join_lines(["积极参加会议。我们使用Microsoft", "Word编写材料。"]) == [
        "积极参加会议。我们使用Microsoft Word编写材料。"
    ]


def test_hard_wrapped_text():
    paragraph = (
        "今年以来全县上下认真贯彻落实党中央决策部署和省委省政府工作要求坚持稳中求进工作总基调"
        "完整准确全面贯彻新发展理念积极服务和融入新发展格局经济社会发展取得新的成效重点项目建设"
        "扎实推进招商引资成效明显民生保障持续改善社会大局和谐稳定为全年目标任务的完成打下了基础。"
    )
    wrapped = [paragraph[i : i + 30] for i in range(0, len(paragraph), 30)]
    lines = ["一、回顾今年工作", *wrapped, "二、部署明年任务", "要抓好项目建设。"]
    assert wrap_width(lines) == 30
    assert join_lines(lines) == [
        "一、回顾今年工作",
        paragraph,
        "二、部署明年任务",
        "要抓好项目建设。",
    ]
