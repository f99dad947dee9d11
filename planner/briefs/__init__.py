"""The campaign brief, rendered from the jinja2 templates in ``templates/`` as Markdown, HTML or
PDF, and the record of every brief exported.

The sections are written once, in ``body.j2``; each format brings its own building blocks
(``blocks.md.j2``, ``blocks.html.j2``) and the PDF is printed from the HTML with WeasyPrint.

User text is data, never markup or template code. Templates run in jinja2's immutable sandbox,
and every value a template writes is made literal for its format on the way out (escaped
Markdown, escaped HTML); only what the building blocks produce is written as markup. A template
is read only from inside its folder (a link that leads out of it is refused), and a rendering
that runs longer than ``RENDER_SECONDS`` is stopped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import logging
import math
import os
import re
import stat
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup, escape
from pydantic import BaseModel

from planner.briefs.facts import facts as brief_facts
from planner.domain import clock
from planner.domain.errors import PlannerError
from planner.domain.models import BriefFormat, BriefRender, Campaign, Jurisdiction
from planner.domain.numbers import format_figure, format_money, format_rounded, style_of
from planner.domain.resources import templates_dir
from planner.store import Store, TrackingData
from planner.store.dbfiles import database_in_use
from planner.store.output import StagedFile, stage_file, user_path, write_file

TEMPLATE_DIR_SETTING = "brief.template_dir"
TEMPLATE_FILES = (
    "brief.md.j2",
    "brief.html.j2",
    "body.j2",
    "blocks.md.j2",
    "blocks.html.j2",
    "brief.css",
)
# A brief renders in well under a second; a template still running after this long is stopped
# (a loop inside a loop of a hundred thousand steps each would otherwise run for hours).
RENDER_SECONDS = 20
# No brief template is this large (a style sheet with a logo and fonts inlined is a few MB).
MAX_TEMPLATE_BYTES = 20_000_000
# The most characters or items one ``*`` may make, and the most bits one ``**`` may make: a
# single step that large would run (or fill the memory) beyond the reach of the time limit.
MAX_REPEAT = 1_000_000
# The widest a template may pad or indent a value (``center``, ``indent``, ``"%10s"``,
# ``"{:>10}"``): one step in C, which no time limit can stop, must not fill the memory.
MAX_WIDTH = 10_000
MAX_POWER_BITS = 100_000
PDF_HELP = (
    "PDF briefs need WeasyPrint, which is not installed; install it with "
    "pip install 'healthcare-campaign-planner[pdf]' (or pip install '.[pdf]' in a checkout). "
    "Markdown and HTML briefs work without it."
)

# Section id -> title, in order: the headings and the HTML table of contents.
SECTIONS = {
    "summary": "Executive summary",
    "audience": "Audience",
    "influencers": "Influencer map",
    "messages": "Messages",
    "mix": "Marketing mix (7Ps)",
    "activities": "Activity plan",
    "measures": "Measures",
    "budget": "Budget",
    "reviews": "Review and sign-off",
    "tracking": "Tracking to date",
}

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


# Making campaign text literal --------------------------------------------------------------

_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~#]|&(?=#?\w+;))")
# What would make a line start a list, a heading underline or a rule: "- ", "+ ", "1. ", "===".
_MD_LINE_START = re.compile(r"^([+\-](?=\s|$)|[=\-]+\s*$|\d{1,9}(?=[.)](?:\s|$)))")


def _md_line(line: str) -> str:
    line = _MD_INLINE.sub(r"\\\1", line)
    match = _MD_LINE_START.match(line)
    if match is None:
        return line
    if match.group(1)[0].isdigit():  # "1. " would start an ordered list
        end = match.end()
        return f"{line[:end]}\\{line[end:]}"
    return f"\\{line}"


def md_text(value: Any) -> str:
    """Campaign text made literal in Markdown: markup characters escaped, lines kept."""
    if value is None:
        return ""
    lines = str(value).splitlines()
    if len(lines) <= 1:  # inline text keeps its spaces: ", " between names
        return _md_line(lines[0] if lines else "")
    # Hard line breaks keep the text inside its paragraph, quote or list item; a blank line
    # would end it.
    return "  \n".join(_md_line(line.strip()) for line in lines if line.strip())


def md_cell(value: Any) -> str:
    """Campaign text for one Markdown table cell: escaped, on one line."""
    if value is None or value == "":
        return "–"
    return " ".join(md_text(value).replace("  \n", " ").split())


def _is_markup(value: Any) -> bool:
    return hasattr(value, "__html__")


def _md_finalize(value: Any) -> Any:
    if _is_markup(value):
        return value
    return Markup(md_text(value))


def _md_cell_filter(value: Any) -> Markup:
    if _is_markup(value):
        return Markup(" ".join(str(value).replace("  \n", " ").split()))
    return Markup(md_cell(value))


def _html_text(value: Any) -> Markup:
    if value is None:
        return Markup("")
    lines = str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return Markup("<br>\n").join(escape(line) for line in lines)


def _html_finalize(value: Any) -> Any:
    return value if _is_markup(value) else _html_text(value)


def _html_cell_filter(value: Any) -> Markup:
    if _is_markup(value):
        return Markup(value)
    if value is None or value == "":
        return Markup("–")
    return _html_text(value)


# Filters every format shares: they return plain text, made literal on the way out ------------


def _label(value: Any) -> str:
    if value is None:
        return ""
    return getattr(value, "label", str(value))


# The number filters write in the campaign's number style (``1.234,5`` in Italian), which
# ``make_environment`` binds as ``style``.


def _number(value: Any, style: str | None = None) -> str:
    """A figure with at most two decimals: ``12,000`` or ``63.5`` (``12.000``, ``63,5``)."""
    if value is None:
        return "–"
    return format_rounded(value, style)


def _pct(value: Any, style: str | None = None) -> str:
    """A percentage to one decimal: ``63.5%`` (``63,5%``)."""
    if value is None:
        return "–"
    return f"{format_rounded(float(value), style, 1)}%"


def _count(value: int, style: str | None = None) -> str:
    return format_rounded(value, style, 0) if value else "–"


def _mark(on: bool) -> str:
    return "■" if on else " "  # a blank, not the dash of an empty cell


def _measured(value: Any, unit: str, style: str | None = None) -> str:
    """A measure's value with its unit: ``42%``, ``120 visits``."""
    if value is None:
        return "–"
    if not unit:
        return _number(value, style)
    return f"{_number(value, style)}{'' if unit.startswith(('%', '‰')) else ' '}{unit}"


