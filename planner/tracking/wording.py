"""The figures in words and JSON: the report as ``planner report`` prints it (plain lines or
``--json``), a cost or result as ``costs|results list --json`` prints it, and a share or a
measure's figure in the campaign's number style (the tracking screen shows these too)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planner.domain.styles import format_money, style_of
from planner.domain.words import plural
from planner.tracking.budget import NOT_AN_ACTIVITY
from planner.tracking.figures import TrackingReport

if TYPE_CHECKING:
    from planner.domain.models import Cost, Result


def entry_json(entry: Cost | Result, currency: str) -> dict[str, Any]:
    """A cost or a result as ``planner costs|results list --json`` prints it."""
    from planner.domain.models import Cost

    data = entry.model_dump(mode="json")
    data = {"id": entry.id, **data}
    if isinstance(entry, Cost):
        data["currency"] = currency
    return data


def result_for(result: Result, labels: dict[str, str] | None = None) -> str:
    """What a result belongs to, in a few words, its variant first (by its A/B label when
    ``labels`` gives it, so that a narrow column still tells A from B): "B: Story email ·
    Email B" ("–": nothing)."""
    label = (labels or {}).get(result.variant or "", "")
    variant = None
    if result.variant:
        variant = f"{label}: {result.variant}" if label else f"variant {result.variant}"
    parts = [
        variant,
        result.activity,
        result.segment if result.segment and not result.variant else None,
        result.influencer if not result.activity else None,
        result.channel.label if result.channel and not result.activity else None,
    ]
    return " · ".join(p for p in parts if p) or "–"


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
        "expected_revenue_minor": r.campaign.expected_revenue_minor,
        "planned_roi": _round(r.planned_roi, 4),
        "expected_responses": r.campaign.expected_responses,
        "responses": r.responses,
        "responses_pct": _round(r.responses_pct),
        "planned_cost_per_response_minor": r.planned_cost_per_response_minor,
        "cost_per_response_minor": r.cost_per_response_minor,
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


def planned_return_lines(r: TrackingReport, money: Any) -> list[str]:
    """The plan's expected responses and revenue against what came: a line each, or none
    when the plan expects neither."""
    c, style = r.campaign, style_of(r.campaign)
    lines = []
    if c.expected_responses:
        primary = r.primary
        name = primary.measure.name if primary else "the primary measure"
        got = (
            f"{show_value(r.responses, '', style)} so far ({show_pct(r.responses_pct, style)})"
            if r.responses is not None
            else f"not counted: {name} is not a count"
        )
        costs = []
        if r.planned_cost_per_response_minor is not None:
            costs.append(f"{money(r.planned_cost_per_response_minor)} planned")
        if r.cost_per_response_minor is not None:
            costs.append(f"{money(r.cost_per_response_minor)} so far")
        cost = f"; cost per response {', '.join(costs)}" if costs else ""
        lines.append(
            f"Responses ({name}): {show_value(c.expected_responses, '', style)} expected, "
            f"{got}{cost}."
        )
    if c.expected_revenue_minor is not None:
        actual = show_pct(None if r.roi is None else r.roi * 100, style)
        so_far = f"ROI {actual} so far" if r.roi is not None else "no revenue recorded yet"
        if r.planned_roi is None:
            planned = "no budget or planned cost yet to weigh it against"
        else:
            planned = f"a planned ROI of {show_pct(r.planned_roi * 100, style)}"
        lines.append(f"Expected revenue {money(c.expected_revenue_minor)}: {planned}; {so_far}.")
    return ["", *lines] if lines else []


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
                f"  {row.label}: {budget}, {money(row.spent_minor)}, {money(row.remaining_minor)}"
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
    lines += planned_return_lines(r, money)
    if r.flags:
        lines += ["", "Warnings: " + ", ".join(r.flags) + "."]
        lines += [f"  {said}." for said in r.unbudgeted_sentences()]
        if r.uncounted:
            lines.append("  " + r.uncounted_text)
    return lines
