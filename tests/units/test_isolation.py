"""One library per unit (issue 19): the same speech ingested into two units' libraries, and the
same queries from each unit's drafter, curator and reviewer never cross, but for 共享 material."""

from pathlib import Path

import pytest
from django.core.management import call_command

from speechdraft.accounts.services import curator_group_sync
from speechdraft.corpus.models import Paragraph, Skeleton, SourceDocument, Status, Term
from speechdraft.corpus.services import documents_share, documents_upload
from speechdraft.drafts.errors import DraftError
from speechdraft.drafts.services import draft_create, reference_of, skeleton_choices
from speechdraft.library.models import Phrase, PhraseKind
from speechdraft.library.selectors import library_search, phrases_visible_to
from speechdraft.review.services import _items, _reuse_sources, items_index_sync, reuse_index_sync
from speechdraft.units.models import Unit
from speechdraft.units.services import membership_set
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
SPEECH = Path(__file__).resolve().parents[2] / "fixtures" / "corpus" / "002_606aa69d5d66fc33.txt"
TITLE = "在2020年全市干部大会上的讲话"
QUERY = "干部"


class Units:
    def __init__(self, django_user_model):
        self.a = Unit.objects.create(name="甲县政府办公室")
        self.b = Unit.objects.create(name="乙县政府办公室")
        group = curator_group_sync()
        self.users = {}
        for unit, suffix in ((self.a, "a"), (self.b, "b")):
            drafter = django_user_model.objects.create_user(f"drafter_{suffix}", password=PASSWORD)
            curator = django_user_model.objects.create_user(
                f"curator_{suffix}", password=PASSWORD, is_staff=True
            )
            curator.groups.add(group)
            for user in (drafter, curator):
                membership_set(user=user, unit=unit)
            self.users[f"drafter_{suffix}"] = drafter
            self.users[f"curator_{suffix}"] = curator
        for unit in (self.a, self.b):
            call_command("ingest", str(SPEECH), approve=True, unit=unit.name, stdout=_Sink())
        self.skeleton = {
            unit.pk: Skeleton.objects.get(unit=unit, title=TITLE) for unit in (self.a, self.b)
        }

    def __getattr__(self, name):
        try:
            return self.__dict__["users"][name]
        except KeyError:
            raise AttributeError(name) from None


class _Sink:
    def write(self, *_):
        pass

    def flush(self):
        pass


@pytest.fixture
def units(django_user_model):
    return Units(django_user_model)


def test_the_same_file_is_a_document_of_each_unit(units):
    for unit in (units.a, units.b):
        [document] = SourceDocument.objects.filter(unit=unit)
        assert document.state == SourceDocument.State.DONE
        assert document.skeletons.filter(similarity__isnull=True).count() == 1  # no copy
        assert Paragraph.objects.filter(skeleton__document=document).exclude(unit=unit).count() == 0
    paragraphs_a = Paragraph.objects.filter(unit=units.a).count()
    assert paragraphs_a and paragraphs_a == Paragraph.objects.filter(unit=units.b).count()
    assert (
        Phrase.objects.filter(unit=units.a).count() == Phrase.objects.filter(unit=units.b).count()
    )


def test_a_drafter_searches_only_their_units_paragraphs_and_phrases(units):
    for drafter, unit in ((units.drafter_a, units.a), (units.drafter_b, units.b)):
        found = library_search(QUERY, user=drafter, limit=200).results
        assert found
        assert {r.obj.unit_id for r in found} == {unit.pk}
        phrases = library_search(QUERY, kinds=PhraseKind.values, user=drafter, limit=200).results
        assert {r.obj.unit_id for r in phrases} <= {unit.pk}
        visible = phrases_visible_to(drafter)
        assert visible.exists() and set(visible.values_list("unit_id", flat=True)) == {unit.pk}
    a = {r.obj.pk for r in library_search(QUERY, user=units.drafter_a, limit=200).results}
    b = {r.obj.pk for r in library_search(QUERY, user=units.drafter_b, limit=200).results}
    assert a.isdisjoint(b) and len(a) == len(b)


