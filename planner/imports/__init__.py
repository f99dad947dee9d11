"""Importing costs and results from the files practices already have.

``plan_import`` opens a file, recognises its format, and matches its columns to a campaign:
which column holds each field of a cost, which measure each column of figures reports.
``preview`` reads every row as the import would and counts what would be written, with every
row that cannot be read. ``run_import`` writes it as one import, in one transaction, which
``Store.undo_import`` takes back as a whole. Files are streamed, never loaded whole.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
import pickle
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from pydantic import ValidationError

from planner.domain import clock
from planner.domain.errors import PlannerError, describe_validation_error
from planner.domain.measures import results_add_up
from planner.domain.models import (
    CONTROL_CHARS,
    MAX_MINOR,
    Campaign,
    Channel,
    CostRow,
    Entry,
    ImportKind,
    ImportOptions,
    ImportRecord,
    Measure,
    Result,
    cost_from_row,
    result_row,
)
from planner.domain.money import exponent, format_minor
from planner.domain.numbers import ambiguous_in_file, decimal_point, example, format_money, style_of
from planner.domain.words import plural
from planner.imports.cells import (
    CurrencyMismatch,
    guess_day_first,
    guess_decimal,
    is_ambiguous_date,
    is_missing,
    read_amount,
    read_date,
    read_number,
)
from planner.imports.formats import (
    COST_FIELDS,
    FIXED_FIELDS,
    FORMATS,
    GENERIC,
    HCAHPS,
    RESULT_FIELDS,
    Format,
    Metric,
    channel_key,
    detect,
    is_known_header,
    read_channel,
)
from planner.imports.patient_data import PatientDataError, ValueCheck, check_header
from planner.imports.tabular import Sheet, normalize, open_sheet
from planner.store import Store
from planner.store.dbfiles import refuse_database

SAMPLE_ROWS = 2000  # rows read up front to learn how the file writes numbers and dates
PREVIEW_ENTRIES = 100
MAX_PROBLEMS = 1000
Progress = Callable[[int, int], None]  # (bytes read, file size)


class ImportRefused(PlannerError):
    """The file as a whole cannot be imported into this campaign."""


class NeedsMapping(ImportRefused):
    """The file can be read, but the user has to say which column holds what first."""


class SkipsMoney(ImportRefused):
    """Rows holding money cannot be read, and the import was not told to go on without them."""

    def __init__(self, tally: Preview) -> None:
        self.tally = tally
        super().__init__(f"{tally.unreadable_money()}; nothing was written.")


class DuplicateImport(PlannerError):
    """The same file was imported into the campaign before and not undone."""

    def __init__(self, record: ImportRecord) -> None:
        self.record = record
        noun = "costs" if record.kind is ImportKind.COSTS else "results"
        super().__init__(
            f"'{record.file_name}' was already imported into this campaign on "
            f"{record.created_at[:16].replace('T', ' ')} UTC (import {record.id}, "
            f"{record.entries:,} {noun}); importing it again would count them twice. Undo "
            f"import {record.id} first, or import it again anyway (--force)."
        )


@dataclass(frozen=True)
class Problem:
    """A row that cannot be read: its line in the file, the column, the value and why."""

    line: int
    column: str
    value: str
    reason: str
    unknown_channel: bool = False  # a channel named in words the planner does not know

    def __str__(self) -> str:
        value = f" '{self.value}'" if self.value else ""
        return f"line {self.line}, {self.column}{value}: {self.reason}"


@dataclass(frozen=True)
class LeftOut:
    """A row of a channel the user chose to leave out of the import (``{"Radio": ""}``)."""

    key: str
    text: str


@dataclass(frozen=True)
class Binding:
    """Where a field's value comes from: a column of the file, or one text for every row."""

    column: int | None
    name: str

    @property
    def fixed(self) -> bool:
        return self.column is None


@dataclass
class Plan:
    """A file matched to a campaign, ready to preview or import."""

    path: Path
    sheet: Sheet
    format: Format
    detected: Format | None
    kind: ImportKind
    campaign: Campaign
    options: ImportOptions
    fields: dict[str, Binding]
    measures: dict[str, str]  # measure name -> the column (or the id) with its figures
    decimal: str
    day_first: bool
    period: tuple[dt.date, dt.date] | None
    where: list[tuple[int, str, str]]  # (column, its name, the value to keep)
    notices: list[str] = field(default_factory=list)
    problem: str | None = None  # what the user must map before anything can be imported
    # Nothing in the sample showed how the file writes numbers: they are read in the
    # campaign's number style, and a value that could be read two ways is refused.
    style_of_campaign: str | None = None
    # Rows dated after this day are left out (``planner.tracking.starts_after``'s rule).
    today: dt.date = field(default_factory=clock.today)
    # The file's own names of channels, as the user mapped them: key -> (the name as written,
    # the channel it means, or None to leave its rows out).
    channels: dict[str, tuple[str, Channel | None]] = field(default_factory=dict)

    def check(self) -> None:
        """Refuse to read rows while a field the import needs is not mapped."""
        if self.problem:
            raise NeedsMapping(self.problem)

    @property
    def long(self) -> bool:
        """One row per figure (HCAHPS, or a spreadsheet with measure and value columns)."""
        return self.format.metric_column is not None or "value" in self.fields

    def metric_choices(self) -> list[str]:
        """What a measure can be mapped to: the columns of figures, or the figures' ids."""
        if self.format.metric_column is not None:
            return [metric.name for metric in self.format.metrics]
        taken = {b.column for b in self.fields.values() if b.column is not None}
        return [name for i, name in enumerate(self.sheet.columns) if i not in taken]

    def resolved_options(self) -> ImportOptions:
        """The options as this file was read, to save and read the next one alike: the
        format, every field's column and every measure's figures."""
        fields = {name: binding.name for name, binding in self.fields.items()}
        fields.update(self.measures)
        return self.options.model_copy(
            update={
                "format": self.format.key,
                "fields": fields,
                "day_first": True if self.day_first else self.options.day_first,
                # Rows left out are asked about again with the next file: never saved.
                "channels": {
                    text: channel.value for text, channel in self.channels.values() if channel
                },
            }
        )

    def describe_fields(self) -> list[tuple[str, str]]:
        """Each field and where it comes from, as the preview shows it."""
        shown = []
        for name, binding in self.fields.items():
            source = f"'{binding.name}' for every row" if binding.fixed else binding.name
            shown.append((name, source))
        if self.period and "date" not in self.fields:
            first, last = self.period
            shown.append(("date", f"the report's dates, {first} to {last}"))
        for measure, metric in self.measures.items():
            shown.append((measure, metric))
        for text, channel in self.channels.values():
            shown.append((f"channel '{text}'", channel.value if channel else "left out"))
        return shown


