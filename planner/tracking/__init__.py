"""What a campaign has spent and achieved against its plan: the figures of the tracking screen,
the report, the portfolio and the brief, worked out here once.

The store adds up the costs and results in SQL (``TrackingData``); this module turns those sums
and the plan into figures. The formulas are written out in the README ("Tracking: the
formulas"); in short:

- spent is the sum of every recorded cost, each counted once; the budget is the sum of the
  budget lines; variance = spent - budget, and remaining = budget - spent;
- burn rate = spent / days from the start (the campaign's, else the first cost's) to today or
  the end, whichever comes first; projected spend = spent + burn rate x days left to the end;
- progress = (latest - baseline) / (target - baseline) x 100, which is right for measures that
  should go down as well as up; the baseline is the plan's, else the last result before the
  start, else the first result; a measure is on track when its progress is at least the share
  of the campaign's days gone by (or it has reached its target);
- cost per result = spent / the results of a measure that counts things (appointments,
  referrals, clicks, leads) recorded since the start; ROI = (revenue - spent) / spent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

from planner.domain.measures import is_revenue, results_add_up
from planner.domain.money import exponent
from planner.domain.records import (
    CampaignSummary,
    Channel,
    Direction,
    PrimaryMeasure,
)
from planner.domain.styles import format_money, style_of
from planner.domain.words import plural
from planner.store import MeasureFigures, PortfolioRow, TrackingData, Uncounted

if TYPE_CHECKING:  # the models load when a campaign is opened, not for the campaign list
    from planner.domain.models import Campaign, Cost, Entry, Measure, Result

ENDING_SOON_DAYS = 14


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


# ---------------------------------------------------------------------------------------------
# Dates after today
#
# One rule for every face (the tracking screen's forms, the command line, imports): a result
# is recorded once it has happened, so one dated after today is refused; a cost dated after
# today may be a cost committed but not yet paid, so the screen asks and the command line
# takes it with --future. Either way, nothing dated after today counts in the figures until
# its day comes (``Store.tracking_data`` leaves it out and counts it apart).


def starts_after(entry: Entry, today: dt.date) -> bool:
    """True when the cost or result is dated after ``today``: its day, or the first day of
    the period it covers, is still to come. (A month under way is not after today.)"""
    return (entry.period_start or entry.date) > today


def refuse_future_result(result: Result, today: dt.date) -> str | None:
    """The sentence refusing a result dated after today, or None when its day has come."""
    if not starts_after(result, today):
        return None
    return (
        f"This result is dated {result.period}, after today ({today.isoformat()}); a result "
        "is recorded once it has happened. Correct the date, or record it when the day comes."
    )


def ask_future_cost(cost: Cost, today: dt.date) -> str | None:
    """The question to ask before saving a cost dated after today, or None."""
    if not starts_after(cost, today):
        return None
    return (
        f"This cost is dated {cost.period}, after today ({today.isoformat()}). Save it anyway, "
        "as a cost committed but not yet paid? It counts in the figures from "
        f"{(cost.period_start or cost.date).isoformat()} on."
    )


def refuse_future_cost(cost: Cost, today: dt.date, option: str = "--future") -> str | None:
    """The sentence refusing a cost dated after today at the command line, or None."""
    if not starts_after(cost, today):
        return None
    return (
        f"The cost is dated {cost.period}, after today ({today.isoformat()}); record it once "
        f"it is paid, or add {option} to record it now as a cost committed but not yet paid "
        f"(it counts in the figures from {(cost.period_start or cost.date).isoformat()} on)."
    )


def uncounted_sentence(uncounted: Uncounted, currency: str, style: str | None = None) -> str:
    """What is stored but dated after today, and so left out of the figures: '' if nothing.
    Money is written in the campaign's number ``style``."""
    if not uncounted:
        return ""
    parts = []
    if uncounted.costs:
        money = format_money(uncounted.cost_minor, currency, style, code=True)
        parts.append(f"{plural(uncounted.costs, 'cost')} ({money})")
    if uncounted.results:
        parts.append(plural(uncounted.results, "result"))
    first = f", the first on {uncounted.first_date}" if uncounted.first_date else ""
    one = uncounted.costs + uncounted.results == 1
    they = "it counts from its" if one else "they count from their"
    return (
        f"Not counted yet: {' and '.join(parts)} dated after today{first}; {they} date on "
        "(correct the date if it is wrong)."
    )

