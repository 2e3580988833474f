"""Highlighting a result in linear time: a very long paragraph must not stall a search.

`highlight_spans` (speechdraft.text.search) on a paragraph of many matches, at 9,600 and
96,000 characters (a pasted report stored as one paragraph): CPU seconds, best of N rounds;
96,000 must take at most 15× the time of 9,600 (linear work gives 10×, quadratic 100×).
Before issue 17 one 96,000-character paragraph made an admin search take 20 s.

Run: .venv/bin/python bench/highlight_linear.py [--rounds N] [--no-write]
Exit status 1 when the ratio is above 15.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import write_section  # noqa: E402
from speechdraft.text.search import highlight_spans, parse_query  # noqa: E402

UNIT = "压实安全生产责任，{{ 地区 }}"  # 3 matches and a slot in every 16 characters
MAX_RATIO = 15.0


def best(text: str, rounds: int) -> float:
    query = parse_query("压实 安全 责任")
    times = []
    for _ in range(rounds):
        t = time.process_time()
        highlight_spans(text, query, ["主体责任"])
        times.append(time.process_time() - t)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    small = UNIT * (9_600 // len(UNIT))
    large = UNIT * (96_000 // len(UNIT))
    t_small, t_large = best(small, args.rounds), best(large, args.rounds)
    ratio = t_large / t_small if t_small else 0.0
    body = f"""
`highlight_spans` on one paragraph of {len(small):,} and {len(large):,} characters (three
matches and a slot every {len(UNIT)} characters), CPU time, best of {args.rounds}.
Command: `.venv/bin/python bench/highlight_linear.py`.

| characters | time |
| ---: | ---: |
| {len(small):,} | {t_small * 1000:.1f} ms |
| {len(large):,} | {t_large * 1000:.1f} ms |

Ratio {ratio:.1f}× for 10× the text (limit {MAX_RATIO:.0f}×; linear 10×, quadratic 100×).
"""
    print(body)
    if not args.no_write:
        write_section("Highlighting: linear in the paragraph", body)
    sys.exit(1 if ratio > MAX_RATIO else 0)


if __name__ == "__main__":
    main()
