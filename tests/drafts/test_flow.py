"""Sharing a draft, and its 送审 → 审核 → 定稿, through the pages a drafter uses (issue 19)."""

import datetime
import re

import pytest

from speechdraft.drafts import comments
from speechdraft.drafts.models import Draft, DraftShare, Flow, FlowStep, Revision
from speechdraft.drafts.services import draft_create
from speechdraft.units.models import Membership, Unit
from speechdraft.units.services import membership_set

pytestmark = pytest.mark.django_db

PASSWORD = "x-secret-42"


@pytest.fixture
def office(django_user_model):
    """A 科员 who drafts, a colleague who co-drafts, a 科长 who reviews, the 办公室主任 who signs,
    and a colleague the draft is not shared with; all in the default unit."""

    def person(username, last, first, **kw):
        user = django_user_model.objects.create_user(
            username, password=PASSWORD, last_name=last, first_name=first
        )
        if kw.get("signer"):
            Membership.objects.filter(user=user).update(is_signer=True)
        return user

    people = {
        "owner": person("wen", "李", "文"),
        "co": person("gang", "王", "刚"),
        "reviewer": person("hua", "张", "华"),
        "signer": person("jing", "陈", "静", signer=True),
        "other": person("ming", "周", "明"),
    }
    draft = draft_create(
        owner=people["owner"],
        title="在全县安全生产工作会议上的讲话",
        meeting_name="全县安全生产工作会议",
        region="江城县",
    )
    return people, draft


def named_versions(draft) -> list[str]:
    """The names of the draft's named versions, oldest first (the history's 命名版本)."""
    named = Revision.objects.filter(draft=draft).exclude(name="").order_by("version")
    return list(named.values_list("name", flat=True))


def login(client, user):
    client.force_login(user)
    return client


def item_save(client, draft, text, *, version=None):
    draft.refresh_from_db()
    item = draft.items.order_by("position").first()
    return client.post(
        f"/drafts/{draft.pk}/items/{item.pk}/save/",
        {"version": version or draft.version, "body": text},
        headers={"HX-Request": "true"},
    )


def post(client, draft, action, **data):
    draft.refresh_from_db()
    return client.post(f"/drafts/{draft.pk}/flow/{action}/", {"version": draft.version, **data})


def share(client, draft, user, role):
    return client.post(f"/drafts/{draft.pk}/sharing/", {"user": user.pk, "role": role})


def test_sharing_gives_each_role_what_it_may_do(client, office):
    people, draft = office
    owner_client = login(client, people["owner"])
    assert share(owner_client, draft, people["co"], "edit").status_code == 302
    assert share(owner_client, draft, people["reviewer"], "review").status_code == 302
    page = owner_client.get(f"/drafts/{draft.pk}/sharing/").content.decode()
    assert "王刚" in page and "张华" in page

    login(client, people["co"])
    assert "在全县安全生产工作会议上的讲话" in client.get(f"/drafts/{draft.pk}/").content.decode()
    assert item_save(client, draft, "王刚写的开头。").status_code == 200
    last = Revision.objects.filter(draft=draft).order_by("-version").first()
    assert last.user == people["co"]  # every revision records who

    login(client, people["reviewer"])
    assert client.get(f"/drafts/{draft.pk}/").status_code == 200
    refused = item_save(client, draft, "审阅人想改的字。")
    assert refused.status_code == 403
    assert "不能修改正文" in refused.content.decode()
    assert "审阅人想改的字" not in "".join(draft.items.values_list("body", flat=True))
    assert (
        client.post(f"/drafts/{draft.pk}/sharing/", {"user": people["other"].pk}).status_code == 403
    )

    login(client, people["other"])
    assert client.get(f"/drafts/{draft.pk}/").status_code == 404


