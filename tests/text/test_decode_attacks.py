"""Crafted uploads: XML entities, decompression bombs, deep nesting, hostile HTML.

Each test fails when the protection it names is removed. The .docx files are built from a
real python-docx document with one part rewritten.
"""

import io
import re
import time
import tracemalloc
import zipfile

import pytest

from speechdraft.text import decode
from speechdraft.text.decode import decode_bytes
from speechdraft.text.errors import IngestError, UnsafeFileError
from speechdraft.text.pipeline import parse_bytes

from .crafted import (
    DOCUMENT,
    SPEECH,
    XXE,
    base_docx,
    huge_part_docx,
    part,
    passwd_lines,
    rewrite,
    with_dtd,
)


def refused(data: bytes, name: str = "讲话.docx") -> str:
    with pytest.raises(UnsafeFileError) as info:
        parse_bytes(data, name)
    message = info.value.message
    assert name in message and "已拒绝" in message and info.value.filename == name
    return message


# ------------------------------------------------------------------ entities


def test_an_external_entity_is_refused():
    data = with_dtd(XXE, "同志们：&e;今天开会。")
    message = refused(data)
    assert "实体" in message
    assert not any(line in message for line in passwd_lines())


def test_without_the_check_python_docx_still_never_resolves_an_entity(monkeypatch):
    """The second line of defence: python-docx's parser keeps entities unresolved."""
    monkeypatch.setattr(decode, "_check_docx_zip", lambda zf, filename: None)
    text = decode_bytes(with_dtd(XXE, "同志们：&e;今天开会。"), "x.docx").text
    assert "同志们" in text
    for line in passwd_lines():
        assert line not in text
    assert "root:" not in text


LAUGHS = (
    '<!DOCTYPE x [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + "]>"
)


@pytest.mark.parametrize(
    ("doctype", "run"),
    [
        (LAUGHS, "同志们：&j;"),  # a billion laughs
        ('<!DOCTYPE x [<!ENTITY e "内部实体">]>', "同志们：&e;"),
        ('<!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1/x.dtd"> %p;]>', "同志们："),
        ('<!DOCTYPE x SYSTEM "http://127.0.0.1/x.dtd">', "同志们："),
        ("<!doctype x>", "同志们："),
    ],
)
def test_any_dtd_is_refused_quickly_and_in_little_memory(doctype, run):
    data = with_dtd(doctype, run)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        message = refused(data)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert "实体定义或 DTD" in message
    assert time.perf_counter() - started < 2 and peak < 20 * 1024 * 1024


@pytest.mark.parametrize(
    "name",
    ["[Content_Types].xml", "_rels/.rels", "word/styles.xml", "word/_rels/document.xml.rels"],
)
def test_a_dtd_in_any_xml_part_is_refused(name):
    assert "实体" in refused(with_dtd(XXE, "同志们：", name=name))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_dtd_in_utf16_xml_is_refused(encoding):
    doctype = XXE if encoding == "utf-16" else "\ufeff" + XXE
    xml = part(base_docx()).replace("encoding='UTF-8'", "encoding='UTF-16'")
    xml = xml.replace("?>", "?>" + XXE, 1) if encoding == "utf-16" else doctype + xml
    refused(rewrite(base_docx(), DOCUMENT, xml.encode(encoding)))


def test_xml_in_another_encoding_is_refused():
    # UTF-7 would let "<!DOCTYPE" hide as "+ADwAIQ-DOCTYPE"
    xml = part(base_docx()).replace("encoding='UTF-8'", "encoding='UTF-7'")
    assert "UTF-8 或 UTF-16" in refused(rewrite(base_docx(), DOCUMENT, xml.encode()))
    ebcdic = part(base_docx()).encode("cp500", errors="replace")
    assert "UTF-8 或 UTF-16" in refused(rewrite(base_docx(), DOCUMENT, ebcdic))


