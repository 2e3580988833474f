from speechdraft.text.clean import classify_boilerplate, clean_text

BODY = (
    "今天我们召开全市新闻发布工作会议，主要任务是总结经验、部署工作。下面，我讲两点意见。\n"
    "一、充分认识新闻发布工作的重要意义\n"
    "新闻发布是政府信息公开的重要渠道，要用好微信公众号等新媒体平台，及时回应社会关切。\n"
    "二、切实加强组织领导\n"
    "资金来源：一是财政预算安排，二是社会资本参与，确保工作经费落实到位。\n"
)


def _doc(header: str, tail: str = "") -> str:
    return header + "在全市新闻发布工作会议上的讲话\n同志们：\n" + BODY + tail


def test_site_chrome_is_removed_and_reported():
    header = (
        "首页 | 范文大全 | 讲话稿 | 会员中心\n"
        "当前位置：首页 > 讲话稿 > 领导讲话\n"
        "发布时间：2023-05-06 10:20:30  来源：本站原创  阅读：1024次\n"
        "作者：佚名  字号：大 中 小\n"
        "https://www.example-fanwen.com/jianghua/123.html\n"
        "扫一扫关注微信公众号，免费下载更多资料\n"
        "123456\n"
    )
    tail = (
        "上一篇：在全县经济工作会议上的讲话\n"
        "下一篇：在全市安全生产会议上的讲话\n"
        "相关推荐\n"
        "在全市宣传工作会议上的讲话\n"
        "在全县组织工作会议上的讲话\n"
        "《在全市新闻发布工作会议上的讲话.docx》\n"
        "版权所有 © 2023 某某范文网 粤ICP备12345678号\n"
    )
    result = clean_text(_doc(header, tail))
    assert len(result.speeches) == 1
    speech = result.speeches[0]
    assert speech.title == "在全市新闻发布工作会议上的讲话"
    assert speech.salutation == "同志们："
    assert speech.body[0].startswith("今天我们召开")
    assert speech.body[-1].startswith("资金来源：")  # body text with chrome words stays
    assert any("微信公众号" in line for line in speech.body)
    removed = "\n".join(result.removed)
    for piece in (
        "当前位置",
        "发布时间",
        "作者",
        "https://",
        "扫一扫",
        "123456",
        "上一篇",
        "下一篇",
    ):
        assert piece in removed, piece
    for piece in ("相关推荐", "在全市宣传工作会议上的讲话", ".docx》", "版权所有"):
        assert piece in removed, piece
    # nothing of the header or tail is left anywhere in the speech
    assert all("首页" not in line for line in speech.body)


def test_paywall_marker_inside_a_line_keeps_the_rest():
    text = "在大会上的讲话\n同志们：\n##paidbegin##今天我们召开大会，部署全年工作。##paidend##\n要抓好落实。"
    result = clean_text(text)
    assert result.speeches[0].body == ["今天我们召开大会，部署全年工作。", "要抓好落实。"]
    assert result.removed == ["##paidbegin##", "##paidend##"]


def test_page_marker_is_cut_from_the_title():
    text = "在全县大会上的讲话(第2/3页)\n\n同志们：\n今天我们召开大会，部署全年工作。"
    result = clean_text(text)
    assert result.speeches[0].title == "在全县大会上的讲话"
    assert result.removed == ["(第2/3页)"]


def test_repeated_title_lines_collapse():
    title = "在全县三季度重点工作大会上的讲话"
    text = f"{title}\n\n{title}\n{title}\n同志们：\n今天我们召开大会，部署全年工作。"
    result = clean_text(text)
    assert result.speeches[0].title == title
    assert result.removed == [title, title]


def test_forum_anti_copy_noise_is_removed():
    text = (
        "在全县大会上的讲话\n同志们：\n"
        "今天我们召开大会，( Z! ]0 s8 R2 K: A部署全年工作。\n"
        "要抓好落实GDP 5A级 PPP项目。"
    )
    result = clean_text(text)
    body = result.speeches[0].body
    assert body[0] == "今天我们召开大会，部署全年工作。"
    assert body[1] == "要抓好落实GDP 5A级PPP项目。"
    assert len(result.removed) == 1 and "Z!" in result.removed[0]


