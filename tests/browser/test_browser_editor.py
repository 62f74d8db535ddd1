"""The web editor at /admin/, driven in headless chromium as an editor would use it, against `fichegen serve --editor`.

A copy of the showcase is served with the local backend; Decap CMS (the real bundle, from npm) is filled in
through its own form controls: a new project (a title in two languages, a partner picked from the organisations,
a country, a theme, dates, a budget), an edited organisation and a new vocabulary term are saved. Each saved file
is then read as fichegen reads it: the YAML on disk, the schema modeline at the top, quoted dates and amounts,
and a clean `fichegen check`; the preview site shows the new project. axe-core checks the editor's pages.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from fichegen.check import check
from fichegen.editor.admin import bundle_installed
from fichegen.serve import DevServer

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "tests" / "accessibility" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture(scope="module")
def editor_server(tmp_path_factory):
    """The showcase's content in a folder of its own, served with the editor and its local backend."""
    if not bundle_installed():
        pytest.fail("the Decap CMS bundle is not installed: run bash scripts/setup.sh")
    root = tmp_path_factory.mktemp("editor") / "project"
    root.mkdir()
    shutil.copy(REPO / "fichegen.toml", root / "fichegen.toml")
    shutil.copytree(REPO / "content", root / "content")
    server = DevServer(root, 0, editor=True).start()
    assert server.state.ok, server.state.problems
    yield server
    server.stop()


@pytest.fixture
def cms(chromium, editor_server):
    """A tab on the editor, signed in to the local backend; fails the test on any page error."""
    context = chromium.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console error: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"uncaught exception: {e}"))
    page.goto(editor_server.url + "admin/")
    page.get_by_role("button", name="Login").click()
    page.get_by_role("link", name="Projects").wait_for()
    yield page
    context.close()
    assert not errors, "\n".join(errors)


def control(scope, name: str):
    """The form control of the field `name` (Decap gives every input the id `<name>-field-<n>`), within `scope`."""
    return scope.locator(f'xpath=.//label[starts-with(@for, "{name}-field-")]/ancestor::div[contains(@class, "ControlContainer")][1]').first


def fill(scope, name: str, value: str) -> None:
    scope.locator(f'input[id^="{name}-field-"]').first.fill(value)


def choose(scope, name: str, typed: str, option: str | re.Pattern) -> None:
    """Pick an option of a select or relation widget (react-select) by typing part of it, as a person would."""
    box = scope.locator(f'input[id^="{name}-field-"]').first
    box.click()
    box.press_sequentially(typed, delay=20)
    scope.page.locator('[class*="option"]', has_text=option).first.click()


def write_markdown(scope, text: str) -> None:
    editor = scope.locator('[data-slate-editor="true"]').first
    editor.click()
    editor.press_sequentially(text, delay=5)


def publish(page) -> None:
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_role("menuitem", name="Publish now").click()
    page.get_by_text(re.compile("Entry published|Entry saved")).wait_for(timeout=20_000)


def wait_for_file(path: Path, contains: str = "", seconds: float = 20) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            if contains in text:
                return text
        time.sleep(0.2)
    raise AssertionError(f"{path} was not written" + (f" with {contains!r}" if contains else ""))


def clean_check(root: Path, path: str) -> None:
    result = check(root)
    about = [str(d) for d in result.diagnostics if d.path == path]
    assert not result.errors, [str(d) for d in result.errors]
    assert not about, about