def test_lists_say_mine_and_shared_with_me(client, office):
    people, draft = office
    theirs = draft_create(owner=people["co"], title="王刚起草的讲话")
    login(client, people["owner"])
    share(client, draft, people["co"], "edit")
    login(client, people["co"])
    mine = client.get("/").content.decode()
    assert "王刚起草的讲话" in mine and "在全县安全生产工作会议上的讲话" not in mine
    assert "与我共享的（1）" in mine
    shared = client.get("/?scope=shared").content.decode()
    assert "在全县安全生产工作会议上的讲话" in shared and "王刚起草的讲话" not in shared
    assert "李文" in shared  # whose draft it is
    assert theirs.pk


def test_someone_who_drafts_nothing_opens_on_what_is_shared_with_them(client, office):
    """A 科长 or 办公室主任 writes no drafts of their own: their list opens on 与我共享的, not
    on an empty 我起草的 that says there are no drafts; 我起草的 is still a click away."""
    people, draft = office
    login(client, people["owner"])
    share(client, draft, people["reviewer"], "review")
    login(client, people["reviewer"])
    home = client.get("/").content.decode()
    assert "在全县安全生产工作会议上的讲话" in home and "还没有讲话稿" not in home
    assert re.search(r'aria-current="page"[^>]*>与我共享的（1）', home)
    mine = client.get("/?scope=mine").content.decode()
    assert re.search(r'aria-current="page"[^>]*>我起草的（0）', mine)
    own = draft_create(owner=people["reviewer"], title="张华自己的讲话稿")
    home = client.get("/").content.decode()  # once they have one: 我起草的, as for everyone
    assert re.search(r'aria-current="page"[^>]*>我起草的（1）', home) and own.title in home


def test_sharing_only_within_the_unit(client, office, django_user_model):
    people, draft = office
    stranger = django_user_model.objects.create_user("far", password=PASSWORD)
    membership_set(user=stranger, unit=Unit.objects.create(name="另一单位"))
    login(client, people["owner"])
    answer = share(client, draft, stranger, "review")
    assert answer.status_code == 422
    assert "只能共享给本单位（含上级单位和所属科室）的同事" in answer.content.decode()
    assert not DraftShare.objects.filter(user=stranger).exists()
    login(client, stranger)
    assert client.get(f"/drafts/{draft.pk}/").status_code == 404


def test_the_whole_cycle_submit_return_resubmit_approve_finalize(client, office):
    people, draft = office
    owner, reviewer, signer = people["owner"], people["reviewer"], people["signer"]
    login(client, owner)
    share(client, draft, people["co"], "edit")
    item_save(client, draft, "第一稿的开头。")
    assert post(client, draft, "submit", reviewer=reviewer.pk, note="请审核").status_code == 302
    draft.refresh_from_db()
    assert draft.flow == Flow.SUBMITTED and draft.flow_reviewer == reviewer

    # With the reviewer nobody changes the text; what was typed is answered, never taken.
    locked = item_save(client, draft, "送审后又改的字。")
    assert locked.status_code == 422
    assert "暂不能修改" in locked.json()["error"]
    login(client, people["co"])
    assert item_save(client, draft, "协作人也改不了。").status_code == 422

    login(client, reviewer)
    todo = client.get("/").content.decode()
    assert "我的待办（1）" in todo and "待审核" in todo
    post(client, draft, "return", note="第二部分要具体")
    draft.refresh_from_db()
    assert draft.flow == Flow.RETURNED
    assert FlowStep.objects.filter(draft=draft, action="return", note="第二部分要具体").exists()

    login(client, owner)
    assert "待修改（已退回）" in client.get("/").content.decode()
    page = client.get(f"/drafts/{draft.pk}/").content.decode()
    assert "张华的退回意见：</strong>第二部分要具体" in page  # in view, not folded away
    assert item_save(client, draft, "改过的开头。").status_code == 200
    post(client, draft, "submit", reviewer=reviewer.pk)

    login(client, reviewer)
    post(client, draft, "approve")
    draft.refresh_from_db()
    assert draft.flow == Flow.APPROVED
    assert item_save(client, draft, "审核后不能再改。").status_code == 403

    login(client, signer)
    assert "待定稿" in client.get("/").content.decode()
    assert client.get(f"/drafts/{draft.pk}/").status_code == 200
    post(client, draft, "finalize")
    draft.refresh_from_db()
    assert draft.flow == Flow.FINAL and draft.stage == Draft.Stage.FINAL

    assert named_versions(draft) == ["送审稿", "退回修改稿", "送审稿（二）", "审核通过稿", "定稿"]

    login(client, owner)
    before = (draft.version, list(draft.items.values_list("id", "body")))
    answer = item_save(client, draft, "定稿后还想改。")
    assert answer.status_code == 422 and "已定稿" in answer.json()["error"]
    client.post(f"/drafts/{draft.pk}/undo/", {"version": draft.version})
    client.post(f"/drafts/{draft.pk}/delete/")
    draft.refresh_from_db()
    assert (draft.version, list(draft.items.values_list("id", "body"))) == before
    assert draft.deleted_at is None
    # A new version can be started from it.
    copied = client.post(f"/drafts/{draft.pk}/copy/")
    copy = Draft.objects.exclude(pk=draft.pk).get(owner=owner)
    assert copied.status_code == 302 and copy.flow == Flow.OPEN
    assert item_save(client, copy, "新稿可以改。").status_code == 200


