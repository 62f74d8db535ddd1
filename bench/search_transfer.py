#!/usr/bin/env python3
"""What a reader's first search downloads, measured in a real browser on a built site.

Usage:  .venv/bin/python bench/search_transfer.py SITE [--lang en] [--query remittances ...]

Serves SITE (a `fichegen build` output with its Pagefind index) on 127.0.0.1, opens its search page
in Debian's chromium (Playwright, /usr/bin/chromium) with an empty cache for each query, and adds up
the Pagefind files the page fetched: bytes as served here (Pagefind's index, fragments and
WebAssembly are gzip files already), and bytes from a host that compresses text (its JavaScript and
JSON gzipped), which is what a reader of GitHub Pages receives. The issue's budget is 150 KB.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import threading
from pathlib import Path
from urllib.parse import quote, urlsplit


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def first_query(browser, origin: str, lang: str, query: str) -> dict[str, tuple[int, int]]:
    """Pagefind file → (bytes as served, bytes from a compressing host), for one query in a fresh context."""
    context = browser.new_context()
    page = context.new_page()
    fetched: dict[str, tuple[int, int]] = {}

    def record(response) -> None:
        if "/pagefind/" in response.url and response.ok:
            body = response.body()
            kind = response.header_value("content-type") or ""
            sent = len(gzip.compress(body)) if ("javascript" in kind or "json" in kind) else len(body)
            fetched[urlsplit(response.url).path] = (len(body), sent)

    page.on("response", record)
    page.goto(f"{origin}/{lang}/search/?q={quote(query)}")
    page.wait_for_function(
        "() => { const r = document.querySelector('.search-results');"
        " const s = document.querySelector('.search-status');"
        " return r && !r.hasAttribute('aria-busy') && s && s.textContent.trim() !== ''; }", timeout=60_000)
    results = page.locator(".search-results-list .result-title a").count()
    context.close()
    fetched["(results shown)"] = (results, 0)
    return fetched


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--lang", default="en")
    ap.add_argument("--query", action="append", help="repeatable (default: remittances, employment, Morocco)")
    args = ap.parse_args()
    queries = args.query or ["remittances", "employment", "Morocco"]
    handler = functools.partial(QuietHandler, directory=str(args.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_port}"
    from playwright.sync_api import sync_playwright

    files = sum(1 for _ in (args.site / "pagefind").rglob("*") if _.is_file())
    print(f"site {args.site}: {files} Pagefind files")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            for query in queries:
                fetched = first_query(browser, origin, args.lang, query)
                results = fetched.pop("(results shown)")[0]
                raw = sum(r for r, _ in fetched.values())
                sent = sum(c for _, c in fetched.values())
                print(f"first query {query!r} ({args.lang}): {results} results shown, {len(fetched)} Pagefind files, "
                      f"{raw / 1024:.1f} KiB as served, {sent / 1024:.1f} KiB from a compressing host "
                      f"({'within' if sent <= 150_000 else 'over'} the 150 KB budget)")
                for path, (size, compressed) in sorted(fetched.items(), key=lambda kv: -kv[1][1]):
                    print(f"  {compressed:>9}  {path}")
        finally:
            browser.close()
            server.shutdown()


if __name__ == "__main__":
    main()
