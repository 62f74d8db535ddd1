"""Markdown fields: python-markdown renders them; a text without any markup takes a shorter path to the
same HTML, which these tests hold to python-markdown's own output."""

from __future__ import annotations

from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fichegen.check import check
from fichegen.render import markup

REPO = Path(__file__).resolve().parents[1]

#: Letters of several scripts, digits, spaces (also no-break ones) and the punctuation of ordinary prose.
PROSE = st.text(st.sampled_from(list("aeiouxyzAÉßçñøłșžπжمה中 \u00a0\u202f0123456789.,;:!?'\"()-/%€$@+=^{}«»“”‘’¿¡…–—")),
                min_size=1, max_size=80)


def library(text: str) -> str:
    return markup._md.reset().convert(text)


@settings(max_examples=400, deadline=None)
@given(PROSE)
def test_a_text_without_markup_gets_exactly_what_python_markdown_makes_of_it(text):
    assume(markup._is_plain(text))
    assert markup._convert(text) == library(text)


@settings(max_examples=200, deadline=None)
@given(PROSE, st.sampled_from(["*", "_", "`", "[", "]", "<", ">", "&", "#", "|", "\\", "\n", "\t", "~", "  \n", "\n\n- "]),
       st.integers(min_value=0, max_value=80))
def test_any_markup_character_sends_the_text_to_python_markdown(text, mark, at):
    marked = text[:at] + mark + text[at:]
    assert not markup._is_plain(marked)


def test_lines_that_markdown_reads_as_blocks_are_not_plain():
    for text in ("- a list item", "+ item", "1. first", "2) second", "> a quote", "    code", "=== ", "--- rule",
                 " leading space", "trailing space "):
        assert not markup._is_plain(text), text


#: Blocks of the kinds fiches hold, and some that act across blocks in Markdown (lists continued after a
#: blank line, indented code, quotes, setext headings, tables, reference links and their definitions).
BLOCK = st.one_of(
    PROSE.map(lambda t: "W" + t.strip()),
    st.sampled_from([
        "## Main activities", "# Title", "### Sub", "Setext title\n============", "Another\n---",
        "- one\n- two", "* star item\n* second", "+ plus", "1. first\n2. second", "3) third",
        "- item\n\n    continued in the item", "    indented code", "> a quote\n> still", "> lazy\nquote",
        "***", "- - -", "A *stressed* word", "Some `code` here", "A [link](https://example.org) here",
        "A [reference][ref] link", "[ref]: https://example.org/ref", "Line with a break  \nafter it",
        "Hard-wrapped paragraph\nwith a second line", "| a | b |\n|---|---|\n| 1 | 2 |",
        "<span>inline html</span> text", "An &amp; entity", "Term: 45% of €1,000 (approx.)",
        "  two leading spaces", "trailing space ", "\\escaped \\* star", "2024 was a year",
    ]),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(BLOCK, min_size=1, max_size=8), st.sampled_from(["\n\n", "\n\n\n", "\n"]),
       st.sampled_from(["", "\n", "\n\n", " \n"]), st.sampled_from(["", "\n"]))
def test_documents_of_plain_and_marked_up_blocks_render_exactly_as_python_markdown_renders_them(blocks, gap, end, start):
    text = start + gap.join(blocks) + end
    assert markup._convert(text) == library(text)


def test_every_showcase_text_renders_exactly_as_python_markdown_renders_it():
    from fichegen.models import LocalizedText

    def texts(value):
        if isinstance(value, LocalizedText):
            yield from (t for _, t in value.items())
        elif isinstance(value, (list, tuple)):
            for item in value:
                yield from texts(item)
        elif hasattr(value, "__pydantic_fields__"):
            for name in value.__pydantic_fields__:
                yield from texts(getattr(value, name))

    graph = check(REPO).graph
    checked = 0
    for kind in graph.fiches.values():
        for fiche in kind.values():
            for text in texts(fiche):
                assert markup._convert(text) == library(text), text[:200]
                checked += 1
    assert checked > 400    # every localized text of every showcase fiche


def test_most_showcase_summaries_take_the_short_path_and_render_as_before():
    result = check(REPO)
    summaries = [text for fiche in result.graph.projects.values() if fiche.summary for _, text in fiche.summary.items()]
    plain = [text for text in summaries if markup._is_plain(text)]
    assert plain, "the showcase's summaries are ordinary prose"
    for text in summaries:
        assert markup._convert(text) == library(text)
