"""Markdown fields: CommonMark with tables, parsed by pulldown-cmark, written as HTML by render/markup.py and
sanitized by nh3; each text rendered once per build."""

from __future__ import annotations

from pathlib import Path

from markdown_shown import LINK_REL, lost_letters, shown

from fichegen.check import check
from fichegen.models import LocalizedText
from fichegen.render.markup import MAX_DEPTH, MarkdownRenderer
from fichegen.render.pages import SiteRenderer
from fichegen.overrides import Theme

REPO = Path(__file__).resolve().parents[1]


def html(text: str) -> str:
    return str(MarkdownRenderer().html(text))


def test_paragraphs_emphasis_code_and_line_breaks():
    assert html("One *two* **three** `four <5>`.\nSame paragraph.  \nAfter a break.\n\nSecond.") == (
        "<p>One <em>two</em> <strong>three</strong> <code>four &lt;5&gt;</code>.\nSame paragraph.<br>\nAfter a break.</p>\n"
        "<p>Second.</p>")


def test_headings_sit_under_the_pages_own_h2_sections():
    assert html("# One\n\n## Two\n\n### Three\n\nSetext\n======\n\n#### Four") == (
        "<h3>One</h3>\n<h4>Two</h4>\n<h3>Three</h3>\n<h3>Setext</h3>\n<h4>Four</h4>")


def test_lists_keep_their_numbers():
    assert html("- a\n- b\n\n3. three\n4. four\n\n1) one\n\nA paragraph.\n\n2) two, after a paragraph") == (
        "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<ol start=\"3\">\n<li>three</li>\n<li>four</li>\n</ol>\n"
        "<ol>\n<li>one</li>\n</ol>\n<p>A paragraph.</p>\n<ol start=\"2\">\n<li>two, after a paragraph</li>\n</ol>")
    loose = html("1. first\n\n   still the first\n2. second")
    assert loose == ("<ol>\n<li>\n<p>first</p>\n<p>still the first</p>\n</li>\n<li>\n<p>second</p>\n</li>\n</ol>")


def test_nested_lists_and_quotes():
    assert html("> quoted\n>\n> - item\n>   - nested") == (
        "<blockquote>\n<p>quoted</p>\n<ul>\n<li>item\n<ul>\n<li>nested</li>\n</ul>\n</li>\n</ul>\n</blockquote>")


def test_links_get_rel_and_only_web_and_mail_addresses():
    out = html('[site](https://example.org "Title") [rel](/page) <mailto:x@example.org> <x@example.org> '
               "[bad](javascript:alert(1)) [ref]\n\n[ref]: https://example.org/ref")
    assert out == (f'<p><a href="https://example.org" title="Title" rel="{LINK_REL}">site</a> '
                   f'<a href="/page" rel="{LINK_REL}">rel</a> '
                   f'<a href="mailto:x@example.org" rel="{LINK_REL}">mailto:x@example.org</a> '
                   f'<a href="mailto:x@example.org" rel="{LINK_REL}">x@example.org</a> '
                   f'<a rel="{LINK_REL}">bad</a> <a href="https://example.org/ref" rel="{LINK_REL}">ref</a></p>')


def test_tables():
    assert html("| Year | Budget |\n|:-----|-------:|\n| 2021 | €1,000 |\n| 2022 |") == (
        "<table>\n<thead><tr><th>Year</th>\n<th>Budget</th>\n</tr></thead><tbody>\n"
        "<tr><td>2021</td>\n<td>€1,000</td>\n</tr>\n<tr><td>2022</td>\n<td></td>\n</tr>\n</tbody></table>")


def test_code_blocks_and_rules():
    assert html("    indented <code>\n\n```python\nfenced\n```\n\n---") == (
        "<pre><code>indented &lt;code&gt;\n</code></pre>\n<pre><code>fenced\n</code></pre>\n<hr>")


def test_raw_html_is_shown_as_the_text_it_is():
    """Inline and block HTML, comments, even harmless tags: text on the page, never elements."""
    text = '<b>bold?</b> <img src=x onerror="alert(1)"> <!-- note -->\n\n<div class="x">\nblock *text*\n</div>\n\n<script>alert(2)</script>'
    out = html(text)
    assert shown(out).tags == {"p": 3}
    assert "&lt;b&gt;bold?&lt;/b&gt;" in out and "&lt;script&gt;alert(2)&lt;/script&gt;" in out
    assert "&lt;div class=\"x\"&gt;" in out and "block *text*" in out
    assert not lost_letters(text, out)


