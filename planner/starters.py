"""Starter campaigns shipped in ``data/starters/``: complete examples a practice adapts."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from planner.errors import NotFoundError, PlannerError
from planner.exchange import from_document
from planner.models import Campaign
from planner.resources import data_dir


@dataclass(frozen=True)
class Starter:
    id: str
    title: str
    summary: str
    path: Path
    seasonal: bool = False

    def load(self) -> Campaign:
        data = json.loads(self.path.read_text(encoding="utf-8"))
        return from_document(data, f"The starter '{self.id}'")


def starters_dir() -> Path:
    return data_dir() / "starters"


def list_starters() -> list[Starter]:
    found = []
    for path in sorted(starters_dir().glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        meta = data.get("starter", {})
        found.append(
            Starter(
                id=path.stem,
                title=meta.get("title", path.stem),
                summary=meta.get("summary", ""),
                path=path,
                seasonal=bool(meta.get("seasonal", False)),
            )
        )
    return found


def get_starter(starter_id: str) -> Starter:
    for starter in list_starters():
        if starter.id == starter_id:
            return starter
    known = ", ".join(s.id for s in list_starters())
    raise NotFoundError(
        f"There is no starter called '{starter_id}'. Run 'planner starters' to see them: {known}."
    )


def next_month_start(today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    return dt.date(today.year + today.month // 12, today.month % 12 + 1, 1)


def next_season_start(season_start: dt.date, today: dt.date | None = None) -> dt.date:
    """The same day and month as ``season_start``, in the first year not before today."""
    today = today or dt.date.today()
    for year in (today.year, today.year + 1):
        try:
            candidate = season_start.replace(year=year)
        except ValueError:  # 29 February
            candidate = dt.date(year, 3, 1)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def shift_dates(campaign: Campaign, start: dt.date) -> Campaign:
    """The same campaign with every date moved so that it starts on ``start``."""
    if campaign.start_date is None:
        return campaign.model_copy(update={"start_date": start})
    delta = start - campaign.start_date
    data = campaign.model_dump(mode="python")

    def move(value):
        return value + delta if isinstance(value, dt.date) else value

    try:
        for key in ("start_date", "end_date"):
            data[key] = move(data[key])
        for group, fields in (
            ("activities", ("start_date", "end_date")),
            ("costs", ("date",)),
            ("results", ("date",)),
            ("reviews", ("date",)),
        ):
            for row in data[group]:
                for key in fields:
                    row[key] = move(row[key])
    except OverflowError:
        raise PlannerError(
            f"Starting on {start} would move the plan's dates past the year 9999; choose an "
            "earlier start date."
        ) from None
    return Campaign.model_validate(data)


def campaign_from_starter(
    starter_id: str, *, name: str | None = None, start: dt.date | None = None
) -> Campaign:
    starter = get_starter(starter_id)
    campaign = starter.load()
    if start is None:
        if starter.seasonal and campaign.start_date is not None:
            start = next_season_start(campaign.start_date)
        else:
            start = next_month_start()
    campaign = shift_dates(campaign, start)
    if name:
        campaign = campaign.model_copy(update={"name": name})
    return Campaign.model_validate(campaign.model_dump())
