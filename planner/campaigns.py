"""Campaign-level jobs shared by the CLI and the TUI: create, describe, serialise."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from planner.currency import format_minor
from planner.errors import PlannerError, describe_validation_error
from planner.models import Campaign
from planner.starters import campaign_from_starter
from planner.store import Store


def new_campaign(
    store: Store,
    *,
    name: str,
    starter: str | None = None,
    currency: str | None = None,
    practice: str | None = None,
    start: dt.date | None = None,
) -> int:
    """Create a campaign, blank or from a starter, and return its id."""
    if starter is not None and not starter.strip():
        raise PlannerError("--from needs a starter id; run 'planner starters' to see them.")
    try:
        if starter:
            campaign = campaign_from_starter(
                starter, name=name, start=start, practice=practice
            )
            changes: dict[str, Any] = {}
            if currency:
                changes["currency"] = currency
            if practice is not None:
                changes["practice"] = practice
            campaign = Campaign.model_validate({**campaign.model_dump(), **changes})
        else:
            data: dict[str, Any] = {"name": name, "start_date": start}
            if currency:
                data["currency"] = currency
            if practice is not None:
                data["practice"] = practice
            campaign = Campaign.model_validate(data)
    except ValidationError as exc:
        raise PlannerError(describe_validation_error(exc, "The new campaign")) from None
    return store.create_campaign(campaign)


def campaign_json(campaign: Campaign) -> dict[str, Any]:
    """``show --json``: the id, version and archive flag, then every field of the campaign."""
    return {
        "id": campaign.id,
        "version": campaign.version,
        "archived": campaign.archived,
        **campaign.model_dump(mode="json"),
        "total_budget_minor": campaign.total_budget_minor,
    }


def describe(campaign: Campaign) -> str:
    """A short plain-text overview of a campaign for the terminal."""
    c = campaign
    lines = [
        f"{c.name}  (campaign {c.id}, version {c.version}" + (", archived)" if c.archived else ")"),
        f"  Practice:      {c.practice or '–'}",
        f"  Service line:  {c.service_line or '–'}",
        f"  Status:        {c.status.label}",
        f"  Dates:         {c.start_date or 'not set'} to {c.end_date or 'not set'}",
        f"  Jurisdictions: {', '.join(j.value for j in c.jurisdictions) or '–'}",
        f"  Budget:        {format_minor(c.total_budget_minor, c.currency)}",
        f"  Objective:     {c.objective or '–'}",
        "",
        f"  {len(c.segments)} segments, {len(c.influencers)} influencers, "
        f"{len(c.messages)} message variants, {len(c.activities)} activities, "
        f"{len(c.measures)} measures, {len(c.budget)} budget lines",
        f"  {len(c.costs)} costs, {len(c.results)} results, {len(c.reviews)} reviews",
    ]
    empty_ps = [p.label for p, e in c.mix.elements() if e.is_empty]
    if empty_ps:
        lines.append(f"  7Ps not planned yet: {', '.join(empty_ps)}")
    return "\n".join(lines)
