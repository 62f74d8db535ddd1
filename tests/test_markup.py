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


def test_most_showcase_summaries_take_the_short_path_and_render_as_before():
    result = check(REPO)
    summaries = [text for fiche in result.graph.projects.values() if fiche.summary for _, text in fiche.summary.items()]
    plain = [text for text in summaries if markup._is_plain(text)]
    assert plain, "the showcase's summaries are ordinary prose"
    for text in summaries:
        assert markup._convert(text) == library(text)
