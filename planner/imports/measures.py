"""Matching a file to what the campaign needs: the dates and amounts of costs, and which of
the file's figures each of the campaign's measures reports.

A measure is matched as the user mapped it, else to the one figure it obviously is (named like
it, ``Sessions``, or saying one of its phrases, ``open rate``). What is left for the user to
map raises ``NeedsMapping`` with the question to ask.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from planner.domain.models import Campaign, ImportKind
from planner.imports.formats.format import Metric
from planner.imports.formats.hcahps import HCAHPS
from planner.imports.refusals import ImportRefused, NeedsMapping, columns_hint
from planner.imports.sample import SAMPLE_ROWS, Rows
from planner.imports.tabular import normalize

if TYPE_CHECKING:
    from planner.imports.matching import Plan


def match(plan: Plan, sample: Rows, mapped_measures: dict[str, str]) -> None:
    """Check the fields a cost needs, or match the campaign's measures to the file's figures."""
    _check_dates(plan)
    if plan.kind is ImportKind.COSTS:
        if "amount" not in plan.fields:
            raise NeedsMapping(
                f"Which column of '{plan.path.name}' holds the amounts? Map 'amount' to one of "
                f"its columns: {columns_hint(plan.sheet)}."
            )
        return
    if plan.long and plan.format.metric_column is None:
        return  # names of the campaign's measures, row by row
    present, metrics = _figures(plan, sample)
    _map_given(plan, mapped_measures)
    _map_obvious(plan, metrics, present, mapped_measures)
    if not plan.measures:
        _ask_for_measures(plan)
    campaign = plan.campaign
    plan.measures = {
        m.name: plan.measures[m.name] for m in campaign.measures if m.name in plan.measures
    }
    unseen = [
        f"'{metric}'"
        for metric in plan.measures.values()
        if plan.long and normalize(metric) not in present
    ]
    if unseen and plan.sheet.size > 0:
        plan.notices.append(
            f"The first {SAMPLE_ROWS:,} rows have no figures for {', '.join(unseen)}; check the "
            "mapping if none are found."
        )


def _check_dates(plan: Plan) -> None:
    """Refuse, or ask for the column of dates, when the rows would have none."""
    fields, path, sheet = plan.fields, plan.path, plan.sheet
    if "date" in fields or "start" in fields or plan.period is not None:
        return
    if plan.format.key == "google-ads":
        covers = sheet.preamble[1] if len(sheet.preamble) > 1 else "All time"
        raise ImportRefused(
            f"'{path.name}' covers '{covers}' and has no Day column, so its rows have no "
            "dates; download the report again for a date range, or segmented by day."
        )
    raise NeedsMapping(
        f"Which column of '{path.name}' holds the dates? Map 'date' to one of its "
        f"columns: {columns_hint(sheet)}."
    )


def _figures(plan: Plan, sample: Rows) -> tuple[set[str], list[Metric]]:
    """The figures the file holds (normalized: those its first rows name, in a file with one
    row per figure; else its columns), and the metrics a measure can be matched to."""
    fmt, sheet = plan.format, plan.sheet
    if plan.long:
        present = _long_metrics(plan, sample)
        metrics = list(fmt.metrics) + [Metric(m) for m in present]
        _one_facility(plan, sample)
    else:
        present = list(sheet.columns)
        metrics = list(fmt.metrics) + [Metric(name) for name in sheet.columns]
    return {normalize(p) for p in present}, metrics


def _map_given(plan: Plan, mapped_measures: dict[str, str]) -> None:
    """The measures the user mapped, each to a column of the file (or a figure's id)."""
    sheet = plan.sheet
    for measure_name, metric in mapped_measures.items():
        if not metric:
            continue
        if not plan.long and sheet.column(metric) is None:
            raise ImportRefused(
                f"There is no column '{metric}' in '{plan.path.name}' for '{measure_name}'; its "
                f"columns are: {columns_hint(sheet)}."
            )
        plan.measures[measure_name] = (
            sheet.columns[sheet.column(metric)] if not plan.long else metric
        )


def _map_obvious(
    plan: Plan, metrics: list[Metric], present: set[str], mapped_measures: dict[str, str]
) -> None:
    """The measures the user left unmapped, each to the figure it obviously is, if any."""
    campaign = plan.campaign
    unmapped = [m for m in campaign.measures if m.name not in mapped_measures]
    auto = _obvious_measures(campaign.model_copy(update={"measures": unmapped}), metrics, present)
    for measure_name, metric in auto.items():
        if metric not in plan.measures.values():
            plan.measures[measure_name] = metric


def _ask_for_measures(plan: Plan) -> None:
    """No measure is matched: ask the user to map them, or to add them first."""
    names = ", ".join(f"'{m.name}'" for m in plan.campaign.measures)
    if not names:
        raise ImportRefused(
            "This campaign has no measures yet; add the measures the file reports in the "
            "Measures step, then import it."
        )
    choices = ", ".join(f"'{c}'" for c in plan.metric_choices()[:20])
    raise NeedsMapping(
        f"Which of the campaign's measures do the figures in '{plan.path.name}' report? Map "
        f"each measure ({names}) to a column of figures ({choices})."
    )


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