def test_membership_banner_before_the_title():
    text = (
        "仅供学习 禁止外传\n某某文行\n自建平台、实时分享\n"
        "现在订阅立享前3年的所有权益和资料\n【打击倒卖活动】\n"
        "举报倒卖会员资料的人，举报成功免费赠送一年会员材料！\n"
        "会员群：        免费QQ群：\n\n\n"
        "在2020年全市干部大会上的讲话\n同志们：\n今天上午，召开了全市三级干部大会，对工作进行了安排部署。"
    )
    result = clean_text(text)
    assert result.speeches[0].title == "在2020年全市干部大会上的讲话"
    assert len(result.removed) == 7


def test_speaker_and_date_lines():
    text = (
        "凝心聚力 奋勇争先\n——在全县经济工作会议上的讲话\n县委书记 张三\n（2023年1月5日）\n"
        "同志们：\n今天我们召开全县经济工作会议，部署明年工作。"
    )
    speech = clean_text(text).speeches[0]
    assert speech.title == "凝心聚力 奋勇争先——在全县经济工作会议上的讲话"
    assert speech.speaker == "县委书记 张三"
    assert speech.date == "2023年1月5日"


def test_inline_salutation():
    speech = clean_text("在大会上的讲话\n各位领导、同志们：今天我们召开大会，部署工作。").speeches[
        0
    ]
    assert speech.salutation == "各位领导、同志们："
    assert speech.body == ["今天我们召开大会，部署工作。"]


def test_table_of_contents_splits_a_compilation():
    text = (
        "全市工作会议交流发言汇编\n（3篇）\n目录\n"
        "1．抓项目促发展 推动经济提质增效\n2．强作风优服务 打造一流营商环境\n3．守底线保平安 筑牢安全稳定屏障\n\n"
        "抓项目促发展 推动经济提质增效\n市发改委将认真贯彻市委要求，全力抓好项目建设。\n"
        "强作风优服务 打造一流营商环境\n市政务服务局将持续优化服务，提升办事效率。\n"
        "守底线保平安 筑牢安全稳定屏障\n市应急局将压实安全责任，守牢安全底线。\n"
    )
    result = clean_text(text)
    assert [s.title for s in result.speeches] == [
        "抓项目促发展 推动经济提质增效",
        "强作风优服务 打造一流营商环境",
        "守底线保平安 筑牢安全稳定屏障",
    ]
    assert result.speeches[1].body == ["市政务服务局将持续优化服务，提升办事效率。"]
    assert result.removed[:3] == ["全市工作会议交流发言汇编", "（3篇）", "目录"]
    assert len(result.removed) == 6


def test_contents_with_page_numbers_and_unmatched_entries():
    text = (
        "目 录\n一、总体要求…………1\n二、重点任务…………3\n\n"
        "在全县大会上的讲话\n同志们：\n今天我们召开大会，部署工作。"
    )
    result = clean_text(text)
    assert len(result.speeches) == 1
    assert result.speeches[0].title == "在全县大会上的讲话"
    assert "目 录" in result.removed or "目录" in result.removed


COMPILATION = (
    "领导讲话汇编\n目录\n在全县经济工作会议上的讲话 1\n在全县安全生产会议上的讲话 5\n\n"
    "在全县经济工作会议上的讲话\n同志们：\n今天我们召开全县经济工作会议，部署明年工作。\n"
    "在全县安全生产会议上的讲话\n同志们：\n今天召开安全生产会议，部署安全工作。\n"
)


def test_contents_with_page_numbers_after_a_space_split_a_compilation():
    result = clean_text(COMPILATION)
    assert [s.title for s in result.speeches] == [
        "在全县经济工作会议上的讲话",
        "在全县安全生产会议上的讲话",
    ]
    assert result.removed == [
        "领导讲话汇编",
        "目录",
        "在全县经济工作会议上的讲话1",
        "在全县安全生产会议上的讲话5",
    ]


def test_contents_not_found_again_still_split_at_title_and_salutation():
    text = COMPILATION.replace("安全生产会议上的讲话\n同志们", "安全生产大会上的讲话\n同志们")
    result = clean_text(text.replace(" 1\n", "\n").replace(" 5\n", "\n"))
    assert [s.title for s in result.speeches] == [
        "在全县经济工作会议上的讲话",
        "在全县安全生产大会上的讲话",
    ]