def _date(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


_FORMATS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Markup]]] = {
    "md": (_md_finalize, _md_cell_filter),
    "html": (_html_finalize, _html_cell_filter),
}


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


def make_environment(
    kind: str, template_dir: Path | None = None, style: str | None = None
) -> BriefSandbox:
    """The sandboxed environment for ``kind`` ("md" or "html"); a consultant's
    ``template_dir`` comes first, so any of its files replaces the shipped one. Its number
    filters write in the number ``style`` (a locale such as ``it_IT``)."""
    finalize, cell = _FORMATS[kind]
    search = [template_dir] if template_dir else []
    search.append(templates_dir())
    env = BriefSandbox(
        loader=FolderLoader(search),
        autoescape=True,
        finalize=finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        cell=cell,
        label=_label,
        number=functools.partial(_number, style=style),
        pct=functools.partial(_pct, style=style),
        count=functools.partial(_count, style=style),
        mark=_mark,
        measured=functools.partial(_measured, style=style),
        figure=functools.partial(format_figure, style=style),
        date=_date,
        _paced=_paced,
        center=_sized_filter("center", 1, 80),
        indent=_sized_filter("indent", 1, 4),
        format=_format_filter,
    )
    return env


# Rendering ----------------------------------------------------------------------------------


def context(
    campaign: Campaign, *, tracking: TrackingData | None = None, today: dt.date | None = None
) -> dict[str, Any]:
    """What a brief template sees: the campaign and the figures derived from it."""

    style = style_of(campaign)

    def money(minor: int | None) -> str:
        """``EUR 1.234,50``: an amount in the campaign's currency and number style."""
        return "–" if minor is None else format_money(minor, campaign.currency, style, code=True)

    today = today or dt.date.today()
    found = brief_facts(campaign, tracking, today)
    sections = dict(SECTIONS)
    if found.tracking is None:
        del sections["tracking"]
    only_us = campaign.jurisdictions == [Jurisdiction.US]
    return {
        "c": campaign,
        "facts": found,
        "sections": sections,
        "money": money,
        "today": today,
        "paper": "letter" if only_us else "A4",
    }


