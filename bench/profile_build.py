#!/usr/bin/env python3
"""Profile one fichegen build (or check) in-process with pyinstrument and summarise where time goes.

Usage:  .venv/bin/python bench/profile_build.py CORPUS [--check | --rebuild-one] [--search] [--out WORK/profile-N] [--py-spy]

CORPUS is a project made by bench/gen_corpus.py. Writes OUT/profile.html (pyinstrument's
interactive tree), OUT/profile.txt (the text tree) and OUT/summary.txt, and prints the summary:
the build's own step timings, then the functions with the most time, inclusive (time under the
function, each call counted once even when recursive) and exclusive (time in the function itself),
restricted to fichegen's code, and library code grouped by package.

pyinstrument hooks every call, which slows call-heavy code (Jinja macros, small view functions) more
than the rest (a build took 2.3 times as long under it). --py-spy instead samples an unmodified
`fichegen build` process from outside (py-spy record, 100 Hz) and gives the same summary from its
stacks: closer shares, no HTML tree. --rebuild-one profiles an incremental build after one project's English title
was edited (the build before it, with the cache, is not profiled; the edit is undone afterwards).
"""
from __future__ import annotations

import argparse
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from pyinstrument import Profiler


def walk(frame, ancestors=frozenset(), parent=None):
    """Every real frame with the keys of its ancestors, and the self time pyinstrument keeps in
    synthetic '[self]' children added to it."""
    key = (frame.file_path, frame.function)
    own = sum(c.time for c in frame.children if c.is_synthetic)
    yield frame, key, ancestors, own
    for child in frame.children:
        if not child.is_synthetic:
            yield from walk(child, ancestors | {key}, frame)


