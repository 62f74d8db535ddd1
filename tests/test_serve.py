"""`fichegen serve`: a preview that follows every save, shows problems instead of stale pages, and never falls over."""

from __future__ import annotations

import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from fichegen.overrides import BUILTIN_THEME
from fichegen.serve import DevServer

PROJECT = "content/projects/harbour.yaml"
PAGE = "en/projects/harbour/"


def fetch(url: str, timeout: float = 10) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


def eventually(check, timeout: float = 20.0):
    """Poll until `check()` returns something truthy (the server rebuilds in the background)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


@pytest.fixture
def served(project_copy):
    """A copy of the serve fixture, served on a free port; always stopped, whatever the test does."""
    root = project_copy("serve")
    server = DevServer(root, 0)
    server.start()
    try:
        yield root, server
    finally:
        server.stop()


def page_shows(server: DevServer, path: str, status: int, *texts: str):
    def check():
        code, body = fetch(server.url + path)
        return (code, body) if code == status and all(t in body for t in texts) else None
    return check


def test_pages_carry_the_reload_script_and_site_folder_is_left_alone(served):
    root, server = served
    code, body = fetch(server.url + PAGE)
    assert code == 200 and "Safe harbour" in body
    assert '<script src="/__fichegen/reload.js"' in body, "an external script: pages forbid inline ones"
    assert "script-src 'self'" in body
    code, script = fetch(server.url + "__fichegen/reload.js")
    assert code == 200 and "EventSource" in script and "/__fichegen/events" in script
    code, body = fetch(server.url + "en/no-such-page/")
    assert code == 404 and "reload.js" in body, "the site's own 404 page"
    assert fetch(server.url + "%2e%2e/%2e%2e/etc/passwd")[0] == 404
    assert not (root / "site").exists(), "serve builds into a private folder, never into site/"


def overlaid(body: str) -> bool:
    return 'class="fichegen-problems"' in body


def test_an_invalid_edit_shows_its_problem_over_the_pages_that_show_the_fiche_and_nowhere_else(served):
    """The diagnostics name the file and line; anything from the content is escaped, never run as HTML. The fiche
    keeps its last valid version meanwhile, and every page that does not show it works as before."""
    root, server = served
    path = root / PROJECT
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("acronym: HARBOUR", "acronym: HARBOUR\n<b>oops</b>: 1"), encoding="utf-8")
    shown = eventually(page_shows(server, PAGE, 200, PROJECT, "fichegen-problems"))
    assert shown, "the project page shows the problem over its last valid version"
    body = shown[1]
    assert "Safe harbour" in body and f"{PROJECT}:3:1" in body and "unknown-key" in body
    assert "&lt;b&gt;oops&lt;/b&gt;" in body and "<b>oops</b>" not in body
    assert "3 | &lt;b&gt;oops&lt;/b&gt;: 1" in body, "the offending line is quoted"
    assert "reload.js" in body and "/__fichegen/overlay.css" in body
    assert overlaid(fetch(server.url + "en/organisations/port-authority/")[1]), "its lead's page lists it: overlaid too"
    code, other = fetch(server.url + "en/organisation-types/")
    assert code == 200 and not overlaid(other), "a page that does not show the fiche is as it was"
    code, problems = fetch(server.url + "__fichegen/problems")
    assert code == 200 and f"{PROJECT}:3:1" in problems and "&lt;b&gt;oops&lt;/b&gt;" in problems

    path.write_text(good.replace("acronym: HARBOUR", "acronym: HARBOUR\ntitle: [unclosed"), encoding="utf-8")
    shown = eventually(page_shows(server, PAGE, 200, "yaml-syntax"))
    assert shown and PROJECT in shown[1], "an unreadable fiche shows its problem where its page is"

    path.write_text(good.replace("Safe harbour", "Safe and sound harbour"), encoding="utf-8")
    shown = eventually(page_shows(server, PAGE, 200, "Safe and sound harbour"))
    assert shown and not overlaid(shown[1])
    assert not overlaid(fetch(server.url + "en/organisations/port-authority/")[1])


def test_a_new_fiche_half_written_breaks_no_other_page(served):
    """Today's editors start a fiche and save it half-filled: its address shows what is missing, nothing else changes."""
    root, server = served
    (root / "content/projects/new-port.yaml").write_text("original_language: en\ntitle: {en: New port}\n", encoding="utf-8")
    shown = eventually(page_shows(server, "en/projects/new-port/", 200, "content/projects/new-port.yaml", "missing-key"))
    assert shown, "the new fiche's address shows its problems"
    assert fetch(server.url + PAGE)[0] == 200 and fetch(server.url + "en/")[0] == 200
    assert not overlaid(fetch(server.url + PAGE)[1])


