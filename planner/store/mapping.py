"""How each kind of item of a campaign maps to its table: the table, the fields stored as
JSON, the links to other items by name (stored as row ids), and the campaign's own columns.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

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


@functools.cache
def _specs() -> dict[type[Item], _Spec]:
    """How each kind of item is stored (built on first use: it names the models' classes)."""
    return {
        spec.model: spec
        for spec in (
            _Spec("segments", models.Segment, json_fields=("languages", "preferred_channels")),
            _Spec("influencers", models.Influencer, json_fields=("channels",), skip=("segments",)),
            _Spec(
                "message_variants",
                models.MessageVariant,
                json_fields=("disclaimers",),
                refs=(_SEGMENT_REF,),
                skip=("claims", "testimonials"),
            ),
            _Spec(
                "activities",
                models.Activity,
                refs=(
                    _SEGMENT_REF,
                    _Ref("influencer", "influencer_id", "influencers"),
                    _Ref("message", "message_id", "message_variants"),
                ),
            ),
            _Spec("measures", models.Measure, renamed={"primary": "is_primary"}),
            _Spec("budget_lines", models.BudgetLine, refs=(_ACTIVITY_REF,)),
            _Spec("costs", models.Cost, refs=(_ACTIVITY_REF,), ordered=False),
            _Spec(
                "results",
                models.Result,
                refs=(_MEASURE_REF,),
                ordered=False,
            ),
            _Spec("reviews", models.Review, ordered=False),
        )
    }


@functools.cache
def _campaign_fields() -> list[tuple[str, type[Item]]]:
    """The campaign's list field for each kind, in the order they are written (references
    first)."""
    return [
        ("segments", models.Segment),
        ("influencers", models.Influencer),
        ("messages", models.MessageVariant),
        ("activities", models.Activity),
        ("measures", models.Measure),
        ("budget", models.BudgetLine),
        ("costs", models.Cost),
        ("results", models.Result),
        ("reviews", models.Review),
    ]


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