def _template_location(exc: BaseException) -> tuple[str, int] | None:
    """The template file and line where a rendering error happened, if it was in one."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".j2", ".css")) and frame.lineno:
            return frame.filename, frame.lineno
    return None


def _seconds(seconds: float) -> str:
    return "1 second" if seconds == 1 else f"{seconds:g} seconds"


def _template_error(exc: BaseException, seconds: float = 0) -> PlannerError | None:
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


def render_text(
    campaign: Campaign,
    kind: str,
    *,
    tracking: TrackingData | None = None,
    template_dir: Path | None = None,
    today: dt.date | None = None,
) -> str:
    """The brief as Markdown (``kind="md"``) or HTML (``kind="html"``)."""
    env = make_environment(kind, template_dir, style_of(campaign))
    seconds = RENDER_SECONDS
    env.deadline = time.monotonic() + seconds
    try:
        template = env.get_template(f"brief.{kind}.j2")
        text = template.render(context(campaign, tracking=tracking, today=today))
    except Exception as exc:
        error = _template_error(exc, seconds)
        if error is None:
            raise
        raise error from None
    # Blank lines the templates leave between blocks carry no meaning in either format.
    return re.sub(r"\n{3,}", "\n\n", text).lstrip("\n")


def render_markdown(campaign: Campaign, **kwargs: Any) -> str:
    return render_text(campaign, "md", **kwargs)


def render_html(campaign: Campaign, **kwargs: Any) -> str:
    return render_text(campaign, "html", **kwargs)


def html_to_pdf(html: str) -> bytes:
    """Print HTML to PDF with WeasyPrint; nothing outside the document is fetched."""
    try:
        import weasyprint
        from weasyprint.urls import URLFetcher
    except ImportError:
        raise PlannerError(PDF_HELP) from None
    except OSError as exc:
        raise PlannerError(
            "WeasyPrint is installed but cannot load the Pango text library it needs "
            f"({exc}); install Pango (on Debian or Ubuntu: apt install libpango-1.0-0 "
            "libpangoft2-1.0-0), or export Markdown or HTML instead."
        ) from None
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    fetcher = URLFetcher(allowed_protocols={"data"})
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()


def pdf_available() -> bool:
    """Whether WeasyPrint is installed (found without importing it, which takes a second)."""
    import importlib.util

    return importlib.util.find_spec("weasyprint") is not None


def render_document(
    campaign: Campaign,
    fmt: BriefFormat,
    *,
    tracking: TrackingData | None = None,
    template_dir: Path | None = None,
    today: dt.date | None = None,
) -> bytes:
    """The brief as the bytes of a file in format ``fmt``."""
    kind = "md" if fmt is BriefFormat.MD else "html"
    text = render_text(campaign, kind, tracking=tracking, template_dir=template_dir, today=today)
    if fmt is BriefFormat.PDF:
        return html_to_pdf(text)
    return text.encode("utf-8")


# Template folders ---------------------------------------------------------------------------


def check_template_dir(path: Path) -> Path:
    """A consultant's template folder, checked: it exists and holds at least one template."""
    path = user_path(path)
    if path.exists() and not path.is_dir():
        raise PlannerError(f"'{path}' is a file; --template-dir needs a folder of templates.")
    if not path.is_dir():
        raise PlannerError(
            f"The template folder '{path}' does not exist; create it with "
            f"'planner templates {path}', which copies the standard templates into it."
        )
    if not any((path / name).is_file() for name in TEMPLATE_FILES):
        raise PlannerError(
            f"The folder '{path}' holds none of the brief's templates "
            f"({', '.join(TEMPLATE_FILES)}); copy the standard ones into it with "
            f"'planner templates {path}' and change them there."
        )
    return path.resolve()


