"""How each kind of item of a campaign maps to its table: the table, the fields stored as
JSON, the links to other items by name (stored as row ids), and the campaign's own columns.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from planner.domain import registry
from planner.domain.errors import PlannerError
from planner.domain.later import Later

if TYPE_CHECKING:
    from planner.domain import models
    from planner.domain.models import Entry, Item
else:
    # The models need pydantic; the planner starts without loading them, nor JSON.
    models = Later("planner.domain.models")


@dataclass(frozen=True)
class _Ref:
    """An item's link to another item by name, stored as a row id."""

    field: str  # the model's field, holding a name
    column: str  # the table's column, holding a row id
    table: str  # the table the id points into


@dataclass(frozen=True)
class _Spec:
    """How one kind of item is stored: its table and how fields map to columns."""

    table: str
    model: type[Item]
    json_fields: tuple[str, ...] = ()
    refs: tuple[_Ref, ...] = ()
    renamed: dict[str, str] = field(default_factory=dict)  # model field -> column
    ordered: bool = True
    skip: tuple[str, ...] = ()  # fields stored elsewhere

    @functools.cached_property
    def fields_by_column(self) -> dict[str, str]:
        """The model's field stored in each column."""
        return {self.renamed.get(f, f): f for f in self.model.model_fields}


_SEGMENT_REF = _Ref("segment", "segment_id", "segments")
_ACTIVITY_REF = _Ref("activity", "activity_id", "activities")
_MEASURE_REF = _Ref("measure", "measure_id", "measures")
_VARIANT_REF = _Ref("variant", "variant_id", "message_variants")
_INFLUENCER_REF = _Ref("influencer", "influencer_id", "influencers")


@functools.cache
def _specs() -> dict[type[Item], _Spec]:
    """How each kind of item is stored, as the registry of item kinds says (built on first
    use: it names the models' classes)."""
    tables = {kind.model: kind.table for kind in registry.kinds()}
    return {
        kind.model: _Spec(
            kind.table,
            kind.model,
            json_fields=kind.json_fields,
            refs=tuple(
                _Ref(link.field, link.column, tables[link.target])
                for link in kind.links
                if link.column is not None
            ),
            renamed=kind.renamed,
            ordered=kind.ordered,
            skip=kind.skip,
        )
        for kind in registry.kinds()
    }


@functools.cache
def _campaign_fields() -> list[tuple[str, type[Item]]]:
    """The campaign's list field for each kind, in the order they are written (references
    first)."""
    return [(kind.list_field, kind.model) for kind in registry.kinds()]


_CAMPAIGN_COLUMNS = (
    "name",
    "practice",
    "service_line",
    "prepared_by",
    "objective",
    "desired_behaviour",
    "start_date",
    "end_date",
    "currency",
    "jurisdictions",
    "status",
    "core_message",
    "offering",
    "email_footer",
    "number_style",
    "language",
    "landing_page",
    "staff_hours_per_month",
    "expected_responses",
    "expected_revenue_minor",
    "what_worked",
    "what_did_not_work",
    "next_time",
    "earlier_lessons",
)


def _spec(model: type[Item]) -> _Spec:
    """How an item of the plan is stored."""
    if issubclass(model, models.Entry):
        raise PlannerError(
            f"A {model.__name__} is recorded with add_entry, not as a part of the plan."
        )
    try:
        return _specs()[model]
    except KeyError:
        raise PlannerError(
            f"A {model.__name__} is saved as part of the item it belongs to, not on its own."
        ) from None


def _entry_spec(entry: Entry | type[Entry]) -> _Spec:
    """How a cost or a result is stored."""
    model = entry if isinstance(entry, type) else type(entry)
    if model not in (models.Cost, models.Result):
        raise PlannerError(f"A {model.__name__} is not a cost or a result.")
    return _specs()[model]


def _noun(spec: _Spec) -> str:
    return {"costs": "cost", "results": "result"}[spec.table]
