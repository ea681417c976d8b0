"""The one module that imports Jinja2: the template environment of a report run, and its error handling.

HTML templates are always autoescaped (by file name, and for templates built from strings); Markdown
templates escape every printed value for Markdown through `finalize`. Undefined names are errors. A user's
`--templates DIR` runs in Jinja's immutable sandbox, with the shipped templates behind it for any file it
does not override; a template that reaches for Python internals is an input error, never executed. A user's
template also runs under `render_limits.RenderLimits` (CPU time, size of values and output, template file
size), and whatever goes wrong in it (a limit, recursion, a Python error) is an input error naming its line.
"""

from __future__ import annotations

import functools
import os
import traceback
import typing
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
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
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import generate_lorem_ipsum

from secassess.errors import EnvironmentFailure, InputError, UsageError
from secassess.report.i18n import LocaleFormat, translations
from secassess.report.markdown import escape_md
from secassess.report.render_limits import (
    CpuDeadline,
    LimitExceeded,
    RenderLimits,
    bounded_range,
    check_count,
    check_counts,
    check_format,
    check_printf,
    check_replace,
    check_value,
    estimate_binop,
)
from secassess.textsafe import printable

ESCAPED_SUFFIXES = (".html", ".html.j2", ".htm", ".htm.j2", ".xml", ".xml.j2", ".svg", ".svg.j2")


def autoescape_for(name: str | None) -> bool:
    """Autoescape HTML, XML and SVG templates, and templates made from strings (`name` None).

    Jinja's `select_autoescape` looks only at the last extension, so it would not escape `x.html.j2`.
    """
    return name is None or name.lower().endswith(ESCAPED_SUFFIXES)


@pass_eval_context
def _finalize(eval_ctx: EvalContext, value: Any) -> Any:
    """Every printed value: control characters shown as escapes (HTML), or escaped for Markdown."""
    if not eval_ctx.autoescape:
        return escape_md(value)
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return printable(value, keep="\n")
    return value


def _template_place(exc: BaseException, roots: Sequence[Path] = ()) -> str:
    """`file:line` of the innermost template frame of a rendering error ("" when none)."""
    if isinstance(exc, TemplateSyntaxError):
        return f"{exc.filename or exc.name or '<template>'}:{exc.lineno}"
    prefixes = tuple(os.path.join(str(root), "") for root in roots)
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename.endswith(".j2") or (prefixes and f.filename.startswith(prefixes))]
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else ""


_LIMIT_HINT = "templates from --templates run with limits; make the template do less"


@contextmanager
def _template_errors(name: str, sandboxed: bool, roots: Sequence[Path] = ()) -> Iterator[None]:
    """Template problems as `InputError` (exit 2) with the template's file and line.

    In a user's (sandboxed) template anything that goes wrong is the template's doing: a limit, runaway
    recursion, memory, or a Python error such as a wrong argument type. In the shipped templates only
    Jinja's own errors are input errors; anything else is a bug and stays one.
    """
    try:
        yield
    except SecurityError as exc:
        place = _template_place(exc, roots) or name
        raise InputError([(None, f"{place}: the template tried an unsafe operation and was stopped ({exc}); "
                                 "templates from --templates run sandboxed and may only read the report data")],
                         kind="input") from None
    except TemplateNotFound as exc:
        where = "neither in --templates nor in the shipped templates" if sandboxed else "in the shipped templates"
        raise EnvironmentFailure(f"template {exc.name!r} not found {where}; reinstall secassess") from None
    except TemplateError as exc:
        place = _template_place(exc, roots) or name
        raise InputError([(None, f"{place}: template error: {exc.message or exc}")]) from None
    except LimitExceeded as exc:
        place = _template_place(exc, roots) or name
        raise InputError([(None, f"{place}: {exc}; {_LIMIT_HINT}")]) from None
    except Exception as exc:
        if not sandboxed:
            raise
        place = _template_place(exc, roots) or name
        raise InputError([(None, f"{place}: {_what_went_wrong(exc)}")]) from None


def _what_went_wrong(exc: Exception) -> str:
    if isinstance(exc, RecursionError):
        return "the template recursed too deeply (a macro, include or recursive loop that calls itself without end?)"
    if isinstance(exc, MemoryError):
        return f"the template ran out of memory; {_LIMIT_HINT}"
    return f"template error: {type(exc).__name__}: {exc}"


_SIZING_OWNERS = (str, bytes, int, list, tuple)
"""Objects whose methods take widths or counts (`ljust`, `zfill`, `to_bytes`, ...)."""


