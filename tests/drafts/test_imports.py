"""从Word导入 and 导入修改稿: a Word file into a draft, the leader's markup as proposals."""

import pytest

from speechdraft.drafts import imports, services, versions
from speechdraft.drafts.comments import comments_for
from speechdraft.drafts.errors import DraftError
from speechdraft.drafts.models import Draft, Proposal
from speechdraft.drafts.services import StartMode, draft_create
from speechdraft.exports.services import render_bytes
from speechdraft.text.numbering import chinese_numeral
from speechdraft.text.templating import replace_slots
from tests.marked_docx import (
    ENCRYPTED,
    Del,
    Ins,
    Mark,
    Note,
    marked_docx,
    reply_in_word,
    with_external_link,
    with_macros,
)

pytestmark = pytest.mark.django_db


def shape(draft, values=None):
    """The outline: (level, numbered, heading, body) in reading order, each slot as its value
    in `values` (else ×××); empty unnumbered items (a hint waiting for text, which the export
    leaves out) are not in it."""

    def text(value):
        return replace_slots(value, lambda name: (values or {}).get(name, "×××"))

    rows = []

    def walk(parent):
        for item in draft.items.filter(parent=parent).order_by("position"):
            if item.numbered or item.body:
                rows.append((item.level, item.numbered, text(item.heading), text(item.body)))
            walk(item)

    walk(None)
    return rows


def filled(draft, user):
    """The draft with every blank filled (a value of its own each), as a new version."""
    names = sorted(services.draft_slot_names(draft) - {"部分数"})
    draft.variables = {name: f"甲{n}乙" for n, name in enumerate(names)}
    draft.save()
    versions.commit(draft, user, "填写")
    values = dict(draft.variables)
    values["部分数"] = chinese_numeral(draft.items.filter(parent=None, numbered=True).count())
    return values


def skeletons():
    """Every skeleton a draft can start from (approved, complete, no copy)."""
    return [choice.skeleton for choice in services.skeleton_choices()]


@pytest.mark.parametrize("mode", [StartMode.FULL, StartMode.STRUCTURE])
def test_an_exported_draft_imports_back_to_the_same_outline(sample_library, alice, mode):
    assert skeletons()
    for skeleton in skeletons():
        title = replace_slots(skeleton.title, "滨江")  # the export writes a title as it is
        draft = draft_create(owner=alice, title=title, skeleton=skeleton, mode=mode)
        values = filled(draft, alice)
        data = render_bytes(draft, draft.version, profile="gongwen", placeholders=False)
        back = imports.draft_import(owner=alice, data=data, filename="稿.docx")
        assert shape(back, {"部分数": values["部分数"]}) == shape(draft, values), skeleton.title
        assert back.numbering == draft.numbering, skeleton.title
        assert (back.title, back.meeting_name) == (draft.title, draft.meeting_name)
        assert not back.proposals.exists(), list(back.proposals.values_list("kind", "text"))


def test_a_draft_for_comment_imports_back_with_its_blanks_as_blanks(sample_library, alice):
    """征求意见稿: unfilled blanks are ××× in the file and blanks again once imported."""
    for skeleton in skeletons():
        title = replace_slots(skeleton.title, "滨江")
        draft = draft_create(owner=alice, title=title, skeleton=skeleton)
        data = render_bytes(draft, draft.version, profile="gongwen", placeholders=True)
        back = imports.draft_import(owner=alice, data=data, filename="稿.docx")
        assert [r[:2] for r in shape(back)] == [r[:2] for r in shape(draft)], skeleton.title
        assert not back.proposals.exists(), list(back.proposals.values_list("kind", "text"))


# --- 导入修改稿 ----------------------------------------------------------------------------

TITLE = "在全市工作会议上的讲话"
OPENING = "今天我们召开全市工作会议，主要任务是总结去年工作，部署今年任务。"
PART_ONE = "要加快改革步伐，坚决彻底落实各项部署。"
PART_TWO = "全年经济增长8%以上，确保完成目标任务。"
CLOSING = "同志们，让我们团结一心，为全市高质量发展作出新的更大贡献！"


