"""`serve`: a local preview that follows every save in well under a second, and reloads the browser.

The site is held in memory (resident.py): the graph, the renderer and every page rendered so far with what it read.
Three kinds of threads cooperate:

- two watchers (watchfiles): one recursive on the content and theme folders, one on the project
  folder itself (non-recursive) for fichegen.toml and for those folders appearing, vanishing or
  being replaced; they hand the changed paths to the updater;
- one updater: re-reads the changed files, re-links what depends on them and drops the pages that read
  what changed (edits made meanwhile cause one more update, none is lost); then every open page is told
  to reload (server-sent events);
- the HTTP server (127.0.0.1 only): renders a page when it is asked for (and keeps it), with a small
  script added to every HTML page (an external file, since pages forbid inline scripts) that listens to
  the events. site/ is never touched.

Problems never take the site down: a file's problems are shown over the pages that read it (an overlay), a new
fiche that does not validate yet shows its problems at its address, a page that fails to render shows why, and
/__fichegen/problems lists every problem; only a configuration that cannot be read turns every page into the
problems page. Nothing is ever raised out of the updater or a request handler.

Extension point: `DevServer.add_route(prefix, handler)` serves every address under `prefix` (GET, HEAD and POST)
with `handler(request, method)`, where `request` is the http.server request handler (its `path`, `headers`,
`rfile`, and `send(status, content_type, body)`); the server's own addresses are under /__fichegen/. This is how
a tool such as a web editor adds its pages and its save action to the preview, and `DevServer.changed(paths)`
(with `wait=True`) brings the preview up to date with what it wrote before it answers.
"""

from __future__ import annotations

import html
import re
import json
import mimetypes
import shutil
import sys
import tempfile
import threading
import time
import traceback
import uuid
from dataclasses import asdict, dataclass, field, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, unquote, urlsplit

from .cache import CACHE_DIR
from .config import CONFIG_FILE
from .diagnostics import Diagnostic
from .editor.admin import ADMIN, bundle_installed
from .editor.preview import EditorInPreview
from .resident import ResidentSite

PREFIX = "/__fichegen/"
EVENTS = PREFIX + "events"
RELOAD_JS = PREFIX + "reload.js"
STATUS = PREFIX + "status"
PROBLEMS = PREFIX + "problems"
OVERLAY_CSS = PREFIX + "overlay.css"
KEEPALIVE_SECONDS = 10.0

#: The script every served HTML page loads: it waits for the next build and reloads the page.
RELOAD_SCRIPT = """// Added by `fichegen serve` only: reloads the page when the site has been rebuilt.
(function () {
  var me = document.currentScript;
  var since = (me && me.getAttribute("data-build")) || "";
  var events = new EventSource("%s?since=" + encodeURIComponent(since));
  events.addEventListener("reload", function () { events.close(); window.location.reload(); });
})();
""" % EVENTS


@dataclass(frozen=True)
class Problem(Diagnostic):
    """Why the site could not be built: a diagnostic from the content, or an exception with where it happened."""

    detail: str = ""          # a traceback, for exceptions
    excerpt: str = ""         # the lines around the problem, with a caret under its column


def excerpt(root: Path, path: str, line: int, column: int) -> str:
    """Lines line-1 … line+1 of the file at `path` (relative to root), numbered, with a ^ under the column."""
    try:
        file = (root / path).resolve()
        if not file.is_relative_to(root.resolve()) or not file.is_file() or file.stat().st_size > 2_000_000:
            return ""
        lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    if not 1 <= line <= len(lines):
        return ""
    out = []
    width = len(str(min(line + 1, len(lines))))
    for n in range(max(1, line - 1), min(len(lines), line + 1) + 1):
        out.append(f"{n:>{width}} | {lines[n - 1]}")
        if n == line:
            out.append(" " * width + " | " + " " * max(0, column - 1) + "^")
    return "\n".join(out)


@dataclass
class BuildState:
    """The preview after the latest update: its generation (pages older than it reload), the problems, timings."""

    generation: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: int = 0
    seconds: float = 0.0
    fatal: bool = False       # nothing can be shown but the problems (the configuration cannot be read)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


#: A frame of a traceback written as text (multiprocessing's RemoteTraceback).
_REMOTE_FRAME = re.compile(r'File "([^"]+)", line (\d+)')