def test_deleting_and_renaming_files_never_stops_the_server(served):
    root, server = served
    organisation = root / "content/organisations/port-authority.yaml"
    kept = organisation.read_bytes()
    organisation.unlink()
    shown = eventually(page_shows(server, PAGE, 200, "port-authority", "unknown-reference"))
    assert shown and overlaid(shown[1]), "the partner reference no longer resolves: shown over the project's page"
    organisation.write_bytes(kept)
    shown = eventually(page_shows(server, PAGE, 200, "Port Authority"))
    assert shown and not overlaid(shown[1])

    (root / PROJECT).rename(root / "content/projects/safe-harbour.yaml")
    assert eventually(page_shows(server, "en/projects/safe-harbour/", 200, "Safe harbour"))
    assert eventually(lambda: fetch(server.url + PAGE)[0] == 404)

    shutil.rmtree(root / "content" / "projects")
    assert eventually(lambda: fetch(server.url + "en/")[0] == 200 and fetch(server.url + "en/projects/safe-harbour/")[0] == 404)


def test_a_broken_template_is_shown_with_its_file_and_line(served):
    """Theme edits are watched too; a template error is a problem on the page, not a crash."""
    root, server = served
    shutil.copytree(BUILTIN_THEME / "templates", root / "templates")
    template = root / "templates" / "project.html"
    good = template.read_text(encoding="utf-8")
    lines = good.splitlines()
    lines.insert(2, "{% if %}")
    template.write_text("\n".join(lines) + "\n", encoding="utf-8")
    shown = eventually(page_shows(server, PAGE, 500, "templates/project.html:3"))
    assert shown and "template" in shown[1]
    template.write_text(good.replace("{% block body %}", "{% block body %}<p>Edited theme</p>", 1), encoding="utf-8")
    assert eventually(page_shows(server, PAGE, 200, "Edited theme"))


def test_the_event_stream_announces_a_reload_after_a_change(served):
    root, server = served
    code, body = fetch(server.url + PAGE)
    since = body.split('data-build="', 1)[1].split('"', 1)[0]
    lines: queue.Queue[str] = queue.Queue()

    def listen():
        try:
            with urllib.request.urlopen(f"{server.url}__fichegen/events?since={since}", timeout=20) as stream:
                for raw in stream:
                    lines.put(raw.decode().strip())
                    if raw.startswith(b"event: reload"):
                        return
        except Exception as exc:  # reported through the queue so the test fails with the reason
            lines.put(f"error: {exc}")

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    assert lines.get(timeout=10) == "retry: 1000", "the stream is open before the edit"
    path = root / PROJECT
    path.write_text(path.read_text(encoding="utf-8").replace("Safe harbour", "Safer harbour"), encoding="utf-8")
    seen = []
    deadline = time.monotonic() + 20
    while "event: reload" not in seen and time.monotonic() < deadline:
        try:
            seen.append(lines.get(timeout=1))
        except queue.Empty:
            pass
    assert "event: reload" in seen, seen
    listener.join(timeout=5)
    assert "Safer harbour" in fetch(server.url + PAGE)[1]


def test_a_page_from_an_older_build_is_told_to_reload_at_once(served):
    """A page whose build is older than the current one (say, the server restarted) reloads as soon as it connects."""
    root, server = served
    with urllib.request.urlopen(f"{server.url}__fichegen/events?since=another-run.1", timeout=10) as stream:
        assert stream.readline().strip() == b"retry: 1000"
        stream.readline()
        assert stream.readline().startswith(b"event: reload")


