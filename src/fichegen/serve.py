"""`serve`: a local preview that rebuilds when content, theme or configuration change, and reloads the browser.

Three kinds of threads cooperate:

- two watchers (watchfiles): one recursive on the content and theme folders, one on the project
  folder itself (non-recursive) for fichegen.toml and for those folders appearing, vanishing or
  being replaced; they only mark the site *dirty*;
- one builder: rebuilds whenever the site is dirty (edits made during a build cause one more build,
  none is lost), into one of two private folders in turn, so the folder being served is never
  the one being written; site/ is never touched;
- the HTTP server (127.0.0.1 only): serves the last good build with a small script added to every
  HTML page (an external file, since pages forbid inline scripts) that listens to server-sent
  events and reloads the page after each build.

When a build fails (invalid content, a broken template, any exception), every page shows the
problems (file, line, column, message, hint), HTML-escaped, until an edit fixes them; nothing is
ever raised out of the builder or a request handler, so the server keeps answering.
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

from .diagnostics import Diagnostic
from .editor.admin import ADMIN, LOCAL_API, LOCAL_MARK, bundle_installed
from .editor.local_backend import MAX_REQUEST_BYTES, LocalBackend

PREFIX = "/__fichegen/"
EVENTS = PREFIX + "events"
RELOAD_JS = PREFIX + "reload.js"
STATUS = PREFIX + "status"
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
    """The outcome of the latest build: the folder to serve (the last good one) and the problems, if any."""

    generation: int = 0
    site: Path | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


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


def error_page(state: BuildState, instance: str = "") -> bytes:
    """Every page while the content is invalid: the problems, escaped, and the reload script."""
    e = html.escape
    items = []
    for p in state.problems:
        where = f"{e(p.path)}:{p.line}:{p.column}"
        hint = f'<p class="hint">{e(p.hint)}</p>' if p.hint else ""
        hint += f'<pre class="excerpt">{e(p.excerpt)}</pre>' if p.excerpt else ""
        detail = f"<details><summary>Details</summary><pre>{e(p.detail)}</pre></details>" if p.detail else ""
        items.append(f'<li><p><code class="where">{where}</code> <span class="code">[{e(p.code)}]</span></p>'
                     f'<p class="message">{e(p.message)}</p>{hint}{detail}</li>')
    count = len(state.problems)
    heading = f"The site cannot be built: {count} problem{'s' * (count != 1)}"
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
{chr(10).join(items)}
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


class _Either:
    """A stop event for watchfiles that is set when any of several events is."""

    def __init__(self, *events: threading.Event):
        self.events = events

    def is_set(self) -> bool:
        return any(e.is_set() for e in self.events)


class DevServer:
    """The preview server of one project; `start()` builds once and serves, `stop()` ends every thread."""

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
        self._cond = threading.Condition()
        self._dirty = threading.Event()
        self._stopping = threading.Event()
        self._rewatch = threading.Event()
        self._tree_ready = threading.Event()
        self._root_ready = threading.Event()
        self._workdir = Path(tempfile.mkdtemp(prefix="fichegen-serve-"))
        self._folders = (self._workdir / "a", self._workdir / "b")
        self._next = 0
        self._threads: list[threading.Thread] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._serving = False

    # --- life cycle ----------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def start(self) -> "DevServer":
        """Watch first, then build, then serve: an edit made at any moment after start() is seen."""
        self._httpd = ThreadingHTTPServer((self.host, self.port), _handler_for(self))
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._spawn(self._watch_tree, "watch-tree")
        self._spawn(self._watch_root, "watch-root")
        self._tree_ready.wait(10)
        self._root_ready.wait(10)
        self._dirty.clear()
        self.rebuild()
        self._spawn(self._builder, "builder")
        self._spawn(lambda: self._httpd.serve_forever(poll_interval=0.1), "http")   # short polls: a quick stop()
        self._serving = True
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

    # --- building ------------------------------------------------------------------
    def rebuild(self) -> BuildState:
        """Build once into the folder not being served; never raises."""
        from .build import build
        from .cache import CACHE_DIR

        started = time.perf_counter()
        target = self._folders[self._next]
        site, problems, warnings = self.state.site, [], 0
        try:
            # No fork from a threaded server; the cache makes each rebuild write only what the edit changed.
            result = build(self.root, target, "/", search=self.search, workers=1, cache_dir=self.root / CACHE_DIR,
                           editor=True if self.editor else None)
            warnings = len(result.check.warnings)
            if result.ok:
                site = target
                self._next ^= 1
            else:
                shown = result.check.errors or result.check.diagnostics
                problems = [Problem(d.path, d.line, d.column, d.code, d.message, d.hint, d.severity,
                                    excerpt=excerpt(self.root, d.path, d.line, d.column)) for d in shown]
        except Exception as exc:  # any fault anywhere in the build: shown, never fatal
            problem = problem_from_exception(exc, self.root)
            problems = [replace(problem, excerpt=excerpt(self.root, problem.path, problem.line, problem.column))]
        seconds = time.perf_counter() - started
        with self._cond:
            self.state = BuildState(self.state.generation + 1, site, problems, warnings, seconds)
            self._cond.notify_all()
            state = self.state
        if state.ok:
            self.log(f"✓ built in {seconds:.2f}s" + (f" ({warnings} warning{'s' * (warnings != 1)})" if warnings else ""))
        else:
            self.log(f"✗ {len(problems)} problem{'s' * (len(problems) != 1)}, shown in the browser:")
            for p in problems[:20]:
                self.log(f"  {p.path}:{p.line}:{p.column}: [{p.code}] {p.message}")
        return state

    def _builder(self) -> None:
        while not self._stopping.is_set():
            if not self._dirty.wait(0.2):
                continue
            self._dirty.clear()
            if not self._stopping.is_set():
                self.rebuild()

    def changed(self) -> None:
        """Something the site is made of changed: build again soon."""
        self._dirty.set()

    # --- watching ------------------------------------------------------------------
    def watched(self) -> tuple[list[Path], set[str]]:
        """The folders to watch recursively, and the names in the project folder that matter."""
        from .config import CONFIG_FILE, load_config
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
                # yield_on_timeout: the first (empty) batch says the watches are in place
                for changes in watchfiles.watch(*folders, stop_event=_Either(self._stopping, self._rewatch), debounce=400,
                                                step=30, raise_interrupt=False, rust_timeout=200, yield_on_timeout=True):
                    if not self._tree_ready.is_set() or restarted:
                        self._tree_ready.set()
                        if restarted:
                            restarted = False
                            self.changed()   # whatever happened while no watcher ran
                    if changes:
                        self.changed()
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


def _handler_for(server: DevServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        dev = server
    return Handler


class _Handler(BaseHTTPRequestHandler):
    dev: DevServer
    server_version = "fichegen-serve"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet: the builder reports what matters
        pass

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_POST(self) -> None:
        try:
            self._local_backend()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _local_backend(self) -> None:
        """The editor's local backend (`serve --editor`): only from this server's own pages, on this computer."""
        if not self.dev.editor or urlsplit(self.path).path != "/" + LOCAL_API:
            return self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"Not found.")
        problem = editor_request_problem(self.headers, self.dev.port)
        if problem:
            return self._send(HTTPStatus.FORBIDDEN, "application/json", json.dumps({"error": problem}).encode())
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_REQUEST_BYTES:
            return self._send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "application/json", b'{"error": "request too large"}')
        from .config import load_config
        config, _ = load_config(self.dev.root)
        backend = LocalBackend(self.dev.root, config.content_dir if config else "content")
        answer = backend.handle(self.rfile.read(length))
        self._send(answer.status, "application/json; charset=utf-8", answer.json())

    def _answer(self, head: bool) -> None:
        try:
            self._route(head)
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception as exc:  # never let one request take anything down
            try:
                body = error_page(BuildState(self.dev.state.generation, None, [problem_from_exception(exc, self.dev.root)]))
                self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", body, head)
            except Exception:
                pass

    def _send(self, status: int, content_type: str, body: bytes, head: bool = False, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _route(self, head: bool) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        state = self.dev.state
        if path == RELOAD_JS:
            return self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", RELOAD_SCRIPT.encode(), head)
        if path == EVENTS:
            return self._events(parse_qs(parts.query).get("since", [""])[0])
        if path == STATUS:
            body = json.dumps({"generation": state.generation, "ok": state.ok, "seconds": round(state.seconds, 3),
                               "problems": [asdict(p) for p in state.problems]}).encode()
            return self._send(HTTPStatus.OK, "application/json", body, head)
        is_page = path.endswith("/") or path.endswith(".html") or "." not in path.rsplit("/", 1)[-1]
        if not state.ok and is_page:
            return self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", error_page(state, self.dev.instance), head)
        site = state.site
        if site is None:
            return self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/plain; charset=utf-8", b"No build yet.", head)
        target = _file_in(site, path)
        if target is not None and target.is_dir():
            if not path.endswith("/"):
                return self._send(HTTPStatus.MOVED_PERMANENTLY, "text/plain", b"", head, {"Location": parts.path + "/"})
            target = target / "index.html"
        if target is None or not target.is_file():
            return self._not_found(site, path, state, head)
        self._file(target, HTTPStatus.OK, state, head)

    def _file(self, target: Path, status: int, state: BuildState, head: bool) -> None:
        body = target.read_bytes()
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        editor_file = state.site is not None and target.parent == state.site / ADMIN.rstrip("/")
        if editor_file:   # never reloaded by a rebuild (an editor mid-way through a form would lose it)
            body = editor_page(target.name, body, self.headers.get("Host", ""), self.dev.editor)
            if target.suffix == ".yml":
                content_type = "text/yaml"
        elif target.suffix == ".html":
            body = inject_reload(body, reload_tag(state, self.dev.instance))
            content_type = "text/html; charset=utf-8"
        elif content_type.startswith("text/") or content_type in ("application/javascript", "application/json"):
            content_type += "; charset=utf-8"
        self._send(status, content_type, body, head)

    def _not_found(self, site: Path, path: str, state: BuildState, head: bool) -> None:
        lang = path.strip("/").split("/", 1)[0]
        for candidate in (site / lang / "404.html", site / "404.html"):
            if lang and candidate.is_file() and candidate.resolve().is_relative_to(site.resolve()):
                return self._file(candidate, HTTPStatus.NOT_FOUND, state, head)
        self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"Not found.", head)

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


def editor_request_problem(headers, port: int) -> str | None:
    """Why a request to the local backend is refused, if it is: it must come from a page of this server (a web
    page elsewhere must not write the content), as JSON, to 127.0.0.1 or localhost (no DNS rebinding)."""
    own = {f"127.0.0.1:{port}", f"localhost:{port}"}
    if headers.get("Host", "") not in own:
        return "the local backend answers on 127.0.0.1 and localhost only"
    origin = headers.get("Origin")
    if origin is not None and origin.removeprefix("http://") not in own:
        return "the local backend answers this server's own pages only"
    if (headers.get("Content-Type") or "").split(";")[0].strip() != "application/json":
        return "the local backend takes JSON requests only"
    return None


def editor_page(name: str, body: bytes, host: str, editor: bool) -> bytes:
    """An admin/ file as `serve` gives it: with --editor, the configuration points Decap at the local backend
    (by the address the browser used, so that it is this page's own origin), and the page says it has one."""
    if not editor or host.split(":")[0] not in ("127.0.0.1", "localhost"):
        return body
    url = f"http://{host}/{LOCAL_API}"
    if name == "config.yml":
        return body + f"\n# Added by `fichegen serve --editor`: save into the local files.\nlocal_backend:\n  url: {url}\n".encode()
    if name == "index.html":
        return body.replace(LOCAL_MARK.encode(), f'data-local-backend="{html.escape(url)}"'.encode(), 1)
    return body


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
    """What `fichegen serve` does: build, serve, rebuild on change, until Ctrl+C."""
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
        echo(f"Serving {server.root} at {server.url} (rebuilds on every change; Ctrl+C to stop)")
        if editor:
            echo(f"The web editor: {server.url}{ADMIN} (saves into the files of {server.root})")
        server.wait()
    except KeyboardInterrupt:
        echo("Stopping.")
    finally:
        server.stop()