def test_only_whose_turn_it_is_may_take_the_step(client, office):
    people, draft = office
    login(client, people["owner"])
    post(client, draft, "submit", reviewer=people["reviewer"].pk)
    for who, action in (("other", "approve"), ("signer", "approve"), ("owner", "approve")):
        login(client, people[who])
        answer = post(client, draft, action)
        assert answer.status_code in (302, 404), (who, action)
    draft.refresh_from_db()
    assert draft.flow == Flow.SUBMITTED
    login(client, people["signer"])
    post(client, draft, "finalize")  # not approved yet: the signer does not even see it
    draft.refresh_from_db()
    assert draft.flow == Flow.SUBMITTED


def test_withdraw_gives_the_text_back(client, office):
    people, draft = office
    login(client, people["owner"])
    post(client, draft, "submit", reviewer=people["reviewer"].pk)
    assert item_save(client, draft, "撤回前。").status_code == 422
    post(client, draft, "withdraw")
    draft.refresh_from_db()
    assert draft.flow == Flow.OPEN
    assert item_save(client, draft, "撤回后继续改。").status_code == 200
    login(client, people["reviewer"])
    assert "我的待办" not in client.get("/").content.decode()


def test_submit_to_nobody_or_oneself_is_refused_with_why(client, office):
    people, draft = office
    login(client, people["owner"])
    answer = post(client, draft, "submit", reviewer="")
    assert answer.status_code == 302
    follow = client.get(f"/drafts/{draft.pk}/").content.decode()
    assert "请选择本单位的一位同事" in follow
    post(client, draft, "submit", reviewer=people["owner"].pk)
    assert "起草人本人不需要共享" in client.get(f"/drafts/{draft.pk}/").content.decode()
    draft.refresh_from_db()
    assert draft.flow == Flow.OPEN


def test_the_drafter_cannot_mark_it_final_alone(client, office):
    people, draft = office
    login(client, people["owner"])
    page = client.get(f"/drafts/{draft.pk}/").content.decode()
    assert 'value="final"' not in page  # 定稿 is not among the stages one picks