# ---------------------------------------------------------------------------------------------
# Money


@dataclass(frozen=True)
class MoneyRow:
    """Money for one channel or activity: budgeted, planned in activities, spent."""

    label: str
    budget_minor: int = 0
    planned_minor: int = 0
    spent_minor: int = 0
    channel: Channel | None = None
    months: tuple[int, ...] = ()  # spending month by month, for a sparkline

    @property
    def variance_minor(self) -> int:
        """Spent minus budget: above zero is over budget."""
        return self.spent_minor - self.budget_minor

    @property
    def remaining_minor(self) -> int:
        return self.budget_minor - self.spent_minor

    @property
    def spent_pct(self) -> float | None:
        return pct_of(self.spent_minor, self.budget_minor)


def pct_of(part: float, whole: float) -> float | None:
    return part / whole * 100 if whole else None


def _activity_channels(campaign: Campaign) -> dict[str, Channel]:
    return {a.name: a.channel for a in campaign.activities}


def budget_by_channel(campaign: Campaign) -> list[MoneyRow]:
    """Budget lines and planned activity costs per channel; a line linked to an activity
    counts under the activity's channel when it names none itself."""
    of_activity = _activity_channels(campaign)
    budget: dict[Channel | None, int] = {}
    planned: dict[Channel | None, int] = {}
    for line in campaign.budget:
        ch = line.channel or of_activity.get(line.activity or "")
        budget[ch] = budget.get(ch, 0) + line.amount_minor
    for a in campaign.activities:
        planned[a.channel] = planned.get(a.channel, 0) + a.planned_cost_minor
    channels: list[Channel | None] = [ch for ch in Channel if ch in budget or ch in planned]
    if None in budget:
        channels.append(None)
    return [
        MoneyRow(
            ch.label if ch else "No channel",
            budget_minor=budget.get(ch, 0),
            planned_minor=planned.get(ch, 0),
            channel=ch,
        )
        for ch in channels
    ]


def budget_by_activity(campaign: Campaign) -> list[MoneyRow]:
    """Each activity's planned cost and the budget lines set aside for it."""
    budget: dict[str | None, int] = {}
    for line in campaign.budget:
        budget[line.activity] = budget.get(line.activity, 0) + line.amount_minor
    rows = [
        MoneyRow(
            a.name,
            budget_minor=budget.get(a.name, 0),
            planned_minor=a.planned_cost_minor,
            channel=a.channel,
        )
        for a in campaign.activities
    ]
    if None in budget:
        rows.append(MoneyRow(NOT_AN_ACTIVITY, budget_minor=budget[None]))
    return rows


NOT_AN_ACTIVITY = "Not tied to an activity"


# ---------------------------------------------------------------------------------------------
# Measures


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
    trend = tuple(
        total if adds_up else total / entries for _, total, entries in figures.months if entries
    )
    if measure.baseline is not None:
        baseline, source = measure.baseline, "plan"
    elif figures.before is not None:
        baseline, source = figures.before, "before the start"
    elif figures.first is not None and figures.first_date != figures.latest_date:
        baseline, source = figures.first, "first result"
    else:
        baseline, source = None, ""
    latest = figures.latest
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


# ---------------------------------------------------------------------------------------------
# The report


@dataclass(frozen=True)
class CostPerResult:
    """What each result of a measure that adds up has cost so far."""

    measure: str
    unit: str
    results: float  # the measure's results since the start, added up
    cost_minor: int
    per_result_minor: int | None  # None until there is a result


@dataclass(frozen=True)
class Revenue:
    """A revenue measure's takings against what the campaign has spent."""

    measure: str
    revenue_minor: int
    cost_minor: int

    @property
    def roi(self) -> float | None:
        """(revenue - cost) / cost; None while nothing has been spent."""
        if not self.cost_minor:
            return None
        return (self.revenue_minor - self.cost_minor) / self.cost_minor


