"""Reading a file's rows as results: one per measure and period.

A file holds its figures in one of three ways: a column for each (a Mailchimp or GA4 export, a
spreadsheet), one row per figure named by a measure id (the HCAHPS file, whose id says which
column holds the value), or one row per figure with a column naming the campaign's measure (a
spreadsheet mapped so). The file's rows for the same measure and period (landing pages, ad
campaigns) add up for a measure that counts things, and are averaged for a rate or a score
(``planner.domain.measures.combined``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pydantic import ValidationError

from planner.domain.errors import describe_validation_error
from planner.domain.measures import combined, parts_add_up
from planner.domain.models import Measure, Result
from planner.domain.numbers import ambiguous_in_file, format_rounded, style_of
from planner.domain.rates import beyond_whole, share_out_of_range
from planner.imports.cells import is_missing, read_number
from planner.imports.channels import read_channel
from planner.imports.matching import Plan
from planner.imports.rows import date_reader, field_text, memo
from planner.imports.tabular import normalize
from planner.imports.tally import Preview, Problem
from planner.plan.links import content_tags

Figure = tuple[str, str, str, bool]  # measure, column, text, written as a fraction
# What a row's figures belong to: the names of its variant, activity, segment and influencer,
# and its channel's value (each None when not given).
Breakdown = tuple[str | None, str | None, str | None, str | None, str | None]
_NONE: Breakdown = (None, None, None, None, None)
_BREAKDOWN = ("variant", "activity", "segment", "influencer", "channel")
OTHER_TAG = object()  # a row of another campaign's tracking link, or of no link at all
# (measure, first day or None, day, breakdown) -> [the sum of its figures, how many, the sum
# of what they are out of, how many said it, the sum of each figure times what it is out of]
Totals = dict[tuple[str, str | None, str, Breakdown], list[float]]


def results(plan: Plan, tally: Preview, rows: Iterator[tuple[int, list[str]]]) -> Iterator[Result]:
    """The results the rows hold, one per measure and period; rows that cannot be read are
    noted in ``tally``."""
    read_dates = date_reader(plan)
    figures_of = _figure_reader(plan, tally)
    read_figures = _number_reader(plan)
    read_whole = _whole_reader(plan)
    belongs = _breakdown_reader(plan)
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
        of = read_whole(line, cells)
        if isinstance(of, Problem):
            tally.add_problem(of)
            continue
        breakdown = belongs(cells)
        if breakdown is OTHER_TAG:
            tally.other_tags += 1
            continue
        if isinstance(breakdown, Problem):
            tally.add_problem(Problem(line, breakdown.column, breakdown.value, breakdown.reason))
            continue
        start, day = dates
        for name, value in read:
            total = totals.setdefault((name, start, day, breakdown), [0.0, 0, 0.0, 0, 0.0, line])
            total[0] += value
            total[1] += 1
            if of is not None:
                total[2] += of
                total[3] += 1
                total[4] += value * of
    yield from _results_of(plan, tally, totals)


def _whole_reader(plan: Plan) -> Callable[[int, list[str]], float | Problem | None]:
    """What a row's figures are out of (the ``of`` field), None when not mapped or blank."""
    binding = plan.fields.get("of")
    if binding is None:
        return lambda line, cells: None
    style = plan.style_of_campaign

    def whole(line: int, cells: list[str]) -> float | Problem | None:
        text = field_text(cells, binding)
        try:
            value = _figure(text, style, plan.decimal)
        except ValueError as exc:
            return Problem(line, binding.name, text.strip(), str(exc))
        if value is not None and value <= 0:
            return Problem(line, binding.name, text.strip(), "what a figure is out of is above 0")
        return value

    return whole


