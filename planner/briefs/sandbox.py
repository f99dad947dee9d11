"""The sandbox a brief template runs in, and its errors said in a sentence.

Templates run in jinja2's immutable sandbox, narrowed for the campaign's pydantic models. A
template is read only from inside its folder (``FolderLoader``: a link that leads out of it is
refused), every loop step and call checks the rendering's deadline, and no single step may
make a value too large for any brief (``MAX_REPEAT``, ``MAX_WIDTH``, ``MAX_POWER_BITS``).
``template_error`` turns what went wrong in a template into one sentence naming its file and
line.
"""

from __future__ import annotations

import math
import os
import re
import stat
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from pydantic import BaseModel

from planner.domain.errors import PlannerError
from planner.domain.models import Campaign
from planner.store.dbfiles import database_in_use

# No brief template is this large (a style sheet with a logo and fonts inlined is a few MB).
MAX_TEMPLATE_BYTES = 20_000_000
# The most characters or items one ``*`` may make, and the most bits one ``**`` may make: a
# single step that large would run (or fill the memory) beyond the reach of the time limit.
MAX_REPEAT = 1_000_000
# The widest a template may pad or indent a value (``center``, ``indent``, ``"%10s"``,
# ``"{:>10}"``): one step in C, which no time limit can stop, must not fill the memory.
MAX_WIDTH = 10_000
MAX_POWER_BITS = 100_000


