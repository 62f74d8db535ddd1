"""Writing SVG as text: every label XML-escaped, every number written the same way on every run.

Labels come from fiches written by anyone, so nothing reaches the markup without `escape`; attribute
names and tags come only from the code. No style attributes, no scripts: the pages' CSP allows neither.
"""

from __future__ import annotations

import re
from typing import Iterable

from markupsafe import Markup, escape

SVG_NS = "http://www.w3.org/2000/svg"

#: Characters XML 1.0 does not allow, even escaped: they are dropped from labels.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: Average advance of a character of the page's sans-serif font, in em: used to fit labels into columns.
CHAR_EM = 0.56


def num(x: float) -> str:
    """A coordinate with at most one decimal: short, and identical for identical input."""
    s = f"{x:.1f}"
    if s.endswith(".0"):
        s = s[:-2]
    return "0" if s == "-0" else s


def clean(value: object) -> str:
    return _NOT_XML.sub("", str(value))


def text_content(value: object) -> str:
    return str(escape(clean(value)))


_PLAIN = re.compile(r"^[A-Za-z0-9 #.,:;()%/_-]*$")


def attr(value: object) -> str:
    if isinstance(value, float):
        return num(value)
    if isinstance(value, int):
        return str(value)
    value = str(value)
    if _PLAIN.match(value):   # numbers, colours, class names: nothing to escape (the common case)
        return value
    return str(escape(clean(value)))


def element(tag: str, attrs: dict[str, object] | None = None, content: str = "") -> str:
    """`<tag a="…">content</tag>`; `content` must already be markup (escaped text or elements)."""
    parts = [tag] + [f'{k}="{attr(v)}"' for k, v in (attrs or {}).items() if v is not None]
    head = " ".join(parts)
    return f"<{head}>{content}</{tag}>" if content else f"<{head}/>"


def text(x: float, y: float, label: object, **attrs: object) -> str:
    return element("text", {"x": x, "y": y, **attrs}, text_content(label))


def tooltip(label: object) -> str:
    """A `<title>` child: the full text of a shortened label, shown on hover."""
    return element("title", None, text_content(label))


def width_of(label: str, font_size: float) -> float:
    """The estimated width of a label in user units (no font metrics at build time)."""
    return len(label) * font_size * CHAR_EM


def shorten(label: str, max_chars: int) -> str:
    label = " ".join(label.split())
    if len(label) <= max_chars:
        return label
    cut = label[: max_chars - 1].rstrip()
    space = cut.rfind(" ")
    if space > max_chars * 0.6:
        cut = cut[:space].rstrip(" ,;:–-")
    return cut + "…"


def wrap(label: str, max_chars: int, max_lines: int) -> list[str]:
    """Break a label into at most `max_lines` lines of about `max_chars`, the last one shortened if needed."""
    words = " ".join(label.split()).split(" ")
    lines: list[str] = []
    line = ""
    for i, word in enumerate(words):
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= max_chars or not line:
            line = candidate
            continue
        lines.append(line)
        line = word
        if len(lines) == max_lines - 1:
            line = " ".join(words[i:])
            break
    lines.append(line)
    return [shorten(x, max_chars) for x in lines[:max_lines]]


class Drawing:
    """An SVG image being drawn: its size, its parts in order, then `markup()` with title and desc."""

    def __init__(self, width: float, height: float, kind: str, font_size: float):
        self.width = width
        self.height = height
        self.kind = kind
        self.font_size = font_size
        self.parts: list[str] = []

    def add(self, *parts: str) -> None:
        self.parts.extend(parts)

    def extend(self, parts: Iterable[str]) -> None:
        self.parts.extend(parts)

    def markup(self, chart_id: str, title: str, desc: str) -> Markup:
        head = element("title", {"id": f"{chart_id}-title"}, text_content(title)) + \
            element("desc", {"id": f"{chart_id}-desc"}, text_content(desc))
        # A viewBox and no width or height: the page's stylesheet sizes the drawing to its column.
        root = {"xmlns": SVG_NS, "viewBox": f"0 0 {num(self.width)} {num(self.height)}", "role": "img",
                "aria-labelledby": f"{chart_id}-title {chart_id}-desc", "class": f"chart-svg chart-{self.kind}",
                "font-size": num(self.font_size)}
        return Markup(element("svg", root, head + "".join(self.parts)))
