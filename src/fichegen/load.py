"""Stage 1, load: YAML files become plain data with the source position of every value.

The YAML is composed into nodes (libyaml's C parser when available) with a resolver that
knows no implicit types, so every plain scalar stays a string: `NO` stays Norway's code,
`1.10` stays "1.10". Pydantic converts by field type later. Tags, anchors and aliases are
refused, duplicate keys are errors, and size and depth are bounded, so hostile files fail
fast with a diagnostic instead of running code or eating memory.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from .diagnostics import Diagnostic, relative

try:  # libyaml's C parser: same events and nodes, several times faster
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - pure Python fallback
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


STR = "tag:yaml.org,2002:str"
MAP = "tag:yaml.org,2002:map"
SEQ = "tag:yaml.org,2002:seq"
_DEFAULT_TAGS = {ScalarNode: STR, SequenceNode: SEQ, MappingNode: MAP}


class _NodeLoader(_Parser, BaseResolver):
    """Composes nodes only; there are no implicit resolvers, so plain scalars stay str."""

    def __init__(self, stream):
        _Parser.__init__(self, stream)
        BaseResolver.__init__(self)

    # What BaseResolver does without implicit or path resolvers, without its per-node bookkeeping:
    # the composer calls these for every node, and they were 10% of reading a file.
    def resolve(self, kind, value, implicit):
        return _DEFAULT_TAGS[kind]

    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass
NULL_WORDS = {"", "~", "null", "Null", "NULL"}

FICHE_FOLDERS = {"projects": "project", "strategies": "strategy", "organisations": "organisation", "discussions": "discussion"}
VOCABULARY_FOLDER = "vocabularies"
#: A fiche id, always matched whole (fullmatch: `$` would also match before a final newline).
ID_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?")
#: Device names Windows reserves in any case and with any extension (`nul.txt` is the device too).
WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})
#: What the site writes beside its pages: at its root (index.html, 404.html, sitemap.xml, robots.txt, static/, data/,
#: pagefind/, handbook/, admin/ — the web editor), in each language folder (index.html, 404.html, feed.xml, search/, statistics/, data/,
#: translations/) and in each section (index.html). An id is refused under these names and their stems, so that
#: no fiche or term page can collide with one of them whatever folder it lands in.
SITE_FILES = frozenset({"index.html", "404.html", "feed.xml", "sitemap.xml", "robots.txt", "static", "data", "pagefind",
                        "handbook", "admin", "search", "statistics", "translations"})
RESERVED_NAMES = SITE_FILES | {name.split(".")[0] for name in SITE_FILES}

Path_ = tuple  # a location inside a document: keys and list indices


@dataclass
class Positions:
    """Where each value (and each mapping key) of a document stands, 1-based."""

    values: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    keys: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    problems: list["LoadError"] = field(default_factory=list)   # non-fatal: duplicate keys

    def of(self, loc: tuple, *, key: bool = False) -> tuple[int, int]:
        """The position of `loc`, or of its nearest ancestor that has one."""
        loc = tuple(loc)
        table = self.keys if key else self.values
        while loc:
            if loc in table:
                return table[loc]
            if not key and loc in self.keys:
                return self.keys[loc]
            loc = loc[:-1]
        return self.values.get((), (1, 1))


@dataclass
class SourceFile:
    """One fiche or vocabulary file as loaded: its data and where each value is."""

    path: Path          # absolute
    rel: str            # path shown to editors, relative to the project root
    kind: str           # project | strategy | organisation | discussion | vocabulary
    id: str             # file stem: the fiche id or the vocabulary name
    data: dict[str, Any]
    positions: Positions | None
    digest: str = ""    # content hash, for caches

    def at(self, loc: tuple, *, key: bool = False) -> tuple[int, int]:
        if self.positions is None:   # a cached, slim source: positions are read again only when needed
            try:
                self.positions = parse_yaml(decode(self.path.read_bytes()))[1]
            except (OSError, LoadError):
                self.positions = Positions()
        return self.positions.of(loc, key=key)

    def slim(self) -> "SourceFile":
        """A copy without the raw data and positions, to keep in the cache: the model holds the data."""
        return SourceFile(self.path, self.rel, self.kind, self.id, {}, None, self.digest)


class LoadError(Exception):
    def __init__(self, line: int, column: int, code: str, message: str, hint: str = ""):
        super().__init__(message)
        self.line, self.column, self.code, self.message, self.hint = line, column, code, message, hint


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 1024 * 1024
    max_depth: int = 20


def parse_yaml(text: str, limits: Limits = Limits()) -> tuple[Any, Positions]:
    """Parse one YAML document into plain str/dict/list/None data and its positions."""
    if "\t" in text:
        for lineno, line in enumerate(text.splitlines(), 1):
            stripped = line.lstrip(" ")
            if stripped.startswith("\t"):
                raise LoadError(lineno, len(line) - len(stripped) + 1, "yaml-tab",
                                "a tab character is used for indentation",
                                "YAML indents with spaces only: replace the tab with spaces")
    loader = _NodeLoader(text)
    try:
        if sum(map(text.count, "[{-:?")) > SHALLOW:   # every level of nesting takes one of these characters
            _refuse_deep_nesting(text, limits.max_depth)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        if exc.problem == LIBYAML_TOO_DEEP:   # libyaml ≥ 0.2.6 (PyYAML 6.0.3+) has its own bound, past ours
            raise _too_deep_before(text, exc.problem_mark, limits.max_depth) from None
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        if exc.context:
            started = exc.context_mark
            where = f" (started at line {started.line + 1}, column {started.column + 1})" if started and started is not mark else ""
            problem = f"{exc.context}{where}, {problem}"
        raise LoadError(line, col, "yaml-syntax", f"YAML syntax error: {problem}",
                        "check the indentation and quote texts that contain ': ' or start with a special character") from None
    except yaml.reader.ReaderError as exc:  # a raw control character; libyaml counts UTF-8 bytes
        before = text.encode("utf-8", "surrogatepass")[: exc.position].decode("utf-8", "replace")
        line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        raise LoadError(line, column, "control-character",
                        f"the file holds the invisible control character U+{exc.character:04X}, which YAML does not allow",
                        "delete it: it usually comes from pasting text from another program") from None
    except yaml.YAMLError as exc:
        raise LoadError(1, 1, "yaml-syntax", f"YAML error: {exc}",
                        "check the indentation and quote texts that contain ': ' or start with a special character") from None
    except RecursionError:
        raise LoadError(1, 1, "yaml-too-deep", "the document nests too deeply to be read", TOO_DEEP_HINT) from None
    finally:
        loader.dispose()
    positions = Positions()
    if node is None:
        return None, positions
    data = _to_data(node, (), positions, set(), limits.max_depth)
    return data, positions


TOO_DEEP_HINT = "fiches need only a few levels of lists and mappings: look for runaway [ or { brackets or indentation"
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


#: A file with at most this many [ { - : ? characters cannot nest deeper than that: safe to compose directly.
SHALLOW = 2000
#: What libyaml's scanner says when a document nests past its own bound (1,000 levels in libyaml 0.2.6).
LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"


def _too_deep_before(text: str, mark, max_depth: int) -> "LoadError":
    """libyaml stopped a document nested past its own bound: report it as fichegen's, at the collection where
    fichegen's bound was crossed, so the diagnostic is the same whichever layer noticed first.

    The scanner looks ahead over up to 1,024 characters of opening brackets before it yields the first
    event, so on a newer libyaml the event walk of _refuse_deep_nesting never gets to count; the lines up
    to libyaml's mark are walked again by PyYAML's pure-Python parser, which has no bound of its own and
    stops at ours (only on this error path: it is several times slower)."""
    where = "".join(text.splitlines(keepends=True)[: mark.line + 1]) if mark else text
    try:
        _walk_events(_PurePythonEvents(where), max_depth)
    except LoadError as exc:
        if exc.code == "yaml-too-deep":
            return exc
    except yaml.YAMLError:
        pass   # the truncated text ends mid-collection: fichegen's bound was not crossed before it
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return LoadError(line, col, "yaml-too-deep", f"the value is nested more than {max_depth} levels deep", TOO_DEEP_HINT)


def _refuse_deep_nesting(text: str, max_depth: int) -> None:
    """Walk the parser's events (libyaml keeps its own stack) and stop at the first collection nested too deep.

    The node composer recurses in C, one frame per level: a 200 KB file of '[' characters would
    overflow the stack and kill the process, so the depth is bounded before anything is composed."""
    events = _NodeLoader(text)
    try:
        _walk_events(events, max_depth)
    finally:
        events.dispose()


def _walk_events(events, max_depth: int) -> None:
    depth = 0
    while events.check_event():
        event = events.get_event()
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > max_depth + 1:
                mark = event.start_mark
                raise LoadError(mark.line + 1, mark.column + 1, "yaml-too-deep",
                                f"the value is nested more than {max_depth} levels deep", TOO_DEEP_HINT)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


class _PurePythonEvents(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """PyYAML's parser in Python: events only, no depth bound of its own (libyaml's C parser has one)."""

    def __init__(self, text: str):
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


def _control_character(node: Node, value: str, where: str) -> "LoadError":
    c = CONTROL_CHARACTER.search(value)[0]
    return LoadError(*_pos(node), "control-character",
                     f"the {where} holds the invisible control character U+{ord(c):04X}, which a web page or XML file cannot show",
                     "delete it: it usually comes from pasting or from an escape such as \\0 or \\e inside double quotes")


def _pos(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _to_data(node: Node, loc: tuple, positions: Positions, seen: set[int], max_depth: int) -> Any:
    if id(node) in seen:
        raise LoadError(*_pos(node), "yaml-alias", "anchors and aliases (&name, *name) are not allowed",
                        "write the repeated value out in full")
    seen.add(id(node))
    if len(loc) > max_depth:
        raise LoadError(*_pos(node), "yaml-too-deep", f"the value is nested more than {max_depth} levels deep", TOO_DEEP_HINT)
    positions.values[loc] = _pos(node)
    if node.tag not in (STR, MAP, SEQ):
        raise LoadError(*_pos(node), "yaml-tag", f"the YAML tag {node.tag!r} is not allowed",
                        "remove the tag and write a plain value")
    if isinstance(node, ScalarNode):
        if node.tag != STR:
            raise LoadError(*_pos(node), "yaml-tag", f"the YAML tag {node.tag!r} is not allowed",
                            "remove the tag and write a plain value")
        if not node.style and node.value in NULL_WORDS:  # plain style: None (Python parser) or "" (libyaml)
            return None
        if CONTROL_CHARACTER.search(node.value):
            # Reported, not fatal, and removed, so the rest of the fiche is still validated.
            positions.problems.append(_control_character(node, node.value, "text"))
            return CONTROL_CHARACTER.sub("", node.value)
        return node.value
    if isinstance(node, SequenceNode):
        return [_to_data(child, loc + (i,), positions, seen, max_depth) for i, child in enumerate(node.value)]
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if id(key_node) in seen:
                raise LoadError(*_pos(key_node), "yaml-alias", "anchors and aliases (&name, *name) are not allowed",
                                "write the repeated value out in full")
            if not isinstance(key_node, ScalarNode) or key_node.tag != STR:
                raise LoadError(*_pos(key_node), "wrong-type", "a mapping key must be a plain word",
                                "write keys as plain words followed by ': ', e.g. 'title:'")
            key = key_node.value
            if key == "<<":
                raise LoadError(*_pos(key_node), "yaml-alias", "merge keys (<<) are not allowed",
                                "write the merged values out in full")
            if key in result:
                # Reported, not fatal: the rest of the file is still checked. The first value is kept.
                first = positions.keys[loc + (key,)]
                positions.problems.append(LoadError(*_pos(key_node), "duplicate-key",
                                                    f"the key '{key}' appears twice (first at line {first[0]}); this one is ignored",
                                                    "remove or merge one of the two"))
                _to_data(value_node, loc + (f"{key} (duplicate)",), positions, seen, max_depth)
                continue
            positions.keys[loc + (key,)] = _pos(key_node)
            result[key] = _to_data(value_node, loc + (key,), positions, seen, max_depth)
        return result
    raise LoadError(*_pos(node), "yaml-syntax", "unsupported YAML node")  # pragma: no cover


def decode(raw: bytes) -> str:
    """UTF-8 (a BOM is accepted and dropped); CRLF line ends become LF."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise LoadError(line, column, "not-utf8",
                        f"byte 0x{raw[exc.start]:02x} at offset {exc.start} is not UTF-8",
                        "save the file with UTF-8 encoding") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_id(file_id: str) -> str | None:
    """Why `file_id` is not a usable fiche id, or None when it is."""
    problem = id_problem(file_id)
    return problem[1] if problem else None