class _LimitedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with every operator, call, filter and global a template could grow checked."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, limits: RenderLimits, **options: Any) -> None:
        super().__init__(**options)
        self.limits = limits
        self.deadline = CpuDeadline(limits)
        self.globals["range"] = bounded_range(limits, self.deadline)
        self.globals["lipsum"] = self._lipsum

    def limit_filters(self) -> None:
        """Wrap every filter (call once the filters are all installed)."""
        self.filters = {name: self._limited_filter(name, f) for name, f in self.filters.items()}

    def _limited_filter(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        limits, deadline = self.limits, self.deadline
        skip = 2 if getattr(function, "jinja_pass_arg", None) is not None else 1

        @functools.wraps(function)
        def limited(*args: Any, **kwargs: Any) -> Any:
            value, rest = args[skip - 1] if len(args) >= skip else None, args[skip:]
            check_counts(rest, kwargs, limits)
            if name == "format" and isinstance(value, str):
                check_printf(value, tuple(rest) or tuple(kwargs.values()), limits)
            elif name == "replace" and isinstance(value, str) and len(rest) >= 2:
                check_replace(value, rest[0], rest[1], limits)
            deadline.check()
            return check_value(function(*args, **kwargs), limits)
        return limited

    def _lipsum(self, n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
        for value in (n, min, max):
            check_count(value, self.limits)
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (n, min, max)):
            raise LimitExceeded("lipsum() takes whole numbers: lipsum(n, html, min, max)")
        if n * max > 100_000:
            raise LimitExceeded(f"lipsum({n}, min={min}, max={max}) asks for over 100,000 words")
        return str(generate_lorem_ipsum(n, html, min, max))

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        estimate_binop(operator, left, right, self.limits)
        self.deadline.check()
        return check_value(super().call_binop(context, operator, left, right), self.limits)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, _SIZING_OWNERS):
            check_counts(args, kwargs, __self.limits)
            if isinstance(owner, str) and getattr(__obj, "__name__", "") == "replace" and len(args) >= 2:
                check_replace(owner, args[0], args[1], __self.limits)
        __self.deadline.check()
        return check_value(super().call(__context, __obj, *args, **kwargs), __self.limits)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        template: str = value.__self__
        limits = self.limits
        is_map = value.__name__ == "format_map"

        def checked(*args: Any, **kwargs: Any) -> str:
            mapping = args[0] if is_map and args and isinstance(args[0], Mapping) else {}
            check_format(template, () if is_map else args, mapping if is_map else kwargs, limits)
            return str(check_value(wrapper(*args, **kwargs), limits))
        return checked


class _BoundedLoader(FileSystemLoader):
    """A file loader that refuses template files over a size limit before reading them."""

    def __init__(self, directory: Path, max_bytes: int) -> None:
        super().__init__(str(directory))
        self.max_bytes = max_bytes

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if len(source) > self.max_bytes:
            raise InputError([(None, f"{filename}: the template is {len(source):,} characters, over the "
                                     f"{self.max_bytes:,}-character limit for --templates files")])
        return source, filename, uptodate


MAX_TEMPLATE_BYTES = 4 * 1024 * 1024
DEFAULT_LIMITS = RenderLimits()
"""The limits of a user's templates when the caller names none."""


class Renderer:
    """One environment per run: each template is compiled once and rendered for every agency."""

    def __init__(self, lang: str, shipped_dir: Path, user_dir: Path | None = None,
                 limits: RenderLimits | None = None) -> None:
        if user_dir is not None and not user_dir.is_dir():
            raise UsageError(f"--templates {user_dir}: not a directory")
        self.sandboxed = user_dir is not None
        self.limits = limits = limits or DEFAULT_LIMITS
        self._roots = (shipped_dir, *((user_dir,) if user_dir is not None else ()))
        loader: BaseLoader = FileSystemLoader(str(shipped_dir))
        if user_dir is not None:
            loader = ChoiceLoader([_BoundedLoader(user_dir, MAX_TEMPLATE_BYTES), loader])
        env_class: Callable[..., Environment] = functools.partial(_LimitedSandbox, limits) if self.sandboxed \
            else Environment
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
        if isinstance(self._env, _LimitedSandbox):
            self._env.limit_filters()
        self._templates: dict[str, Template] = {}

    def template(self, name: str) -> Template:
        """The compiled template `name` (compiled on first use, then reused)."""
        if name not in self._templates:
            with _template_errors(name, self.sandboxed, self._roots):
                self._templates[name] = self._env.get_template(name)
        return self._templates[name]

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        """Render template `name` with `context`; template problems become `InputError`."""
        template = self.template(name)
        with _template_errors(name, self.sandboxed, self._roots):
            if isinstance(self._env, _LimitedSandbox):
                return self._render_limited(template, context, self._env)
            return template.render(context)

    def _render_limited(self, template: Template, context: Mapping[str, Any], env: _LimitedSandbox) -> str:
        """Stream the output, stopping the template (inside its own frames, so at its line) at a limit."""
        chunks: list[str] = []
        size = 0
        with env.deadline.running():
            stream = typing.cast(Generator[str, None, None], template.generate(context))
            try:
                for chunk in stream:
                    size += len(chunk)
                    try:
                        if size > self.limits.output_chars:
                            raise LimitExceeded(f"the output is over the limit of {self.limits.output_chars:,} "
                                                "characters")
                        env.deadline.check()
                    except LimitExceeded as exc:
                        stream.throw(exc)
                        raise  # pragma: no cover - throw() re-raises from the template's frames
                    chunks.append(chunk)
            finally:
                stream.close()
        return "".join(chunks)
