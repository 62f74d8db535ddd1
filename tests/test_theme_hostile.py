"""A pull request that changes the look cannot run code or publish the build machine's files.

Its templates render in Jinja's sandbox, narrowed to what templates need: each classic escape stops the
build with a SecurityError and leaves no trace. Its templates/, static/, i18n/ and handbook/ may hold
symbolic links to the build machine's secrets (a home folder's SSH key, /proc/self/environ): `check`
names each one, and they are never followed, whatever runs.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import jinja2
import pytest
from click.testing import CliRunner

from fichegen.build import build
from fichegen.check import check
from fichegen.cli import main
from fichegen.overrides import Theme
from fichegen.exports import add_exports
from fichegen.render.pages import Output, SiteRenderer

FIXTURES = Path(__file__).parent / "fixtures"
SECRET = "SECRET-KEY-MATERIAL-0451"


def project(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "multilingual", root)
    for rel, text in (files or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


# --- the sandbox ----------------------------------------------------------------------------------

ESCAPES = {
    "globals of a Jinja helper": "{{ cycler.__init__.__globals__.os.popen('touch MARKER') }}",
    "globals of lipsum": "{{ lipsum.__globals__['os'].system('touch MARKER') }}",
    "the subclasses of object": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "the template's context": "{{ self._TemplateReference__context }}",
    "the Localizer behind t": "{{ t.__self__.catalogues }}",
    "the function behind t": "{{ t.__func__.__globals__ }}",
    "a method of a model": "{{ site.licence.model_copy() }}",
    "str.format reaching attributes": "{{ '{0.__class__}'.format(site) }}",
    "namespace's module": "{{ namespace.__module__ }}",
    "a filter to attributes": "{{ t|attr('__self__') }}",
}


@pytest.mark.parametrize("template", ESCAPES.values(), ids=ESCAPES.keys())
def test_a_project_template_cannot_escape_the_sandbox(tmp_path, template):
    root = project(tmp_path, {"templates/base.html": "{% extends 'theme/base.html' %}{% block footer %}" + template + "{% endblock %}"})
    marker = root / "MARKER"
    with pytest.raises((jinja2.exceptions.SecurityError, jinja2.exceptions.UndefinedError)):
        build(root, root / "site", search=False, workers=1)
    assert not marker.exists() and not (Path.cwd() / "MARKER").exists()
    assert not (root / "site").exists()
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--no-search"])
    assert result.exit_code == 1 and result.output.strip().splitlines()[-1].startswith("Build failed:")


def test_what_templates_need_still_works_in_the_sandbox(tmp_path):
    root = project(tmp_path, {
        "templates/_extra.html": "{% macro pill(x) %}<b>{{ x }}</b>{% endmacro %}",
        "templates/base.html": (
            "{% extends 'theme/base.html' %}{% from '_extra.html' import pill %}"
            "{% block footer_top %}{% set ns = namespace(n=0) %}"
            "{% for k, v in {'a': 1, 'b': 2}.items() %}{% set ns.n = ns.n + v %}{{ loop.cycle('odd', 'even') }}{% endfor %}"
            "<p class=\"sandbox-ok\">{{ 'abc'.upper() }} {{ ns.n }} {{ range(3)|list|join(',') }} {{ pill(t('nav.home')) }} "
            "{{ ['x', 'y']|join('-') }} {{ show(site.title) }} {{ asset('static/site.css') }}</p>{{ super() }}{% endblock %}")})
    assert check(root).diagnostics == []
    assert build(root, root / "site", search=False, workers=1).ok
    page = (root / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert "oddeven" in page
    assert '<p class="sandbox-ok">ABC 3 0,1,2 <b>Home</b> x-y Multilingual site /static/site.css</p>' in page


def test_the_built_in_theme_alone_renders_without_the_sandbox_and_a_project_template_with_it(tmp_path):
    from fichegen.render.environment import ProjectSandbox, make_environment

    assert not isinstance(make_environment(Theme()), ProjectSandbox)
    root = project(tmp_path, {"templates/404.html": "{% extends 'base.html' %}{% block content %}gone{% endblock %}"})
    assert isinstance(make_environment(Theme.of(root)), ProjectSandbox)


# --- links out of the project's folders -----------------------------------------------------------

@pytest.fixture
def secrets(tmp_path) -> Path:
    """A home folder of the build machine with a private key."""
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_ed25519").write_text(f"-----BEGIN OPENSSH PRIVATE KEY-----\n{SECRET}\n")
    (home / "notes.txt").write_text(SECRET)
    return home


def test_links_out_of_templates_static_and_i18n_are_named_and_never_followed(tmp_path, secrets):
    root = project(tmp_path)
    for folder in ("templates", "static", "i18n", "handbook"):
        (root / folder).mkdir()
    (root / "templates" / "_key.html").symlink_to(secrets / ".ssh" / "id_ed25519")
    (root / "templates" / "base.html").write_text("{% extends 'theme/base.html' %}{% block footer %}{% include '_key.html' %}{% endblock %}")
    (root / "static" / "environ.txt").symlink_to("/proc/self/environ")
    (root / "static" / "home").symlink_to(secrets, target_is_directory=True)
    (root / "static" / "key.txt").symlink_to(secrets / ".ssh" / "id_ed25519")
    (root / "static" / "loop.css").symlink_to(root / "static" / "loop.css")
    (root / "i18n" / "fr.yaml").symlink_to(secrets / "notes.txt")
    (root / "handbook" / "notes.md").symlink_to(secrets / "notes.txt")
    os.mkfifo(root / "static" / "pipe.css")
    found = sorted((d.path, d.code) for d in check(root).diagnostics)
    assert found == [("handbook/notes.md", "symlink-outside"), ("i18n/fr.yaml", "symlink-outside"),
                     ("static/environ.txt", "symlink-outside"), ("static/home", "symlink-outside"),
                     ("static/key.txt", "symlink-outside"), ("static/loop.css", "symlink-outside"),
                     ("static/pipe.css", "special-file"), ("templates/_key.html", "symlink-outside")]
    assert all(d.hint for d in check(root).diagnostics)
    assert not build(root, root / "site", search=False, workers=1).ok
    assert not (root / "site").exists()
    # Even rendering without check first never follows them: the links are not in the theme at all.
    theme = Theme.of(root)
    assert set(theme.static) == set() and "_key.html" not in theme.templates and "fr" not in theme.catalogues
    result = check(root)
    renderer = SiteRenderer(result.graph, theme)
    output = Output()
    with pytest.raises(jinja2.exceptions.TemplateNotFound):
        renderer.render(output)
    (root / "templates" / "base.html").unlink()
    renderer = SiteRenderer(result.graph, Theme.of(root))
    output = Output()
    add_exports(output, renderer, renderer.pages())      # the download pages describe the data files
    renderer.render(output)
    assert not any(SECRET.encode() in data or b"PATH=" in data for data in output.files.values())
    assert not [path for path in output.files if "environ" in path or "key.txt" in path or "home/" in path]


def test_a_static_folder_that_is_itself_a_link_is_not_followed(tmp_path, secrets):
    root = project(tmp_path)
    (root / "static").symlink_to(secrets, target_is_directory=True)
    assert [(d.path, d.code) for d in check(root).diagnostics] == [("static", "symlink-outside")]
    assert Theme.of(root).static == {}


def test_a_link_that_stays_inside_its_folder_is_read(tmp_path):
    root = project(tmp_path, {"static/brand.css": "body { color: teal; }\n"})
    (root / "static" / "brand-v2.css").symlink_to("brand.css")
    assert check(root).diagnostics == []
    assert build(root, root / "site", search=False, workers=1).ok
    assert (root / "site" / "static" / "brand-v2.css").read_text() == "body { color: teal; }\n"
