"""The table-of-contents leader is stripped from a text's tail exactly as the regex does it."""

from hypothesis import given, settings
from hypothesis import strategies as st

from speechdraft.text.clean import _TOC_LEADER_RE, _strip_toc_leader

ALPHABET = "讲话一二》”）a.…·-—  \u3000\t\n0123456789１٣"


@settings(max_examples=1000)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_same_as_the_regex_on_any_text(text):
    assert _strip_toc_leader(text) == _TOC_LEADER_RE.sub("", text)


def test_examples():
    for text in [
        "一、统一思想……………3",
        "二、狠抓落实 12",
        "在全县大会上的讲话12",
        "要紧盯重点领域，扎实开展隐患排查。",
        "......",
        "第三部分--- 7\n",
        "",
    ]:
        assert _strip_toc_leader(text) == _TOC_LEADER_RE.sub("", text), text