def test_the_library_pages_show_only_the_units_material(client, units):
    theirs = Paragraph.objects.filter(unit=units.b, status=Status.APPROVED).first()
    mine = Paragraph.objects.filter(unit=units.a, status=Status.APPROVED).first()
    client.force_login(units.drafter_a)
    page = client.get("/library/", {"q": QUERY}).content.decode()
    assert f"/library/paragraphs/{mine.pk}/" in page
    assert f"/library/paragraphs/{theirs.pk}/" not in page
    browse = client.get("/library/").content.decode()
    assert f"/library/paragraphs/{theirs.pk}/" not in browse
    assert client.get(f"/library/paragraphs/{theirs.pk}/").status_code == 404
    assert client.get(f"/library/paragraphs/{mine.pk}/").status_code == 200


def test_the_skeleton_choice_shows_only_the_units_speeches(client, units):
    mine, theirs = units.skeleton[units.a.pk], units.skeleton[units.b.pk]
    assert [c.skeleton.pk for c in skeleton_choices(units.drafter_a)] == [mine.pk]
    with pytest.raises(DraftError):
        draft_create(owner=units.drafter_a, title="讲话", skeleton=theirs)
    client.force_login(units.drafter_a)
    page = client.get("/drafts/new/").content.decode()
    assert f'value="{mine.pk}"' in page and f'value="{theirs.pk}"' not in page
    response = client.post("/drafts/new/", {"title": "讲话", "skeleton": str(theirs.pk)})
    assert response.status_code == 422 and "所选骨架不存在" in response.content.decode()


def test_a_draft_belongs_to_its_owners_unit_and_reads_its_own_source(units):
    draft = draft_create(
        owner=units.drafter_b, title="讲话", skeleton=units.skeleton[units.b.pk], mode="full"
    )
    assert draft.unit_id == units.b.pk
    groups = reference_of(draft)
    assert {p.unit_id for g in groups for p in g.paragraphs} == {units.b.pk}


def test_a_draft_imported_from_word_belongs_to_its_owners_unit(units):
    from speechdraft.drafts.imports import draft_import
    from tests.marked_docx import marked_docx

    data = marked_docx([["在全县工作会议上的讲话"], ["同志们："], ["今天开会。"], ["一、提高站位"]])
    draft = draft_import(owner=units.drafter_b, data=data, filename="讲话.docx")
    assert draft.unit_id == units.b.pk


def test_reuse_flags_only_the_units_material_and_the_drafters_own_earlier_drafts(units):
    reuse_index_sync()
    for drafter in (units.drafter_a, units.drafter_b):
        unit_id = drafter.membership.unit_id
        earlier = draft_create(
            owner=drafter, title="去年的讲话", skeleton=units.skeleton[unit_id], mode="full"
        )
        items_index_sync(drafter.pk)
    draft = draft_create(
        owner=units.drafter_a, title="新讲话", skeleton=units.skeleton[units.a.pk], mode="full"
    )
    from speechdraft.drafts.selectors import draft_document

    index, _, _ = _reuse_sources(draft, _items(draft_document(draft)))
    keys = index.keys()
    corpus = {int(k[1:]) for k in keys if k[0] == "p"}
    earlier_items = {int(k[1:]) for k in keys if k[0] == "d"}
    assert corpus and earlier_items
    assert set(Paragraph.objects.filter(pk__in=corpus).values_list("unit_id", flat=True)) == {
        units.a.pk
    }
    from speechdraft.drafts.models import DraftItem

    owners = DraftItem.objects.filter(pk__in=earlier_items).values_list("draft__owner", flat=True)
    assert set(owners) == {units.drafter_a.pk}
    assert earlier.owner == units.drafter_b  # the other unit's drafter wrote the same speech


