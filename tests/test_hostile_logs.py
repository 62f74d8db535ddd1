"""What a pull request writes into CI's logs, annotations and job summary is shown, never obeyed.

- Control and bidirectional characters (the right-to-left override U+202E makes a name ending in `lmth.yaml` read as one ending in `.html`, an ESC
  starts an ANSI sequence that rewrites the screen) in file names, keys and values are printed as escapes such
  as `\\u202e` by every terminal and CI output: `check` and `build` in the text, github and json formats, and
  `serve`'s console.
- GitHub annotations (`--format github`) escape per the workflow-command rules, so no value can end the
  annotation or start a second command.
- The job summary (`check --summary`, `$GITHUB_STEP_SUMMARY`) escapes Markdown and HTML in every cell (fiche keys
  used to render there as links and images) and stays under GitHub's 1 MiB, saying how much was left out (it
  grew to 42 MB).
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from markdown_it import MarkdownIt

from fichegen.diagnostics import SUMMARY_LIMIT, Diagnostic, format_github, format_markdown

from test_hostile_files import FICHEGEN, VALID, make_project

#: What must never reach a terminal raw: C0 controls but line feed, DEL, C1 controls, the bidirectional
#: controls and marks.
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
RLO, LRI, PDI, ALM = "\u202e", "\u2066", "\u2069", "\u061c"


def bidi_project(root: Path) -> Path:
    """A file name, a key and a value with bidirectional controls, and an ANSI escape in a key."""
    return make_project(root, {
        f"content/projects/invoice{RLO}lmth.yaml": VALID,
        "content/projects/keys.yaml": VALID + f'"note{RLO}x": 1\n"k\\e[2J{LRI}": 2\nstart_date: "20{RLO}10{PDI}{ALM}"\n',
    })


def test_bidirectional_and_control_characters_are_escaped_in_every_output_of_check_and_build(tmp_path):
    root = bidi_project(tmp_path / "p")
    shown = 0
    for command in (["check"], ["build", "--out", str(tmp_path / "site"), "--no-search"]):
        for fmt in ("text", "github", "json"):
            run = subprocess.run(FICHEGEN + command + ["--root", str(root), "--format", fmt], capture_output=True, timeout=120)
            assert run.returncode == 1, run.stderr
            out = (run.stdout + run.stderr).decode("utf-8")
            assert not RAW.search(out), f"{command[0]} --format {fmt}: {RAW.search(out)[0]!r} printed raw"
            assert "\\u202e" in out and "\\u2066" in out and ("\\x1b" in out or "\\u001b" in out), f"{command[0]} --format {fmt}"
            shown += out.count("\\u202e")
            if fmt == "json":
                found = json.loads(run.stdout if command[0] == "check" else run.stderr.split(b"\nBuild stopped")[0])
                assert any(RLO in d["message"] for d in found), "JSON escapes read back as the very characters"
    print(f"\n{shown} right-to-left overrides shown as \\u202e by check and build in 3 formats")


def test_serve_prints_problems_escaped_on_its_console(tmp_path):
    root = bidi_project(tmp_path / "p")
    process = subprocess.Popen(FICHEGEN + ["serve", "--root", str(root), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines: list[bytes] = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if line.startswith(b"Serving"):     # printed once the first build is done
                break
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=20)
        lines.append(rest)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    console = b"".join(lines).decode("utf-8")
    assert "problems, shown in the browser" in console and "is not a date" in console, console
    assert not RAW.search(console), repr(RAW.search(console)[0])
    assert "20\\u202e10\\u2069\\u061c" in console and "note\\u202ex" in console and "\\x1b" in console


# --- GitHub annotations ------------------------------------------------------------------------------

def parse_workflow_command(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command as the Actions runner reads it: ::name key=value,key=value::message, unescaped."""
    def unescape(s: str, properties: bool) -> str:
        s = s.replace("%0D", "\r").replace("%0A", "\n")
        if properties:
            s = s.replace("%3A", ":").replace("%2C", ",")
        return s.replace("%25", "%")
    assert line.startswith("::")
    head, message = line[2:].split("::", 1)
    name, _, props = head.partition(" ")
    properties = dict(p.split("=", 1) for p in props.split(",")) if props else {}
    return name, {k: unescape(v, True) for k, v in properties.items()}, unescape(message, False)


