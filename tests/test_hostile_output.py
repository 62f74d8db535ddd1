"""No fiche, vocabulary or configuration text can inject anything into any output of the site.

An attack corpus (tests/attack_corpus.py: script tags, event handlers, javascript:/vbscript:/data:
addresses in plain, mixed-case, entity-encoded and whitespace-split forms, SVG and MathML payloads,
python-markdown attr_list tricks, raw HTML blocks, CSS url()/expression(), Jinja syntax, Markdown
link, image and reference tricks, XML entities, spreadsheet formulas, JSON/script breakouts) is placed
in every free-text field of every fiche type, of every vocabulary and of fichegen.toml, found by walking
the models. The site is built as `fichegen build` builds it (search index and every export), and each
output is parsed as its consumer parses it: HTML as a browser tokenizes it (every page with the standard
library's tokenizer, a large sample with html5lib's tree builder; a sample in Debian's chromium in
tests/browser/test_browser_hostile.py), XML
without entities or network, JSON, CSV as a spreadsheet reads it, Pagefind's index as search.js reads it.
"""

from __future__ import annotations

import csv
import gzip
import html.parser
import io
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import html5lib
import pytest
from lxml import etree

from attack_corpus import JINJA_RESULTS, VECTORS
from fichegen.check import check
from fichegen.exports.records import fiche_from_record
from fichegen.exports.table import FORMULA_STARTS
from fichegen.models import FOLDERS

pytestmark = pytest.mark.slow

TOKEN = re.compile(r"zq\d\df\d{3}zq")
SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background", "cite", "srcset",
                  "ping", "codebase", "manifest", "longdesc", "lowsrc", "dynsrc", "icon", "profile", "archive", "usemap"}
FORBIDDEN_ELEMENTS = {"iframe", "object", "embed", "math", "style", "base", "frame", "frameset", "applet", "foreignobject",
                      "portal", "fencedframe", "template", "xmp", "plaintext", "listing", "noembed", "noframes"}
SITE_SCRIPTS = ("/static/", "/pagefind/", "/admin/")
#: The web editor's page, whose CSP must allow 'unsafe-eval' for Decap CMS (docs/web-editor.md, tests/test_editor.py).
EDITOR_PAGE = "admin/index.html"
LINK_RELS = {"stylesheet", "icon", "canonical", "alternate", "license", "prev", "next"}
#: What Pagefind may record about a page: the fiche templates' filters and metadata, nothing a fiche can add.
PAGEFIND_META = {"title", "kind", "acronym", "period", "image", "image_alt", "summary", "summary_lang"}
#: The site's own drawings: charts, maps and a map legend's swatches (render/charts.py, render/maps.py).
SITE_SVG = {"chart-svg", "map-svg", "map-swatch"}
PAGEFIND_FILTERS = {"kind", "country", "theme", "programme", "status", "organisation", "year"}


# --- what a browser would see -------------------------------------------------------------

def scheme_of(url: str) -> str | None:
    """The scheme a browser reads from an attribute value (WHATWG URL parsing: C0 and space trimmed, tabs and newlines removed)."""
    cleaned = re.sub(r"[\t\n\r]", "", url.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"
                                                 "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "))
    m = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", cleaned)
    return m[1].lower() if m else None


@dataclass
class Findings:
    """Problems found in one format, and what was inspected."""

    problems: list[str] = field(default_factory=list)
    files: int = 0
    elements: int = 0
    attributes: int = 0
    checks: Counter = field(default_factory=Counter)

    def add(self, where: str, problem: str) -> None:
        if len(self.problems) < 200:
            self.problems.append(f"{where}: {problem}")


