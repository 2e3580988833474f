"""The same speech scraped from several sites is one document; the cleaner copy is stored."""

import pytest

from speechdraft.corpus.models import Paragraph, Section, Skeleton, SourceDocument, SpeechBand
from speechdraft.corpus.services import document_approve, document_ingest
from speechdraft.drafts.services import skeleton_choices
from speechdraft.library.models import PhraseSource
from speechdraft.library.selectors import library_search
from speechdraft.text.duplicates import THRESHOLD
from tests.text import speeches

pytestmark = pytest.mark.django_db

DUPLICATE = SourceDocument.State.DUPLICATE
DONE = SourceDocument.State.DONE
SAME = f"重复：与《{speeches.TITLE}》相同"
# A sentence found in the speech only, to search the library for.
UNIQUE = "积分超市"
COPIES = {
    "chrome.txt": speeches.scraped_page(),
    "gbk.txt": speeches.scraped_page(encoding="gbk"),
    "traditional.txt": speeches.traditional_page(),
    "traditional-chrome.txt": speeches.scraped_page(traditional=True),
}


def ingest(name: str, data: bytes):
    result = document_ingest(file_name=name, data=data)
    assert result.outcome != "failed", result.message
    return result


def doc(name: str) -> SourceDocument:
    return SourceDocument.objects.get(file_name=name)


def stored_speeches() -> list[Skeleton]:
    """The stored copies of our speech (not linked copies, not other speeches)."""
    return list(Skeleton.objects.stored().filter(title=speeches.TITLE))


def found_in_library() -> int:
    return len(library_search(UNIQUE, statuses=["candidate", "approved"]).results)


def lone_counts() -> tuple[int, int]:
    """Sections and paragraphs of the speech ingested alone."""
    return Section.objects.count(), Paragraph.objects.count()


@pytest.mark.parametrize("name", COPIES)
def test_the_same_speech_from_another_site_is_linked_not_stored_twice(name):
    original = ingest("office.txt", speeches.clean_page()).document
    before = lone_counts()
    result = ingest(name, COPIES[name])

    assert result.outcome == "duplicate"
    assert result.message == SAME + "，未重复导入"
    copy = doc(name)
    assert (copy.state, copy.error, copy.duplicate_of) == (DUPLICATE, SAME, original)
    assert THRESHOLD <= copy.duplicate_similarity <= 1
    assert lone_counts() == before
    [linked] = copy.skeletons.all()
    assert linked.is_copy and linked.duplicate_of == original.skeletons.get()
    assert not linked.sections.exists() and not linked.paragraphs.exists()
    assert not SpeechBand.objects.filter(skeleton=linked).exists()
    assert not PhraseSource.objects.filter(document=copy).exists()
    assert [s.document for s in stored_speeches()] == [original]
    assert found_in_library() == 1


def test_site_chrome_split_off_as_a_speech_is_not_stored_with_a_duplicate():
    ingest("office.txt", speeches.clean_page())
    ingest("chrome.txt", speeches.scraped_page())
    copy = doc("chrome.txt")
    assert copy.skeletons.count() == 1
    assert any("下面是小编为大家整理的" in line for line in copy.removed_lines)
    assert not Paragraph.objects.filter(text__contains="小编").exists()


@pytest.mark.parametrize("order", ["clean first", "scraped first"])
def test_the_cleaner_copy_wins_whatever_the_order(order):
    pages = [("office.txt", speeches.clean_page()), ("chrome.txt", speeches.scraped_page())]
    if order == "scraped first":
        pages.reverse()
    results = [ingest(name, data) for name, data in pages]

    office, chrome = doc("office.txt"), doc("chrome.txt")
    assert (office.state, office.duplicate_of) == (DONE, None)
    assert (chrome.state, chrome.error, chrome.duplicate_of) == (DUPLICATE, SAME, office)
    [stored] = stored_speeches()
    assert stored.document == office
    assert chrome.skeletons.get().duplicate_of == stored
    assert not Paragraph.objects.filter(text__contains="本文由用户上传").exists()
    assert not Skeleton.objects.filter(document=chrome, paragraphs__isnull=False).exists()
    assert found_in_library() == 1
    if order == "scraped first":
        assert results[1].outcome == "created"
        assert "chrome.txt 中的同一篇更干净，取而代之" in results[1].message

    # Stored once, as if only the clean page had been ingested.
    counts = lone_counts()
    SourceDocument.objects.all().delete()
    ingest("alone.txt", speeches.clean_page())
    assert lone_counts() == counts