def test_a_new_project_is_saved_as_a_fiche_check_accepts_and_the_preview_shows(cms, editor_server):
    page = cms
    page.goto(editor_server.url + "admin/#/collections/projects/new")
    control(page, "title").wait_for()
    fill(page, "id", "water-for-returnees")
    title = control(page, "title")
    # the inputs of the original language (original_language, English by default) are marked as such
    expect(title.locator('label[for^="en-field-"]')).to_have_attribute("data-original", "")
    expect(title.locator('label[for^="fr-field-"]')).not_to_have_attribute("data-original", "")
    fill(title, "en", "Water for returnees")
    fill(title, "fr", "De l'eau pour les personnes de retour")
    write_markdown(control(page, "summary").locator('xpath=.//label[starts-with(@for, "en-field-")]/ancestor::div[contains(@class, "ControlContainer")][1]'),
                   "Wells dug with returning migrants in two villages.")
    fill(page, "start_date", "2021-12")
    fill(page, "end_date", "2024")
    budget = control(page, "budget")
    fill(budget, "amount", "250000.5")
    fill(budget, "currency", "EUR")
    participants = control(page, "participants")
    participants.get_by_role("button", name=re.compile("Add participants")).click()
    choose(participants, "organisation", "AIMA", re.compile("AIMA"))
    choose(participants, "roles", "lead", "lead")
    countries = control(page, "countries")
    countries.get_by_role("button", name=re.compile("Add countries")).click()
    choose(countries, "country", "Cape", "Cape Verde (CV)")
    choose(control(page, "themes"), "themes", "Return", "Return migration")
    publish(page)

    saved = editor_server.root / "content" / "projects" / "water-for-returnees.yaml"
    text = wait_for_file(saved)
    print("\n" + text)
    assert text.startswith("# yaml-language-server: $schema=../../schemas/project.schema.json\n")
    assert 'start_date: "2021-12"' in text and 'end_date: "2024"' in text and 'amount: "250000.5"' in text
    data = yaml.safe_load(text)
    assert list(data)[:3] == ["original_language", "title", "summary"]          # the scaffold's key order
    assert data["title"] == {"en": "Water for returnees", "fr": "De l'eau pour les personnes de retour"}
    assert data["summary"] == {"en": "Wells dug with returning migrants in two villages."}
    assert data["participants"] == [{"organisation": "aima", "roles": ["lead"]}]
    assert data["countries"] == ["CV"] and data["themes"] == ["return-migration"]
    assert data["budget"] == {"amount": "250000.5", "currency": "EUR"}
    assert "id" not in data and not any(key.startswith("_") for key in data)
    clean_check(editor_server.root, "content/projects/water-for-returnees.yaml")

    # serve's rebuild shows it in the preview site
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(editor_server.url + "en/projects/water-for-returnees/") as response:
                assert "Water for returnees" in response.read().decode("utf-8")
                break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_an_edited_organisation_keeps_its_other_fields_and_conventions(cms, editor_server):
    page = cms
    page.goto(editor_server.url + "admin/#/collections/organisations/entries/icmpd")
    expect(page.locator('input[id^="city-field-"]').first).to_have_value("Wien")    # the entry is loaded
    before = yaml.safe_load((editor_server.root / "content/organisations/icmpd.yaml").read_text(encoding="utf-8"))
    fill(page, "city", "Vienna")
    publish(page)
    text = wait_for_file(editor_server.root / "content/organisations/icmpd.yaml", "city: Vienna")
    print("\n" + text)
    after = yaml.safe_load(text)
    assert text.startswith("# yaml-language-server: $schema=../../schemas/organisation.schema.json\n")
    assert after["city"] == "Vienna"
    assert {k: v for k, v in after.items() if k != "city"} == {k: v for k, v in before.items() if k != "city"}
    clean_check(editor_server.root, "content/organisations/icmpd.yaml")


def test_a_new_vocabulary_term_is_saved_into_the_vocabulary_file(cms, editor_server):
    page = cms
    path = editor_server.root / "content/vocabularies/themes.yaml"
    before = yaml.safe_load(path.read_text(encoding="utf-8"))
    page.goto(editor_server.url + "admin/#/collections/vocabularies/entries/themes")
    terms = control(page, "terms")
    terms.wait_for()
    terms.get_by_role("button", name=re.compile("Add term")).click()
    new = terms.locator('xpath=.//input[starts-with(@id, "id-field-")]').last
    new.fill("water")
    label = terms.locator('xpath=.//label[starts-with(@for, "label-field-")]').last.locator(
        'xpath=ancestor::div[contains(@class, "ControlContainer")][1]')
    fill(label, "en", "Water and sanitation")
    fill(label, "fr", "Eau et assainissement")
    publish(page)
    text = wait_for_file(path, "water:")
    after = yaml.safe_load(text)
    assert text.startswith("# Themes: term id")                  # the file's own header comment is kept
    assert after["water"] == {"label": {"en": "Water and sanitation", "fr": "Eau et assainissement"}}
    assert {k: v for k, v in after.items() if k != "water"} == before
    assert list(after)[: len(before)] == list(before)              # the terms stay in their order
    clean_check(editor_server.root, "content/vocabularies/themes.yaml")