def test_an_annotation_carries_any_path_and_message_whole_and_starts_no_second_command():
    path = "content/projects/a,b:c%d,line=9,title=x::error.yaml"
    message = "first line\n::warning file=x::injected\r\n%0A stays as written; 100% sure"
    hint = "::set-output name=x::y"
    out = format_github([Diagnostic(path, 3, 7, "unknown-key", message, hint)])
    assert out.count("\n") == 0 and out.startswith("::error ")
    name, properties, text = parse_workflow_command(out)
    assert name == "error"
    assert properties == {"file": path, "line": "3", "col": "7", "title": "Unknown key [unknown-key]"}
    assert text == message + "\nHint: " + hint


# --- the job summary ---------------------------------------------------------------------------------

ATTACKS = ["![pixel](https://evil.example/t.png)", "[click](javascript:alert(1))", "<img src=x onerror=alert(1)>",
           "<script>alert(1)</script>", "| a | b |", "@maintainer", "#1", ":+1:", "**bold** _it_ `code`",
           "https://evil.example/autolink", "&lt;entity&gt;", "\\| escaped pipe"]


def test_the_job_summary_shows_every_key_as_text(tmp_path):
    """Fiche keys rendered as links and images in the job summary; rendered here by a CommonMark parser with GFM
    tables, each cell is exactly its text: no link, image or HTML, and the table keeps its rows and columns."""
    keys = "".join("'" + attack.replace("'", "''") + "': 1\n" for attack in ATTACKS)
    root = make_project(tmp_path / "p", {"content/projects/keys.yaml": VALID + keys})
    summary = tmp_path / "summary.md"
    run = subprocess.run(FICHEGEN + ["check", "--root", str(root), "--format", "github", "--summary", str(summary)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    markdown = summary.read_text(encoding="utf-8")
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    for tag in ("<a ", "<img", "<script", "<em>", "<strong>", "<code>"):
        assert tag not in html, tag
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    assert len(rows) == 1 + len(ATTACKS)
    assert all(len(re.findall(r"<t[dh]>", row)) == 7 for row in rows)
    for attack in ATTACKS:
        assert f"'{attack}' is not a field of a project".replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;") in html
    # and for renderers with more extensions (GFM autolinks, emoji, mentions): no ASCII punctuation of a cell is bare
    for line in markdown.splitlines()[4:]:
        for cell in line.strip("|").split(" | ")[5:]:
            assert not re.search(r"(?<!\\)[!-/:-@\[\]^_`{}~]", re.sub(r"\\.", "", cell.strip()))


def test_the_job_summary_stays_under_one_mebibyte_and_counts_what_it_leaves_out(tmp_path):
    """Thousands of unknown keys in one fiche made a summary of tens of megabytes; GitHub keeps 1 MiB per step."""
    keys = "".join(f'"![k{i:05d}](https://evil.example/{"x" * 150}.png)": 1\n' for i in range(5_000))
    root = make_project(tmp_path / "p", {"content/projects/keys.yaml": VALID + keys})
    summary = tmp_path / "summary.md"
    summary.write_text("## Earlier in this step\n\n" + "x" * 300_000 + "\n", encoding="utf-8")
    run = subprocess.run(FICHEGEN + ["check", "--root", str(root), "--format", "github"], capture_output=True, text=True,
                         timeout=300, env={"PATH": "/usr/bin:/bin", "GITHUB_STEP_SUMMARY": str(summary)})
    assert run.returncode == 1
    size = summary.stat().st_size
    assert SUMMARY_LIMIT - 4096 < size <= SUMMARY_LIMIT, size
    text = summary.read_text(encoding="utf-8")
    rows = sum(1 for line in text.splitlines() if line.startswith("| content\\/projects"))
    left = int(re.search(r"\*([\d,]+) more problems not shown", text)[1].replace(",", ""))
    assert rows + left == 5_000
    print(f"\njob summary: {size:,} bytes of GitHub's {SUMMARY_LIMIT:,} (300,000 written before), "
          f"{rows:,} problems shown, {left:,} counted as left out")


def test_a_runaway_message_is_cut_in_its_cell():
    d = Diagnostic("content/projects/p.yaml", 1, 1, "unknown-key", "x" * 100_000, "y")
    table = format_markdown([d])
    assert len(table) < 2_000 and "…" in table
