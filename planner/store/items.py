"""The items of a campaign's plan and its 7Ps: add, update, delete and move one, resolving
the links between items by name, with the checks that keep the plan whole.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from planner.domain.errors import (
    NotFoundError,
    PlannerError,
    describe_validation_error,
    is_validation_error,
)
from planner.domain.later import Later
from planner.domain.rates import beyond_whole, share_out_of_range
from planner.domain.records import MixP
from planner.domain.styles import default_style
from planner.domain.words import plural_of
from planner.store.base import StoreBase, _to_db
from planner.store.connection import _guarded
from planner.store.mapping import _SEGMENT_REF, _Ref, _Spec, _spec, _specs
from planner.store.records import Added
from planner.store.revisions import _item_label, _mix_label, plan_nouns

if TYPE_CHECKING:
    from planner.domain import models
    from planner.domain.models import Item, MixElement
else:
    # The models need pydantic; the planner starts without loading them, nor JSON.
    models = Later("planner.domain.models")


def _rounded(value: float, style: str) -> str:
    from planner.domain.numbers import format_rounded  # Babel: loaded for the sentence only

    return format_rounded(value, style)


class ItemsMixin(StoreBase):
    """The plan's items and its 7Ps."""

    def _resolve(
        self, campaign_id: int, ref: _Ref, name: str | None, cache: dict[str, dict[str, int]]
    ) -> int | None:
        """The row id of the item called ``name`` (in any case) in this campaign."""
        if name is None:
            return None
        known = cache.get(ref.table)
        if known is None or name.casefold() not in known:
            known = {
                row_name.casefold(): row_id
                for row_id, row_name in self.conn.execute(
                    f"SELECT id, name FROM {ref.table} WHERE campaign_id = ?", [campaign_id]
                )
            }
            cache[ref.table] = known
        if name.casefold() not in known:
            noun = "message variant" if ref.field == "variant" else ref.field.replace("_", " ")
            plural = plural_of(noun)
            names = [
                row[0]
                for row in self.conn.execute(
                    f"SELECT name FROM {ref.table} WHERE campaign_id = ? ORDER BY position, id",
                    [campaign_id],
                )
            ]
            if not names:
                hint = f"it has no {noun} yet"
            elif len(names) <= 12:
                hint = f"its {plural} are: " + ", ".join(f"'{n}'" for n in names)
            else:
                hint = f"it has {len(names)} {plural}, such as " + ", ".join(
                    f"'{n}'" for n in names[:5]
                )
            raise PlannerError(f"There is no {noun} called '{name}' in this campaign; {hint}.")
        return known[name.casefold()]

    def _item_row(
        self, campaign_id: int, item: Item, cache: dict[str, dict[str, int]]
    ) -> dict[str, Any]:
        spec = _specs()[type(item)]
        row: dict[str, Any] = {"campaign_id": campaign_id}
        ref_fields = {ref.field for ref in spec.refs}
        for name in type(item).model_fields:
            if name == "id" or name in spec.skip or name in ref_fields:
                continue
            row[spec.renamed.get(name, name)] = _to_db(getattr(item, name))
        for ref in spec.refs:
            row[ref.column] = self._resolve(campaign_id, ref, getattr(item, ref.field), cache)
        if spec.model is models.Cost and row["channel"] is None and row["activity_id"] is not None:
            (row["channel"],) = self.conn.execute(
                "SELECT channel FROM activities WHERE id = ?", [row["activity_id"]]
            ).fetchone()
        if spec.model is models.Result:
            unit, chosen, places, currency = self.conn.execute(
                "SELECT m.unit, c.number_style, c.jurisdictions, c.currency "
                "FROM measures m JOIN campaigns c ON c.id = m.campaign_id WHERE m.id = ?",
                [row["measure_id"]],
            ).fetchone()
            import json

            style = chosen or default_style(json.loads(places or "[]"), currency)
            show = functools.partial(_rounded, style=style)  # (called for a sentence only)
            result: Any = item
            problem = beyond_whole(
                result.value, result.of, unit, "This result", show
            ) or share_out_of_range(result.value, unit, "This result", show)
            if problem:
                raise PlannerError(problem + ".")
            fill = self._result_filler(campaign_id)
            (
                row["variant_id"],
                row["segment_id"],
                row["influencer_id"],
                row["channel"],
            ) = fill(
                row["activity_id"],
                row["variant_id"],
                row["segment_id"],
                row["influencer_id"],
                row["channel"],
            )
        return row

    def _result_filler(
        self, campaign_id: int
    ) -> Callable[
        [int | None, int | None, int | None, int | None, str | None],
        tuple[int | None, int | None, int | None, str | None],
    ]:
        """What fills a result's blanks: given its activity, variant, segment, influencer
        and channel (ids, and a channel value), the variant, segment, influencer and channel
        with each blank one taken from its activity (and the segment from its variant)."""
        activities = {
            row[0]: row[1:]
            for row in self.conn.execute(
                "SELECT id, message_id, segment_id, influencer_id, channel FROM activities "
                "WHERE campaign_id = ?",
                [campaign_id],
            )
        }
        segments = dict(
            self.conn.execute(
                "SELECT id, segment_id FROM message_variants WHERE campaign_id = ?",
                [campaign_id],
            ).fetchall()
        )

        def fill(
            activity: int | None,
            variant: int | None,
            segment: int | None,
            influencer: int | None,
            channel: str | None,
        ) -> tuple[int | None, int | None, int | None, str | None]:
            if activity is not None:
                message, its_segment, its_influencer, its_channel = activities[activity]
                variant = message if variant is None else variant
                segment = its_segment if segment is None else segment
                influencer = its_influencer if influencer is None else influencer
                channel = its_channel if channel is None else channel
            if segment is None and variant is not None:
                segment = segments.get(variant)
            return variant, segment, influencer, channel

        return fill

    def _insert_item(
        self,
        campaign_id: int,
        item: Item,
        position: int | None,
        cache: dict[str, dict[str, int]],
        item_id: int | None = None,
    ) -> int:
        """Insert an item (as row ``item_id`` when given: an item brought back keeps its id)."""
        spec = _specs()[type(item)]
        row = self._item_row(campaign_id, item, cache)
        if item_id is not None:
            row["id"] = item_id
        if spec.ordered:
            if position is None:
                position = self.conn.execute(
                    f"SELECT COALESCE(MAX(position) + 1, 0) FROM {spec.table} "
                    "WHERE campaign_id = ?",
                    [campaign_id],
                ).fetchone()[0]
            row["position"] = position
        cur = self.conn.execute(
            f"INSERT INTO {spec.table} ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
            list(row.values()),
        )
        item_id = cur.lastrowid
        self._write_children(campaign_id, item_id, item, cache)
        return item_id

    def _write_children(
        self, campaign_id: int, item_id: int, item: Item, cache: dict[str, dict[str, int]]
    ) -> None:
        if isinstance(item, models.Influencer):
            self.conn.execute("DELETE FROM influencer_segments WHERE influencer_id = ?", [item_id])
            for name in item.segments:
                segment_id = self._resolve(campaign_id, _SEGMENT_REF, name, cache)
                self.conn.execute(
                    "INSERT OR IGNORE INTO influencer_segments (influencer_id, segment_id) "
                    "VALUES (?, ?)",
                    [item_id, segment_id],
                )
        elif isinstance(item, models.MessageVariant):
            self.conn.execute("DELETE FROM claims WHERE message_id = ?", [item_id])
            for position, claim in enumerate(item.claims):
                self.conn.execute(
                    "INSERT INTO claims (message_id, position, text, evidence_kind, "
                    "evidence_reference) VALUES (?, ?, ?, ?, ?)",
                    [
                        item_id,
                        position,
                        claim.text,
                        _to_db(claim.evidence_kind),
                        claim.evidence_reference,
                    ],
                )
            self.conn.execute("DELETE FROM testimonials WHERE message_id = ?", [item_id])
            for position, said in enumerate(item.testimonials):
                self.conn.execute(
                    "INSERT INTO testimonials (message_id, position, text, endorser, "
                    "consent_on_file, connection, connection_disclosed, typicality) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        item_id,
                        position,
                        said.text,
                        said.endorser,
                        said.consent_on_file,
                        said.connection.value,
                        said.connection_disclosed,
                        said.typicality,
                    ],
                )

    @_guarded
    def count_tracked(self, campaign_id: int, model: type[Item], item_id: int) -> int:
        """Recorded results of a measure, or costs of an activity: what deleting it touches."""
        table, column = {
            models.Measure: ("results", "measure_id"),
            models.Activity: ("costs", "activity_id"),
        }.get(model, ("", ""))
        if not table:
            return 0
        return self.conn.execute(
            f"SELECT COUNT(*) FROM {table} WHERE campaign_id = ? AND {column} = ?",
            [campaign_id, item_id],
        ).fetchone()[0]

    @_guarded
    def update_mix(
        self, campaign_id: int, p: MixP, element: MixElement, *, expected_version: int | None
    ) -> int:
        element = models.MixElement.model_validate(element.model_dump())
        with self._write():
            version = self._bump(campaign_id, expected_version)
            before = self._mix_json(campaign_id, p)
            self._write_mix_element(campaign_id, p, element)
            after = element.model_dump(mode="json")
            target = f"mix:{p.value}"
            self._record(campaign_id, version, target, "set", _mix_label(p), before, after)
        return version

    @_guarded
    def add_item(self, campaign_id: int, item: Item, *, expected_version: int | None) -> Added:
        """Add a segment, influencer, message variant, activity, measure, budget line, cost,
        result or review to a campaign. Returns the new item's id and the campaign's version."""
        _spec(type(item))
        item = type(item).model_validate(item.model_dump())
        with self._write():
            version = self._bump(campaign_id, expected_version)
            if isinstance(item, models.Review) and item.message_version is None:
                item = item.model_copy(
                    update={"message_version": self._message_version(campaign_id)}
                )
            before = self._message_fingerprint(campaign_id, item)
            item_id = self._insert_item(campaign_id, item, None, {})
            took = self._one_primary(campaign_id, item, item_id)
            self._check_campaign(campaign_id, item)
            self._messages_written(campaign_id, before, item)
            self._record_item(campaign_id, version, type(item), item_id, "add", took_primary=took)
        return Added(item_id, version)

    @_guarded
    def update_item(self, campaign_id: int, item: Item, *, expected_version: int | None) -> int:
        """Replace a saved item (found by ``item.id``) with this one; returns the new version."""
        if item.id is None:
            raise PlannerError("This item has not been saved yet, so it cannot be updated.")
        spec = _spec(type(item))
        item = type(item).model_validate({**item.model_dump(), "id": item.id})
        with self._write():
            version = self._bump(campaign_id, expected_version)
            self._item_owner(spec, campaign_id, item.id)
            in_plan = spec.table in plan_nouns()
            old = self._item_json(spec, campaign_id, item.id) if in_plan else None
            before = self._message_fingerprint(campaign_id, item)
            row = self._item_row(campaign_id, item, {})
            row.pop("campaign_id")
            self.conn.execute(
                f"UPDATE {spec.table} SET {', '.join(f'{c} = ?' for c in row)} WHERE id = ?",
                [*row.values(), item.id],
            )
            self._write_children(campaign_id, item.id, item, {})
            took = self._one_primary(campaign_id, item, item.id)
            self._check_campaign(campaign_id, item)
            self._messages_written(campaign_id, before, item)
            if old is not None:
                self._record_item(
                    campaign_id, version, type(item), item.id, "set", old, took_primary=took
                )
        return version

    @_guarded
    def delete_item(
        self, campaign_id: int, model: type[Item], item_id: int, *, expected_version: int | None
    ) -> int:
        spec = _spec(model)
        with self._write():
            version = self._bump(campaign_id, expected_version)
            self._item_owner(spec, campaign_id, item_id)
            if spec.table in plan_nouns():
                saved = self._saved_item(spec, campaign_id, item_id)
                saved["links"] = self._links_to(spec, item_id)
            before = self._message_fingerprint(campaign_id, model)
            self.conn.execute(f"DELETE FROM {spec.table} WHERE id = ?", [item_id])
            self._messages_written(campaign_id, before, model)
            if spec.table in plan_nouns():
                label = f"{_item_label(spec, saved['item'])} deleted"
                target = f"{spec.table}:{item_id}"
                self._record(campaign_id, version, target, "delete", label, saved, None)
        return version

    @_guarded
    def move_item(
        self,
        campaign_id: int,
        model: type[Item],
        item_id: int,
        new_position: int,
        *,
        expected_version: int | None,
    ) -> int:
        """Put an ordered item at ``new_position`` (0-based) among its campaign's items."""
        spec = _spec(model)
        if not spec.ordered:
            raise PlannerError(f"{spec.table.replace('_', ' ').capitalize()} have no order.")
        with self._write():
            version = self._bump(campaign_id, expected_version)
            self._item_owner(spec, campaign_id, item_id)
            ids = [
                r[0]
                for r in self.conn.execute(
                    f"SELECT id FROM {spec.table} WHERE campaign_id = ? ORDER BY position, id",
                    [campaign_id],
                )
            ]
            old = ids.index(item_id)
            self._place(spec, ids, item_id, new_position)
            new = ids.index(item_id)
            if spec.table in plan_nouns() and new != old:
                name = self._item_json(spec, campaign_id, item_id) or {}
                label = f"{_item_label(spec, name)} moved"
                target = f"{spec.table}:{item_id}"
                moved = ({"position": old}, {"position": new})
                self._record(campaign_id, version, target, "move", label, *moved)
        return version

    def _place(self, spec: _Spec, ids: list[int], item_id: int, position: int) -> None:
        """Put ``item_id`` at ``position`` among ``ids`` (the items in order), and number
        them so in the table."""
        ids.remove(item_id)
        ids.insert(max(0, min(position, len(ids))), item_id)
        for number, row_id in enumerate(ids):
            self.conn.execute(
                f"UPDATE {spec.table} SET position = ? WHERE id = ?", [number, row_id]
            )

    def _item_owner(self, spec: _Spec, campaign_id: int, item_id: int) -> None:
        row = self.conn.execute(
            f"SELECT campaign_id FROM {spec.table} WHERE id = ?", [item_id]
        ).fetchone()
        if row is None or row[0] != campaign_id:
            raise NotFoundError(
                f"There is no {spec.table.rstrip('s').replace('_', ' ')} {item_id} in campaign "
                f"{campaign_id}."
            )

    def _one_primary(self, campaign_id: int, item: Item, item_id: int) -> list[str]:
        """A measure saved as the primary one takes the mark from any other: returns the
        names of those it took it from (for the history, so that undoing puts it back)."""
        if not (isinstance(item, models.Measure) and item.primary):
            return []
        took = [
            name
            for (name,) in self.conn.execute(
                "SELECT name FROM measures WHERE campaign_id = ? AND id != ? AND is_primary = 1",
                [campaign_id, item_id],
            )
        ]
        if took:
            self.conn.execute(
                "UPDATE measures SET is_primary = 0 WHERE campaign_id = ? AND id != ?",
                [campaign_id, item_id],
            )
        return took

    def _check_campaign(self, campaign_id: int, item: Item) -> None:
        """Validate the plan as a whole after an item write (names unique, links known)."""
        if isinstance(item, (models.Cost, models.Result, models.Review)):
            return  # their links were resolved on the way in; the plan did not change
        try:
            self._load_campaign(campaign_id, tracking=False)
        except Exception as exc:
            if not is_validation_error(exc):
                raise
            raise PlannerError(describe_validation_error(exc)) from None  # type: ignore[arg-type]