def problem_from_exception(exc: BaseException, root: Path) -> Problem:
    """The most useful place for an exception: the template line for template errors, else the raising line."""
    import jinja2

    detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))

    def shown(filename: str) -> str:
        try:
            return Path(filename).resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError):
            return filename

    if isinstance(exc, jinja2.TemplateSyntaxError):
        return Problem(shown(exc.filename or exc.name or "template"), exc.lineno or 1, 1, "template-error",
                       f"template syntax error: {exc.message}", "fix the template in templates/", detail=detail)
    frames = traceback.extract_tb(exc.__traceback__)
    remote = getattr(exc.__cause__, "tb", "")     # raised in a page worker: its traceback comes as text
    frames += [traceback.FrameSummary(name, int(line), "") for name, line in _REMOTE_FRAME.findall(remote or "")]
    in_templates = [f for f in frames if f.filename.endswith((".html", ".xml", ".txt")) and "templates" in f.filename]
    frame = in_templates[-1] if in_templates else (frames[-1] if frames else None)
    message = f"{type(exc).__name__}: {exc}"
    if frame is None:
        return Problem("(build)", 1, 1, "build-error", message, detail=detail)
    hint = "fix the template in templates/" if in_templates else "this is a fault in fichegen or the theme: the details follow"
    return Problem(shown(frame.filename), frame.lineno or 1, 1, "template-error" if in_templates else "build-error",
                   message, hint, detail=detail)


def error_page(state: BuildState, instance: str = "", problems: list[Problem] | None = None, heading: str | None = None) -> bytes:
    """A page of problems (escaped) with the reload script: the problems page, the page of a fiche that does not
    validate yet, a page that failed to render, or every page while the configuration cannot be read."""
    e = html.escape
    shown = state.problems if problems is None else problems
    count = len(shown)
    heading = heading or f"The site cannot be built: {count} problem{'s' * (count != 1)}"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(heading)} – fichegen serve</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1b1b1b; }}
