#!/usr/bin/env python3
"""Markdown that tries to stall the build: 100 KB of each known pathological pattern, rendered by fichegen.

Usage:  .venv/bin/python bench/markdown_patterns.py [--size 100000] [--limit 0.5] [--repeat 3]

Each text (a fiche field holds at most 100,000 characters) goes through fichegen's real render function
(render/markup.py: parse, write the HTML, sanitize, and the plain words), cold: a new renderer each time,
so nothing comes from a cache. The patterns are the ones that made python-markdown quadratic (issue 11:
runs of `[`, `[a`, `[a](`, `![`, `a\\n=\\n`, `<a `) and CommonMark's known pathological inputs (the
pathological tests of cmark and markdown-it: nested brackets and emphasis, delimiter runs, deep lists
and quotes, backtick runs of growing length, link chains, reference floods, entities, raw-HTML openers,
tables). Prints, per pattern, the input and output sizes, the best time of --repeat runs (CPU time of
this process, which other work on the machine disturbs least; wall time beside it), and exits 1 when
any is over --limit seconds: a quadratic pattern takes minutes at this size, a linear one milliseconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from fichegen.render.markup import MarkdownRenderer  # noqa: E402


def repeated(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def growing(piece: Callable[[int], str], size: int) -> str:
    """piece(1) + piece(2) + … up to `size` characters (runs of growing length)."""
    parts, total, k = [], 0, 1
    while total < size:
        parts.append(piece(k))
        total += len(parts[-1])
        k += 1
    return "".join(parts)[:size]


def patterns(size: int) -> dict[str, str]:
    """Name → a text of `size` characters."""
    half = size // 2
    units = {
        # python-markdown's quadratic cases (issue 11)
        "[": "[", "[a": "[a", "[a](": "[a](", "![": "![", "a\\n=\\n": "a\n=\n", "<a ": "<a ",
        # CommonMark's pathological inputs
        "emphasis *a**a***": None, "*a_ mismatched": "*a_ ", "_a openers": "_a ", "a_ closers": "a_ ",
        "a** b* multiple of 3": "a**b c* ", "***a": "***a", "[ a_ link and emphasis": "[ a_", "**x [ hard": "**x [",
        "a] link closers": "a]", "[ (]( links": "[ (](", "[a](b unclosed": "[a](b", "[a](<b unclosed": "[a](<b",
        "link chain [a](b)": "[a](b)", "reference definitions": "[a]: /u\n", "entities &amp;": "&amp;",
        "numeric entities &#": "&#65;", "& alone": "& ", "<": "<", "</": "</", "<!--": "<!--", "<?": "<?",
        "<![CDATA[": "<![CDATA[", "<!A declaration": "<!A ", "<a: autolink": "<a:", "backslashes": "\\",
        "- - - list markers": "- ", "1. ordered markers": "1. ", "> > > quotes": "> ", "> - quote and list": "> - ",
        "table rows": None, "table columns": None, "|": "|", "~~~ fences": "~~~\n", "` alone": "`", "#": "#",
        "tabs - \\t": "- \t",
    }
    out = {name: repeated(unit, size) for name, unit in units.items() if unit is not None}
    out["emphasis *a**a***"] = growing(lambda k: "*" * k + "a", size)
    out["nested brackets [[[a]]]"] = "[" * half + "a" + "]" * (size - half - 1)
    out["nested emphasis ***a***"] = "*" * half + "a" + "*" * (size - half - 1)
    out["backtick runs growing"] = growing(lambda k: "e" + "`" * k, size)
    out["nested list by indent"] = growing(lambda k: "  " * k + "- a\n", size)
    out["nested quotes >>> a"] = growing(lambda k: ">" * k + " a\n", size)
    out["deep list - - - text"] = repeated("- ", size - 4) + "text"
    out["deep quote > > > text"] = repeated("> ", size - 4) + "text"
    out["reference flood"] = (("".join(f"[{i}]: /u{i}\n" for i in range(size // 8)))[:half].rsplit("\n", 1)[0]
                              + "\n\n" + repeated("[0] [1] ", size - half))
    out["table rows"] = "a|b\n-|-\n" + repeated("c|d\n", size - 8)
    out["table columns"] = "|" + "a|" * (size // 8) + "\n|" + "-|" * (size // 8) + "\n" + repeated("b\n", size // 2)
    out["table columns"] = out["table columns"][:size]
    return out


def measure(text: str, repeat: int) -> tuple[float, float, int]:
    """Best CPU and wall time of `repeat` cold renders (HTML and plain words), and the HTML's size."""
    best_cpu = best_wall = float("inf")
    size = 0
    for _ in range(repeat):
        renderer = MarkdownRenderer()
        wall, cpu = time.perf_counter(), time.process_time()
        html = renderer.html(text)
        renderer.plain(text, 300)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
        size = len(html)
    return best_cpu, best_wall, size


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=100_000, help="characters per text (a field holds at most 100,000)")
    ap.add_argument("--limit", type=float, default=0.5, help="seconds a text may take at most")
    ap.add_argument("--repeat", type=int, default=3, help="runs per pattern; the best counts")
    args = ap.parse_args()

    texts = patterns(args.size)
    print(f"{len(texts)} patterns of {args.size:,} characters, through fichegen.render.markup.MarkdownRenderer "
          f"(best of {args.repeat}, cold); limit {args.limit} s")
    print(f"  {'pattern':<28} {'input':>9} {'HTML out':>10} {'cpu s':>8} {'wall s':>8}")
    over, slowest = [], ("", 0.0)
    for name, text in texts.items():
        cpu, wall, size = measure(text, args.repeat)
        flag = "  OVER" if cpu > args.limit else ""
        print(f"  {name:<28} {len(text):>9,} {size:>10,} {cpu:>8.3f} {wall:>8.3f}{flag}", flush=True)
        if cpu > args.limit:
            over.append(name)
        if cpu > slowest[1]:
            slowest = (name, cpu)
    total = sum(len(t) for t in texts.values())
    print(f"slowest: {slowest[0]} {slowest[1]:.3f} s; {len(texts)} patterns, {total:,} characters in all")
    if over:
        print(f"over {args.limit} s: {', '.join(over)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