@dataclass(frozen=True)
class TrackingReport:
    """What one campaign has cost and achieved by ``as_of``: the tracking view and report."""

    campaign: Campaign
    as_of: dt.date
    spent_minor: int
    budget_minor: int
    planned_minor: int
    cost_count: int
    first_date: str | None
    last_date: str | None
    by_channel: list[MoneyRow]
    by_activity: list[MoneyRow]
    measures: list[MeasureProgress]
    cumulative: list[tuple[dt.date, int]]  # spending to date, day by day
    days_elapsed: int | None
    burn_per_day_minor: float | None
    projected_minor: int | None
    elapsed_pct: float | None
    cost_per_result: list[CostPerResult]
    revenue: Revenue | None
    result_count: int = 0
    flags: list[str] = field(default_factory=list)
    uncounted: Uncounted = field(default_factory=Uncounted)  # dated after today, left out

    @property
    def unbudgeted(self) -> list[MoneyRow]:
        """The channels money was spent on that have no budget line, while the campaign has
        a budget (without one, "spending without a budget" says it all)."""
        if not self.budget_minor:
            return []
        return [
            row
            for row in self.by_channel
            if row.channel is not None and row.spent_minor and not row.budget_minor
        ]

    @property
    def uncounted_text(self) -> str:
        """The sentence about what is dated after today ('' when nothing is)."""
        return uncounted_sentence(self.uncounted, self.currency, style_of(self.campaign))

    def unbudgeted_sentences(self) -> list[str]:
        """'Print and direct mail: EUR 420,00 spent, no budget line', one per channel, in the
        campaign's number style."""
        style = style_of(self.campaign)
        return [
            f"{row.label}: {format_money(row.spent_minor, self.currency, style, code=True)} "
            "spent, no budget line"
            for row in self.unbudgeted
        ]

    @property
    def currency(self) -> str:
        return self.campaign.currency

    @property
    def remaining_minor(self) -> int:
        return self.budget_minor - self.spent_minor

    @property
    def variance_minor(self) -> int:
        return self.spent_minor - self.budget_minor

    @property
    def spent_pct(self) -> float | None:
        return pct_of(self.spent_minor, self.budget_minor)

    @property
    def variance_pct(self) -> float | None:
        return pct_of(self.variance_minor, self.budget_minor)

    @property
    def roi(self) -> float | None:
        return self.revenue.roi if self.revenue else None

    @property
    def over_budget(self) -> bool:
        return self.spent_minor > self.budget_minor

    @property
    def empty(self) -> bool:
        return not self.cost_count and not self.result_count

    @property
    def primary(self) -> MeasureProgress | None:
        chosen = self.campaign.primary_measure
        return next((p for p in self.measures if chosen and p.measure.name == chosen.name), None)


def pace(
    spent_minor: int, start: dt.date | None, end: dt.date | None, today: dt.date
) -> tuple[int | None, float | None, int | None]:
    """Days gone by, the burn rate (minor units a day) and the projected spend at the end.

    The days run from ``start`` to today or the end date, whichever comes first; before the
    start there is no pace yet. Without an end date there is no projection, and from the end
    date on the projection is what was spent.
    """
    if start is None or today < start:
        return None, None, None
    first, now = start.toordinal(), today.toordinal()
    last = end.toordinal() if end is not None and end >= start else None
    days = (min(now, last) if last is not None else now) - first + 1
    burn = spent_minor / days
    projected = spent_minor + round(burn * max(0, last - now)) if last is not None else None
    return days, burn, projected


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    found = []
    while f"{year:04d}-{month:02d}" <= last[:7]:
        found.append(f"{year:04d}-{month:02d}")
        year, month = year + month // 12, month % 12 + 1
    return found


