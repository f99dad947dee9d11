"""Reading a file's rows as results: one per measure and period.

A file holds its figures in one of three ways: a column for each (a Mailchimp or GA4 export, a
spreadsheet), one row per figure named by a measure id (the HCAHPS file, whose id says which
column holds the value), or one row per figure with a column naming the campaign's measure (a
spreadsheet mapped so). The file's rows for the same measure and period (landing pages, ad
campaigns) add up for a measure that counts things, and are averaged for a rate or a score
(``planner.domain.measures.results_add_up``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pydantic import ValidationError

from planner.domain.errors import describe_validation_error
from planner.domain.measures import results_add_up
from planner.domain.models import Measure, Result
from planner.domain.numbers import ambiguous_in_file
from planner.imports.cells import is_missing, read_number
from planner.imports.matching import Plan
from planner.imports.rows import date_reader, field_text
from planner.imports.tabular import normalize
from planner.imports.tally import Preview, Problem

Figure = tuple[str, str, str, bool]  # measure, column, text, written as a fraction
# (measure, first day or None, day) -> [the sum of its figures, how many]
Totals = dict[tuple[str, str | None, str], list[float]]


def results(
    plan: Plan, tally: Preview, rows: Iterator[tuple[int, list[str]]]
) -> Iterator[Result]:
    """The results the rows hold, one per measure and period; rows that cannot be read are
    noted in ``tally``."""
    read_dates = date_reader(plan)
    figures_of = _figure_reader(plan, tally)
    read_figures = _number_reader(plan)
    after = plan.today.isoformat()
    totals: Totals = {}
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
        figures = figures_of(line, cells)
        if figures is None:  # counted already
            continue
        read = read_figures(line, figures)
        if isinstance(read, Problem):
            tally.add_problem(read)
            continue
        if not read:
            tally.empty += 1
            continue
        start, day = dates
        for name, value in read:
            total = totals.setdefault((name, start, day), [0.0, 0])
            total[0] += value
            total[1] += 1
    yield from _results_of(plan, tally, totals)


def _figure_reader(
    plan: Plan, tally: Preview
) -> Callable[[int, list[str]], list[Figure] | None]:
    """Reads the figures of a row, as the file holds them; None when the row has none of the
    mapped figures (counted in ``tally``)."""
    metric_index = plan.sheet.column(plan.format.metric_column or "")
    if metric_index is not None:
        return _figures_by_id(plan, tally, metric_index)
    if plan.long:
        return _figures_by_measure(plan, tally)
    fractions = {m.name for m in plan.format.metrics if m.fraction}
    wide = [
        (name, index, plan.measures[name] in fractions)
        for name, metric in plan.measures.items()
        if (index := plan.sheet.column(metric)) is not None
    ]
    columns = plan.sheet.columns

    def by_column(line: int, cells: list[str]) -> list[Figure]:
        return [(name, columns[index], cells[index], fraction) for name, index, fraction in wide]

    return by_column


def _figures_by_id(
    plan: Plan, tally: Preview, metric_index: int
) -> Callable[[int, list[str]], list[Figure] | None]:
    """HCAHPS: the row's measure id (in the column at ``metric_index``) says which measures
    it is, and which column holds its figure; the first filled one counts."""
    assert plan.format.value_column is not None
    value_column = plan.format.value_column
    by_metric: dict[str, list[str]] = {}
    for name, metric in plan.measures.items():
        by_metric.setdefault(normalize(metric), []).append(name)

    def by_id(line: int, cells: list[str]) -> list[Figure] | None:
        metric = cells[metric_index].strip()
        if normalize(metric) not in by_metric:
            tally.unmapped += 1
            return None
        filled = [
            (c, cells[i])
            for c in value_column(metric)
            if (i := plan.sheet.column(c)) is not None and not is_missing(cells[i])
        ]
        column, text = filled[0] if filled else (value_column(metric)[0], "")
        return [(name, column, text, False) for name in by_metric[normalize(metric)]]

    return by_id


def _figures_by_measure(
    plan: Plan, tally: Preview
) -> Callable[[int, list[str]], list[Figure] | None]:
    """A spreadsheet with one row per figure: its measure column names one of the campaign's
    measures (or the measure is one text for every row)."""
    measures = [m.name for m in plan.campaign.measures]
    by_key = {name.casefold(): name for name in measures}
    value, measure = plan.fields["value"], plan.fields["measure"]

    def by_measure(line: int, cells: list[str]) -> list[Figure] | None:
        named = field_text(cells, measure).strip()
        name = by_key.get(named.casefold())
        if name is not None:
            return [(name, value.name, field_text(cells, value), False)]
        if not named:
            tally.empty += 1
            return None
        known = ", ".join(f"'{m}'" for m in measures)
        tally.add_problem(
            Problem(
                line, measure.name, named, f"not a measure of this campaign (its measures: {known})"
            )
        )
        return None

    return by_measure


def _number_reader(plan: Plan) -> Callable[[int, list[Figure]], list[tuple[str, float]] | Problem]:
    """Reads a row's figures as numbers: (measure, value) for each figure written, or the
    Problem with the first that cannot be read. A rate written as a fraction (0.0118) is
    read as a percentage for a measure in percent."""
    measures = {m.name: m for m in plan.campaign.measures}
    style = plan.style_of_campaign

    def read_figures(line: int, figures: list[Figure]) -> list[tuple[str, float]] | Problem:
        read: list[tuple[str, float]] = []
        for name, column, text, fraction in figures:
            try:
                doubt = style and ambiguous_in_file(text, style)
                if doubt:
                    raise ValueError(doubt)
                value = read_number(text, plan.decimal)
            except ValueError as exc:
                return Problem(line, column, text.strip(), str(exc))
            if value is None:
                continue
            if fraction and not text.strip().endswith("%") and _is_percent_unit(measures[name]):
                value *= 100
            read.append((name, value))
        return read

    return read_figures


def _results_of(plan: Plan, tally: Preview, totals: Totals) -> Iterator[Result]:
    """A result for each measure and period: the sum of its rows' figures, or their average
    for a measure whose results do not add up."""
    measures = {m.name: m for m in plan.campaign.measures}
    source = f"{plan.format.vendor or 'Import'}: {plan.path.name}"[:200]
    for (name, start, day), (total, count) in sorted(
        totals.items(), key=lambda item: (item[0][2], item[0][0])
    ):
        adds_up = results_add_up(measures[name], plan.campaign.currency)
        value = total if adds_up or count == 1 else total / count
        how = "the sum" if adds_up else "the average"
        note = f"{how} of {count} rows" if count > 1 else ""
        try:
            yield Result(
                measure=name, date=day, period_start=start, value=value, source=source, note=note
            )
        except ValidationError as exc:
            tally.add_problem(Problem(0, name, str(value), describe_validation_error(exc)))


def _is_percent_unit(measure: Measure) -> bool:
    unit = measure.unit.casefold()
    return "%" in unit or "percent" in unit or "per cent" in unit
