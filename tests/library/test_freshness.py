"""时效 in library results: the mark with its reason, the filter, the paragraph's year."""

from datetime import date

import pytest

from speechdraft.corpus.models import Paragraph, Skeleton, SourceDocument, Status
from speechdraft.drafts.services import draft_create
from speechdraft.library.models import Formulation
from speechdraft.library.selectors import library_search

pytestmark = pytest.mark.django_db

STALE = "要配合银保监会做好金融风险防范工作，守住不发生系统性风险的底线。"
FRESH = "要配合国家金融监督管理总局做好金融风险防范工作，守住底线。"
CONGRESS = "目前，正值十八大即将召开的非常时期，金融风险防范工作要抓紧。"


@pytest.fixture
def material(formulations, make_paragraph):
    return make_paragraph(STALE), make_paragraph(FRESH)


def by_text(response):
    return {r.obj.text: r for r in response.results}


def test_stale_material_carries_its_reason_as_of_the_reference_date(material):
    found = by_text(library_search("金融风险防范", as_of=date(2026, 3, 1)))
    (reason,) = found[STALE].stale
    assert "银保监会" in reason and "国家金融监督管理总局" in reason
    assert found[FRESH].stale == []
    # In 2020 the same paragraph was right.
    earlier = by_text(library_search("金融风险防范", as_of=date(2020, 6, 1)))
    assert earlier[STALE].stale == []


def test_without_a_date_material_is_judged_as_of_today(material):
    found = by_text(library_search("金融风险防范"))
    assert found[STALE].stale  # today is after 2023-05-18


def test_fresh_only_filters_stale_material_out(material):
    response = library_search("金融风险防范", fresh_only=True, as_of=date(2026, 3, 1))
    assert [r.obj.text for r in response.results] == [FRESH]
    assert response.hidden_stale == 1 and "已隐藏 1 条过时素材" in response.message
    kept = library_search("金融风险防范", fresh_only=True, as_of=date(2020, 6, 1))
    assert len(kept.results) == 2 and kept.hidden_stale == 0


def test_fresh_only_looks_further_down_to_fill_the_page(formulations, make_paragraph):
    # The exact match ranks first, and is stale: the page of one still shows a result.
    make_paragraph("金融风险防范要靠银保监会。")
    fresh = make_paragraph("防范金融风险，各方协同。")
    response = library_search("金融风险防范", limit=1, fresh_only=True, as_of=date(2026, 3, 1))
    assert [r.obj.text for r in response.results] == [fresh.text]
    only = library_search("金融风险防范", limit=1, as_of=date(2026, 3, 1))
    assert only.results[0].stale


def test_everything_stale_hidden_says_so(formulations, make_paragraph):
    make_paragraph(STALE)
    response = library_search("金融风险防范", fresh_only=True, as_of=date(2026, 3, 1))
    assert response.results == []
    assert response.message == "没有找到相关素材。 已隐藏 1 条过时素材。"


def test_phrases_are_marked_too(formulations, make_phrase):
    make_phrase("坚决打赢脱贫攻坚战", kind="slogan")
    (result,) = library_search("脱贫攻坚", as_of=date(2026, 3, 1)).results
    assert result.stale and "巩固拓展脱贫攻坚成果" in result.stale[0]
    assert result.year is None


def test_a_curator_s_dated_rule_counts_and_an_inactive_one_does_not(formulations, make_paragraph):
    make_paragraph("新常态下的金融风险防范工作。")
    Formulation.objects.create(
        wrong="新常态下的",
        note="本单位自2024年起不用",
        kind="outdated",
        superseded_on=date(2024, 1, 1),
    )
    (result,) = library_search("金融风险防范", as_of=date(2026, 3, 1)).results
    assert result.stale == ["「新常态下的」：本单位自2024年起不用"]
    Formulation.objects.filter(wrong="新常态下的").update(active=False)
    (result,) = library_search("金融风险防范", as_of=date(2026, 3, 1)).results
    assert result.stale == []


