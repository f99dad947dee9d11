"""The history of a campaign's plan: every saved change recorded as a revision (quick saves of
the same fields merged), and undo, redo and revert, which put a revision's "before" back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from planner.domain.advice import command
from planner.domain.errors import NotFoundError, PlannerError
from planner.domain.later import Later
from planner.domain.records import CampaignStatus, MixP
from planner.store.base import StoreBase, _now
from planner.store.connection import _guarded
from planner.store.mapping import _Spec, _spec, _specs
from planner.store.records import Revision

if TYPE_CHECKING:
    import json

    from planner.domain import models
    from planner.domain.models import Campaign, Item
else:
    # The models need pydantic; the planner starts without loading them, nor JSON.
    models = Later("planner.domain.models")
    json = Later("json")


# The tables of the plan's items, and what one of each is called in a revision's label.
_PLAN = {
    "segments": "Segment",
    "influencers": "Influencer",
    "message_variants": "Message variant",
    "activities": "Activity",
    "measures": "Measure",
    "budget_lines": "Budget line",
}


# Saves of the same fields of the same thing within this many seconds of each other, with no
# other write between them, are one revision: the form saves as the user types, and a name
# typed in three bursts is one change to see, undo or revert.
MERGE_SECONDS = 60


_REVERSED = {"undo": "undone", "redo": "redone", "revert": "reverted"}


def field_label(name: str, *, first: bool = False) -> str:
    """A model field as words: ``call_to_action`` -> ``call to action``."""
    words = {"planned_cost_minor": "planned cost", "amount_minor": "amount"}.get(
        name, name.replace("_", " ")
    )
    return words[:1].upper() + words[1:] if first else words


def _mix_label(p: MixP) -> str:
    return f"{p.label} (7Ps)"


def _item_label(spec: _Spec, item: dict[str, Any]) -> str:
    """``Segment 'Parents of under-5s'``."""
    return f"{_PLAN[spec.table]} '{item.get('name', '?')}'"


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
    deleted (results are deleted with their measure, so they are not among them)."""
    pairs = [
        (spec.table, ref.column)
        for spec in _specs().values()
        for ref in spec.refs
        if ref.table == table and spec.table != "results"
    ]
    if table == "segments":
        pairs.append(("influencer_segments", "segment_id"))
    return pairs


