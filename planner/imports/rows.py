"""Reading a file's rows of data for the import: the filters, the check for patients' data,
and the helpers the readers of costs (``costs.py``) and results (``results.py``) share: a
field's text in a row, and its dates, each distinct text read once."""

from __future__ import annotations

import calendar
import datetime as dt
import operator
import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from planner.domain.models import ImportKind
from planner.imports.cells import read_date
from planner.imports.formats.hcahps import HCAHPS
from planner.imports.matching import Binding, Plan
from planner.imports.patient_data import PatientDataError
from planner.imports.refusals import ImportRefused
from planner.imports.tally import Preview, Problem

Progress = Callable[[int, int], None]  # (bytes read, file size)
T = TypeVar("T")


def data_rows(
    plan: Plan, tally: Preview, on_progress: Progress | None
) -> Iterator[tuple[int, list[str]]]:
    """The file's rows of data, each checked for patients' data (totals and filtered rows
    too), counted into ``tally``; a file of another hospital's rows after the first's is
    refused, as is one about patients."""
    values = plan.value_check()
    look = values.add  # at every row: totals and rows filtered out too
    facility = plan.sheet.column("Facility ID") if plan.format is HCAHPS else None
    seen_facility: str | None = None
    is_total = plan.format.total_test(plan.sheet)
    where = plan.where
    try:
        for line, cells in plan.sheet.rows(on_progress):
            look(line, cells)
            if is_total(cells):
                tally.totals_skipped += 1
                continue
            if where and not plan.kept(cells):
                tally.filtered += 1
                continue
            if facility is not None and plan.kind is ImportKind.RESULTS:
                current = cells[facility].strip()
                if seen_facility is not None and current != seen_facility:
                    raise ImportRefused(
                        f"Line {line} is about another hospital ({current}) than the lines "
                        f"before it ({seen_facility}); keep only yours with --where "
                        f"'Facility ID={seen_facility}'."
                    )
                seen_facility = current
            tally.rows_read += 1
            yield line, cells
        values.check()
    except PatientDataError as exc:
        raise ImportRefused(str(exc)) from None


def field_text(cells: list[str], binding: Binding | None) -> str:
    """A field's text in a row: from its column, its fixed text, or ``""`` without one."""
    if binding is None:
        return ""
    return binding.name if binding.column is None else cells[binding.column]


Dates = tuple[str | None, str]  # (first day or None, day), in ISO form


def text_of(binding: Binding | None) -> Callable[[list[str]], str]:
    """A field's text in a row: from its column, its fixed text, or ``""`` without one."""
    if binding is None or binding.column is None:
        fixed = binding.name if binding is not None else ""
        return lambda cells: fixed
    return operator.itemgetter(binding.column)


def memo(
    bindings: list[Binding | None], read: Callable[..., T], limit: int = 100_000
) -> Callable[[list[str]], T]:
    """``read`` of a row's texts of ``bindings``, each distinct set of texts read once: files
    repeat their dates, channels and vendors row after row. Up to ``limit`` answers are kept."""
    columns = [b.column for b in bindings if b is not None and b.column is not None]
    key_of: Callable[[list[str]], Any] = (
        operator.itemgetter(*columns) if columns else (lambda cells: None)
    )
    known: dict[Any, T] = {}

    def memo(cells: list[str]) -> T:
        key = key_of(cells)
        try:
            return known[key]
        except KeyError:
            found = read(*(text_of(b)(cells) for b in bindings))
            if len(known) < limit:
                known[key] = found
            return found

    return memo


def date_reader(plan: Plan) -> Callable[[list[str]], Dates | Problem | None]:
    """Reads a row's dates: from its date and start columns, else the report's period. A
    Problem (with line 0) when a date cannot be read; None when the row has no date at all."""
    return memo(
        [plan.fields.get("date"), plan.fields.get("start")],
        lambda day, start: _dates(plan, day, start),
    )


# A month written alone (2027-03, as a spreadsheet's "Month" column has it): the whole month.
_MONTH_ONLY = re.compile(r"^(\d{4})-(\d{1,2})$")


def _dates(plan: Plan, date_text: str, start_text: str) -> Dates | Problem | None:
    month = _MONTH_ONLY.match(date_text.strip()) if plan.fields.get("date") else None
    if month and not start_text.strip():
        year, number = int(month[1]), int(month[2])
        if not 1 <= number <= 12:
            return Problem(0, plan.fields["date"].name, date_text.strip(), "not a month (01 to 12)")
        last = calendar.monthrange(year, number)[1]
        return dt.date(year, number, 1).isoformat(), dt.date(year, number, last).isoformat()
    found: dict[str, dt.date | None] = {}
    for name, text in (("date", date_text), ("start", start_text)):
        binding = plan.fields.get(name)
        try:
            found[name] = read_date(text, day_first=plan.day_first) if binding else None
        except ValueError as exc:
            return Problem(0, binding.name if binding else name, text.strip(), str(exc))
    day, start = found["date"], found["start"]
    if day is None and start is None:
        if plan.period is None:
            return None
        start, day = plan.period
    elif day is None:
        day = start
    if start == day:
        start = None
    if start is not None and day is not None and start > day:
        return Problem(
            0, plan.fields["start"].name, str(start), f"the period starts after it ends ({day})"
        )
    assert day is not None
    return (start.isoformat() if start else None), day.isoformat()
