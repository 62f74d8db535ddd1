"""Quality gates on the built showcase: valid HTML5 and text alternatives.

Every page parses as HTML5 with no parse error (html5lib, the WHATWG algorithm); every image has an
alt text and every chart a title. axe-core's check of the pages in chromium is in
tests/browser/test_browser_accessibility.py, beside the other browser tests (they share one browser).
"""

from __future__ import annotations

import json

import html5lib
import pytest

pytestmark = pytest.mark.slow

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def parsed(searchable_showcase) -> dict[str, tuple[object, list]]:
    """Every HTML page of the showcase: its html5lib tree and the parse errors met on the way."""
    pages = {}
    for path in sorted(searchable_showcase.rglob("*.html")):
        parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
        tree = parser.parse(path.read_bytes())
        errors = [f"line {line}, column {col}: {code} {data or ''}" for (line, col), code, data in parser.errors]
        pages[path.relative_to(searchable_showcase).as_posix()] = (tree, errors)
    return pages


def test_every_page_parses_as_html5_without_a_single_error(parsed):
    broken = {page: errors[:5] for page, (tree, errors) in parsed.items() if errors}
    print(f"\nquality: {len(parsed)} HTML pages parsed as HTML5 (html5lib), {len(broken)} with errors")
    assert len(parsed) > 400
    assert not broken, json.dumps(dict(list(broken.items())[:10]), indent=2)


def test_every_image_has_an_alt_text_and_every_chart_a_title(parsed):
    images = charts = 0
    problems = []
    for page, (tree, _) in parsed.items():
        ids = {e.get("id") for e in tree.iter() if isinstance(e.tag, str) and e.get("id")}
        for img in tree.iter("img"):
            images += 1
            if img.get("alt") is None:
                problems.append(f"{page}: <img src={img.get('src')!r}> has no alt")
        for svg in tree.iter(f"{SVG}svg"):
            charts += 1
            title = svg.find(f"{SVG}title")
            labelled = [i for i in (svg.get("aria-labelledby") or "").split() if i]
            named = (title is not None and "".join(title.itertext()).strip()) or svg.get("aria-label") or \
                (labelled and all(i in ids for i in labelled))
            hidden = svg.get("aria-hidden") == "true"      # a legend's swatch: the text beside it says it all
            if not named and not hidden:
                problems.append(f"{page}: an <svg> without a title or label")
            # A map is a group of named countries (role=img each) that a screen reader can go through one by one.
            is_map = svg.get("role") == "group" and "map-svg" in (svg.get("class") or "").split()
            if svg.get("role") != "img" and not hidden and not is_map:
                problems.append(f"{page}: an <svg> that is neither role=img, a map of named parts nor hidden")
    print(f"\nquality: {images} images with alt text, {charts} charts with a title")
    assert charts > 0
    assert not problems, "\n".join(problems[:20])