def test_an_image_shows_its_description():
    """Images are not allowed on fiche pages; their description stands for them instead of vanishing."""
    assert html("See ![the logo of *MIGRAVALUE*](https://example.org/logo.png).") == (
        "<p>See the logo of <em>MIGRAVALUE</em>.</p>")


def test_a_text_nested_deeper_than_the_limit_is_shown_escaped_and_whole():
    deep = "> " * (MAX_DEPTH + 1) + "text <b>"
    out = html(deep)
    assert out == "<p>" + "&gt; " * (MAX_DEPTH + 1) + "text &lt;b&gt;</p>"
    fits = "- " * (MAX_DEPTH // 2 - 1) + "text"
    assert "<li>text</li>" in html(fits)


def test_a_table_padded_into_far_more_cells_than_its_text_is_shown_escaped():
    """A header of 2,000 columns pads each short row below it to 2,000 cells: the events outgrow the text."""
    text = "|" + "a|" * 2000 + "\n|" + "-|" * 2000 + "\n" + "b\n" * 200
    out = html(text)
    assert out.startswith("<p>|a|a|") and "<td>" not in out
    assert "<td>" in html("|" + "a|" * 20 + "\n|" + "-|" * 20 + "\n" + "b\n" * 20)


def test_plain_words_for_descriptions_feeds_and_data():
    renderer = MarkdownRenderer()
    text = "## Aims\n\nTo *strengthen*\ncooperation: see [the report](https://example.org).\n\n- one\n- two\n\n| a | b |\n|---|---|\n| c | d |"
    assert renderer.plain(text) == "Aims To strengthen cooperation: see the report. one two a b c d"
    assert renderer.plain(text, 20) == "Aims To strengthen…"
    assert renderer.plain("Tom &amp; Jerry <b>raw</b>") == "Tom & Jerry <b>raw</b>"
    assert renderer.plain("> " * 40 + "deep") == "> " * 40 + "deep"


def test_each_text_is_rendered_once_by_a_renderer():
    renderer = MarkdownRenderer()
    renderer.prepare(["A *summary*.", "Another."])
    assert renderer.rendered == 2
    for _ in range(3):
        renderer.html("A *summary*.")
        renderer.plain("A *summary*.", 300)
    assert renderer.rendered == 2
    assert str(renderer.html("A *summary*.")) == "<p>A <em>summary</em>.</p>"


def test_the_views_and_the_exports_share_one_renderer_per_build():
    """A summary shows on its page, on list pages as a card, in the meta description, the JSON-LD, the feed and
    the IATI file: once the pages are rendered, the exports render nothing more."""
    from fichegen.exports import add_exports
    from fichegen.output import Output

    result = check(REPO)
    renderer = SiteRenderer(result.graph, Theme.of(REPO))
    assert all(views.markdown is renderer.markdown for views in renderer.views.values())
    pages = [page for page in renderer.pages() if page.key != ("page", "data")]   # the download page needs the exports
    renderer.render(Output(), pages)
    after_pages = renderer.markdown.rendered
    assert after_pages > 150
    add_exports(Output(), renderer, pages)
    assert renderer.markdown.rendered == after_pages


def test_summaries_are_rendered_before_the_page_workers_fork(tmp_path):
    """Pages are rendered by forked processes: the summaries they all show (cards) are made first, in the build's
    process, so that no worker renders them again."""
    from fichegen.output import Output

    result = check(REPO)
    renderer = SiteRenderer(result.graph, Theme.of(REPO))
    pages = [page for page in renderer.pages() if page.lang == "en" and page.key != ("page", "data")]
    renderer.render_into(tmp_path, pages, Output(), workers=2)
    made = renderer.markdown.rendered
    summaries = [text for fiches in result.graph.fiches.values() for fiche in fiches.values()
                 if getattr(fiche, "summary", None) for _, text in fiche.summary.items()]
    assert made >= len(set(summaries)) > 50
    for text in summaries:
        renderer.markdown.html(text)
    assert renderer.markdown.rendered == made
    assert (tmp_path / "en" / "index.html").is_file()


def test_every_showcase_text_renders_with_nothing_lost():
    """Every localized text of every showcase fiche: only allowed elements, every letter still on the page."""
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
    renderer = MarkdownRenderer()
    checked = 0
    for kind in graph.fiches.values():
        for fiche in kind.values():
            for text in texts(fiche):
                out = str(renderer.html(text))
                assert not shown(out).problems(), text[:200]
                assert not lost_letters(text, out), text[:200]
                checked += 1
    assert checked > 400    # every localized text of every showcase fiche