class TemplateRefused(Exception):
    """A template name that leads out of its folder, or a file that is not a template."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


class TemplateStopped(Exception):
    """The rendering ran past its time limit."""


class ValueTooLarge(Exception):
    """A template asked for a string, list or number too large for any brief."""


def _template_pieces(name: str) -> list[str]:
    """A template name split into the folders and file it names inside its folder, as jinja2's
    own loaders do, except that ``..`` is a sentence rather than "not found"."""
    pieces = []
    for piece in name.split("/"):
        if piece == os.path.pardir:
            raise TemplateRefused(
                name,
                "goes up out of the template folder with '..'; name a template by its place "
                "inside the folder",
            )
        if os.path.sep in piece or (os.path.altsep and os.path.altsep in piece):
            raise jinja2.TemplateNotFound(name)
        if piece and piece != ".":
            pieces.append(piece)
    return pieces


class FolderLoader(jinja2.BaseLoader):
    """Templates from a list of folders, the first that has the name winning. A template is
    read only from inside its folder: the real path of the file (links followed) must lie
    within the real path of the folder, so a link to ``/etc/passwd``, or to a folder outside,
    is refused in a sentence rather than followed. The folder itself may be a link."""

    def __init__(self, folders: list[Path]) -> None:
        self.folders = [(folder, Path(os.path.realpath(folder))) for folder in folders]

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = _template_pieces(template)
        for folder, real_folder in self.folders:
            path = folder.joinpath(*pieces)
            if not os.path.lexists(path):
                continue
            real = Path(os.path.realpath(path))
            if not real.is_relative_to(real_folder):
                raise TemplateRefused(template, _outside(folder, pieces))
            if not real.exists():  # a link inside the folder to a file that is not there
                continue
            source, mtime = _read_template(template, real)
            return source, str(path), lambda real=real, mtime=mtime: _mtime(real) == mtime
        raise jinja2.TemplateNotFound(template)


def _outside(folder: Path, pieces: list[str]) -> str:
    """Why a template name that leads out of ``folder`` is refused: a link to a file, or a
    folder on the way that is a link."""
    parent = Path(os.path.realpath(folder.joinpath(*pieces[:-1])))
    if parent.is_relative_to(os.path.realpath(folder)):
        return (
            f"is a link to a file outside the template folder '{folder}'; copy the file into "
            "the folder instead of linking to it"
        )
    return (
        f"is reached through a link to a folder outside the template folder '{folder}'; copy "
        "the files into the folder instead of linking to them"
    )


def _read_template(name: str, real: Path) -> tuple[str, float]:
    """The text of a template file and its time of change. Opened by its real path, not
    following a link that appeared since, and without waiting on a named pipe."""
    if database_in_use(real) is not None:
        raise TemplateRefused(name, "is the planner's own database, not a template")
    fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise TemplateRefused(name, "is not a regular file; save the template as a file")
        if info.st_size > MAX_TEMPLATE_BYTES:
            raise TemplateRefused(
                name,
                f"is larger than {MAX_TEMPLATE_BYTES // 1_000_000} MB, more than any brief "
                "template needs; check that it is the right file",
            )
        data = handle.read(MAX_TEMPLATE_BYTES + 1)
    return data.decode("utf-8"), info.st_mtime


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


class _PacedLoops(CodeGenerator):
    """Compiles every ``{% for %}`` of a template to go through the ``_paced`` filter, which
    checks the time limit at each step: jinja2 compiles a loop to a plain Python loop, with
    nothing else in the sandbox to stop one that runs for hours while writing nothing."""

    def visit_Template(self, node: nodes.Template, frame: Any = None) -> None:
        for loop in list(node.find_all(nodes.For)):
            loop.iter = nodes.Filter(
                loop.iter, "_paced", [], [], None, None, lineno=loop.iter.lineno
            )
        super().visit_Template(node, frame)


class BriefSandbox(ImmutableSandboxedEnvironment):
    """The sandbox, narrowed for the campaign's pydantic models: a template may read their
    fields and the properties and helpers the planner defines (``sized``, ``label``, ...), never
    pydantic's own methods (``parse_raw``, ``parse_file``, ``model_validate``...), which could
    read files or unpickle code. A rendering stops at ``deadline`` (``time.monotonic()``): every
    loop step and every call checks it."""

    code_generator_class = _PacedLoops
    intercepted_binops = frozenset({"*", "**", "%"})
    deadline = math.inf

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateStopped

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, type):
            return False  # no class's attributes: templates work on values
        if isinstance(obj, BaseModel):
            cls = type(obj)
            if attr in cls.model_fields:
                return True
            return any(
                attr in vars(klass)
                for klass in cls.__mro__
                if klass.__module__ == Campaign.__module__
            )
        return True

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        self.check_time()
        return super().call(context, obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        formatting = super().wrap_str_format(value)
        if formatting is None:
            return None

        def checked(*args: Any, **kwargs: Any) -> str:
            _check_widths(str(value.__self__), [*args, *kwargs.values()], braces=True)
            return formatting(*args, **kwargs)

        return checked

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "%":
            if isinstance(left, str):
                _check_widths(left, list(right) if isinstance(right, tuple) else [right])
        elif operator == "*":
            _check_repeat(left, right)
            _check_repeat(right, left)
        elif _power_bits(left, right) > MAX_POWER_BITS:
            raise ValueTooLarge(f"{left} ** {right} is too large a number")
        return super().call_binop(context, operator, left, right)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _power_bits(base: Any, exponent: Any) -> int:
    """About how many bits ``base ** exponent`` has, for whole numbers (0 for the rest)."""
    if not (_is_int(base) and _is_int(exponent)) or abs(base) < 2 or exponent < 1:
        return 0
    return exponent * abs(base).bit_length()


_PERCENT_WIDTHS = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(\*|\d+)?(?:\.(\*|\d+))?")
_BRACE_WIDTHS = re.compile(r"\{[^{}]*:([^{}]*)\}")
_NESTED_FIELD = re.compile(r"\{[^{}]*:[^{}]*\{")  # "{:>{}}": the width is an argument


def _check_widths(text: str, args: list[Any], *, braces: bool = False) -> None:
    """Refuse a format (``"%10s"``, ``"{:>10}"``) that pads a value wider than MAX_WIDTH,
    or takes its width from an argument (``"%*d"``, ``"{:{}}"``) that is larger."""
    if braces:
        numbers = [n for spec in _BRACE_WIDTHS.findall(text) for n in re.findall(r"\d+", spec)]
        from_args = _NESTED_FIELD.search(text) is not None
    else:
        found = _PERCENT_WIDTHS.findall(text)
        numbers = [n for pair in found for n in pair if n.isdigit()]
        from_args = any("*" in pair for pair in found)
    widths = [int(n) for n in numbers]
    if from_args:
        widths += [a for a in args if _is_int(a)]
    if widths and max(widths) > MAX_WIDTH:
        raise ValueTooLarge(
            f"a width or precision of {max(widths):,} makes a value wider than {MAX_WIDTH:,}"
        )


def _sized_filter(name: str, width_at: int, default: int) -> Callable[..., Any]:
    """jinja2's filter ``name`` with its width argument (the ``width_at``-th, or ``width=``)
    held to MAX_WIDTH."""
    original = jinja2.filters.FILTERS[name]

    def filtered(*args: Any, **kwargs: Any) -> Any:
        width = kwargs.get("width", args[width_at] if len(args) > width_at else default)
        if _is_int(width) and width > MAX_WIDTH:
            raise ValueTooLarge(f"{name}({width:,}) makes a value wider than {MAX_WIDTH:,}")
        if isinstance(width, str) and len(width) > MAX_WIDTH:
            raise ValueTooLarge(f"{name} by {len(width):,} characters is wider than {MAX_WIDTH:,}")
        return original(*args, **kwargs)

    return filtered


def _format_filter(value: Any, *args: Any, **kwargs: Any) -> str:
    _check_widths(str(value), [*args, *kwargs.values()])
    return jinja2.filters.FILTERS["format"](value, *args, **kwargs)


def _check_repeat(sequence: Any, times: Any) -> None:
    sized = isinstance(sequence, (str, bytes, list, tuple)) and _is_int(times)
    if sized and len(sequence) * times > MAX_REPEAT:
        raise ValueTooLarge(
            f"repeating {len(sequence):,} characters or items {times:,} times makes more "
            f"than {MAX_REPEAT:,}"
        )


@jinja2.pass_environment
def _paced(env: BriefSandbox, iterable: Iterable[Any]) -> Iterator[Any]:
    """The items of a loop, one at a time, within the rendering's time limit."""
    for item in iterable:
        env.check_time()
        yield item


