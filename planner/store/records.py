"""The plain records the store's readers return: tracking figures, a page of a long list, a
portfolio row, what an add made, a revision of the plan, what a restore did, and the doctor's
health report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from planner.domain.records import CampaignSummary, PrimaryMeasure
from planner.store.connection import LOW_SPACE


class SpendTotal(NamedTuple):
    """The costs recorded for one channel and one activity (either may be None)."""

    channel: str | None
    activity: str | None
    amount_minor: int
    entries: int


class DaySpend(NamedTuple):
    date: str
    channel: str | None
    amount_minor: int
    entries: int


class MeasureFigures(NamedTuple):
    """What the results of one measure come to, read from the database in one query.

    ``latest`` is the newest result dated on or after the campaign's start (the newest of all
    when the campaign has no start date), ``before`` the newest dated before the start, and
    ``first`` the earliest on or after it; ``total`` adds up the results from the start on.
    """

    measure_id: int
    measure: str
    count: int
    latest_date: str | None
    latest: float | None
    before_date: str | None
    before: float | None
    first_date: str | None
    first: float | None
    total: float
    # The results on the latest, the "before" and the first date (variants, activities... of
    # one day), each as "sum|count|weighted|trials|with trials": their sum, how many, and
    # over those that say what they are out of, each value times it, that figure added up
    # and how many (``parts`` reads it, ``planner.domain.measures.combined`` makes one
    # figure of them)
    latest_parts: str | None = None
    before_parts: str | None = None
    first_parts: str | None = None
    months: tuple[tuple[str, float, int], ...] = ()  # (YYYY-MM, sum of results, how many)


def parts(text: str | None) -> tuple[float, int, float, float, int]:
    """A date's results as ``MeasureFigures`` packs them: (sum, count, weighted, trials,
    with trials); none: (0, 0, 0, 0, 0)."""
    if not text:
        return 0.0, 0, 0.0, 0.0, 0
    total, count, weighted, trials, with_trials = text.split("|")
    return float(total), int(count), float(weighted), float(trials), int(with_trials)


class Uncounted(NamedTuple):
    """Costs and results dated after the day the figures are worked out for (their period
    starting after it): stored, but left out of every figure until their day comes."""

    costs: int = 0
    cost_minor: int = 0
    results: int = 0
    first_date: str | None = None  # the earliest of their dates (a period's first day)

    def __bool__(self) -> bool:
        return bool(self.costs or self.results)


class ResultSum(NamedTuple):
    """What the results of one measure come to for one variant, activity, segment, influencer
    or channel (``key``: its name, or the channel's value; None for the results that name
    none). ``trials``, ``tried`` and ``weighted`` add up, over the ``with_trials`` results
    that say what they are out of, that figure, their values, and each value times it."""

    key: str | None
    measure: str
    total: float
    entries: int
    trials: float
    tried: float
    weighted: float
    with_trials: int


class LoopEvidence(NamedTuple):
    """What a campaign's results show of a closed loop: how many message variants have results
    saying what they were out of, how many influencers and activities have results of their
    own, and how many imports of results stand."""

    variants_tested: int = 0
    influencers_with_results: int = 0
    activities_with_results: int = 0
    results_imports: int = 0


class TrackingData(NamedTuple):
    """A campaign's costs and results, aggregated in SQL. With a day to work them out for,
    what is dated after it is left out and counted in ``uncounted``."""

    spend: list[SpendTotal]
    days: list[DaySpend]
    first_date: str | None
    last_date: str | None
    measures: list[MeasureFigures]
    uncounted: Uncounted = Uncounted()
    evidence: LoopEvidence = LoopEvidence()
    # The results that name an influencer, by influencer and measure, since the start.
    by_influencer: list[ResultSum] = []

    @property
    def empty(self) -> bool:
        return not self.spend and not any(m.count for m in self.measures) and not self.uncounted


class Page(NamedTuple):
    """One page of a long list: its rows, and how many there are in all."""

    rows: list[Any]
    total: int
    offset: int


class PortfolioRow(NamedTuple):
    """One campaign as the portfolio shows it."""

    campaign: CampaignSummary
    spent_minor: int
    primary: PrimaryMeasure | None
    figures: MeasureFigures | None


class Added(NamedTuple):
    """What ``add_item`` made: the new row's id and the campaign's version after the write."""

    id: int
    version: int


class Revision(NamedTuple):
    """One saved change of a campaign's plan.

    ``target`` is what changed: ``campaign`` (overview fields), ``mix:<p>`` (an element of the
    7Ps) or ``<table>:<id>`` (an item). ``action`` is how: ``set`` (fields changed; ``before``
    and ``after`` hold the fields, or the whole item), ``add`` and ``delete`` (the item with its
    position on the side where it exists, None on the other) or ``move`` (its position on each
    side, counted from 0). ``kind`` is ``change`` for an edit, or ``undo``, ``redo`` or
    ``revert`` for a revision that put back the ``before`` of revision ``reverses``.
    ``version`` is the campaign's version the change produced; ``created_at`` is UTC."""

    id: int
    campaign_id: int
    created_at: str
    version: int
    kind: str
    reverses: int | None
    target: str
    action: str
    label: str
    before: Any
    after: Any

    def as_json(self) -> dict[str, Any]:
        """As ``planner history --json`` gives it: the fields, and ``revision`` (the number
        ``revert`` takes, the same as ``id``)."""
        return {"revision": self.id, **self._asdict()}

    def changed_fields(self) -> list[str]:
        """The fields a ``set`` revision changed, in their order."""
        if self.action != "set":
            return []
        before, after = self.before or {}, self.after or {}
        return [k for k in after if before.get(k) != after.get(k)]


class Restored(NamedTuple):
    """What ``restore_database`` did."""

    backup: Path
    database: Path
    kept: Path | None  # where the database's previous content was kept (None: there was none)
    damaged: bool  # the previous content was damaged, kept as SQLite read it, unchecked
    campaigns: int  # in the backup, archived ones included
    upgraded: bool  # the backup was of an older planner, and the database is upgraded


@dataclass(frozen=True)
class Health:
    """What ``planner doctor`` finds in a database file."""

    path: Path
    size_bytes: int
    backups: list[Path]
    unreadable: str = ""  # why the file could not be checked at all (not SQLite, damaged...)
    malformed: bool = False  # unreadable for damage SQLite met while reading it
    disk_fault: str = ""  # why the disk kept SQLite from checking it (full, failing): no damage
    integrity: list[str] = field(default_factory=list)  # SQLite's findings; empty when whole
    broken_links: dict[str, int] = field(default_factory=dict)  # table: rows pointing nowhere
    applied: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # schema changes this planner would apply
    unknown: list[str] = field(default_factory=list)  # schema changes of a newer planner
    campaigns: int = 0
    archived: int = 0
    free_bytes: int | None = None  # room left on the disk of its folder
    wal_bytes: int = 0  # the size of its write-ahead log: changes not yet in the file, at most
    removed: list[Path] = field(default_factory=list)  # unfinished copies cleared away

    @property
    def disk_full(self) -> bool:
        return self.free_bytes is not None and self.free_bytes < LOW_SPACE

    @property
    def damaged(self) -> bool:
        """Whether the file itself needs mending (a backup restored), not the disk."""
        return bool(self.unreadable or self.integrity or self.broken_links)

    @property
    def damaged_pages(self) -> bool:
        """A SQLite file damaged within, of which no checked backup can be made."""
        return self.malformed or bool(self.integrity)

    @property
    def healthy(self) -> bool:
        return not (self.damaged or self.unknown or self.disk_fault or self.disk_full)