def test_the_curators_decisions_go_to_the_cleaner_copy():
    scraped = ingest("chrome.txt", speeches.scraped_page()).document
    document_approve(scraped)
    used = Paragraph.objects.get(skeleton__document=scraped, text__contains=UNIQUE)
    Paragraph.objects.filter(pk=used.pk).update(usage_count=3)

    ingest("office.txt", speeches.clean_page())
    [stored] = stored_speeches()
    assert stored.document.file_name == "office.txt"
    assert stored.status == "approved"
    assert Paragraph.objects.get(skeleton=stored, text__contains=UNIQUE).usage_count == 3
    # Paragraphs the scraped copy broke in two are new: they wait for a curator.
    statuses = set(stored.paragraphs.values_list("status", flat=True))
    assert "approved" in statuses
    [choice] = skeleton_choices()
    assert choice.skeleton == stored


def test_an_incomplete_copy_does_not_replace_the_whole_speech():
    ingest("office.txt", speeches.clean_page())
    result = ingest("preview.txt", speeches.truncated_page())
    assert result.outcome == "duplicate"
    preview = doc("preview.txt")
    assert preview.skeletons.get().incomplete  # its own copy's reasons stay on record
    assert [s.document.file_name for s in stored_speeches()] == ["office.txt"]


def test_the_whole_speech_replaces_an_incomplete_copy():
    ingest("preview.txt", speeches.truncated_page())
    result = ingest("office.txt", speeches.clean_page())
    assert result.outcome == "created"
    assert [s.document.file_name for s in stored_speeches()] == ["office.txt"]
    assert doc("preview.txt").state == DUPLICATE
    assert stored_speeches()[0].incomplete == []


def test_a_different_speech_on_the_same_work_is_not_a_duplicate():
    ingest("2024.txt", speeches.clean_page())
    other = speeches.clean_page(title=speeches.OTHER_TITLE, parts=speeches.OTHER_PARTS)
    result = ingest("2025.txt", other)
    assert result.outcome == "created"
    assert doc("2025.txt").state == DONE and doc("2025.txt").duplicate_of is None
    assert Skeleton.objects.stored().count() == 2
    assert not Skeleton.objects.copies().exists()


def test_a_compilation_links_the_speech_it_shares_and_stores_the_other():
    original = ingest("office.txt", speeches.clean_page()).document
    result = ingest("compilation.txt", speeches.compilation_page())
    assert result.outcome == "created"
    assert f"第1篇与《{speeches.TITLE}》相同，未重复导入" in result.message
    compilation = doc("compilation.txt")
    assert (compilation.state, compilation.duplicate_of) == (DONE, None)
    ours, another = compilation.skeletons.order_by("index")
    assert ours.is_copy and ours.duplicate_of == original.skeletons.get()
    assert not ours.paragraphs.exists()
    assert not another.is_copy and another.title == speeches.ANOTHER_TITLE
    assert another.paragraphs.exists()
    assert found_in_library() == 1
    assert {s.index for s in compilation.skeletons.stored()} == {1}
    assert set(
        PhraseSource.objects.filter(document=compilation).values_list("speech_index", flat=True)
    ) <= {1}


def test_a_compilation_holding_one_speech_twice_stores_it_once():
    reposted = "在全县农村人居环境整治工作会议上的讲话（转载）"
    ours, again = speeches.speech_lines(), speeches.speech_lines(title=reposted)
    toc = ["讲话汇编", "目录", f"1．{ours[0]}", f"2．{again[0]}", ""]
    ingest("twice.txt", "\n".join([*toc, *ours, "", *again]).encode())
    first, second = doc("twice.txt").skeletons.order_by("index")
    assert not first.is_copy and second.is_copy and second.duplicate_of == first
    assert doc("twice.txt").state == DONE
    assert found_in_library() == 1


