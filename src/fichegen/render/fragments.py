"""The smallest layout pieces, in Python: shown on every page thousands of times, so not Jinja macros.

`show` lays out one value as views.py shaped it (a string, a TextView or a LinkView), `prose` a block of
Markdown, `join` a list of values. Everything goes through MarkupSafe, so text is escaped exactly once.
"""

from __future__ import annotations

from typing import Any, Iterable

from markupsafe import Markup, escape


def show(x: Any) -> Markup:
    """One value as HTML: a text (marked when shown in another language), a link, or anything else escaped."""
    kind = getattr(x, "kind", None)
    if kind == "link":
        label = show(x.label)
        out = Markup('<a href="{}">{}</a>').format(x.url, label) if x.url else label
        if x.note:
            out += Markup(' <span class="note">({})</span>').format(x.note)
        return out
    if kind == "text":
        if x.fallback:
            return Markup('<span lang="{}" class="fallback" data-pagefind-ignore>{}</span>'
                          '<span class="fallback-note" data-pagefind-ignore> [{}]</span>').format(x.lang, x.html, x.note)
        if x.foreign:      # the page's language in another variant (pt-BR on a pt page): its own tag, no note
            return Markup('<span lang="{}">{}</span>').format(x.lang, x.html)
        return Markup(x.html)
    return escape(x)


def prose(x: Any) -> Markup:
    """A block of Markdown text (already rendered and sanitized) in its own <div>, with its fallback note."""
    if x.fallback:
        return Markup('<p class="fallback-note" data-pagefind-ignore>{}</p>\n'
                      '<div lang="{}" class="prose fallback" data-pagefind-ignore>{}</div>\n').format(x.note, x.lang, x.html)
    if x.foreign:
        return Markup('<div class="prose" lang="{}">{}</div>\n').format(x.lang, x.html)
    return Markup('<div class="prose">{}</div>\n').format(x.html)


def join(items: Iterable[Any], sep: str = ", ") -> Markup:
    """Values shown one after the other, separated by `sep` (", " by default)."""
    return escape(sep).join(show(x) for x in items)


FRAGMENTS = {"show": show, "prose": prose, "join": join}
