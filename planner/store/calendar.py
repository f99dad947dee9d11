"""The calendar across campaigns: every activity with a date, of the campaigns in the list."""

from __future__ import annotations

import datetime as dt

from planner.domain.records import CalendarEntry
from planner.store.base import StoreBase
from planner.store.connection import _guarded


class CalendarMixin(StoreBase):
    """Activities across campaigns, by date."""

    @_guarded
    def calendar_entries(
        self,
        *,
        start: dt.date | None = None,
        end: dt.date | None = None,
        include_archived: bool = False,
    ) -> tuple[list[CalendarEntry], int]:
        """The dated activities of the campaigns in the list (not those in the trash) that run
        on some day from ``start`` to ``end`` (either open), by date; and how many of those
        campaigns' activities have no date at all (the calendar cannot place them). An
        activity with one date runs on that day."""
        archived = "" if include_archived else " AND c.archived_at IS NULL"
        live = f"c.deleted_at IS NULL{archived}"
        first = "COALESCE(a.start_date, a.end_date)"
        last = "COALESCE(a.end_date, a.start_date)"
        where = [live, f"{first} IS NOT NULL"]
        args: list[str] = []
        if end is not None:
            where.append(f"{first} <= ?")
            args.append(end.isoformat())
        if start is not None:
            where.append(f"{last} >= ?")
            args.append(start.isoformat())
        with self._read():
            rows = self.conn.execute(
                f"""SELECT c.id, c.name, COALESCE(c.practice, ''), a.id, a.name, a.channel,
                           a.owner, {first}, {last}
                    FROM activities a JOIN campaigns c ON c.id = a.campaign_id
                    WHERE {" AND ".join(where)}
                    ORDER BY {first}, {last}, c.name COLLATE NOCASE, a.position, a.id""",
                args,
            ).fetchall()
            (undated,) = self.conn.execute(
                f"""SELECT COUNT(*) FROM activities a JOIN campaigns c ON c.id = a.campaign_id
                    WHERE {live} AND a.start_date IS NULL AND a.end_date IS NULL"""
            ).fetchone()
        day = dt.date.fromisoformat
        entries = [
            CalendarEntry(cid, cname, practice, aid, aname, channel, owner, day(s), day(e))
            for cid, cname, practice, aid, aname, channel, owner, s, e in rows
        ]
        return entries, undated