def package_of(path: str | None) -> str:
    if not path:
        return "?"
    p = path.replace("\\", "/")
    if "/site-packages/" in p:
        return p.split("/site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if "/fichegen/" in p:
        return "fichegen." + p.split("/fichegen/", 1)[1].removesuffix(".py").replace("/", ".")
    if "/lib/python3" in p:
        return "stdlib:" + p.split("/lib/python3", 1)[1].split("/", 2)[-1].split("/", 1)[0].removesuffix(".py")
    return p.rsplit("/", 1)[-1]


def summarise(root, total: float, top: int = 25) -> str:
    inclusive: dict[tuple, float] = defaultdict(float)
    exclusive: dict[tuple, float] = defaultdict(float)
    by_package: dict[str, float] = defaultdict(float)
    for frame, key, ancestors, own in walk(root):
        if key not in ancestors:          # count a recursive function once
            inclusive[key] += frame.time
        exclusive[key] += own
        by_package[package_of(frame.file_path)] += own

    def name(key):
        path, function = key
        return f"{package_of(path)}:{function}"

    def named(times: dict[tuple, float]) -> dict[str, float]:
        out: dict[str, float] = defaultdict(float)
        for key, t in times.items():
            out[name(key)] += t
        return out

    ours = named({k: v for k, v in inclusive.items() if k[0] and "/fichegen/" in k[0]})
    return report(f"profiled wall time: {total:.2f}s", "fichegen functions, inclusive time (share of the run):",
                  ours, named(exclusive), by_package, total, top)


def report(title: str, heading: str, ours: dict[str, float], exclusive: dict[str, float], by_package: dict[str, float],
           total: float, top: int) -> str:
    """The summary's three rankings (seconds and share of `total`), whichever profiler gave the figures."""
    lines = [title, "", heading]
    for rows, header in ((ours, None), (exclusive, "all functions, exclusive (self) time:"),
                         (by_package, "self time by package or module:")):
        if header:
            lines += ["", header]
        for label, t in sorted(rows.items(), key=lambda kv: -kv[1])[:top]:
            lines.append(f"  {t:8.2f}s {100 * t / total:5.1f}%  {label}")
    return "\n".join(lines) + "\n"


def summarise_stacks(raw: Path, rate: int, top: int = 25) -> str:
    """The same summary from py-spy's raw (collapsed) stacks: 'frame;frame;frame count' per line."""
    inclusive: dict[str, int] = defaultdict(int)
    exclusive: dict[str, int] = defaultdict(int)
    by_package: dict[str, int] = defaultdict(int)
    total = 0
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        names = []
        for frame in stack.split(";"):
            # "function (path/to/file.py:123)" -> "package:function"
            function, _, where = frame.partition(" (")
            names.append(f"{package_of(where.rsplit(':', 1)[0].rstrip(')'))}:{function}")
        for name in set(names):
            inclusive[name] += n
        exclusive[names[-1]] += n
        by_package[names[-1].split(":", 1)[0]] += n
    seconds = {name: n / rate for name, n in inclusive.items() if name.startswith("fichegen")}
    return report(f"sampled time: {total / rate:.2f}s ({total} samples at {rate} Hz)", "fichegen functions, inclusive time:",
                  seconds, {k: n / rate for k, n in exclusive.items()}, {k: n / rate for k, n in by_package.items()},
                  total / rate, top)


def py_spy(args, out: Path) -> None:
    import subprocess
    import sys
    rate = 100
    raw = out / "py-spy.raw"
    with tempfile.TemporaryDirectory(prefix="fichegen-profile-") as tmp:
        command = [sys.executable, "-m", "fichegen.cli"] + (
            ["check", "--root", str(args.corpus)] if args.check else
            ["build", "--root", str(args.corpus), "--out", str(Path(tmp) / "site")] + ([] if args.search else ["--no-search"]))
        spy = Path(sys.executable).parent / "py-spy"
        subprocess.run([str(spy), "record", "-r", str(rate), "-f", "raw", "--full-filenames", "-o", str(raw), "--"] + command, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    text = f"py-spy on: {' '.join(command)}\n\n" + summarise_stacks(raw, rate)
    (out / "summary-py-spy.txt").write_text(text, encoding="utf-8")
    print(text)
    print(f"reports: {raw}, {out}/summary-py-spy.txt")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--check", action="store_true", help="profile `check` only")
    ap.add_argument("--rebuild-one", dest="rebuild_one", action="store_true",
                    help="profile the incremental build after one title edit (cache kept in CORPUS/.fichegen-cache)")
    ap.add_argument("--search", action="store_true", help="include the search index")
    ap.add_argument("--out", type=Path, help="where the reports go (default: bench/work/profile-<corpus name>)")
    ap.add_argument("--interval", type=float, default=0.002, help="sampling interval in seconds")
    ap.add_argument("--py-spy", dest="py_spy", action="store_true", help="sample a separate build process with py-spy instead")
    args = ap.parse_args()
    suffix = "-check" if args.check else "-rebuild-one" if args.rebuild_one else ""
    out = args.out or Path(__file__).resolve().parent / "work" / f"profile-{args.corpus.name}{suffix}"
    out.mkdir(parents=True, exist_ok=True)
    if args.py_spy:
        return py_spy(args, out)

    import fichegen
    from fichegen.build import build
    from fichegen.check import check

    profiler = Profiler(interval=args.interval)
    with tempfile.TemporaryDirectory(prefix="fichegen-profile-") as tmp:
        edited = original = None
        if args.rebuild_one:
            cache = args.corpus / ".fichegen-cache"
            build(args.corpus, Path(tmp) / "site", search=args.search, cache_dir=cache)
            edited = sorted((args.corpus / "content" / "projects").glob("*.yaml"))[0]
            original = edited.read_bytes()
            text = original.decode("utf-8")
            at = text.index("title:\n  en: ") + len("title:\n  en: ")
            edited.write_bytes((text[:at] + ("'Edited " + text[at + 1:] if text[at] == "'" else "Edited " + text[at:])).encode("utf-8"))
        started = time.perf_counter()
        profiler.start()
        try:
            if args.check:
                result, steps = check(args.corpus), {}
            elif args.rebuild_one:
                result = build(args.corpus, Path(tmp) / "site", search=args.search, cache_dir=args.corpus / ".fichegen-cache")
                steps = {**result.steps, "files written": len(result.written), "incremental": result.incremental}
            else:
                result = build(args.corpus, Path(tmp) / "site", search=args.search)
                steps = result.steps
        finally:
            profiler.stop()
            total = time.perf_counter() - started
            if edited is not None:
                edited.write_bytes(original)
    session = profiler.last_session
    (out / "profile.html").write_text(profiler.output_html(), encoding="utf-8")
    (out / "profile.txt").write_text(profiler.output_text(unicode=True, color=False, show_all=False), encoding="utf-8")
    head = [f"fichegen from {list(fichegen.__path__)[0]}", f"corpus {args.corpus}",
            "steps: " + ", ".join(f"{k} {v:.2f}s" if isinstance(v, float) else f"{k} {v}" for k, v in steps.items())]
    text = "\n".join(head) + "\n\n" + summarise(session.root_frame(), total)
    (out / "summary.txt").write_text(text, encoding="utf-8")
    print(text)
    print(f"reports: {out}/profile.html, profile.txt, summary.txt")


if __name__ == "__main__":
    main()
