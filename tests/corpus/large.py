"""A long but ordinary speech, made from the sample documents' own sentences."""

import random
import re
from pathlib import Path

from speechdraft.text.numbering import chinese_numeral

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"


def long_speech(chars: int, *, seed: int = 14) -> str:
    """About `chars` characters: numbered parts and sub-parts of paragraphs, each paragraph a
    different draw of six sample sentences (repeated lines would be dropped as page chrome)."""
    rng = random.Random(seed)
    sentences = []
    for path in sorted(CORPUS.glob("*.txt")):
        sentences += re.findall(r"[^。！？\n]{12,}[。！？]", path.read_text(encoding="utf-8"))
    lines = ["在全市重点工作推进会议上的讲话", "同志们：", "今天召开这次会议，主要是部署重点工作。"]
    size = part = 0
    while size < chars:
        part += 1
        lines.append(f"{chinese_numeral(part)}、要把第{chinese_numeral(part)}项重点工作抓实抓好")
        for sub in range(1, 9):
            lines.append(f"（{chinese_numeral(sub)}）要在第{chinese_numeral(sub)}个方面下功夫。")
            for _ in range(4):
                paragraph = "".join(rng.sample(sentences, 6))
                lines.append(paragraph)
                size += len(paragraph)
    lines.append("同志们，让我们团结一心，为全面完成今年目标任务而努力奋斗！")
    return "\n".join(lines)