def test_the_lone_clean_page_replaces_the_speech_of_a_compilation():
    ingest("compilation.txt", speeches.compilation_page())
    ingest("office.txt", speeches.clean_page())
    compilation = doc("compilation.txt")
    ours, another = compilation.skeletons.order_by("index")
    assert ours.is_copy and ours.duplicate_of.document.file_name == "office.txt"
    assert not another.is_copy
    assert compilation.state == DONE  # it still holds a speech of its own
    assert found_in_library() == 1


def test_a_compilation_of_speeches_all_stored_already_is_a_duplicate():
    ingest("office.txt", speeches.clean_page())
    another = speeches.speech_lines(
        speeches.ANOTHER_TITLE,
        parts=speeches.ANOTHER_PARTS,
        opening=[],
        closing=speeches.ANOTHER_CLOSING,
    )
    ingest("safety.txt", "\n".join(another).encode())
    before = lone_counts()
    result = ingest("compilation.txt", speeches.compilation_page())
    assert result.outcome == "duplicate"
    compilation = doc("compilation.txt")
    assert compilation.state == DUPLICATE
    assert compilation.error == f"重复：与《{speeches.TITLE}》《{speeches.ANOTHER_TITLE}》相同"
    assert compilation.duplicate_of == doc("office.txt")
    assert lone_counts() == before


def test_a_changed_file_is_rebuilt_in_place_and_its_copies_follow():
    office = ingest("office.txt", speeches.clean_page()).document
    ingest("chrome.txt", speeches.scraped_page())
    changed = speeches.clean_page().replace("积分超市".encode(), "文明积分超市".encode())
    result = ingest("office.txt", changed)

    assert result.outcome == "updated" and result.document.pk == office.pk
    [stored] = stored_speeches()
    assert stored.document == office
    assert Paragraph.objects.filter(skeleton=stored, text__contains="文明积分超市").exists()
    chrome = doc("chrome.txt")
    assert chrome.skeletons.get().duplicate_of == stored
    assert (chrome.state, chrome.error) == (DUPLICATE, SAME)


def test_same_bytes_again_change_nothing_and_keep_the_duplicate_state():
    ingest("office.txt", speeches.clean_page())
    copy = ingest("chrome.txt", speeches.scraped_page()).document
    result = document_ingest(file_name="chrome.txt", data=speeches.scraped_page(), document=copy)
    assert result.outcome == "unchanged"
    copy.refresh_from_db()
    assert (copy.state, copy.error) == (DUPLICATE, SAME)


def test_a_copy_given_again_by_name_is_unchanged():
    ingest("office.txt", speeches.clean_page())
    first = ingest("chrome.txt", speeches.scraped_page()).document.skeletons.get()
    result = ingest("chrome.txt", speeches.scraped_page())
    assert (result.outcome, result.document.state) == ("unchanged", DUPLICATE)
    assert doc("chrome.txt").skeletons.get().pk == first.pk


def test_a_copy_whose_original_was_deleted_is_compared_again():
    ingest("office.txt", speeches.clean_page())
    copy = ingest("chrome.txt", speeches.scraped_page()).document
    doc("office.txt").delete()
    copy.refresh_from_db()
    assert copy.duplicate_of is None
    result = document_ingest(file_name="chrome.txt", data=speeches.scraped_page(), document=copy)
    assert result.outcome == "updated"
    copy.refresh_from_db()
    assert copy.state == DONE
    assert [s.document for s in stored_speeches()] == [copy]


def test_an_uploaded_copy_is_marked_duplicate_on_its_row():
    original = ingest("office.txt", speeches.clean_page()).document
    row = SourceDocument.objects.create(file_name="upload.txt")
    result = document_ingest(file_name="upload.txt", data=speeches.scraped_page(), document=row)
    assert result.outcome == "duplicate" and result.document.pk == row.pk
    row.refresh_from_db()
    assert (row.state, row.error, row.duplicate_of) == (DUPLICATE, SAME, original)


