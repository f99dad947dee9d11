"""Undo, redo and revert of a campaign's plan: each puts a revision's "before" back (an item,
its place and its links, or a 7Ps element) as a new revision, refused when what it would put
back has changed since. The revisions themselves are recorded in ``revisions.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from planner.domain.errors import PlannerError
from planner.domain.later import Later
from planner.domain.records import CampaignStatus, MixP
from planner.store.connection import _guarded
from planner.store.mapping import _Spec, _specs
from planner.store.records import Revision
from planner.store.revisions import (
    PRIMARY_FROM,
    RevisionsMixin,
    _revision,
    field_label,
    plan_nouns,
)

if TYPE_CHECKING:
    from planner.domain import models
    from planner.domain.models import Campaign
else:
    # The models need pydantic; the planner starts without loading them.
    models = Later("planner.domain.models")

_REVERSED = {"undo": "undone", "redo": "redone", "revert": "reverted"}


class HistoryMixin(RevisionsMixin):
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
        noun = plan_nouns()[table].lower()
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
            self._give_primary_back(cid, rev.before.get(PRIMARY_FROM))
        elif rev.action == "add":
            tracked = self.count_tracked(cid, spec.model, item_id)
            if tracked:
                what = "results" if spec.model is models.Measure else "costs"
                raise refuse(
                    f"{tracked} {what} are recorded against the {noun} since; delete them first"
                )
            self.delete_item(cid, spec.model, item_id, expected_version=expected_version)
            self._give_primary_back(cid, (rev.after or {}).get(PRIMARY_FROM))
        else:  # move
            self.move_item(
                cid, spec.model, item_id, rev.before["position"], expected_version=expected_version
            )

    def _give_primary_back(self, campaign_id: int, names: list[str] | None) -> None:
        """Mark again as primary the measure a change took the mark from (when it is still
        there and no measure holds the mark now), in the transaction of the undo."""
        if not names:
            return
        held = self.conn.execute(
            "SELECT 1 FROM measures WHERE campaign_id = ? AND is_primary = 1", [campaign_id]
        ).fetchone()
        if held is None:
            self.conn.execute(
                "UPDATE measures SET is_primary = 1 WHERE campaign_id = ? AND id = (SELECT id "
                "FROM measures WHERE campaign_id = ? AND name = ? COLLATE NOCASE)",
                [campaign_id, campaign_id, names[0]],
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
            raise refuse(f"another {plan_nouns()[spec.table].lower()} is called '{name}' now")
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
