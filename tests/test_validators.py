"""The W3C Nu HTML Checker finds no error on any page of the built showcase.

vnu.jar comes from npm (tests/validators/package.json, `npm ci` there, which scripts/setup.sh runs) and runs on
Java (Debian's default-jre-headless, which scripts/setup.sh installs when `java` is missing). Lighthouse, from the
same folder, is run by tests/browser/test_browser_lighthouse.py."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

VNU = Path(__file__).parent / "validators" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_errors(folder: Path) -> list[dict]:
    if not VNU.is_file() or not shutil.which("java"):
        pytest.fail(f"{VNU} or java is missing: run bash scripts/setup.sh --no-build")
    run = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html", str(folder)],
                         capture_output=True, text=True, timeout=600)
    return json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]


def test_the_checker_reports_what_it_should(tmp_path):
    """The checker as run here does find errors (so 0 below means something): a <meta> without a name, a
    <figcaption> between a figure's drawing and its table, aria-label on a plain <span>."""
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title>'
        '<meta data-pagefind-filter="kind[content]" content="Project"></head><body>'
        '<figure><svg viewBox="0 0 1 1"></svg><figcaption>c</figcaption><table><tr><td>1</td></tr></table></figure>'
        '<span aria-label="3 fiches">3</span></body></html>', encoding="utf-8")
    assert len(nu_errors(tmp_path / "bad")) >= 3


def test_every_page_of_the_showcase_is_valid_html(showcase_site):
    pages = list(showcase_site.rglob("*.html"))
    assert len(pages) > 400
    errors = nu_errors(showcase_site)
    shown = [f"{e.get('url', '').split(str(showcase_site), 1)[-1]}:{e.get('lastLine')}: {e['message']}" for e in errors[:20]]
    assert not errors, "\n".join(shown)
    print(f"\nNu HTML Checker: {len(pages)} pages, 0 errors")
