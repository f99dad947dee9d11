"""A consultant's clients: each practice's details (address, phone, website, who prepares its
briefs, an accent colour and a logo), kept once and found by the practice's name however it
is cased or spaced; and every practice's campaigns rolled up."""

from __future__ import annotations

from collections import Counter
from typing import Any

from planner.domain.errors import PlannerError
from planner.domain.records import Client, ClientSummary
from planner.domain.words import practice_key
from planner.store.base import StoreBase, _now
from planner.store.connection import _guarded

# The details a client keeps, as ``set_client`` takes them.
CLIENT_FIELDS = ("name", "address", "phone", "website", "prepared_by", "colour", "logo")


class ClientsMixin(StoreBase):
    """Clients' details, and the roll-up of their campaigns."""

    @_guarded
    def get_client(self, practice: str) -> Client | None:
        """The details kept for ``practice`` (None if none are)."""
        key = practice_key(practice)
        if not key:
            return None
        row = self.conn.execute(
            "SELECT name, address, phone, website, prepared_by, colour, logo, logo_type "
            "FROM clients WHERE key = ?",
            [key],
        ).fetchone()
        return Client(*row) if row else None

    @_guarded
    def set_client(self, practice: str, changes: dict[str, Any]) -> Client:
        """Keep details of ``practice`` (those in ``changes``; the others stay); ``logo`` is
        (bytes, type) or None to take it away. Returns the client as kept."""
        key = practice_key(practice)
        if not key:
            raise PlannerError("Name the practice, as its campaigns name it.")
        unknown = set(changes) - set(CLIENT_FIELDS)
        if unknown:
            raise ValueError(f"no client field {sorted(unknown)}")
        with self._write():
            current = self.get_client(practice) or Client(name=self._practice_as_written(practice))
            values = current._asdict()
            for name, value in changes.items():
                if name == "logo":
                    values["logo"], values["logo_type"] = value if value else (None, None)
                else:
                    values[name] = value
            client = Client(**values)
            self.conn.execute(
                "INSERT OR REPLACE INTO clients (key, name, address, phone, website, "
                "prepared_by, colour, logo, logo_type, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [practice_key(client.name) or key, *client, _now()],
            )
            if practice_key(client.name) != key:  # renamed: the old name's row goes
                self.conn.execute("DELETE FROM clients WHERE key = ?", [key])
        return client

    def create_campaign_of_client(self, campaign: Any, client: Client | None) -> int:
        """Create ``campaign`` (copied from another database file) and, when this file keeps no
        details of its practice, keep ``client``'s (its details in that file), in one
        transaction; returns the campaign's id."""
        with self._write():
            campaign_id = self.create_campaign(campaign)  # type: ignore[attr-defined]
            practice = campaign.practice
            if client is not None and practice and self.get_client(practice) is None:
                details = {k: v for k, v in client._asdict().items() if k in CLIENT_FIELDS}
                details["logo"] = (client.logo, client.logo_type) if client.logo else None
                self.set_client(practice, details)
        return campaign_id

    def _practice_as_written(self, practice: str) -> str:
        """The practice's name as its campaigns write it (see ``_most_written``)."""
        key = practice_key(practice)
        written = [
            name
            for (name,) in self.conn.execute(
                "SELECT practice FROM campaigns WHERE deleted_at IS NULL ORDER BY id"
            )
            if practice_key(name or "") == key
        ]
        return _most_written(written) or " ".join(practice.split())

    @_guarded
    def list_clients(self) -> list[ClientSummary]:
        """Every practice that has campaigns (outside the trash) or details, by name: its
        campaigns, how many are archived, and their budget and spending by currency."""
        rows = self.conn.execute(
            """SELECT c.practice, c.archived_at IS NOT NULL, c.currency,
                      (SELECT COALESCE(SUM(amount_minor), 0) FROM budget_lines b
                       WHERE b.campaign_id = c.id),
                      (SELECT COALESCE(SUM(amount_minor), 0) FROM cost_totals t
                       WHERE t.campaign_id = c.id)
               FROM campaigns c WHERE c.deleted_at IS NULL ORDER BY c.id"""
        ).fetchall()
        kept = dict(self.conn.execute("SELECT key, name FROM clients").fetchall())
        found: dict[str, dict[str, Any]] = {}
        written: dict[str, list[str]] = {}
        for practice, archived, currency, budget, spent in rows:
            key = practice_key(practice or "")
            if not key:
                continue
            written.setdefault(key, []).append(practice)
            entry = found.setdefault(
                key, {"campaigns": 0, "archived": 0, "budget": {}, "spent": {}}
            )
            entry["campaigns"] += 1
            entry["archived"] += bool(archived)
            for field, amount in (("budget", budget), ("spent", spent)):
                entry[field][currency] = entry[field].get(currency, 0) + amount
        for key, entry in found.items():
            entry["name"] = kept.get(key) or _most_written(written[key])
        for key, name in kept.items():
            found.setdefault(
                key, {"name": name, "campaigns": 0, "archived": 0, "budget": {}, "spent": {}}
            )
        return sorted(
            (ClientSummary(**entry, has_details=key in kept) for key, entry in found.items()),
            key=lambda c: practice_key(c.name),
        )


def _most_written(names: list[str]) -> str:
    """The way most of ``names`` write a practice, its spaces single (the first of those
    written as often); "" for none."""
    counted = Counter(" ".join(name.split()) for name in names)
    return counted.most_common(1)[0][0] if counted else ""  # ties: the first written
