"""From a file save to the reloaded page, with `fichegen serve` on a generated corpus.

    .venv/bin/python bench/serve_latency.py CORPUS [--edits 20] [--browser]

Starts `fichegen serve --root CORPUS --port 0` (a real process, as an editor runs it), waits until it answers, then
makes `--edits` edits of four kinds in turn — a project's title, a participant (another organisation), a vocabulary
label, a new project — each on a different fiche or term. For each edit the page that shows it (the project's page;
for a label, a project that shows the term, or with `--label-page term` the term's own page, which lists every fiche
of the term; the new project's page) is open first; the edit is saved; the time runs from the end of the save
until the page holds the edit: with an HTTP client, the `reload` server-sent event is received and the page fetched
again (its bytes checked for the edit); with `--browser`, chromium (Playwright, /usr/bin/chromium) shows the page,
reloads it by itself on the event (the served reload script), and the clock stops when the new text is on screen.

Prints one line per edit, then the median and the largest per kind and overall, with the load average, and writes
every figure to bench/work/serve-latency-*.json. The corpus is edited in place: generate a fresh one
(bench/gen_corpus.py) to measure again.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=120) as r:
        return r.read().decode("utf-8")


def load(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def save(path: Path, data) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def generation(base: str, page: str) -> str:
    body = fetch(base + page)
    return body.split('data-build="', 1)[1].split('"', 1)[0]


class ReloadListener:
    """The page's server-sent events, as the reload script listens to them."""

    def __init__(self, base: str, since: str):
        self.events: queue.Queue[float] = queue.Queue()
        self.stream = urllib.request.urlopen(f"{base}__fichegen/events?since={since}", timeout=120)
        assert self.stream.readline().strip() == b"retry: 1000"
        threading.Thread(target=self._listen, daemon=True).start()

    def _listen(self) -> None:
        try:
            for raw in self.stream:
                if raw.startswith(b"event: reload"):
                    self.events.put(time.perf_counter())
                    return
        except Exception:
            pass

    def close(self) -> None:
        self.stream.close()


class Edits:
    """The four kinds of edit, each on a fiche or term not edited before."""

    def __init__(self, corpus: Path, label_page: str = "fiche"):
        self.corpus = corpus
        self.label_page = label_page
        self.projects = sorted((corpus / "content/projects").glob("*.yaml"))
        self.organisations = sorted((corpus / "content/organisations").glob("*.yaml"))
        self.n = 0

    def next(self, kind: str, i: int):
        """(page to watch, what the page will show, the save to make)."""
        stamp = f"Edited {i} {int(time.time() * 1000) % 100000}"
        if kind == "title":
            path = self.projects[(i * 37) % len(self.projects)]
            data = load(path)
            data["title"]["en"] = stamp
            return f"en/projects/{path.stem}/", stamp, lambda: save(path, data)
        if kind == "participant":
            path = self.projects[(i * 53 + 11) % len(self.projects)]
            data = load(path)
            organisation = self.organisations[(i * 7 + 3) % len(self.organisations)]
            name = load(organisation)["name"]
            shown = name if isinstance(name, str) else name.get("en") or next(iter(name.values()))
            named = [p for p in data.get("participants", []) if "organisation" in p]
            if named:
                named[0]["organisation"] = organisation.stem
            else:
                data.setdefault("participants", []).append({"organisation": organisation.stem, "roles": ["partner"]})
            return f"en/projects/{path.stem}/", _escaped(shown), lambda: save(path, data)
        if kind == "label":
            vocabularies = [v for v in ("themes", "target-groups", "programmes") if (self.corpus / f"content/vocabularies/{v}.yaml").exists()]
            vocabulary = vocabularies[i % len(vocabularies)]
            path = self.corpus / f"content/vocabularies/{vocabulary}.yaml"
            data = load(path)
            term = sorted(data)[(i * 5) % len(data)]
            data[term]["label"]["en"] = stamp
            page = f"en/{vocabulary}/{term}/"
            if self.label_page == "fiche":     # a project that shows the term, as an editor previewing a fiche sees it
                field = {"themes": "themes", "target-groups": "target_groups", "programmes": "funding"}[vocabulary]
                for candidate in self.projects[(i * 101) % len(self.projects):] + self.projects:
                    fiche = load(candidate)
                    values = fiche.get(field, [])
                    if (term in values) or any(isinstance(v, dict) and v.get("programme") == term for v in values):
                        page = f"en/projects/{candidate.stem}/"
                        break
            return page, stamp, lambda: save(path, data)
        if kind == "new":
            fiche_id = f"bench-new-{i}-{int(time.time())}"
            path = self.corpus / f"content/projects/{fiche_id}.yaml"
            organisation = self.organisations[i % len(self.organisations)].stem
            data = {"original_language": "en", "title": {"en": stamp}, "summary": {"en": "A project added while serving."},
                    "start_date": "2024-01", "countries": ["PT"], "participants": [{"organisation": organisation, "roles": ["lead"]}]}
            return f"en/projects/{fiche_id}/", stamp, lambda: save(path, data)
        raise ValueError(kind)


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;").replace('"', "&#34;")


