"""The record of a campaign's plan: every saved change written as a revision, with the item or
7Ps element as it was before and after (quick saves of the same fields merged into one), and
the revisions read back. Undo, redo and revert, which put a revision's "before" back, are in
``history.py``.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Any

from planner.domain import registry
from planner.domain.advice import command
from planner.domain.errors import NotFoundError
from planner.domain.later import Later
from planner.domain.records import MixP
from planner.store.base import StoreBase, _now
from planner.store.connection import _guarded
from planner.store.mapping import _Spec, _spec, _specs
from planner.store.records import Revision

if TYPE_CHECKING:
    import json

    from planner.domain import models
    from planner.domain.models import Item
else:
    # The models need pydantic; the planner starts without loading them, nor JSON.
    models = Later("planner.domain.models")
    json = Later("json")


@functools.cache
def plan_nouns() -> dict[str, str]:
    """The tables of the plan's items, and what one of each is called in a revision's label
    (``Message variant``), as the registry of item kinds names them."""
    return {k.table: k.noun[:1].upper() + k.noun[1:] for k in registry.plan_kinds()}


# Saves of the same fields of the same thing within this many seconds of each other, with no
# other write between them, are one revision: the form saves as the user types, and a name
# typed in three bursts is one change to see, undo or revert.
MERGE_SECONDS = 60


def field_label(name: str, *, first: bool = False) -> str:
    """A model field as words: ``call_to_action`` -> ``call to action``."""
    words = {
        "planned_cost_minor": "planned cost",
        "amount_minor": "amount",
        "expected_revenue_minor": "expected revenue",
    }.get(name, name.replace("_", " "))
    return words[:1].upper() + words[1:] if first else words


def _mix_label(p: MixP) -> str:
    return f"{p.label} (7Ps)"


def _item_label(spec: _Spec, item: dict[str, Any]) -> str:
    """``Segment 'Parents of under-5s'``."""
    return f"{plan_nouns()[spec.table]} '{item.get('name', '?')}'"


def _revision(row: dict[str, Any]) -> Revision:
    return Revision(
        **{
            **row,
            "before": None if row["before"] is None else json.loads(row["before"]),
            "after": None if row["after"] is None else json.loads(row["after"]),
        }
    )


def _link_columns(table: str) -> list[tuple[str, str]]:
    """The (table, column) pairs that point at a row of ``table`` and are emptied when it is
    deleted (results are deleted with their measure, so that link is not among them)."""
    pairs = [
        (spec.table, ref.column)
        for spec in _specs().values()
        for ref in spec.refs
        if ref.table == table and (spec.table, ref.column) != ("results", "measure_id")
    ]
    if table == "segments":
        pairs.append(("influencer_segments", "segment_id"))
    return pairs


# In a revision, the measures a measure took the primary mark from (see _record_item).
PRIMARY_FROM = "took_primary_from"


class RevisionsMixin(StoreBase):
    """Revisions of the plan, and undo, redo and revert."""

    # Saves of the same fields moments apart are one change (typing pauses in a form); a
    # command line's store turns this off, each command being a change of its own.
    merge_saves = True

    def _record(
        self,
        campaign_id: int,
        version: int,
        target: str,
        action: str,
        label: str,
        before: Any,
        after: Any,
    ) -> None:
        """Record one saved change of the plan, in the transaction of the write. A change
        that changed nothing is not recorded; a save of the same fields as the revision just
        before it, soon after and with no write between, makes that revision longer."""
        if action == "set" and before == after:
            return
        kind, reverses = self._reverting or ("change", None)
        now = _now()
        if (
            kind == "change"
            and action == "set"
            and self._merged(campaign_id, version, target, label, before, after, now)
        ):
            return
        deleting = kind == "change" and action == "delete" and self.merge_saves
        if deleting and self._cancelled(campaign_id, version, target):
            return
        self.conn.execute(
            "INSERT INTO revisions (campaign_id, created_at, version, kind, reverses, target, "
            "action, label, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                campaign_id,
                now,
                version,
                kind,
                reverses,
                target,
                action,
                label,
                None if before is None else json.dumps(before, ensure_ascii=False),
                None if after is None else json.dumps(after, ensure_ascii=False),
            ],
        )

    def _merged(
        self,
        campaign_id: int,
        version: int,
        target: str,
        label: str,
        before: Any,
        after: Any,
        now: str,
    ) -> bool:
        """Fold a save into the campaign's last revision when it changed the same fields of
        the same thing moments before; True if it did (the revision is dropped if the two
        together changed nothing)."""
        rows = list(
            self._query(
                "SELECT * FROM revisions WHERE campaign_id = ? ORDER BY id DESC LIMIT 1",
                [campaign_id],
            )
        )
        if not rows:
            return False
        last = _revision(rows[0])
        new = last._replace(before=before, after=after)
        if (
            not self.merge_saves
            or last.kind != "change"
            or last.action != "set"
            or last.target != target
            or last.version != version - 1
            or last.changed_fields() != new.changed_fields()
            or dt.datetime.fromisoformat(now) - dt.datetime.fromisoformat(last.created_at)
            > dt.timedelta(seconds=MERGE_SECONDS)
        ):
            return False
        if last.before == after:
            self.conn.execute("DELETE FROM revisions WHERE id = ?", [last.id])
            return True
        self.conn.execute(
            "UPDATE revisions SET created_at = ?, version = ?, label = ?, after = ? WHERE id = ?",
            [now, version, label, json.dumps(after, ensure_ascii=False), last.id],
        )
        return True

    def _cancelled(self, campaign_id: int, version: int, target: str) -> bool:
        """Drop the revision of an item added by the write just before its deletion (a new
        item left untouched is taken away again): together they changed nothing."""
        cur = self.conn.execute(
            "DELETE FROM revisions WHERE id = (SELECT MAX(id) FROM revisions "
            "WHERE campaign_id = ?) AND kind = 'change' AND action = 'add' AND target = ? "
            "AND version = ?",
            [campaign_id, target, version - 1],
        )
        return cur.rowcount > 0

    def _record_item(
        self,
        campaign_id: int,
        version: int,
        model: type[Item],
        item_id: int,
        action: str,
        old: dict[str, Any] | None = None,
        took_primary: list[str] | None = None,
    ) -> None:
        """Record an item added (``add``) or changed (``set``, ``old`` being it before);
        ``took_primary``: the measures it took the primary mark from, which undoing it gives
        back (kept in its ``before`` as ``took_primary_from``, which is no field of the item)."""
        spec = _spec(model)
        if spec.table not in plan_nouns():
            return  # a sign-off, a cost or a result: not the plan
        target = f"{spec.table}:{item_id}"
        side = {PRIMARY_FROM: took_primary} if took_primary else {}
        if action == "add":
            saved = self._saved_item(spec, campaign_id, item_id)
            label = f"{_item_label(spec, saved['item'])} added"
            self._record(campaign_id, version, target, "add", label, None, {**saved, **side})
            return
        assert old is not None
        new = self._item_json(spec, campaign_id, item_id) or {}
        changed = [field_label(k) for k in new if old.get(k) != new.get(k)]
        label = f"{_item_label(spec, old)}: {', '.join(changed)}"
        self._record(campaign_id, version, target, "set", label, {**old, **side}, new)

    def _item_json(self, spec: _Spec, campaign_id: int, item_id: int) -> dict[str, Any] | None:
        """One item of the plan as JSON (references by name), or None if the campaign has no
        such item."""
        rows = list(
            self._query(
                f"SELECT * FROM {spec.table} WHERE id = ? AND campaign_id = ?",
                [item_id, campaign_id],
            )
        )
        if not rows:
            return None
        tables = {ref.table for ref in spec.refs}
        if spec.model is models.Influencer:
            tables.add("segments")
        names = {
            table: dict(
                self.conn.execute(
                    f"SELECT id, name FROM {table} WHERE campaign_id = ?", [campaign_id]
                ).fetchall()
            )
            for table in tables
        }
        data = self._item_from_row(spec, rows[0], names)
        return spec.model.model_validate(data).model_dump(mode="json")

    def _saved_item(self, spec: _Spec, campaign_id: int, item_id: int) -> dict[str, Any]:
        """An item as an added or deleted item's revision holds it: with its place in order."""
        (position,) = self.conn.execute(
            f"SELECT COUNT(*) FROM {spec.table} t, {spec.table} i WHERE i.id = ? "
            "AND t.campaign_id = i.campaign_id "
            "AND (t.position < i.position OR (t.position = i.position AND t.id < i.id))",
            [item_id],
        ).fetchone()
        return {"item": self._item_json(spec, campaign_id, item_id), "position": position}

    def _links_to(self, spec: _Spec, item_id: int) -> list[dict[str, Any]]:
        """The items (and costs) that name this one and lose the link when it is deleted:
        what bringing it back links again."""
        links = [
            {"table": table, "column": column, "id": row_id}
            for table, column in _link_columns(spec.table)
            for (row_id,) in self.conn.execute(
                f"SELECT {'influencer_id' if table == 'influencer_segments' else 'id'} "
                f"FROM {table} WHERE {column} = ?",
                [item_id],
            )
        ]
        return links

    def _relink(self, spec: _Spec, campaign_id: int, item_id: int, links: list[Any]) -> None:
        allowed = set(_link_columns(spec.table))
        for link in links:
            table, column = link.get("table"), link.get("column")
            if (table, column) not in allowed:
                continue  # never build SQL from anything but the known links
            if table == "influencer_segments":
                self.conn.execute(
                    "INSERT OR IGNORE INTO influencer_segments (influencer_id, segment_id) "
                    "SELECT id, ? FROM influencers WHERE id = ? AND campaign_id = ?",
                    [item_id, link["id"], campaign_id],
                )
            else:
                self.conn.execute(
                    f"UPDATE {table} SET {column} = ? "
                    f"WHERE id = ? AND campaign_id = ? AND {column} IS NULL",
                    [item_id, link["id"], campaign_id],
                )

    def _mix_json(self, campaign_id: int, p: MixP) -> dict[str, Any]:
        row = self.conn.execute(
            "SELECT description, items FROM marketing_mix WHERE campaign_id = ? AND p = ?",
            [campaign_id, p.value],
        ).fetchone()
        element = (
            models.MixElement()
            if row is None
            else models.MixElement(description=row[0], items=json.loads(row[1]))
        )
        return element.model_dump(mode="json")

    @_guarded
    def revisions(self, campaign_id: int) -> list[Revision]:
        """Every saved change of the campaign's plan, the oldest first."""
        self._version(campaign_id)  # raises: no such campaign
        return [
            _revision(row)
            for row in self._query(
                "SELECT * FROM revisions WHERE campaign_id = ? ORDER BY id", [campaign_id]
            )
        ]

    @_guarded
    def get_revision(self, campaign_id: int, revision_id: int) -> Revision:
        rows = list(
            self._query(
                "SELECT * FROM revisions WHERE id = ? AND campaign_id = ?",
                [revision_id, campaign_id],
            )
        )
        if not rows:
            self._version(campaign_id)  # raises: no such campaign
            history = command(self.path, "history", str(campaign_id))
            raise NotFoundError(
                f"Campaign {campaign_id} has no revision {revision_id}; run '{history}' to see "
                "its revisions."
            )
        return _revision(rows[0])