def speech(part_one=(PART_ONE,), part_two=(PART_TWO,), extra=()):
    return [
        [TITLE],
        ["同志们："],
        [OPENING],
        ["一、提高政治站位"],
        list(part_one),
        ["二、突出工作重点"],
        list(part_two),
        *extra,
        [CLOSING],
    ]


@pytest.fixture
def imported(alice):
    return imports.draft_import(owner=alice, data=marked_docx(speech()), filename="讲话.docx")


def body_of(draft, heading):
    return draft.items.get(heading=heading).body


def test_a_plain_file_becomes_a_draft_with_its_parts(imported):
    assert imported.title == TITLE
    assert [(level, numbered, heading) for level, numbered, heading, _ in shape(imported)] == [
        (0, False, ""),
        (0, False, ""),
        (1, True, "提高政治站位"),
        (1, True, "突出工作重点"),
        (0, False, ""),
    ]
    assert body_of(imported, "提高政治站位") == PART_ONE
    revision = imported.revisions.get()
    assert revision.action == "从Word导入《讲话.docx》"
    assert not imported.proposals.exists()


def revised_file():
    return marked_docx(
        speech(
            part_one=("要加快", Ins("推进"), "改革步伐，坚决", Del("彻底"), "落实各项部署。"),
            part_two=("全年经济", Note("增长8%", "数字请核实"), "以上，确保完成目标任务。"),
        )
    )


def test_the_leaders_changes_become_proposals_and_comments_on_their_items(imported, alice):
    summary = imports.draft_import_revision(
        imported, user=alice, data=revised_file(), filename="修改稿.docx"
    )
    assert (summary.proposals, summary.paragraphs, summary.unplaced) == (2, 0, 0)
    assert summary.comments == 1
    one = imported.items.get(heading="提高政治站位")
    two = imported.items.get(heading="突出工作重点")
    got = {
        (p.kind, p.item_id, p.field, p.anchor, p.text, p.author) for p in imported.proposals.all()
    }
    assert got == {
        ("insert", one.pk, "body", "", "推进", "王局长"),
        ("delete", one.pk, "body", "彻底", "彻底", "王局长"),
    }
    assert imported.proposals.get(kind="insert").offset == 3
    # The comment is a 批注 of 王局长 (as the file names him) on the words it spans.
    comment = imported.comments.get()
    assert (comment.item_id, comment.field, comment.anchor, comment.text) == (
        two.pk,
        "body",
        "增长8%",
        "数字请核实",
    )
    assert (comment.author, comment.author_name) == (None, "王局长")
    assert comment.created_at.isoformat() == "2026-11-20T09:30:00+00:00"  # the file's time
    thread = comments_for(imported).open[0]
    assert two.body[thread.start : thread.end] == "增长8%"
    assert body_of(imported, "提高政治站位") == PART_ONE  # nothing applied yet


def _proposal(draft, kind):
    return draft.proposals.get(kind=kind)


def test_accepting_applies_the_change_as_a_revision(imported, alice):
    imports.draft_import_revision(imported, user=alice, data=revised_file(), filename="x.docx")
    imports.proposal_accept(
        imported, user=alice, version=None, proposal_id=_proposal(imported, "insert").pk
    )
    imports.proposal_accept(
        imported, user=alice, version=None, proposal_id=_proposal(imported, "delete").pk
    )
    assert body_of(imported, "提高政治站位") == "要加快推进改革步伐，坚决落实各项部署。"
    actions = list(imported.revisions.order_by("version").values_list("action", flat=True))
    assert actions[-2:] == ["接受修订：插入“推进”", "接受修订：删除“彻底”"]
    assert _proposal(imported, "insert").state == Proposal.State.ACCEPTED
    versions.draft_undo(imported, user=alice, version=None)  # undo takes back one
    assert body_of(imported, "提高政治站位") == "要加快推进改革步伐，坚决彻底落实各项部署。"


