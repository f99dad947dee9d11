"""The end-of-campaign review with the figures beside it: what worked, what did not and the
decisions for next time, next to what the campaign spent and achieved and where it stands on
the maturity model (``planner lessons``, the Lessons tab, the brief)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planner.domain.styles import format_money, style_of
from planner.tracking.maturity import LEVELS, Dimension, maturity_json, overall
from planner.tracking.wording import show_pct

if TYPE_CHECKING:
    from planner.domain.models import Campaign
    from planner.tracking.figures import TrackingReport

REVIEW_FIELDS = (
    ("what_worked", "What worked"),
    ("what_did_not_work", "What did not work"),
    ("next_time", "Decisions for next time"),
)


def figures_beside(campaign: Campaign, tracked: TrackingReport) -> list[str]:
    """The campaign's figures in short lines, for beside the review."""
    style = style_of(campaign)

    def money(minor: int) -> str:
        return format_money(minor, campaign.currency, style, code=True)

    lines = [f"Spent {money(tracked.spent_minor)} of a budget of {money(tracked.budget_minor)}"]
    primary = tracked.primary
    if primary is not None and primary.progress_pct is None:
        lines.append(f"{primary.measure.name}: {primary.standing.label.lower()}")
    elif primary is not None:
        lines.append(
            f"{primary.measure.name}: {show_pct(primary.progress_pct, style)} of the way to "
            f"its target ({primary.standing.label.lower()})"
        )
    lines += [
        f"{money(c.per_result_minor)} per result of {c.measure}"
        for c in tracked.cost_per_result
        if c.per_result_minor is not None
    ]
    if tracked.roi is not None:
        lines.append(f"ROI {show_pct(tracked.roi * 100, style)}")
    return lines


def lessons_lines(
    campaign: Campaign, tracked: TrackingReport, dimensions: list[Dimension]
) -> list[str]:
    """The review in plain words, as ``planner lessons ID`` prints it."""
    lines = [f"{campaign.name}: end-of-campaign review", ""]
    if campaign.earlier_lessons.strip():
        lines.append("Lessons from before (the campaign this one was copied from):")
        lines += [f"  {line}" for line in campaign.earlier_lessons.strip().splitlines()]
        lines.append("")
    for field, title in REVIEW_FIELDS:
        text = getattr(campaign, field).strip()
        lines.append(f"{title}:")
        lines += [f"  {line}" for line in text.splitlines()] if text else ["  (not written yet)"]
    lines += ["", "The figures:"]
    lines += [f"  {line}" for line in figures_beside(campaign, tracked)]
    level = overall(dimensions)
    lines += ["", f"Maturity: {LEVELS[level].lower()} (level {level} of 4)"]
    lines += [f"  {d.name}: {d.level} {d.level_name}" for d in dimensions]
    return lines


def lessons_json(
    campaign: Campaign, tracked: TrackingReport, dimensions: list[Dimension]
) -> dict[str, Any]:
    """The review as ``planner lessons ID --json`` prints it (documented in the README)."""
    return {
        "campaign_id": campaign.id,
        "campaign": campaign.name,
        **{field: getattr(campaign, field) for field, _ in REVIEW_FIELDS},
        "earlier_lessons": campaign.earlier_lessons,
        "figures": figures_beside(campaign, tracked),
        "maturity": maturity_json(campaign, dimensions),
    }
