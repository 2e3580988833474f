"""GB/T 9704-2012 7.5: page numbers are 4号半角宋体阿拉伯数字, the digits in 宋体 too."""

from __future__ import annotations

import pytest

from speechdraft.ooxml.model import FontSettings
from speechdraft.ooxml.render import render_docx
from tests.ooxml.test_docx import SPEECH, Package, w


@pytest.mark.parametrize("fonts", [FontSettings(), FontSettings.system()])
@pytest.mark.parametrize("profile", ["gongwen", "large"])
def test_page_number_digits_are_in_songti(profile, fonts):
    package = Package(render_docx(SPEECH, profile=profile, fonts=fonts))
    for kind in ("default", "even"):
        paragraph = package.footer(kind).find(w("p"))
        runs = list(paragraph.iter(w("r")))
        assert runs
        for run in runs:
            for attr in ("ascii", "hAnsi", "eastAsia"):
                assert package.run_property(paragraph, run, "rFonts", attr) == "宋体", (kind, attr)
