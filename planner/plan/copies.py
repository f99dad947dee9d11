"""A campaign copied for the next client or the next year: the plan, without what belongs to
the campaign that ran (its costs, results, sign-offs and decisions on findings), every date
moved by the same number of days, and the lessons of the campaign it was copied from carried
along to read (its end-of-campaign review), not as the copy's own review.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from planner.domain.errors import PlannerError

if TYPE_CHECKING:
    from planner.domain.models import Campaign

_LONGEST = 20_000  # characters of a long text
_REVIEW = (
    ("what_worked", "What worked"),
    ("what_did_not_work", "What did not work"),
    ("next_time", "Decisions for next time"),
)


def lessons_of(campaign: Campaign) -> str:
    """The campaign's end-of-campaign review as one text headed by its name, for a copy to
    carry; the lessons it carried itself when it has written none ("" for neither)."""
    parts = [
        f"{title}: {text}" for field, title in _REVIEW if (text := getattr(campaign, field).strip())
    ]
    if not parts:
        return campaign.earlier_lessons
    text = f"From '{campaign.name}':\n" + "\n".join(parts)
    return text if len(text) <= _LONGEST else text[: _LONGEST - 1].rstrip() + "…"


def copied_plan(
    campaign: Campaign,
    name: str,
    *,
    practice: str | None = None,
    start: dt.date | None = None,
) -> Campaign:
    """The copy of ``campaign``'s plan called ``name``: a draft, for ``practice`` when given,
    every date moved so that it starts on ``start`` when given."""
    if not name.strip():
        raise PlannerError('Give the copy a name: planner copy ID "Flu season 2028".')
    if len(name.strip()) > 200:
        raise PlannerError("The copy's name is too long: at most 200 characters.")
    shift = dt.timedelta(0)
    if start is not None:
        if campaign.start_date is None:
            raise PlannerError(
                f"'{campaign.name}' has no start date, so its dates cannot be moved to "
                f"{start.isoformat()}: copy it without --start, or give it a start date first."
            )
        shift = start - campaign.start_date
    try:
        return _copy(campaign, name, practice, shift)
    except OverflowError:
        raise PlannerError(
            f"Moved to start on {start}, the copy's dates would pass the year 9999; choose an "
            "earlier start."
        ) from None


def _copy(campaign: Campaign, name: str, practice: str | None, shift: dt.timedelta) -> Campaign:
    from pydantic import ValidationError

    from planner.domain.errors import describe_validation_error
    from planner.domain.models import Campaign, CampaignStatus

    data: dict[str, Any] = campaign.model_dump()
    data.update(
        name=name.strip(),
        status=CampaignStatus.DRAFT,
        start_date=_moved(campaign.start_date, shift),
        end_date=_moved(campaign.end_date, shift),
        costs=[],
        results=[],
        reviews=[],
        disabled_rules=[],
        finding_decisions=[],
        what_worked="",
        what_did_not_work="",
        next_time="",
        earlier_lessons=lessons_of(campaign),
    )
    if practice is not None:
        data["practice"] = practice.strip()
    for activity in data["activities"]:
        activity["start_date"] = _moved(activity["start_date"], shift)
        activity["end_date"] = _moved(activity["end_date"], shift)
    try:
        return Campaign.model_validate(data)
    except ValidationError as exc:
        raise PlannerError(describe_validation_error(exc, "The copy cannot be made")) from None


def _moved(day: dt.date | None, shift: dt.timedelta) -> dt.date | None:
    return None if day is None else day + shift
