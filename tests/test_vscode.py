"""VS Code says what `check` says: the YAML language server of VS Code's YAML extension (npm yaml-language-server,
the server the Red Hat extension runs) is driven over stdio, as the editor drives it, on a copy of the showcase
whose fiches name their schema on their first line (`# yaml-language-server: $schema=../../schemas/…`).

Completing `programme:` under `funding:` offers the showcase's programmes with their names; a value `check`
accepts is not underlined, one it refuses is, at the same place; and the whole corpus of single-value changes of
tests/test_schema_agreement.py gets the same verdicts from the editor as from check, but for the documented
exceptions.
"""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from fichegen.check import check
from fichegen.models import FOLDERS
from fichegen.schema import write_schemas
from test_schema_agreement import EXCEPTIONS_SEEN, VARIANTS, variant_text

REPO = Path(__file__).resolve().parents[1]
SERVER = REPO / "tests" / "yaml-language-server" / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
TIMEOUT = 30



class LanguageServer:
    """A minimal LSP client: JSON-RPC messages with Content-Length headers over the server's stdin and stdout."""

    def __init__(self, root: Path):
        self.process = subprocess.Popen(["node", str(SERVER), "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, cwd=root)
        self.messages: queue.Queue = queue.Queue()
        self.next_id = 0
        self.diagnostics: dict[str, list] = {}
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.process.stdout
        while True:
            headers = {}
            while (line := out.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            if not headers:
                return
            self.messages.put(json.loads(out.read(int(headers["content-length"]))))

    def _send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.process.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: dict):
        self.next_id += 1
        wanted = self.next_id
        self._send({"id": wanted, "method": method, "params": params})
        while True:
            message = self._next()
            if message.get("id") == wanted and "method" not in message:
                assert "error" not in message, message["error"]
                return message.get("result")

    def _next(self) -> dict:
        message = self.messages.get(timeout=TIMEOUT)
        if message.get("method") == "textDocument/publishDiagnostics":
            self.diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
        elif "method" in message and "id" in message:   # the server asks: settings, capabilities, progress
            result = [SETTINGS["yaml"]] * len(message["params"]["items"]) if message["method"] == "workspace/configuration" else None
            self._send({"id": message["id"], "result": result})
        return message

    def diagnostics_of(self, uri: str, version: int) -> list:
        """The diagnostics the server publishes for `uri` once it has validated `version`."""
        while True:
            message = self._next()
            params = message.get("params") or {}
            if message.get("method") == "textDocument/publishDiagnostics" and params.get("uri") == uri \
                    and params.get("version", version) == version:
                return params["diagnostics"]

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.process.wait(timeout=10)
        finally:
            if self.process.poll() is None:
                self.process.kill()


SETTINGS = {"yaml": {"validate": True, "completion": True, "hover": True, "format": {"enable": False},
                     "schemaStore": {"enable": False}, "yamlVersion": "1.2", "schemas": {}}}


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    """A showcase checkout with the schemas `fichegen schema` writes, opened in the language server."""
    assert SERVER.is_file() and shutil.which("node"), "run bash scripts/setup.sh: it installs yaml-language-server with npm ci"
    root = tmp_path_factory.mktemp("vscode")
    shutil.copy(REPO / "fichegen.toml", root)
    shutil.copytree(REPO / "content", root / "content")
    write_schemas(root / "schemas", check(root).choices)
    server = LanguageServer(root)
    server.request("initialize", {
        "processId": None, "rootUri": root.as_uri(), "workspaceFolders": [{"uri": root.as_uri(), "name": "showcase"}],
        "capabilities": {"workspace": {"configuration": True},
                         "textDocument": {"completion": {"completionItem": {"documentationFormat": ["markdown", "plaintext"],
                                                                            "snippetSupport": True}},
                                          "publishDiagnostics": {"versionSupport": True}}}})
    server.notify("initialized", {})
    server.notify("workspace/didChangeConfiguration", {"settings": SETTINGS})
    yield root, server
    server.close()


def open_document(server: LanguageServer, path: Path, text: str, version: int = 1) -> str:
    uri = path.as_uri()
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": version, "text": text}})
    return uri


def test_completing_programme_offers_the_showcase_programmes_with_their_names(editor):
    root, server = editor
    path = root / "content/projects/coop4int.yaml"
    text = path.read_text(encoding="utf-8").replace("  - programme: migration-partnership-facility", "  - programme: ")
    uri = open_document(server, path, text)
    line = text.split("\n").index("  - programme: ")
    result = server.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                         "position": {"line": line, "character": len("  - programme: ")}})
    items = result["items"] if isinstance(result, dict) else result
    offered = {item["label"]: item.get("documentation") for item in items}
    programmes = {"cadses-2000-2006": "CADSES 2000–2006", "migration-partnership-facility": "Migration Partnership Facility (MPF)",
                  "lifelong-learning-ka4": "Lifelong Learning Programme"}
    assert set(programmes) <= set(offered), sorted(offered)
    for programme, name in programmes.items():
        documentation = offered[programme]
        shown = documentation["value"] if isinstance(documentation, dict) else documentation
        assert shown and shown.startswith(name), (programme, shown)
    assert "remittances" not in offered, "a theme is not a programme"
    print(f"\ncompletion after 'programme:' offers {len(offered)} values: {', '.join(sorted(offered))}")


