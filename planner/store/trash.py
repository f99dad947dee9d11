"""The trash: a campaign moved there leaves every list and refuses every read and write (its
version check says where it is) until it is brought back whole; emptying the trash deletes its
campaigns for good, with everything that hangs from them (the tables cascade)."""

from __future__ import annotations

from collections.abc import Iterable

from planner.domain.errors import NotFoundError, PlannerError
from planner.domain.records import CampaignStatus, TrashedCampaign
from planner.store.base import StoreBase, _now
from planner.store.connection import _guarded


class TrashMixin(StoreBase):
    """Moving campaigns to the trash, listing it, bringing them back and emptying it."""

    @_guarded
    def delete_campaign(self, campaign_id: int, *, expected_version: int | None = None) -> str:
        """Move a campaign to the trash; returns its name. Nothing of it is deleted."""
        with self._write():
            self._bump(campaign_id, expected_version)  # refused if changed since, or gone
            (name,) = self.conn.execute(
                "SELECT name FROM campaigns WHERE id = ?", [campaign_id]
            ).fetchone()
            self.conn.execute(
                "UPDATE campaigns SET deleted_at = ? WHERE id = ?", [_now(), campaign_id]
            )
        return name

    @_guarded
    def undelete_campaign(self, campaign_id: int) -> str:
        """Bring a campaign back from the trash, as it was; returns its name."""
        with self._write():
            row = self.conn.execute(
                "SELECT name, deleted_at FROM campaigns WHERE id = ?", [campaign_id]
            ).fetchone()
            if row is None:
                raise NotFoundError(self._no_campaign(campaign_id))
            if row[1] is None:
                raise PlannerError(f"Campaign {campaign_id} “{row[0]}” is not in the trash.")
            self.conn.execute("UPDATE campaigns SET deleted_at = NULL WHERE id = ?", [campaign_id])
            self._bump(campaign_id, None)  # an editor that had it open reads it again
        return row[0]

    @_guarded
    def list_trash(self) -> list[TrashedCampaign]:
        """The campaigns in the trash, the last moved there first."""
        rows = self.conn.execute(
            """SELECT c.id, c.name, COALESCE(c.practice, ''), c.status, c.deleted_at,
                      (SELECT COALESCE(SUM(entries), 0) FROM cost_totals t
                       WHERE t.campaign_id = c.id),
                      (SELECT COALESCE(SUM(entries), 0) FROM result_days r
                       WHERE r.campaign_id = c.id)
               FROM campaigns c WHERE c.deleted_at IS NOT NULL
               ORDER BY c.deleted_at DESC, c.id DESC"""
        ).fetchall()
        status = {s.value: s for s in CampaignStatus}
        return [TrashedCampaign(i, n, p, status[s], d, c, r) for i, n, p, s, d, c, r in rows]

    @_guarded
    def empty_trash(self, ids: Iterable[int] | None = None) -> int:
        """Delete the campaigns in the trash (or those of ``ids`` that are there) for good;
        returns how many were deleted."""
        chosen = None if ids is None else sorted(set(ids))
        with self._write():
            if chosen is None:
                cur = self.conn.execute("DELETE FROM campaigns WHERE deleted_at IS NOT NULL")
                return cur.rowcount
            deleted = 0
            for campaign_id in chosen:
                cur = self.conn.execute(
                    "DELETE FROM campaigns WHERE id = ? AND deleted_at IS NOT NULL", [campaign_id]
                )
                deleted += cur.rowcount
            return deleted