def id_problem(file_id: str) -> tuple[str, str] | None:
    """(diagnostic code, why) when `file_id` cannot be a fiche id, or None."""
    if not ID_PATTERN.fullmatch(file_id):
        return "bad-file-name", "ids use lower-case letters a-z, digits and hyphens, start and end with a letter or digit, at most 80 characters"
    reserved = reserved_name(file_id)
    return ("reserved-id", reserved) if reserved else None


def reserved_name(name: str) -> str | None:
    """Why `name` (a fiche id or a vocabulary term id) is reserved, or None. Terms are compared as their page's
    folder is named: in lower case."""
    lowered = name.lower()
    device = lowered.split(".")[0]
    if device in WINDOWS_RESERVED:
        return f"'{name}' is a reserved device name on Windows ({device.upper()}, with or without an extension): no Windows computer could check it out"
    if lowered in RESERVED_NAMES:
        return f"'{name}' is the name of a file or folder the site writes beside its pages, which its page would collide with"
    return None


def _suggest_id(name: str) -> str:
    """A usable id close to `name`, for hints."""
    suggestion = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:78].strip("-") or "my-fiche"
    return f"{suggestion}-1" if reserved_name(suggestion) else suggestion


def _term_problems(source: "SourceFile") -> list[Diagnostic]:
    """Vocabulary term ids that are reserved names, each at its key (the model checks their spelling)."""
    out = []
    for term_id in source.data:
        reason = reserved_name(term_id) if isinstance(term_id, str) else None
        if reason:
            line, col = source.at((term_id,), key=True)
            out.append(Diagnostic(source.rel, line, col, "reserved-id", f"the term id {reason}",
                                  f"choose another id for the term, e.g. '{_suggest_id(term_id)}', and use it in the fiches"))
    return out