h1 {{ color: #a4000f; font-size: 1.5rem; }}
ol {{ padding-left: 1.2rem; }} li {{ margin-bottom: 1.2rem; }} li p {{ margin: .2rem 0; }}
.where {{ font-weight: 700; }} .code {{ color: #555; }} .hint {{ color: #0b5394; }}
pre {{ overflow-x: auto; background: #f4f4f4; padding: .75rem; font-size: .85rem; }}
</style>
</head>
<body>
<main>
<h1>{e(heading)}</h1>
<p>Fix the file{'s' * (count != 1)} below and save: this page reloads by itself when the site builds again.</p>
<ol class="problems">
{_problem_items(shown)}
</ol>
</main>
{reload_tag(state, instance)}
</body>
</html>
""".encode("utf-8")


def reload_tag(state: BuildState, instance: str = "") -> str:
    return f'<script src="{RELOAD_JS}" data-build="{html.escape(instance)}.{state.generation}" defer></script>'


def inject_reload(page: bytes, tag: str) -> bytes:
    """The page with the reload script added just before </body> (or at the end)."""
    marker = page.rfind(b"</body>")
    script = tag.encode("utf-8")
    if marker < 0:
        return page + script
    return page[:marker] + script + b"\n" + page[marker:]


def _problem_items(problems: list[Problem]) -> str:
    e = html.escape
    items = []
    for p in problems:
        where = f"{e(p.path)}:{p.line}:{p.column}"
        hint = f'<p class="hint">{e(p.hint)}</p>' if p.hint else ""
        hint += f'<pre class="excerpt">{e(p.excerpt)}</pre>' if p.excerpt else ""
        detail = f"<details><summary>Details</summary><pre>{e(p.detail)}</pre></details>" if p.detail else ""
        items.append(f'<li><p><code class="where">{where}</code> <span class="code">[{e(p.code)}]</span> '
                     f'<span class="severity">{e(str(p.severity.value))}</span></p>'
                     f'<p class="message">{e(p.message)}</p>{hint}{detail}</li>')
    return "\n".join(items)


#: The overlay's look: an external stylesheet, since the pages' Content-Security-Policy allows no inline style.
OVERLAY_STYLE = """.fichegen-problems { position: fixed; left: 1rem; right: 1rem; bottom: 1rem; max-height: 45vh; overflow: auto;
  z-index: 2147483647; background: #fff8f8; color: #1b1b1b; border: 3px solid #a4000f; border-radius: .5rem;
  padding: .5rem 1rem; font: 15px/1.45 system-ui, sans-serif; box-shadow: 0 .3rem 1.5rem rgba(0,0,0,.3); }
.fichegen-problems h2 { color: #a4000f; font-size: 1.1rem; margin: .3rem 0; }
.fichegen-problems ol { padding-left: 1.2rem; margin: .3rem 0; } .fichegen-problems li p { margin: .1rem 0; }
.fichegen-problems .where { font-weight: 700; } .fichegen-problems .code, .fichegen-problems .severity { color: #555; }
.fichegen-problems .hint { color: #0b5394; }
.fichegen-problems pre { overflow-x: auto; background: #f4f4f4; padding: .5rem; font-size: .8rem; }
"""


def overlay(problems: list[Problem]) -> str:
    """The problems of the files a page shows, over the page (the page itself still works)."""
    count = len(problems)
    return (f'<link rel="stylesheet" href="{OVERLAY_CSS}">'
            f'<aside class="fichegen-problems" role="alert" aria-label="fichegen problems">'
            f'<h2>{count} problem{"s" * (count != 1)} in what this page shows</h2>'
            f'<ol class="problems">{_problem_items(problems)}</ol>'
            f'<p><a href="{PROBLEMS}">Every problem of the site</a> · this page reloads by itself once they are fixed.</p>'
            f'</aside>')


def inject_overlay(page: bytes, problems: list[Problem]) -> bytes:
    if not problems:
        return page
    return inject_reload(page, overlay(problems))


class _Either:
    """A stop event for watchfiles that is set when any of several events is."""

    def __init__(self, *events: threading.Event):
        self.events = events

    def is_set(self) -> bool:
        return any(e.is_set() for e in self.events)


class DevServer:
    """The preview server of one project; `start()` loads the site and serves, `stop()` ends every thread."""

    def __init__(self, root: Path, port: int = 8000, *, search: bool = False, host: str = "127.0.0.1",
                 log: Callable[[str], None] | None = None, editor: bool = False):
        self.root = Path(root).resolve()
        self.editor = editor          # serve the web editor at /admin/ against the local files
        self.host = host
        self.port = port
        self.search = search
        self.log = log or (lambda message: None)
        self.instance = uuid.uuid4().hex[:8]
        self.state = BuildState()
        self.site: ResidentSite | None = None
        self.routes: list[tuple[str, Callable[[BaseHTTPRequestHandler, str], None]]] = []
        EditorInPreview(self, local=editor).install()    # /admin/, and with `editor` the local backend
        self._cond = threading.Condition()
        self._pending: set[Path] = set()
        self._dirty = threading.Event()
        self._stopping = threading.Event()
        self._rewatch = threading.Event()
        self._tree_ready = threading.Event()
        self._root_ready = threading.Event()
        self._workdir = Path(tempfile.mkdtemp(prefix="fichegen-serve-"))
        self._search_site: Path | None = None
        self._threads: list[threading.Thread] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._serving = False

    # --- life cycle ----------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def add_route(self, prefix: str, handler: Callable[[BaseHTTPRequestHandler, str], None]) -> None:
        """Serve every address under `prefix` with `handler(request, method)` (GET, HEAD, POST): the extension
        point for tools added to the preview (see the module's docstring)."""
        self.routes.append((prefix, handler))

    def start(self) -> "DevServer":
        """Watch first, then load, then serve: an edit made at any moment after start() is seen."""
        self._httpd = ThreadingHTTPServer((self.host, self.port), _handler_for(self))
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._spawn(self._watch_tree, "watch-tree")
        self._spawn(self._watch_root, "watch-root")
        self._tree_ready.wait(10)
        self._root_ready.wait(10)
        with self._cond:
            self._pending.clear()
            self._dirty.clear()
        self.rebuild(None)
        self._spawn(self._updater, "updater")
        self._spawn(lambda: self._httpd.serve_forever(poll_interval=0.1), "http")   # short polls: a quick stop()
        self._serving = True
        if self.search:
            self._spawn(self._index_search, "search")
        return self

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=f"fichegen-serve-{name}", daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self) -> None:
        self._stopping.set()
        with self._cond:
            self._cond.notify_all()
        if self._httpd is not None:
            if self._serving:    # shutdown() waits for serve_forever(), which never ran if start() was cut short
                self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        deadline = time.monotonic() + 5    # 5 s for all the threads, not each: they are daemons, and Ctrl+C must stop soon
        for thread in self._threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        self._threads.clear()
        shutil.rmtree(self._workdir, ignore_errors=True)

    def __enter__(self) -> "DevServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def wait(self) -> None:
        """Block until stop() (or Ctrl+C in the caller)."""
        while not self._stopping.wait(0.5):
            pass

    # --- updating ------------------------------------------------------------------
    def rebuild(self, paths: set[Path] | None) -> BuildState:
        """Load the site (None) or bring it up to date after `paths` changed; never raises."""
        started = time.perf_counter()
        problems: list[Problem] = []
        fatal = False
        warnings = 0
        try:
            if self.site is None or paths is None:
                self.site = ResidentSite(self.root, cache_dir=self.root / CACHE_DIR, workers=None if paths is None else 1)
            else:
                self.site.update(paths)
            site = self.site
            fatal = site.renderer is None
            warnings = len([d for d in site.problems if not d.is_error])
            problems = [Problem(d.path, d.line, d.column, d.code, d.message, d.hint, d.severity,
                                excerpt=excerpt(self.root, d.path, d.line, d.column) if d.is_error else "") for d in site.problems]
        except Exception as exc:  # any fault anywhere: shown, never fatal to the server
            problem = problem_from_exception(exc, self.root)
            problems = [replace(problem, excerpt=excerpt(self.root, problem.path, problem.line, problem.column))]
            fatal = True
            self.site = None      # whatever it held may be half updated: the next change loads everything again
        seconds = time.perf_counter() - started
        with self._cond:
            self.state = BuildState(self.state.generation + 1, problems, warnings, seconds, fatal)
            self._cond.notify_all()
            state = self.state
        errors = [p for p in problems if p.is_error]
        if not errors:
            self.log(f"✓ up to date in {seconds:.2f}s" + (f" ({warnings} warning{'s' * (warnings != 1)})" if warnings else ""))
        else:
            self.log(f"✗ {len(errors)} problem{'s' * (len(errors) != 1)}, shown in the browser ({PROBLEMS}):")
            for p in errors[:20]:
                self.log(f"  {p.path}:{p.line}:{p.column}: [{p.code}] {p.message}")
        return state

    def _updater(self) -> None:
        while not self._stopping.is_set():
            if not self._dirty.wait(0.2):
                continue
            with self._cond:
                paths, self._pending = self._pending, set()
                self._dirty.clear()
            if not self._stopping.is_set():
                self.rebuild(paths)

    def changed(self, paths: set[Path] | None = None, *, wait: bool = False) -> None:
        """Files changed (None: something site-wide, or unknown): update soon, or now with `wait` (a tool that saved
        a file and shows the result next)."""
        if wait and paths:
            self.rebuild(set(paths))
            return
        with self._cond:
            self._pending |= set(paths) if paths else {self.root / CONFIG_FILE}
            self._dirty.set()

    def _index_search(self) -> None:
        """`--search`: the site built once with its search index, whose pagefind/ folder the preview serves (it is
        not made again after edits)."""
        from .build import build

        try:
            out = self._workdir / "search"
            result = build(self.root, out, "/", search=True, workers=1, cache_dir=self.root / CACHE_DIR)
            if result.ok:
                self._search_site = out
                self.log("✓ search index ready (made once: it does not follow edits)")
        except Exception as exc:
            self.log(f"(no search index: {exc})")

    # --- watching ------------------------------------------------------------------
    def watched(self) -> tuple[list[Path], set[str]]:
        """The folders to watch recursively, and the names in the project folder that matter."""
        from .config import load_config
        from .overrides import OVERRIDE_FOLDERS

        names = {CONFIG_FILE, "content", *OVERRIDE_FOLDERS}
        try:
            config, _ = load_config(self.root)
        except Exception:
            config = None
        folders = [self.root / (config.content_dir if config is not None else "content")]
        if config is not None:
            names.add(config.content_dir)
        folders += [self.root / folder for folder in OVERRIDE_FOLDERS]   # the project's templates/, static/, i18n/
        return [f for f in dict.fromkeys(folders) if f.is_dir() and not f.is_symlink()], names

    def _watch_tree(self) -> None:
        import watchfiles

        restarted = False
        while not self._stopping.is_set():
            self._rewatch.clear()
            folders, _ = self.watched()
            if not folders:
                self._tree_ready.set()
                self._stopping.wait(0.3)
                continue
            try:
                # yield_on_timeout: the first (empty) batch says the watches are in place; step: a batch is handed
                # over once the files have been quiet for 30 ms
                for changes in watchfiles.watch(*folders, stop_event=_Either(self._stopping, self._rewatch), debounce=400,
                                                step=30, raise_interrupt=False, rust_timeout=200, yield_on_timeout=True):
                    if not self._tree_ready.is_set() or restarted:
                        self._tree_ready.set()
                        if restarted:
                            restarted = False
                            self.changed()   # whatever happened while no watcher ran
                    if changes:
                        self.changed({Path(path) for _, path in changes})
            except Exception as exc:  # a watched folder vanished mid-way: watch again
                self.log(f"(watching again after: {exc})")
                self._stopping.wait(0.2)
            restarted = True

    def _watch_root(self) -> None:
        import watchfiles

        def relevant(change, path: str) -> bool:
            return Path(path).name in self.watched()[1]

        while not self._stopping.is_set():
            try:
                for changes in watchfiles.watch(self.root, watch_filter=relevant, recursive=False, stop_event=self._stopping,
                                                debounce=400, step=30, raise_interrupt=False, rust_timeout=200,
                                                yield_on_timeout=True):
                    self._root_ready.set()
                    if changes:
                        self._rewatch.set()   # content/ or theme/ replaced, or the configuration changed
                        self.changed()
            except Exception as exc:
                self.log(f"(watching again after: {exc})")
                self._stopping.wait(0.2)
            self._root_ready.set()

    # --- serving -------------------------------------------------------------------
    def wait_for_change(self, since: int, timeout: float) -> int:
        with self._cond:
            self._cond.wait_for(lambda: self.state.generation > since or self._stopping.is_set(), timeout)
            return self.state.generation

    def problems_of(self, files) -> list[Problem]:
        return [p for p in self.state.problems if p.path in files and p.is_error]


def _handler_for(server: DevServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        dev = server
    return Handler


class _Handler(BaseHTTPRequestHandler):
    dev: DevServer
    server_version = "fichegen-serve"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet: the updater reports what matters
        pass

    def do_HEAD(self) -> None:
        self._answer("HEAD")

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def _answer(self, method: str) -> None:
        head = method == "HEAD"
        try:
            path = unquote(urlsplit(self.path).path)
            for prefix, handler in self.dev.routes:
                if path.startswith(prefix):
                    return handler(self, method)
            if method == "POST":
                return self.send(HTTPStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", b"Not allowed.", head)
            self._route(head)
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception as exc:  # never let one request take anything down
            try:
                state = BuildState(self.dev.state.generation, [problem_from_exception(exc, self.dev.root)])
                self.send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", error_page(state), head)
            except Exception:
                pass

    def send(self, status: int, content_type: str, body: bytes, head: bool = False, headers: dict | None = None) -> None:
        """Answer the request (also for the handlers of add_route)."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    _send = send

    def _route(self, head: bool) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        state = self.dev.state
        if path == RELOAD_JS:
            return self.send(HTTPStatus.OK, "text/javascript; charset=utf-8", RELOAD_SCRIPT.encode(), head)
        if path == OVERLAY_CSS:
            return self.send(HTTPStatus.OK, "text/css; charset=utf-8", OVERLAY_STYLE.encode(), head)
        if path == EVENTS:
            return self._events(parse_qs(parts.query).get("since", [""])[0])
        if path == STATUS:
            body = json.dumps({"generation": state.generation, "ok": state.ok, "seconds": round(state.seconds, 3),
                               "problems": [asdict(p) for p in state.problems]}).encode()
            return self.send(HTTPStatus.OK, "application/json", body, head)
        if path == PROBLEMS:
            count = len(state.problems)
            heading = f"{count} problem{'s' * (count != 1)}" if count else "No problems"
            return self.send(HTTPStatus.OK, "text/html; charset=utf-8", error_page(state, self.dev.instance, heading=heading), head)
        site = self.dev.site
        if state.fatal or site is None:
            return self.send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", error_page(state, self.dev.instance), head)
        if any(p in (".", "..") or "\\" in p or "\x00" in p for p in path.split("/")):
            return self._not_found(path, state, head)
        if path.startswith("/pagefind/") and self.dev._search_site is not None:
            target = _file_in(self.dev._search_site, path)
            if target is not None and target.is_file():
                return self.send(HTTPStatus.OK, mimetypes.guess_type(target.name)[0] or "application/octet-stream",
                                 target.read_bytes(), head)
        last = path.rsplit("/", 1)[-1]
        if path and not path.endswith("/") and "." not in last and site.serve(path + "/") is not None:
            return self.send(HTTPStatus.MOVED_PERMANENTLY, "text/plain", b"", head, {"Location": parts.path + "/"})
        served = site.serve(path)
        if served is None:
            return self._not_found(path, state, head)
        if served.error is not None:
            problem = problem_from_exception(served.error, self.dev.root)
            problem = replace(problem, excerpt=excerpt(self.dev.root, problem.path, problem.line, problem.column))
            return self.send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8",
                             error_page(state, self.dev.instance, [problem], "This page cannot be rendered"), head)
        self._page(served.status, served.content_type, served.body, self.dev.problems_of(served.problems), state, head)

    def _page(self, status: int, content_type: str, body: bytes, problems: list[Problem], state: BuildState, head: bool) -> None:
        if content_type.startswith("text/html"):
            body = inject_reload(inject_overlay(body, problems), reload_tag(state, self.dev.instance))
        elif content_type.startswith("text/") or content_type in ("application/javascript", "application/json", "application/xml"):
            content_type += "; charset=utf-8"
        self.send(status, content_type, body, head)

    def _not_found(self, path: str, state: BuildState, head: bool) -> None:
        site = self.dev.site
        broken = site.missing(path) if site is not None else None
        if broken is not None:     # a new fiche that does not validate yet: its problems where its page will be
            return self.send(HTTPStatus.OK, "text/html; charset=utf-8",
                             error_page(state, self.dev.instance, self.dev.problems_of([broken]),
                                        f"{broken} does not validate yet"), head)
        lang = path.strip("/").split("/", 1)[0]
        languages = site.config.languages if site is not None and site.renderer is not None else []
        if lang in languages:
            served = site.serve(f"/{lang}/404.html")
            if served is not None and served.error is None:
                return self._page(HTTPStatus.NOT_FOUND, served.content_type, served.body, [], state, head)
        self.send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"Not found.", head)

    def _events(self, since: str) -> None:
        """Server-sent events: `reload` once a build newer than the page's has finished."""
        instance, _, generation = since.partition(".")
        seen = self.dev.state.generation
        # A page built before the latest build, or served by an earlier run of the server, is out of date already.
        stale_page = bool(since) and (instance != self.dev.instance or not generation.isdigit() or int(generation) < seen)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(b"retry: 1000\n\n" + (f"event: reload\ndata: {seen}\n\n".encode() if stale_page else b""))
        self.wfile.flush()
        while not self.dev.stopping:
            current = self.dev.wait_for_change(seen, KEEPALIVE_SECONDS)
            if self.dev.stopping:
                break
            if current > seen:
                self.wfile.write(f"event: reload\ndata: {current}\n\n".encode())
                seen = current
            else:
                self.wfile.write(b": waiting\n\n")
            self.wfile.flush()



def _file_in(site: Path, path: str) -> Path | None:
    """The file for a URL path inside the site folder, or None for anything that would leave it."""
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") or "\\" in p or "\x00" in p for p in parts):
        return None
    target = site.joinpath(*parts)
    try:
        if not target.resolve().is_relative_to(site.resolve()):
            return None
    except OSError:
        return None
    return target


def run(root: Path, port: int, search: bool, echo: Callable[[str], None], editor: bool = False) -> None:
    """What `fichegen serve` does: load, serve, follow every change, until Ctrl+C."""
    if editor and not bundle_installed():
        echo("The web editor is not installed (the Decap CMS bundle is missing): run `bash scripts/setup.sh` in a checkout. "
             "Serving the site without it.")
    server = DevServer(root, port, search=search, log=echo, editor=editor)
    try:   # Ctrl+C may come at any moment, even while the first build runs or the address is printed
        try:
            server.start()
        except OSError as exc:
            echo(f"Cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}. Try another --port.")
            sys.exit(1)
        echo(f"Serving {server.root} at {server.url} (follows every change; problems at {server.url}__fichegen/problems; Ctrl+C to stop)")
        if editor:
            echo(f"The web editor: {server.url}{ADMIN} (saves into the files of {server.root})")
        server.wait()
    except KeyboardInterrupt:
        echo("Stopping.")
    finally:
        server.stop()
