"""Where every page lives: /<lang>/<section>/<id>/, under the configured base path."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

_SAFE = re.compile(r"^[A-Za-z0-9._~-]*$")


@lru_cache(maxsize=None)
def _segment(part: str) -> str:
    # Ids are validated slugs and need no quoting; anything else is percent-encoded.
    return part if _SAFE.fullmatch(part) else quote(part, safe="")   # whole: `$` also matches before a final newline

SECTION = {"project": "projects", "strategy": "strategies", "organisation": "organisations", "discussion": "discussions"}
TAXONOMY_SECTION = {"countries": "countries", "world-regions": "world-regions", "sectors": "sectors", "themes": "themes",
                    "programmes": "programmes", "target-groups": "target-groups", "regions": "regions", "years": "years",
                    "statuses": "status", "organisation-types": "organisation-types"}


@dataclass(frozen=True)
class Urls:
    base_path: str = "/"

    def _u(self, *parts: str) -> str:
        path = "/".join(_segment(p) for p in parts if p)
        return self.base_path + (path + "/" if path else "")

    def home(self, lang: str) -> str:
        return self._u(lang)

    def root(self) -> str:
        return self.base_path

    def fiche(self, lang: str, kind: str, fiche_id: str) -> str:
        return self._u(lang, SECTION[kind], fiche_id)

    def section(self, lang: str, kind: str) -> str:
        return self._u(lang, SECTION[kind])

    def taxonomy(self, lang: str, taxonomy: str) -> str:
        return self._u(lang, TAXONOMY_SECTION[taxonomy])

    def term(self, lang: str, taxonomy: str, term: str) -> str:
        return self._u(lang, TAXONOMY_SECTION[taxonomy], term.lower())

    def page(self, lang: str, name: str) -> str:
        return self._u(lang, name)

    def asset(self, path: str) -> str:
        return self.base_path + path.lstrip("/")


def file_for(url: str, base_path: str) -> str:
    """The file a URL is served from, relative to the output folder."""
    rel = url[len(base_path):]
    if rel.endswith("/") or rel == "":
        rel += "index.html"
    from urllib.parse import unquote
    return unquote(rel)
