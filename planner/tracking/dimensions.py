"""The figures by activity, message variant, segment, influencer or channel: what each spent,
what its results came to, what each result cost and its share of the whole (``planner
report ID --by``).

- A cost counts for its activity and its channel, and for the variant, segment and
  influencer its activity names in the plan today; a cost of no activity counts for none of
  those (the row of ``None``, "not attributed").
- A result counts for what it names (``planner results add --variant ... --activity ...``).
- A measure that adds up (bookings, referrals, revenue) gives each row its total since the
  campaign's start and its share of the measure's total; a measure of a level (a rate, a
  score) gives each row its mean, or the rate of what its results were out of.
- A count out of a whole gives the rate of the results that said what they were out of.
- Cost per result = the row's spending / its results, for the measures that add up (revenue
  aside); ROI = (revenue - spent) / spent, for a row with revenue recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from planner.domain.measures import is_revenue, parts_add_up
from planner.domain.money import exponent
from planner.domain.rates import is_percent_unit
from planner.domain.records import Channel

if TYPE_CHECKING:
    from planner.domain.models import Campaign, Measure
    from planner.store import ResultSum, TrackingData

DIMENSIONS = ("activity", "variant", "segment", "influencer", "channel")
NOT_ATTRIBUTED = "Not attributed"


@dataclass(frozen=True)
class MeasureCell:
    """One measure's figures in one row."""

    measure: Measure
    value: float | None  # the total (adds up), else the mean or the rate
    of: float | None  # what its results were out of, when they said
    rate_pct: float | None  # value / of as a percentage, for a count out of a whole
    share_pct: float | None  # of the measure's total over every row (adds up only)
    cost_per_result_minor: int | None
    results: int  # how many results


@dataclass(frozen=True)
class DimensionRow:
    key: str | None  # the item's name, the channel's value; None: not attributed
    label: str
    spent_minor: int
    spent_share_pct: float | None
    cells: tuple[MeasureCell, ...]
    revenue_minor: int | None
    roi: float | None


def by_dimension(
    campaign: Campaign, data: TrackingData, sums: list[ResultSum], by: str
) -> list[DimensionRow]:
    """The rows of ``campaign`` by ``by`` (one of ``DIMENSIONS``): its spending from the
    tracking figures ``data``, its results from ``sums`` (the store's ``result_sums``)."""
    spent = _spending(campaign, data, by)
    found: dict[str | None, dict[str, ResultSum]] = {}
    for s in sums:
        found.setdefault(s.key, {})[s.measure] = s
    total_spent = sum(spent.values())
    measures = list(campaign.measures)
    totals = {
        m.name: sum(row[m.name].total for row in found.values() if m.name in row) for m in measures
    }
    revenue = next((m for m in measures if is_revenue(m)), None)
    rows = []
    for key in _ordered(campaign, by, {*spent, *found}):
        minor = spent.get(key, 0)
        cells = tuple(
            _cell(m, found.get(key, {}).get(m.name), minor, totals[m.name], campaign.currency)
            for m in measures
        )
        taken = None
        cell = next((c for c in cells if c.measure is revenue), None)
        if cell is not None and cell.results:  # (a row with no revenue recorded has no ROI)
            taken = round((cell.value or 0) * 10 ** exponent(campaign.currency))
        rows.append(
            DimensionRow(
                key,
                _label(key, by),
                minor,
                minor / total_spent * 100 if total_spent else None,
                cells,
                taken,
                (taken - minor) / minor if taken is not None and minor else None,
            )
        )
    return rows


def _spending(campaign: Campaign, data: TrackingData, by: str) -> dict[str | None, int]:
    """What was spent for each item (or channel) of ``by``."""
    field = {"variant": "message", "segment": "segment", "influencer": "influencer"}.get(by)
    of_activity = {a.name: getattr(a, field) for a in campaign.activities} if field else {}
    spent: dict[str | None, int] = {}
    for s in data.spend:
        if by == "channel":
            key = s.channel
        elif by == "activity":
            key = s.activity
        else:
            key = of_activity.get(s.activity) if s.activity else None
        spent[key] = spent.get(key, 0) + s.amount_minor
    return spent