def test_rejecting_closes_without_changing_the_text(imported, alice):
    imports.draft_import_revision(imported, user=alice, data=revised_file(), filename="x.docx")
    before = imported.version
    proposal = imports.proposal_reject(
        imported, user=alice, version=None, proposal_id=_proposal(imported, "delete").pk
    )
    assert proposal.state == Proposal.State.REJECTED and proposal.decided_by == alice
    assert body_of(imported, "提高政治站位") == PART_ONE
    imported.refresh_from_db()
    assert imported.version == before
    with pytest.raises(DraftError):
        imports.proposal_accept(imported, user=alice, version=None, proposal_id=proposal.pk)


def test_a_change_whose_words_are_gone_stays_open(imported, alice):
    imports.draft_import_revision(imported, user=alice, data=revised_file(), filename="x.docx")
    item = imported.items.get(heading="提高政治站位")
    services.draft_item_update(
        imported,
        user=alice,
        version=None,
        item_id=item.pk,
        heading=item.heading,
        body="全新的文字。",
    )
    proposal = _proposal(imported, "delete")
    with pytest.raises(imports.AnchorGone) as caught:
        imports.proposal_accept(imported, user=alice, version=None, proposal_id=proposal.pk)
    assert "原文已修改，无法自动应用" in caught.value.message
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.OPEN
    assert body_of(imported, "提高政治站位") == "全新的文字。"


def test_a_change_is_found_again_when_the_text_before_it_moved(imported, alice):
    imports.draft_import_revision(imported, user=alice, data=revised_file(), filename="x.docx")
    item = imported.items.get(heading="提高政治站位")
    services.draft_item_update(
        imported,
        user=alice,
        version=None,
        item_id=item.pk,
        heading=item.heading,
        body="首先，" + PART_ONE,
    )
    imports.proposal_accept(
        imported, user=alice, version=None, proposal_id=_proposal(imported, "insert").pk
    )
    assert body_of(imported, "提高政治站位") == "首先，要加快推进改革步伐，坚决彻底落实各项部署。"


def test_accept_all_applies_every_change_in_one_revision(imported, alice):
    imports.draft_import_revision(imported, user=alice, data=revised_file(), filename="x.docx")
    accepted, left = imports.proposals_accept_all(imported, user=alice, version=None)
    assert (accepted, left) == (2, 0)
    assert body_of(imported, "提高政治站位") == "要加快推进改革步伐，坚决落实各项部署。"
    assert imported.revisions.order_by("-version").first().action == "全部接受修订（2 处）"
    assert not imported.proposals.filter(state=Proposal.State.OPEN).exists()


def test_new_paragraphs_and_tables_are_offered_or_listed_never_dropped(imported, alice):
    data = marked_docx(
        speech(extra=[[Ins("要压实责任，层层传导压力。")]]), tables=[["指标", "目标值"]]
    )
    summary = imports.draft_import_revision(imported, user=alice, data=data, filename="x.docx")
    assert (summary.paragraphs, summary.unplaced) == (1, 1)
    new = imported.proposals.get(kind=Proposal.Kind.PARAGRAPH)
    assert new.item.heading == "突出工作重点" and new.text == "要压实责任，层层传导压力。"
    assert "指标" in imported.proposals.get(kind=Proposal.Kind.UNPLACED).text
    imports.proposal_accept(imported, user=alice, version=None, proposal_id=new.pk)
    assert body_of(imported, "突出工作重点") == PART_TWO + "\n要压实责任，层层传导压力。"


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: "同志们：今天开会。".encode(), "不是 zip 格式"),
        (lambda: ENCRYPTED, "已加密"),
        (lambda: revised_file()[:3000], "损坏"),
        (lambda: with_macros(revised_file()), "宏"),
        (lambda: with_external_link(revised_file()), "外部的链接"),
    ],
)
def test_bad_files_are_refused_and_change_nothing(imported, alice, make, words):
    drafts = Draft.objects.count()
    with pytest.raises(DraftError) as caught:
        imports.draft_import(owner=alice, data=make(), filename="坏.docx")
    assert words in caught.value.message
    with pytest.raises(DraftError):
        imports.draft_import_revision(imported, user=alice, data=make(), filename="坏.docx")
    assert Draft.objects.count() == drafts
    assert not Proposal.objects.exists()


