"""导出花脸稿 from 比较版本: two versions of a draft made with the editor's services, the
changes between them as Word tracked changes, read back: accepting every change gives the
newer version's Word file, rejecting every change the older one's."""

import os
import subprocess
from urllib.parse import unquote

import pytest

from speechdraft.drafts.services import (
    ItemEdit,
    draft_item_delete,
    draft_item_insert,
    draft_item_save,
    draft_item_step,
    draft_item_update,
    placement_for,
)
from speechdraft.exports.models import ExportJob
from speechdraft.exports.services import (
    ExportRefused,
    job_run,
    redline_request,
    render_bytes,
)
from tests.conftest import skip_missing
from tests.exports.test_jobs import HX, filled_draft
from tests.ooxml.test_redline import HERE, SOFFICE, document, resolved, revisions, uno_python, w

pytestmark = pytest.mark.django_db


def parts(draft):
    return list(draft.items.filter(numbered=True, parent=None).order_by("position"))


@pytest.fixture
def versions(alice):
    """(draft, older version, newer version): a word changed, a point added, one deleted and
    a part moved between them."""
    draft = filled_draft(alice)
    first = parts(draft)[0]
    point = draft_item_insert(
        draft,
        user=alice,
        version=draft.version,
        placement=placement_for(draft, "child", first.pk),
        numbered=True,
        heading="要删去的一点",
        body="这一点以后删去。",
    )
    draft.refresh_from_db()
    draft_item_save(
        draft,
        user=alice,
        version=draft.version,
        edit=ItemEdit(parts(draft)[1].pk, "坚持稳中求进工作总基调。", None),
    )
    draft.refresh_from_db()
    old = draft.version
    second = parts(draft)[1]
    draft_item_update(  # the plain form: a change of its own, not folded into the typing
        draft,
        user=alice,
        version=draft.version,
        item_id=second.pk,
        heading=second.heading,
        body="始终坚持稳中求进工作总基调。",
    )
    draft.refresh_from_db()
    draft_item_delete(draft, user=alice, version=draft.version, item_id=point.pk)
    draft.refresh_from_db()
    draft_item_insert(
        draft,
        user=alice,
        version=draft.version,
        placement=placement_for(draft, "child", parts(draft)[1].pk),
        numbered=True,
        heading="新增的一点",
        body="新增的内容。",
    )
    draft.refresh_from_db()
    draft_item_step(draft, user=alice, version=draft.version, item_id=parts(draft)[2].pk, delta=-1)
    draft.refresh_from_db()
    return draft, old, draft.version


def redline_file(draft, alice, old, new) -> tuple[ExportJob, bytes]:
    job = redline_request(draft=draft, user=alice, base=old, version=new, profile="gongwen")
    assert job_run(job.pk) == "done"
    job.refresh_from_db()
    return job, job.file.read()


def plain(draft, version) -> bytes:
    return render_bytes(draft, version, profile="gongwen", placeholders=False)


def test_accepting_the_redline_gives_the_newer_version_rejecting_it_the_older(versions, alice):
    draft, old, new = versions
    job, data = redline_file(draft, alice, old, new)
    assert resolved(data, "accept") == resolved(plain(draft, new), "show")
    assert resolved(data, "reject") == resolved(plain(draft, old), "show")
    found = revisions(data)
    assert ("ins", "始终") in found
    assert ("del", "（一）要删去的一点。") in found
    assert ("ins", "（一）新增的一点。") in found
    assert any(tag == "moveTo" for tag, _ in found)  # the part moved up
    root = document(data)
    assert {node.get(w("author")) for node in root.iter(w("ins"), w("del"))} == {"alice"}
    assert job.download_name() == f"在全市经济工作会议上的讲话（花脸稿：第{old}版→第{new}版）.docx"


@pytest.mark.slow
def test_libreoffice_opens_the_redline_and_accepts_and_rejects_it(versions, alice, tmp_path):
    if SOFFICE is None:
        skip_missing("LibreOffice")
    python = uno_python()
    draft, old, new = versions
    _, data = redline_file(draft, alice, old, new)
    source = tmp_path / "redline.docx"
    source.write_bytes(data)
    for mode, version in (("accept", new), ("reject", old)):
        result = subprocess.run(
            [
                python,
                str(HERE / "lo_revisions.py"),
                SOFFICE,
                (tmp_path / mode).as_uri(),
                str(source),
                mode,
            ],
            capture_output=True,
            timeout=300,
            env={**os.environ, "HOME": str(tmp_path)},
        )
        assert result.returncode == 0, result.stderr.decode()
        assert result.stdout.decode().split("\n") == resolved(plain(draft, version), "show")


def test_the_compare_page_offers_the_redline_and_the_job_downloads(client, versions, alice):
    draft, old, new = versions
    client.force_login(alice)
    page = client.get(f"/drafts/{draft.pk}/compare/", {"a": old, "b": new}).content.decode()
    assert "导出花脸稿（Word 修订）" in page
    response = client.post(f"/drafts/{draft.pk}/redline/", {"a": new, "b": old}, headers=HX)
    assert response.status_code in (200, 286)
    job = ExportJob.objects.get()
    assert (job.base_version, job.draft_version) == (old, new)  # the older always first
    job_run(job.pk)
    status = client.get(f"/exports/{job.pk}/status/", headers=HX).content.decode()
    assert "花脸稿已生成" in status
    download = client.get(f"/exports/{job.pk}/download/")
    name = unquote(download.headers["Content-Disposition"].split("''")[1])
    assert name.endswith(f"（花脸稿：第{old}版→第{new}版）.docx")


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        ("x", "1", "版本号不正确"),
        ("1", "1", "两个不同的版本"),
        ("1", "999", "找不到要比较的版本"),
    ],
)
def test_versions_that_cannot_be_compared_are_refused_in_chinese(
    client, versions, alice, a, b, message
):
    draft, _, _ = versions
    client.force_login(alice)
    response = client.post(f"/drafts/{draft.pk}/redline/", {"a": a, "b": b}, headers=HX)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ExportJob.objects.exists()
    with pytest.raises(ExportRefused):
        redline_request(draft=draft, user=alice, base=2, version=2, profile="gongwen")


def test_a_redline_and_a_plain_export_of_one_version_are_different_files(versions, alice):
    from speechdraft.exports.services import export_request

    draft, old, new = versions
    redline = redline_request(draft=draft, user=alice, base=old, version=new, profile="gongwen")
    plain_job = export_request(draft=draft, user=alice, profile="gongwen", placeholders=True)
    assert plain_job.pk != redline.pk and plain_job.base_version is None
    again = redline_request(draft=draft, user=alice, base=old, version=new, profile="gongwen")
    assert again.pk == redline.pk