def _breakdown_reader(plan: Plan) -> Callable[[list[str]], Breakdown | Problem | object]:
    """What a row's figures belong to, as the mapped columns (or texts) name it: each name
    one of the campaign's items (in any case), the channel one of the planner's; a Problem
    (line 0) with the first that is not. A row's link tag (``content``, when no activity is
    mapped) names the activity whose tracking link carries it; a tag of none of them is
    ``OTHER_TAG`` (another campaign's link, or a visit with no tag)."""
    bindings = [plan.fields.get(n) for n in ("variant", "activity", "segment", "influencer")]
    channel_b = plan.fields.get("channel")
    content_b = plan.fields.get("content") if bindings[1] is None else None
    if all(b is None for b in (*bindings, channel_b, content_b)):
        return lambda cells: _NONE
    campaign = plan.campaign
    lists = (campaign.messages, campaign.activities, campaign.segments, campaign.influencers)
    nouns = ("message variant", "activity", "segment", "influencer")
    known = [{item.name.casefold(): item.name for item in items} for items in lists]
    tags = content_tags(campaign)

    def read(*texts: str) -> Breakdown | Problem | object:
        if content_b is not None:
            tagged = tags.get(texts[5].strip().lower())
            if tagged is None:
                return OTHER_TAG
            texts = (texts[0], tagged, *texts[2:])
        names: list[str | None] = []
        for text, binding, by_key, noun, items in zip(
            texts[:4], bindings, known, nouns, lists, strict=True
        ):
            key = text.strip().casefold()
            if not key:
                names.append(None)
            elif key in by_key:
                names.append(by_key[key])
            else:
                assert binding is not None
                listed = ", ".join(f"'{i.name}'" for i in items[:12]) or "none yet"
                article = "an" if noun[0] in "aeiou" else "a"
                return Problem(
                    0,
                    binding.name,
                    text.strip(),
                    f"not {article} {noun} of this campaign ({listed})",
                )
        try:
            channel = read_channel(texts[4])
        except ValueError as exc:
            assert channel_b is not None
            return Problem(0, channel_b.name, texts[4].strip(), str(exc))
        return (*names, channel.value if channel else None)  # type: ignore[return-value]

    return memo([*bindings, channel_b, content_b], read)


def _figure_reader(plan: Plan, tally: Preview) -> Callable[[int, list[str]], list[Figure] | None]:
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


def _figure(text: str, style: str | None, decimal: str) -> float | None:
    """A number of the file (None when blank); a ValueError says why it cannot be read, or
    why it is ambiguous in the campaign's number ``style``."""
    doubt = style and ambiguous_in_file(text, style)
    if doubt:
        raise ValueError(doubt)
    return read_number(text, decimal)


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
                value = _figure(text, style, plan.decimal)
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
    style = plan.style_of_campaign or style_of(plan.campaign)

    def show(number: float) -> str:
        return format_rounded(number, style)

    for (name, start, day, breakdown), (total, count, whole, wholes, weighted, line) in sorted(
        totals.items(), key=lambda item: (item[0][2], item[0][0], _order(item[0][3]))
    ):
        measure = measures[name]
        of = whole if wholes == count else None
        # the rows of one period add up, or make a rate weighted by what each is out of, or
        # are averaged
        value = combined(measure, total, count, weighted, whole, wholes, plan.campaign.currency)
        adds_up = parts_add_up(measure, plan.campaign.currency)
        how = "the sum" if adds_up else "the average"
        note = f"{how} of {count} rows" if count > 1 else ""
        unit = measures[name].unit
        what = f"{name} of {day}"
        problem = beyond_whole(value, of, unit, what, show) or share_out_of_range(
            value, unit, what, show
        )
        if problem:  # (told at the first line of the rows that make the result)
            tally.add_problem(Problem(int(line), name, f"{value:g}", problem))
            continue
        try:
            yield Result(
                measure=name,
                date=day,
                period_start=start,
                value=value,
                source=source,
                note=note,
                of=of,
                **dict(zip(_BREAKDOWN, breakdown, strict=True)),
            )
        except ValidationError as exc:
            tally.add_problem(Problem(int(line), name, str(value), describe_validation_error(exc)))


def _order(breakdown: Breakdown) -> tuple[str, ...]:
    return tuple(name or "" for name in breakdown)


def _is_percent_unit(measure: Measure) -> bool:
    unit = measure.unit.casefold()
    return "%" in unit or "percent" in unit or "per cent" in unit