def test_shared_material_is_seen_by_both_units(client, units):
    from speechdraft.text.search import index_tokens

    [theirs] = SourceDocument.objects.filter(unit=units.b)
    # B's copy of the speech, one paragraph of it B's own words.
    own = Paragraph.objects.filter(unit=units.b, status=Status.APPROVED).first()
    own.text = own.text + "乙县干部要把群众的事当作自己的事。"
    own.search_tokens = index_tokens(f"{own.heading} {own.text}")
    own.save(update_fields=["text", "search_tokens"])
    documents_share([theirs], shared=True)
    found = library_search(QUERY, user=units.drafter_a, limit=200).results
    assert {r.obj.unit_id for r in found} == {units.a.pk, units.b.pk}
    # The speech both have is shown once; of B's, what A has not (B's own words).
    assert [r.obj.pk for r in found if r.obj.unit_id == units.b.pk] == [own.pk]
    texts = [(getattr(r.obj, "heading", ""), r.obj.text) for r in found]
    assert len(texts) == len(set(texts))
    # its mined phrases with it
    assert set(phrases_visible_to(units.drafter_a).values_list("unit_id", flat=True)) == {
        units.a.pk,
        units.b.pk,
    }
    choices = [c.skeleton.pk for c in skeleton_choices(units.drafter_a)]
    assert sorted(choices) == sorted(s.pk for s in units.skeleton.values())
    shared = Paragraph.objects.filter(unit=units.b, status=Status.APPROVED).first()
    client.force_login(units.drafter_a)
    assert client.get(f"/library/paragraphs/{shared.pk}/").status_code == 200
    documents_share([theirs], shared=False)
    assert not Phrase.objects.filter(unit=units.b, shared=True).exists()
    assert {r.obj.unit_id for r in library_search(QUERY, user=units.drafter_a).results} == {
        units.a.pk
    }


ADMIN_LISTS = {
    SourceDocument: "/admin/corpus/sourcedocument/",
    Skeleton: "/admin/corpus/skeleton/",
    Paragraph: "/admin/corpus/paragraph/",
    Phrase: "/admin/library/phrase/",
}


def test_a_curator_sees_and_changes_only_their_units_rows(client, units):
    client.force_login(units.curator_a)
    for model, url in ADMIN_LISTS.items():
        mine = model.objects.filter(unit=units.a).order_by("pk").first()
        theirs = model.objects.filter(unit=units.b).order_by("pk").first()
        assert mine is not None and theirs is not None, model
        listing = client.get(url, {"all": ""})
        assert listing.status_code == 200
        count = listing.context["cl"].result_count
        assert count == model.objects.filter(unit=units.a).count(), model
        shown = {obj.pk for obj in listing.context["cl"].result_list}
        assert theirs.pk not in shown
        assert client.get(f"{url}{theirs.pk}/change/").status_code == 302  # "does not exist"
        assert client.get(f"{url}{mine.pk}/change/").status_code == 200


def test_a_curators_new_rows_are_their_units(client, units):
    client.force_login(units.curator_b)
    response = client.post(
        "/admin/corpus/term/add/", {"word": "梧桐栖凤七彩链", "origin": "manual"}
    )
    assert response.status_code == 302
    assert Term.objects.get(word="梧桐栖凤七彩链").unit_id == units.b.pk
    # The same word in another unit is that unit's own row; twice in one unit, refused.
    client.force_login(units.curator_a)
    client.post("/admin/corpus/term/add/", {"word": "梧桐栖凤七彩链", "origin": "manual"})
    assert Term.objects.filter(word="梧桐栖凤七彩链", unit=units.a).exists()
    again = client.post("/admin/corpus/term/add/", {"word": "梧桐栖凤七彩链", "origin": "manual"})
    assert again.status_code == 200
    assert Term.objects.filter(word="梧桐栖凤七彩链").count() == 2


