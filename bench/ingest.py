"""Ingestion throughput vs plain jieba.lcut over the same text, measured side by side.

The pipeline (decode, clean, convert, re-join, structure, roles, slots, phrases, and the
keywords of every reusable paragraph) must cost at most 2x jieba's own segmentation time.
The baseline segments the speeches' cleaned simplified text (the conservative choice:
segmenting the raw pages, junk and traditional characters included, would be slower).

Run: .venv/bin/python bench/ingest.py [--rounds N]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import write_section  # noqa: E402
from speechdraft.text import segment  # noqa: E402
from speechdraft.text.pipeline import parse_bytes, reusable_paragraphs  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    started = time.perf_counter()
    segment.lcut("加载词典")
    load_s = time.perf_counter() - started

    files = sorted((ROOT / "fixtures" / "corpus").glob("*"))
    blobs = [(f.name, f.read_bytes()) for f in files if f.is_file()]
    texts = []
    for name, data in blobs:
        parsed = parse_bytes(data, name)
        for speech in parsed.speeches:
            units = reusable_paragraphs(speech)
            texts.append("\n".join([speech.title] + [u.text for u in units]))
    chars = sum(len(t) for t in texts)

    pipeline_times, jieba_times = [], []
    for _ in range(args.rounds):
        # Interleave the two so that machine noise hits both alike.
        t0 = time.perf_counter()
        for name, data in blobs:
            for speech in parse_bytes(data, name).speeches:
                reusable_paragraphs(speech)
        pipeline_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for text in texts:
            segment.lcut(text)
        jieba_times.append(time.perf_counter() - t0)

    p = statistics.median(pipeline_times)
    j = statistics.median(jieba_times)
    ratio = p / j
    body = f"""
Five sample documents ({len(texts)} speeches, {chars:,} characters of speech text),
median of {args.rounds} interleaved rounds in one process. Command: `.venv/bin/python bench/ingest.py`.

| what | time per round | characters / s |
| --- | ---: | ---: |
| whole pipeline (`parse_bytes` + `reusable_paragraphs` with keywords) | {p * 1000:.0f} ms | {chars / p:,.0f} |
| plain `jieba.lcut` over the cleaned text | {j * 1000:.0f} ms | {chars / j:,.0f} |

**Ratio pipeline / jieba: {ratio:.2f}×** (target ≤ 2×). jieba dictionary load, once per
process: {load_s:.2f} s.
"""
    print(body)
    write_section("Ingestion throughput", body)
    if ratio > 2:
        print(f"WARNING: ratio {ratio:.2f} is above the 2x target", file=sys.stderr)


if __name__ == "__main__":
    main()
