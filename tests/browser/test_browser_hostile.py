"""The hostile site (every text field holding an attack, tests/attack_corpus.py) read in Debian's chromium.

Pages and search results are opened with alert/confirm/prompt/print replaced by recorders: no attack may
run a script, load anything from another host, or even make the page's Content-Security-Policy refuse
something (a refusal means markup from a fiche reached the page as markup).
"""

from __future__ import annotations

import pytest

from fichegen.models import FOLDERS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RECORD_CALLS = ("window.__attacks = []; for (const f of ['alert', 'confirm', 'prompt', 'print'])"
                " window[f] = (...a) => window.__attacks.push(f + '(' + a.join(',') + ')');")


def test_no_attack_runs_loads_or_breaks_the_policy_in_chromium(chromium, serve, hostile_site):
    host = serve(hostile_site.out)
    names = hostile_site.project.vectors
    # every section lists every vector's fiches; fiche pages for a sample of vectors, French ones through the fallback
    paths = ["en/", "fr/", "en/themes/", "en/search/"] + [f"{lang}/{folder}/" for lang in ("en", "fr") for folder in FOLDERS.values()]
    for v in range(0, len(names), 8):
        for kind, folder in FOLDERS.items():
            prefix = "org" if kind == "organisation" else kind
            paths.append(f"{'fr' if v % 2 else 'en'}/{folder}/{prefix}-v{v:02d}/")
    paths += [f"en/themes/v{v:02d}/" for v in range(0, len(names), 19)]
    searches = list(range(0, len(names), 10))
    incidents: list[str] = []
    context = chromium.new_context()
    try:
        context.add_init_script(RECORD_CALLS)

        def route(r):
            if not r.request.url.startswith(host.origin):
                incidents.append(f"request off the site: {r.request.url}")
                return r.abort()
            return r.continue_()
        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda m: incidents.append(f"{page.url}: {m.text}")
                if m.type == "error" or "Content Security Policy" in m.text else None)
        page.on("pageerror", lambda e: incidents.append(f"{page.url}: uncaught {e}"))
        for path in paths:
            response = page.goto(host.url(path))
            assert response and response.ok, path
            incidents += [f"{path}: {a}" for a in page.evaluate("window.__attacks")]
        for v in searches:
            page.goto(host.url(f"en/search/?q=zq{v:02d}"))
            page.wait_for_function("() => { const r = document.querySelector('.search-results');"
                                   " return r && !r.hasAttribute('aria-busy') && document.querySelectorAll('.result').length > 0; }",
                                   timeout=20_000)
            injected = page.evaluate("document.querySelectorAll('#search script, #search img, #search svg, #search iframe,"
                                     " #search [style], #search [onerror], #search [onclick], #search a[href^=javascript]').length")
            if injected:
                incidents.append(f"search for vector {names[v]}: {injected} injected elements in the results")
            incidents += [f"search {names[v]}: {a}" for a in page.evaluate("window.__attacks")]
    finally:
        context.close()
    print(f"\nhostile output in chromium: {len(paths)} pages and {len(searches)} searches opened: 0 scripts run, "
          "0 requests off the site, 0 CSP violations")
    assert not incidents, "\n".join(incidents[:50])
