"""Where a measure stands against its target: its progress from the baseline, the share of the
campaign's days gone by, and the standing (reached, on track, behind...) that follows."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from planner.domain.measures import combined, parts_add_up, results_add_up
from planner.domain.records import Direction, PrimaryMeasure
from planner.store import MeasureFigures
from planner.store.records import parts

if TYPE_CHECKING:
    from planner.domain.models import Measure


class Standing(StrEnum):
    """Where a measure stands against its target."""

    REACHED = "reached"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    IN_PROGRESS = "in_progress"  # moving, but the campaign has no dates to judge the pace by
    NO_RESULTS = "no_results"
    NO_TARGET = "no_target"

    @property
    def label(self) -> str:
        return {
            "reached": "Target reached",
            "on_track": "On track",
            "behind": "Behind",
            "in_progress": "In progress",
            "no_results": "No results yet",
            "no_target": "No target",
        }[self.value]


class MeasureProgress(NamedTuple):
    """Where one measure stands: its latest result against its baseline and target. (A named
    tuple: the home screen works one out for each of thousands of campaigns.)"""

    measure: Measure | PrimaryMeasure  # a plain record in the campaign list
    count: int = 0  # results recorded, before the start included
    latest_date: str | None = None
    latest: float | None = None
    baseline: float | None = None  # the baseline progress is measured from
    baseline_from: str = ""  # "plan", "before the start" or "first result"
    progress_pct: float | None = None
    expected_pct: float | None = None  # share of the campaign's days gone by
    standing: Standing = Standing.NO_RESULTS
    adds_up: bool = False
    total: float = 0.0  # the results since the start added up (for measures that add up)
    trend: tuple[float, ...] = ()  # month by month: the sum, or the average of a level

    @property
    def on_track(self) -> bool | None:
        """True when reached or on track, False when behind, None when it cannot be told."""
        if self.standing in (Standing.REACHED, Standing.ON_TRACK):
            return True
        if self.standing is Standing.BEHIND:
            return False
        return None


def _meets(measure: Measure | PrimaryMeasure, value: float) -> bool:
    assert measure.target is not None
    if measure.direction is Direction.DECREASE:
        return value <= measure.target
    return value >= measure.target


def elapsed_pct(start: dt.date | None, end: dt.date | None, today: dt.date) -> float | None:
    """The share of the campaign's days gone by on ``today`` (0 before it starts, 100 from its
    last day on); None without both dates."""
    if start is None or end is None or end < start:
        return None
    # In day numbers: the home screen asks this of thousands of campaigns.
    first, last = start.toordinal(), end.toordinal()
    gone = min(max(today.toordinal(), first - 1), last) - first + 1
    return gone / (last - first + 1) * 100


def measure_progress(
    measure: Measure | PrimaryMeasure,
    figures: MeasureFigures | None,
    *,
    expected_pct: float | None,
    currency: str = "",
) -> MeasureProgress:
    """Where one measure stands, from its results' figures and the pace of the campaign."""
    adds_up = results_add_up(measure, currency)
    if figures is None or figures.count == 0:
        standing = Standing.NO_TARGET if measure.target is None else Standing.NO_RESULTS
        return MeasureProgress(
            measure,
            baseline=measure.baseline,
            baseline_from="plan" if measure.baseline is not None else "",
            expected_pct=expected_pct,
            standing=standing,
            adds_up=adds_up,
        )
    # a month's results from several sources (variants, activities) add up for a count per
    # period, as its latest figure does
    sums = parts_add_up(measure, currency)
    trend = tuple(
        total if sums else total / entries for _, total, entries in figures.months if entries
    )

    def of_the_day(value: float | None, packed: str | None) -> float | None:
        """The figure of a date with several results (a variant's, an activity's): one."""
        total, count, weighted, trials, with_trials = parts(packed)
        if value is None or count <= 1:
            return value
        return combined(measure, total, count, weighted, trials, with_trials, currency)

    before = of_the_day(figures.before, figures.before_parts)
    first = of_the_day(figures.first, figures.first_parts)
    if measure.baseline is not None:
        baseline, source = measure.baseline, "plan"
    elif before is not None:
        baseline, source = before, "before the start"
    elif first is not None and figures.first_date != figures.latest_date:
        baseline, source = first, "first result"
    else:
        baseline, source = None, ""
    latest = of_the_day(figures.latest, figures.latest_parts)
    progress = None
    target = measure.target
    if latest is not None and baseline is not None and target is not None and target != baseline:
        progress = (latest - baseline) / (target - baseline) * 100
    if measure.target is None:
        standing = Standing.NO_TARGET
    elif latest is None:
        standing = Standing.NO_RESULTS  # only results from before the start so far
    elif _meets(measure, latest):
        standing = Standing.REACHED
    elif progress is None or expected_pct is None:
        standing = Standing.IN_PROGRESS
    elif progress >= expected_pct:
        standing = Standing.ON_TRACK
    else:
        standing = Standing.BEHIND
    return MeasureProgress(
        measure,
        count=figures.count,
        latest_date=figures.latest_date,
        latest=latest,
        baseline=baseline,
        baseline_from=source,
        progress_pct=progress,
        expected_pct=expected_pct,
        standing=standing,
        adds_up=adds_up,
        total=figures.total,
        trend=trend,
    )