def test_a_draft_with_blanks_left_is_not_marked_final_and_the_signer_is_told_which(client, office):
    """A 定稿 can no longer be changed: one with 会议名称 still blank could only ever be exported
    with ××× in it. The signer is told what is missing and may return it; nothing is lost."""
    people, draft = office
    login(client, people["owner"])
    draft.meeting_name = ""
    draft.save(update_fields=["meeting_name"])
    post(client, draft, "submit", reviewer=people["reviewer"].pk)
    login(client, people["reviewer"])
    assert "还有 1 处未填写：会议名称。签发人定稿前须填写完整。" in (
        client.get(f"/drafts/{draft.pk}/").content.decode()
    )
    post(client, draft, "approve")

    login(client, people["signer"])
    page = client.get(f"/drafts/{draft.pk}/").content.decode()
    assert "还有 1 处未填写：会议名称。定稿后不能再修改，请退回起草人填写后再定稿。" in page
    assert "确认定稿" not in page and "退回起草人修改" in page
    answer = post(client, draft, "finalize")  # a page opened before, or another tab
    draft.refresh_from_db()
    assert draft.flow == Flow.APPROVED and draft.stage != Draft.Stage.FINAL
    page = client.get(answer["Location"]).content.decode() if answer.status_code == 302 else ""
    said = answer.content.decode() + page
    assert "还有 1 处未填写：会议名称" in said and "请退回起草人填写后再定稿" in said
    assert not FlowStep.objects.filter(draft=draft, action="finalize").exists()

    post(client, draft, "return", note="请补上会议名称")
    login(client, people["owner"])
    client.post(
        f"/drafts/{draft.pk}/details/",
        {
            "version": Draft.objects.get(pk=draft.pk).version,
            "title": draft.title,
            "meeting_name": "全县安全生产工作会议",
            "stage": draft.stage,
            "var_地区": "江城县",
        },
    )
    post(client, draft, "submit", reviewer=people["reviewer"].pk)
    post(login(client, people["reviewer"]), draft, "approve")
    login(client, people["signer"])
    assert "确认定稿" in client.get(f"/drafts/{draft.pk}/").content.decode()
    post(client, draft, "finalize")
    draft.refresh_from_db()
    assert draft.flow == Flow.FINAL and draft.meeting_name == "全县安全生产工作会议"


