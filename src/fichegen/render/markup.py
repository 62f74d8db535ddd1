"""Markdown fields to safe HTML: pulldown-cmark (through pyromark) parses, this module writes the HTML from its
events, nh3 keeps only harmless tags and URLs.

Fiche text is data, never a template: it goes through here and nowhere near Jinja's parser. Fiches come from
strangers' pull requests, so every step takes time in proportion to the text's length, whatever it holds:
pulldown-cmark parses CommonMark in linear time (python-markdown took quadratic time over runs of `[`), the HTML
is written in one pass over the events, and a text nested deeper than MAX_DEPTH elements (over which nh3's HTML
parser takes quadratic time) is shown as the escaped text it is. Raw HTML in a fiche is shown as text, never
parsed as tags (bench/markdown_patterns.py measures all of this).
"""

from __future__ import annotations

import html
from itertools import islice
from typing import Iterable

import nh3
import pyromark
from markupsafe import Markup

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4", "h5", "h6",
                "a", "abbr", "sub", "sup", "table", "thead", "tbody", "tr", "th", "td", "hr"}
# `start`: a list numbered from 3 (`3. …`), or one continued after a paragraph, keeps its numbers.
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "th": {"scope"}, "td": set(), "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

#: CommonMark plus GitHub's tables (the showcase's texts use them).
OPTIONS = pyromark.Options.ENABLE_TABLES
#: Elements open at once, at most: lists in quotes in lists... A fiche needs a dozen; the showcase 3.
MAX_DEPTH = 32
#: Parser events per character of text, at most, beyond the first EVENTS_ALLOWED. Markdown makes fewer than two
#: per character (a row of empty table cells, `|||`, two); only a table whose short rows are padded to a wide
#: header makes more: 100 rows of one cell under 20 columns fit, 200 under 2,000 do not.
MAX_EVENTS_PER_CHARACTER = 3
EVENTS_ALLOWED = 10_000

# What opens and closes each element. A fiche's "## Heading" sits under the page's own h2 sections: h1 and h2
# are shifted down to h3 and h4. An HTML block is a paragraph of the text it is.
_ELEMENTS = {"Paragraph": ("<p>", "</p>\n"), "Item": ("<li>", "</li>\n"), "Emphasis": ("<em>", "</em>"),
             "Strong": ("<strong>", "</strong>"), "TableRow": ("<tr>", "</tr>\n"), "HtmlBlock": ("<p>", "</p>\n"),
             "TableHead": ("<thead><tr>", "</tr></thead><tbody>\n"), "BlockQuote": ("<blockquote>\n", "</blockquote>\n"),
             "CodeBlock": ("<pre><code>", "</code></pre>\n"), "Table": ("<table>\n", "</tbody></table>\n"),
             "H1": ("<h3>", "</h3>\n"), "H2": ("<h4>", "</h4>\n"), "H3": ("<h3>", "</h3>\n"),
             "H4": ("<h4>", "</h4>\n"), "H5": ("<h5>", "</h5>\n"), "H6": ("<h6>", "</h6>\n"),
             "List": ("<ul>\n", "</ul>\n")}
# Elements not shown as such: an image (its description stands for it), those of extensions not enabled.
_TEXT_ONLY = ("", "")
_BLOCKS = {"List", "BlockQuote", "CodeBlock", "Table", "Paragraph", "Heading", "HtmlBlock"}
_BREAKS = {"SoftBreak": "\n", "HardBreak": "<br>\n", "Rule": "<hr>\n"}
_escape = html.escape


class Unshowable(Exception):
    """A text nested deeper than MAX_DEPTH, or making more than MAX_EVENTS_PER_CHARACTER events per character."""


