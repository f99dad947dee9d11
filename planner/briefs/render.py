"""The brief rendered from the jinja2 templates in ``templates/`` as Markdown or HTML (and PDF,
printed from the HTML by ``pdf``).

The sections are written once, in ``body.j2``; each format brings its own building blocks
(``blocks.md.j2``, ``blocks.html.j2``). User text is data, never markup or template code: every
value a template writes is made literal for its format on the way out (escaped Markdown,
escaped HTML); only what the building blocks produce is written as markup. A rendering that
runs longer than ``RENDER_SECONDS`` is stopped.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from planner.briefs.compiled import compiled_templates
from planner.briefs.facts import facts as brief_facts
from planner.briefs.pdf import html_to_pdf
from planner.briefs.sandbox import BriefSandbox, FolderLoader, limit_filters, template_error
from planner.compliance import RuleSet
from planner.domain import clock
from planner.domain.errors import PlannerError
from planner.domain.language import (
    N_,
    _,
    current,
    format_day,
    format_month,
    language_of,
    ngettext,
    speaking,
)
from planner.domain.models import BriefFormat, Campaign, Jurisdiction
from planner.domain.numbers import format_figure, format_money, format_rounded, style_of
from planner.domain.records import Client
from planner.domain.resources import templates_dir
from planner.store import TrackingData

# A brief renders in well under a second; a template still running after this long is stopped
# (a loop inside a loop of a hundred thousand steps each would otherwise run for hours).
RENDER_SECONDS = 20

# Section id -> title, in order: the headings and the HTML table of contents.
SECTIONS = {
    "summary": N_("Executive summary"),
    "audience": N_("Audience"),
    "influencers": N_("Influencer map"),
    "messages": N_("Messages"),
    "mix": N_("Marketing mix (7Ps)"),
    "activities": N_("Activity plan"),
    "measures": N_("Measures"),
    "budget": N_("Budget"),
    "reviews": N_("Review and sign-off"),
    "tracking": N_("Tracking to date"),
    "lessons": N_("Lessons and maturity"),
}


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
    """An option's words (a channel's, a stage's) in the brief's language."""
    if value is None:
        return ""
    return _(getattr(value, "label", str(value)))


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


def _jurisdiction(code: str) -> str:
    """A jurisdiction's name from its code (``IT``: Italy, Italia); an unknown code as it is."""
    known = {j.value: j for j in Jurisdiction}
    return _(known[code].label) if code in known else code


def _date(value: Any) -> str:
    """``5 Mar 2027`` (``5 mar 2027``)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return format_day(value)


def _month(value: str) -> str:
    """``2027-03`` as ``Mar 2027`` (``mar 2027``)."""
    return format_month(dt.date(int(value[:4]), int(value[5:7]), 1))


_FORMATS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Markup]]] = {
    "md": (_md_finalize, _md_cell_filter),
    "html": (_html_finalize, _html_cell_filter),
}


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
        bytecode_cache=compiled_templates(),
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
        jurisdiction=_jurisdiction,
        month=_month,
        **limit_filters(),
    )
    # The planner's words, in the language being written in (see planner.domain.language).
    env.globals.update(_=_, gettext=_, ngettext=ngettext)
    return env


# Rendering ----------------------------------------------------------------------------------


# Who a brief is for: the team (everything, the internal review included) or the client
# (the plan and its figures for the practice it was prepared for: no findings, rule
# identifiers, waivers or sign-offs, and no version counter).
AUDIENCES = ("internal", "client")


def context(
    campaign: Campaign,
    *,
    tracking: TrackingData | None = None,
    today: dt.date | None = None,
    audience: str = "internal",
    client: Client | None = None,
    rules: RuleSet | PlannerError | None = None,
) -> dict[str, Any]:
    """What a brief template sees: the campaign, the figures derived from it (its review by
    ``rules``, the shipped ones if not given), and its practice's details as a client
    (``planner client``), if any are kept."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience {audience!r} is not one of {AUDIENCES}")

    style = style_of(campaign)

    def money(minor: int | None) -> str:
        """``EUR 1.234,50``: an amount in the campaign's currency and number style."""
        return "–" if minor is None else format_money(minor, campaign.currency, style, code=True)

    today = today or clock.today()
    found = brief_facts(campaign, tracking, today, rules)
    sections = {key: _(title) for key, title in SECTIONS.items()}
    if found.tracking is None:
        del sections["tracking"]
    if found.maturity is None:
        del sections["lessons"]
    if audience == "client":
        del sections["reviews"]
    only_us = campaign.jurisdictions == [Jurisdiction.US]
    return {
        "c": campaign,
        "facts": found,
        "sections": sections,
        "money": money,
        "today": today,
        "paper": "letter" if only_us else "A4",
        "audience": audience,
        "for_client": audience == "client",
        "client": client_context(client),
        "lang": current(),
        # the words of the PDF's page footer, as a CSS string: "Page " counter(page) ...
        "page_words": [css_string(_("Page")), css_string(_("of"))],
    }