def saved_template_dir(store: Store) -> Path | None:
    """The template folder chosen in the planner (None: the standard templates)."""
    value = store.get_setting(TEMPLATE_DIR_SETTING)
    if not value:
        return None
    path = Path(value)
    if not path.is_dir():
        raise PlannerError(
            f"The brief template folder '{path}' chosen in the planner no longer exists; "
            "choose another one in the Brief screen (T), or pass --template-dir."
        )
    return path


def save_template_dir(store: Store, path: Path | None) -> Path | None:
    """Choose the template folder for every brief (None: back to the standard templates)."""
    checked = None if path is None else check_template_dir(path)
    store.set_setting(TEMPLATE_DIR_SETTING, None if checked is None else str(checked))
    return checked


def copy_templates(target: Path, *, force: bool = False) -> list[Path]:
    """Copy the standard templates into ``target`` (created if need be) to be branded."""
    target = user_path(target)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PlannerError(f"The folder '{target}' cannot be created: {exc.strerror}.") from None
    existing = [name for name in TEMPLATE_FILES if (target / name).exists()]
    if existing and not force:
        raise PlannerError(
            f"'{target}' already has {', '.join(existing)}; pass --force to replace them."
        )
    copied = []
    for name in TEMPLATE_FILES:
        data = (templates_dir() / name).read_bytes()
        copied.append(write_file(target / name, data, force=True))
    return copied


# Exporting and its history ------------------------------------------------------------------


@dataclass(frozen=True)
class RenderedBrief:
    campaign_id: int
    campaign_version: int
    format: BriefFormat
    content: bytes
    template_dir: Path | None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def render_brief(
    store: Store,
    campaign_id: int,
    fmt: BriefFormat,
    *,
    template_dir: Path | None = None,
    today: dt.date | None = None,
) -> RenderedBrief:
    """Render a stored campaign's brief; ``template_dir`` None uses the saved choice."""
    source = load_brief(store, campaign_id, template_dir=template_dir, today=today)
    return source.render(fmt, today=today)


@dataclass(frozen=True)
class BriefSource:
    """Everything a brief is rendered from, read from the store in one go: rendering can then
    run in another thread, away from the store's connection."""

    campaign: Campaign
    tracking: TrackingData
    template_dir: Path | None

    def render(self, fmt: BriefFormat, *, today: dt.date | None = None) -> RenderedBrief:
        content = render_document(
            self.campaign,
            fmt,
            tracking=self.tracking,
            template_dir=self.template_dir,
            today=today,
        )
        c = self.campaign
        assert c.id is not None
        return RenderedBrief(c.id, c.version, fmt, content, self.template_dir)

    def markdown(self, *, today: dt.date | None = None) -> str:
        return render_markdown(
            self.campaign, tracking=self.tracking, template_dir=self.template_dir, today=today
        )


def load_brief(
    store: Store,
    campaign_id: int,
    *,
    template_dir: Path | None = None,
    today: dt.date | None = None,
) -> BriefSource:
    """The campaign and its tracking figures as of ``today`` (``planner.domain.clock``'s, if not
    given), ready to render."""
    folder = check_template_dir(template_dir) if template_dir else saved_template_dir(store)
    campaign, tracking = store.tracking_data(campaign_id, today=today or clock.today())
    return BriefSource(campaign, tracking, folder)


@dataclass(frozen=True)
class Export:
    """What an export did: where the brief went (None: standard output) and its record in the
    campaign's history, or, when it has none, the sentence that says why (``unrecorded``)."""

    path: Path | None
    record: BriefRender | None
    unrecorded: str = ""


def export_brief(store: Store, brief: RenderedBrief, path: Path, *, force: bool = False) -> Export:
    """Write the brief to ``path`` and record the export, together (see ``export_staged``).
    An existing file is replaced only with ``force``."""
    return export_staged(store, brief, stage_file(path, brief.content, force=force))