def test_uploads_belong_to_the_uploaders_unit(units, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("新材料.txt", SPEECH.read_bytes())
    with django_capture_on_commit_callbacks(execute=False):
        batch = documents_upload([("新材料.txt", upload)], user=units.curator_b)
    assert batch.unit_id == units.b.pk
    assert SourceDocument.objects.get(file_name="新材料.txt").unit_id == units.b.pk


def test_only_a_superuser_may_mark_material_shared(client, units, django_user_model):
    [theirs] = SourceDocument.objects.filter(unit=units.b)
    data = {"action": "mark_shared", "_selected_action": [theirs.pk], "index": 0}
    client.force_login(units.curator_b)
    client.post(ADMIN_LISTS[SourceDocument], data)
    theirs.refresh_from_db()
    assert not theirs.shared
    admin = django_user_model.objects.create_superuser("root", password=PASSWORD)
    client.force_login(admin)
    client.post(ADMIN_LISTS[SourceDocument], data)
    theirs.refresh_from_db()
    assert theirs.shared
    assert not Paragraph.objects.filter(skeleton__document=theirs, shared=False).exists()


def test_a_units_synonyms_widen_only_its_own_searches(units):
    from speechdraft.library import synonyms
    from speechdraft.library.models import Synonym, SynonymGroup

    group = SynonymGroup.objects.create(note="乙单位的提法", unit=units.b)
    Synonym.objects.bulk_create(Synonym(group=group, text=t) for t in ("甲方提法", "乙方提法"))
    synonyms.synonyms_changed()
    assert synonyms.expand(["甲方提法"], unit_id=units.b.pk) == {"甲方提法": ["乙方提法"]}
    assert synonyms.expand(["甲方提法"], unit_id=units.a.pk) == {}
    SynonymGroup.objects.filter(pk=group.pk).update(shared=True)
    synonyms.synonyms_changed()
    assert synonyms.expand(["甲方提法"], unit_id=units.a.pk) == {"甲方提法": ["乙方提法"]}


def test_a_units_wording_rules_check_only_its_own_drafts(units):
    from speechdraft.library.freshness import formulation_rules
    from speechdraft.library.models import Formulation

    Formulation.objects.create(wrong="乙单位禁用词", right="规范词", unit=units.b)
    assert "乙单位禁用词" in {r.wrong for r in formulation_rules(units.b.pk)}
    assert "乙单位禁用词" not in {r.wrong for r in formulation_rules(units.a.pk)}


def test_a_curators_csv_import_reaches_only_their_units_rows(client, units):
    from django.core.files.uploadedfile import SimpleUploadedFile

    theirs = Phrase.objects.filter(unit=units.b, owner__isnull=True).first()
    paragraph = Paragraph.objects.filter(unit=units.b).first()
    client.force_login(units.curator_a)
    phrases = f"编号,类型,内容\n{theirs.pk},金句,改写别人的短语\n,金句,甲单位的新金句\n"
    upload = SimpleUploadedFile("p.csv", phrases.encode("utf-8-sig"), "text/csv")
    client.post("/admin/library/phrase/import-csv/", {"file": upload})
    theirs.refresh_from_db()
    assert theirs.text != "改写别人的短语"
    assert Phrase.objects.get(text="甲单位的新金句").unit_id == units.a.pk
    rows = f"编号,内容\n{paragraph.pk},改写别人的段落\n"
    upload = SimpleUploadedFile("g.csv", rows.encode("utf-8-sig"), "text/csv")
    response = client.post("/admin/corpus/paragraph/import-csv/", {"file": upload})
    assert f"编号 {paragraph.pk} 不存在" in response.content.decode()
    paragraph.refresh_from_db()
    assert paragraph.text != "改写别人的段落"


def test_a_superuser_sees_every_unit_and_a_speechs_unit_is_not_a_form_field(
    client, units, django_user_model
):
    admin = django_user_model.objects.create_superuser("root", password=PASSWORD)
    client.force_login(admin)
    listing = client.get(ADMIN_LISTS[Paragraph], {"all": ""})
    assert listing.context["cl"].result_count == Paragraph.objects.count()
    document = SourceDocument.objects.filter(unit=units.b).first()
    form = client.get(f"{ADMIN_LISTS[SourceDocument]}{document.pk}/change/").context["adminform"]
    assert "unit" not in form.form.fields and "shared" not in form.form.fields
    phrase = Phrase.objects.filter(unit=units.b).first()
    form = client.get(f"{ADMIN_LISTS[Phrase]}{phrase.pk}/change/").context["adminform"]
    assert "unit" in form.form.fields and "shared" in form.form.fields


def test_a_curator_follows_only_their_units_upload_batches(client, units):
    from speechdraft.corpus.models import UploadBatch

    theirs = UploadBatch.objects.create(created_by=units.curator_b, unit=units.b)
    mine = UploadBatch.objects.create(created_by=units.curator_a, unit=units.a)
    client.force_login(units.curator_a)
    upload = "/admin/corpus/sourcedocument/upload/"
    assert client.get(f"{upload}{theirs.pk}/").status_code == 404
    assert client.get(f"{upload}{mine.pk}/").status_code == 200
    assert [b.pk for b, _ in client.get(upload).context["recent"]] == [mine.pk]