def test_a_paragraph_knows_its_speech_s_year(formulations):
    document = SourceDocument.objects.create(file_name="2011年讲话汇编.docx", state="done")
    dated = Skeleton.objects.create(
        document=document, index=0, title="在全区领导干部大会上的讲话", date_text="2012年9月3日"
    )
    titled = Skeleton.objects.create(document=document, index=1, title="在2010年全区会议上的讲话")
    named = Skeleton.objects.create(document=document, index=2, title="在全区会议上的讲话")
    assert (dated.year, titled.year, named.year) == (2012, 2010, 2011)
    paragraph = Paragraph.objects.create(
        skeleton=dated, position=0, text=CONGRESS, role="situation", status=Status.APPROVED
    )
    assert paragraph.source_year == 2012
    (result,) = library_search("金融风险防范", as_of=date(2026, 3, 1)).results
    assert result.year == 2012
    (reason,) = result.stale
    assert "2012年11月召开" in reason and "出自2012年的讲话" in reason
    # The year follows the speech's date when a curator corrects it.
    dated.date_text = "2011年5月"
    dated.save(update_fields=["date_text"])
    dated.refresh_from_db()
    assert dated.year == 2011


# --- the pages ------------------------------------------------------------------------------


def test_the_library_page_marks_and_hides_stale_material(alice_client, material):
    html = alice_client.get("/library/", {"q": "金融风险防范"}).content.decode()
    assert html.count('class="badge badge-stale"') == 1
    assert 'title="「银保监会」：' in html and "隐藏过时素材" in html
    assert 'name="fresh"' in html and "checked" not in html.split('name="fresh"')[1][:40]
    hidden = alice_client.get("/library/", {"q": "金融风险防范", "fresh": "on"}).content.decode()
    assert "badge-stale" not in hidden and "已隐藏 1 条过时素材" in hidden
    assert FRESH[:10] in hidden


def test_the_editor_panel_judges_by_the_meeting_date(alice_client, alice, material):
    draft = draft_create(owner=alice, title="金融工作会议讲话", meeting_name="金融工作会议")
    editor = alice_client.get(f"/drafts/{draft.pk}/").content.decode()
    assert 'name="fresh" value="1" class="fresh-only" checked' in editor
    panel = f"/drafts/{draft.pk}/library/"
    hidden = alice_client.get(panel, {"q": "金融风险防范", "fresh": "1"}).content.decode()
    assert "已隐藏 1 条过时素材" in hidden and "badge-stale" not in hidden
    shown = alice_client.get(panel, {"q": "金融风险防范"}).content.decode()
    assert shown.count('class="badge badge-stale"') == 1
    draft.date = date(2020, 6, 1)
    draft.save(update_fields=["date"])
    in_2020 = alice_client.get(panel, {"q": "金融风险防范", "fresh": "1"}).content.decode()
    assert "badge-stale" not in in_2020 and "已隐藏" not in in_2020
    assert STALE[:10] in in_2020


def test_ingestion_and_the_data_migration_give_stored_speeches_their_year(sample_library):
    import importlib

    from django.apps import apps

    skeleton = Skeleton.objects.get(title="在2020年全市干部大会上的讲话")
    assert skeleton.year == 2020
    assert Skeleton.objects.get(title="在全区领导干部大会上的讲话").year is None
    Skeleton.objects.update(year=None)
    fill = importlib.import_module("speechdraft.corpus.migrations.0007_skeleton_year_fill").fill
    fill(apps, None)
    skeleton.refresh_from_db()
    assert skeleton.year == 2020
    assert Skeleton.objects.filter(year__isnull=False).count() >= 2  # 2020, 2024 in titles


def test_browsing_marks_stale_material_and_hides_it_with_the_facets_kept(alice_client, material):
    """No query: the page browses by facets; 时效 marks show there too, 隐藏过时素材 leaves the
    material out, and a facet link keeps the choice."""
    html = alice_client.get("/library/").content.decode()
    assert html.count('class="badge badge-stale"') == 1
    hidden = alice_client.get("/library/", {"fresh": "on"}).content.decode()
    assert "badge-stale" not in hidden and FRESH[:10] in hidden and STALE[:10] not in hidden
    assert "role=tasks&amp;fresh=on" in hidden or "fresh=on&amp;role=tasks" in hidden
