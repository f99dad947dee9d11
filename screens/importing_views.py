"""What the import screen shows, built from the import's plan and preview: the line on how the
file is read, the rows of the column mapping and of the channels the planner does not know,
and the preview and problems tables."""

from __future__ import annotations

from typing import Any

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import DataTable, Label, Select

from planner.domain.errors import PlannerError
from planner.domain.inputs import show_number
from planner.domain.models import Campaign, Channel, Cost, ImportKind, Result
from planner.domain.numbers import format_money, style_of
from planner.domain.words import plural
from planner.imports import Plan, Preview
from planner.imports.formats import COST_FIELDS, FIELD_HELP, RESULT_FIELDS

LEAVE_OUT = "-"  # the Select value for "leave the rows of this channel out"


def parse_where(text: str) -> dict[str, str]:
    """The filter typed as ``COLUMN=VALUE; ...``; a part without ``=`` or a column is refused
    with a sentence saying how to write it."""
    where: dict[str, str] = {}
    for part in text.split(";"):
        column, sep, value = part.partition("=")
        if part.strip() and (not sep or not column.strip()):
            raise PlannerError(
                f"'{part.strip()}' should be COLUMN=VALUE, such as Facility ID=010001."
            )
        if sep:
            where[column.strip()] = value.strip()
    return where


def mapped(plan: Plan, name: str) -> str:
    """The column a field or a measure is read from now ("" for none or a fixed text)."""
    binding = plan.fields.get(name)
    if binding is not None:
        return "" if binding.fixed else binding.name
    return plan.measures.get(name, "")


def describe(plan: Plan) -> str:
    """How the file is read: its format, its sheet, the notices and what stops it."""
    detected = " (detected)" if plan.detected is plan.format else ""
    lines = [f"{plan.path.name}: {plan.format.title}{detected}, {plan.sheet.description}."]
    lines += plan.notices
    if plan.problem:
        lines.append(plan.problem)
    return "\n".join(lines)


def ready_text(seen: Preview) -> str:
    """The summary under the tabs once the whole file is read."""
    ready = f"Ready to import {seen.summary()}."
    if seen.unknown_channels:
        one = len(seen.unknown_channels) == 1
        ready += (
            f" Choose above what {seen.describe_values(seen.unknown_channels)} "
            f"{'is' if one else 'are'}, or leave {'its' if one else 'their'} rows out."
        )
    else:
        ready += " Ctrl+S imports."
    return ready


def mapping_rows(plan: Plan, campaign: Campaign) -> list[Horizontal]:
    """One row for each field the file's kind has (and for each measure of the campaign when
    a results file has no value column): its help and a choice of the column it is read from."""
    columns = [(name, name) for name in plan.sheet.columns if name]
    rows: list[Horizontal] = []
    names = COST_FIELDS if plan.kind is ImportKind.COSTS else RESULT_FIELDS
    for name in names:
        if name in ("measure", "value") and plan.format.key != "generic":
            continue
        binding = plan.fields.get(name)
        value = binding.name if binding and not binding.fixed else Select.NULL
        label = f"{name}: {FIELD_HELP[name]}"
        if binding is not None and binding.fixed:
            label += f" (now '{binding.name}' for every row)"
        if name == "date" and binding is None and plan.period:
            label += f" (now the report's {plan.period[0]} to {plan.period[1]})"
        rows.append(_mapping_row(name, label, columns, value))
    if plan.kind is ImportKind.RESULTS and "value" not in plan.fields:
        choices = [(c, c) for c in plan.metric_choices() if c]
        for measure in campaign.measures:
            metric = plan.measures.get(measure.name)
            value = metric if metric in dict(choices) else Select.NULL
            label = f"{measure.name} ({measure.unit or 'no unit'}): its figures"
            rows.append(_mapping_row(measure.name, label, choices, value))
    return rows


def _mapping_row(name: str, label: str, choices: list[tuple[str, str]], value: Any) -> Horizontal:
    select: Select[str] = Select(
        choices, prompt="(none)", value=value, name=name, classes="field", compact=True
    )
    return Horizontal(Label(label, classes="field-label"), select, classes="mapping-row")


def unknown_rows(seen: Preview) -> list[Widget]:
    """One line for each channel of the file the planner does not know: its rows and money,
    and a choice of the channel it is (or to leave its rows out)."""
    choices = [(c.label, c.value) for c in Channel]
    choices.append(("Leave these rows out", LEAVE_OUT))
    rows: list[Widget] = [
        Label("Channels the planner does not know: which is each?", classes="title")
    ]
    for text, count, minor in seen.unknown_channels.values():
        rows.append(
            Horizontal(
                Label(
                    f"'{text}': {plural(count, 'row')}, {seen.money(minor)}",
                    classes="field-label",
                    markup=False,
                ),
                Select(
                    choices,
                    prompt="Choose a channel",
                    name=text,
                    classes="value-choice",
                    compact=True,
                ),
                classes="mapping-row",
            )
        )
    return rows


def fill_preview(table: DataTable[Any], seen: Preview, campaign: Campaign) -> None:
    """The first rows as they will be written, in the campaign's money."""
    currency = campaign.currency
    if seen.kind is ImportKind.COSTS:
        table.add_columns("Date", "Amount", "Channel", "Vendor", "Activity", "Note")
        channels = {a.name: a.channel for a in campaign.activities}
        for cost in seen.sample:
            assert isinstance(cost, Cost)
            channel = cost.channel or channels.get(cost.activity or "")
            table.add_row(
                cost.period,
                format_money(cost.amount_minor, currency, style_of(campaign)),
                channel.label if channel else "",
                cost.vendor,
                cost.activity or "",
                cost.note[:60],
            )
    else:
        table.add_columns("Date", "Measure", "Value", "Note")
        for result in seen.sample:
            assert isinstance(result, Result)
            table.add_row(result.period, result.measure, show_number(result.value), result.note)


def fill_problems(table: DataTable[Any], seen: Preview) -> None:
    """The rows that cannot be read: their line, column, value and why."""
    table.add_columns("Line", "Column", "Value", "Why")
    for problem in seen.problems:
        table.add_row(str(problem.line), problem.column, problem.value, problem.reason)