@dataclass
class Preview:
    """What an import would write (or wrote), counted while reading the file."""

    kind: ImportKind
    currency: str
    style: str | None = None  # the campaign's number style, which money is shown in
    rows_read: int = 0  # data rows, without totals rows and rows the filter left out
    totals_skipped: int = 0
    filtered: int = 0
    empty: int = 0  # rows with no amount (or zero), or none of the mapped figures
    unmapped: int = 0  # rows of a figure no measure is mapped to (one row per figure)
    problem_rows: int = 0
    future: int = 0  # rows dated after today, left out
    future_minor: int = 0  # the money on them
    problems: list[Problem] = field(default_factory=list)
    entries: int = 0
    sample: list[Entry] = field(default_factory=list)
    total_minor: int = 0
    by_measure: dict[str, list[float]] = field(default_factory=dict)  # name -> [count, sum]
    first_day: str | None = None  # ISO dates of the first and last day the entries cover
    last_day: str | None = None
    # Rows that cannot be read although their amount can: how many, and their money.
    money_rows: int = 0
    money_minor: int = 0
    # Channels named in words the planner does not know, and those the user chose to leave
    # out: key -> [the name as written, rows, money].
    unknown_channels: dict[str, list[Any]] = field(default_factory=dict)
    left_out: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def first_date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.first_day) if self.first_day else None

    @property
    def last_date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.last_day) if self.last_day else None

    def add_problem(self, problem: Problem) -> None:
        self.problem_rows += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def skip_money(self, minor: int, unknown: str | None = None) -> None:
        """Count a row that cannot be read but holds ``minor``; ``unknown``: the name of a
        channel the planner does not know, which the row was skipped for."""
        if minor <= 0:
            return
        self.money_rows += 1
        self.money_minor += minor
        if unknown is not None:
            _add_to(self.unknown_channels, unknown, minor)

    def unreadable_money(self) -> str:
        """The rows that hold money but cannot be read, and why, as a sentence (no stop)."""
        all_money = self.total_minor + self.money_minor + _money(self.left_out)
        share = ""
        if all_money:
            share = f" ({self.money_minor / all_money:.0%} of the money in the file)"
        said = (
            f"{plural(self.money_rows, 'row')} holding "
            f"{self.money(self.money_minor)}{share} cannot be read"
        )
        if self.unknown_channels:
            many = "s" if len(self.unknown_channels) > 1 else ""
            said += (
                f"; the planner does not know the channel{many} "
                f"{self.describe_values(self.unknown_channels)}"
            )
        others = self.money_rows - sum(rows for _, rows, _ in self.unknown_channels.values())
        if others and self.unknown_channels:
            money = self.money(self.money_minor - _money(self.unknown_channels))
            said += f"; {plural(others, 'other row')} holding {money} for the reasons listed"
        return said

    def money(self, minor: int) -> str:
        """An amount as the campaign writes it: ``EUR 1.234,50`` in an Italian campaign."""
        return format_money(minor, self.currency, self.style, code=True)

    def describe_values(self, values: dict[str, list[Any]]) -> str:
        """``'Stampa' (2 rows, EUR 7,200.00) and 'Radio' (1 row, EUR 300.00)``."""
        said = [
            f"'{text}' ({plural(rows, 'row')}, {self.money(minor)})"
            for text, rows, minor in values.values()
        ]
        return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]

    def _span(self, first: str, day: str) -> None:
        if self.first_day is None or first < self.first_day:
            self.first_day = first
        if self.last_day is None or day > self.last_day:
            self.last_day = day

    def count_result(self, result: Result) -> None:
        self.entries += 1
        if len(self.sample) < PREVIEW_ENTRIES:
            self.sample.append(result)
        self._span((result.period_start or result.date).isoformat(), result.date.isoformat())
        figures = self.by_measure.setdefault(result.measure, [0, 0.0])
        figures[0] += 1
        figures[1] += result.value

    def summary(self) -> str:
        """One line: what would be written and what not."""
        noun = "cost" if self.kind is ImportKind.COSTS else "result"
        parts = [plural(self.entries, noun)]
        if self.kind is ImportKind.COSTS:
            parts[0] += f" totalling {self.money(self.total_minor)}"
        parts[0] += f" from {plural(self.rows_read, 'row')}"
        if self.first_date and self.last_date:
            parts.append(
                f"dated {self.first_date}"
                + (f" to {self.last_date}" if self.last_date != self.first_date else "")
            )
        if self.problem_rows:
            parts.append(f"{plural(self.problem_rows, 'row')} cannot be read")
        if self.future:
            money = (
                f" (holding {self.money(self.future_minor)})"
                if self.future_minor
                else ""
            )
            parts.append(
                f"{plural(self.future, 'row')} dated after today left out{money}: "
                + ("record it once it has happened" if self.future == 1 else
                   "record them once they have happened")
            )
        if self.empty:
            what = "nothing spent" if self.kind is ImportKind.COSTS else "no figure"
            parts.append(f"{plural(self.empty, 'row')} with {what}")
        if self.unmapped:
            parts.append(f"{plural(self.unmapped, 'row')} of figures no measure is mapped to")
        if self.totals_skipped:
            parts.append(f"{plural(self.totals_skipped, 'totals row')} left out")
        if self.filtered:
            parts.append(f"{plural(self.filtered, 'row')} left out by the filter")
        if self.left_out:
            rows = sum(rows for _, rows, _ in self.left_out.values())
            names = ", ".join(f"'{text}'" for text, _, _ in self.left_out.values())
            parts.append(f"{plural(rows, 'row')} of {names} left out as you chose")
        return "; ".join(parts)