def test_a_salutation_ends_the_contents():
    text = "目录\n在甲会议上的讲话\n在乙会议上的讲话\n同志们：\n今天开会，部署工作。\n"
    result = clean_text(text)
    assert result.speeches[0].salutation == "同志们："
    assert result.speeches[0].body == ["今天开会，部署工作。"]


def test_two_speeches_without_contents():
    text = (
        "在全县经济工作会议上的讲话\n同志们：\n今天我们召开全县经济工作会议，部署明年工作。\n"
        "在全县安全生产会议上的讲话\n同志们：\n今天我们召开全县安全生产会议，部署安全工作。"
    )
    result = clean_text(text)
    assert [s.title for s in result.speeches] == [
        "在全县经济工作会议上的讲话",
        "在全县安全生产会议上的讲话",
    ]


def test_only_junk_leaves_no_speech():
    text = "首页 > 范文 > 讲话稿\n上一篇：无\n下一篇：无\n221381\n微信扫码领取福利\n点击下载文档"
    result = clean_text(text)
    assert result.speeches == []
    assert len(result.removed) == 6


def test_classify_boilerplate_keeps_headings_and_titles():
    assert not classify_boilerplate("在全市新闻发布工作会议上的讲话")
    assert not classify_boilerplate("三、搭建服务平台，分享发展成果")
    assert not classify_boilerplate("要用好微信公众号等新媒体平台，及时回应社会关切。")
    assert classify_boilerplate("推荐度：")
    assert classify_boilerplate("admin分享时间：加入收藏共计16698个字，预计阅读时长56分钟。")
    assert classify_boilerplate("221381")
    assert classify_boilerplate("SUCAI.COM——专注公文写作范文")


def test_related_list_before_the_article_keeps_the_title():
    text = (
        "相关推荐\n在全县宣传工作会议上的讲话\n在全县组织工作会议上的讲话\n"
        "在全县经济工作会议上的讲话\n同志们：\n今天我们召开全县经济工作会议，部署明年工作。"
    )
    result = clean_text(text)
    assert result.speeches[0].title == "在全县经济工作会议上的讲话"
    assert result.removed == [
        "相关推荐",
        "在全县宣传工作会议上的讲话",
        "在全县组织工作会议上的讲话",
    ]


def test_subtitle_note_and_bare_name_under_the_title():
    text = (
        "凝心聚力 奋勇争先\n——在全市经济工作会议上的讲话（2023年1月5日，根据录音整理）\n"
        "张 三\n（根据录音整理，未经本人审阅）\n"
        "同志们：\n今天我们召开全市经济工作会议，部署明年工作。"
    )
    result = clean_text(text)
    speech = result.speeches[0]
    # the date in the subtitle's note is the speech's date; the rest of the note is reported
    assert speech.title == "凝心聚力 奋勇争先——在全市经济工作会议上的讲话"
    assert speech.date == "2023年1月5日"
    assert speech.speaker == "张三"  # spaced out for layout, one name
    assert result.removed == ["根据录音整理", "（根据录音整理，未经本人审阅）"]
    assert speech.body == ["今天我们召开全市经济工作会议，部署明年工作。"]


def test_markup_copied_from_web_pages_is_dropped_and_its_text_kept():
    text = (
        "在全市<b>工作会议</b>上的讲话\n"
        "同志们：\n"
        "今天召开会议。<script>var a = 1;</script>下面，我讲两点意见。\n"
        '<span style="font-weight:bold">一、提高政治站位</span>\n'
        "要深刻认识<strong>做好工作</strong>的重要意义，落实“三个务必”&nbsp;要求。<!-- ad -->\n"
        "二、突出工作重点\n"
        "要聚焦主责主业，确保a < b时也学习《条例》<br/>。\n"
    )
    result = clean_text(text)
    (speech,) = result.speeches
    assert speech.title == "在全市工作会议上的讲话"
    body = "\n".join(speech.body)
    assert "一、提高政治站位" in body and "要深刻认识做好工作的重要意义" in body
    assert "今天召开会议。下面，我讲两点意见。" in body
    assert "a < b时也学习《条例》。" in body  # a comparison and book-title marks stay
    assert "<" not in body.replace("a < b", "") and "&nbsp;" not in body
    assert "<script>var a = 1;</script>" in result.removed and "<b>" in result.removed
