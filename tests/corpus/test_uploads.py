import io
import re
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from speechdraft.corpus.uploads import MAX_MEMBER_BYTES, UploadError, upload_members, zip_members
from tests.text.crafted import zip_damages


def make_zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_plain_file_is_one_member():
    assert [m.name for m in upload_members("a.txt", b"x")] == ["a.txt"]


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
    members = zip_members("batch.zip", data)
    assert [m.name for m in members] == ["2023/讲话.txt", "2024/讲话.txt"]
    assert members[1].data.decode() == "同志们！"


@pytest.mark.parametrize("evil", ["../../etc/passwd", "/etc/passwd", "a/../../b.txt", "C:/x.txt"])
def test_path_traversal_refuses_the_whole_zip(evil):
    data = make_zip({"ok.txt": b"fine", evil: b"bad"})
    with pytest.raises(UploadError, match="路径不安全"):
        zip_members("evil.zip", data)


def test_zip_bomb_is_refused():
    data = make_zip({"bomb.txt": b"0" * (30 * 1024 * 1024)})
    assert len(data) < 100_000
    with pytest.raises(UploadError, match="压缩炸弹"):
        zip_members("bomb.zip", data)


def test_not_a_zip_and_empty_zip_are_refused():
    with pytest.raises(UploadError, match="不是有效的 zip"):
        zip_members("fake.zip", b"plain text")
    with pytest.raises(UploadError, match="没有可导入的文件"):
        zip_members("empty.zip", make_zip({"__MACOSX/._a": b"x"}))


# ------------------------------------------------------------------ damaged archives

SPEECH = "同志们：今天我们召开全县经济工作会议，部署明年工作。".encode()


@pytest.mark.parametrize(("case", "data"), zip_damages(make_zip({"a.txt": SPEECH * 20})).items())
def test_a_damaged_zip_is_refused_with_a_message_not_a_crash(case, data):
    with pytest.raises(UploadError) as info:
        zip_members("坏.zip", data)
    assert info.value.message.startswith("坏.zip：")


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_damage_to_a_zip_gives_members_or_a_refusal(data):
    archive = bytearray(make_zip({"a/讲话.txt": SPEECH * 20, "b.docx": b"PK" + SPEECH}))
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(archive) - 1))
        archive[at] = data.draw(st.integers(0, 255))
    try:
        members = zip_members("x.zip", bytes(archive))
    except UploadError as error:
        assert error.message.startswith("x.zip：")
        return
    for member in members:
        assert len(member.data) <= MAX_MEMBER_BYTES
        assert not re.search("[\x00-\x1f]", member.name) and ".." not in member.name.split("/")


@pytest.mark.parametrize("name", ["a\nb.txt", "讲话\x1b[31m.txt", "a\x7f.txt"])
def test_a_member_name_with_control_characters_is_refused(name):
    with pytest.raises(UploadError, match="控制字符"):
        zip_members("x.zip", make_zip({name: SPEECH}))