def load_file(path: Path, root: Path, kind: str, limits: Limits = Limits(), rel: str | None = None) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Read one file; `rel`, the path shown to editors, is computed when discover() did not give it."""
    rel = rel or relative(path, root)
    file_id = path.stem

    def diag(line, col, code, message, hint=""):
        return Diagnostic(rel, line, col, code, message, hint)

    try:
        status = path.stat()
        size = status.st_size
        if not stat.S_ISREG(status.st_mode):   # a FIFO or device would block or never end
            return None, [diag(1, 1, "yaml-syntax", "this is not a regular file", "replace it with a plain text file")]
        if size > limits.max_file_bytes:
            return None, [diag(1, 1, "file-too-large", f"the file is {size:,} bytes, over the limit of {limits.max_file_bytes:,}",
                               "shorten it, or raise max_file_bytes in fichegen.toml")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [diag(1, 1, "yaml-syntax", f"cannot read the file: {exc.strerror}",
                           "check that it is a regular file you are allowed to read")]
    try:
        text = decode(raw)
        data, positions = parse_yaml(text, limits)
    except LoadError as exc:
        return None, [diag(exc.line, exc.column, exc.code, exc.message, exc.hint)]
    soft = [diag(p.line, p.column, p.code, p.message, p.hint) for p in positions.problems]
    if data is None:
        return None, [diag(1, 1, "empty-file", "the file is empty", f"start from `fichegen new {kind} {file_id}`" if kind != "vocabulary" else "add terms or delete the file")]
    if not isinstance(data, dict):
        return None, [diag(1, 1, "not-a-mapping", f"the file holds a {'list' if isinstance(data, list) else 'single value'}, not a mapping of keys",
                           "a fiche is a set of `key: value` lines at the top level")]
    source = SourceFile(path, rel, kind, file_id, data, positions, hashlib.blake2b(raw, digest_size=16).hexdigest())
    if kind == "vocabulary":
        soft += _term_problems(source)
    return source, soft


def _yaml_stem(name: str) -> tuple[str, bool]:
    """The name without its extension, and whether that extension is some spelling of .yaml or .yml."""
    for suffix in (".yaml", ".yml"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)], True
    return name, False


def discover(root: Path, content_dir: str = "content") -> tuple[list[tuple[Path, str, str]], list[Diagnostic]]:
    """Every fiche and vocabulary file under content/, with its kind and the path shown to editors;
    misplaced files as diagnostics."""
    content = (root / content_dir)
    found: list[tuple[Path, str, str]] = []
    diagnostics: list[Diagnostic] = []
    if not content.is_dir():
        return found, [Diagnostic(content_dir, 1, 1, "wrong-folder", f"no '{content_dir}' folder here", "run fichegen from the folder that holds fichegen.toml")]
    content_real = content.resolve()
    for dirpath, dirnames, filenames in os.walk(content, followlinks=False):
        dirpath_p = Path(dirpath)
        # The path shown for a file is its folder's plus its own name (a link's own name, not its target's);
        # the folder is resolved once: resolving every file's path was 12% of a warm check.
        folder_rel = relative(dirpath_p, root)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for d in list(dirnames):
            p = dirpath_p / d
            if p.is_symlink():
                dirnames.remove(d)
                diagnostics.append(Diagnostic(f"{folder_rel}/{d}", 1, 1, "symlink-outside", "symbolic links to folders are not followed", "copy the files into content/ instead"))
        for name in sorted(filenames):
            stem, yaml_like = _yaml_stem(name)
            if name.startswith("."):
                if yaml_like and not name.startswith(".#"):   # .#x.yaml: an editor's lock file
                    diagnostics.append(Diagnostic(f"{folder_rel}/{name}", 1, 1, "bad-file-name",
                                                  f"'{name}' starts with a dot: a hidden file, which is never published",
                                                  f"rename it, e.g. {_suggest_id(stem)}.yaml, or delete it"))
                continue
            path = dirpath_p / name
            rel = f"{folder_rel}/{name}"
            if path.is_symlink():
                try:
                    target = path.resolve()
                except (OSError, RuntimeError):   # a loop of links
                    diagnostics.append(Diagnostic(rel, 1, 1, "symlink-outside", "this symbolic link loops and is ignored",
                                                  "replace it with the file itself"))
                    continue
                if not target.is_relative_to(content_real):
                    diagnostics.append(Diagnostic(rel, 1, 1, "symlink-outside", "this symbolic link points outside the content folder and is ignored", "copy the file into content/ instead"))
                    continue
            if not name.endswith(".yaml"):
                if yaml_like:   # .yml, .YAML, .Yml…: would be ignored without a word
                    suffix = name[len(stem):]
                    diagnostics.append(Diagnostic(rel, 1, 1, "bad-file-name",
                                                  f"fiche and vocabulary files end in '.yaml' (lower case), not '{suffix}': this file is ignored",
                                                  f"rename it to {stem}.yaml"))
                continue
            parts = path.relative_to(content).parts
            if len(parts) == 2 and parts[0] in FICHE_FOLDERS:
                kind = FICHE_FOLDERS[parts[0]]
            elif len(parts) == 2 and parts[0] == VOCABULARY_FOLDER:
                kind = "vocabulary"
            else:
                diagnostics.append(Diagnostic(rel, 1, 1, "wrong-folder", "this file is not in a fiche folder and is ignored",
                                              "move it to content/projects/, content/strategies/, content/organisations/, content/discussions/ or content/vocabularies/"))
                continue
            problem = id_problem(path.stem) if kind != "vocabulary" else None
            if problem:
                code, why = problem
                message = f"'{path.stem}' cannot be an id: {why}" if code == "bad-file-name" else f"the file name {why}"
                diagnostics.append(Diagnostic(rel, 1, 1, code, message, f"rename the file, e.g. {_suggest_id(path.stem)}.yaml"))
                continue
            found.append((path, kind, rel))
    return found, diagnostics