def _add_to(values: dict[str, list[Any]], text: str, minor: int) -> None:
    """Count a row of money ``minor`` under the channel named ``text``."""
    counted = values.setdefault(channel_key(text), [text, 0, 0])
    counted[1] += 1
    counted[2] += minor


def _money(values: dict[str, list[Any]]) -> int:
    return sum(minor for _, _, minor in values.values())


# Planning ----------------------------------------------------------------------------------


def file_digest(path: Path) -> str:
    refuse_database(path, "choose a file of costs or results that a tool exported.")
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _columns_hint(sheet: Sheet) -> str:
    names = [f"'{name}'" for name in sheet.columns if name]
    if len(names) > 25:
        return ", ".join(names[:25]) + f" and {len(names) - 25} more"
    return ", ".join(names)


def _is_percent_unit(measure: Measure) -> bool:
    unit = measure.unit.casefold()
    return "%" in unit or "percent" in unit or "per cent" in unit


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"[\w%]+", text.casefold())) + " "


def _obvious_measures(
    campaign: Campaign, metrics: list[Metric], present: set[str]
) -> dict[str, str]:
    """Measures of the campaign that one of the file's metrics obviously reports: the measure
    is named like the metric (``Sessions``) or says one of its phrases (``open rate``)."""
    found: dict[str, str] = {}
    taken: set[str] = set()
    for measure in campaign.measures:
        name = _words(measure.name)
        matches = [
            m.name
            for m in metrics
            if normalize(m.name) in present
            and m.name not in taken
            and (
                name.strip() == _words(m.name).strip()
                or any(_words(phrase) in name for phrase in m.phrases)
            )
        ]
        if len(matches) == 1:
            found[measure.name] = matches[0]
            taken.add(matches[0])
    return found


def _match_activity(text: str, names: list[str]) -> str | None:
    """The campaign's activity a source campaign's name stands for, where it is clear."""
    key = text.strip().casefold()
    if not key:
        return None
    for name in names:
        if name.casefold() == key:
            return name
    contained = [
        name
        for name in names
        if len(name) >= 4 and (name.casefold() in key or (len(key) >= 4 and key in name.casefold()))
    ]
    return contained[0] if len(contained) == 1 else None


def plan_import(path: str | Path, campaign: Campaign, options: ImportOptions) -> Plan:
    """Open ``path`` and match it to ``campaign`` as ``options`` say; raises a
    ``PlannerError`` with a sentence when the file cannot be imported at all."""
    path = Path(path).expanduser()
    sheet = open_sheet(path, is_known_header)
    detected = detect(list(sheet.header))
    fmt = (detected or GENERIC) if options.format == "auto" else FORMATS[options.format]
    kind = ImportKind(options.kind)
    check_header(sheet.columns, fmt.facility_columns)
    if kind is ImportKind.COSTS and not fmt.has_costs:
        raise ImportRefused(
            f"A {fmt.title} holds figures, not costs; import it as results, and record what "
            f"{fmt.vendor} charged as a cost."
        )
    currency = campaign.currency
    written = fmt.currency(sheet)
    if kind is ImportKind.COSTS and written and written != currency:
        raise ImportRefused(
            f"{CurrencyMismatch(written, currency)} Nothing was imported; export the report "
            f"in {currency}, or record these costs in a campaign kept in {written}."
        )

    allowed = COST_FIELDS if kind is ImportKind.COSTS else RESULT_FIELDS
    measures = {m.name.casefold(): m for m in campaign.measures}
    given: dict[str, str] = {}
    mapped_measures: dict[str, str] = {}
    for key, value in options.fields.items():
        name = key.strip().casefold()
        if name in allowed:
            given[name] = value.strip()
        elif kind is ImportKind.RESULTS and name in measures:
            mapped_measures[measures[name].name] = value.strip()
        elif kind is ImportKind.RESULTS:
            known = ", ".join(f"'{m.name}'" for m in campaign.measures) or "none yet"
            raise ImportRefused(
                f"'{key}' is neither a field of a result ({', '.join(allowed)}) nor a measure "
                f"of this campaign (its measures: {known})."
            )
        else:
            raise ImportRefused(
                f"'{key}' is not a field of a cost; the fields are: {', '.join(allowed)}."
            )

    fields: dict[str, Binding] = {}
    for name in allowed:
        if name in given:
            value = given[name]
            if not value:
                continue
            index = sheet.column(value)
            if index is not None:
                fields[name] = Binding(index, sheet.columns[index])
            elif name in FIXED_FIELDS:
                fields[name] = Binding(None, _fixed(name, value, campaign))
            else:
                raise ImportRefused(
                    f"There is no column '{value}' in '{path.name}' to read the {name} from; "
                    f"its columns are: {_columns_hint(sheet)}."
                )
            continue
        candidates = fmt.defaults.get(name, ())
        if name == "amount" and fmt.currency_in_header:
            candidates = (fmt.amount_column(sheet) or "",)
        for candidate in candidates:
            index = sheet.column(candidate) if candidate else None
            if index is not None:
                fields[name] = Binding(index, sheet.columns[index])
                break
    if kind is ImportKind.RESULTS and "value" not in fields:
        # "measure" and "value" go together: a file with one row per figure.
        fields.pop("measure", None)
    if kind is ImportKind.RESULTS and "value" in fields and "measure" not in fields:
        raise ImportRefused(
            "The values need a measure: choose the column that names each row's measure "
            "(--map measure=COLUMN), or the one measure they all report (--map "
            "'measure=Email open rate')."
        )

    where: list[tuple[int, str, str]] = []
    for column, value in options.where.items():
        index = sheet.column(column)
        if index is None:
            raise ImportRefused(
                f"There is no column '{column}' in '{path.name}' to filter the rows by; its "
                f"columns are: {_columns_hint(sheet)}."
            )
        where.append((index, sheet.columns[index], value.strip()))

    period = fmt.period(sheet)
    channels = _channel_names(options.channels)
    plan = Plan(
        path=path,
        sheet=sheet,
        format=fmt,
        detected=detected,
        kind=kind,
        campaign=campaign,
        options=options,
        fields=fields,
        measures={},
        decimal=".",
        day_first=False,
        period=period,
        where=where,
        channels=channels,
    )
    sample = list(_sample(plan))
    _check_values(plan, sample)
    _learn_style(plan, sample)
    try:
        _match(plan, sample, mapped_measures)
    except NeedsMapping as exc:
        plan.problem = str(exc)
    return plan


