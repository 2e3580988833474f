"""Curation in the admin, as a staff curator (editor) and as a drafter (alice)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from speechdraft.corpus.mining import user_dictionary_ensure
from speechdraft.corpus.models import Status, Term
from speechdraft.library.models import Phrase, PhraseSource, Tag
from speechdraft.library.selectors import library_search
from speechdraft.text import segment
from tests.conftest import wait_until

pytestmark = pytest.mark.django_db
PHRASES = "/admin/library/phrase/"
PARAGRAPHS = "/admin/corpus/paragraph/"
# The phrase change form carries the (read-only) sources inline's management form.
INLINE = {"sources-TOTAL_FORMS": "0", "sources-INITIAL_FORMS": "0"}


def act(client, url, action, objs, **extra):
    data = {"action": action, "_selected_action": [o.pk for o in objs], "index": 0, **extra}
    return client.post(url, data, follow=True)


def test_drafters_cannot_reach_curation(client, alice, make_phrase):
    make_phrase("不可见")
    client.force_login(alice)
    for url in (PHRASES, PARAGRAPHS, "/admin/corpus/term/", PHRASES + "import-csv/"):
        assert client.get(url).status_code == 302


def test_approve_reject_and_filters(curator, make_phrase):
    a = make_phrase("勇于担当", status=Status.CANDIDATE)
    b = make_phrase("敢于斗争", status=Status.CANDIDATE)
    act(curator, PHRASES, "approve", [a])
    act(curator, PHRASES, "reject", [b])
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.status, b.status) == (Status.APPROVED, Status.REJECTED)
    listing = curator.get(PHRASES, {"status__exact": "approved"}).content.decode()
    assert "勇于担当" in listing and "敢于斗争" not in listing


def test_change_kind_and_add_tag(curator, make_phrase):
    a = make_phrase("撸起袖子加油干", kind="golden")
    act(curator, PHRASES, "change_kind", [a], kind="slogan")
    act(curator, PHRASES, "add_tag", [a], tag="作风建设")
    a.refresh_from_db()
    assert a.kind == "slogan"
    assert [t.name for t in a.tags.all()] == ["作风建设"]
    listing = curator.get(PHRASES, {"tags__id__exact": Tag.objects.get().pk}).content.decode()
    assert "撸起袖子加油干" in listing
    response = act(curator, PHRASES, "add_tag", [a], tag="  ")
    assert "请填写要添加的标签" in response.content.decode()


def test_admin_search_box_uses_chinese_search(curator, make_phrase):
    make_phrase("营商环境就是生产力", status=Status.CANDIDATE)
    make_phrase("项目为王")
    listing = curator.get(PHRASES, {"q": "营商环境"}).content.decode()
    assert "营商环境就是生产力" in listing and "项目为王" not in listing


def test_slot_check_refuses_unknown_variables_and_bad_syntax(curator, make_phrase):
    phrase = make_phrase("原文")
    url = f"{PHRASES}{phrase.pk}/change/"
    form = {"kind": "golden", "status": "approved", "tag_names": "", **INLINE}
    response = curator.post(url, {**form, "text": "{{ 书记 }}要求"})
    assert "未知的填空变量：{{ 书记 }}" in response.content.decode()
    response = curator.post(url, {**form, "text": "{{ 地区 "})
    assert "填空语法错误" in response.content.decode()
    response = curator.post(url, {**form, "text": "{{ ''.__class__ }}"})
    assert "不能访问属性" in response.content.decode()
    phrase.refresh_from_db()
    assert phrase.text == "原文"
    response = curator.post(
        url, {**form, "text": "{{ 地区 }}要率先突破", "tag_names": "开局、冲刺"}
    )
    assert response.status_code == 302
    phrase.refresh_from_db()
    assert phrase.text == "{{ 地区 }}要率先突破"
    assert sorted(t.name for t in phrase.tags.all()) == ["冲刺", "开局"]


def test_editing_text_keeps_search_current(curator, make_phrase):
    phrase = make_phrase("抓落实")
    curator.post(
        f"{PHRASES}{phrase.pk}/change/",
        {
            "kind": "golden",
            "status": "approved",
            "text": "营商环境只有更好",
            "tag_names": "",
            **INLINE,
        },
    )
    assert [r.obj.pk for r in library_search("营商环境").results] == [phrase.pk]
    assert not library_search("抓落实").results


def test_merge_keeps_every_source_and_use(curator, make_phrase, skeleton):
    doc = skeleton.document
    a = make_phrase("撸起袖子加油干", status=Status.CANDIDATE)
    b = make_phrase("撸起袖子加油干！", kind="slogan")
    c = make_phrase("要撸起袖子加油干")
    for phrase, position in ((a, "1"), (b, "2"), (c, "3")):
        PhraseSource.objects.create(phrase=phrase, document=doc, position=position)
    Phrase.objects.filter(pk=b.pk).update(usage_count=2)
    Phrase.objects.filter(pk=c.pk).update(usage_count=3)
    tag = Tag.objects.create(name="口号")
    tag.phrases.add(c)

    confirm = act(curator, PHRASES, "merge", [a, b, c])
    assert "确认合并" in confirm.content.decode()
    done = act(curator, PHRASES, "merge", [a, b, c], keep=a.pk)
    assert "已合并为“撸起袖子加油干”（出处 3 处）" in done.content.decode()
    a.refresh_from_db()
    assert list(Phrase.objects.values_list("pk", flat=True)) == [a.pk]
    assert a.usage_count == 5 and a.status == Status.APPROVED
    assert sorted(a.sources.values_list("position", flat=True)) == ["1", "2", "3"]
    assert list(a.tags.values_list("name", flat=True)) == ["口号"]


def test_merge_refuses_different_phrases(curator, make_phrase):
    a, b = make_phrase("勇于担当"), make_phrase("敢于斗争")
    response = act(curator, PHRASES, "merge", [a, b], keep=a.pk)
    assert "差别较大" in response.content.decode()
    assert Phrase.objects.count() == 2


def test_csv_export_opens_in_excel_and_round_trips(curator, make_phrase):
    a = make_phrase("勇于担当", kind="four_char")
    Tag.objects.create(name="作风").phrases.add(a)
    response = curator.get(PHRASES + "export-csv/")
    data = response.content
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "编号,类型,内容,状态,标签,使用次数"
    assert f"{a.pk},四字短语,勇于担当,已采用,作风,0" in text

    edited = (
        text.replace("勇于担当,已采用", "勇于担当,待审核")
        + "\n,金句,新增的金句,,,\n,不存在的类型,x,,,\n,金句,{{ 书记 }},,,\n"
    )
    upload = SimpleUploadedFile("p.csv", ("\ufeff" + edited).encode())
    report = curator.post(PHRASES + "import-csv/", {"file": upload}).content.decode()
    assert "更新 1 行" in report and "新建 1 行" in report and "拒绝 2 行" in report
    assert "类型“不存在的类型”不存在" in report and "未知的填空变量" in report
    a.refresh_from_db()
    assert a.status == Status.CANDIDATE
    assert Phrase.objects.filter(text="新增的金句", kind="golden").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("编号,类型,内容\n1,金句,勇于担当\n".encode("gbk"), "不是 UTF-8 编码"),
        (b"\x00\x01\x02binary", "不是 CSV"),
        ("名称,说明\nx,y\n".encode(), "缺少列：类型、内容"),
        ('类型,内容\n金句,"未闭合\n'.encode(), "CSV 格式错误"),
        ("类型,内容\n金句,勇于担当,多出来\n".encode(), "列数多于表头"),
    ],
)
def test_malformed_csv_is_refused_whole(curator, make_phrase, content, message):
    make_phrase("原有短语")
    before = list(Phrase.objects.values_list("pk", "text", "status"))
    upload = SimpleUploadedFile("bad.csv", content)
    report = curator.post(PHRASES + "import-csv/", {"file": upload}).content.decode()
    assert message in report
    assert list(Phrase.objects.values_list("pk", "text", "status")) == before


def test_paragraph_csv_updates_by_id_only(curator, make_paragraph):
    p = make_paragraph("原来的段落。")
    csv_text = f"编号,功能,内容,状态\n{p.pk},作风与要求,修改后的段落。,已采用\n,重点任务,新段落,\n"
    upload = SimpleUploadedFile("p.csv", csv_text.encode("utf-8-sig"))
    report = curator.post(PARAGRAPHS + "import-csv/", {"file": upload}).content.decode()
    assert "更新 1 行" in report and "段落只能按编号更新" in report
    p.refresh_from_db()
    assert (p.text, p.role) == ("修改后的段落。", "style")


@pytest.mark.django_db(transaction=True)
def test_term_changes_take_effect_without_restart(curator, make_paragraph, tasks_run):
    """A new word segments at once here, and a task (the real worker in Redis mode,
    which has to notice the change itself) re-indexes the rows that contain it.
    (A made-up word: ingestion adds a speech's slogans to this process's jieba, so a real
    one may already be known here when other tests ran first.)"""
    p = make_paragraph("我们要把梧桐栖凤七彩链产业体系建起来。")
    user_dictionary_ensure()
    assert "梧桐栖凤七彩链" not in segment.lcut(p.text)
    response = curator.post(
        "/admin/corpus/term/add/", {"word": "梧桐栖凤七彩链", "origin": "manual", "note": ""}
    )
    assert response.status_code == 302
    user_dictionary_ensure()
    assert "梧桐栖凤七彩链" in segment.lcut(p.text)

    def tokens():
        p.refresh_from_db()
        return p.search_tokens.split()

    assert wait_until(lambda: "梧桐栖凤七彩链" in tokens(), timeout=30)
    assert library_search("梧桐栖凤七彩链").results[0].obj.pk == p.pk

    term = Term.objects.get(word="梧桐栖凤七彩链")
    curator.post(f"/admin/corpus/term/{term.pk}/delete/", {"post": "yes"})
    user_dictionary_ensure()
    assert "梧桐栖凤七彩链" not in segment.lcut(p.text)
    assert wait_until(lambda: "梧桐栖凤七彩链" not in tokens(), timeout=30)


def test_deleting_a_term_never_removes_a_jieba_word(curator):
    user_dictionary_ensure()
    assert "发展" in segment.lcut("推动高质量发展")
    curator.post("/admin/corpus/term/add/", {"word": "发展", "origin": "manual", "note": ""})
    term = Term.objects.get(word="发展")
    curator.post(f"/admin/corpus/term/{term.pk}/delete/", {"post": "yes"})
    user_dictionary_ensure()
    assert "发展" in segment.lcut("推动高质量发展")


def test_term_form_refuses_bad_words(curator):
    response = curator.post("/admin/corpus/term/add/", {"word": "x", "origin": "manual"})
    assert "词语至少两个字" in response.content.decode()


def test_a_curator_reads_and_writes_slots_as_brackets(curator, make_phrase):
    phrase = make_phrase("{{ 地区 }}要率先突破，{{ 姓名2 }}同志带头")
    listing = curator.get(PHRASES).content.decode()
    assert "【地区】要率先突破，【姓名2】同志带头" in listing and "{{ 地区 }}" not in listing
    change = curator.get(f"{PHRASES}{phrase.pk}/change/").content.decode()
    assert "【地区】要率先突破" in change and "{{" not in change
    form = {"kind": "golden", "status": "approved", "tag_names": "", **INLINE}
    curator.post(
        f"{PHRASES}{phrase.pk}/change/", {**form, "text": "【地区】要争先，【重要】不是填空"}
    )
    phrase.refresh_from_db()
    assert phrase.text == "{{ 地区 }}要争先，【重要】不是填空"
    exported = curator.get(PHRASES + "export-csv/").content.decode("utf-8-sig")
    assert "【地区】要争先" in exported and "{{" not in exported