def test_the_same_bytes_uploaded_again_link_to_the_first_file():
    original = ingest("office.txt", speeches.clean_page()).document
    row = SourceDocument.objects.create(file_name="again.txt")
    result = document_ingest(file_name="again.txt", data=speeches.clean_page(), document=row)
    assert result.outcome == "duplicate"
    row.refresh_from_db()
    assert (row.state, row.duplicate_of, row.duplicate_similarity) == (DUPLICATE, original, 1.0)


def test_copies_are_never_offered_to_start_a_draft():
    office = ingest("office.txt", speeches.clean_page()).document
    copy = ingest("chrome.txt", speeches.scraped_page()).document
    document_approve(office)
    document_approve(copy)
    Skeleton.objects.filter(document=copy).update(status="approved")  # even if someone tried
    assert [c.skeleton.document for c in skeleton_choices()] == [office]


# --- the admin --------------------------------------------------------------------------------


ADMIN = "/admin/corpus/sourcedocument/"


def test_the_admin_lists_and_filters_duplicates(client, editor):
    ingest("office.txt", speeches.clean_page())
    ingest("chrome.txt", speeches.scraped_page())
    ingest("compilation.txt", speeches.compilation_page())
    ingest("2025.txt", speeches.clean_page(title=speeches.OTHER_TITLE, parts=speeches.OTHER_PARTS))
    client.force_login(editor)

    listing = client.get(ADMIN).content.decode()
    assert SAME in listing and "部分重复：第1篇与" in listing

    def listed(**params) -> set[str]:
        page = client.get(ADMIN, params).content.decode()
        names = ("office.txt", "chrome.txt", "compilation.txt", "2025.txt")
        return {n for n in names if f">{n}<" in page}

    assert listed(duplicate="yes") == {"chrome.txt"}
    assert listed(duplicate="part") == {"compilation.txt"}
    assert listed(duplicate="no") == {"office.txt", "2025.txt"}

    detail = client.get(f"{ADMIN}{doc('chrome.txt').pk}/change/").content.decode()
    assert "重复于" in detail and "office.txt" in detail and SAME in detail
    assert "相似度" in detail


def test_the_admin_shows_which_documents_hold_an_incomplete_speech(client, editor):
    ingest("office.txt", speeches.clean_page())
    cut = speeches.truncated_page(
        title=speeches.ANOTHER_TITLE, parts=speeches.ANOTHER_PARTS, opening=[]
    )
    ingest("safety.txt", cut)
    client.force_login(editor)

    def listed(**params) -> set[str]:
        page = client.get(ADMIN, params).content.decode()
        return {n for n in ("office.txt", "safety.txt") if f">{n}<" in page}

    assert "不完整" in client.get(ADMIN).content.decode()
    assert listed(incomplete="yes") == {"safety.txt"}
    assert listed(incomplete="no") == {"office.txt"}
    assert doc("safety.txt").incomplete_reasons == ["结尾不完整：最后一句没有写完"]
    assert doc("office.txt").incomplete_reasons == []
    detail = client.get(f"{ADMIN}{doc('safety.txt').pk}/change/").content.decode()
    assert "结尾不完整：最后一句没有写完" in detail


def test_the_admin_does_not_approve_a_copy(client, editor):
    ingest("office.txt", speeches.clean_page())
    copy = ingest("chrome.txt", speeches.scraped_page()).document.skeletons.get()
    client.force_login(editor)
    response = client.post(
        "/admin/corpus/skeleton/",
        {"action": "approve", "_selected_action": [copy.pk], "index": 0},
        follow=True,
    )
    assert "重复的副本" in response.content.decode()
    copy.refresh_from_db()
    assert copy.status == "candidate"


def test_the_admin_list_costs_the_same_queries_for_more_documents(client, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(editor)
    ingest("office.txt", speeches.clean_page())
    ingest("chrome.txt", speeches.scraped_page())

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(ADMIN).status_code == 200
        return len(context)

    few = queries()
    ingest("compilation.txt", speeches.compilation_page())
    ingest("gbk.txt", speeches.scraped_page(encoding="gbk"))
    ingest("traditional.txt", speeches.traditional_page())
    assert queries() == few
