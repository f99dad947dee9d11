"""Every line of SQL in the planner: the schema, its migrations, and the queries.

One SQLite file holds every campaign. The store opens it in WAL mode with foreign keys on and a
busy timeout, applies pending migrations, and offers functions that each run in one
transaction. Each campaign has a ``version``: every write to a campaign checks the version the
caller read and bumps it, so a write based on a stale read is refused instead of applied.

The ``Store`` is composed of one part per concern, each a module of this package:

- ``connection``: opening the file through SQLite, and its errors in words;
- ``schema`` (with ``rollups``, the running totals): the tables and their migrations;
- ``mapping``: how each kind of item maps to its table;
- ``records``: the records the readers return;
- ``base``: the ``Store``'s base: opening, transactions, versions;
- ``campaigns``, ``items``, ``entries``, ``figures``, ``imports``, ``reviews``, ``settings``,
  ``history``, ``trash``, ``calendar``: the ``Store``'s methods, one aggregate each;
- ``copies`` and ``maintenance``: backups, restores and the doctor's health check.
"""

from __future__ import annotations

from planner.store.calendar import CalendarMixin
from planner.store.campaigns import CampaignsMixin
from planner.store.clients import ClientsMixin
from planner.store.connection import explain_sqlite_error
from planner.store.copies import backup_database
from planner.store.entries import EntriesMixin
from planner.store.figures import FiguresMixin
from planner.store.history import HistoryMixin
from planner.store.imports import ImportsMixin
from planner.store.items import ItemsMixin
from planner.store.maintenance import check_database, restore_database
from planner.store.records import (
    Health,
    LoopEvidence,
    MeasureFigures,
    Page,
    PortfolioRow,
    ResultSum,
    Revision,
    TrackingData,
    Uncounted,
)
from planner.store.reviews import ReviewsMixin
from planner.store.revisions import field_label
from planner.store.settings import SettingsMixin
from planner.store.trash import TrashMixin

__all__ = [
    "Health",
    "LoopEvidence",
    "MeasureFigures",
    "Page",
    "PortfolioRow",
    "ResultSum",
    "Revision",
    "Store",
    "TrackingData",
    "Uncounted",
    "backup_database",
    "check_database",
    "explain_sqlite_error",
    "field_label",
    "restore_database",
]


class Store(
    CampaignsMixin,
    ItemsMixin,
    EntriesMixin,
    FiguresMixin,
    ImportsMixin,
    ReviewsMixin,
    SettingsMixin,
    HistoryMixin,
    TrashMixin,
    CalendarMixin,
    ClientsMixin,
):
    """The planner's database. Use ``Store.open(path)``; close it with ``close()``."""
