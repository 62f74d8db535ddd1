"""What `fichegen build` tells people: a single summary line off a terminal (CI logs), nothing with --quiet,
a progress display on a terminal, and errors always."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

SUMMARY = re.compile(r"^Built (?P<out>.+): (?P<pages>\d+) pages \((?P<langs>[^)]*)\), (?P<data>\d+) data files, "
                     r"(?P<warnings>\d+) warnings?, in (?P<seconds>\d+\.\d\d)s \((?P<steps>[^)]*)\)\."
                     r"(?P<updated> Updated \d+ changed files only\.)?"
                     r" Site size (?P<size>[\d.,]+ \w+): (?P<share>\S+) of its budget of (?P<budget>[\d.,]+ \w+) \(max_site_bytes\)\.$")


def build(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`fichegen build` as CI runs it: stdout and stderr are pipes, not a terminal."""
    return subprocess.run([sys.executable, "-m", "fichegen.cli", "build", "--root", str(root), "--no-search", *args],
                          capture_output=True, text=True, timeout=120)


def test_off_a_terminal_build_prints_one_summary_line_and_nothing_else(project_copy, tmp_path):
    """No progress bar, no escape codes in CI logs: just the summary, whose figures match what was written."""
    root = project_copy("serve")
    out = tmp_path / "site"
    done = build(root, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, lines
    assert "\x1b" not in done.stderr
    m = SUMMARY.match(lines[0])
    assert m, lines[0]
    assert Path(m["out"]) == out
    html_pages = sum(1 for p in (out / "en").rglob("*.html"))
    assert m["langs"] == f"en {html_pages}" and int(m["pages"]) == html_pages
    assert int(m["data"]) == sum(1 for p in (out / "data").rglob("*") if p.is_file())
    assert m["warnings"] == "0"
    assert float(m["seconds"]) > 0 and "render" in m["steps"]
    assert m["share"] == "<0.1%" and m["budget"] == "8.0 GB"


def test_summary_names_every_language_and_the_warnings(project_copy, tmp_path):
    root = project_copy("translations")
    river = root / "content/projects/river.yaml"
    river.write_text(river.read_text(encoding="utf-8") + "related_projects:\n  - {relation: follows, project: old-river}\n",
                     encoding="utf-8")
    done = build(root, "--out", str(tmp_path / "site"))
    assert done.returncode == 0, done.stderr
    m = SUMMARY.match(done.stderr.splitlines()[-1])
    assert m, done.stderr
    per_language = dict(item.split(" ") for item in m["langs"].split(", "))
    assert sorted(per_language) == ["en", "es", "fr"]
    assert sum(map(int, per_language.values())) == int(m["pages"])
    assert m["warnings"] == "1"
    assert "content/projects/river.yaml" in done.stdout and "unlinked-project" in done.stdout, "the warning itself is shown too"


def test_quiet_prints_nothing_at_all_when_the_build_succeeds(project_copy, tmp_path):
    root = project_copy("translations")
    river = root / "content/projects/river.yaml"
    river.write_text(river.read_text(encoding="utf-8") + "related_projects:\n  - {relation: follows, project: old-river}\n",
                     encoding="utf-8")
    done = build(root, "--out", str(tmp_path / "site"), "--quiet")
    assert done.returncode == 0
    assert (done.stdout, done.stderr) == ("", ""), "not even the warning: --quiet prints nothing but errors"
    assert (tmp_path / "site" / "en" / "index.html").is_file()


def test_errors_are_printed_even_with_quiet(project_copy, tmp_path):
    root = project_copy("serve")
    project = root / "content/projects/harbour.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace("start_date: 2022-01", "start_date: 2022-13"), encoding="utf-8")
    done = build(root, "--out", str(tmp_path / "site"), "--quiet")
    assert done.returncode == 1
    assert "content/projects/harbour.yaml:5:" in done.stderr and "nothing was written" in done.stderr
    assert not (tmp_path / "site").exists()


def test_on_a_terminal_build_shows_progress_then_the_summary(project_copy, tmp_path):
    """A person at a terminal sees the rendering progress while it runs (rich), and the summary at the end."""
    root = project_copy("translations")
    main, child = pty.openpty()
    env = dict(os.environ, COLUMNS="120", TERM="xterm-256color")
    env.pop("NO_COLOR", None)
    process = subprocess.Popen([sys.executable, "-m", "fichegen.cli", "build", "--root", str(root), "--no-search",
                                "--out", str(tmp_path / "site")], stdin=child, stdout=child, stderr=child, env=env)
    os.close(child)
    received = b""
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(main, 65536)
                except OSError:   # the child closed the terminal
                    break
                if not chunk:
                    break
                received += chunk
            elif process.poll() is not None:
                break
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(main)
    text = received.decode("utf-8", "replace")
    assert "Rendering pages" in text, text[:500]
    assert "\x1b[" in text, "a live display, drawn with terminal escape codes"
    assert re.search(r"Built .+: \d+ pages \(en \d+, es \d+, fr \d+\)", text)