def limit_filters() -> dict[str, Callable[..., Any]]:
    """The filters that hold a template to its limits: ``_paced``, which every loop goes
    through, and jinja2's ``center``, ``indent`` and ``format`` with their widths checked."""
    return {
        "_paced": _paced,
        "center": _sized_filter("center", 1, 80),
        "indent": _sized_filter("indent", 1, 4),
        "format": _format_filter,
    }


def _template_location(exc: BaseException) -> tuple[str, int] | None:
    """The template file and line where a rendering error happened, if it was in one."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".j2", ".css")) and frame.lineno:
            return frame.filename, frame.lineno
    return None


def _seconds(seconds: float) -> str:
    return "1 second" if seconds == 1 else f"{seconds:g} seconds"


def template_error(exc: BaseException, seconds: float = 0) -> PlannerError | None:
    """A sentence for an error in a template, or None for an error elsewhere (``seconds``:
    the time limit the rendering had)."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return PlannerError(
            f"The brief template {exc.filename or exc.name} has an error on line {exc.lineno}: "
            f"{exc.message}."
        )
    where = _template_location(exc)
    by = f" (asked for by {where[0]}, line {where[1]})" if where else ""
    if isinstance(exc, TemplateRefused):
        return PlannerError(f"The brief template {exc.name}{by} {exc.reason}.")
    if isinstance(exc, TemplateStopped):
        at = f"{where[0]} took longer than {_seconds(seconds)} and was stopped at line {where[1]}"
        return PlannerError(
            f"The brief template {at if where else f'took longer than {_seconds(seconds)}'}; "
            "look for a loop that runs far more often than the campaign has items, such as "
            "one over a large range()."
        )
    if isinstance(exc, jinja2.TemplateNotFound):
        return PlannerError(
            f"The brief template {exc.name}{by} is in neither the template folder nor the "
            "standard set; restore it, or remove what asks for it."
        )
    if isinstance(exc, UnicodeDecodeError):
        return PlannerError("A brief template is not UTF-8 text; save it as UTF-8.")
    if isinstance(exc, OSError) and where is None:
        return PlannerError(
            f"The brief template {exc.filename or ''} cannot be read ({exc.strerror}); check "
            "the file's permissions."
        )
    if where is None:
        return None
    file, line = where
    detail = str(exc).rstrip(".")
    if isinstance(exc, SecurityError):
        reason = f"it reaches for something a brief template may not use ({detail})"
    elif isinstance(exc, ValueTooLarge):
        reason = f"it makes a value too large for a brief ({detail})"
    elif isinstance(exc, jinja2.UndefinedError):
        reason = f"it uses something that does not exist ({detail})"
    else:
        reason = detail or type(exc).__name__
    return PlannerError(f"The brief template {file} failed on line {line}: {reason}.")
