"""One campaign's tracking figures on a day (``report``): spending by channel and activity, the
pace and projection, each measure's progress, cost per result, revenue and ROI, and the
warnings; ``pace`` and ``warnings`` serve the campaign list as well."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from planner.domain.language import _
from planner.domain.measures import is_revenue, looks_like_revenue
from planner.domain.money import exponent
from planner.domain.records import Channel
from planner.domain.styles import format_money, style_of
from planner.store import TrackingData, Uncounted
from planner.tracking.budget import (
    NOT_AN_ACTIVITY,
    MoneyRow,
    budget_by_activity,
    budget_by_channel,
    pct_of,
)
from planner.tracking.dates import uncounted_sentence
from planner.tracking.progress import MeasureProgress, Standing, elapsed_pct, measure_progress

if TYPE_CHECKING:
    from planner.domain.models import Campaign

ENDING_SOON_DAYS = 14


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

    # Planned against actual return (the plan's expected responses and revenue) ----------

    @property
    def planned_cost_minor(self) -> int:
        """What the plan expects to spend: the budget, else the activities' planned costs."""
        return self.budget_minor or self.planned_minor

    @property
    def responses(self) -> float | None:
        """The responses so far: the primary measure's results since the start, when it
        counts things (bookings, referrals); None for a rate or a score."""
        primary = self.primary
        return primary.total if primary is not None and primary.adds_up else None

    @property
    def cost_per_response_minor(self) -> int | None:
        responses = self.responses
        return round(self.spent_minor / responses) if responses else None

    @property
    def planned_cost_per_response_minor(self) -> int | None:
        expected = self.campaign.expected_responses
        planned = self.planned_cost_minor
        return round(planned / expected) if expected and planned else None

    @property
    def responses_pct(self) -> float | None:
        """The responses so far as a share of those expected."""
        expected = self.campaign.expected_responses
        responses = self.responses
        return None if not expected or responses is None else responses / expected * 100

    @property
    def planned_roi(self) -> float | None:
        """(expected revenue - planned cost) / planned cost; None without either."""
        expected = self.campaign.expected_revenue_minor
        planned = self.planned_cost_minor
        return None if expected is None or not planned else (expected - planned) / planned

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
    result = TrackingReport(
        campaign=campaign,
        as_of=today,
        spent_minor=spent,
        budget_minor=campaign.total_budget_minor,
        planned_minor=campaign.planned_cost_minor,
        cost_count=sum(t.entries for t in data.spend),
        first_date=data.first_date,
        last_date=data.last_date,
        by_channel=_by_channel(campaign, data),
        by_activity=_by_activity(campaign, data),
        measures=measures,
        cumulative=_cumulative(data),
        days_elapsed=days_elapsed,
        burn_per_day_minor=burn,
        projected_minor=projected,
        elapsed_pct=expected,
        cost_per_result=_cost_per_result(measures, spent, currency),
        revenue=_revenue(measures, spent, currency),
        result_count=sum(f.count for f in data.measures),
        uncounted=data.uncounted,
    )
    result.flags.extend(flags(result, today))
    return result


def _by_channel(campaign: Campaign, data: TrackingData) -> list[MoneyRow]:
    """The budget lines' channels and the channels money went to (``None`` for costs with
    no channel, last), each with what it was given, planned and spent, and spent by month."""
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
    return [
        MoneyRow(
            _(ch.label) if ch else _("No channel"),
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


def _by_activity(campaign: Campaign, data: TrackingData) -> list[MoneyRow]:
    """Each activity's planned cost and budget lines against what was spent on it, and the
    money spent on no activity last."""
    spent_by_activity: dict[str | None, int] = {}
    for t in data.spend:
        spent_by_activity[t.activity] = spent_by_activity.get(t.activity, 0) + t.amount_minor
    names: list[str | None] = [a.name for a in campaign.activities]
    by_activity = [
        replace(row, spent_minor=spent_by_activity.get(names[n] if n < len(names) else None, 0))
        for n, row in enumerate(budget_by_activity(campaign))
    ]
    if None in spent_by_activity and len(by_activity) == len(names):
        by_activity.append(MoneyRow(_(NOT_AN_ACTIVITY), spent_minor=spent_by_activity[None]))
    return by_activity


def _cumulative(data: TrackingData) -> list[tuple[dt.date, int]]:
    """The money spent to date at the end of each day that has costs."""
    cumulative: list[tuple[dt.date, int]] = []
    running = 0
    for day in data.days:
        running += day.amount_minor
        when = dt.date.fromisoformat(day.date)
        if cumulative and cumulative[-1][0] == when:
            cumulative[-1] = (when, running)
        else:
            cumulative.append((when, running))
    return cumulative


def _cost_per_result(
    measures: list[MeasureProgress], spent: int, currency: str
) -> list[CostPerResult]:
    """What each result has cost so far, for the measures that add up (revenue aside)."""
    return [
        CostPerResult(
            p.measure.name,
            p.measure.unit,
            p.total,
            spent,
            round(spent / p.total) if p.total > 0 else None,
        )
        for p in measures
        # (money in is no result to pay for, marked as the revenue or not)
        if p.adds_up and not (is_revenue(p.measure) or looks_like_revenue(p.measure, currency))
    ]


def _revenue(measures: list[MeasureProgress], spent: int, currency: str) -> Revenue | None:
    """The first revenue measure with a figure, against the money spent."""
    return next(
        (
            Revenue(p.measure.name, round(p.total * 10 ** exponent(currency)), spent)
            for p in measures
            if is_revenue(p.measure) and p.latest is not None
        ),
        None,
    )


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