def _match(
    plan: Plan, sample: list[tuple[int, list[str]]], mapped_measures: dict[str, str]
) -> None:
    """Check the fields a cost needs, or match the campaign's measures to the file's figures."""
    path, sheet, fmt, fields, campaign = (
        plan.path,
        plan.sheet,
        plan.format,
        plan.fields,
        plan.campaign,
    )
    if "date" not in fields and "start" not in fields and plan.period is None:
        if fmt.key == "google-ads":
            covers = sheet.preamble[1] if len(sheet.preamble) > 1 else "All time"
            raise ImportRefused(
                f"'{path.name}' covers '{covers}' and has no Day column, so its rows have no "
                "dates; download the report again for a date range, or segmented by day."
            )
        raise NeedsMapping(
            f"Which column of '{path.name}' holds the dates? Map 'date' to one of its "
            f"columns: {_columns_hint(sheet)}."
        )
    if plan.kind is ImportKind.COSTS:
        if "amount" not in fields:
            raise NeedsMapping(
                f"Which column of '{path.name}' holds the amounts? Map 'amount' to one of its "
                f"columns: {_columns_hint(sheet)}."
            )
        return

    if plan.long:
        present = _long_metrics(plan, sample)
        metrics = list(fmt.metrics) + [Metric(m) for m in present]
        if fmt.metric_column is None:  # names of the campaign's measures, row by row
            plan.measures = {}
            return
        _one_facility(plan, sample)
    else:
        present = {normalize(name) for name in sheet.columns}
        metrics = list(fmt.metrics) + [Metric(name) for name in sheet.columns]
    for measure_name, metric in mapped_measures.items():
        if not metric:
            continue
        if not plan.long and sheet.column(metric) is None:
            raise ImportRefused(
                f"There is no column '{metric}' in '{path.name}' for '{measure_name}'; its "
                f"columns are: {_columns_hint(sheet)}."
            )
        plan.measures[measure_name] = (
            sheet.columns[sheet.column(metric)] if not plan.long else metric
        )
    auto = _obvious_measures(
        campaign.model_copy(
            update={"measures": [m for m in campaign.measures if m.name not in mapped_measures]}
        ),
        metrics,
        {normalize(p) for p in present},
    )
    for measure_name, metric in auto.items():
        if metric not in plan.measures.values():
            plan.measures[measure_name] = metric
    if not plan.measures:
        names = ", ".join(f"'{m.name}'" for m in campaign.measures)
        if not names:
            raise ImportRefused(
                "This campaign has no measures yet; add the measures the file reports in the "
                "Measures step, then import it."
            )
        choices = ", ".join(f"'{c}'" for c in plan.metric_choices()[:20])
        raise NeedsMapping(
            f"Which of the campaign's measures do the figures in '{path.name}' report? Map "
            f"each measure ({names}) to a column of figures ({choices})."
        )
    ordered = {m.name: plan.measures[m.name] for m in campaign.measures if m.name in plan.measures}
    plan.measures = ordered
    unseen = [
        f"'{metric}'"
        for metric in ordered.values()
        if plan.long and normalize(metric) not in {normalize(p) for p in present}
    ]
    if unseen and sheet.size > 0:
        plan.notices.append(
            f"The first {SAMPLE_ROWS:,} rows have no figures for {', '.join(unseen)}; check the "
            "mapping if none are found."
        )
    return plan


def _channel_names(given: dict[str, str]) -> dict[str, tuple[str, Channel | None]]:
    """The user's mapping of the file's names of channels, checked: each names one of the
    planner's channels, or is empty to leave that channel's rows out."""
    names: dict[str, tuple[str, Channel | None]] = {}
    for text, target in given.items():
        key = channel_key(text)
        if not key:
            raise ImportRefused(
                f"'={target}' names no channel of the file to map; write it as "
                "NAME=CHANNEL, such as Stampa=print_mail."
            )
        channel = None
        if target.strip():
            try:
                channel = read_channel(target)
            except ValueError:
                known = ", ".join(c.value for c in Channel)
                raise ImportRefused(
                    f"'{target.strip()}' is not a channel to read '{text.strip()}' as; the "
                    f"channels are: {known}."
                ) from None
        names[key] = (text.strip(), channel)
    return names


def _fixed(name: str, value: str, campaign: Campaign) -> str:
    """A fixed value for every row, checked: a channel, an activity or a measure that exist."""
    if name == "channel":
        channel = read_channel(value)
        return channel.value if channel else ""
    if name in ("activity", "measure"):
        items = campaign.activities if name == "activity" else campaign.measures
        for item in items:
            if item.name.casefold() == value.casefold():
                return item.name
        known = ", ".join(f"'{item.name}'" for item in items) or "none yet"
        kinds = "activities" if name == "activity" else "measures"
        raise ImportRefused(
            f"There is neither a column nor {'an' if name == 'activity' else 'a'} {name} "
            f"called '{value}'; the {kinds} are: {known}."
        )
    return value


def _value_check(plan: Plan) -> ValueCheck:
    """A check of the file's values for identifiers of people, its facility's columns left
    out."""
    exempt = {
        i for name in plan.format.facility_columns if (i := plan.sheet.column(name)) is not None
    }
    return ValueCheck(list(plan.sheet.columns), exempt)