_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string, which nothing in it can end early."""
    return Markup(
        '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text) + '"'
    )


def client_context(client: Client | None) -> dict[str, Any] | None:
    """A client's details as a template reads them: texts, the logo as a data: address, and
    the accent colour with a light tint of it for table headings (both checked hex colours,
    so that nothing else reaches the stylesheet)."""
    if client is None:
        return None
    colour, light = "", ""
    if _COLOUR.fullmatch(client.colour or ""):
        colour = client.colour.lower()
        rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
        light = "#" + "".join(f"{round(v + (255 - v) * 0.88):02x}" for v in rgb)
    return {
        "name": client.name,
        "address": client.address,
        "phone": client.phone,
        "website": client.website,
        "prepared_by": client.prepared_by,
        "colour": colour,
        "colour_light": light,
        "logo": client.logo_uri(),
        # what the cover lists of how patients reach the practice
        "reached": [
            [label, value]
            for label, value in (
                (_("Address"), client.address),
                (_("Phone"), client.phone),
                (_("Website"), client.website),
            )
            if value
        ],
    }


def render_text(
    campaign: Campaign,
    kind: str,
    *,
    tracking: TrackingData | None = None,
    template_dir: Path | None = None,
    today: dt.date | None = None,
    audience: str = "internal",
    client: Client | None = None,
    language: str | None = None,
    rules: RuleSet | PlannerError | None = None,
) -> str:
    """The brief as Markdown (``kind="md"``) or HTML (``kind="html"``), for ``audience``,
    with the ``client``'s details (its practice's, from ``planner client``), in ``language``
    (by default the campaign's: ``language_of``)."""
    env = make_environment(kind, template_dir, style_of(campaign))
    seconds = RENDER_SECONDS
    env.deadline = time.monotonic() + seconds
    try:
        template = env.get_template(f"brief.{kind}.j2")
        with speaking(language or language_of(campaign)):
            text = template.render(
                context(
                    campaign,
                    tracking=tracking,
                    today=today,
                    audience=audience,
                    client=client,
                    rules=rules,
                )
            )
    except Exception as exc:
        error = template_error(exc, seconds)
        if error is None:
            raise
        raise error from None
    # Blank lines the templates leave between blocks carry no meaning in either format.
    return re.sub(r"\n{3,}", "\n\n", text).lstrip("\n")


def render_markdown(campaign: Campaign, **kwargs: Any) -> str:
    return render_text(campaign, "md", **kwargs)


def render_html(campaign: Campaign, **kwargs: Any) -> str:
    return render_text(campaign, "html", **kwargs)


def render_document(
    campaign: Campaign,
    fmt: BriefFormat,
    *,
    tracking: TrackingData | None = None,
    template_dir: Path | None = None,
    today: dt.date | None = None,
    audience: str = "internal",
    client: Client | None = None,
    language: str | None = None,
    rules: RuleSet | PlannerError | None = None,
) -> bytes:
    """The brief as the bytes of a file in format ``fmt``, for ``audience``, in ``language``
    (by default the campaign's)."""
    kind = "md" if fmt is BriefFormat.MD else "html"
    language = language or language_of(campaign)
    text = render_text(
        campaign,
        kind,
        tracking=tracking,
        template_dir=template_dir,
        today=today,
        audience=audience,
        client=client,
        language=language,
        rules=rules,
    )
    if fmt is BriefFormat.PDF:
        return html_to_pdf(text)
    if fmt is BriefFormat.DOCX:
        from planner.briefs.docx import html_to_docx

        with speaking(language):  # its page footer and table of contents
            return html_to_docx(text)
    return text.encode("utf-8")