class ElementRules:
    """The rules every element of a page (or of an HTML fragment in a feed) must keep."""

    def __init__(self, findings: Findings, where: str, fragment: bool = False):
        self.f = findings
        self.where = where
        self.fragment = fragment           # feed summaries: no script, svg or form at all
        self.svg_depth = 0
        self.script: dict | None = None
        self.script_text: list[str] = []
        self.csp: list[str] = []
        self.inline_json = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        f, where = self.f, self.where
        f.elements += 1
        f.attributes += len(attrs)
        if tag in FORBIDDEN_ELEMENTS:
            f.add(where, f"<{tag}> element")
        if tag == "svg":
            if self.svg_depth == 0 and (SITE_SVG.isdisjoint(attrs.get("class", "").split()) or self.fragment):
                f.add(where, f"<svg> that is not one of the site's charts or maps: {attrs}")
            self.svg_depth += 1
        if tag == "script":
            self.script, self.script_text = attrs, []
            src = attrs.get("src")
            if self.fragment:
                f.add(where, "<script> in an HTML fragment")
            elif src is not None:
                if not (src.startswith(SITE_SCRIPTS) and scheme_of(src) is None and not src.startswith("//")):
                    f.add(where, f"<script src={src!r}> is not the site's own")
            elif attrs.get("type") != "application/ld+json":
                f.add(where, f"inline <script> {attrs}")
        if tag == "meta":
            equiv = attrs.get("http-equiv", "").lower()
            if equiv == "content-security-policy":
                self.csp.append(attrs.get("content", ""))
            elif equiv:
                f.add(where, f"<meta http-equiv={equiv!r}>")
        if tag == "link" and not set(attrs.get("rel", "").lower().split()) <= LINK_RELS:
            f.add(where, f"<link rel={attrs.get('rel')!r}>")
        if tag == "form" and self.fragment:
            f.add(where, "<form> in an HTML fragment")
        for name, value in attrs.items():
            f.checks["attribute"] += 1
            if name.startswith("on"):
                f.add(where, f"event handler {name}={value!r} on <{tag}>")
            if name == "style":
                f.add(where, f"style attribute on <{tag}>: {value!r}")
            if name in ("srcdoc", "formtarget") or name.startswith("data-pagefind") and self.fragment:
                f.add(where, f"{name} on <{tag}>")
            if name in URL_ATTRIBUTES and value is not None:
                f.checks["url"] += 1
                scheme = scheme_of(value)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    f.add(where, f"{name}={value!r} on <{tag}> has the scheme {scheme}:")

    def data(self, text: str) -> None:
        if self.script is not None:
            self.script_text.append(text)

    def end(self, tag: str) -> None:
        if tag == "svg" and self.svg_depth:
            self.svg_depth -= 1
        if tag == "script" and self.script is not None:
            if self.script.get("type") == "application/ld+json":
                self.inline_json += 1
                check_jsonld("".join(self.script_text), self.f, self.where)
            elif self.script.get("src") is None and "".join(self.script_text).strip():
                self.f.add(self.where, "inline script code")
            self.script = None

    def finish_page(self) -> None:
        """A whole page: it carries the CSP that forbids inline script."""
        if not self.csp:
            self.f.add(self.where, "no Content-Security-Policy")
        for policy in self.csp:
            directives = {d.strip().split(" ")[0]: d.strip().split(" ")[1:] for d in policy.split(";") if d.strip()}
            scripts = directives.get("script-src", directives.get("default-src", ["*"]))
            if self.where == EDITOR_PAGE:
                scripts = [s for s in scripts if s != "'unsafe-eval'"]
            if any(s in ("'unsafe-inline'", "*", "data:", "http:", "https:", "'unsafe-eval'") for s in scripts):
                self.f.add(self.where, f"script-src allows inline or foreign script: {scripts}")
            if directives.get("object-src") != ["'none'"]:
                self.f.add(self.where, "object-src is not 'none'")
        self.f.checks["csp"] += 1


class StdlibPage(html.parser.HTMLParser):
    """Every element and attribute of a page, as the standard library tokenizes it (entities decoded)."""

    def __init__(self, rules: ElementRules):
        super().__init__(convert_charrefs=True)
        self.rules = rules

    def handle_starttag(self, tag, attrs):
        self.rules.start(tag, {k: (v if v is not None else "") for k, v in attrs})
        if tag in ("img", "meta", "link", "input", "br", "hr", "source"):
            self.rules.end(tag)

    def handle_startendtag(self, tag, attrs):
        self.rules.start(tag, {k: (v if v is not None else "") for k, v in attrs})
        self.rules.end(tag)

    def handle_endtag(self, tag):
        self.rules.end(tag)

    def handle_data(self, data):
        self.rules.data(data)

    def handle_pi(self, data):
        self.rules.f.add(self.rules.where, f"processing instruction <?{data}>")