def _check_values(plan: Plan, sample: list[tuple[int, list[str]]]) -> None:
    """Refuse a file whose first rows are about patients before asking for a mapping: a short
    file is refused here as a whole. Reading the file checks every row again."""
    check = _value_check(plan)
    for line, cells in sample:
        check.add(line, cells)
    check.check()


def _sample(plan: Plan) -> Iterator[tuple[int, list[str]]]:
    """The first data rows, as the import will see them (totals and filtered rows left out)."""
    count = 0
    is_total = plan.format.total_test(plan.sheet)
    for line, cells in plan.sheet.rows():
        if is_total(cells) or not _kept(plan, cells):
            continue
        yield line, cells
        count += 1
        if count >= SAMPLE_ROWS:
            return


def _learn_style(plan: Plan, sample: list[tuple[int, list[str]]]) -> None:
    """How the file writes numbers (decimal point or comma) and dates (day or month first)."""
    numeric = [
        b.column
        for name, b in plan.fields.items()
        if name in ("amount", "value") and b.column is not None
    ]
    if plan.kind is ImportKind.RESULTS and not plan.long:
        numeric += [i for i in range(len(plan.sheet.header)) if i not in numeric]
    if plan.format.value_column is not None:
        numeric += [
            i
            for name in ("HCAHPS Answer Percent", "HCAHPS Linear Mean Value")
            if (i := plan.sheet.column(name)) is not None
        ]
    texts = [cells[i] for _, cells in sample for i in numeric]
    guess = guess_decimal(texts)
    if guess is not None:
        plan.decimal = guess
    else:  # the campaign's way, not a guess: values it cannot tell apart are refused
        plan.style_of_campaign = style_of(plan.campaign)
        plan.decimal = decimal_point(plan.style_of_campaign)
        if any("," in text or "." in text for text in texts):
            plan.notices.append(
                "Nothing in the file's first rows shows whether it writes numbers as 1,234.50 "
                "or 1.234,50; they are read as this campaign writes them "
                f"({example(plan.style_of_campaign)}), and a value that could be read either "
                "way (such as 12.000) is listed as a row that cannot be read."
            )

    dates = [
        b.column
        for name, b in plan.fields.items()
        if name in ("date", "start") and b.column is not None
    ]
    texts = [cells[i] for _, cells in sample for i in dates]
    if plan.options.day_first is not None:
        plan.day_first = plan.options.day_first
    elif plan.format.day_first is not None:
        plan.day_first = plan.format.day_first
    else:
        found = guess_day_first(texts)
        plan.day_first = bool(found)
        if found is None:
            ambiguous = next((t.strip() for t in texts if is_ambiguous_date(t)), None)
            if ambiguous:
                read = read_date(ambiguous, day_first=False)
                plan.notices.append(
                    f"Dates such as '{ambiguous}' could be read either way; they are read "
                    f"month first ({read:%d %B %Y}). If the file writes the day first, read "
                    "them as day first (--day-first)."
                )


def _long_metrics(plan: Plan, sample: list[tuple[int, list[str]]]) -> list[str]:
    column = plan.sheet.column(plan.format.metric_column or "")
    if column is None:
        return []
    return list(
        dict.fromkeys(cells[column].strip() for _, cells in sample if cells[column].strip())
    )


def _one_facility(plan: Plan, sample: list[tuple[int, list[str]]]) -> None:
    """A survey file of many hospitals: the user says which is theirs."""
    if plan.format is not HCAHPS:
        return
    ids, names = plan.sheet.column("Facility ID"), plan.sheet.column("Facility Name")
    if ids is None:
        return
    facilities = dict.fromkeys(
        (cells[ids].strip(), cells[names].strip() if names is not None else "")
        for _, cells in sample
    )
    if len(facilities) > 1:
        shown = "; ".join(f"{i} {n}".strip() for i, n in list(facilities)[:3])
        first = next(iter(facilities))[0]
        raise NeedsMapping(
            f"'{plan.path.name}' holds the survey results of several hospitals ({shown}, ...); "
            f"keep only the rows of yours: Facility ID={first} (its id, with the leading "
            "zeros)."
        )


def _kept(plan: Plan, cells: list[str]) -> bool:
    for index, _, value in plan.where:
        cell = cells[index].strip().casefold()
        wanted = value.casefold()
        if wanted.endswith("*"):
            if not cell.startswith(wanted[:-1]):
                return False
        elif cell != wanted:
            return False
    return True


# Reading ------------------------------------------------------------------------------------


def preview(plan: Plan, on_progress: Progress | None = None) -> Preview:
    """Read the whole file as an import would, writing nothing."""
    plan.check()
    tally = Preview(plan.kind, plan.campaign.currency, style_of(plan.campaign))
    for _ in entries(plan, tally, on_progress):
        pass
    return tally


def entries(
    plan: Plan, tally: Preview, on_progress: Progress | None = None
) -> Iterator[CostRow] | Iterator[Result]:
    """The costs (as rows to write) or results the file holds, counted into ``tally`` as they
    are read. Rows that cannot be read are left out and noted; a file-wide problem (patient
    data, another currency) raises ``ImportRefused``."""
    rows = _data_rows(plan, tally, on_progress)
    if plan.kind is ImportKind.COSTS:
        return _costs(plan, tally, rows)
    return _counted(tally, _results(plan, tally, rows))


def _counted(tally: Preview, results: Iterator[Result]) -> Iterator[Result]:
    for result in results:
        tally.count_result(result)
        yield result


def _data_rows(
    plan: Plan, tally: Preview, on_progress: Progress | None
) -> Iterator[tuple[int, list[str]]]:
    values = _value_check(plan)
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
            if where and not _kept(plan, cells):
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


def _cell(cells: list[str], binding: Binding | None) -> str:
    if binding is None:
        return ""
    return binding.name if binding.column is None else cells[binding.column]


