import io
import time
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from speechdraft.text.decode import decode_bytes, html_to_text
from speechdraft.text.errors import IngestError

SIMPLIFIED = "同志们：今天我们召开全县经济工作会议，主要任务是总结今年工作，部署明年任务。"
TRADITIONAL = "同志們：今天我們召開全縣經濟工作會議，主要任務是總結今年工作，部署明年任務。"
SHORT_SIMPLIFIED = ["同志们", "讲话", "我们", "发展"]
SHORT_TRADITIONAL = ["會議", "講話", "我們", "發展"]


@pytest.mark.parametrize("text", [SIMPLIFIED, TRADITIONAL])
def test_gbk_round_trip(text):
    d = decode_bytes(text.encode("gbk"), "a.txt")
    assert d.text == text
    assert d.encoding == "gb18030"


def test_gb18030_round_trip():
    text = SIMPLIFIED + "𠀀"  # a four-byte GB18030 character
    d = decode_bytes(text.encode("gb18030"), "a.txt")
    assert d.text == text and d.encoding == "gb18030"


def test_big5_round_trip():
    d = decode_bytes(TRADITIONAL.encode("big5"), "a.txt")
    assert d.text == TRADITIONAL
    assert d.encoding == "big5"


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [(t, "gbk", "gb18030") for t in SHORT_SIMPLIFIED + SHORT_TRADITIONAL]
    + [(t, "big5", "big5") for t in SHORT_TRADITIONAL],
)
def test_short_texts_round_trip(text, encoding, expected):
    d = decode_bytes(text.encode(encoding), "short.txt")
    assert d.text == text
    assert d.encoding == expected


_SIMPLIFIED_POOL = "同志们今天我们召开全县经济工作会议主要任务是总结部署明年发展建设领导干部讲话"
_TRADITIONAL_POOL = "同志們今天我們召開全縣經濟工作會議主要任務是總結部署明年發展建設領導幹部講話"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_SIMPLIFIED_POOL, min_size=6, max_size=40))
def test_random_simplified_gbk_is_gbk(text):
    d = decode_bytes(text.encode("gbk"), "x.txt")
    assert (d.text, d.encoding) == (text, "gb18030")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_TRADITIONAL_POOL, min_size=6, max_size=40))
def test_random_traditional_big5_is_big5(text):
    d = decode_bytes(text.encode("big5"), "x.txt")
    assert (d.text, d.encoding) == (text, "big5")


def test_gbk_bytes_that_also_decode_as_big5_come_out_gbk():
    data = "同志们".encode("gbk")
    assert data.decode("big5") != "同志们"  # the trap: a strict Big5 decode succeeds
    assert decode_bytes(data, "x.txt").encoding == "gb18030"


def test_big5_bytes_that_also_decode_as_gbk_come_out_big5():
    data = TRADITIONAL.encode("big5")
    assert data.decode("gb18030") != TRADITIONAL  # decodes, but as nonsense
    assert decode_bytes(data, "x.txt").encoding == "big5"


def test_utf8_and_bom():
    assert decode_bytes(SIMPLIFIED.encode("utf-8"), "a.txt").encoding == "utf-8"
    d = decode_bytes(b"\xef\xbb\xbf" + SIMPLIFIED.encode("utf-8"), "a.txt")
    assert d.encoding == "utf-8-sig" and d.text == SIMPLIFIED


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16(encoding):
    data = SIMPLIFIED.encode(encoding)
    if encoding != "utf-16":  # add the BOM ourselves for the explicit-endian forms
        data = ("\ufeff" + SIMPLIFIED).encode(encoding)
    d = decode_bytes(data, "a.txt")
    assert d.encoding == "utf-16"
    assert d.text.lstrip("\ufeff") == SIMPLIFIED


@pytest.mark.parametrize("text", [SIMPLIFIED, "Speech 讲话 " + SIMPLIFIED])
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised(text, encoding):
    d = decode_bytes(text.encode(encoding), "a.txt")
    assert d.text == text and d.encoding == "utf-16"