def test_the_published_editor_without_a_repository_says_what_to_do_and_axe_finds_nothing(chromium, editor_server, serve):
    """The built site's /admin/ on a static host, before [editor] repository is set: a notice, not a broken CMS."""
    out = editor_server.root.parent / "published"
    # `fichegen build` in a process of its own: render/pages.py keeps its job in a module global, so two builds in
    # one process at once (this one and serve's rebuild) would step on each other
    done = subprocess.run([sys.executable, "-m", "fichegen.cli", "build", "--root", str(editor_server.root), "--out", str(out),
                           "--no-search", "--no-cache", "-q"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    host = serve(out)
    context = chromium.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(host.url("admin/"))
    notice = page.locator("#fichegen-editor-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("[editor] repository")
    assert not errors, errors
    with pytest.raises(Exception, match="Content Security Policy"):     # the page's CSP refuses inline scripts
        page.add_script_tag(content="document.title = 'injected'")
    context.close()
    context = chromium.new_context(bypass_csp=True)   # only so that axe can be injected
    page = context.new_page()
    page.goto(host.url("admin/"))
    expect(page.locator("#fichegen-editor-notice")).to_be_visible()
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    context.close()
    assert not [v["id"] for v in result["violations"]], result["violations"]
    assert len(result["passes"]) > 10


def test_axe_on_the_editor_pages(chromium, editor_server):
    """axe-core on Decap's screens. Decap's own interface has violations fichegen cannot fix; they are listed (rule,
    impact, count) and must not grow; the page around it (landmarks, heading) is fichegen's and has none."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` in tests/accessibility (scripts/setup.sh does)")
    context = chromium.new_context(bypass_csp=True, viewport={"width": 1280, "height": 1000})
    page = context.new_page()

    def violations() -> dict[str, str]:
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS)
        return {v["id"]: f"{v['impact']} ×{len(v['nodes'])}" for v in result["violations"]}

    found = {}
    page.goto(editor_server.url + "admin/")
    assert editor_server.state.ok, [str(p) for p in editor_server.state.problems]
    page.get_by_role("button", name="Login").wait_for()
    found["login"] = violations()
    page.get_by_role("button", name="Login").click()
    page.get_by_role("link", name="Projects").wait_for()
    page.wait_for_timeout(500)
    found["collection"] = violations()
    page.goto(editor_server.url + "admin/#/collections/projects/new")
    control(page, "title").wait_for()
    found["new project"] = violations()
    context.close()
    print("\naxe on the editor:", found)
    # Decap's own interface: what it has today (see the handbook); anything else is a regression.
    known = DECAP_VIOLATIONS
    for screen, rules in found.items():
        assert set(rules) <= known, f"{screen}: new violations {set(rules) - known}"


#: Violations in Decap CMS 3.16.3's own interface, which fichegen does not render (listed in the handbook): low
#: contrast of its grey labels and buttons, unnamed icon buttons and list toggles, react-select inputs without
#: aria-required's companions, toggles nested in clickable headers, its preview frame without a title.
DECAP_VIOLATIONS = {"color-contrast", "aria-input-field-name", "aria-required-attr", "button-name", "nested-interactive", "landmark-one-main", "region",
                    "frame-title"}


@pytest.mark.parametrize("entry, field", [
    ("projects/migravalue", "start_date"),
    ("strategies/valencian-migration-strategy-2021-2026", "original_language"),
    ("discussions/territorial-approach-migration-development-2013", "original_language"),
    ("organisations/aima", "city"),
])
def test_every_kind_of_fiche_opens_in_the_form_with_its_values(cms, editor_server, entry, field):
    page = cms
    folder, name = entry.split("/")
    value = yaml.load((editor_server.root / "content" / folder / f"{name}.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)[field]
    page.goto(editor_server.url + f"admin/#/collections/{folder}/entries/{name}")
    expect(page.locator('input[id^="id-field-"]').first).to_have_value(name)
    expect(page.locator(f'input[id^="{field}-field-"]').first).to_have_value(value)
    expect(page.get_by_role("heading", level=1).first).not_to_have_text("(no title yet)")