def _html_and_words(text: str) -> tuple[str, str]:
    """The HTML of a Markdown text (not yet sanitized) and its words, in one pass over pulldown-cmark's events."""
    out: list[str] = []
    words: list[str] = []
    closing: list[str] = []          # what closes each open element, innermost last
    cell = "td"                      # table cells of the head row are <th>
    events = pyromark.events(text, options=OPTIONS)
    for event in islice(events, MAX_EVENTS_PER_CHARACTER * len(text) + EVENTS_ALLOWED):
        if event.__class__ is str:
            out.append(_BREAKS.get(event, ""))
            words.append(" ")
            continue
        ((kind, value),) = event.items()
        if kind == "Text" or kind == "Html" or kind == "InlineHtml":   # raw HTML is shown as the text it is
            out.append(_escape(value, False))
            words.append(value)
        elif kind == "Start":
            if len(closing) == MAX_DEPTH:
                raise Unshowable
            if value == "TableCell":
                out.append(f"<{cell}>")
                closing.append(f"</{cell}>\n")
                continue
            if value.__class__ is str:
                name, data = value, None
            else:
                ((name, data),) = value.items()
            if name in _BLOCKS and out and out[-1][-1:] != "\n":
                out.append("\n")    # a block right after a tight list item's text starts on its own line
            if name == "Link":
                url = "mailto:" + data["dest_url"] if data["link_type"] == "Email" else data["dest_url"]
                title = f' title="{_escape(data["title"])}"' if data["title"] else ""
                out.append(f'<a href="{_escape(url)}"{title}>')
                closing.append("</a>")
                continue
            if name == "Heading":
                name = data["level"]
            elif name == "List" and data is not None:
                out.append(f'<ol start="{data}">\n' if data != 1 else "<ol>\n")
                closing.append("</ol>\n")
                continue
            elif name == "TableHead":
                cell = "th"
            opening, close = _ELEMENTS.get(name, _TEXT_ONLY)
            out.append(opening)
            closing.append(close)
        elif kind == "End":
            close = closing.pop()
            out.append(close)
            if close[-1:] == "\n":   # the end of a block: its words are apart from the next block's
                words.append(" ")
            if value == "TableHead":
                cell = "td"
        elif kind == "Code":
            out.append(f"<code>{_escape(value, False)}</code>")
            words.append(value)
        elif value.__class__ is str:  # an event of an extension not enabled: its text
            out.append(_escape(value, False))
            words.append(value)
    if next(events, None) is not None:
        raise Unshowable
    return "".join(out).rstrip("\n"), " ".join("".join(words).split())


def _sanitized(html_text: str) -> str:
    return nh3.clean(html_text, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer nofollow", strip_comments=True)


class MarkdownRenderer:
    """The Markdown texts of one build as safe HTML and as plain words, each text rendered once.

    A summary shows on its page, on cards, in the meta description, the JSON-LD, the feed and the IATI file: the
    renderer keeps what it made for the rest of the build. A build that renders pages in several processes calls
    `prepare` before forking them, so that every process starts with every text already made."""

    def __init__(self) -> None:
        self._made: dict[str, tuple[Markup, str]] = {}
        self.rendered = 0            # texts rendered (not taken from what was made): how often work was done

    def _get(self, text: str) -> tuple[Markup, str]:
        made = self._made.get(text)
        if made is None:
            made = self._made[text] = self._render(text)
        return made

    def _render(self, text: str) -> tuple[Markup, str]:
        self.rendered += 1
        try:
            raw, words = _html_and_words(text)
        except Unshowable:           # shown as the text it is, escaped: nothing lost, nothing parsed
            return Markup("<p>{}</p>").format(text), " ".join(text.split())
        return Markup(_sanitized(raw)), words

    def html(self, text: str) -> Markup:
        """Safe HTML for a Markdown text."""
        return self._get(text)[0]

    def plain(self, text: str, limit: int | None = None) -> str:
        """The words of a Markdown text without markup, for meta descriptions, feeds, JSON-LD and IATI;
        at most `limit` characters, cut between words with an ellipsis."""
        out = self._get(text)[1]
        if limit and len(out) > limit:
            out = out[: limit - 1].rsplit(" ", 1)[0] + "…"
        return out

    def prepare(self, texts: Iterable[str]) -> None:
        """Render these texts now (before the build forks the processes that will show them)."""
        for text in texts:
            self._get(text)