def measure_http(base: str, page: str, shown: str, make_save) -> dict:
    fetch(base + page) if not page.startswith("en/projects/bench-new") else None   # the page is open (or not there yet)
    since = generation(base, "en/")
    listener = ReloadListener(base, since)
    try:
        make_save()
        saved = time.perf_counter()
        reload_at = listener.events.get(timeout=120)
        body = fetch(base + page)
        done = time.perf_counter()
    finally:
        listener.close()
    assert shown in body, f"{page} does not show {shown!r}"
    return {"event": reload_at - saved, "total": done - saved}


def measure_browser(browser, base: str, page: str, shown: str, make_save) -> dict:
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.goto(base + (page if not page.startswith("en/projects/bench-new") else "en/"))
        tab.wait_for_load_state("load")
        if page.startswith("en/projects/bench-new"):     # a new fiche: the editor has its future address open (404)
            tab.goto(base + page)
        make_save()
        saved = time.perf_counter()
        tab.wait_for_function("(text) => document.body && document.body.innerHTML.includes(text)", arg=shown,
                              timeout=120_000, polling=5)
        done = time.perf_counter()
        return {"total": done - saved}
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--browser", action="store_true", help="measure in chromium (Playwright) instead of an HTTP client")
    parser.add_argument("--label-page", choices=("fiche", "term"), default="fiche",
                        help="after a vocabulary label edit, watch a project page that shows the term (default) or the "
                             "term's own page, which lists every fiche of the term")
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    fichegen = Path(sys.executable).parent / "fichegen"
    started = time.perf_counter()
    process = subprocess.Popen([str(fichegen), "serve", "--root", str(corpus), "--port", "0"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    base = None
    log: list[str] = []
    try:
        while base is None:
            line = process.stdout.readline()
            if not line:
                raise SystemExit("serve stopped:\n" + "".join(log))
            log.append(line)
            if line.startswith("Serving"):
                base = line.split(" at ", 1)[1].split()[0]
        threading.Thread(target=lambda: [log.append(line) for line in process.stdout], daemon=True).start()
        fetch(base + "en/")
        ready = time.perf_counter() - started
        print(f"serve ready in {ready:.1f} s (load average {os.getloadavg()[0]:.2f})")
        edits = Edits(corpus, args.label_page)
        kinds = ["title", "participant", "label", "new"]
        results = []
        browser = playwright = None
        if args.browser:
            from playwright.sync_api import sync_playwright
            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for i in range(args.edits):
            kind = kinds[i % len(kinds)]
            page, shown, make_save = edits.next(kind, i)
            if browser is not None:
                figures = measure_browser(browser, base, page, shown, make_save)
            else:
                figures = measure_http(base, page, shown, make_save)
            figures.update(kind=kind, page=page, load=os.getloadavg()[0])
            results.append(figures)
            print(f"{i + 1:3d} {kind:12s} {figures['total'] * 1000:8.0f} ms  {page}  (load {figures['load']:.2f})", flush=True)
            time.sleep(0.5)
        if browser is not None:
            browser.close()
            playwright.stop()
        print()
        for kind in kinds + ["all"]:
            totals = [r["total"] for r in results if kind in ("all", r["kind"])]
            print(f"{kind:12s} median {statistics.median(totals) * 1000:6.0f} ms   max {max(totals) * 1000:6.0f} ms   ({len(totals)} edits)")
        out = HERE / "work" / f"serve-latency-{time.strftime('%Y%m%d-%H%M%S')}.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps({"corpus": str(corpus), "ready_s": ready, "browser": args.browser,
                                   "label_page": args.label_page, "edits": results,
                                   "serve_log": log[-40:]}, indent=2))
        print(f"figures in {out}")
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


if __name__ == "__main__":
    main()
