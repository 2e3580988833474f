"""A 科室 inside an office (issue 19): its members work with the office's library as well as
their own, never a sibling 科室's; the office does not see into the 科室's material. A 科室's
draft can be shared with and sent to the office's people, and the office's 签发人 signs it."""

import pytest
from django.core.management import call_command

from speechdraft.corpus.models import Paragraph, Skeleton, Status
from speechdraft.drafts import flow
from speechdraft.drafts.access import draft_role
from speechdraft.drafts.errors import DraftError
from speechdraft.drafts.models import Flow
from speechdraft.drafts.services import draft_create, skeleton_choices
from speechdraft.library.selectors import library_search
from speechdraft.units.models import Membership, Unit
from speechdraft.units.services import membership_set
from tests.conftest import PASSWORD
from tests.units.test_isolation import QUERY, SPEECH, TITLE, _Sink

pytestmark = pytest.mark.django_db
OWN = "综合科要把公文运转的每一个环节都理顺，干部要守住时限。"


@pytest.fixture
def org(django_user_model):
    office = Unit.objects.create(name="甲县政府办公室")
    section = Unit.objects.create(name="综合科", parent=office)
    sibling = Unit.objects.create(name="秘书科", parent=office)
    other = Unit.objects.create(name="乙县政府办公室")
    people = {}
    for username, unit, last, first in (
        ("keyuan", section, "李", "文"),
        ("kezhang", section, "王", "刚"),
        ("fuzhuren", office, "张", "华"),
        ("zhuren", office, "陈", "静"),
        ("mishu", sibling, "周", "明"),
        ("far", other, "赵", "远"),
    ):
        user = django_user_model.objects.create_user(
            username, password=PASSWORD, last_name=last, first_name=first
        )
        membership_set(user=user, unit=unit)
        people[username] = user
    Membership.objects.filter(user=people["zhuren"]).update(is_signer=True)
    call_command("ingest", str(SPEECH), approve=True, unit=office.name, stdout=_Sink())
    skeleton = Skeleton.objects.get(unit=office, title=TITLE)
    Paragraph.objects.create(
        skeleton=skeleton,
        position=99,
        heading="理顺公文运转",
        text=OWN,
        role="tasks",
        status=Status.APPROVED,
        unit=section,
    )
    return {"office": office, "section": section, "sibling": sibling, "other": other, **people}


def found(user):
    return {r.obj.unit_id for r in library_search(QUERY, user=user, limit=200).results}


def test_a_section_searches_its_office_library_and_its_own_never_a_siblings(org):
    office, section = org["office"].pk, org["section"].pk
    assert found(org["keyuan"]) == {office, section}
    assert found(org["fuzhuren"]) == {office}  # the office does not see into the 科室
    assert found(org["mishu"]) == {office}  # nor does a sibling 科室
    assert found(org["far"]) == set()

    def texts(user):
        return [r.obj.text for r in library_search("公文运转", user=user).results]

    assert texts(org["keyuan"])[0] == OWN
    assert OWN not in texts(org["mishu"]) and OWN not in texts(org["fuzhuren"])
    titles = {s.title for s, _ in skeleton_choices(org["keyuan"])}
    assert TITLE in titles  # a 科员 starts from the office's speeches


def test_a_sections_draft_goes_to_the_office_and_its_signer_signs_it(org):
    keyuan, fuzhuren, zhuren = org["keyuan"], org["fuzhuren"], org["zhuren"]
    draft = draft_create(
        owner=keyuan,
        title="在全县公文工作会议上的讲话",
        meeting_name="全县公文工作会议",
        region="甲县",
    )
    assert draft.unit_id == org["section"].pk
    names = {row.name: row.unit for row in flow.share_rows(draft)}
    assert names == {"王刚": "综合科", "张华": "甲县政府办公室", "陈静": "甲县政府办公室"}
    for stranger in ("mishu", "far"):  # a sibling 科室, another office
        with pytest.raises(DraftError):
            flow.share_set(draft, user_id=org[stranger].pk, role="review")
        assert draft_role(org[stranger], draft) is None

    flow.flow_submit(draft, user=keyuan, version=draft.version, reviewer_id=fuzhuren.pk)
    draft.refresh_from_db()
    assert draft_role(fuzhuren, draft) == "review"
    flow.flow_approve(draft, user=fuzhuren, version=draft.version)
    draft.refresh_from_db()
    assert [d.pk for d, what in flow.todo_for(zhuren) if what == "定稿"] == [draft.pk]
    assert flow.todo_for(org["kezhang"]) == []  # not a 签发人
    flow.flow_finalize(draft, user=zhuren, version=draft.version)
    draft.refresh_from_db()
    assert draft.flow == Flow.FINAL


def test_an_offices_signer_does_not_sign_for_a_sibling_office(org, django_user_model):
    draft = draft_create(owner=org["far"], title="在乙县干部大会上的讲话")
    assert draft_role(org["zhuren"], draft) is None
    assert flow.signers(draft) == []


def test_the_pages_name_each_colleague_with_their_unit(client, org):
    draft = draft_create(owner=org["keyuan"], title="在全县公文工作会议上的讲话")
    client.force_login(org["keyuan"])
    sharing = client.get(f"/drafts/{draft.pk}/sharing/").content.decode()
    assert "甲县政府办公室 · fuzhuren" in sharing and "综合科 · kezhang" in sharing
    assert "周明" not in sharing and "赵远" not in sharing
    editor = client.get(f"/drafts/{draft.pk}/").content.decode()
    assert "张华（甲县政府办公室）" in editor  # 送审's choice of 审核人
    answer = client.post(
        f"/drafts/{draft.pk}/sharing/", {"user": org["mishu"].pk, "role": "review"}
    )
    assert answer.status_code == 422 and "只能共享给本单位" in answer.content.decode()


def _reference(letterhead: str) -> bytes:
    import io
    import zipfile

    from tests.ooxml.references import linked_reference, with_parts

    data = linked_reference()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        headers = [n for n in archive.namelist() if n.startswith("word/header")]
    old = "某某县人民政府办公室".encode()
    return with_parts(data, {n: (lambda b: b.replace(old, letterhead.encode())) for n in headers})


def test_a_sections_word_file_uses_its_own_reference_else_its_offices(org):
    from django.core.files.base import ContentFile

    from speechdraft.exports.models import OfficeReference
    from speechdraft.exports.services import render_bytes
    from tests.ooxml.references import header_text

    def letterhead(user):
        draft = draft_create(owner=user, title="在全县公文工作会议上的讲话")
        data = render_bytes(draft, draft.version, profile="gongwen", placeholders=True)
        return header_text(data)

    for unit, name in (("office", "甲县政府办公室"), ("sibling", "秘书科")):
        OfficeReference.objects.create(
            name=name,
            unit=org[unit],
            is_default=True,
            file=ContentFile(_reference(name), name=f"{unit}.docx"),
        )
    assert letterhead(org["keyuan"]).startswith("甲县政府办公室")  # the office's, not 秘书科's
    OfficeReference.objects.create(
        name="综合科",
        unit=org["section"],
        is_default=True,
        file=ContentFile(_reference("综合科"), name="section.docx"),
    )
    assert letterhead(org["keyuan"]).startswith("综合科")  # its own first
    assert letterhead(org["fuzhuren"]).startswith("甲县政府办公室")
    assert "某某" not in letterhead(org["far"])  # another office: the built-in one