def test_filename_does_not_decide_the_encoding():
    d = decode_bytes(TRADITIONAL.encode("big5"), "gbk-file.gbk.txt")
    assert d.encoding == "big5"


def _docx_bytes(paragraphs, table=None):
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_docx_paragraphs_and_tables():
    data = _docx_bytes(
        ["在全县大会上的讲话", "同志们：", "今天开会。"], table=[["单元格一", "单元格二"]]
    )
    d = decode_bytes(data, "speech.docx")
    assert d.encoding == "docx"
    assert d.text.split("\n") == [
        "在全县大会上的讲话",
        "同志们：",
        "今天开会。",
        "单元格一",
        "单元格二",
    ]


def test_docx_detected_from_bytes_even_with_wrong_name():
    data = _docx_bytes(["今天开会。"])
    assert decode_bytes(data, "speech.txt").encoding == "docx"


def test_html_extraction():
    html = (
        "<!DOCTYPE html><html><head><title>t</title><style>p{color:red}</style>"
        "<script>var a='同志们';</script></head><body><div>在全县大会上的讲话</div>"
        "<p>同志们：</p><p>今天&nbsp;开会，<b>部署</b>工作。<br>第二行</p></body></html>"
    )
    d = decode_bytes(html.encode("utf-8"), "page.html")
    assert d.encoding == "html"
    lines = d.text.split("\n")
    assert "在全县大会上的讲话" in lines
    assert "同志们：" in lines
    assert any(line.startswith("今天") and "部署工作。" in line for line in lines)
    assert "第二行" in lines
    assert "color" not in d.text and "var a" not in d.text


def test_html_detected_without_extension_and_in_gbk():
    html = "<html><body><p>同志们：</p><p>今天开会。</p><div>部署工作。</div></body></html>"
    d = decode_bytes(html.encode("gbk"), "download")
    assert d.encoding == "html"
    assert "今天开会。" in d.text


def test_html_to_text_drops_noscript_and_keeps_blocks():
    text = html_to_text("<p>一</p><noscript>二</noscript><li>三</li>")
    assert [line for line in text.split("\n") if line] == ["一", "三"]


# ---------------------------------------------------------------- bad inputs


def _error(data, name="坏文件.txt", **kw):
    with pytest.raises(IngestError) as info:
        decode_bytes(data, name, **kw)
    err = info.value
    assert name in err.message and err.filename == name
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err.message)
    return err.message


def test_empty_file():
    assert "空" in _error(b"")


def test_whitespace_only_file():
    assert "空白" in _error(b" \r\n\t\n")


def test_binary_file():
    assert "二进制" in _error(b"\x00\x01\x02\x03binary\x00\x00" * 20)


def test_control_characters():
    assert "控制字符" in _error(bytes(range(1, 9)) * 50)


def test_undecodable_bytes():
    msg = _error(bytes([0x80, 0xFF, 0x81, 0xFE, 0x30]) * 40)
    assert "编码" in msg


def test_size_limit_is_checked_before_decoding():
    big = b"a" * (50 * 1024 * 1024)
    start = time.perf_counter()
    msg = _error(big, "大文件.txt")
    assert time.perf_counter() - start < 0.5
    assert "超过上限" in msg and "20 MB" in msg


def test_custom_size_limit():
    assert "超过上限" in _error(SIMPLIFIED.encode("utf-8"), max_bytes=10)


def test_docx_that_is_not_a_zip():
    assert "zip" in _error(b"this is not a zip file at all", "假的.docx")


def test_docx_that_is_a_zip_of_something_else():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("photo.jpg", b"\xff\xd8\xff" + b"0" * 100)
    assert "没有 Word 正文" in _error(buf.getvalue(), "压缩包.docx")


def test_corrupt_zip():
    assert "损坏" in _error(b"PK\x03\x04" + b"\x00garbage" * 10, "坏.docx")


def test_old_doc_and_pdf_are_refused():
    assert ".doc" in _error(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "旧.doc")
    assert "PDF" in _error(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "文件.pdf")
