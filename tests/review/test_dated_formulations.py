"""The dated 提法 list: seeded, curated in the admin, and used by 审稿 against the draft's date."""

from datetime import date

import pytest

from speechdraft.drafts.services import draft_create, draft_item_update
from speechdraft.library.models import Formulation
from speechdraft.library.services import formulations_seed
from speechdraft.review.services import draft_review
from speechdraft.text.review import DATED_FORMULATIONS, DEFAULT_FORMULATIONS

pytestmark = pytest.mark.django_db
ADMIN = "/admin/library/formulation/"


def test_the_seed_loads_at_least_40_dated_entries_and_is_idempotent():
    Formulation.objects.all().delete()
    assert formulations_seed() == len(DEFAULT_FORMULATIONS) + len(DATED_FORMULATIONS)
    dated = Formulation.objects.filter(superseded_on__isnull=False)
    assert dated.count() >= 40
    row = Formulation.objects.get(wrong="银保监会")
    assert (row.right, row.superseded_on, row.valid_from) == (
        "国家金融监督管理总局",
        date(2023, 5, 18),
        date(2018, 3, 17),
    )
    total = Formulation.objects.count()
    assert formulations_seed() == 0
    assert Formulation.objects.count() == total


def test_the_migrations_seeded_the_dated_list():
    # Non-transactional tests see the database as the migrations left it.
    assert Formulation.objects.filter(superseded_on__isnull=False).count() >= 40
    assert Formulation.objects.get(wrong="环境保护部").superseded_on == date(2018, 3, 17)


def test_seeding_keeps_curators_edits_and_fills_only_missing_dates():
    Formulation.objects.all().delete()
    formulations_seed()
    Formulation.objects.filter(wrong="银保监会").update(
        note="本单位写法", superseded_on=date(2023, 6, 1)
    )
    # An entry seeded before rules had dates (review 0002): the dates are filled in.
    Formulation.objects.filter(wrong="环保局").update(superseded_on=None, valid_from=None)
    Formulation.objects.filter(wrong="十八大即将召开").update(active=False)
    formulations_seed()
    edited = Formulation.objects.get(wrong="银保监会")
    assert (edited.note, edited.superseded_on) == ("本单位写法", date(2023, 6, 1))
    assert Formulation.objects.get(wrong="环保局").superseded_on == date(2019, 3, 31)
    assert not Formulation.objects.get(wrong="十八大即将召开").active


def test_a_deleted_starting_entry_comes_back_with_the_next_seeding():
    # The convention of the starting list: curators retire an entry by unticking 启用.
    Formulation.objects.filter(wrong="动态清零").delete()
    assert formulations_seed() == 1
    assert Formulation.objects.get(wrong="动态清零").active


def _draft_saying(alice, text, meeting_date):
    draft = draft_create(owner=alice, title="金融工作会议讲话", meeting_name="金融工作会议")
    draft.date = meeting_date
    draft.save(update_fields=["date"])
    item = draft.items.filter(numbered=True).first()
    draft_item_update(
        draft, user=alice, version=draft.version, item_id=item.pk, heading=item.heading, body=text
    )
    draft.refresh_from_db()
    return draft


def _formulation_messages(draft):
    return [f for f in draft_review(draft, reuse=False).findings if f["check"] == "formulation"]


def test_the_review_hint_depends_on_the_draft_s_date(alice, formulations):
    text = "要主动配合银保监会，做好金融风险防范化解工作。"
    (hint,) = _formulation_messages(_draft_saying(alice, text, date(2026, 3, 10)))
    assert hint["replacement"] == "国家金融监督管理总局" and hint["original"] == "银保监会"
    assert "2023年5月" in hint["message"]
    assert _formulation_messages(_draft_saying(alice, text, date(2020, 3, 10))) == []


def test_a_draft_without_a_date_is_judged_as_of_today(alice, formulations):
    draft = _draft_saying(alice, "正值十八大即将召开之际。", None)
    (hint,) = _formulation_messages(draft)
    assert "2012年11月召开" in hint["message"] and hint["replacement"] is None


def test_a_chain_of_renamings_gives_the_name_of_the_draft_s_time(alice, formulations):
    text = "国务院扶贫办牵头抓好帮扶工作。"
    (in_2022,) = _formulation_messages(_draft_saying(alice, text, date(2022, 5, 1)))
    assert in_2022["replacement"] == "国家乡村振兴局"
    (in_2026,) = _formulation_messages(_draft_saying(alice, text, date(2026, 5, 1)))
    assert in_2026["replacement"] == "农业农村部"


def test_the_admin_lists_the_dates_with_filters_and_search(client, editor, formulations):
    client.force_login(editor)
    listing = client.get(ADMIN, {"dated": "yes", "q": "银保监会"}).content.decode()
    assert "国家金融监督管理总局" in listing and "2023" in listing
    assert "停用日期" in listing and "启用日期" in listing
    undated = client.get(ADMIN, {"dated": "no"}).content.decode()
    assert "心无旁鹜" in undated and "十八大即将召开" not in undated
    assert client.get(ADMIN, {"superseded_on__year": "2018"}).status_code == 200
    form = client.get(ADMIN + "add/").content.decode()
    assert 'name="superseded_on"' in form and 'name="valid_from"' in form
    response = client.post(
        ADMIN + "add/",
        {
            "wrong": "本地旧局名",
            "right": "本地新局名",
            "kind": "outdated",
            "note": "2025年机构调整",
            "superseded_on": "2025-01-01",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert Formulation.objects.get(wrong="本地旧局名").superseded_on == date(2025, 1, 1)
