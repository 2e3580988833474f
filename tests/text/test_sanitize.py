"""What is not text, as ingestion, the editor and the export all drop it."""

from speechdraft.text.sanitize import one_line, plain_text


def test_controls_bidi_marks_and_non_characters_are_dropped():
    raw = "讲话\x00稿\x07\x1b\x85\x9f\u202e\u202a\u2066\u2069\u200f\ufeff\ufffe\ud800完"
    assert plain_text(raw) == "讲话稿\n完"


def test_every_kind_of_line_break_becomes_one_newline():
    assert plain_text("一\r\n二\r三\u2028四\u2029五\x0b六\x0c七") == "一\n二\n三\n四\n五\n六\n七"


def test_tabs_and_joiners_are_text():
    assert plain_text("甲\t乙\u200d丙") == "甲\t乙\u200d丙"


def test_a_field_of_one_line_has_no_breaks_and_keeps_full_width_spaces():
    assert (
        one_line("  在全县\n\t经济工作会议上的讲话\u3000张三 \r\n")
        == "在全县 经济工作会议上的讲话\u3000张三"
    )
    assert one_line(None) == ""