def export_staged(store: Store, brief: RenderedBrief, staged: StagedFile) -> Export:
    """Put a brief written beside its place into place, and record the export: both or
    neither. The export is recorded first as under way, which takes the write lock, so a busy
    database refuses it before the file is put in place; then one transaction marks the record
    done and renames the file into place, and if that transaction fails the file is taken back.
    A process killed in between leaves a record under way, which ``export_history`` settles.
    A read-only database cannot record the export: the file is written, and ``unrecorded``
    says so."""
    record = _record(brief, staged.path)
    if store.read_only:
        staged.commit()
        return Export(staged.path, None, _read_only_note(store))
    try:
        under_way = store.begin_render(record)
    except BaseException:
        staged.undo()
        raise
    try:
        record.id = store.finish_render(under_way, record, place=staged.place, undo=staged.undo)
    except BaseException:
        staged.undo()
        with contextlib.suppress(PlannerError):  # if not, the next read of the history does
            store.drop_render(under_way)
        raise
    staged.keep()
    return Export(staged.path, record)


def export_to_stream(store: Store, brief: RenderedBrief, write: Callable[[bytes], None]) -> Export:
    """Hand the brief to ``write`` (standard output) and record the export. It is recorded
    first as under way, so a busy database refuses it before anything is written, and
    completed after. A read-only database cannot record it: the brief is written all the same
    and ``unrecorded`` says why it has no record, as it does if the record cannot be completed
    once the brief is out."""
    record = _record(brief, None)
    if store.read_only:
        write(brief.content)
        return Export(None, None, _read_only_note(store))
    under_way = store.begin_render(record)
    try:
        write(brief.content)
    except BaseException:
        with contextlib.suppress(PlannerError):
            store.drop_render(under_way)
        raise
    try:
        record.id = store.finish_render(under_way, record)
    except PlannerError as exc:
        return Export(None, None, f"This export could not be added to the brief history. {exc}")
    return Export(None, record)


def _read_only_note(store: Store) -> str:
    return (
        "This export is not in the campaign's brief history, because the database "
        f"'{store.path}' is read-only."
    )


def _record(brief: RenderedBrief, written: Path | None) -> BriefRender:
    """The history record of an export (``written`` None: standard output)."""
    return BriefRender(
        campaign_id=brief.campaign_id,
        rendered_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        format=brief.format,
        campaign_version=brief.campaign_version,
        sha256=brief.sha256,
        size=len(brief.content),
        path=None if written is None else str(written),
        template_dir=None if brief.template_dir is None else str(brief.template_dir),
    )


def export_history(store: Store, campaign_id: int) -> list[BriefRender]:
    """The campaign's exported briefs, newest first. An export whose process was killed
    before it was done counts if its file holds exactly what was exported (the file was put
    in place), and is dropped otherwise."""
    return store.list_renders(campaign_id, settle=_in_place)


def _in_place(render: BriefRender) -> bool:
    return render.path is not None and file_state(render) == "unchanged"


def file_state(render: BriefRender) -> str:
    """Whether the exported file is still as it was exported."""
    if render.path is None:
        return "standard output"
    path = Path(render.path)
    if database_in_use(path) is not None:
        return "changed since (it is the planner's database)"
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "file missing"
    except OSError:
        return "file unreadable"
    return "unchanged" if digest == render.sha256 else "changed since"


def format_for_path(path: Path) -> BriefFormat | None:
    """The format a file name asks for by its extension, if any."""
    suffix = path.suffix.lower()
    return {
        ".md": BriefFormat.MD,
        ".markdown": BriefFormat.MD,
        ".html": BriefFormat.HTML,
        ".htm": BriefFormat.HTML,
        ".pdf": BriefFormat.PDF,
    }.get(suffix)


def default_file_name(campaign: Campaign, fmt: BriefFormat) -> str:
    """``<campaign-name>-brief-v<version>.<ext>``, safe on every file system."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", campaign.name).strip("-").lower()[:60] or "campaign"
    return f"{slug}-brief-v{campaign.version}{fmt.suffix}"
