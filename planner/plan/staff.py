"""Staff time: the hours the plan's activities ask of each owner, month by month, against the
hours a month each person can give the campaign (a small practice's first limit is its
people's time).

An activity's staff hours are spread evenly over its days (its own dates, else the campaign's),
so that a 20-hour activity over March and April puts about 10 hours in each. An activity with
no dates at all has its hours counted apart, as unscheduled. A month in which an owner is asked
for more than the campaign's *staff hours a month* is over capacity.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from planner.domain.models import Campaign

NO_OWNER = "No owner"


@dataclass(frozen=True)
class OverCapacity:
    owner: str
    month: str  # YYYY-MM
    hours: float
    capacity: float


@dataclass(frozen=True)
class StaffTime:
    months: list[str]  # YYYY-MM, in order, from the first month with hours to the last
    owners: list[str]  # in the order the activities name them (NO_OWNER last)
    hours: dict[tuple[str, str], float]  # (owner, month) -> hours
    unscheduled: dict[str, float] = field(default_factory=dict)  # owner -> hours
    capacity: float | None = None  # hours a month each person can give

    def of(self, owner: str, month: str) -> float:
        return self.hours.get((owner, month), 0.0)

    def owner_total(self, owner: str) -> float:
        months = sum(h for (o, _), h in self.hours.items() if o == owner)
        return months + self.unscheduled.get(owner, 0.0)

    def month_total(self, month: str) -> float:
        return sum(h for (_, m), h in self.hours.items() if m == month)

    @property
    def total(self) -> float:
        return sum(self.hours.values()) + sum(self.unscheduled.values())

    def busiest(self, owner: str) -> tuple[str, float] | None:
        """The owner's month with the most hours, and those hours (None: no dated hours)."""
        months = [(m, self.of(owner, m)) for m in self.months if self.of(owner, m) > 0]
        return max(months, key=lambda mh: mh[1]) if months else None

    def over_months(self, owner: str) -> list[str]:
        """The owner's months over capacity (YYYY-MM)."""
        return [o.month for o in self.over if o.owner == owner]

    @property
    def over(self) -> list[OverCapacity]:
        """Each owner's months over capacity (none without a capacity or an owner)."""
        if self.capacity is None:
            return []
        return [
            OverCapacity(owner, month, hours, self.capacity)
            for owner in self.owners
            if owner != NO_OWNER
            for month in self.months
            if (hours := self.of(owner, month)) > self.capacity + 1e-9
        ]


def staff_time(campaign: Campaign) -> StaffTime:
    """The hours the campaign's activities ask of each owner, by month."""
    hours: dict[tuple[str, str], float] = {}
    unscheduled: dict[str, float] = {}
    owners: list[str] = []
    for a in campaign.activities:
        if not a.staff_hours:
            continue
        owner = a.owner.strip() or NO_OWNER
        if owner not in owners:
            owners.append(owner)
        start = a.start_date or campaign.start_date
        end = a.end_date or campaign.end_date
        if start is None or end is None or end < start:
            unscheduled[owner] = unscheduled.get(owner, 0.0) + a.staff_hours
            continue
        days = (end - start).days + 1
        for month, in_month in _days_by_month(start, end):
            key = (owner, month)
            hours[key] = hours.get(key, 0.0) + a.staff_hours * in_month / days
    if NO_OWNER in owners:
        owners.remove(NO_OWNER)
        owners.append(NO_OWNER)
    months = sorted({m for _, m in hours})
    if months:
        months = _every_month(months[0], months[-1])
    return StaffTime(months, owners, hours, unscheduled, campaign.staff_hours_per_month)


def _days_by_month(start: dt.date, end: dt.date) -> list[tuple[str, int]]:
    """(YYYY-MM, days of start..end in that month) for each month the period touches."""
    found = []
    day = start
    while day <= end:
        following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        last = min(end, following - dt.timedelta(days=1))
        found.append((f"{day.year:04d}-{day.month:02d}", (last - day).days + 1))
        day = following
    return found


def _every_month(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = year + month // 12, month % 12 + 1
    return months


def over_sentences(found: StaffTime, show: Any = None) -> list[str]:
    """Each owner over capacity in a sentence, with the months and the most asked of them;
    ``show`` writes an hours figure (the campaign's number style), else plain."""
    write = show or (lambda h: f"{h:g}")
    by_owner: dict[str, list[OverCapacity]] = {}
    for o in found.over:
        by_owner.setdefault(o.owner, []).append(o)
    said = []
    for owner, months in by_owner.items():
        names = [_month_name(o.month) for o in months]
        when = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        most = max(o.hours for o in months)
        said.append(
            f"{owner} is asked for more than the {write(months[0].capacity)} hours a month a "
            f"person can give the campaign in {when} (up to {write(most)} hours)."
        )
    return said


def _month_name(month: str) -> str:
    return dt.date(int(month[:4]), int(month[5:]), 1).strftime("%B %Y")


def staff_json(campaign: Campaign, found: StaffTime) -> dict[str, Any]:
    """Staff time as ``planner staff ID --json`` prints it (documented in the README)."""
    return {
        "campaign_id": campaign.id,
        "capacity_hours_per_month": found.capacity,
        "months": found.months,
        "owners": [
            {
                "owner": owner,
                "hours": {m: round(found.of(owner, m), 2) for m in found.months},
                "unscheduled_hours": round(found.unscheduled.get(owner, 0.0), 2),
                "total_hours": round(found.owner_total(owner), 2),
            }
            for owner in found.owners
        ],
        "over_capacity": [
            {"owner": o.owner, "month": o.month, "hours": round(o.hours, 2)} for o in found.over
        ],
        "total_hours": round(found.total, 2),
    }
