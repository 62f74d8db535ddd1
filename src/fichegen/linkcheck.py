"""Internal links of a built site: every href, src, srcset and #anchor must lead somewhere in it.

The checker reads the output folder as a web server would serve it under the site's base
path: `/en/projects/x/` is `en/projects/x/index.html`, a folder with an index.html answers
its address without the slash, and `#part` must be the id of an element of the target page.
Absolute addresses on the site's own host (canonical and alternate links, the sitemap, the
feeds) count as internal. Links to other hosts are not followed: no network is used.

A broken link written in a fiche (a Markdown link in its description, a `url`) breaks once per language:
`trace_to_fiches` reports it once, at the fiche's line and field, with the pages it broke in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Mapping
from urllib.parse import unquote, urljoin, urlsplit

from .written_links import WrittenLink, page_fiche

#: Attributes that hold one address, by attribute name (any element).
URL_ATTRIBUTES = frozenset({"href", "src", "poster", "action", "data", "formaction", "cite", "manifest"})
#: Schemes that never point into the site and are not checked.
OTHER_SCHEMES = frozenset({"mailto", "tel", "javascript", "data", "blob", "about", "sms", "geo"})
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_CSS_IMPORT = re.compile(r"""@import\s+(['"])([^'"]+)\1""")
_REFRESH = re.compile(r"""^\s*\d*\s*;?\s*url\s*=\s*['"]?([^'"]+)""", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class BrokenLink:
    """One address in one built file that leads nowhere."""

    page: str
    """The file holding the link, relative to the output folder."""
    line: int
    column: int
    url: str
    """The address exactly as written in the file."""
    reason: str


@dataclass(frozen=True)
class TracedLink:
    """A broken link of the built site written in a fiche: reported once, at the fiche's line and field, with
    every page (one per language) it broke in."""

    path: str
    """The fiche's file, relative to the project root."""
    line: int
    column: int
    field: str
    """Where in the fiche: description.en, links[0].url."""
    url: str
    reason: str
    pages: tuple[BrokenLink, ...]


@dataclass
class LinkReport:
    files: int = 0
    links: int = 0
    broken: list[BrokenLink] = field(default_factory=list)
    traced: list[TracedLink] = field(default_factory=list)
    """Broken links that come from a fiche (`trace_to_fiches`), no longer in `broken`."""

    @property
    def ok(self) -> bool:
        return not self.broken and not self.traced

    @property
    def count(self) -> int:
        """Broken links as an editor counts them: one per link written in a fiche, one per other link of a page."""
        return len(self.broken) + len(self.traced)


class _PageLinks(HTMLParser):
    """Collects the addresses and the anchor targets (ids, <a name>) of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[int, int, str]] = []
        self.anchors: set[str] = set()
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        values = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.anchors.add(value)
            elif name in URL_ATTRIBUTES:
                if tag == "base" and name == "href":
                    self.base = value
                else:
                    self.links.append((line, column + 1, value))
            elif name in ("srcset", "imagesrcset"):
                for candidate in value.split(","):
                    address = candidate.strip().split(" ")[0]
                    if address:
                        self.links.append((line, column + 1, address))
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            match = _REFRESH.match(values.get("content") or "")
            if match:
                self.links.append((line, column + 1, match[1].strip()))

    handle_startendtag = handle_starttag


class LinkChecker:
    """Checks the built site in `folder`, published at `base_url` + `base_path`."""

    def __init__(self, folder: Path, base_path: str = "/", base_url: str | None = None) -> None:
        self.folder = Path(folder)
        self.base_path = base_path if base_path.endswith("/") else base_path + "/"
        self.site_prefix = (base_url.rstrip("/") + self.base_path) if base_url else None
        self._pages: dict[Path, _PageLinks] = {}
        self._files: dict[str, Path | None] = {}

    # --- reading ---------------------------------------------------------------------

    def _page(self, path: Path) -> _PageLinks:
        page = self._pages.get(path)
        if page is None:
            page = _PageLinks()
            page.feed(path.read_text(encoding="utf-8", errors="replace"))
            page.close()
            self._pages[path] = page
        return page

    def _url_of(self, rel: str) -> str:
        """The address a file of the output folder is served at (index.html answers its folder)."""
        if rel == "index.html" or rel.endswith("/index.html"):
            rel = rel[: -len("index.html")]
        return self.base_path + rel

    # --- resolving ---------------------------------------------------------------------

    def resolve(self, address: str, page_url: str) -> tuple[Path | None, str, str | None]:
        """(target file or None when not internal, fragment, reason when broken)."""
        address = address.strip()
        parts = urlsplit(address)
        scheme = parts.scheme.lower()
        if scheme in OTHER_SCHEMES:
            return None, "", None
        if scheme or parts.netloc:
            absolute = address if scheme else "https:" + address
            if not (self.site_prefix and _same_site(absolute, self.site_prefix)):
                return None, "", None
            path = urlsplit(absolute).path or "/"
        else:
            path = urlsplit(urljoin(page_url, address)).path
        fragment = unquote(parts.fragment)
        if path + "/" == self.base_path:
            path = self.base_path
        if not path.startswith(self.base_path):
            return None, fragment, f"outside the site's base path {self.base_path}"
        segments = unquote(path[len(self.base_path):]).split("/")
        if ".." in segments:
            return None, fragment, "points above the output folder"
        rel = "/".join(s for s in segments if s not in ("", "."))
        if not rel or segments[-1] in ("", "."):
            rel = f"{rel}/index.html" if rel else "index.html"
        target = self._file(rel)
        if target is None:
            return None, fragment, f"no file {rel} in the built site"
        return target, fragment, None

    def _file(self, rel: str) -> Path | None:
        """The file served for `rel`; a folder answers with its index.html, as web servers do."""
        if rel not in self._files:
            target = self.folder / rel
            if target.is_dir() and (target / "index.html").is_file():
                target = target / "index.html"
            self._files[rel] = target if target.is_file() else None
        return self._files[rel]

    def check_address(self, address: str, page_url: str) -> str | None:
        """Why `address`, written in the page at `page_url`, is broken; None when it resolves."""
        target, fragment, reason = self.resolve(address, page_url)
        if reason or target is None:
            return reason
        if fragment and fragment != "top" and target.suffix in (".html", ".htm"):
            if fragment not in self._page(target).anchors:
                return f"no element with id \"{fragment}\" in {target.relative_to(self.folder).as_posix()}"
        return None

    # --- walking -------------------------------------------------------------------------

    def run(self) -> LinkReport:
        report = LinkReport()
        for path in sorted(self.folder.rglob("*")):
            if not path.is_file():
                continue
            rel = path.relative_to(self.folder).as_posix()
            suffix = path.suffix.lower()
            if suffix in (".html", ".htm"):
                page = self._page(path)
                page_url = self._url_of(rel)
                if page.base:
                    page_url = urljoin(page_url, page.base)
                found = page.links
            elif suffix == ".css":
                page_url = self._url_of(rel)
                found = _css_links(path.read_text(encoding="utf-8", errors="replace"))
            elif suffix == ".xml" and self.site_prefix:
                page_url = self._url_of(rel)
                found = _prefixed_links(path.read_text(encoding="utf-8", errors="replace"), self.site_prefix)
            else:
                continue
            report.files += 1
            for line, column, address in found:
                report.links += 1
                reason = self.check_address(address, page_url)
                if reason:
                    report.broken.append(BrokenLink(rel, line, column, address, reason))
        report.broken.sort()
        return report


def _same_site(address: str, site_prefix: str) -> bool:
    a, s = urlsplit(address), urlsplit(site_prefix)
    path = a.path or "/"
    return a.netloc.lower() == s.netloc.lower() and (path.startswith(s.path) or path + "/" == s.path)


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _css_links(text: str) -> list[tuple[int, int, str]]:
    out = []
    for pattern in (_CSS_URL, _CSS_IMPORT):
        for match in pattern.finditer(text):
            address = match[2].strip()
            if address and not address.startswith("#"):
                out.append((*_line_column(text, match.start(2)), address))
    return out


def _prefixed_links(text: str, site_prefix: str) -> list[tuple[int, int, str]]:
    """Addresses on the site's own host in an XML file (sitemap, Atom feed)."""
    pattern = re.compile(re.escape(site_prefix) + r"""[^\s<>"']*""")
    return [(*_line_column(text, m.start()), m[0].replace("&amp;", "&")) for m in pattern.finditer(text)]


def check_links(folder: Path, base_path: str = "/", base_url: str | None = None) -> LinkReport:
    """Every broken internal link of the site built in `folder`."""
    return LinkChecker(folder, base_path, base_url).run()


def trace_to_fiches(report: LinkReport, written: Mapping[str, list[WrittenLink]], page_sources: Mapping[tuple[str, str], str]) -> LinkReport:
    """The report with each broken link that a fiche writes moved into `traced`, once for all the pages (one per
    language) it broke in. `written`: address → where fiches write it (written_links.links_by_address);
    `page_sources`: (kind, id) of a fiche → its file, to prefer the fiche whose own page holds the link."""
    groups: dict[tuple, list[BrokenLink]] = {}
    where: dict[tuple, WrittenLink] = {}
    rest = []
    for b in report.broken:
        candidates = written.get(b.url.strip(), [])
        fiche = page_fiche(b.page)
        own = page_sources.get(fiche) if fiche else None
        lang = b.page.split("/", 1)[0]
        # the fiche whose page it is, and the text in the page's language (another one when it was shown as a fallback)
        ranked = sorted(candidates, key=lambda w: (w.path != own, not w.field.endswith(f".{lang}")))
        chosen = ranked[0] if ranked else None
        if chosen is None:
            rest.append(b)
            continue
        key = (chosen.path, chosen.line, chosen.column, chosen.address)
        groups.setdefault(key, []).append(b)
        where[key] = chosen
    traced = [TracedLink(w.path, w.line, w.column, w.field, w.address, groups[key][0].reason, tuple(groups[key]))
              for key, w in sorted(where.items())]
    return LinkReport(report.files, report.links, rest, traced)


# --- output formats ----------------------------------------------------------------------

def _pages(t: TracedLink) -> str:
    shown = ", ".join(f"{b.page}:{b.line}:{b.column}" for b in t.pages[:4])
    return shown + (f" and {len(t.pages) - 4} more" if len(t.pages) > 4 else "")


def format_text(report: LinkReport) -> str:
    lines = [f"{t.path}:{t.line}:{t.column}: broken link {t.url} in {t.field}: {t.reason} (on {_pages(t)})" for t in report.traced]
    lines += [f"{b.page}:{b.line}:{b.column}: broken link {b.url}: {b.reason}" for b in report.broken]
    return "\n".join(lines)


def format_github(report: LinkReport, out: str = "") -> str:
    from .diagnostics import _escape_data, _escape_property
    prefix = out.rstrip("/") + "/" if out and out != "." else ""
    lines = [f"::error file={_escape_property(t.path)},line={t.line},col={t.column},title=Broken link::"
             f"{_escape_data(f'{t.url} in {t.field}: {t.reason} (on {_pages(t)})')}" for t in report.traced]
    lines += [f"::error file={_escape_property(prefix + b.page)},line={b.line},col={b.column},title=Broken link::"
              f"{_escape_data(f'{b.url}: {b.reason}')}" for b in report.broken]
    return "\n".join(lines)


def format_json(report: LinkReport) -> str:
    import json
    traced = [{**{k: v for k, v in t.__dict__.items() if k != "pages"}, "pages": [b.__dict__ for b in t.pages]} for t in report.traced]
    return json.dumps({"files": report.files, "links": report.links, "from_fiches": traced,
                       "broken": [b.__dict__ for b in report.broken]}, ensure_ascii=False, indent=2)


def format_markdown(report: LinkReport) -> str:
    def cell(s: str) -> str:
        return s.replace("|", "\\|").replace("\n", " ")
    rows = ["| page | line | link | problem |", "|---|---|---|---|"]
    rows += [f"| {cell(t.path)} ({cell(t.field)}) | {t.line} | `{cell(t.url)}` | {cell(t.reason)} (on {cell(_pages(t))}) |"
             for t in report.traced]
    rows += [f"| {cell(b.page)} | {b.line} | `{cell(b.url)}` | {cell(b.reason)} |" for b in report.broken]
    return "\n".join(rows)
