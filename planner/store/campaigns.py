"""Campaigns as a whole: create one, read it back (with its items), list, count, archive and
change its overview fields.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain
from typing import TYPE_CHECKING, Any

from planner.domain.errors import (
    DatabaseError,
    NotFoundError,
    PlannerError,
    describe_validation_error,
    is_validation_error,
)
from planner.domain.later import Later
from planner.domain.money import exponent
from planner.domain.records import CampaignStatus, CampaignSummary, MixP
from planner.domain.styles import default_style
from planner.domain.words import practice_key
from planner.store.base import StoreBase, _now, _to_db
from planner.store.connection import _guarded
from planner.store.imports import _BULK_ROWS
from planner.store.mapping import _CAMPAIGN_COLUMNS, _campaign_fields, _Spec, _specs
from planner.store.revisions import field_label

if TYPE_CHECKING:
    import json

    from planner.domain import models
    from planner.domain.models import Campaign, Entry, EntryRows, MarketingMix, MixElement
else:
    # The models need pydantic; the planner starts without loading them, nor JSON.
    models = Later("planner.domain.models")
    json = Later("json")


@functools.lru_cache(maxsize=256)
def _list_style(chosen: str | None, jurisdictions: str, currency: str) -> str:
    """A listed campaign's number style from its row: the one it chose, or the one its
    jurisdictions (as stored, JSON) and currency give."""
    return chosen or default_style(re.findall(r'"(\w+)"', jurisdictions), currency)


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


# The campaigns not archived, written as the index campaigns_list has it (schema 0025), so
# that the list's first page is read in its order from the index and stops at the page's end
# (without the archived, "archived last" is no part of the order: SQLite would sort for it),
# and the count is taken from the index alone, instead of reading and sorting every campaign
# (at 20,000: 0.5 ms rather than 40 for the page, 3.5 rather than 36 for the count).
_ACTIVE = " AND (c.archived_at IS NOT NULL) = 0"

# The list grouped by practice: those naming none last, then by the practice's name however it
# is cased or spaced (as practice_key compares names).
_BY_PRACTICE = (
    "TRIM(COALESCE(c.practice, '')) = '', "
    "LOWER(REPLACE(REPLACE(TRIM(COALESCE(c.practice, '')), '   ', ' '), '  ', ' ')), "
)


class CampaignsMixin(StoreBase):
    """Campaigns as a whole."""

    @_guarded
    def create_campaign(
        self,
        campaign: Campaign,
        entries: Iterable[Entry | EntryRows] = (),
        expected: Mapping[str, int] | None = None,
    ) -> int:
        """Save a whole campaign as a new one, in one transaction; returns its id.

        ``entries`` gives more costs and results, after the campaign's own, each already
        validated against the campaign (``planner.plan.exchange.open_export`` reads them one
        at a time from a file): they are written as they come, a thousand at a time, so that
        a campaign with a million costs is created in the memory of one with none. If it
        raises, or any entry cannot be written, nothing is saved."""
        campaign = models.Campaign.model_validate(campaign.model_dump())
        now = _now()
        bulk = sum((expected or {}).values()) >= _BULK_ROWS
        with self._unchecked_references(bulk), self._write():
            row = {col: _to_db(getattr(campaign, col)) for col in _CAMPAIGN_COLUMNS}
            row.update(
                version=1,
                created_at=now,
                updated_at=now,
                message_version=campaign.message_version,
            )
            cur = self.conn.execute(
                f"INSERT INTO campaigns ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                list(row.values()),
            )
            campaign_id = cur.lastrowid
            self._write_mix(campaign_id, campaign.mix)
            names: dict[str, dict[str, int]] = {}
            for list_field, model in _campaign_fields():
                if model in (models.Cost, models.Result):
                    continue  # written below, with the entries
                spec = _specs()[model]
                ids = names.setdefault(spec.table, {})
                for position, item in enumerate(getattr(campaign, list_field)):
                    item_id = self._insert_item(campaign_id, item, position, names)
                    if hasattr(item, "name"):
                        ids[item.name.casefold()] = item_id
            for waiver in campaign.disabled_rules:
                self._write_waiver(campaign_id, waiver)
            for decision in campaign.finding_decisions:
                self._write_decision(campaign_id, decision)
            entries = chain(campaign.costs, campaign.results, entries)
            self._write_entries(campaign_id, entries, expected)
        return campaign_id

    @contextlib.contextmanager
    def _unchecked_references(self, unchecked: bool) -> Iterator[None]:
        """With ``unchecked``, the write inside does not have SQLite check each new row's
        references (a tenth of the time of a million costs): a new campaign's costs and
        results name only the items written with it, each looked up by ``_resolve`` in the
        same transaction, so there is nothing for it to find. SQLite changes this setting
        only outside a transaction, and it is set back however the write ends."""
        if not unchecked or self.conn.in_transaction:
            yield
            return
        self.conn.execute("PRAGMA foreign_keys = OFF")
        try:
            yield
        finally:
            self.conn.execute("PRAGMA foreign_keys = ON")

    def _write_mix(self, campaign_id: int, mix: MarketingMix) -> None:
        for p, element in mix.elements():
            self._write_mix_element(campaign_id, p, element)

    def _write_mix_element(self, campaign_id: int, p: MixP, element: MixElement) -> None:
        self.conn.execute(
            "INSERT INTO marketing_mix (campaign_id, p, description, items) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (campaign_id, p) DO UPDATE SET "
            "description = excluded.description, items = excluded.items",
            [campaign_id, p.value, element.description, _to_db(element.items)],
        )

    @_guarded
    def get_campaign(self, campaign_id: int, *, tracking: bool = True) -> Campaign:
        """The whole campaign; ``tracking=False`` leaves out costs and results."""
        with self._read():
            try:
                return self._load_campaign(campaign_id, tracking)
            except (json.JSONDecodeError, KeyError, TypeError):
                detail = "a list column does not hold valid JSON"
            except Exception as exc:
                if not is_validation_error(exc):
                    raise
                detail = describe_validation_error(exc)  # type: ignore[arg-type]
            raise DatabaseError(
                f"Campaign {campaign_id} in the database holds a value the planner cannot "
                f"read ({detail.rstrip('.')}); correct it in the file or restore a backup."
            ) from None

    def _load_campaign(self, campaign_id: int, tracking: bool) -> Campaign:
        row = self.conn.execute("SELECT * FROM campaigns WHERE id = ?", [campaign_id]).fetchone()
        if row is None:
            raise NotFoundError(self._no_campaign(campaign_id))
        cols = [d[0] for d in self.conn.execute("SELECT * FROM campaigns LIMIT 0").description]
        record = dict(zip(cols, row, strict=True))
        if record["deleted_at"] is not None:
            raise NotFoundError(self._in_trash(campaign_id))
        data: dict[str, Any] = {col: record[col] for col in _CAMPAIGN_COLUMNS}
        data["jurisdictions"] = json.loads(record["jurisdictions"])
        data.update(
            id=record["id"],
            version=record["version"],
            archived=record["archived_at"] is not None,
            message_version=record["message_version"],
        )
        data["disabled_rules"] = list(
            self._query(
                "SELECT rule_id, reason, created_at FROM rule_waivers WHERE campaign_id = ? "
                "ORDER BY rule_id",
                [campaign_id],
            )
        )
        data["finding_decisions"] = list(
            self._query(
                "SELECT key, rule_id, decision, reason, name, created_at FROM finding_decisions "
                "WHERE campaign_id = ? ORDER BY created_at, key",
                [campaign_id],
            )
        )
        data["mix"] = {
            p: {"description": d, "items": json.loads(items)}
            for p, d, items in self.conn.execute(
                "SELECT p, description, items FROM marketing_mix WHERE campaign_id = ?",
                [campaign_id],
            )
        }
        names: dict[str, dict[int, str]] = {}
        for list_field, model in _campaign_fields():
            if not tracking and model in (models.Cost, models.Result):
                data[list_field] = []
                continue
            spec = _specs()[model]
            items = [self._item_from_row(spec, r, names) for r in self._rows(spec, campaign_id)]
            names[spec.table] = {item["id"]: item["name"] for item in items if "name" in item}
            data[list_field] = items
        return models.Campaign.model_validate(data)

    def _rows(self, spec: _Spec, campaign_id: int) -> Iterator[dict[str, Any]]:
        order = "position, id" if spec.ordered else "id"
        yield from self._query(
            f"SELECT * FROM {spec.table} WHERE campaign_id = ? ORDER BY {order}", [campaign_id]
        )

    def _item_from_row(
        self, spec: _Spec, row: dict[str, Any], names: dict[str, dict[int, str]]
    ) -> dict[str, Any]:
        data: dict[str, Any] = {}
        columns = spec.fields_by_column
        for column, value in row.items():
            field_name = columns.get(column)
            if field_name is None:
                continue
            if field_name in spec.json_fields:
                value = json.loads(value)
            data[field_name] = value
        for ref in spec.refs:
            ref_id = row[ref.column]
            data[ref.field] = None if ref_id is None else names[ref.table][ref_id]
        if spec.model is models.Influencer:
            data["segments"] = [
                names["segments"][seg_id]
                for (seg_id,) in self.conn.execute(
                    "SELECT s.id FROM influencer_segments i JOIN segments s "
                    "ON s.id = i.segment_id WHERE i.influencer_id = ? ORDER BY i.rowid",
                    [row["id"]],
                )
            ]
        elif spec.model is models.MessageVariant:
            data["claims"] = [
                models.Claim(
                    id=claim["id"],
                    text=claim["text"],
                    evidence_kind=claim["evidence_kind"],
                    evidence_reference=claim["evidence_reference"],
                )
                for claim in self._query(
                    "SELECT * FROM claims WHERE message_id = ? ORDER BY position, id",
                    [row["id"]],
                )
            ]
            data["testimonials"] = [
                models.Testimonial(
                    id=said["id"],
                    text=said["text"],
                    endorser=said["endorser"],
                    consent_on_file=bool(said["consent_on_file"]),
                    connection=said["connection"],
                    connection_disclosed=bool(said["connection_disclosed"]),
                    typicality=said["typicality"],
                )
                for said in self._query(
                    "SELECT * FROM testimonials WHERE message_id = ? ORDER BY position, id",
                    [row["id"]],
                )
            ]
        return data

    @_guarded
    def list_campaigns(
        self,
        *,
        include_archived: bool = False,
        limit: int | None = None,
        practice: str | None = None,
        by_practice: bool = False,
    ) -> list[CampaignSummary]:
        """The campaigns in the list's order (by name, the archived last), or the first
        ``limit`` of them; with ``practice``, only that practice's (however its campaigns
        case or space its name); ``by_practice``: grouped by practice (each practice's by
        name, however it is cased or spaced; those naming none last)."""
        only, spellings = self._practice_filter(practice)
        where = "WHERE c.deleted_at IS NULL" + only + ("" if include_archived else _ACTIVE)
        # In the order of CampaignSummary's fields. The rows were checked when they were
        # written: a list of two thousand campaigns is read without checking each again.
        rows = self.conn.execute(
            f"""SELECT c.id, c.name, COALESCE(c.practice, ''), c.status, c.start_date,
                       c.end_date, c.currency,
                       COALESCE((SELECT SUM(b.amount_minor) FROM budget_lines b
                                 WHERE b.campaign_id = c.id), 0),
                       c.archived_at IS NOT NULL, c.version, COALESCE(c.updated_at, ''),
                       c.number_style, c.jurisdictions
                FROM campaigns c
                {where}
                ORDER BY {"c.archived_at IS NOT NULL, " if include_archived else ""}
                         {_BY_PRACTICE if by_practice else ""}
                         c.name COLLATE NOCASE, c.id
                LIMIT ?""",
            [*spellings, -1 if limit is None else limit],
        )
        status = {s.value: s for s in CampaignStatus}
        day = _day
        style = _list_style
        return [
            CampaignSummary(
                i, n, p, status[st], day(sd), day(ed), cur, b, bool(a), v, u, style(ns, j, cur)
            )
            for i, n, p, st, sd, ed, cur, b, a, v, u, ns, j in rows
        ]

    @_guarded
    def count_campaigns(self, *, include_archived: bool = True, practice: str | None = None) -> int:
        only, spellings = self._practice_filter(practice)
        where = " WHERE c.deleted_at IS NULL" + only + ("" if include_archived else _ACTIVE)
        sql = f"SELECT COUNT(*) FROM campaigns c{where}"
        return self.conn.execute(sql, spellings).fetchone()[0]

    @_guarded
    def has_campaigns(self) -> bool:
        """Whether any campaign is kept (archived or not; not in the trash): what
        ``count_campaigns() > 0`` says, without counting them all."""
        sql = "SELECT EXISTS (SELECT 1 FROM campaigns c WHERE c.deleted_at IS NULL)"
        return bool(self.conn.execute(sql).fetchone()[0])

    def _practice_filter(self, practice: str | None) -> tuple[str, list[str]]:
        """The condition (on ``c``) that keeps one practice's campaigns, and its parameters:
        the ways its campaigns write its name."""
        if practice is None:
            return "", []
        key = practice_key(practice)
        spellings = [
            name
            for (name,) in self.conn.execute("SELECT DISTINCT practice FROM campaigns")
            if practice_key(name or "") == key
        ]
        if not spellings:
            return " AND 0", []
        return f" AND c.practice IN ({', '.join('?' * len(spellings))})", spellings

    @_guarded
    def set_archived(
        self, campaign_id: int, archived: bool, *, expected_version: int | None = None
    ) -> int:
        """Archive (a soft delete that can be undone) or unarchive; returns the new version."""
        with self._write():
            version = self._bump(campaign_id, expected_version)
            self.conn.execute(
                "UPDATE campaigns SET archived_at = ? WHERE id = ?",
                [_now() if archived else None, campaign_id],
            )
        return version

    @_guarded
    def update_campaign(
        self, campaign_id: int, changes: dict[str, Any], *, expected_version: int | None
    ) -> int:
        """Change overview fields (name, dates, status, ...); validated as a whole campaign.
        Whether a campaign may be approved is not decided here: a status change goes through
        ``planner.compliance.approval.update_campaign``."""
        unknown = set(changes) - set(_CAMPAIGN_COLUMNS)
        if unknown:
            raise PlannerError(f"A campaign has no field called {sorted(unknown)[0]!r}.")
        with self._write():
            current = self.get_campaign(campaign_id, tracking=False)
            updated = models.Campaign.model_validate(
                {**current.model_dump(), **changes, "costs": [], "results": []}
            )
            self._check_currency_change(campaign_id, current.currency, updated.currency)
            version = self._bump(campaign_id, expected_version)
            before = self._message_fingerprint(campaign_id, "core_message" in changes)
            assignments = ", ".join(f"{col} = ?" for col in changes)
            self.conn.execute(
                f"UPDATE campaigns SET {assignments} WHERE id = ?",
                [_to_db(getattr(updated, col)) for col in changes] + [campaign_id],
            )
            self._messages_written(campaign_id, before, "core_message" in changes)
            old, new = current.model_dump(mode="json"), updated.model_dump(mode="json")
            fields = [c for c in _CAMPAIGN_COLUMNS if c in changes and old[c] != new[c]]
            self._record(
                campaign_id,
                version,
                "campaign",
                "set",
                ", ".join(field_label(col, first=True) for col in fields),
                {col: old[col] for col in fields},
                {col: new[col] for col in fields},
            )
        return version

    @_guarded
    def check_currency_change(self, campaign_id: int, new: str) -> None:
        """Raise ``PlannerError`` if the campaign cannot move to currency ``new``."""
        (old,) = self.conn.execute(
            "SELECT currency FROM campaigns WHERE id = ?", [campaign_id]
        ).fetchone() or ("",)
        self._check_currency_change(campaign_id, old, new.strip().upper())

    def _check_currency_change(self, campaign_id: int, old: str, new: str) -> None:
        """Amounts are minor units of the campaign's currency: a currency with other decimal
        places would change every amount already entered."""
        if exponent(old) == exponent(new):
            return
        (count,) = self.conn.execute(
            """SELECT (SELECT COUNT(*) FROM budget_lines WHERE campaign_id = :id)
                    + (SELECT COUNT(*) FROM activities
                       WHERE campaign_id = :id AND planned_cost_minor > 0)
                    + (SELECT COUNT(*) FROM costs WHERE campaign_id = :id)
                    + (SELECT COUNT(*) FROM campaigns
                       WHERE id = :id AND expected_revenue_minor IS NOT NULL)""",
            {"id": campaign_id},
        ).fetchone()
        if count:
            raise PlannerError(
                f"Amounts are already entered in {old}, which has {exponent(old)} decimal "
                f"places and {new} has {exponent(new)}; changing the currency would change "
                "every amount, so it was not changed."
            )
