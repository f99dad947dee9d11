"""The calendar across campaigns: the activities of every campaign by month, the weeks when
several run at once, and the same as an iCalendar file (RFC 5545) that Outlook, Google and
Apple calendars import, each activity an all-day event with its campaign, channel and owner."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from planner.domain.records import CalendarEntry, Channel
from planner.domain.words import practice_key

BUSY_ACTIVITIES = 5  # a week with this many activities running is busy
PRODUCT = "-//Healthcare Campaign Planner//Campaign calendar//EN"


def channel_label(entry: CalendarEntry) -> str:
    try:
        return Channel(entry.channel).label
    except ValueError:  # a channel a newer planner knows
        return entry.channel


def by_month(
    entries: Iterable[CalendarEntry], start: dt.date | None = None, end: dt.date | None = None
) -> list[tuple[dt.date, list[CalendarEntry]]]:
    """The activities under each month they run in (within ``start`` and ``end`` if given),
    months in order: a month shows all that runs in it, not only what begins."""
    months: dict[dt.date, list[CalendarEntry]] = {}
    for entry in entries:
        first = max(entry.start, start) if start else entry.start
        last = min(entry.end, end) if end else entry.end
        month = first.replace(day=1)
        while month <= last:
            months.setdefault(month, []).append(entry)
            month = (month + dt.timedelta(days=32)).replace(day=1)
    return sorted(months.items())


@dataclass(frozen=True)
class BusyWeek:
    monday: dt.date
    activities: int
    # the campaigns of one practice running together: they compete for its patients and staff
    overlaps: list[list[str]]

    @property
    def overlapping(self) -> bool:
        return bool(self.overlaps)


def busy_weeks(
    entries: Iterable[CalendarEntry],
    start: dt.date | None = None,
    end: dt.date | None = None,
    threshold: int = BUSY_ACTIVITIES,
) -> list[BusyWeek]:
    """The weeks (Monday to Sunday) in which ``threshold`` or more activities run, or the
    activities of more than one campaign of the same practice, within ``start`` and ``end``
    if given."""
    weeks: dict[dt.date, list[CalendarEntry]] = {}
    for entry in entries:
        first = max(entry.start, start) if start else entry.start
        last = min(entry.end, end) if end else entry.end
        monday = first - dt.timedelta(days=first.weekday())
        while monday <= last:
            weeks.setdefault(monday, []).append(entry)
            monday += dt.timedelta(days=7)
    busy = []
    for monday, running in sorted(weeks.items()):
        practices: dict[str, set[str]] = {}
        for e in running:
            practices.setdefault(practice_key(e.practice), set()).add(e.campaign)
        overlaps = [sorted(names, key=str.casefold) for _, names in sorted(practices.items())]
        overlaps = [names for names in overlaps if len(names) > 1]
        if len(running) >= threshold or overlaps:
            busy.append(BusyWeek(monday, len(running), overlaps))
    return busy


def to_ics(entries: Iterable[CalendarEntry], *, now: dt.datetime | None = None) -> bytes:
    """The activities as an iCalendar file: one all-day event each, from its first day to the
    day after its last (iCalendar's end is exclusive)."""
    from icalendar import Calendar, Event

    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Campaign calendar")
    for entry in entries:
        event = Event()
        # Stable: a calendar that imports the file again updates the event, not a copy of it.
        event.add("uid", f"activity-{entry.activity_id}-campaign-{entry.campaign_id}@planner")
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.start)
        event.add("dtend", entry.end + dt.timedelta(days=1))
        event.add("summary", f"{entry.activity} ({entry.campaign})")
        lines = [f"Campaign: {entry.campaign}"]
        if entry.practice:
            lines.append(f"Practice: {entry.practice}")
        lines.append(f"Channel: {channel_label(entry)}")
        if entry.owner:
            lines.append(f"Owner: {entry.owner}")
        event.add("description", "\n".join(lines))
        event.add("categories", [channel_label(entry), entry.campaign])
        event.add("transp", "TRANSPARENT")  # planned work, not the owner's time taken
        calendar.add_component(event)
    return calendar.to_ical()
