"""The web editor inside `fichegen serve`: its pages at /admin/ and, with `--editor`, the local backend that saves
into the files of this computer.

The preview holds the site in memory and builds no folder, so the editor's files are made here, as the build
makes them (admin.add_editor), and served through the preview's extension point (DevServer.add_route). A save
brings the preview up to date before it is answered, so the page the editor opens next shows the change.
"""

from __future__ import annotations

import html
import json
import mimetypes
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Protocol

from ..config import CONFIG_FILE, load_config
from ..output import Output
from .admin import ADMIN, LOCAL_API, LOCAL_MARK, add_editor
from .local_backend import MAX_REQUEST_BYTES, LocalBackend

class Preview(Protocol):
    """What the editor needs of the preview server (serve.DevServer)."""

    root: Path
    port: int

    def add_route(self, prefix: str, handler) -> None: ...

    def changed(self, paths: set[Path] | None = None, *, wait: bool = False) -> None: ...


class EditorInPreview:
    """The routes the editor adds to a preview server; `local` turns the local backend on (`serve --editor`)."""

    def __init__(self, server: Preview, local: bool):
        self.server, self.local = server, local
        self._made: tuple[bytes, Output] | None = None   # admin/'s files, made for this fichegen.toml

    def files(self) -> Output | None:
        """admin/'s files as the build writes them, made again when fichegen.toml changes; None when it cannot be read."""
        try:
            text = (self.server.root / CONFIG_FILE).read_bytes()
        except OSError:
            return None
        if self._made is None or self._made[0] != text:
            config, _ = load_config(self.server.root)
            if config is None:
                return None
            output = Output()
            if add_editor(output, config, "/"):
                return None          # the bundle is not installed
            self._made = (text, output)
        return self._made[1]

    def install(self) -> None:
        self.server.add_route("/" + ADMIN, self.admin_file)
        self.server.add_route("/" + LOCAL_API, self.api)

    # --- admin/ ----------------------------------------------------------------------------------
    def admin_file(self, request: BaseHTTPRequestHandler, method: str) -> None:
        head = method == "HEAD"
        if method == "POST":
            return request.send(HTTPStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", b"Not allowed.", head)
        output = self.files()
        if output is None:
            return request.send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8",
                                b"No editor: fichegen.toml cannot be read (see /__fichegen/problems), or the Decap CMS "
                                b"bundle is not installed (bash scripts/setup.sh).", head)
        rel = request.path.split("?", 1)[0].removeprefix("/")
        if rel == ADMIN.rstrip("/"):
            return request.send(HTTPStatus.MOVED_PERMANENTLY, "text/plain", b"", head, {"Location": "/" + ADMIN})
        if rel.endswith("/"):
            rel += "index.html"
        body = output.files.get(rel)
        if body is None:
            return request.send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"Not found.", head)
        name = rel.rsplit("/", 1)[-1]
        body = self.with_local_backend(name, body, request.headers.get("Host", ""))
        content_type = "text/yaml; charset=utf-8" if name.endswith(".yml") else mimetypes.guess_type(name)[0] or "application/octet-stream"
        if content_type.startswith("text/") and "charset" not in content_type or content_type in ("application/javascript", "application/json"):
            content_type += "; charset=utf-8"
        # Never the reload script: an editor half-way through a form would lose it when the preview follows a save.
        request.send(HTTPStatus.OK, content_type, body, head)

    def with_local_backend(self, name: str, body: bytes, host: str) -> bytes:
        """An admin/ file as the preview gives it: with the local backend, the configuration points Decap at it (by
        the address the browser used, so that it is the page's own origin), and the page says it has one."""
        if not self.local or host.split(":")[0] not in ("127.0.0.1", "localhost"):
            return body
        url = f"http://{host}/{LOCAL_API}"
        if name == "config.yml":
            return body + f"\n# Added by `fichegen serve --editor`: save into the local files.\nlocal_backend:\n  url: {url}\n".encode()
        if name == "index.html":
            return body.replace(LOCAL_MARK.encode(), f'data-local-backend="{html.escape(url)}"'.encode(), 1)
        return body

    # --- the local backend ------------------------------------------------------------------------
    def api(self, request: BaseHTTPRequestHandler, method: str) -> None:
        """Decap's local API, only with --editor, only from this server's own pages, on this computer."""
        if not self.local or method != "POST" or request.path.split("?", 1)[0] != "/" + LOCAL_API:
            return request.send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"Not found.", method == "HEAD")
        problem = request_problem(request.headers, self.server.port)
        if problem:
            return request.send(HTTPStatus.FORBIDDEN, "application/json", json.dumps({"error": problem}).encode())
        length = int(request.headers.get("Content-Length") or 0)
        if length > MAX_REQUEST_BYTES:
            return request.send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "application/json", b'{"error": "request too large"}')
        config, _ = load_config(self.server.root)
        backend = LocalBackend(self.server.root, config.content_dir if config else "content")
        answer = backend.handle(request.rfile.read(length))
        if backend.touched:
            self.server.changed(backend.touched, wait=True)
        request.send(answer.status, "application/json; charset=utf-8", answer.json())


def request_problem(headers, port: int) -> str | None:
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
