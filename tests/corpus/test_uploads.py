import io
import zipfile

import pytest

from speechdraft.corpus.uploads import UploadError, upload_members, zip_members


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
