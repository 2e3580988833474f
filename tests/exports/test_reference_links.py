"""An office's reference uploaded in the admin is stored without its links out of the package,
the uploader is told how many were removed, and exports made with it (or with one stored before
uploads were checked) carry none (the writer's side: tests/ooxml/test_reference_links.py)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from speechdraft.ooxml.builtin_reference import REFERENCE_PATH
from speechdraft.ooxml.reference import reference_check
from tests.ooxml.references import WEB_TEMPLATE, header_text, linked_reference, links_out

ADD = "/admin/exports/officereference/add/"
STRIPPED_TWO = "已移除参考文档中指向外部的链接（附加模板等）2 处。"


def _export(user) -> bytes:
    from speechdraft.drafts.services import draft_create
    from speechdraft.exports.services import render_bytes

    draft = draft_create(owner=user, title="在全县作风建设大会上的讲话", speaker="县长 李四")
    return render_bytes(draft, draft.version, profile="gongwen", placeholders=True)


@pytest.mark.django_db
def test_an_uploaded_reference_is_stored_without_its_links_and_the_uploader_is_told(client, editor):
    from speechdraft.exports.models import OfficeReference

    editor.is_superuser = True
    editor.save()
    client.force_login(editor)
    form = {"name": "本县", "is_default": "on"}
    upload = SimpleUploadedFile("本县参考.docx", linked_reference())
    response = client.post(ADD, {**form, "file": upload}, follow=True)
    assert response.status_code == 200
    assert STRIPPED_TWO in response.content.decode()

    stored = OfficeReference.objects.get()
    assert stored.is_default and stored.file.name.endswith(".docx")
    data = stored.file.read()
    assert links_out(data) == [] and reference_check(data) == []
    assert "某某县人民政府办公室县政府网站" in header_text(data)

    exported = _export(editor)
    assert links_out(exported) == []
    assert "某某县人民政府办公室县政府网站" in header_text(exported)

    # A reference without links is stored as uploaded, with no such message.
    plain = SimpleUploadedFile("内置.docx", REFERENCE_PATH.read_bytes())
    response = client.post(ADD, {"name": "内置", "file": plain}, follow=True)
    assert (
        response.redirect_chain
        and "已移除参考文档中指向外部的链接" not in response.content.decode()
    )
    assert OfficeReference.objects.get(name="内置").file.read() == REFERENCE_PATH.read_bytes()


@pytest.mark.django_db
def test_a_reference_stored_before_uploads_were_checked_exports_without_links(alice):
    from speechdraft.exports.models import OfficeReference

    OfficeReference.objects.create(
        name="旧的参考文档",
        file=ContentFile(linked_reference(WEB_TEMPLATE), name="old.docx"),
        is_default=True,
    )
    exported = _export(alice)
    assert links_out(exported) == []
    assert "某某县人民政府办公室县政府网站" in header_text(exported)


def test_a_new_default_reference_replaces_the_old_one(client, editor):
    from speechdraft.exports.models import OfficeReference

    editor.is_superuser = True
    editor.save()
    client.force_login(editor)
    for name in ("第一版", "第二版"):
        upload = SimpleUploadedFile(f"{name}.docx", REFERENCE_PATH.read_bytes())
        response = client.post(ADD, {"name": name, "is_default": "on", "file": upload})
        page = response.content.decode()
        assert response.status_code == 302, page[page.find("errorlist") - 200 :][:1500]
    assert list(OfficeReference.objects.filter(is_default=True).values_list("name", flat=True)) == [
        "第二版"
    ]
