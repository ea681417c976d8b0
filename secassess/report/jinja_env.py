"""The one module that imports Jinja2: the template environment of a report run, and its error handling.

HTML templates are always autoescaped (by file name, and for templates built from strings); Markdown
templates escape every printed value for Markdown through `finalize`. Undefined names are errors. A user's
`--templates DIR` runs in Jinja's immutable sandbox, with the shipped templates behind it for any file it
does not override; a template that reaches for Python internals is an input error, never executed.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    pass_eval_context,
)
from jinja2.exceptions import SecurityError
from jinja2.nodes import EvalContext
from jinja2.sandbox import ImmutableSandboxedEnvironment

from secassess.errors import EnvironmentFailure, InputError, UsageError
from secassess.report.i18n import LocaleFormat, translations
from secassess.report.markdown import escape_md

ESCAPED_SUFFIXES = (".html", ".html.j2", ".htm", ".htm.j2", ".xml", ".xml.j2", ".svg", ".svg.j2")


def autoescape_for(name: str | None) -> bool:
    """Autoescape HTML, XML and SVG templates, and templates made from strings (`name` None).

    Jinja's `select_autoescape` looks only at the last extension, so it would not escape `x.html.j2`.
    """
    return name is None or name.lower().endswith(ESCAPED_SUFFIXES)


@pass_eval_context
def _finalize(eval_ctx: EvalContext, value: Any) -> Any:
    """In templates that are not autoescaped (Markdown), every printed value is escaped for Markdown."""
    return value if eval_ctx.autoescape else escape_md(value)


def _template_place(exc: BaseException) -> str:
    """`file:line` of the innermost template frame of a rendering error ("" when none)."""
    if isinstance(exc, TemplateSyntaxError):
        return f"{exc.filename or exc.name or '<template>'}:{exc.lineno}"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else ""


@contextmanager
def _template_errors(name: str, sandboxed: bool) -> Iterator[None]:
    """Template problems as `InputError` (exit 2) with the template's file and line."""
    try:
        yield
    except SecurityError as exc:
        place = _template_place(exc) or name
        raise InputError([(None, f"{place}: the template tried an unsafe operation and was stopped ({exc}); "
                                 "templates from --templates run sandboxed and may only read the report data")],
                         kind="input") from None
    except TemplateNotFound as exc:
        where = "neither in --templates nor in the shipped templates" if sandboxed else "in the shipped templates"
        raise EnvironmentFailure(f"template {exc.name!r} not found {where}; reinstall secassess") from None
    except TemplateError as exc:
        place = _template_place(exc) or name
        raise InputError([(None, f"{place}: template error: {exc.message or exc}")]) from None


class Renderer:
    """One environment per run: each template is compiled once and rendered for every agency."""

    def __init__(self, lang: str, shipped_dir: Path, user_dir: Path | None = None) -> None:
        if user_dir is not None and not user_dir.is_dir():
            raise UsageError(f"--templates {user_dir}: not a directory")
        self.sandboxed = user_dir is not None
        loader: BaseLoader = FileSystemLoader(str(shipped_dir))
        if user_dir is not None:
            loader = ChoiceLoader([FileSystemLoader(str(user_dir)), loader])
        env_class = ImmutableSandboxedEnvironment if self.sandboxed else Environment
        self._env = env_class(loader=loader, autoescape=autoescape_for, undefined=StrictUndefined,
                              finalize=_finalize, extensions=["jinja2.ext.i18n"], trim_blocks=True,
                              lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False)
        self._env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
        fmt = LocaleFormat(lang)
        filters: dict[str, Callable[..., Any]] = {
            "date": fmt.date, "number": fmt.number, "percent": fmt.percent, "md": escape_md,
            "score": fmt.score,
        }
        self._env.filters.update(filters)
        self._env.globals["lang"] = lang
        self._templates: dict[str, Template] = {}

    def template(self, name: str) -> Template:
        """The compiled template `name` (compiled on first use, then reused)."""
        if name not in self._templates:
            with _template_errors(name, self.sandboxed):
                self._templates[name] = self._env.get_template(name)
        return self._templates[name]

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        """Render template `name` with `context`; template problems become `InputError`."""
        template = self.template(name)
        with _template_errors(name, self.sandboxed):
            return template.render(context)
