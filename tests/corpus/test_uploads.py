import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from speechdraft.corpus.uploads import Budget, Unpacked, unpack
from tests.text.crafted import zip_damages

BUDGET = Budget(
    request_bytes=50 * 1024 * 1024,
    file_bytes=20 * 1024 * 1024,
    unzipped_bytes=200 * 1024 * 1024,
    files=500,
)


def unpacked(name: str, data: bytes) -> Unpacked:
    return unpack([SimpleUploadedFile(name, data)], BUDGET)


def refusal(name: str, data: bytes) -> str:
    """The one note of an upload none of which is accepted."""
    result = unpacked(name, data)
    assert result.files == [], result.files
    assert len(result.notes) == 1, result.notes
    return result.notes[0]


def make_zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_plain_file_is_one_member():
    assert [name for name, _ in unpacked("a.txt", b"x").files] == ["a.txt"]


def test_zip_members_keep_folders_and_skip_junk():
    data = make_zip(
        {
            "2023/讲话.txt": "同志们：".encode(),
            "2024/讲话.txt": "同志们！".encode(),
            "__MACOSX/._x": b"junk",
            ".DS_Store": b"junk",
            "folder/": b"",
        }
    )
    result = unpacked("batch.zip", data)
    assert [name for name, _ in result.files] == ["2023/讲话.txt", "2024/讲话.txt"]
    assert result.files[1][1].read().decode() == "同志们！"
    assert result.notes == []


@pytest.mark.parametrize("evil", ["../../etc/passwd", "/etc/passwd", "a/../../b.txt", "C:/x.txt"])
def test_path_traversal_refuses_the_whole_zip(evil):
    data = make_zip({"ok.txt": b"fine", evil: b"bad"})
    assert "路径不安全" in refusal("evil.zip", data)


def test_zip_bomb_is_refused():
    data = make_zip({"bomb.txt": b"0" * (30 * 1024 * 1024)})
    assert len(data) < 100_000
    assert "压缩炸弹" in refusal("bomb.zip", data)


def test_not_a_zip_and_empty_zip_are_refused():
    assert "不是有效的 zip" in refusal("fake.zip", b"plain text")
    assert "没有可导入的文件" in refusal("empty.zip", make_zip({"__MACOSX/._a": b"x"}))


# ------------------------------------------------------------------ damaged archives

SPEECH = "同志们：今天我们召开全县经济工作会议，部署明年工作。".encode()


@pytest.mark.parametrize(("case", "data"), zip_damages(make_zip({"a.txt": SPEECH * 20})).items())
def test_a_damaged_zip_is_refused_with_a_message_not_a_crash(case, data):
    assert refusal("坏.zip", data).startswith("坏.zip：")


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_damage_to_a_zip_gives_members_or_a_refusal(data):
    archive = bytearray(make_zip({"a/讲话.txt": SPEECH * 20, "b.docx": b"PK" + SPEECH}))
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(archive) - 1))
        archive[at] = data.draw(st.integers(0, 255))
    result = unpacked("x.zip", bytes(archive))
    assert all(note.startswith("x.zip：") for note in result.notes), result.notes
    for name, upload in result.files:
        assert upload.size <= BUDGET.file_bytes and len(upload.read()) == upload.size
        assert not re.search("[\x00-\x1f]", name) and ".." not in name.split("/")
    result.close()


@pytest.mark.parametrize(
    "name", ["a\nb.txt", "a\tb.txt", "讲话\x1b[31m.txt", "a\x7f.txt", "讲话稿\u202excod.exe.txt"]
)
def test_a_member_name_with_control_characters_is_refused(name):
    assert "控制字符" in refusal("x.zip", make_zip({name: SPEECH}))
