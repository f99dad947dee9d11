"""Money by channel and by activity: what the plan budgets and plans for each, and (in the
report) what was spent on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.domain.language import N_, _
from planner.domain.records import Channel

if TYPE_CHECKING:
    from planner.domain.models import Campaign


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
            _(ch.label) if ch else _("No channel"),
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
        rows.append(MoneyRow(_(NOT_AN_ACTIVITY), budget_minor=budget[None]))
    return rows


NOT_AN_ACTIVITY = N_("Not tied to an activity")