@pytest.mark.parametrize("line, written, accepted", [
    ('start_date: "2021-12"', "start_date: 2021", True),             # a year, which the editor reads as a number
    ('start_date: "2021-12"', "start_date: 2021-02-30", False),      # no such day
    ("  - programme: migration-partnership-facility", "  - programme: remittances", False),   # a theme
    ("  - programme: migration-partnership-facility", "  - programme: cadses-2000-2006", True),
    ('    share: "94.42"', "    share: 94.42", True),
    ('    share: "94.42"', '    share: "94,42%"', False),
    ("countries: [CV]", "countries: [UK]", False),
    ("countries: [CV]", "countries: [CV, PT]", True),
])
def test_the_editor_underlines_what_check_refuses_and_only_that(editor, line, written, accepted):
    root, server = editor
    path = root / "content/projects/coop4int.yaml"
    original = path.read_text(encoding="utf-8")
    assert original.count(line + "\n") == 1, line
    text = original.replace(line + "\n", written + "\n")
    path.write_text(text, encoding="utf-8")
    try:
        by_check = not [d for d in check(root).errors if d.path == "content/projects/coop4int.yaml"]
    finally:
        path.write_text(original, encoding="utf-8")
    assert by_check is accepted, f"check {'refuses' if not by_check else 'accepts'} {written!r}"
    uri = (root / "content/projects" / f"edited-{abs(hash(written))}.yaml").as_uri()
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    diagnostics = server.diagnostics_of(uri, 1)
    errors = [d for d in diagnostics if d.get("severity", 1) == 1]
    if accepted:
        assert errors == [], errors
    else:
        row = text.split("\n").index(written)
        assert [d["range"]["start"]["line"] for d in errors] == [row], errors


@pytest.mark.parametrize("variant", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_the_editor_agrees_with_check_on_the_whole_corpus(editor, variant):
    """The single-value changes of tests/test_schema_agreement.py, opened in the editor: it underlines exactly the
    ones `check` refuses, but for the documented exceptions (which it accepts)."""
    root, server = editor
    name, kind, old, new, valid = variant
    text = f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json\n" + variant_text(kind, old, new)
    uri = (root / "content" / FOLDERS[kind] / f"variant-{name.lower()}.yaml").as_uri()
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    errors = [d["message"] for d in server.diagnostics_of(uri, 1) if d.get("severity", 1) == 1]
    accepted = valid if name not in EXCEPTIONS_SEEN else not valid
    assert (not errors) is accepted, f"{new!r}: {'no error' if not errors else errors}"