def report(campaign: Campaign, data: TrackingData, today: dt.date) -> TrackingReport:
    """Every tracking figure of a campaign on ``today``."""
    currency = campaign.currency
    spent = sum(t.amount_minor for t in data.spend)

    # By channel: the budget lines' channels, and the channels money went to.
    months = _months(data.first_date, data.last_date) if data.first_date and data.last_date else []
    by_month: dict[Channel | None, dict[str, int]] = {}
    for day in data.days:
        ch = Channel(day.channel) if day.channel else None
        per = by_month.setdefault(ch, {})
        per[day.date[:7]] = per.get(day.date[:7], 0) + day.amount_minor
    spent_by_channel: dict[Channel | None, int] = {}
    for t in data.spend:
        ch = Channel(t.channel) if t.channel else None
        spent_by_channel[ch] = spent_by_channel.get(ch, 0) + t.amount_minor
    planned = {row.channel: row for row in budget_by_channel(campaign)}
    channels: list[Channel | None] = [
        ch for ch in Channel if ch in spent_by_channel or ch in planned
    ]
    if None in spent_by_channel or None in planned:
        channels.append(None)
    by_channel = [
        MoneyRow(
            ch.label if ch else "No channel",
            budget_minor=planned[ch].budget_minor if ch in planned else 0,
            planned_minor=planned[ch].planned_minor if ch in planned else 0,
            spent_minor=spent_by_channel.get(ch, 0),
            channel=ch,
            months=tuple(by_month.get(ch, {}).get(m, 0) for m in months),
        )
        for ch in channels
        if spent_by_channel.get(ch)
        or (ch in planned and (planned[ch].budget_minor or planned[ch].planned_minor))
    ]

    # By activity: planned cost and budget lines against what was spent on each.
    spent_by_activity: dict[str | None, int] = {}
    for t in data.spend:
        spent_by_activity[t.activity] = spent_by_activity.get(t.activity, 0) + t.amount_minor
    names: list[str | None] = [a.name for a in campaign.activities]
    by_activity = [
        replace(row, spent_minor=spent_by_activity.get(names[n] if n < len(names) else None, 0))
        for n, row in enumerate(budget_by_activity(campaign))
    ]
    if None in spent_by_activity and len(by_activity) == len(names):
        by_activity.append(MoneyRow(NOT_AN_ACTIVITY, spent_minor=spent_by_activity[None]))

    # Pace: burn rate and the projection to the end date.
    cumulative: list[tuple[dt.date, int]] = []
    running = 0
    for day in data.days:
        running += day.amount_minor
        when = dt.date.fromisoformat(day.date)
        if cumulative and cumulative[-1][0] == when:
            cumulative[-1] = (when, running)
        else:
            cumulative.append((when, running))
    first_cost = dt.date.fromisoformat(data.first_date) if data.first_date else None
    days_elapsed, burn, projected = pace(
        spent, campaign.start_date or first_cost, campaign.end_date, today
    )

    expected = elapsed_pct(campaign.start_date, campaign.end_date, today)
    figures = {f.measure: f for f in data.measures}
    measures = [
        measure_progress(m, figures.get(m.name), expected_pct=expected, currency=currency)
        for m in campaign.measures
    ]

    cost_per_result = [
        CostPerResult(
            p.measure.name,
            p.measure.unit,
            p.total,
            spent,
            round(spent / p.total) if p.total > 0 else None,
        )
        for p in measures
        if p.adds_up and not is_revenue(p.measure, currency)
    ]
    revenue = next(
        (
            Revenue(p.measure.name, round(p.total * 10 ** exponent(currency)), spent)
            for p in measures
            if is_revenue(p.measure, currency) and p.latest is not None
        ),
        None,
    )

    result = TrackingReport(
        campaign=campaign,
        as_of=today,
        spent_minor=spent,
        budget_minor=campaign.total_budget_minor,
        planned_minor=campaign.planned_cost_minor,
        cost_count=sum(t.entries for t in data.spend),
        first_date=data.first_date,
        last_date=data.last_date,
        by_channel=by_channel,
        by_activity=by_activity,
        measures=measures,
        cumulative=cumulative,
        days_elapsed=days_elapsed,
        burn_per_day_minor=burn,
        projected_minor=projected,
        elapsed_pct=expected,
        cost_per_result=cost_per_result,
        revenue=revenue,
        result_count=sum(f.count for f in data.measures),
        uncounted=data.uncounted,
    )
    result.flags.extend(flags(result, today))
    return result


def flags(r: TrackingReport, today: dt.date) -> list[str]:
    """Short warnings for the report."""
    primary = r.primary
    found = warnings(
        spent_minor=r.spent_minor,
        budget_minor=r.budget_minor,
        projected_minor=r.projected_minor,
        standing=primary.standing if primary else None,
        end=r.campaign.end_date,
        completed=r.campaign.status.value == "completed",
        today=today,
    )
    if r.unbudgeted:
        found.append("spending on a channel with no budget line")
    if r.uncounted:
        found.append("entries dated after today not counted")
    return found


