"""What a campaign's costs and results add up to, read from the running totals in SQL: the
tracking figures, a measure's results by day, and the portfolio of every campaign.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import TYPE_CHECKING, Any

from planner.domain.records import CampaignSummary, Direction, MeasureCategory, PrimaryMeasure
from planner.store.base import StoreBase, _chunks
from planner.store.connection import _guarded
from planner.store.mapping import _MEASURE_REF, _SEGMENT_REF
from planner.store.records import (
    DaySpend,
    LoopEvidence,
    MeasureFigures,
    PortfolioRow,
    ResultSum,
    SpendTotal,
    TrackingData,
    Uncounted,
)

if TYPE_CHECKING:
    from planner.domain.models import Campaign


def _day_literal(today: dt.date | None) -> str:
    """``today`` as the text of an SQL literal ('9999-12-31' without one: every date is on or
    before it). A date's own ISO text holds nothing but digits and dashes."""
    return "9999-12-31" if today is None else today.isoformat()


def _after(row: str, day: str) -> str:
    """SQL: the cost or result ``row`` is dated after ``day`` (its period, if it covers one,
    starts after it). The first test lets the index on the date find them."""
    return f"({row}.date > '{day}' AND COALESCE({row}.period_start, {row}.date) > '{day}')"


# What results can be broken down by: the results' column, and the table of the items it
# names (None: the channel, a value of its own).
BREAKDOWNS = {
    "variant": ("variant_id", "message_variants"),
    "activity": ("activity_id", "activities"),
    "segment": ("segment_id", "segments"),
    "influencer": ("influencer_id", "influencers"),
    "channel": ("channel", None),
}


