"""Campaign-level jobs shared by the CLI and the TUI: create, describe, serialise."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from planner.domain.errors import PlannerError, describe_validation_error, field_message
from planner.domain.models import Campaign
from planner.domain.numbers import format_money, style_of
from planner.domain.records import Client
from planner.domain.words import plural
from planner.plan.readings import keep
from planner.plan.starters import campaign_from_starter
from planner.store import Store


def new_campaign(
    store: Store,
    *,
    name: str,
    starter: str | None = None,
    currency: str | None = None,
    practice: str | None = None,
    start: dt.date | None = None,
    number_style: str | None = None,
    details: dict[str, str | None] | None = None,
) -> int:
    """Create a campaign, blank or from a starter, and return its id. ``details`` (the
    practice's address, phone and website) fill a starter's texts where it gives its sample
    practice's; a detail not given is the practice's kept as a client (``planner client``),
    and so is who prepares its briefs. Details given for a practice with none kept are kept
    as its."""
    if starter is not None and not starter.strip():
        raise PlannerError("--from needs a starter id; run 'planner starters' to see them.")
    given = [f"--{k}" for k, v in (details or {}).items() if v is not None]
    if given and not starter:
        raise PlannerError(
            f"{' and '.join(given)} fill a starter's texts; use them with --from STARTER "
            "(a blank campaign has no texts yet)."
        )
    client = store.get_client(practice) if practice and practice.strip() else None
    if client is not None:
        practice = client.name  # as the client is kept, however it was typed
    if client is not None and starter:
        kept = {"address": client.address, "phone": client.phone, "website": client.website}
        details = {k: (details or {}).get(k) or kept[k] or None for k in kept}
    try:
        if starter:
            campaign = campaign_from_starter(
                starter, name=name, start=start, practice=practice, details=details
            )
            changes: dict[str, Any] = {}
            if client is not None and client.prepared_by:
                changes["prepared_by"] = client.prepared_by
            if currency:
                changes["currency"] = currency
            if practice is not None:
                changes["practice"] = practice
            if number_style is not None:
                changes["number_style"] = number_style
            campaign = Campaign.model_validate({**campaign.model_dump(), **changes})
        else:
            data: dict[str, Any] = {"name": name, "start_date": start}
            if currency:
                data["currency"] = currency
            if practice is not None:
                data["practice"] = practice
            if number_style is not None:
                data["number_style"] = number_style
            if client is not None and client.prepared_by:
                data["prepared_by"] = client.prepared_by
            campaign = Campaign.model_validate(data)
    except ValidationError as exc:
        raise PlannerError(_new_campaign_problem(exc)) from None
    # Details given for a practice that keeps none are kept as the client's (planner client),
    # for its next campaigns and every brief of its: in the transaction creating the campaign.
    typed = {k: (v or "").strip() for k, v in (details or {}).items() if (v or "").strip()}
    if client is None and typed and campaign.practice.strip():
        kept = Client(name=campaign.practice.strip(), **typed)
        created = store.create_campaign_of_client(campaign, kept)
    else:
        created = store.create_campaign(campaign)
    keep(store, campaign)  # its messages' reading counts, so that its briefs need no dictionary
    return created


# The fields ``planner new`` sets, by what the user typed them as.
_TYPED_AS = {"name": "NAME", "currency": "--currency", "practice": "--practice"}


def _new_campaign_problem(exc: ValidationError) -> str:
    """The first problem with a new campaign, named by what was typed (NAME, --currency)."""
    errors = exc.errors(include_url=False)
    loc = errors[0].get("loc", ()) if errors else ()
    typed = _TYPED_AS.get(str(loc[0])) if len(loc) == 1 else None
    if typed is None:
        return describe_validation_error(exc, "The new campaign")
    if typed == "NAME" and errors[0].get("type") in ("missing", "string_too_short"):
        return 'Give the new campaign a name: planner new "Flu season 2027".'
    message = field_message(errors[0]).rstrip(".")
    return f"{typed}: {message[0].lower() + message[1:] if message[1:2].islower() else message}."


def campaign_json(campaign: Campaign) -> dict[str, Any]:
    """``show --json``: the id, version and archive flag, then every field of the campaign."""
    return {
        "id": campaign.id,
        "version": campaign.version,
        "archived": campaign.archived,
        **campaign.model_dump(mode="json"),
        "total_budget_minor": campaign.total_budget_minor,
    }


def describe(campaign: Campaign, entries: tuple[int, int] | None = None) -> str:
    """A short plain-text overview of a campaign for the terminal. ``entries``: the numbers of
    its costs and results, when the campaign was read without them (``Store.count_entries``)."""
    c = campaign
    costs, results = entries if entries is not None else (len(c.costs), len(c.results))
    budget = format_money(c.total_budget_minor, c.currency, style_of(c), code=True)
    lines = [
        f"{c.name}  (campaign {c.id}, version {c.version}" + (", archived)" if c.archived else ")"),
        f"  Practice:      {c.practice or '–'}",
        f"  Service line:  {c.service_line or '–'}",
        f"  Status:        {c.status.label}",
        f"  Dates:         {c.start_date or 'not set'} to {c.end_date or 'not set'}",
        f"  Jurisdictions: {', '.join(j.value for j in c.jurisdictions) or '–'}",
        f"  Budget:        {budget}",
        f"  Objective:     {c.objective or '–'}",
        "",
        f"  {plural(len(c.segments), 'segment')}, {plural(len(c.influencers), 'influencer')}, "
        f"{plural(len(c.messages), 'message variant')}, "
        f"{plural(len(c.activities), 'activity')}, {plural(len(c.measures), 'measure')}, "
        f"{plural(len(c.budget), 'budget line')}",
        f"  {plural(costs, 'cost')}, {plural(results, 'result')}, "
        f"{plural(len(c.reviews), 'review')}",
    ]
    empty_ps = [p.label for p, e in c.mix.elements() if e.is_empty]
    if empty_ps:
        lines.append(f"  7Ps not planned yet: {', '.join(empty_ps)}")
    from planner.plan.guide import Step, check_step

    fill_ins = [
        (step, problem)
        for step in Step
        for problem in check_step(c, step).problems
        if problem.startswith("Fill in ")
    ]
    if fill_ins:
        lines.append("  To fill in (a starter made for this practice left them):")
        lines += [f"    {step.number} {step.title}: {problem}" for step, problem in fill_ins]
    return "\n".join(lines)