def test_the_serve_command_prints_its_address_and_stops_on_ctrl_c(project_copy):
    root = project_copy("serve")
    process = subprocess.Popen([sys.executable, "-m", "fichegen.cli", "serve", "--root", str(root), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = None
        deadline = time.monotonic() + 30
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            if line.startswith("Serving"):
                url = line.split(" at ", 1)[1].split()[0]
        assert url and url.startswith("http://127.0.0.1:")
        assert fetch(url + PAGE)[0] == 200
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=15)     # reading on: a full pipe must not hold the server up
        assert process.returncode == 0, rest
        assert "Stopping." in rest
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()


@pytest.mark.browser
def test_a_browser_tab_reloads_by_itself_after_a_save(served, chromium):
    """In a real browser, under the pages' Content-Security-Policy: the tab shows the edit, then the problem, then the fix."""
    root, server = served
    path = root / PROJECT
    good = path.read_text(encoding="utf-8")
    errors: list[str] = []
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(server.url + PAGE)
        assert "Safe harbour" in page.locator("h1").inner_text()
        path.write_text(good.replace("Safe harbour", "Harbour of refuge"), encoding="utf-8")
        page.wait_for_function("() => document.querySelector('h1').textContent.includes('Harbour of refuge')", timeout=20000)
        path.write_text(good.replace("start_date: 2022-01", "start_date: 2022-13"), encoding="utf-8")
        page.wait_for_function("() => document.body.textContent.includes('harbour.yaml:5')", timeout=20000)
        path.write_text(good, encoding="utf-8")
        page.wait_for_function("() => document.querySelector('h1').textContent.includes('Safe harbour')", timeout=20000)
    finally:
        context.close()
    assert not [e for e in errors if "Content Security Policy" in e or "EventSource" in e], errors


def test_a_tool_adds_its_own_route_to_the_preview(project_copy):
    """The extension point a web editor uses: its own addresses (GET and POST) beside the preview's pages, and
    `changed()` to have what it saved shown at once."""
    root = project_copy("serve")
    server = DevServer(root, 0)
    saved: list[bytes] = []

    def editor(request, method):
        if method == "POST":
            body = request.rfile.read(int(request.headers["Content-Length"]))
            saved.append(body)
            path = root / PROJECT
            path.write_text(path.read_text(encoding="utf-8").replace("Safe harbour", body.decode()), encoding="utf-8")
            server.changed({path}, wait=True)
            return request.send(303, "text/plain", b"", headers={"Location": "/" + PAGE})
        return request.send(200, "text/html; charset=utf-8", b"<p>editor</p>", method == "HEAD")

    server.add_route("/__editor/", editor)
    server.start()
    try:
        assert fetch(server.url + "__editor/")[1] == "<p>editor</p>"
        request = urllib.request.Request(server.url + "__editor/save", data=b"Edited harbour", method="POST")
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 200 and "Edited harbour" in answer.read().decode()   # followed the 303 to the page
        assert saved == [b"Edited harbour"]
        assert fetch(server.url + PAGE)[0] == 200
    finally:
        server.stop()


def test_a_template_edit_lays_the_pages_out_again_without_reading_the_content_again(served):
    """Templates, static files and UI strings are read by every page: all pages are laid out anew, but the graph
    (every fiche read, validated and linked) is kept, so a theme edit shows at once on a large site too."""
    root, server = served
    (root / "templates").mkdir()
    assert eventually(lambda: server.site is not None and (root / "templates").is_dir() and fetch(server.url + PAGE)[0] == 200)
    time.sleep(1)      # the new folder is being watched
    graph = server.site.live
    own = (BUILTIN_THEME / "templates" / "project.html").read_text(encoding="utf-8")
    (root / "templates" / "project.html").write_text(own.replace("{% block body %}", "{% block body %}<p>Our theme</p>", 1),
                                                     encoding="utf-8")
    assert eventually(page_shows(server, PAGE, 200, "Our theme", "Safe harbour"))
    assert server.site.live is graph, "the content was not read again"
