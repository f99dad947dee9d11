"""The compliance review's records: the words of the messages (a change withdraws the
sign-offs given before), rules turned off for a campaign, and findings accepted or ticked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planner.domain.errors import NotFoundError
from planner.domain.later import Later
from planner.store.base import StoreBase, _now
from planner.store.connection import _guarded

if TYPE_CHECKING:
    import json

    from planner.domain import models
    from planner.domain.models import FindingDecision, RuleWaiver
else:
    # The models need pydantic; the planner starts without loading them, nor JSON.
    models = Later("planner.domain.models")
    json = Later("json")


class ReviewsMixin(StoreBase):
    """Messages' fingerprint, rule waivers and finding decisions."""

    def _message_version(self, campaign_id: int) -> int:
        row = self.conn.execute(
            "SELECT message_version FROM campaigns WHERE id = ?", [campaign_id]
        ).fetchone()
        return row[0] if row else 1

    def _message_fingerprint(self, campaign_id: int, what: Any) -> str | None:
        """The words of every message of the campaign as one string, when a write of ``what``
        (an item, a model or a flag) may change them; None when it cannot."""
        variant = models.MessageVariant
        touches = what is True or what is variant or isinstance(what, variant)
        if not touches:
            return None
        parts: list[Any] = [
            self.conn.execute(
                "SELECT core_message FROM campaigns WHERE id = ?", [campaign_id]
            ).fetchone()
        ]
        for table, columns in (
            (
                "message_variants",
                "m.name, m.segment_id, m.channel, m.headline, m.body, "
                "m.call_to_action, m.disclaimers, ''",
            ),
            (
                "claims",
                "m.name, c.text, c.evidence_kind, c.evidence_reference, c.position, '', '', ''",
            ),
            (
                "testimonials",
                "m.name, c.text, c.endorser, c.consent_on_file, c.connection, "
                "c.connection_disclosed, c.typicality, c.position",
            ),
        ):
            join = "" if table == "message_variants" else f"JOIN {table} c ON c.message_id = m.id"
            parts += self.conn.execute(
                f"SELECT {columns} FROM message_variants m {join} "
                "WHERE m.campaign_id = ? ORDER BY 1, 2, 3, 4, 5",
                [campaign_id],
            ).fetchall()
        return json.dumps(parts, default=str)

    def _messages_written(self, campaign_id: int, before: str | None, what: Any) -> None:
        """After a write: when the messages' words changed, move the message version on (which
        withdraws the sign-offs given before) and take an approved campaign back to review."""
        if before is None or self._message_fingerprint(campaign_id, what) == before:
            return
        self.conn.execute(
            "UPDATE campaigns SET message_version = message_version + 1, "
            "status = CASE status WHEN 'approved' THEN 'in_review' ELSE status END "
            "WHERE id = ?",
            [campaign_id],
        )

    @_guarded
    def disable_rule(
        self, campaign_id: int, rule_id: str, reason: str, *, expected_version: int | None
    ) -> int:
        """Turn a compliance rule off for this campaign, recording why."""
        waiver = models.RuleWaiver(rule_id=rule_id, reason=reason, created_at=_now())
        with self._write():
            version = self._bump(campaign_id, expected_version)
            self._write_waiver(campaign_id, waiver)
        return version

    @_guarded
    def enable_rule(self, campaign_id: int, rule_id: str, *, expected_version: int | None) -> int:
        with self._write():
            version = self._bump(campaign_id, expected_version)
            cur = self.conn.execute(
                "DELETE FROM rule_waivers WHERE campaign_id = ? AND rule_id = ?",
                [campaign_id, rule_id.strip()],
            )
            if cur.rowcount == 0:
                raise NotFoundError(f"The rule {rule_id} is not turned off for this campaign.")
        return version

    def _write_waiver(self, campaign_id: int, waiver: RuleWaiver) -> None:
        self.conn.execute(
            "INSERT INTO rule_waivers (campaign_id, rule_id, reason, created_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (campaign_id, rule_id) DO UPDATE SET "
            "reason = excluded.reason, created_at = excluded.created_at",
            [campaign_id, waiver.rule_id, waiver.reason, waiver.created_at or _now()],
        )

    @_guarded
    def decide_finding(
        self, campaign_id: int, decision: FindingDecision, *, expected_version: int | None
    ) -> int:
        """Record a review finding accepted (with a reason) or a confirm item ticked."""
        decision = models.FindingDecision.model_validate(
            {**decision.model_dump(), "created_at": decision.created_at or _now()}
        )
        with self._write():
            version = self._bump(campaign_id, expected_version)
            self._write_decision(campaign_id, decision)
        return version

    @_guarded
    def undo_decision(self, campaign_id: int, key: str, *, expected_version: int | None) -> int:
        with self._write():
            version = self._bump(campaign_id, expected_version)
            cur = self.conn.execute(
                "DELETE FROM finding_decisions WHERE campaign_id = ? AND key = ?",
                [campaign_id, key.strip()],
            )
            if cur.rowcount == 0:
                raise NotFoundError(f"No finding {key} was accepted or ticked in this campaign.")
        return version

    def _write_decision(self, campaign_id: int, decision: FindingDecision) -> None:
        self.conn.execute(
            "INSERT INTO finding_decisions (campaign_id, key, rule_id, decision, reason, name, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (campaign_id, key) DO UPDATE "
            "SET rule_id = excluded.rule_id, decision = excluded.decision, "
            "reason = excluded.reason, name = excluded.name, created_at = excluded.created_at",
            [
                campaign_id,
                decision.key,
                decision.rule_id,
                decision.decision,
                decision.reason,
                decision.name,
                decision.created_at or _now(),
            ],
        )
