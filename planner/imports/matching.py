"""Recognising a file and matching it to a campaign: the ``Plan`` every later step reads.

``plan_import`` opens the file, recognises its format (``formats/``), and binds each field of a
cost or a result to a column of the file (or to one text for every row), with the filters and
the user's names of channels. It then reads the first rows (``sample.py``) to learn how the file
writes numbers and dates, and matches the campaign's measures to the file's figures
(``measures.py``). What the user must still map is kept as the plan's ``problem``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from planner.domain import clock
from planner.domain.models import Campaign, Channel, ImportKind, ImportOptions
from planner.imports.cells import CurrencyMismatch
from planner.imports.channels import channel_key, read_channel
from planner.imports.formats import (
    BREAKDOWN_FIELDS,
    COST_FIELDS,
    FIXED_FIELDS,
    FORMATS,
    GENERIC,
    RESULT_FIELDS,
    detect,
    is_known_header,
)
from planner.imports.formats.format import Format
from planner.imports.measures import match
from planner.imports.patient_data import ValueCheck, check_header
from planner.imports.refusals import ImportRefused, NeedsMapping, columns_hint
from planner.imports.sample import check_values, first_rows, learn_style
from planner.imports.tabular import Sheet, open_sheet


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

    def kept(self, cells: list[str]) -> bool:
        """Whether a row passes the user's filters (``--where COLUMN=VALUE``, ``VALUE*``)."""
        for index, _, value in self.where:
            cell = cells[index].strip().casefold()
            wanted = value.casefold()
            if wanted.endswith("*"):
                if not cell.startswith(wanted[:-1]):
                    return False
            elif cell != wanted:
                return False
        return True

    def value_check(self) -> ValueCheck:
        """A check of the file's values for identifiers of people, its facility's columns left
        out."""
        exempt = {
            i for name in self.format.facility_columns if (i := self.sheet.column(name)) is not None
        }
        return ValueCheck(list(self.sheet.columns), exempt)


def plan_import(path: str | Path, campaign: Campaign, options: ImportOptions) -> Plan:
    """Open ``path`` and match it to ``campaign`` as ``options`` say; raises a
    ``PlannerError`` with a sentence when the file cannot be imported at all."""
    path = Path(path).expanduser()
    sheet = open_sheet(path, is_known_header)
    detected = detect(list(sheet.header))
    fmt = (detected or GENERIC) if options.format == "auto" else FORMATS[options.format]
    kind = ImportKind(options.kind)
    _check_file(sheet, fmt, kind, campaign)
    given, mapped_measures = _given_fields(options, kind, campaign)
    fields = _bind_fields(path, sheet, fmt, kind, given, campaign)
    where = _filters(path, sheet, options)
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
    sample = list(first_rows(plan))
    check_values(plan, sample)
    learn_style(plan, sample)
    try:
        match(plan, sample, mapped_measures)
    except NeedsMapping as exc:
        plan.problem = str(exc)
    return plan


def _check_file(sheet: Sheet, fmt: Format, kind: ImportKind, campaign: Campaign) -> None:
    """Refuse a file about patients, figures imported as costs, and costs in another
    currency than the campaign's."""
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


def _given_fields(
    options: ImportOptions, kind: ImportKind, campaign: Campaign
) -> tuple[dict[str, str], dict[str, str]]:
    """The user's mapping, checked: field -> column (or fixed text), and measure -> column of
    figures (or the figure's id)."""
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
    return given, mapped_measures


def _bind_fields(
    path: Path,
    sheet: Sheet,
    fmt: Format,
    kind: ImportKind,
    given: dict[str, str],
    campaign: Campaign,
) -> dict[str, Binding]:
    """Where each field comes from: the column (or text) the user gave, else the format's
    usual column for it, if the file has one."""
    allowed = COST_FIELDS if kind is ImportKind.COSTS else RESULT_FIELDS
    fields: dict[str, Binding] = {}
    for name in allowed:
        if name in given:
            binding = _given_binding(path, sheet, name, given[name], campaign)
        elif kind is ImportKind.RESULTS and name in BREAKDOWN_FIELDS:
            continue
        else:
            binding = _usual_binding(sheet, fmt, name)
        if binding is not None:
            fields[name] = binding
    if kind is ImportKind.RESULTS and "value" not in fields:
        # "measure" and "value" go together: a file with one row per figure.
        fields.pop("measure", None)
    if kind is ImportKind.RESULTS and "value" in fields and "measure" not in fields:
        raise ImportRefused(
            "The values need a measure: choose the column that names each row's measure "
            "(--map measure=COLUMN), or the one measure they all report (--map "
            "'measure=Email open rate')."
        )
    return fields


def _given_binding(
    path: Path, sheet: Sheet, name: str, value: str, campaign: Campaign
) -> Binding | None:
    """The field the user mapped: to a column, to one text for every row, or (empty) to
    nothing."""
    if not value:
        return None
    index = sheet.column(value)
    if index is not None:
        return Binding(index, sheet.columns[index])
    if name in FIXED_FIELDS:
        return Binding(None, _fixed(name, value, campaign))
    raise ImportRefused(
        f"There is no column '{value}' in '{path.name}' to read the {name} from; "
        f"its columns are: {columns_hint(sheet)}."
    )


def _usual_binding(sheet: Sheet, fmt: Format, name: str) -> Binding | None:
    """The first of the format's usual columns for a field that the file has."""
    candidates = fmt.defaults.get(name, ())
    if name == "amount" and fmt.currency_in_header:
        candidates = (fmt.amount_column(sheet) or "",)
    for candidate in candidates:
        index = sheet.column(candidate) if candidate else None
        if index is not None:
            return Binding(index, sheet.columns[index])
    return None


def _filters(path: Path, sheet: Sheet, options: ImportOptions) -> list[tuple[int, str, str]]:
    """The user's filters of rows: (column, its name, the value to keep)."""
    where: list[tuple[int, str, str]] = []
    for column, value in options.where.items():
        index = sheet.column(column)
        if index is None:
            raise ImportRefused(
                f"There is no column '{column}' in '{path.name}' to filter the rows by; its "
                f"columns are: {columns_hint(sheet)}."
            )
        where.append((index, sheet.columns[index], value.strip()))
    return where


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
    if name in _NAMED:
        list_field, noun, kinds = _NAMED[name]
        items = getattr(campaign, list_field)
        for item in items:
            if item.name.casefold() == value.casefold():
                return item.name
        known = ", ".join(f"'{item.name}'" for item in items) or "none yet"
        raise ImportRefused(
            f"There is neither a column nor {'an' if noun[0] in 'aeiou' else 'a'} {noun} "
            f"called '{value}'; the {kinds} are: {known}."
        )
    return value


# The fields naming an item of the plan: the campaign's list of them, their noun and plural.
_NAMED = {
    "activity": ("activities", "activity", "activities"),
    "measure": ("measures", "measure", "measures"),
    "variant": ("messages", "message variant", "message variants"),
    "segment": ("segments", "segment", "segments"),
    "influencer": ("influencers", "influencer", "influencers"),
}