def walk_html5(element, rules: ElementRules) -> None:
    """Every element of an html5lib tree, as a browser builds it (foreign SVG/MathML content included)."""
    tag = element.tag
    if not isinstance(tag, str):      # comments
        return
    local = tag.rsplit("}", 1)[-1].lower()
    attrs = {}
    for name, value in element.attrib.items():
        if name.startswith("{http://www.w3.org/1999/xlink}"):
            name = "xlink:" + name.rsplit("}", 1)[-1]
        attrs[name.rsplit("}", 1)[-1].lower() if not name.startswith("xlink:") else name] = value
    if "math" in tag and tag.startswith("{http://www.w3.org/1998/Math/MathML}"):
        rules.f.add(rules.where, f"MathML element <{local}>")
    rules.start(local, attrs)
    if element.text:
        rules.data(element.text)
    for child in element:
        walk_html5(child, rules)
        if child.tail and rules.script is not None:
            rules.data(child.tail)
    rules.end(local)


def check_jsonld(text: str, f: Findings, where: str) -> None:
    f.checks["json-ld"] += 1
    if "</script" in text.lower() or "<!--" in text:
        f.add(where, "JSON-LD could close its <script> element")
    try:
        data = json.loads(text)
    except ValueError as exc:
        f.add(where, f"JSON-LD does not parse: {exc}")
        return
    for key, value in json_strings(data):
        if key in ("url", "@id", "sameAs", "license", "image", "logo") and scheme_of(value) not in ("http", "https"):
            f.add(where, f"JSON-LD {key} = {value!r}")


def json_strings(value, key=None):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from json_strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from json_strings(v, key)
    elif isinstance(value, str):
        yield key, value


def safe_xml(data: bytes):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    return etree.fromstring(data, parser)


def check_xml(data: bytes, f: Findings, where: str):
    """XML that parses without a DTD, entities or processing instructions, and whose addresses are web addresses."""
    try:
        root = safe_xml(data)
    except etree.XMLSyntaxError as exc:
        f.add(where, f"not well-formed XML: {exc}")
        return None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        f.add(where, "a DOCTYPE")
    for node in root.iter():
        if isinstance(node, etree._ProcessingInstruction):
            f.add(where, f"processing instruction {node}")
            continue
        if isinstance(node, (etree._Comment, etree._Entity)):
            if isinstance(node, etree._Entity):
                f.add(where, f"entity {node}")
            continue
        f.elements += 1
        local = etree.QName(node).localname
        if local in ("script", "foreignObject") or etree.QName(node).namespace == "http://www.w3.org/1999/xhtml" and local != "link":
            f.add(where, f"<{local}> element")
        for name, value in node.attrib.items():
            f.attributes += 1
            short = etree.QName(name).localname
            if short.startswith("on") or short == "style":
                f.add(where, f"{short} attribute on <{local}>")
            if short in ("href", "url", "src"):
                f.checks["url"] += 1
                if scheme_of(value) not in ("http", "https"):
                    f.add(where, f"{short}={value!r} on <{local}>")
        if local in ("loc", "id", "uri", "website", "url") and node.text and scheme_of(node.text.strip()) not in ("http", "https", "urn", "tag"):
            f.add(where, f"<{local}> holds {node.text.strip()!r}")
    for pi in root.itersiblings(preceding=True):
        if isinstance(pi, etree._ProcessingInstruction):
            f.add(where, f"processing instruction {pi}")
    return root


# --- the test -------------------------------------------------------------------------------