def warnings(
    *,
    spent_minor: int,
    budget_minor: int,
    projected_minor: int | None,
    standing: Standing | None,
    end: dt.date | None,
    completed: bool,
    today: dt.date,
) -> list[str]:
    """Over budget (or heading there), behind target, ending within two weeks."""
    found = []
    if spent_minor > budget_minor:
        found.append("over budget" if budget_minor else "spending without a budget")
    elif projected_minor is not None and projected_minor > budget_minor:
        found.append("projected over budget")
    if standing is Standing.BEHIND:
        found.append("behind target")
    if (
        end is not None
        and not completed
        and today <= end <= today + dt.timedelta(days=ENDING_SOON_DAYS)
    ):
        found.append("ending soon")
    return found


# ---------------------------------------------------------------------------------------------
# The portfolio


class PortfolioLine(NamedTuple):
    """One campaign in the list: its spending, its primary measure's progress, warnings."""

    summary: CampaignSummary
    spent_minor: int
    primary: MeasureProgress | None
    flags: list[str]

    @property
    def spent_pct(self) -> float | None:
        return pct_of(self.spent_minor, self.summary.budget_minor)


def portfolio(rows: list[PortfolioRow], today: dt.date) -> list[PortfolioLine]:
    """Every campaign with its spending, its primary measure's progress and its warnings."""
    lines = []
    for row in rows:
        s = row.campaign
        expected = elapsed_pct(s.start_date, s.end_date, today)
        primary = (
            measure_progress(row.primary, row.figures, expected_pct=expected, currency=s.currency)
            if row.primary is not None
            else None
        )
        _, _, projected = pace(row.spent_minor, s.start_date, s.end_date, today)
        found = warnings(
            spent_minor=row.spent_minor,
            budget_minor=s.budget_minor,
            projected_minor=projected,
            standing=primary.standing if primary else None,
            end=s.end_date,
            completed=s.status.value == "completed" or s.archived,
            today=today,
        )
        lines.append(PortfolioLine(s, row.spent_minor, primary, found))
    return lines


# ---------------------------------------------------------------------------------------------
# Words and JSON


def entry_json(entry: Cost | Result, currency: str) -> dict[str, Any]:
    """A cost or a result as ``planner costs|results list --json`` prints it."""
    from planner.domain.models import Cost

    data = entry.model_dump(mode="json")
    data = {"id": entry.id, **data}
    if isinstance(entry, Cost):
        data["currency"] = currency
    return data


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def report_json(r: TrackingReport) -> dict[str, Any]:
    """The report as ``planner report ID --json`` prints it (documented in the README)."""
    return {
        "campaign_id": r.campaign.id,
        "campaign": r.campaign.name,
        "as_of": r.as_of.isoformat(),
        "currency": r.currency,
        "budget_minor": r.budget_minor,
        "planned_minor": r.planned_minor,
        "spent_minor": r.spent_minor,
        "remaining_minor": r.remaining_minor,
        "variance_minor": r.variance_minor,
        "spent_pct": _round(r.spent_pct),
        "cost_count": r.cost_count,
        "first_cost_date": r.first_date,
        "last_cost_date": r.last_date,
        "days_elapsed": r.days_elapsed,
        "burn_per_day_minor": None if r.burn_per_day_minor is None else round(r.burn_per_day_minor),
        "projected_minor": r.projected_minor,
        "elapsed_pct": _round(r.elapsed_pct),
        "by_channel": [
            {
                "channel": row.channel.value if row.channel else None,
                "budget_minor": row.budget_minor,
                "planned_minor": row.planned_minor,
                "spent_minor": row.spent_minor,
            }
            for row in r.by_channel
        ],
        "by_activity": [
            {
                "activity": None if row.label == NOT_AN_ACTIVITY else row.label,
                "budget_minor": row.budget_minor,
                "planned_minor": row.planned_minor,
                "spent_minor": row.spent_minor,
            }
            for row in r.by_activity
        ],
        "measures": [
            {
                "name": p.measure.name,
                "unit": p.measure.unit,
                "direction": p.measure.direction.value,
                "baseline": p.measure.baseline,
                "baseline_used": p.baseline,
                "target": p.measure.target,
                "latest": p.latest,
                "latest_date": p.latest_date,
                "results": p.count,
                "progress_pct": _round(p.progress_pct),
                "standing": p.standing.value,
                "on_track": p.on_track,
            }
            for p in r.measures
        ],
        "cost_per_result": [
            {
                "measure": c.measure,
                "unit": c.unit,
                "results": c.results,
                "cost_minor": c.cost_minor,
                "per_result_minor": c.per_result_minor,
            }
            for c in r.cost_per_result
        ],
        "revenue": None
        if r.revenue is None
        else {"measure": r.revenue.measure, "revenue_minor": r.revenue.revenue_minor},
        "roi": _round(r.roi, 4),
        "flags": r.flags,
        "unbudgeted_channels": [row.channel.value for row in r.unbudgeted if row.channel],
        "not_counted": {
            "costs": r.uncounted.costs,
            "cost_minor": r.uncounted.cost_minor,
            "results": r.uncounted.results,
            "first_date": r.uncounted.first_date,
        },
    }