Dates = tuple[str | None, str]  # (first day or None, day), in ISO form


def _text(binding: Binding | None) -> Callable[[list[str]], str]:
    """A field's text in a row: from its column, its fixed text, or ``""`` without one."""
    if binding is None or binding.column is None:
        fixed = binding.name if binding is not None else ""
        return lambda cells: fixed
    return operator.itemgetter(binding.column)


def _memo(
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
            found = read(*(_text(b)(cells) for b in bindings))
            if len(known) < limit:
                known[key] = found
            return found

    return memo


def _date_reader(plan: Plan) -> Callable[[list[str]], Dates | Problem | None]:
    """Reads a row's dates: from its date and start columns, else the report's period. A
    Problem (with line 0) when a date cannot be read; None when the row has no date at all."""
    return _memo(
        [plan.fields.get("date"), plan.fields.get("start")],
        lambda day, start: _dates(plan, day, start),
    )


def _dates(plan: Plan, date_text: str, start_text: str) -> Dates | Problem | None:
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


_PLAIN_AMOUNTS = {
    ".": re.compile(r"(\d{1,13})(?:\.(\d{1,3}))?"),
    ",": re.compile(r"(\d{1,13})(?:,(\d{1,3}))?"),
}
T = TypeVar("T")


Described = tuple[str | None, str | None, str]  # activity, channel, vendor


def _describer(plan: Plan) -> Callable[[list[str]], Described | Problem | LeftOut]:
    """A cost row's activity, channel and vendor, or the Problem (line 0) with one of them."""
    fields, fmt = plan.fields, plan.format
    activities = [a.name for a in plan.campaign.activities]
    type_index = plan.sheet.column(fmt.type_column or "")
    kind = Binding(type_index, fmt.type_column or "") if type_index is not None else None
    activity_b, channel_b, vendor_b = (fields.get(n) for n in ("activity", "channel", "vendor"))
    mapped = plan.channels

    def describe(
        activity_text: str, channel_text: str, vendor_text: str, kind_text: str
    ) -> Described | Problem | LeftOut:
        activity = _match_activity(activity_text, activities)
        channel: Channel | None = None
        if channel_b is not None:
            key = channel_key(channel_text) if mapped else ""
            if key in mapped:  # the user's word for it comes first
                channel = mapped[key][1]
                if channel is None:
                    return LeftOut(key, channel_text.strip())
            else:
                try:
                    channel = read_channel(channel_text)
                except ValueError as exc:
                    text = channel_text.strip()
                    return Problem(0, channel_b.name, text, str(exc), unknown_channel=True)
        elif activity is None:
            channel = (fmt.channel_of and fmt.channel_of(kind_text)) or fmt.channel
        vendor = vendor_text.strip()[:200].rstrip()
        if CONTROL_CHARS.search(vendor):
            assert vendor_b is not None
            return Problem(0, vendor_b.name, vendor, _CONTROL_REASON)
        return activity, channel.value if channel else None, vendor or fmt.vendor

    return _memo([activity_b, channel_b, vendor_b, kind], describe)


_CONTROL_REASON = "it holds control characters, which a text may not"


def _costs(plan: Plan, tally: Preview, rows: Iterator[tuple[int, list[str]]]) -> Iterator[CostRow]:
    """The costs the rows hold, as rows ready to write, checked as the Cost model checks them
    (a million models would cost more than writing them). Dates, and activity, channel and
    vendor, are read once per distinct set of texts; an amount as plain as ``1250.50`` is read
    without the general number reader."""
    fields, fmt = plan.fields, plan.format
    currency = plan.campaign.currency
    places = exponent(currency)
    plain = _PLAIN_AMOUNTS[plan.decimal]
    amount, note_b = fields["amount"], fields.get("note")
    read_dates = _date_reader(plan)
    describe = _describer(plan)
    code_of, amount_of, note_of = _text(fields.get("currency")), _text(amount), _text(note_b)
    source_index = plan.sheet.column(fmt.source_column or "")
    sample, entries, total, first, last = tally.sample, 0, 0, "9999", ""
    after = plan.today.isoformat()
    try:
        for line, cells in rows:
            dates = read_dates(cells)
            if dates is None:
                tally.add_problem(Problem(line, fields["date"].name, "", "there is no date"))
                continue
            if type(dates) is Problem:
                tally.add_problem(Problem(line, dates.column, dates.value, dates.reason))
                tally.skip_money(_money_of(amount_of(cells), currency, plan.decimal))
                continue
            code = code_of(cells)
            if code and code.strip().upper() != currency:
                _refuse_currency(line, CurrencyMismatch(code.strip().upper(), currency), currency)
            text = amount_of(cells)
            match = plain.fullmatch(text)
            if match is not None and len(fraction := match[2] or "") <= places:
                minor = int(match[1]) * 10**places
                if fraction:
                    minor += int(fraction) * 10 ** (places - len(fraction))
            else:
                if plan.style_of_campaign and places != 3:  # BHD 12.500: the currency's own
                    doubt = ambiguous_in_file(text, plan.style_of_campaign)
                    if doubt:
                        _refuse(tally, line, amount, text, doubt)
                        continue
                try:
                    minor = read_amount(text, currency, plan.decimal)
                except CurrencyMismatch as exc:
                    _refuse_currency(line, exc, currency)
                except ValueError as exc:
                    _refuse(tally, line, amount, text, exc)
                    continue
            if not minor:  # nothing spent on that row
                tally.empty += 1
                continue
            if (dates[0] or dates[1]) > after:  # type: ignore[index]
                tally.future += 1
                tally.future_minor += minor
                continue
            if minor > MAX_MINOR:
                most = format_minor(MAX_MINOR, currency)
                _refuse(tally, line, amount, text, f"more than one cost can be ({most})")
                tally.skip_money(minor)
                continue
            described = describe(cells)
            if type(described) is Problem:
                tally.add_problem(
                    Problem(
                        line,
                        described.column,
                        described.value,
                        described.reason,
                        described.unknown_channel,
                    )
                )
                unknown = described.value if described.unknown_channel else None
                tally.skip_money(minor, unknown)
                continue
            if type(described) is LeftOut:
                _add_to(tally.left_out, described.text, minor)
                continue
            activity, channel, vendor = described  # type: ignore[misc]
            note = note_of(cells).strip()[:20_000].rstrip()
            if CONTROL_CHARS.search(note):
                _refuse(tally, line, note_b, "", _CONTROL_REASON)
                tally.skip_money(minor)
                continue
            if not note and source_index is not None and cells[source_index].strip():
                source = f"{fmt.vendor}: {cells[source_index].strip()}"[:20_000].rstrip()
                note = "" if CONTROL_CHARS.search(source) else source
            day, start = dates[1], dates[0]  # type: ignore[index]
            row = (day, start, minor, channel, vendor, activity, note)
            entries += 1
            total += minor
            if len(sample) < PREVIEW_ENTRIES:
                sample.append(cost_from_row(row))
            if (start or day) < first:
                first = start or day
            if day > last:
                last = day
            yield row
    finally:
        tally.entries += entries
        tally.total_minor += total
        if entries:
            tally.first_day, tally.last_day = first, last


def _money_of(text: str, currency: str, decimal: str) -> int:
    """The amount a row that cannot be read holds, or 0 when that cannot be read either."""
    try:
        return read_amount(text, currency, decimal)
    except ValueError:  # a CurrencyMismatch too: the row is counted where it is read
        return 0


def _refuse(tally: Preview, line: int, binding: Binding | None, text: str, error: object) -> None:
    """Note that a row cannot be read for the value of ``binding``."""
    assert binding is not None
    tally.add_problem(Problem(line, binding.name, text.strip(), str(error)))


def _refuse_currency(line: int, exc: CurrencyMismatch, currency: str) -> NoReturn:
    message = str(exc)
    message = message[0].lower() + message[1:] if message.startswith("The") else message
    raise ImportRefused(
        f"Line {line}: {message} Nothing was imported; export the report in {currency}."
    )


def _results(plan: Plan, tally: Preview, rows: Iterator[tuple[int, list[str]]]) -> Iterator[Result]:
    """Results, one per measure and period: a file's rows for the same measure and period
    (landing pages, ad campaigns) add up for a count, and are averaged for a rate or score."""
    measures = {m.name: m for m in plan.campaign.measures}
    by_key = {m.name.casefold(): m.name for m in plan.campaign.measures}
    fractions = {m.name for m in plan.format.metrics if m.fraction}
    totals: dict[tuple[str, str | None, str], list[float]] = {}
    metric_index = plan.sheet.column(plan.format.metric_column or "")
    wide = (
        {name: plan.sheet.column(metric) for name, metric in plan.measures.items()}
        if not plan.long
        else {}
    )
    by_metric: dict[str, list[str]] = {}
    for name, metric in plan.measures.items():
        by_metric.setdefault(normalize(metric), []).append(name)
    read_dates = _date_reader(plan)
    after = plan.today.isoformat()
    for line, cells in rows:
        dates = read_dates(cells)
        if isinstance(dates, Problem):
            tally.add_problem(Problem(line, dates.column, dates.value, dates.reason))
            continue
        if dates is None:
            tally.add_problem(Problem(line, "date", "", "there is no date"))
            continue
        if (dates[0] or dates[1]) > after:
            tally.future += 1
            continue
        figures: list[tuple[str, str, str, bool]] = []  # measure, column, text, fraction
        if metric_index is not None:  # HCAHPS: the row's measure id says which column
            metric = cells[metric_index].strip()
            if normalize(metric) not in by_metric:
                tally.unmapped += 1
                continue
            assert plan.format.value_column is not None
            # The measure id says which column holds its figure; the first filled one counts.
            filled = [
                (c, cells[i])
                for c in plan.format.value_column(metric)
                if (i := plan.sheet.column(c)) is not None and not is_missing(cells[i])
            ]
            column, text = filled[0] if filled else (plan.format.value_column(metric)[0], "")
            for name in by_metric[normalize(metric)]:
                figures.append((name, column, text, False))
        elif plan.long:
            value = plan.fields["value"]
            named = _cell(cells, plan.fields["measure"]).strip()
            name = by_key.get(named.casefold())
            if name is None:
                if not named:
                    tally.empty += 1
                    continue
                known = ", ".join(f"'{m}'" for m in measures)
                tally.add_problem(
                    Problem(
                        line,
                        plan.fields["measure"].name,
                        named,
                        f"not a measure of this campaign (its measures: {known})",
                    )
                )
                continue
            figures.append((name, value.name, _cell(cells, value), False))
        else:
            for name, index in wide.items():
                if index is not None:
                    column = plan.sheet.columns[index]
                    figures.append((name, column, cells[index], plan.measures[name] in fractions))
        read: list[tuple[str, float]] = []
        problem = None
        for name, column, text, fraction in figures:
            try:
                doubt = plan.style_of_campaign and ambiguous_in_file(text, plan.style_of_campaign)
                if doubt:
                    raise ValueError(doubt)
                value = read_number(text, plan.decimal)
            except ValueError as exc:
                problem = Problem(line, column, text.strip(), str(exc))
                break
            if value is None:
                continue
            if fraction and not text.strip().endswith("%") and _is_percent_unit(measures[name]):
                value *= 100
            read.append((name, value))
        if problem is not None:
            tally.add_problem(problem)
            continue
        if not read:
            tally.empty += 1
            continue
        start, day = dates
        for name, value in read:
            total = totals.setdefault((name, start, day), [0.0, 0])
            total[0] += value
            total[1] += 1
    source = f"{plan.format.vendor or 'Import'}: {plan.path.name}"[:200]
    for (name, start, day), (total, count) in sorted(
        totals.items(), key=lambda item: (item[0][2], item[0][0])
    ):
        measure = measures[name]
        adds_up = results_add_up(measure, plan.campaign.currency)
        value = total if adds_up or count == 1 else total / count
        how = "the sum" if adds_up else "the average"
        note = f"{how} of {count} rows" if count > 1 else ""
        try:
            yield Result(
                measure=name, date=day, period_start=start, value=value, source=source, note=note
            )
        except ValidationError as exc:
            tally.add_problem(Problem(0, name, str(value), describe_validation_error(exc)))


# Importing ----------------------------------------------------------------------------------


def run_import(
    store: Store,
    plan: Plan,
    campaign_id: int,
    *,
    force: bool = False,
    skip_unreadable: bool = False,
    on_progress: Progress | None = None,
) -> tuple[ImportRecord, Preview]:
    """Import the planned file into the campaign as one import: all of its readable rows or,
    on any failure, nothing. A file imported before (and not undone) is refused unless
    ``force``; one with rows that hold money but cannot be read (a channel the planner does
    not know, a date that is not one) is refused with ``SkipsMoney`` unless
    ``skip_unreadable``, so that no money is left out without the user saying so."""
    plan.check()
    digest = file_digest(plan.path)
    if not force:  # told before the file is read; asked again under the write lock
        existing = store.find_import(campaign_id, plan.kind, digest)
        if existing is not None:
            raise DuplicateImport(existing)
    tally = Preview(plan.kind, plan.campaign.currency, style_of(plan.campaign))
    record = ImportRecord(
        campaign_id=campaign_id,
        kind=plan.kind,
        file_name=plan.path.name,
        content_hash=digest,
        format=plan.format.key,
    )

    def counted() -> tuple[int, int]:
        # A file with nothing readable is said so, unless mapping a channel would help.
        if tally.money_rows and not skip_unreadable and (tally.entries or tally.unknown_channels):
            raise SkipsMoney(tally)
        if tally.entries == 0:
            noun = "costs" if plan.kind is ImportKind.COSTS else "results"
            raise ImportRefused(
                f"Nothing in '{plan.path.name}' can be imported as {noun} ({tally.summary()}); "
                "nothing was written."
            )
        return tally.rows_read, tally.problem_rows

    expected = plan.sheet.estimated_rows()
    if expected >= PARALLEL_ROWS:
        read = _entries_from_child(plan, tally, on_progress)
    else:
        read = entries(plan, tally, on_progress)
    rows = read if plan.kind is ImportKind.COSTS else map(result_row, read)  # type: ignore[arg-type]
    written = store.import_entries(
        record,
        rows,  # type: ignore[arg-type]
        counted,
        expected=expected,
        refuse_again=None if force else DuplicateImport,
    )
    return written, tally


# A file estimated to hold this many rows is read in a second process while this one writes:
# on two cores the import takes about the time of the writing alone. Below it, starting the
# process would cost more than it saves.
PARALLEL_ROWS = 200_000
_BATCH_ROWS = 20_000
_CHILD = "from planner.imports import read_for_parent; read_for_parent()"


def _entries_from_child(
    plan: Plan, tally: Preview, on_progress: Progress | None
) -> Iterator[CostRow] | Iterator[Result]:
    """``entries(plan, tally, on_progress)``, read by a child process and sent here in
    batches. The child reads the file as this process would (the same file, campaign and
    options make the same plan); its count of what it read becomes ``tally`` at the end. An
    error it meets is raised here; stopping early (a cancel) stops the child. The child is a
    plain ``python`` process talking through its standard input and output, so that nothing
    of this one (a full-screen terminal, threads) is copied into it."""
    # What the child says on its standard error goes to a file, read only if it fails: a pipe
    # that nobody reads while the rows flow could fill and stop it.
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        assert child.stdin is not None and child.stdout is not None
        try:
            try:
                with child.stdin:
                    pickle.dump((plan.path, plan.campaign, plan.options, plan.today), child.stdin)
            except BrokenPipeError:
                pass  # it died at once: what it said is read below
            while True:
                try:
                    message = pickle.load(child.stdout)  # one message a pickle, each on its own
                except (EOFError, pickle.UnpicklingError):  # it ended, maybe half-way through one
                    child.wait()
                    errors.seek(0)
                    lines = errors.read().decode(errors="replace").strip().splitlines()
                    why = lines[-1] if lines else _ended(child.returncode)
                    raise ImportRefused(
                        f"Reading '{plan.path.name}' stopped unexpectedly ({why}); nothing was "
                        "written."
                    ) from None
                if message[0] == "rows":
                    _, batch, done = message
                    yield from batch
                    if on_progress is not None:
                        on_progress(done, plan.sheet.size)
                elif message[0] == "done":
                    for name, value in vars(message[1]).items():
                        setattr(tally, name, value)
                    return
                else:
                    raise message[1]
        finally:
            if child.poll() is None:
                child.kill()
            child.wait()
            child.stdout.close()


def _ended(returncode: int) -> str:
    """How a reading process that said nothing ended, in words."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"the reading process was stopped by {name}"
    return f"the reading process ended with exit status {returncode}"


def read_for_parent() -> None:
    """The child process of ``_entries_from_child``: read the file named on standard input
    and write its entries to standard output in batches, then the tally, or the error that
    stopped the reading."""
    # An interrupt from the terminal reaches both processes: the importing one stops this
    # one, which leaves the decision to it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = sys.stdout.buffer
    path, campaign, options, today = pickle.load(sys.stdin.buffer)

    def send(message: tuple[Any, ...]) -> None:
        pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()

    try:
        plan = plan_import(path, campaign, options)
        plan.today = today
        tally = Preview(plan.kind, campaign.currency, style_of(campaign))
        read = [0]

        def progress(done: int, total: int) -> None:
            read[0] = done

        batch: list[Any] = []
        for entry in entries(plan, tally, progress):
            batch.append(entry)
            if len(batch) >= _BATCH_ROWS:
                send(("rows", batch, read[0]))
                batch = []
        send(("rows", batch, plan.sheet.size))
        send(("done", tally))
    except PlannerError as exc:
        send(("error", exc))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the importing process stopped (cancelled or killed): nothing to tell it