class FiguresMixin(StoreBase):
    """The tracking figures and the portfolio."""

    @_guarded
    def result_sums(
        self,
        campaign_id: int,
        by: str,
        *,
        measure: str | None = None,
        segment: str | None = None,
        today: dt.date | None = None,
        since_start: bool = False,
        named_only: bool = False,
    ) -> list[ResultSum]:
        """What the results of each measure (or of ``measure``) come to for each variant,
        activity, segment, influencer or channel (``by``), added up in SQL; only those of
        ``segment`` when given. Results dated after ``today`` are left out, and with
        ``since_start`` those dated before the campaign's start. With ``named_only``, only
        the results that name a variant (activity, ...) are read, through their partial
        index: a campaign with a million results of which a few name one reads those few."""
        column, table = BREAKDOWNS[by]
        day = _day_literal(today)
        where, params = [f"r.campaign_id = ? AND NOT {_after('r', day)}"], [campaign_id]
        source = "results r"
        if named_only:
            where.append(f"r.{column} IS NOT NULL")
            if table:  # the campaign's items, then each one's results through their index
                source = (
                    f"{table} named JOIN results r INDEXED BY results_{by} ON r.{column} = named.id"
                )
                where.append("named.campaign_id = r.campaign_id")
        with self._read():
            self._version(campaign_id)  # raises: no such campaign
            if measure is not None:
                where.append("r.measure_id = ?")
                params.append(self._resolve(campaign_id, _MEASURE_REF, measure, {}))
            if segment is not None:
                where.append("r.segment_id = ?")
                params.append(self._resolve(campaign_id, _SEGMENT_REF, segment, {}))
            if since_start:
                where.append("r.date >= COALESCE(c.start_date, '')")
            names = {
                t: dict(
                    self.conn.execute(
                        f"SELECT id, name FROM {t} WHERE campaign_id = ?", [campaign_id]
                    ).fetchall()
                )
                for t in ("measures", *([table] if table else []))
            }
            rows = self.conn.execute(
                f"""SELECT r.{column}, r.measure_id, SUM(r.value), COUNT(*),
                           COALESCE(SUM(r.trials), 0),
                           COALESCE(SUM(CASE WHEN r.trials IS NOT NULL THEN r.value END), 0),
                           COALESCE(SUM(r.value * r.trials), 0), COUNT(r.trials)
                    FROM {source} JOIN campaigns c ON c.id = r.campaign_id
                    WHERE {" AND ".join(where)}
                    GROUP BY 1, 2""",
                params,
            ).fetchall()
        keys = names[table] if table else {}
        return [
            ResultSum(
                keys[key] if table and key is not None else key,
                names["measures"][measure_id],
                *sums,
            )
            for key, measure_id, *sums in rows
        ]

    @_guarded
    def tracking_data(
        self, campaign_id: int, *, today: dt.date | None = None
    ) -> tuple[Campaign, TrackingData]:
        """The plan (without its costs and results) and what its costs and results add up
        to, read in one snapshot so that they agree: the figures the brief, the report and the
        tracking screen show. Costs and results dated after ``today`` are left out and
        counted apart; without ``today`` everything is counted."""
        with self._read():
            campaign = self.get_campaign(campaign_id, tracking=False)
            return campaign, self._tracking_data(campaign_id, campaign.start_date, today)

    def _tracking_data(
        self, campaign_id: int, start: dt.date | None, today: dt.date | None = None
    ) -> TrackingData:
        day = _day_literal(today)
        later = _after("c", day)
        spend_rows: dict[tuple[str, int], list[Any]] = {}
        names: dict[int, str | None] = {}
        for channel, activity_id, name, amount, entries in self.conn.execute(
            """SELECT t.channel, t.activity_id, a.name, t.amount_minor, t.entries
               FROM cost_totals t LEFT JOIN activities a ON a.id = t.activity_id
               WHERE t.campaign_id = ?
               ORDER BY a.position IS NULL, a.position, t.channel""",
            [campaign_id],
        ):
            spend_rows[(channel, activity_id)] = [amount, entries]
            names[activity_id] = name
        # The costs dated after today come off the running totals (there are few: the index
        # on the date finds them).
        for channel, activity_id, amount, entries in self.conn.execute(
            f"""SELECT COALESCE(c.channel, ''), COALESCE(c.activity_id, 0), SUM(c.amount_minor),
                       COUNT(*)
                FROM costs c WHERE c.campaign_id = ? AND {later} GROUP BY 1, 2""",
            [campaign_id],
        ):
            kept = spend_rows[(channel, activity_id)]
            kept[0] -= amount
            kept[1] -= entries
        spend = [
            SpendTotal(channel or None, names[activity_id], amount, entries)
            for (channel, activity_id), (amount, entries) in spend_rows.items()
            if entries
        ]
        days = [
            DaySpend(date, channel or None, amount, entries)
            for date, channel, amount, entries in self.conn.execute(
                f"""SELECT date, channel, amount_minor, entries FROM cost_days
                    WHERE campaign_id = ? AND date <= '{day}'
                    UNION ALL
                    SELECT c.date, COALESCE(c.channel, ''), SUM(c.amount_minor), COUNT(*)
                    FROM costs c WHERE c.campaign_id = ? AND c.date > '{day}' AND NOT {later}
                    GROUP BY 1, 2
                    ORDER BY 1, 2""",
                [campaign_id, campaign_id],
            )
        ]
        first = days[0].date if days else None
        last = days[-1].date if days else None
        measures = self._measure_figures("m.campaign_id = ?", [campaign_id], start, today)
        months: dict[int, list[tuple[str, float, int]]] = {}
        for measure_id, month, total, entries in self.conn.execute(
            f"""SELECT measure_id, substr(date, 1, 7), SUM(total), SUM(entries) FROM (
                    SELECT measure_id, date, total, entries FROM result_days
                    WHERE campaign_id = ? AND date <= '{day}'
                    UNION ALL
                    SELECT r.measure_id, r.date, r.value, 1 FROM results r
                    WHERE r.campaign_id = ? AND r.date > '{day}' AND NOT {_after("r", day)}
                ) GROUP BY 1, 2 ORDER BY 1, 2""",
            [campaign_id, campaign_id],
        ):
            months.setdefault(measure_id, []).append((month, total, entries))
        measures = [m._replace(months=tuple(months.get(m.measure_id, ()))) for m in measures]
        return TrackingData(
            spend,
            days,
            first,
            last,
            measures,
            self._uncounted(campaign_id, day),
            evidence := self._evidence(campaign_id),
            self.result_sums(
                campaign_id, "influencer", today=today, since_start=True, named_only=True
            )
            if evidence.influencers_with_results
            else [],
        )

    def _evidence(self, campaign_id: int) -> LoopEvidence:
        """What the campaign's results show of a closed loop. Each count asks, of each of the
        campaign's variants, influencers and activities (a few dozen), whether a result names
        it, through the results' index of that link: however many results this campaign or
        any other holds, a few dozen index lookups."""

        def named(table: str, column: str, more: str = "") -> str:
            return (
                f"(SELECT COUNT(*) FROM {table} t WHERE t.campaign_id = :id AND EXISTS "
                f"(SELECT 1 FROM results r INDEXED BY results_{column.removesuffix('_id')} "
                f"WHERE r.{column} = t.id{more}))"
            )

        return LoopEvidence(
            *self.conn.execute(
                f"""SELECT {named("message_variants", "variant_id", " AND r.trials IS NOT NULL")},
                    {named("influencers", "influencer_id")},
                    {named("activities", "activity_id")},
                    (SELECT COUNT(*) FROM imports
                     WHERE campaign_id = :id AND kind = 'results' AND undone_at IS NULL)""",
                {"id": campaign_id},
            ).fetchone()
        )

    def _uncounted(self, campaign_id: int, day: str) -> Uncounted:
        """The costs and results of a campaign dated after ``day``."""
        costs, minor, first_cost = self.conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(c.amount_minor), 0), "
            "MIN(COALESCE(c.period_start, c.date)) "
            f"FROM costs c WHERE c.campaign_id = ? AND {_after('c', day)}",
            [campaign_id],
        ).fetchone()
        results, first_result = self.conn.execute(
            "SELECT COUNT(*), MIN(COALESCE(r.period_start, r.date)) "
            f"FROM results r WHERE r.campaign_id = ? AND {_after('r', day)}",
            [campaign_id],
        ).fetchone()
        firsts = [d for d in (first_cost, first_result) if d]
        return Uncounted(costs, minor, results, min(firsts) if firsts else None)

    def _measure_figures(
        self,
        where: str,
        params: list[Any],
        start: dt.date | None = None,
        today: dt.date | None = None,
    ) -> list[MeasureFigures]:
        """The figures of the measures matched by ``where`` (over ``measures m`` joined with
        ``campaigns c``); each measure's campaign start date splits before from after, and
        results dated after ``today`` are left out."""
        return [MeasureFigures(*row) for row in self._figures_rows(where, params, today=today)]

    def _figures_rows(
        self, where: str, params: list[Any], measure: str = "", *, today: dt.date | None = None
    ) -> sqlite3.Cursor:
        """The rows of ``MeasureFigures`` for the measures matched by ``where``, each after
        the columns of ``measures m`` named in ``measure`` (``"m.unit, "``). Results dated
        after ``today`` are left out: the running totals up to it, and the few results past
        it whose period has begun."""
        day = _day_literal(today)
        counted = f"NOT {_after('r', day)}"

        def pick(condition: str, order: str) -> str:
            return (
                "(SELECT r.id FROM results r WHERE r.campaign_id = m.campaign_id "
                f"AND r.measure_id = m.id AND {condition} AND {counted} "
                f"ORDER BY {order} LIMIT 1)"
            )

        def since_today(what: str, condition: str = "1") -> str:
            return (
                f"(SELECT {what} FROM results r WHERE r.campaign_id = m.campaign_id "
                f"AND r.measure_id = m.id AND r.date > '{day}' AND {counted} AND {condition})"
            )

        on_or_after = "r.date >= COALESCE(c.start_date, '')"
        picked = measure.replace("m.", "p.")

        # the parts of a date's figure: every result of the measure on that date, packed
        def on(alias: str) -> str:
            return (
                "(SELECT SUM(r.value) || '|' || COUNT(*) || '|' || "
                "COALESCE(SUM(r.value * r.trials), 0) || '|' || COALESCE(SUM(r.trials), 0) "
                "|| '|' || COUNT(r.trials) FROM results r WHERE r.campaign_id = p.campaign_id "
                f"AND r.measure_id = p.id AND r.date = {alias}.date AND {counted})"
            )

        on_dates = f"{on('l')}, {on('b')}, {on('f')}"
        return self.conn.execute(
            f"""WITH picked AS (
                    SELECT {measure}m.id, m.name, m.campaign_id, m.position,
                        COALESCE((SELECT SUM(d.entries) FROM result_days d
                         WHERE d.campaign_id = m.campaign_id AND d.measure_id = m.id
                           AND d.date <= '{day}'), 0) + {since_today("COUNT(*)")} AS n,
                        COALESCE((SELECT SUM(d.total) FROM result_days d
                         WHERE d.campaign_id = m.campaign_id AND d.measure_id = m.id
                           AND d.date >= COALESCE(c.start_date, '') AND d.date <= '{day}'), 0)
                          + COALESCE({since_today("SUM(r.value)", on_or_after)}, 0) AS total,
                        {pick(on_or_after, "r.date DESC, r.id DESC")} AS latest_id,
                        {pick("r.date < COALESCE(c.start_date, '')", "r.date DESC, r.id DESC")}
                            AS before_id,
                        {pick(on_or_after, "r.date, r.id")} AS first_id
                    FROM measures m JOIN campaigns c ON c.id = m.campaign_id
                    WHERE {where}
                )
                SELECT {picked}p.id, p.name, COALESCE(p.n, 0), l.date, l.value, b.date, b.value,
                       f.date, f.value, COALESCE(p.total, 0), {on_dates}
                FROM picked p
                LEFT JOIN results l ON l.id = p.latest_id
                LEFT JOIN results b ON b.id = p.before_id
                LEFT JOIN results f ON f.id = p.first_id
                ORDER BY p.campaign_id, p.position, p.id""",
            params,
        )

    @_guarded
    def measure_days(
        self, campaign_id: int, measure: str, *, today: dt.date | None = None
    ) -> list[tuple[str, float, int]]:
        """A measure's results by day: (date, sum of that day's results, how many); those
        dated after ``today`` left out."""
        measure_id = self._resolve(campaign_id, _MEASURE_REF, measure, {})
        day = _day_literal(today)
        return [
            tuple(row)
            for row in self.conn.execute(
                f"""SELECT date, total, entries FROM result_days
                    WHERE campaign_id = ? AND measure_id = ? AND date <= '{day}'
                    UNION ALL
                    SELECT r.date, SUM(r.value), COUNT(*) FROM results r
                    WHERE r.campaign_id = ? AND r.measure_id = ? AND r.date > '{day}'
                      AND NOT {_after("r", day)}
                    GROUP BY 1
                    ORDER BY 1""",
                [campaign_id, measure_id, campaign_id, measure_id],
            )
        ]

    @_guarded
    def portfolio(
        self, *, include_archived: bool = False, today: dt.date | None = None
    ) -> list[PortfolioRow]:
        """Every campaign with what it has spent and its primary measure's figures (what is
        dated after ``today`` left out)."""
        return self.portfolio_of(
            self.list_campaigns(include_archived=include_archived), today=today
        )

    @_guarded
    def portfolio_of(
        self, summaries: list[CampaignSummary], *, today: dt.date | None = None
    ) -> list[PortfolioRow]:
        """These campaigns (as ``list_campaigns`` read them) with what each has spent and its
        primary measure's figures: the home screen reads a page at a time. Costs and results
        dated after ``today`` are left out."""
        day = _day_literal(today)
        spent: dict[int, int] = {}
        measures: dict[int, PrimaryMeasure] = {}
        figures: dict[int, MeasureFigures] = {}
        categories = {c.value: c for c in MeasureCategory}
        directions = {d.value: d for d in Direction}
        for chunk in _chunks([s.id for s in summaries], 500):
            marks = ", ".join("?" for _ in chunk)
            spent.update(
                self.conn.execute(
                    "SELECT campaign_id, SUM(amount_minor) FROM cost_totals "
                    f"WHERE campaign_id IN ({marks}) GROUP BY campaign_id",
                    chunk,
                )
            )
            for campaign_id, later in self.conn.execute(
                "SELECT c.campaign_id, SUM(c.amount_minor) FROM costs c "
                f"WHERE c.campaign_id IN ({marks}) AND {_after('c', day)} GROUP BY 1",
                chunk,
            ):
                spent[campaign_id] -= later
            # Each campaign's primary measure (the one marked, else the first) with its
            # figures, in one query. The rows were checked when they were written: read as
            # plain records, without the models (the list is the first thing that shows).
            for row in self._figures_rows(
                f"c.id IN ({marks}) AND m.id = (SELECT p.id FROM measures p "
                "WHERE p.campaign_id = c.id ORDER BY p.is_primary DESC, p.position, p.id "
                "LIMIT 1)",
                chunk,
                "m.campaign_id, m.category, m.unit, m.direction, m.baseline, m.target, "
                "m.is_revenue, ",
                today=today,
            ):
                campaign_id, category, unit, direction, baseline, target, revenue = row[:7]
                found = MeasureFigures(*row[7:])
                figures[campaign_id] = found
                measures[campaign_id] = PrimaryMeasure(
                    found.measure_id,
                    found.measure,
                    categories[category],
                    unit,
                    directions[direction],
                    baseline,
                    target,
                    bool(revenue),
                )
        return [
            PortfolioRow(s, spent.get(s.id, 0), measures.get(s.id), figures.get(s.id))
            for s in summaries
        ]
