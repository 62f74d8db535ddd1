"""Markdown written to stall or break the build: every known pathological pattern, 100 KB of it, renders to sane
HTML, and a site whose summary is such a text builds well within CI's patience.

python-markdown took quadratic time on runs of `[` (75 s for the showcase with one 20,000-character summary,
1,594 s for one 100 KB field, rendered three times per build) while `check` passed the fiche in half a second.
The patterns are those of bench/markdown_patterns.py (which times them): python-markdown's slow cases and
CommonMark's known pathological inputs. Each is held to what a reader may get: only the sanitizer's elements
and attributes, every letter of the text still there (as text, or as a link's address), raw HTML as text. No
test here measures a duration: a regression to quadratic time makes the build test hit its timeout.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_shown import lost_letters, shown

from fichegen.render.markup import MarkdownRenderer

REPO = Path(__file__).resolve().parents[1]
SIZE = 100_000     # the most a text field holds


def _bench_patterns():
    spec = importlib.util.spec_from_file_location("markdown_patterns", REPO / "bench" / "markdown_patterns.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.patterns(SIZE)


PATTERNS = _bench_patterns()
#: Patterns made of reference definitions, which CommonMark shows nowhere (only the links that use them).
DEFINITIONS = {"reference definitions", "reference flood"}


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_a_pathological_text_renders_to_sane_html_with_nothing_lost(name):
    text = PATTERNS[name]
    assert len(text) <= SIZE
    renderer = MarkdownRenderer()
    out = str(renderer.html(text))
    seen = shown(out)
    assert not seen.problems(), (name, seen.problems()[:5])
    if name == "reference definitions":
        assert out == ""
    elif name == "reference flood":
        uses = text.split("\n\n", 1)[1]
        assert seen.tags["a"] == uses.count("[0]") + uses.count("[1]")
        assert {value for tag, attr, value in seen.attributes if attr == "href"} == {"/u0", "/u1"}
    else:
        assert not lost_letters(text, out), (name, lost_letters(text, out).most_common(5))
    if "<" in text:    # raw HTML openers: text on the page, never an element
        assert text.count("<") == seen.text.count("<") + sum(value.count("<") for _, _, value in seen.attributes)
    words = renderer.plain(text, 300)
    assert len(words) <= 300 and (words or name in DEFINITIONS or not any(c.isalnum() for c in text))


def test_lists_nested_hundreds_deep_are_shown_as_text_not_a_crash():
    """python-markdown recursed once per level: 400 levels (tab-indented, under the 100,000-character limit of a
    text) raised RecursionError and stopped the build. The text is shown escaped instead, nothing lost."""
    text = "".join("\t" * i + f"- item{i} <b>\n" for i in range(400))
    assert len(text) < 100_000
    out = str(MarkdownRenderer().html(text))
    assert "item0" in out and "item399" in out and "<b>" not in out and shown(out).tags == {"p": 1}


@pytest.mark.parametrize("opener", ["> ", "- ", "1. ", "* > ", ">"])
def test_nesting_as_deep_as_a_field_allows_is_shown_whole_and_escaped(opener):
    """50,000 levels of quotes or lists: nh3's HTML parser takes quadratic time over such depth (9 s at 50,000),
    so a text nested deeper than MAX_DEPTH is shown as the text it is."""
    text = (opener * (SIZE // len(opener)))[: SIZE - 6] + " words"
    out = str(MarkdownRenderer().html(text))
    assert shown(out).tags == {"p": 1} and out.endswith(" words</p>")
    assert not lost_letters(text, out)


def test_a_field_full_of_unclosed_tags_cannot_stall_the_build():
    """20,000 unclosed `<a ` took python-markdown's HTML block parser three minutes (quadratic)."""
    for text in ["<a " * 33000, '<div x="' * 12000, "<b " * 33000 + "\n\n" + "<i " * 33000]:
        out = str(MarkdownRenderer().html(text))
        assert shown(out).tags == {"p": shown(out).tags["p"]} and not lost_letters(text, out)


def _site(root: Path, summary: str) -> Path:
    (root / "content" / "projects").mkdir(parents=True)
    (root / "fichegen.toml").write_text('title = { en = "Hostile Markdown" }\nlanguages = ["en", "fr"]\nfallback = ["en", "fr"]\n'
                                        "build_date = 2024-06-01\n", encoding="utf-8")
    block = "".join("      " + line + "\n" for line in summary.split("\n"))
    (root / "content" / "projects" / "stall.yaml").write_text(
        "original_language: en\ntitle: {en: A project whose summary tries to stall the build}\n"
        f"summary:\n  en: |-\n{block}", encoding="utf-8")
    (root / "content" / "projects" / "plain.yaml").write_text(
        "original_language: en\ntitle: {en: An ordinary project}\nsummary: {en: It is *ordinary*.}\n", encoding="utf-8")
    return root


@pytest.mark.slow
@pytest.mark.parametrize("unit", ["[", "a\n=\n"], ids=["brackets", "setext-headings"])
def test_a_site_whose_summary_is_100_kb_of_a_quadratic_pattern_builds(tmp_path, unit):
    """The whole build (check, pages in two languages, cards, feeds, JSON-LD, data files, IATI) of a site whose
    summary is 100 KB of `[` or of `a\\n=\\n`: minutes of python-markdown per render, past CI's job limit;
    now a second or two. The timeout is the bound: a regression to quadratic time fails here."""
    summary = (unit * (SIZE // len(unit)))[:SIZE].strip("\n")
    root = _site(tmp_path / "site", summary)
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "fichegen.cli", "build", "--root", str(root), "--out", str(out),
                          "--no-search", "--quiet"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    page = (out / "en" / "projects" / "stall" / "index.html").read_text(encoding="utf-8")
    if unit == "[":
        assert page.count("[") >= SIZE
    else:
        assert page.count("<h3>a</h3>") == SIZE // len(unit)
    assert "It is <em>ordinary</em>." in (out / "fr" / "projects" / "plain" / "index.html").read_text(encoding="utf-8")