def _cell(
    measure: Measure, s: ResultSum | None, spent: int, total: float, currency: str
) -> MeasureCell:
    if s is None or not s.entries:
        return MeasureCell(measure, None, None, None, None, None, 0)
    # (a count per period, "referrals per month", adds up over the sources too)
    adds_up = parts_add_up(measure, currency)
    of = s.trials if s.with_trials == s.entries else None  # (when every result said)
    rate = None
    if adds_up:
        value: float = s.total
        if s.with_trials and s.trials:
            rate = s.tried / s.trials * 100
    elif s.with_trials == s.entries and s.trials:
        # a level given with what it was out of: each result weighted by it
        value = s.weighted / s.trials
        rate = value if is_percent_unit(measure.unit) else None
    else:
        value = s.total / s.entries
    share = value / total * 100 if adds_up and total else None
    per_result = None
    if adds_up and not is_revenue(measure) and value > 0:
        per_result = round(spent / value)
    return MeasureCell(measure, value, of, rate, share, per_result, s.entries)


def _ordered(campaign: Campaign, by: str, keys: set[str | None]) -> list[str | None]:
    """The rows in the plan's order (channels in the planner's), not attributed last."""
    if by == "channel":
        order = [c.value for c in Channel]
    else:
        items = {
            "activity": campaign.activities,
            "variant": campaign.messages,
            "segment": campaign.segments,
            "influencer": campaign.influencers,
        }[by]
        order = [i.name for i in items]
    rank = {name: n for n, name in enumerate(order)}
    named = sorted((k for k in keys if k is not None), key=lambda k: (rank.get(k, len(rank)), k))
    return [*named, *([None] if None in keys else [])]


def _label(key: str | None, by: str) -> str:
    if key is None:
        return NOT_ATTRIBUTED
    return Channel(key).label if by == "channel" else key


def dimension_json(
    campaign: Campaign, rows: list[DimensionRow], by: str, as_of: str
) -> dict[str, Any]:
    """The rows as ``planner report ID --by DIMENSION --json`` prints them (in the README)."""

    def rounded(value: float | None, places: int = 2) -> float | None:
        return None if value is None else round(value, places)

    return {
        "campaign_id": campaign.id,
        "campaign": campaign.name,
        "as_of": as_of,
        "currency": campaign.currency,
        "by": by,
        "spent_minor": sum(r.spent_minor for r in rows),
        "rows": [
            {
                by: r.key,
                "label": r.label,
                "spent_minor": r.spent_minor,
                "spent_share_pct": rounded(r.spent_share_pct),
                "results": {
                    c.measure.name: {
                        "value": rounded(c.value, 4),
                        "of": c.of,
                        "rate_pct": rounded(c.rate_pct),
                        "share_pct": rounded(c.share_pct),
                        "cost_per_result_minor": c.cost_per_result_minor,
                        "entries": c.results,
                    }
                    for c in r.cells
                    if c.results
                },
                "revenue_minor": r.revenue_minor,
                "roi": rounded(r.roi, 4),
            }
            for r in rows
        ],
    }


def dimension_lines(campaign: Campaign, rows: list[DimensionRow], by: str, as_of: str) -> list[str]:
    """The rows in plain words, as ``planner report ID --by DIMENSION`` prints them."""
    from planner.domain.numbers import format_figure, format_rounded
    from planner.domain.styles import format_money, style_of

    style = style_of(campaign)

    def money(minor: int) -> str:
        return format_money(minor, campaign.currency, style, code=True)

    def pct(value: float | None) -> str:
        return f"{format_rounded(value, style, 1)}%"

    noun = {"variant": "message variant"}.get(by, by)
    lines = [f"{campaign.name}: by {noun}, on {as_of}", ""]
    if not rows:
        return [*lines, f"Nothing spent or achieved by {noun} yet."]
    for r in rows:
        head = f"{r.label}: spent {money(r.spent_minor)}"
        if r.spent_share_pct is not None:
            head += f" ({pct(r.spent_share_pct)} of the spending)"
        if r.roi is not None:
            head += f"; ROI {format_rounded(r.roi * 100, style, 0)}%"
        lines.append(head)
        for c in r.cells:
            if not c.results:
                continue
            text = f"  {c.measure.name}: {format_figure(c.value, c.measure.unit, style)}"
            if c.rate_pct is not None and parts_add_up(c.measure, campaign.currency):
                if c.of is not None:
                    text += f" of {format_rounded(c.of, style, 0)}"
                text += f" ({pct(c.rate_pct)})"
            if c.share_pct is not None:
                text += f", {pct(c.share_pct)} of all"
            if c.cost_per_result_minor is not None:
                text += f", {money(c.cost_per_result_minor)} each"
            lines.append(text)
    return lines
