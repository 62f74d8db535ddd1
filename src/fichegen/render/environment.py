"""The Jinja environment: the project's templates before the built-in theme's, and a sandbox around them.

A project's templates come in pull requests. When a project has any, every page renders in a sandbox
(`ProjectSandbox`): templates may read the values a page is given and call only the template helpers
(`t`, `asset`, `show`, `prose`, `join`), macros, Jinja's own helpers and the methods of plain values (strings,
lists, mappings); no attribute leads to a module, a class or a file path. So `{{ cycler.__init__.__globals__ }}`,
`{{ ''.__class__.__mro__ }}` or a view object's methods stop the build with a SecurityError instead of running
code. The built-in theme alone renders without the sandbox (it is part of fichegen).
"""

from __future__ import annotations

import inspect
import os
import types
from pathlib import Path
from typing import Any

import jinja2
from jinja2.runtime import BlockReference, LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range
from jinja2.utils import Cycler, Joiner, Namespace

from ..i18n import Localizer
from ..overrides import BUILTIN_PREFIX, TEMPLATES, Theme
from .fragments import FRAGMENTS
from .urls import Urls

#: Functions and methods a project template may call, besides macros and the methods of plain values.
_HELPERS = {*FRAGMENTS.values(), Localizer.t, Urls.asset, Cycler.next, Cycler.reset, LoopContext.cycle, LoopContext.changed}
#: Values whose methods are safe to call: they only compute a new value from themselves.
_PLAIN = (str, int, float, bool, list, tuple, dict, set, frozenset, LoopContext, Cycler, Namespace)
#: Values no attribute may lead to: from these a template could reach the file system or the interpreter.
_UNREACHABLE = (types.ModuleType, type, os.PathLike, types.FunctionType, types.CodeType, types.FrameType)


class ProjectTemplates(jinja2.BaseLoader):
    """The project's templates, by name: only the files `overrides.project_files` found (no link is followed)."""

    def __init__(self, files: dict[str, Path]):
        self.files = files

    def get_source(self, environment: jinja2.Environment, template: str):
        path = self.files.get(template)
        if path is None:
            raise jinja2.TemplateNotFound(template)
        mtime = path.stat().st_mtime
        return path.read_text(encoding="utf-8"), str(path), lambda: _unchanged(path, mtime)

    def list_templates(self) -> list[str]:
        return sorted(self.files)


def _unchanged(path: Path, mtime: float) -> bool:
    try:
        return path.stat().st_mtime == mtime
    except OSError:
        return False


class ProjectSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, narrowed to what fichegen's templates need (see the module docstring)."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, _UNREACHABLE) or isinstance(value, _UNREACHABLE):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def is_safe_callable(self, obj: Any) -> bool:
        return super().is_safe_callable(obj) and _callable_by_templates(obj)


def _callable_by_templates(obj: Any) -> bool:
    if isinstance(obj, (Macro, BlockReference, Joiner, LoopContext)) or obj in (Cycler, Joiner, Namespace, safe_range, dict):
        return True
    if inspect.ismethod(obj):
        return obj.__func__ in _HELPERS or isinstance(obj.__self__, _PLAIN)
    if isinstance(obj, types.BuiltinMethodType):          # "a b".split(), {}.items()
        return isinstance(obj.__self__, _PLAIN)
    try:
        return obj in _HELPERS or obj in _JINJA_GLOBALS
    except TypeError:   # an unhashable callable
        return False


_JINJA_GLOBALS = {value for value in jinja2.defaults.DEFAULT_NAMESPACE.values() if callable(value)}


def make_environment(theme: Theme, cache_dir: Path | None = None) -> jinja2.Environment:
    """Jinja, autoescaping and strict; the project's templates first, then the built-in ones, which stay
    reachable as "theme/NAME" (so a project's base.html can extend "theme/base.html" and change one block).
    Sandboxed when the project has templates of its own; compiled templates are kept in `cache_dir`."""
    builtin = jinja2.FileSystemLoader(str(theme.builtin / TEMPLATES))
    loader = jinja2.ChoiceLoader([jinja2.PrefixLoader({BUILTIN_PREFIX: builtin}), ProjectTemplates(theme.templates), builtin])
    sandboxed = theme.has_own_templates
    bytecode_cache = None
    if cache_dir is not None:
        folder = cache_dir / ("sandboxed" if sandboxed else "trusted")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
        except OSError:
            bytecode_cache = None   # a read-only checkout builds without the cache
    options: dict[str, Any] = dict(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                                   lstrip_blocks=True, auto_reload=False, cache_size=-1, bytecode_cache=bytecode_cache)
    env = ProjectSandbox(**options) if sandboxed else jinja2.Environment(**options)
    env.globals.update(FRAGMENTS)
    return env