@pytest.mark.parametrize(
    ("name", "content_type", "content"),
    [
        # Illustrator writes SVG with a DOCTYPE; Word keeps the file as it is
        (
            "word/media/logo.svg",
            "image/svg+xml",
            b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
            b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg/>',
        ),
        # an imported XHTML chunk (w:altChunk)
        (
            "word/afchunk.xhtml",
            "application/xhtml+xml",
            b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x.dtd"><html/>',
        ),
    ],
)
def test_a_doctype_in_a_part_nobody_parses_as_xml_is_not_refused(name, content_type, content):
    data = base_docx()
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml")
    extension = name.rpartition(".")[2]
    entry = f'<Default Extension="{extension}" ContentType="{content_type}"/></Types>'
    types = types.replace(b"</Types>", entry.encode())
    data = rewrite(data, "[Content_Types].xml", types, extra={name: content})
    assert "部署明年工作" in decode_bytes(data, "x.docx").text


def test_an_xml_part_disguised_by_its_name_is_still_checked():
    """The content type decides, as for python-docx: a styles part named like an image."""
    data = base_docx()
    types = part(data, "[Content_Types].xml").replace(
        'PartName="/word/styles.xml"', 'PartName="/word/media/styles.svg"'
    )
    rels = part(data, "word/_rels/document.xml.rels").replace(
        'Target="styles.xml"', 'Target="media/styles.svg"'
    )
    styles = part(data, "word/styles.xml").replace("?>", "?>" + XXE, 1)
    data = rewrite(data, "[Content_Types].xml", types.encode())
    data = rewrite(data, "word/_rels/document.xml.rels", rels.encode())
    data = rewrite(data, "word/styles.xml", None, extra={"word/media/styles.svg": styles.encode()})
    assert "实体" in refused(data)


# ------------------------------------------------------------------ size and shape


def test_a_part_that_decompresses_to_hundreds_of_mb_is_refused_before_reading(monkeypatch):
    data = huge_part_docx(monkeypatch, 300 * 1024 * 1024)
    assert len(data) < 2 * 1024 * 1024
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(DOCUMENT)
    assert info.file_size > 250 * 1024 * 1024  # a real bomb, not just a lying header
    tracemalloc.start()
    try:
        message = refused(data)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert "压缩炸弹" in message
    assert peak < 20 * 1024 * 1024


def test_parts_that_add_up_to_too_much_are_refused(monkeypatch):
    monkeypatch.setattr(decode, "DOCX_MAX_TOTAL_BYTES", 100_000)
    extra = {f"word/media/image{i}.png": b"\x89PNG" + bytes(40_000) for i in range(3)}
    data = rewrite(base_docx(), "", None, extra=extra)
    assert "压缩炸弹" in refused(data)


def test_too_many_parts_are_refused():
    extra = {f"customXml/item{i}.bin": b"" for i in range(decode.DOCX_MAX_PARTS)}
    assert "部件超过" in refused(rewrite(base_docx(), "", None, extra=extra))


def test_deeply_nested_xml_is_refused_without_recursion_error():
    depth = 100_000
    xml = part(base_docx()).replace(
        "<w:body>",
        "<w:body>" + "<w:customXml>" * depth + "<w:p/>" + "</w:customXml>" * depth,
        1,
    )
    started = time.perf_counter()
    with pytest.raises(IngestError) as info:
        parse_bytes(rewrite(base_docx(), DOCUMENT, xml.encode()), "深.docx")
    assert "深.docx" in info.value.message
    assert not isinstance(info.value.__cause__, RecursionError)
    assert time.perf_counter() - started < 5


def test_nesting_within_the_parser_limit_is_read():
    depth = 80  # tables in table cells: 3 elements a level, under libxml2's 256
    nested = "<w:tbl><w:tr><w:tc>" * depth + "<w:p><w:r><w:t>最里层的单元格</w:t></w:r></w:p>"
    nested += "</w:tc></w:tr></w:tbl>" * depth
    xml = part(base_docx()).replace("<w:body>", "<w:body>" + nested, 1)
    text = decode_bytes(rewrite(base_docx(), DOCUMENT, xml.encode()), "x.docx").text
    assert text.startswith("最里层的单元格")


