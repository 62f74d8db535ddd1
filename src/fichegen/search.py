"""Search: Pagefind indexes the built fiche pages, one index per page language (<html lang>).

Runs on the complete temporary site folder, before it is swapped in, and writes the
bundle (JavaScript, WebAssembly, index chunks) to <site>/pagefind/. Only fiche pages are
indexed: their <main> carries data-pagefind-body, and the glob below never even offers
list, term or search pages to Pagefind. Filters, sort keys and result metadata come from
the fiche templates (`data-pagefind-filter`, `-sort`, `-meta`, shaped in render/views.py).
Text shown through the fallback marker is `data-pagefind-ignore`d: it is indexed on the
page of its own language instead (docs/search.md).
"""

from __future__ import annotations

import asyncio
import gzip
import json
import shutil
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .render.urls import SECTION

BUNDLE = "pagefind"

#: Parts of a fiche page that are interface, not content: section headings and field labels ("Summary",
#: "Partners"), notes such as a partner's role, the "calculated" marks and the charts (their numbers are
#: in the facts). Left out of the index, so excerpts read as text and "partners" does not match every page.
NOT_CONTENT = ("h2", ".facts dt", ".derived", ".note", ".empty", "figure.chart")

#: Pagefind's ready-made interfaces: the theme's static/search.js uses the JS API (pagefind.js) instead.
READY_MADE_UI = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                 "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


class SearchIndexError(Exception):
    """Pagefind could not index the site."""


@dataclass
class SearchIndex:
    """What Pagefind wrote: pages indexed in total and per language."""

    pages: int
    languages: dict[str, int] = field(default_factory=dict)


def fiche_glob() -> str:
    """The fiche pages of every language: <lang>/<section>/<id>/index.html."""
    return "*/{" + ",".join(sorted(SECTION.values())) + "}/*/index.html"


def index_site(folder: Path, languages: list[str], bundle: Path | None = None) -> SearchIndex:
    """Index the fiche pages of the site in `folder` into `bundle` (by default `folder`/pagefind/)."""
    folder = Path(folder).absolute()
    bundle = Path(bundle).absolute() if bundle else folder / BUNDLE
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:  # called from async code: Pagefind gets its own loop in a thread
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, _index(folder, languages, bundle)).result()
    return asyncio.run(_index(folder, languages, bundle))


async def _index(folder: Path, languages: list[str], bundle: Path) -> SearchIndex:
    from pagefind.index import PagefindIndex

    config = {"output_path": str(bundle), "write_playground": False, "exclude_selectors": list(NOT_CONTENT)}
    for _ in range(ATTEMPTS):
        try:
            async with PagefindIndex(config=config) as index:
                indexed = await index.add_directory(str(folder), glob=fiche_glob())
        except FileNotFoundError as exc:  # no binary: the wheel of pagefind[bin] is missing
            raise SearchIndexError(f"the Pagefind binary was not found ({exc}); install fichegen with pagefind[bin]") from None
        except Exception as exc:
            raise SearchIndexError(f"Pagefind could not index {folder}: {exc}") from exc
        problem = incomplete(bundle)
        if problem is None:
            break
        shutil.rmtree(bundle, ignore_errors=True)
    else:
        raise SearchIndexError(f"Pagefind left an incomplete search index {ATTEMPTS} times ({problem})")
    written = _entry(bundle).get("languages", {})
    _drop_unused(bundle, {info.get("wasm") for info in written.values()})
    return SearchIndex(indexed.get("page_count", 0),
                       {lang: written[lang].get("page_count", 0) for lang in languages if lang in written})


#: Pagefind answers that the files are written before all of them are on disk, and its Python wrapper stops the
#: process right after: on a busy machine a file (seen: an empty pagefind-entry.json) is cut short. So the
#: bundle is read back, and indexed again when it is incomplete, rather than published broken.
ATTEMPTS = 3


def incomplete(bundle: Path) -> str | None:
    """What is cut short in a Pagefind bundle, or None when every index file reads back whole."""
    try:
        if not json.loads((bundle / "pagefind-entry.json").read_text("utf-8")).get("languages"):
            return "pagefind-entry.json names no language"
    except (OSError, ValueError) as exc:
        return f"pagefind-entry.json: {exc}"
    for path in bundle.rglob("*.pf_*"):
        try:
            if not gzip.decompress(path.read_bytes()).startswith(b"pagefind_dcd"):
                return f"{path.name} is empty"
        except (OSError, EOFError, zlib.error) as exc:
            return f"{path.name}: {exc}"
    return None


def _entry(bundle: Path) -> dict:
    """Pagefind's entry file: the index of each language, with its page count and WebAssembly build."""
    entry = bundle / "pagefind-entry.json"
    return json.loads(entry.read_text("utf-8")) if entry.is_file() else {}


def _drop_unused(bundle: Path, wasm_in_use: set[str | None]) -> None:
    """Leave out of the site what no reader ever loads: the ready-made UIs, WebAssembly of absent languages."""
    for name in READY_MADE_UI:
        (bundle / name).unlink(missing_ok=True)
    for wasm in bundle.glob("wasm.*.pagefind"):
        if wasm.name.split(".")[1] not in wasm_in_use:
            wasm.unlink()
