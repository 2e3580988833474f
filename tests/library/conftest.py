import pytest

from speechdraft.corpus.models import Paragraph, Skeleton, SourceDocument, Status
from speechdraft.library import synonyms
from speechdraft.library.models import Phrase


@pytest.fixture(autouse=True)
def fresh_synonyms():
    """Each test expands with the 同义提法 of its own database (rows roll back between tests,
    the version stamp in the cache does not)."""
    synonyms.forget()
    yield
    synonyms.forget()


@pytest.fixture
def skeleton(db):
    document = SourceDocument.objects.create(file_name="样例.txt", state="done")
    return Skeleton.objects.create(document=document, index=0, title="在全市干部大会上的讲话")


@pytest.fixture
def make_paragraph(skeleton):
    counter = {"n": 0}

    def make(text, *, role="tasks", status=Status.APPROVED, heading="", keywords=(), used=0):
        counter["n"] += 1
        return Paragraph.objects.create(
            skeleton=skeleton,
            position=counter["n"],
            text=text,
            role=role,
            status=status,
            heading=heading,
            keywords=list(keywords),
            usage_count=used,
        )

    return make


@pytest.fixture
def make_phrase(db):
    def make(text, *, kind="golden", status=Status.APPROVED, owner=None):
        return Phrase.objects.create(text=text, kind=kind, status=status, owner=owner)

    return make


@pytest.fixture
def curator(client, editor):
    client.force_login(editor)
    return client