# --- the pages -------------------------------------------------------------------------

HX = {"HX-Request": "true", "HX-Target": "document"}


def upload(data, name="讲话.docx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_the_new_page_offers_import_and_creates_the_draft(alice_client, alice):
    page = alice_client.get("/drafts/new/").content.decode()
    assert "从Word导入" in page and 'enctype="multipart/form-data"' in page
    response = alice_client.post("/drafts/import/", {"file": upload(marked_docx(speech()))})
    draft = Draft.objects.get(owner=alice)
    assert response.status_code == 302 and response["Location"] == f"/drafts/{draft.pk}/"
    assert draft.revisions.get().action == "从Word导入《讲话.docx》"


@pytest.mark.parametrize(
    ("data", "words"),
    [("同志们：今天开会。".encode(), "不是 zip 格式"), (ENCRYPTED, "已加密")],
)
def test_a_bad_file_on_the_new_page_says_why_and_creates_nothing(alice_client, data, words):
    response = alice_client.post("/drafts/import/", {"file": upload(data, "讲话.docx")})
    assert response.status_code == 422
    assert words in response.content.decode()
    assert not Draft.objects.exists()
    missing = alice_client.post("/drafts/import/", {})
    assert "请选择要导入的 Word 文件" in missing.content.decode()


def test_the_editor_shows_the_proposals_where_they_belong(alice_client, imported):
    response = alice_client.post(
        f"/drafts/{imported.pk}/import/",
        {"file": upload(revised_file(), "修改稿.docx"), "current_version": imported.version},
        headers=HX,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "已导入修改稿：2 处修订" in page and "1 条批注列在右侧“批注”中" in page
    one = imported.items.get(heading="提高政治站位")
    row = page[page.index(f'id="item-{one.pk}"') :]
    row = row[: row.index("</li>")]
    assert "<ins>推进</ins>" in row and "<del>彻底</del>" in row
    assert "全部接受" in page
    margin = page[page.index('id="comments"') :]
    assert "数字请核实" in margin and "王局长" in margin and "“增长8%”" in margin
    accept = imported.proposals.get(kind="insert")
    done = alice_client.post(
        f"/drafts/{imported.pk}/proposals/{accept.pk}/accept/",
        {"current_version": imported.version},
        headers=HX,
    )
    assert done.status_code == 200 and "已接受修订" in done.content.decode()
    assert body_of(imported, "提高政治站位").startswith("要加快推进改革步伐")
    history = alice_client.get(f"/drafts/{imported.pk}/history/").content.decode()
    assert "接受修订：插入“推进”" in history


def test_a_bad_revision_file_changes_nothing_and_says_why(alice_client, imported):
    response = alice_client.post(
        f"/drafts/{imported.pk}/import/",
        {"file": upload(with_macros(revised_file())), "current_version": imported.version},
        headers=HX,
    )
    assert response.status_code == 422 and "宏" in response.content.decode()
    assert not imported.proposals.exists()


def test_a_file_over_the_upload_limit_is_refused_before_it_is_read(
    alice_client, imported, settings
):
    settings.UPLOAD_MAX_FILE_BYTES = 1024
    big = upload(b"PK" + b"0" * 200_000)
    response = alice_client.post("/drafts/import/", {"file": big})
    assert response.status_code == 422 and "太大" in response.content.decode()
    response = alice_client.post(
        f"/drafts/{imported.pk}/import/", {"file": upload(b"PK" * 100_000)}, headers=HX
    )
    assert response.status_code == 422 and "太大" in response.content.decode()
    assert Draft.objects.count() == 1 and not imported.proposals.exists()


def test_a_proposal_whose_item_was_deleted_is_listed_and_refused_on_accept(
    alice_client, imported, alice
):
    imports.draft_import_revision(imported, user=alice, data=revised_file(), filename="x.docx")
    item = imported.items.get(heading="提高政治站位")
    services.draft_item_delete(imported, user=alice, version=None, item_id=item.pk)
    page = alice_client.get(f"/drafts/{imported.pk}/").content.decode()
    assert "以下修订所在的段落已不在稿中" in page and "<ins>推进</ins>" in page
    with pytest.raises(imports.AnchorGone):
        imports.proposal_accept(
            imported, user=alice, version=None, proposal_id=_proposal(imported, "insert").pk
        )
    versions.draft_undo(imported, user=alice, version=None)  # the item comes back, and so do they
    imports.proposal_accept(
        imported, user=alice, version=None, proposal_id=_proposal(imported, "insert").pk
    )
    assert body_of(imported, "提高政治站位").startswith("要加快推进")


def test_a_paragraph_the_leader_split_is_a_line_break_to_accept(imported, alice):
    split = [["要加快改革步伐，", Mark("ins")], ["坚决彻底落实各项部署。"]]
    data = marked_docx([*speech()[:4], *split, *speech()[5:]])
    summary = imports.draft_import_revision(imported, user=alice, data=data, filename="x.docx")
    assert (summary.proposals, summary.paragraphs) == (1, 0)
    proposal = imported.proposals.get()
    assert proposal.is_split and proposal.item.heading == "提高政治站位"
    imports.proposal_accept(imported, user=alice, version=None, proposal_id=proposal.pk)
    assert body_of(imported, "提高政治站位") == "要加快改革步伐，\n坚决彻底落实各项部署。"
    assert imported.revisions.order_by("-version").first().action == "接受修订：另起一段"


def test_paragraphs_the_leader_joined_are_listed(imported, alice):
    data = marked_docx(speech(part_two=(PART_TWO, Mark("del"))))
    summary = imports.draft_import_revision(imported, user=alice, data=data, filename="x.docx")
    assert summary.unplaced == 1
    assert "与下一段合为一段" in imported.proposals.get(kind=Proposal.Kind.UNPLACED).text


def test_undo_opens_an_accepted_proposal_again_and_redo_closes_it(alice_client, imported, alice):
    imports.draft_import_revision(imported, user=alice, data=revised_file(), filename="x.docx")
    insert = _proposal(imported, "insert")
    imports.proposal_accept(imported, user=alice, version=None, proposal_id=insert.pk)
    alice_client.post(f"/drafts/{imported.pk}/undo/", {"current_version": imported.version})
    insert.refresh_from_db()
    assert insert.state == Proposal.State.OPEN
    assert body_of(imported, "提高政治站位") == PART_ONE
    imported.refresh_from_db()
    alice_client.post(f"/drafts/{imported.pk}/redo/", {"current_version": imported.version})
    insert.refresh_from_db()
    assert insert.state == Proposal.State.ACCEPTED
    assert body_of(imported, "提高政治站位").startswith("要加快推进")
    imports.proposals_accept_all(imported, user=alice, version=None)
    imported.refresh_from_db()
    first = imported.revisions.order_by("version").values_list("version", flat=True)[0]
    alice_client.post(
        f"/drafts/{imported.pk}/history/{first}/restore/", {"version": imported.version}
    )
    assert set(imported.proposals.values_list("kind", "state")) == {
        ("insert", "open"),
        ("delete", "open"),
    }
    assert imported.comments.get().resolved_at is None  # history does not touch 批注


def test_a_change_in_a_heading_goes_to_the_heading(imported, alice):
    data = marked_docx([*speech()[:3], ["一、提高政治站位", Ins("，增强责任意识")], *speech()[4:]])
    imports.draft_import_revision(imported, user=alice, data=data, filename="x.docx")
    proposal = imported.proposals.get()
    assert (proposal.field, proposal.offset) == ("heading", 6)
    imports.proposal_accept(imported, user=alice, version=None, proposal_id=proposal.pk)
    assert imported.items.filter(heading="提高政治站位，增强责任意识", body=PART_ONE).exists()


def _mark_export(data: bytes, words: str, *, delete: str, insert_after: str, insert: str):
    """The exported file with the paragraph holding `words` marked up as a leader would: the
    first `delete` in it struck, `insert` put in after the first `insert_after`."""
    import io
    import zipfile

    from lxml import etree

    from tests.marked_docx import W, _mark, _run, replace_parts

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    for p in root.iter(f"{{{W}}}p"):
        text = "".join(t.text or "" for t in p.iter(f"{{{W}}}t"))
        if words not in text:
            continue
        for run in p.findall(f"{{{W}}}r"):
            p.remove(run)
        cut_at, cut_end = text.index(delete), text.index(delete) + len(delete)
        put_at = text.index(insert_after) + len(insert_after)
        assert put_at <= cut_at
        p.append(_run(text[:put_at]))
        ins = _mark("ins", "王局长", 901)
        ins.append(_run(insert))
        p.append(ins)
        p.append(_run(text[put_at:cut_at]))
        gone = _mark("del", "王局长", 902)
        gone.append(_run(delete, deleted=True))
        p.append(gone)
        p.append(_run(text[cut_end:]))
        break
    else:
        raise AssertionError(f"no paragraph holds {words}")
    return replace_parts(data, {"word/document.xml": etree.tostring(root)})


def test_the_drafts_own_export_marked_up_comes_back_on_the_right_items(sample_library, alice):
    skeleton = next(s for s in skeletons() if s.sections.filter(level=2).exists())
    title = replace_slots(skeleton.title, "滨江")
    draft = draft_create(owner=alice, title=title, skeleton=skeleton, mode=StartMode.FULL)
    values = filled(draft, alice)
    point = draft.items.filter(level=2).exclude(body="").order_by("id").first()
    body = replace_slots(point.body, lambda name: values.get(name, ""))
    data = render_bytes(draft, draft.version, profile="gongwen", placeholders=False)
    words = body.split("\n")[0]
    marked = _mark_export(
        data, words[:20], delete=words[10:12], insert_after=point.heading[:4], insert="切实"
    )
    summary = imports.draft_import_revision(draft, user=alice, data=marked, filename="改.docx")
    assert (summary.proposals, summary.paragraphs) == (2, 0)
    insert, delete = draft.proposals.get(kind="insert"), draft.proposals.get(kind="delete")
    assert insert.item_id == delete.item_id == point.pk
    assert (insert.field, delete.field) == ("heading", "body")
    assert imports.proposals_accept_all(draft, user=alice, version=None) == (2, 0)
    heading = point.heading
    point.refresh_from_db()
    assert point.heading == heading[:4] + "切实" + heading[4:]
    now = replace_slots(point.body, lambda name: values.get(name, ""))
    assert now.split("\n")[0] == words[:10] + words[12:]


def test_a_new_draft_from_a_marked_up_file_keeps_the_original_and_offers_the_changes(alice):
    draft = imports.draft_import(owner=alice, data=revised_file(), filename="修改稿.docx")
    assert body_of(draft, "提高政治站位") == PART_ONE
    assert sorted(draft.proposals.values_list("kind", flat=True)) == ["delete", "insert"]
    assert draft.comments.get().text == "数字请核实"
    imports.proposals_accept_all(draft, user=alice, version=None)
    assert body_of(draft, "提高政治站位") == "要加快推进改革步伐，坚决落实各项部署。"


def test_a_file_without_a_speech_is_refused(imported, alice):
    empty = marked_docx([[""]])
    with pytest.raises(DraftError) as caught:
        imports.draft_import(owner=alice, data=empty, filename="空.docx")
    assert "没有找到讲话正文" in caught.value.message
    with pytest.raises(DraftError):
        imports.draft_import_revision(imported, user=alice, data=empty, filename="空.docx")
    assert Draft.objects.count() == 1


def test_a_comment_on_a_heading_and_its_number_is_on_the_heading(imported, alice):
    data = marked_docx(
        [*speech()[:3], [Note("一、提高政治站位", "标题再斟酌", author="李主任")], *speech()[4:]]
    )
    summary = imports.draft_import_revision(imported, user=alice, data=data, filename="x.docx")
    assert (summary.proposals, summary.comments) == (0, 1)
    comment = imported.comments.get()
    assert (comment.field, comment.anchor, comment.author_name) == (
        "heading",
        "提高政治站位",
        "李主任",
    )
    thread = comments_for(imported).open[0]
    assert not thread.gone and (thread.start, thread.end) == (0, 6)


def test_the_drafts_own_export_with_comments_comes_back_without_copies(imported, alice, bob):
    from speechdraft.drafts.comments import comment_add, comment_answer

    item = imported.items.get(heading="突出工作重点")
    at = item.body.index("以上")
    mine = comment_add(
        imported, user=bob, item_id=item.pk, field="body", anchor="以上", offset=at, text="删去"
    )
    comment_answer(mine, user=alice, text="同意")
    data = render_bytes(
        imported, imported.version, profile="gongwen", placeholders=True, comments=True
    )
    summary = imports.draft_import_revision(imported, user=alice, data=data, filename="导出.docx")
    assert (summary.proposals, summary.comments, summary.unplaced) == (0, 0, 0)
    assert imported.comments.filter(parent__isnull=True).count() == 1


def alice_page(draft):
    from django.test import Client

    client = Client()
    client.force_login(draft.owner)
    return client.get(f"/drafts/{draft.pk}/").content.decode()


def test_a_word_answer_to_the_drafts_own_comment_joins_its_thread(imported, alice, bob):
    """The draft exported with 附带批注, answered in Word (回复) and brought back: the answer
    is in the comment's thread, the draft's own answer is not doubled, no comment is new; a
    thread Word marks 已解决 comes back resolved."""
    from speechdraft.drafts.comments import comment_add, comment_answer

    item = imported.items.get(heading="突出工作重点")
    mine = comment_add(
        imported,
        user=bob,
        item_id=item.pk,
        field="body",
        anchor="以上",
        offset=item.body.index("以上"),
        text="删去",
    )
    comment_answer(mine, user=alice, text="同意")
    data = render_bytes(
        imported, imported.version, profile="gongwen", placeholders=True, comments=True
    )
    answered = reply_in_word(data, "删去", "已删，请再看", author="王局长", done=True)
    summary = imports.draft_import_revision(imported, user=alice, data=answered, filename="回.docx")
    assert (summary.comments, summary.unplaced) == (1, 0)
    (top,) = imported.comments.filter(parent__isnull=True)
    assert top.pk == mine.pk and top.resolved_at is not None
    assert [(a.author_label, a.text) for a in top.answers.order_by("id")] == [
        ("alice", "同意"),
        ("王局长", "已删，请再看"),
    ]
    page = alice_page(imported)
    assert "已在 Word 修改稿中标记为已解决" in page and "—于" not in page
    # Brought back a second time, nothing is added.
    again = imports.draft_import_revision(imported, user=alice, data=answered, filename="回.docx")
    assert again.comments == 0 and imported.comments.count() == 3


@pytest.mark.parametrize("marks", [True, False])
def test_a_files_comment_with_its_answers_is_one_thread(imported, alice, marks):
    """A leader's comment and a colleague's answer in Word: one 批注 with its 回复, on the
    comment's words, also from a writer that leaves the answer without marks in the body."""
    data = reply_in_word(
        revised_file(), "数字请核实", "已核实，为8.2%", author="统计科", marks=marks
    )
    summary = imports.draft_import_revision(imported, user=alice, data=data, filename="x.docx")
    assert (summary.comments, summary.unplaced) == (2, 0)
    top = imported.comments.get(parent__isnull=True)
    assert (top.text, top.anchor, top.author_label) == ("数字请核实", "增长8%", "王局长")
    assert top.resolved_at is None
    (answer,) = top.answers.all()
    assert (answer.text, answer.author_label, answer.item_id) == (
        "已核实，为8.2%",
        "统计科",
        top.item_id,
    )
    thread = comments_for(imported).open[0]
    assert [a.text for a in thread.answers] == ["已核实，为8.2%"]
