"""The campaign brief, rendered from the jinja2 templates in ``templates/``.

User text is data, never template code: templates run in jinja2's sandbox, and every piece of
campaign text goes through a filter that makes it literal in the output format.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from planner.currency import format_minor
from planner.errors import PlannerError
from planner.models import Campaign, JourneyStage
from planner.resources import templates_dir

_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~#]|&(?=#?\w+;))")
_MD_LINE_START = re.compile(r"^([=+\-]|\d+(?=[.)]))")


def _md_line(line: str) -> str:
    line = _MD_INLINE.sub(r"\\\1", line.strip())
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
    lines = (_md_line(line) for line in str(value).splitlines())
    # Hard line breaks keep the text inside its paragraph, quote or list item; a blank line
    # would end it.
    return "  \n".join(line for line in lines if line)


def md_cell(value: Any) -> str:
    """Campaign text for one Markdown table cell: escaped, on one line."""
    if value is None or value == "":
        return "–"
    return " ".join(md_text(value).replace("  \n", " ").split())


def _label(value: Any) -> str:
    if value is None:
        return ""
    return getattr(value, "label", str(value))


def _number(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def make_environment(template_dir: Path | None = None) -> SandboxedEnvironment:
    search = [str(template_dir)] if template_dir else []
    search.append(str(templates_dir()))
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(search),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=md_text, cell=md_cell, label=_label, number=_number)
    return env


def context(campaign: Campaign, *, today: dt.date | None = None) -> dict[str, Any]:
    """What a brief template sees: the campaign and the figures derived from it."""

    def money(minor: int | None) -> str:
        return "–" if minor is None else format_minor(minor, campaign.currency)

    stages_covered = {a.journey_stage for a in campaign.activities}
    return {
        "c": campaign,
        "money": money,
        "today": (today or dt.date.today()).isoformat(),
        "stages": list(JourneyStage),
        "stages_missing": [s for s in JourneyStage if s not in stages_covered],
    }


def render_markdown(
    campaign: Campaign, *, template_dir: Path | None = None, today: dt.date | None = None
) -> str:
    env = make_environment(template_dir)
    try:
        template = env.get_template("brief.md.j2")
        return template.render(context(campaign, today=today))
    except jinja2.TemplateSyntaxError as exc:
        raise PlannerError(
            f"The template {exc.filename or exc.name} has an error on line {exc.lineno}: "
            f"{exc.message}."
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise PlannerError(f"The brief template {exc.name} is missing.") from None
    except jinja2.TemplateError as exc:
        raise PlannerError(f"The brief template could not be rendered: {exc}.") from None