def test_no_attack_reaches_any_output_as_anything_but_text(hostile_site, tmp_path_factory):
    hostile = hostile_site
    out = hostile.out
    project = hostile.project
    formats: dict[str, Findings] = defaultdict(Findings)
    seen: dict[str, set[str]] = defaultdict(set)          # format → tokens found in it
    evaluated: list[str] = []                                # files where a Jinja expression's result shows

    def scan(rel: str, raw: bytes) -> None:
        if b"123123" in raw or b"looplooploop" in raw:
            evaluated.append(rel)

    pages = sorted(out.rglob("*.html"))

    def sampled(path: Path) -> bool:
        """What html5lib (slow, but the browser's algorithm) also builds: a quarter of the fiche pages, every other page type."""
        parts = path.relative_to(out).parts
        if len(parts) == 4 and parts[1] in FOLDERS.values():
            v = re.search(r"-v(\d\d)$", parts[2])
            return bool(v) and int(v[1]) % 4 == (0 if parts[0] == "en" else 1)
        return len(parts) <= 3 or parts[2] in ("v00", "v01")
    html5_sample = [p for p in pages if sampled(p)]
    for path in pages:
        rel = path.relative_to(out).as_posix()
        raw = path.read_bytes()
        scan(rel, raw)
        text = raw.decode("utf-8")
        rules = ElementRules(formats["html"], rel)
        parser = StdlibPage(rules)
        parser.feed(text)
        parser.close()
        rules.finish_page()
        formats["html"].files += 1
        formats["json-ld"].files += rules.inline_json
        if rules.inline_json:
            formats["json-ld"].checks["scripts"] += rules.inline_json
        seen["html"].update(TOKEN.findall(text))
        if "<svg" in text:
            formats["svg (inline charts)"].files += text.count("<svg")
    for path in html5_sample:
        rel = path.relative_to(out).as_posix()
        tree = html5lib.parse(path.read_bytes(), treebuilder="etree", namespaceHTMLElements=False)
        rules = ElementRules(formats["html (html5lib tree)"], rel)
        walk_html5(tree, rules)
        rules.finish_page()
        formats["html (html5lib tree)"].files += 1

    for path in sorted(out.rglob("*.xml")):
        rel = path.relative_to(out).as_posix()
        raw = path.read_bytes()
        scan(rel, raw)
        kind = "atom" if rel.endswith("feed.xml") else "sitemap" if rel == "sitemap.xml" else "iati-xml" if "iati" in rel else "xml"
        f = formats[kind]
        f.files += 1
        root = check_xml(raw, f, rel)
        seen[kind].update(TOKEN.findall(raw.decode("utf-8")))
        if kind == "atom" and root is not None:
            for element in root.iter("{http://www.w3.org/2005/Atom}summary", "{http://www.w3.org/2005/Atom}content",
                                     "{http://www.w3.org/2005/Atom}title", "{http://www.w3.org/2005/Atom}subtitle"):
                if element.get("type") in ("html", "xhtml"):
                    rules = ElementRules(f, f"{rel} <{etree.QName(element).localname}>", fragment=True)
                    parser = StdlibPage(rules)
                    parser.feed(element.text or "")
                    parser.close()
                    f.checks["html fragments"] += 1
    assert formats["sitemap"].files == 1 and formats["atom"].files == len(hostile.result.check.config.languages)

    for path in sorted(out.rglob("*.svg")):
        raw = path.read_bytes()
        scan(rel, raw)
        formats["svg files"].files += 1
        check_xml(raw, formats["svg files"], path.relative_to(out).as_posix())

    records = 0
    for path in sorted((out / "data").rglob("*.json")):
        rel = path.relative_to(out).as_posix()
        raw = path.read_bytes()
        scan(rel, raw)
        f = formats["json data"]
        f.files += 1
        data = json.loads(raw)
        seen["json data"].update(TOKEN.findall(raw.decode("utf-8")))
        for key, value in json_strings(data):
            if key in ("url", "website") and scheme_of(value) not in ("http", "https"):
                f.add(rel, f"{key} = {value!r}")
        if isinstance(data, dict) and "records" in data:
            kind = data["kind"]
            for record in data["records"]:
                # nothing lost: every text comes back exactly as the fiche wrote it
                fiche = fiche_from_record(kind, record)
                original = hostile.result.check.graph.fiches[kind][record["id"]]
                if fiche.model_dump() != original.model_dump():
                    f.add(rel, f"{record['id']} does not read back as the fiche it was made from")
                records += 1
                f.checks["records read back"] += 1

    for path in sorted((out / "data").rglob("*.csv")):
        rel = path.relative_to(out).as_posix()
        raw = path.read_bytes()
        scan(rel, raw)
        f = formats["csv"]
        f.files += 1
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
        seen["csv"].update(TOKEN.findall(raw.decode("utf-8")))
        width = len(rows[0])
        for n, row in enumerate(rows[1:], 2):
            if len(row) != width:
                f.add(rel, f"row {n} has {len(row)} cells, not {width}")
            for cell in row:
                f.checks["cells"] += 1
                if cell.startswith(FORMULA_STARTS):
                    f.add(rel, f"row {n}: a spreadsheet would run {cell[:40]!r}")
        formula_cells = [c for row in rows for c in row if c.startswith("'" + VECTORS["csv-formula"][:5])]
        if not formula_cells:
            f.add(rel, "the formula vector was not found neutralised")
        # as a spreadsheet set to split on ; or tabs reads it, and as a reader that ignores quotes does
        text = raw.decode("utf-8")
        for sep in (";", "\t", ","):
            cells = [c for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep) for c in row]
            cells += [c for line in re.split(r"\r\n|\r|\n", text) for c in line.split(sep)]
            for cell in cells:
                f.checks[f"cells split on {sep!r}"] += 1
                if re.match(r"[\s\"]*[=+\-@]", cell):
                    f.add(rel, f"split on {sep!r}, a spreadsheet would run {cell[:40]!r}")

    robots = (out / "robots.txt").read_text("utf-8")
    formats["robots.txt"].files += 1
    for line in robots.splitlines():
        if line and not re.match(r"^(User-agent|Allow|Disallow|Sitemap): \S+$", line):
            formats["robots.txt"].add("robots.txt", f"unexpected line {line!r}")

    if hostile.search:
        f = formats["pagefind"]
        entry = json.loads((out / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
        assert entry["languages"], entry
        for path in sorted((out / "pagefind" / "fragment").glob("*.pf_fragment")):
            f.files += 1
            raw = gzip.decompress(path.read_bytes())
            assert raw.startswith(b"pagefind_dcd"), path
            fragment = json.loads(raw[len(b"pagefind_dcd"):])
            scan(path.name, raw)
            seen["pagefind"].update(TOKEN.findall(raw.decode("utf-8")))
            where = f"pagefind {fragment.get('url')}"
            if not fragment["url"].startswith("/") or scheme_of(fragment["url"]) or fragment["url"].startswith("//"):
                f.add(where, "an address outside the site")
            if not set(fragment.get("meta", {})) <= PAGEFIND_META:
                f.add(where, f"metadata a fiche added: {set(fragment['meta']) - PAGEFIND_META}")
            if not set(fragment.get("filters", {})) <= PAGEFIND_FILTERS:
                f.add(where, f"filters a fiche added: {set(fragment['filters']) - PAGEFIND_FILTERS}")
            if not isinstance(fragment["content"], str):
                f.add(where, "content is not text")
            for key, value in json_strings(fragment):
                f.checks["strings"] += 1
                if not isinstance(value, str):
                    f.add(where, f"{key} is not text")

    # Jinja: fiche text is never a template
    for expression, result in JINJA_RESULTS.items():
        v = project.vectors.index(next(n for n, p in VECTORS.items() if p == expression))
        h1 = html5lib.parse((out / "en" / "projects" / f"project-v{v:02d}" / "index.html").read_bytes(),
                            treebuilder="etree", namespaceHTMLElements=False).find(".//h1")
        title = "".join(h1.itertext())
        assert expression in title and result not in title, title
    assert not evaluated, f"Jinja syntax from a fiche was evaluated in {evaluated[:5]}"

    # every placement reached the open data; the attack reached the pages
    fiche_tokens = {m for p in project.placements if p.file.startswith("content/") for m in TOKEN.findall(p.value)}
    missing = fiche_tokens - seen["json data"]
    assert not missing, f"{len(missing)} placed texts are missing from data/: {sorted(missing)[:10]}"
    reached_html = len(fiche_tokens & seen["html"]) / len(fiche_tokens)
    unseen = sorted({p.path for p in project.placements if p.file.startswith("content/")
                     and set(TOKEN.findall(p.value)) - seen["html"]})
    assert reached_html > 0.8, (f"only {reached_html:.0%} of the placed texts reached a page: the attack did not get through to test; "
                                f"not on any page: {unseen}")

    problems = {name: f.problems for name, f in formats.items() if f.problems}
    report = {
        "vectors": len(project.vectors),
        "fields": {kind: len(paths) for kind, paths in project.fields.items()},
        "field_count": sum(len(p) for p in project.fields.values()),
        "placements": len(project.placements),
        "truncated_placements": sum(p.truncated for p in project.placements),
        "formats": {name: {"files": f.files, "elements": f.elements, "attributes": f.attributes, **dict(f.checks)}
                    for name, f in sorted(formats.items())},
        "placed_texts_found": {name: len(fiche_tokens & tokens) for name, tokens in sorted(seen.items())},
        "placed_texts": len(fiche_tokens),
        "records_read_back": records,
        "search_index": hostile.search,
    }
    path = tmp_path_factory.getbasetemp() / "hostile-output-report.json"
    path.write_text(json.dumps(report, indent=2))
    n_formats = len(formats)
    print(f"\nhostile output: {report['vectors']} attack vectors × {report['field_count']} text fields "
          f"({report['placements']} placements in {len({p.file for p in project.placements})} files) × {n_formats} output formats "
          f"({', '.join(sorted(formats))}); {sum(f.files for f in formats.values())} files, "
          f"{sum(f.elements for f in formats.values())} elements and {sum(f.attributes for f in formats.values())} attributes "
          f"inspected; 0 injections. Report: {path}")
    assert not problems, json.dumps(problems, indent=2)[:6000]


@pytest.mark.parametrize("address", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
                                     "vbscript:msgbox(1)", "data:text/html,<script>alert(1)</script>", "//evil.example/x",
                                     "/relative/page", "https://exa mple.org/", "https://example.org/\" onmouseover=\"alert(1)",
                                     "ftp://example.org/", "mailto:x@example.org"])
def test_an_address_that_is_not_a_web_page_is_refused_in_every_address_field(tmp_path, address):
    """Links, sources, organisation websites and programme websites take http(s) addresses only."""
    root = tmp_path / "p"
    (root / "content" / "projects").mkdir(parents=True)
    (root / "content" / "organisations").mkdir()
    (root / "content" / "vocabularies").mkdir()
    (root / "fichegen.toml").write_text('title = { en = "x" }\nlanguages = ["en"]\nfallback = ["en"]\n')
    quoted = json.dumps(address)
    (root / "content" / "projects" / "p.yaml").write_text(
        "original_language: en\ntitle: {en: P}\nsummary: {en: S}\n"
        f"links:\n  - url: {quoted}\nsources:\n  - title: Source\n    url: {quoted}\n")
    (root / "content" / "organisations" / "o.yaml").write_text(f"original_language: en\nname: {{en: O}}\ntype: ngo\nwebsite: {quoted}\n")
    (root / "content" / "vocabularies" / "organisation-types.yaml").write_text("ngo:\n  label: {en: NGO}\n")
    (root / "content" / "vocabularies" / "programmes.yaml").write_text(f"prog:\n  label: {{en: Prog}}\n  website: {quoted}\n")
    found = check(root).diagnostics
    refused = sorted((d.path, d.line) for d in found if d.code == "invalid-value")
    assert refused == [("content/organisations/o.yaml", 4), ("content/projects/p.yaml", 5), ("content/projects/p.yaml", 8),
                       ("content/vocabularies/programmes.yaml", 3)], found
