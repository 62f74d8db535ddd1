"""What a reader gets of a rendered Markdown text: its elements, their attributes and its visible text.

Used by the Markdown tests (test_markup, test_hostile_markdown, test_properties) to hold the output to the
sanitizer's rules and to check that nothing of the text was lost on the way.
"""

from __future__ import annotations

import html
import html.parser
from collections import Counter
from dataclasses import dataclass, field

from fichegen.render.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

#: What nh3 adds to every link.
LINK_REL = "noopener noreferrer nofollow"


@dataclass
class Shown:
    tags: Counter = field(default_factory=Counter)
    attributes: list[tuple[str, str, str]] = field(default_factory=list)    # (tag, name, value)
    text: str = ""

    def letters(self) -> Counter:
        """Letters and digits a reader can find: the text, the addresses and titles of links, the first number of
        a numbered list."""
        kept = self.text + "".join(value for tag, name, value in self.attributes if name in ("href", "title", "start"))
        return Counter(c for c in kept if c.isalnum())

    def problems(self) -> list[str]:
        """Anything the sanitizer should have kept out: other elements, other attributes, scripts' addresses."""
        found = [f"<{tag}>" for tag in self.tags if tag not in ALLOWED_TAGS]
        for tag, name, value in self.attributes:
            if name == "rel" and tag == "a":
                if value != LINK_REL:
                    found.append(f"rel={value!r}")
            elif name not in ALLOWED_ATTRIBUTES.get(tag, set()):
                found.append(f"{tag} {name}={value!r}")
            elif name == "href" and ":" in value.split("/", 1)[0] and value.split(":", 1)[0].lower() not in ("http", "https", "mailto"):
                found.append(f"href={value!r}")
        return found


class _Reader(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shown = Shown()
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.shown.tags[tag] += 1
        self.shown.attributes += [(tag, name, value or "") for name, value in attrs]

    def handle_data(self, data):
        self.parts.append(data)


def shown(rendered: str) -> Shown:
    reader = _Reader()
    reader.feed(str(rendered))
    reader.close()
    reader.shown.text = "".join(reader.parts)
    return reader.shown


def letters_of(text: str) -> Counter:
    """The letters and digits of a Markdown text, entities decoded (`&amp;` is one character, `&`)."""
    return Counter(c for c in html.unescape(text) if c.isalnum())


def lost_letters(text: str, rendered: str) -> Counter:
    """Letters or digits of `text` that a reader cannot find in `rendered` (none, when nothing was lost)."""
    return letters_of(text) - shown(rendered).letters()