def show_pct(value: float | None, style: str | None = None) -> str:
    """A share in whole percent, ``63%`` (``1.250%`` in Italian); ``–`` for none."""
    from planner.domain.numbers import format_rounded  # Babel: loaded when a figure is shown

    return "–" if value is None else f"{format_rounded(value, style, 0)}%"


def show_value(value: float | None, unit: str = "", style: str | None = None) -> str:
    """A measure's figure with at most two decimals in the campaign's number ``style``
    (``63,5%`` in Italian for a unit in percent); ``–`` for none."""
    from planner.domain.numbers import format_figure  # Babel: loaded when a figure is shown

    return format_figure(value, unit, style)


def report_lines(r: TrackingReport) -> list[str]:
    """The report in plain words, as ``planner report ID`` prints it."""
    cur = r.currency
    c = r.campaign
    style = style_of(c)

    def money(minor: float | None) -> str:
        return "–" if minor is None else format_money(round(minor), cur, style, code=True)

    lines = [f"{c.name}: tracking on {r.as_of.isoformat()}", ""]
    spent = f"Spent {money(r.spent_minor)} of a budget of {money(r.budget_minor)}"
    if r.spent_pct is not None:
        spent += f" ({show_pct(r.spent_pct, style)})"
    lines.append(f"{spent} in {plural(r.cost_count, 'cost')}.")
    if r.remaining_minor >= 0:
        lines.append(f"Remaining: {money(r.remaining_minor)}.")
    else:
        lines.append(f"Over budget by {money(-r.remaining_minor)}.")
    if r.burn_per_day_minor is not None:
        pace_line = (
            f"Burn rate: {money(r.burn_per_day_minor)} a day over "
            f"{plural(r.days_elapsed or 0, 'day')}"
        )
        if r.projected_minor is not None:
            pace_line += f"; projected spend at the end date: {money(r.projected_minor)}"
        lines.append(pace_line + ".")
    if r.by_channel:
        lines += ["", "By channel (budget, spent, left):"]
        unbudgeted = r.unbudgeted
        for row in r.by_channel:
            budget = "no budget line" if row in unbudgeted else money(row.budget_minor)
            lines.append(
                f"  {row.label}: {budget}, {money(row.spent_minor)}, "
                f"{money(row.remaining_minor)}"
            )
    if r.measures:
        lines += ["", "Measures (baseline -> latest -> target, progress, standing):"]
        for p in r.measures:
            unit = p.measure.unit
            lines.append(
                f"  {p.measure.name}: {show_value(p.baseline, unit, style)} -> "
                f"{show_value(p.latest, unit, style)} -> "
                f"{show_value(p.measure.target, unit, style)}, "
                f"{show_pct(p.progress_pct, style)}, {p.standing.label.lower()}"
            )
    if r.cost_per_result:
        lines += ["", "Cost per result:"]
        for cpr in r.cost_per_result:
            per = (
                money(cpr.per_result_minor)
                if cpr.per_result_minor is not None
                else "no results yet"
            )
            results = show_value(cpr.results, "", style)
            lines.append(f"  {cpr.measure}: {per} ({results} {cpr.unit})")
    if r.revenue is not None:
        roi = show_pct(None if r.roi is None else r.roi * 100, style)
        lines += [
            "",
            f"Revenue ({r.revenue.measure}): {money(r.revenue.revenue_minor)}; ROI {roi}.",
        ]
    if r.flags:
        lines += ["", "Warnings: " + ", ".join(r.flags) + "."]
        lines += [f"  {said}." for said in r.unbudgeted_sentences()]
        if r.uncounted:
            lines.append("  " + r.uncounted_text)
    return lines