class HistoryMixin(StoreBase):
    """Revisions of the plan, and undo, redo and revert."""

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
        deleting = kind == "change" and action == "delete"
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
            last.kind != "change"
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
    ) -> None:
        """Record an item added (``add``) or changed (``set``, ``old`` being it before)."""
        spec = _spec(model)
        if spec.table not in _PLAN:
            return  # a sign-off, a cost or a result: not the plan
        target = f"{spec.table}:{item_id}"
        if action == "add":
            saved = self._saved_item(spec, campaign_id, item_id)
            label = f"{_item_label(spec, saved['item'])} added"
            self._record(campaign_id, version, target, "add", label, None, saved)
            return
        assert old is not None
        new = self._item_json(spec, campaign_id, item_id) or {}
        changed = [field_label(k) for k in new if old.get(k) != new.get(k)]
        label = f"{_item_label(spec, old)}: {', '.join(changed)}"
        self._record(campaign_id, version, target, "set", label, old, new)

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

    def _stacks(self, campaign_id: int) -> tuple[list[int], list[int]]:
        """The revisions an undo would reverse (the last on top) and those a redo would."""
        undo: list[int] = []
        redo: list[int] = []
        for rev_id, kind, reverses in self.conn.execute(
            "SELECT id, kind, reverses FROM revisions WHERE campaign_id = ? ORDER BY id",
            [campaign_id],
        ):
            if kind == "undo" and undo and undo[-1] == reverses:
                undo.pop()
                redo.append(rev_id)
            elif kind == "redo" and redo and redo[-1] == reverses:
                redo.pop()
                undo.append(rev_id)
            else:  # a change, or a revert: a new change, after which nothing is redone
                undo.append(rev_id)
                redo.clear()
        return undo, redo

    @_guarded
    def can_undo(self, campaign_id: int) -> tuple[bool, bool]:
        """Whether the campaign has a saved change to undo, and one undone to redo."""
        undo, redo = self._stacks(campaign_id)
        return bool(undo), bool(redo)

    @_guarded
    def undo(
        self,
        campaign_id: int,
        *,
        expected_version: int | None,
        approval: Callable[[Campaign], None] | None = None,
    ) -> tuple[Revision, Revision]:
        """Undo the campaign's last saved change that is not undone yet: returns it and the
        revision that undid it. ``approval`` (the compliance review's) is called with the
        campaign before an approved status is put back, and refuses by raising."""
        return self._step_back(campaign_id, "undo", expected_version, approval)

    @_guarded
    def redo(
        self,
        campaign_id: int,
        *,
        expected_version: int | None,
        approval: Callable[[Campaign], None] | None = None,
    ) -> tuple[Revision, Revision]:
        """Make again the change undone last (if no other change was saved since)."""
        return self._step_back(campaign_id, "redo", expected_version, approval)

    def _step_back(
        self,
        campaign_id: int,
        kind: str,
        expected_version: int | None,
        approval: Callable[[Campaign], None] | None,
    ) -> tuple[Revision, Revision]:
        with self._write():
            undo, redo = self._stacks(campaign_id)
            stack = undo if kind == "undo" else redo
            if not stack:
                self._version(campaign_id)  # raises: no such campaign
                what = "saved change to undo" if kind == "undo" else "undone change to redo"
                raise PlannerError(f"Campaign {campaign_id} has no {what}.")
            return self._reverse(campaign_id, stack[-1], kind, expected_version, approval)

    @_guarded
    def revert(
        self,
        campaign_id: int,
        revision_id: int,
        *,
        expected_version: int | None,
        approval: Callable[[Campaign], None] | None = None,
    ) -> tuple[Revision, Revision]:
        """Put back what one revision changed (its ``before``), as a new revision."""
        with self._write():
            return self._reverse(campaign_id, revision_id, "revert", expected_version, approval)

    def _reverse(
        self,
        campaign_id: int,
        revision_id: int,
        kind: str,
        expected_version: int | None,
        approval: Callable[[Campaign], None] | None,
    ) -> tuple[Revision, Revision]:
        rev = self.get_revision(campaign_id, revision_id)
        self._check_version(campaign_id, expected_version)
        self._reverting = (kind, rev.id)
        try:
            self._put_back(rev, kind, expected_version, approval)
        finally:
            self._reverting = None
        rows = list(
            self._query(
                "SELECT * FROM revisions WHERE campaign_id = ? ORDER BY id DESC LIMIT 1",
                [campaign_id],
            )
        )
        return rev, _revision(rows[0])

    def _put_back(
        self,
        rev: Revision,
        kind: str,
        expected_version: int | None,
        approval: Callable[[Campaign], None] | None,
    ) -> None:
        """Write a revision's ``before``, refused when what it changed has changed since."""
        cid = rev.campaign_id

        def refuse(reason: str) -> PlannerError:
            return PlannerError(
                f"The change '{rev.label}' cannot be {_REVERSED[kind]}: {reason}; nothing was "
                "changed."
            )

        def check(current: dict[str, Any], fields: list[str], what: str) -> None:
            for name in fields:
                if current.get(name) != rev.after.get(name):
                    raise refuse(f"{what}{field_label(name)} has been changed since")

        if rev.target == "campaign":
            campaign = self.get_campaign(cid, tracking=False)
            current = campaign.model_dump(mode="json")
            check(current, list(rev.after), "the ")
            approving = rev.before.get("status") == CampaignStatus.APPROVED.value
            if (
                approving
                and approval is not None
                and campaign.status is not CampaignStatus.APPROVED
            ):
                approval(models.Campaign.model_validate({**campaign.model_dump(), **rev.before}))
            self.update_campaign(cid, rev.before, expected_version=expected_version)
            return
        if rev.target.startswith("mix:"):
            p = MixP(rev.target.partition(":")[2])
            check(self._mix_json(cid, p), rev.changed_fields(), f"the {p.label} ")
            element = models.MixElement.model_validate(rev.before)
            self.update_mix(cid, p, element, expected_version=expected_version)
            return
        table, _, number = rev.target.partition(":")
        spec = next(sp for sp in _specs().values() if sp.table == table)
        item_id = int(number)
        noun = _PLAN[table].lower()
        current_item = self._item_json(spec, cid, item_id)
        if rev.action == "delete":
            self._bring_back(rev, spec, expected_version, refuse)
            return
        if current_item is None:
            raise refuse(f"the {noun} has been deleted since")
        if rev.action == "set":
            fields = rev.changed_fields()
            check(current_item, fields, "its ")
            values = {**current_item, **{k: rev.before[k] for k in fields}, "id": item_id}
            item = spec.model.model_validate(values)
            self.update_item(cid, item, expected_version=expected_version)
        elif rev.action == "add":
            tracked = self.count_tracked(cid, spec.model, item_id)
            if tracked:
                what = "results" if spec.model is models.Measure else "costs"
                raise refuse(
                    f"{tracked} {what} are recorded against the {noun} since; delete them first"
                )
            self.delete_item(cid, spec.model, item_id, expected_version=expected_version)
        else:  # move
            self.move_item(
                cid, spec.model, item_id, rev.before["position"], expected_version=expected_version
            )

    def _bring_back(
        self,
        rev: Revision,
        spec: _Spec,
        expected_version: int | None,
        refuse: Callable[[str], PlannerError],
    ) -> None:
        """Add a deleted item again, with its id when that is still free, at its place, with
        the links other items had to it."""
        cid = rev.campaign_id
        saved = rev.before
        item = spec.model.model_validate(saved["item"])
        name = saved["item"].get("name", "")
        clash = self.conn.execute(
            f"SELECT 1 FROM {spec.table} WHERE campaign_id = ? AND name = ? COLLATE NOCASE",
            [cid, name],
        ).fetchone()
        if clash:
            raise refuse(f"another {_PLAN[spec.table].lower()} is called '{name}' now")
        version = self._bump(cid, expected_version)
        old_id = int(rev.target.partition(":")[2])
        taken = self.conn.execute(f"SELECT 1 FROM {spec.table} WHERE id = ?", [old_id]).fetchone()
        fingerprint = self._message_fingerprint(cid, item)
        item_id = self._insert_item(cid, item, None, {}, item_id=None if taken else old_id)
        ids = [
            r[0]
            for r in self.conn.execute(
                f"SELECT id FROM {spec.table} WHERE campaign_id = ? ORDER BY position, id", [cid]
            )
        ]
        self._place(spec, ids, item_id, saved.get("position", len(ids)))
        self._relink(spec, cid, item_id, saved.get("links", []))
        self._one_primary(cid, item, item_id)
        self._check_campaign(cid, item)
        self._messages_written(cid, fingerprint, item)
        self._record_item(cid, version, spec.model, item_id, "add")