def test_a_return_says_what_to_change_in_a_note_or_a_comment(client, office):
    """退回修改 with neither a 退回意见 nor an open 批注 would leave the drafters guessing:
    it is refused with why, and the draft stays with the reviewer."""
    people, draft = office
    login(client, people["owner"])
    post(client, draft, "submit", reviewer=people["reviewer"].pk)
    login(client, people["reviewer"])
    draft.refresh_from_db()
    answer = client.post(
        f"/drafts/{draft.pk}/flow/return/",
        {"version": draft.version, "note": "  "},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 422
    assert "退回修改请写明要改什么" in answer.content.decode()
    draft.refresh_from_db()
    assert draft.flow == Flow.SUBMITTED
    assert not FlowStep.objects.filter(draft=draft, action="return").exists()

    item = draft.items.exclude(body="").first()
    comments.comment_add(
        draft,
        user=people["reviewer"],
        item_id=item.pk,
        field="body",
        anchor=item.body[:4],
        text="这里要写具体。",
    )
    assert post(client, draft, "return").status_code == 302  # the 批注 says it
    draft.refresh_from_db()
    assert draft.flow == Flow.RETURNED


def approved_for_the_signer(client, people, draft):
    """送审 and 审核通过: the draft waits for the signer, who is signed in."""
    login(client, people["owner"])
    post(client, draft, "submit", reviewer=people["reviewer"].pk)
    login(client, people["reviewer"])
    post(client, draft, "approve")
    login(client, people["signer"])


def test_a_final_draft_says_so_in_the_offices_day_and_offers_no_comment(client, office):
    """定稿 late in the evening (UTC) is the next morning in the office: the page says the day
    the office had. It no longer says 选中文字即可批注 (no 批注 is taken now), nor 暂不能修改."""
    people, draft = office
    approved_for_the_signer(client, people, draft)
    post(client, draft, "finalize")
    at = datetime.datetime(2026, 12, 3, 20, 30, tzinfo=datetime.UTC)  # 04:30 on the 4th there
    FlowStep.objects.filter(draft=draft, action="finalize").update(created_at=at)
    page = login(client, people["owner"]).get(f"/drafts/{draft.pk}/").content.decode()
    assert "陈静于2026-12-04定稿，不能再修改" in page
    assert "即可批注" not in page and "暂不能修改" not in page


def test_a_signer_who_returns_it_goes_home_not_to_a_404(client, office):
    people, draft = office
    approved_for_the_signer(client, people, draft)
    answer = post(client, draft, "return", note="请再斟酌结尾")
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    assert "已退回李文修改" in client.get("/").content.decode()
    draft.refresh_from_db()
    assert draft.flow == Flow.RETURNED


def test_a_refusal_tells_the_page_why_in_words_and_swaps_nothing(client, office):
    """The editor's own requests get the reason as text (shown in place of a general message);
    a page gets the 403/404 page. The colleague told 找不到 learns nothing about the draft."""
    people, draft = office
    DraftShare.objects.create(draft=draft, user=people["reviewer"], role="review")

    answer = item_save(login(client, people["reviewer"]), draft, "审阅人想改一句。")
    assert answer.status_code == 403
    assert answer["Content-Type"].startswith("text/plain")
    assert answer["HX-Reswap"] == "none"
    assert "您是这篇讲话稿的审阅人" in answer.content.decode()

    for who in ("other", "reviewer"):
        if who == "reviewer":
            DraftShare.objects.filter(draft=draft).delete()  # the share taken away
        answer = item_save(login(client, people[who]), draft, "又写了一句。")
        assert answer.status_code == 404
        assert answer["Content-Type"].startswith("text/plain")
        assert answer.content.decode() == "找不到这篇讲话稿：它可能已被删除，或已不再与您共享。"
    missing = client.post(
        f"/drafts/{draft.pk + 1000}/items/1/save/", {"body": "x"}, headers={"HX-Request": "true"}
    )
    assert missing.content == answer.content  # the same words as for a draft that never was

    page = client.get(f"/drafts/{draft.pk}/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")
    assert "页面不存在" in page.content.decode()
    assert Draft.objects.get(pk=draft.pk).items.filter(body__contains="一句").count() == 0


def test_the_top_bars_count_is_asked_again_without_a_reload(client, office):
    """A page left open asks /drafts/todo/ now and then: its answer is the top bar's 我的待办
    as it is now, the same fragment every page starts with, and the same for htmx."""
    people, draft = office
    page = login(client, people["reviewer"]).get("/library/").content.decode()
    slot = re.search(r'<span id="todo-link"[^>]*hx-get="(/drafts/todo/)"[^>]*>', page)
    assert slot and "every 60s" in slot.group(0)
    assert (
        "我的待办"
        not in client.get("/drafts/todo/", headers={"HX-Request": "true"}).content.decode()
    )
    login(client, people["owner"])
    post(client, draft, "submit", reviewer=people["reviewer"].pk)
    login(client, people["reviewer"])
    fragment = client.get("/drafts/todo/", headers={"HX-Request": "true"}).content.decode()
    assert fragment.strip().startswith('<span id="todo-link"')
    assert re.search(r'我的待办 <span class="badge badge-todo">1</span>', fragment)
    assert "<html" not in fragment
    login(client, people["co"])  # the co-drafter has nothing waiting
    assert "badge-todo" not in client.get("/drafts/todo/").content.decode()


def test_the_top_bar_says_how_many_drafts_wait_on_every_page(client, office):
    """A reviewer at work in the library sees that a draft was sent to them; the count is
    the home page's 我的待办, and goes when the step is taken."""
    people, draft = office

    def waiting(user, path="/library/"):
        page = login(client, user).get(path).content.decode()
        found = re.search(
            r'class="todo-link"[^>]*>我的待办 <span class="badge badge-todo">(\d+)<', page
        )
        return int(found.group(1)) if found else 0

    assert waiting(people["reviewer"]) == 0
    login(client, people["owner"])
    post(client, draft, "submit", reviewer=people["reviewer"].pk)
    other = draft_create(owner=people["co"], title="在全县防汛工作会议上的讲话")
    login(client, people["co"])
    post(client, other, "submit", reviewer=people["reviewer"].pk)
    assert waiting(people["reviewer"]) == 2
    assert waiting(people["reviewer"], "/") == 2
    assert "我的待办（2）" in client.get("/").content.decode()
    assert waiting(people["owner"]) == 0 and waiting(people["signer"]) == 0
    login(client, people["reviewer"])
    post(client, draft, "return", note="再改改")
    assert waiting(people["reviewer"]) == 1
    assert waiting(people["owner"]) == 1  # returned to them