def test_an_encrypted_zip_and_a_password_protected_word_file_say_so():
    data = bytearray(base_docx())
    # set the "encrypted" flag of every entry (local headers and central directory)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        for m in re.finditer(re.escape(signature), bytes(data)):
            data[m.start() + offset] |= 1
    with pytest.raises(IngestError, match="已加密"):
        parse_bytes(bytes(data), "密.docx")
    cfb = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(IngestError, match="已加密"):
        parse_bytes(cfb, "密.docx")


# ------------------------------------------------------------------ what a .docx shows


def test_text_in_content_controls_insertions_links_and_text_boxes_is_read():
    runs = "<w:r><w:t>{}</w:t></w:r>"
    body = (
        "<w:sdt><w:sdtPr/><w:sdtContent><w:p>" + runs.format("内容控件里的段落。") + "</w:p>"
        "</w:sdtContent></w:sdt>"
        "<w:customXml><w:p>" + runs.format("自定义标记里的段落。") + "</w:p></w:customXml>"
        "<w:p>" + runs.format("修订") + "<w:ins>" + runs.format("插入的文字") + "</w:ins>"
        "<w:del><w:r><w:delText>删除的文字</w:delText></w:r></w:del>"
        "<w:hyperlink>" + runs.format("链接文字") + "</w:hyperlink>"
        "<w:smartTag>" + runs.format("智能标记") + "</w:smartTag>"
        "<w:r><w:instrText>PAGE 域代码</w:instrText></w:r>" + runs.format("。") + "</w:p>"
        '<w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/'
        'markup-compatibility/2006"><mc:Choice Requires="wps"><w:drawing><w:txbxContent>'
        "<w:p>" + runs.format("文本框里的文字。") + "</w:p></w:txbxContent></w:drawing>"
        "</mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p>"
        + runs.format("文本框里的文字。")
        + "</w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        + runs.format("锚定段落。")
        + "</w:p>"
    )
    xml = part(base_docx()).replace("<w:body>", "<w:body>" + body, 1)
    lines = decode_bytes(rewrite(base_docx(), DOCUMENT, xml.encode()), "x.docx").text.split("\n")
    assert lines[:6] == [
        "内容控件里的段落。",
        "自定义标记里的段落。",
        "修订插入的文字链接文字智能标记。",
        "锚定段落。",
        "文本框里的文字。",
        SPEECH[0],
    ]


# ------------------------------------------------------------------ HTML


def test_html_scripts_comments_and_entity_definitions_never_reach_the_text():
    page = (
        "<!DOCTYPE html [<!ENTITY xxe SYSTEM 'file:///etc/passwd'><!ENTITY e '实体文字'>]>"
        "<html><head><title>讲话</title><script>document.write('脚本广告')</script>"
        "<style>p:after{content:'样式文字'}</style></head><body>"
        "<p onclick=\"alert('事件')\">在全县经济工作会议上的讲话</p>"
        "<p>同志们：</p><!-- 注释里的文字 -->"
        "<p>今天我们召开会议&#xFF0C;部署&lt;明年&gt;工作&amp;任务&xxe;&e;。</p>"
        "<p><a href=\"javascript:alert('链接脚本')\">{{ 7*7 }}{% debug %}</a></p>"
        "<svg><script>alert('矢量图脚本')</script></svg><noscript>请启用脚本</noscript>"
        "</body></html>"
    )
    parsed = parse_bytes(page.encode(), "page.html")
    text = "\n".join([t for speech in parsed.speeches for t in speech.texts()] + parsed.removed)
    for hidden in (
        "脚本广告",
        "样式文字",
        "事件",
        "注释里的文字",
        "链接脚本",
        "矢量图脚本",
        "请启用脚本",
        "实体文字",
    ):
        assert hidden not in text
    for line in passwd_lines():
        assert line not in text
    assert "今天我们召开会议，部署<明年>工作&任务&xxe" in text  # left as it was written
    assert "{{" not in text and "{%" not in text
