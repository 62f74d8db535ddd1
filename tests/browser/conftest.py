"""The built site served on 127.0.0.1 and read in headless Debian chromium, as a reader would.

Every page a test opens is watched: a console error or an uncaught exception on any of them
fails that test when it ends.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "tests" / "screenshots"


class StaticHost:
    """A plain static web server for a built site, mounted at `prefix` like a GitHub project page (/repo/)."""

    def __init__(self, folder: Path, prefix: str = "/"):
        self.folder = Path(folder)
        self.prefix = prefix
        handler = functools.partial(_SiteHandler, directory=str(self.folder), prefix=prefix)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.origin = f"http://127.0.0.1:{self.server.server_port}"

    def url(self, path: str = "") -> str:
        """The address of `path`, relative to the site root (under the prefix)."""
        return self.origin + self.prefix + path.lstrip("/")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, prefix: str = "/", **kwargs):
        self.prefix = prefix
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / ".outside-the-mounted-site")   # a 404, as on the real host
        return super().translate_path("/" + path[len(self.prefix):])

    def log_message(self, format, *args):   # keep the test output readable
        pass


class Reader:
    """One browser tab on the site, recording every console error and uncaught exception."""

    def __init__(self, page, host: StaticHost):
        self.page = page
        self.host = host
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(f"console error on {page.url}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"uncaught exception on {page.url}: {e}"))

    def visit(self, path: str):
        response = self.page.goto(self.host.url(path))
        assert response is not None and response.ok, f"{path}: HTTP {response.status if response else 'no response'}"
        return response

    def search(self, lang: str, query: str = ""):
        """Open the search page of `lang` with ?q=`query` and wait until its results are shown."""
        from urllib.parse import quote
        self.visit(f"{lang}/search/" + (f"?q={quote(query)}" if query else ""))
        self.wait_for_results()

    def wait_for_results(self) -> None:
        self.page.wait_for_function(
            "() => { const r = document.querySelector('.search-results');"
            " const s = document.querySelector('.search-status');"
            " return r && !r.hasAttribute('aria-busy') && s && s.textContent.trim() !== ''; }")

    def result_urls(self) -> list[str]:
        return self.page.locator(".search-results-list .result-title a").evaluate_all("links => links.map(a => a.href)")

    def status(self) -> str:
        return self.page.locator(".search-status").inner_text()

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture(scope="session")
def serve():
    """Serve a built site folder (under a prefix such as /repo/) on 127.0.0.1 until the session ends."""
    hosts: list[StaticHost] = []

    def start(folder: Path, prefix: str = "/") -> StaticHost:
        hosts.append(StaticHost(folder, prefix))
        return hosts[-1]

    yield start
    for host in hosts:
        host.close()


@pytest.fixture(scope="session")
def site(searchable_showcase, serve) -> StaticHost:
    """The showcase with its search index, served at the root of a local host."""
    return serve(searchable_showcase)


@pytest.fixture(scope="session")
def site_under_base_path(tmp_path_factory, serve) -> StaticHost:
    """The showcase built with --base-path /repo/ and served so that /repo/ is the site folder."""
    from fichegen.build import build

    out = tmp_path_factory.mktemp("showcase-repo") / "site"
    result = build(REPO, out, "/repo/", search=True)
    assert result.ok, [str(d) for d in result.check.errors]
    return serve(out, "/repo/")


@pytest.fixture
def open_reader(chromium):
    """Open a tab on a host (`javascript=False` for a reader without JavaScript); fails the test on page errors."""
    contexts, readers = [], []

    def open_tab(host: StaticHost, javascript: bool = True, **context_options) -> Reader:
        context = chromium.new_context(java_script_enabled=javascript, **context_options)
        contexts.append(context)
        reader = Reader(context.new_page(), host)
        readers.append(reader)
        return reader

    yield open_tab
    for context in contexts:
        context.close()
    errors = [e for r in readers for e in r.errors]
    if errors:
        pytest.fail("the pages reported errors:\n" + "\n".join(errors))


@pytest.fixture
def reader(open_reader, site) -> Reader:
    """A tab with JavaScript on the showcase site."""
    return open_reader(site, viewport={"width": 1280, "height": 900})
