"""Markdown fields to safe HTML: python-markdown renders, nh3 keeps only harmless tags and URLs.

Fiche text is data, never a template: it goes through here and nowhere near Jinja's parser.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4", "h5", "h6",
                "a", "abbr", "sub", "sup", "table", "thead", "tbody", "tr", "th", "td", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "th": {"scope"}, "td": set()}
URL_SCHEMES = {"http", "https", "mailto"}

# One Markdown converter, reset between texts: building one is the expensive part.
_md = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")
# Raw HTML blocks are not parsed apart: their parser (the standard library's HTMLParser) takes quadratic time
# on unclosed tags ("<a " 20 000 times in one summary: three minutes). Inline HTML still reaches nh3 below.
_md.preprocessors.deregister("html_block")


def _demote_headings(html: str) -> str:
    # A fiche's "## Heading" sits under the page's own h2 sections: shift h1/h2 down to h3/h4.
    for old, new in (("h2", "h4"), ("h1", "h3")):
        html = html.replace(f"<{old}>", f"<{new}>").replace(f"</{old}>", f"</{new}>")
    return html


# --- plain paragraphs ----------------------------------------------------------------
# python-markdown is most of a large build's Markdown time, yet most paragraphs of fiches are plain prose.
# A paragraph on one line, starting with a letter or an opening quote and holding none of the characters
# below, has no Markdown in it: python-markdown makes it one <p> with the text unchanged. Such paragraphs
# are written directly; every other block still goes through python-markdown, in the same runs of
# consecutive blocks it would have seen. tests/test_markup.py holds the result to python-markdown's own
# output (random documents and every showcase text), and anything unusual in a document (reference
# definitions, which act across blocks, tabs, blank-looking lines, runs of blank lines) sends the whole
# text to python-markdown.
_MARKUP_CHARACTERS = re.compile("[\\\\`*_\\[\\]<>&#|~\x00-\x1f\x7f-\x9f\u2028\u2029]")
_PLAIN_START = re.compile(r"[^\W\d_]|[\"'«“‘(¿¡]")
_WHOLE_TEXT_ONLY = re.compile(r"^ {0,3}\[[^\]]*\]:|\n[ \t]+\n|\n\n\n|[\t\r]", re.M)


def _is_plain(paragraph: str) -> bool:
    return bool(paragraph) and paragraph == paragraph.strip() and _PLAIN_START.match(paragraph) is not None \
        and _MARKUP_CHARACTERS.search(paragraph) is None


def _convert(text: str) -> str:
    """python-markdown's HTML for `text`, with its plain paragraphs written directly."""
    if _is_plain(text):
        return f"<p>{text}</p>"
    text = text.rstrip("\n")    # a YAML block (`|`) ends with a line end, which python-markdown ignores
    if "\n\n" not in text or _WHOLE_TEXT_ONLY.search(text) or text.startswith("\n"):
        return _md.reset().convert(text)
    out: list[str] = []
    run: list[str] = []          # consecutive blocks with markup, converted together
    for block in text.split("\n\n"):
        if _is_plain(block):
            if run:
                out.append(_md.reset().convert("\n\n".join(run)))
                run = []
            out.append(f"<p>{block}</p>")
        else:
            run.append(block)
    if run:
        out.append(_md.reset().convert("\n\n".join(run)))
    return "\n".join(part for part in out if part)


@lru_cache(maxsize=65536)
def render_markdown(text: str) -> Markup:
    """Safe HTML for a Markdown text; cached because the same text is shown on many pages."""
    try:
        html = _convert(text)
    except RecursionError:   # lists or quotes nested hundreds deep: shown as the text they are, escaped
        return Markup("<p>{}</p>").format(text)
    html = _demote_headings(html)
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                      link_rel="noopener noreferrer nofollow", strip_comments=True)
    return Markup(clean)


@lru_cache(maxsize=65536)
def plain_text(text: str, limit: int | None = None) -> str:
    """The words of a Markdown text without markup, for meta descriptions, feeds and JSON-LD; cached, as
    a page asks for its summary's words several times (meta description, JSON-LD, search record)."""
    words = nh3.clean(str(render_markdown(text)), tags=set()).split()
    out = " ".join(words)
    if limit and len(out) > limit:
        out = out[: limit - 1].rsplit(" ", 1)[0] + "…"
    return html.unescape(out)
