"""The one list of the kinds of item a campaign holds, and everything the layers above need to
know about each: the store (its table and how its fields map to columns), the editor (the
campaign's list field, and which items name it), the workspace (its noun, a new one, what a
delete does to the items naming it) and the forms (its fields, labelled from the model).

Each ``Kind`` names its model class, so the entries are built on first use (``kinds()``): the
campaign list starts without loading pydantic.

To add a kind of item:

1. write its model in ``planner.domain.models`` (an ``Item``), with ``Field(title=...)`` on a
   field whose form label is not its name in words (``age_min``: "Youngest age") and
   ``Field(description=...)`` for a line of help under it, and its list on ``Campaign``;
2. write a function returning its ``Kind`` below and add it to ``_ENTRIES``, after the kinds
   it names (they are written first);
3. add its table to the store's schema (a migration in ``planner.store``);
4. for a kind of the plan, give it a step (``planner.plan.guide``) and its table's columns
   in ``screens.workspace.kinds``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, get_args

from planner.domain.later import Later
from planner.domain.records import Channel, InfluencerKind, JourneyStage, Labeled, MeasureCategory

if TYPE_CHECKING:
    from planner.domain import models
    from planner.domain.models import Campaign, Item
else:
    models = Later("planner.domain.models")


@dataclass(frozen=True)
class Link:
    """A field naming an item of another kind; the store keeps it as that item's row id."""

    field: str  # the model's field, holding a name (or a list of names when ``many``)
    target: type[Item]  # the kind of item it names
    column: str | None = None  # the table's column holding the row id; None: a link table
    many: bool = False


@dataclass(frozen=True)
class FormField:
    """One field of a kind's form. Its label is the model field's ``title`` (else its name in
    words: ``health_need``, "Health need") and its help line the field's ``description``."""

    name: str
    # text long int number percent rate money date period choice choices words lines check
    kind: str = "text"
    # Greyed in the empty field; ``{example}`` in it is ``example`` in the campaign's style.
    placeholder: str = ""
    example: float | None = None
    # A choice's options: by default the names of the items a link names, or the members of
    # the field's enumeration; otherwise (label, value) pairs.
    choices: tuple[tuple[str, Any], ...] = ()
    blank: str | None = None  # for an optional choice: the label of "none"
    rows: int = 3  # height of a long text
    percent_by_unit: bool = False  # a number in % when the item's unit is a percentage


@dataclass(frozen=True)
class Kind:
    """One kind of item: its model, where it is stored and listed, how it is named, and its
    form. A kind outside the plan (a cost, a result, a sign-off) has no form and no step."""

    model: type[Item]
    table: str
    list_field: str  # the campaign's field that lists the items
    noun: str  # "message variant"
    links: tuple[Link, ...] = ()
    # What deleting one does to the items that name it (said before the delete is confirmed).
    on_delete: str = ""
    # A new item called by the name given, with what a new one starts with in ``campaign``.
    new: Callable[[str, Campaign], Item] | None = None
    form: tuple[FormField, ...] = ()
    # The planning step that lists it: the value of ``planner.plan.guide.Step`` ("audience").
    step: str = ""
    # How it is stored: fields kept as JSON text, fields under another column name, whether
    # the items keep an order, and fields stored elsewhere (a link table, rows of their own).
    json_fields: tuple[str, ...] = ()
    renamed: dict[str, str] = field(default_factory=dict)
    ordered: bool = True
    skip: tuple[str, ...] = ()

    @property
    def in_plan(self) -> bool:
        """Listed in a planning step and edited in a form."""
        return self.new is not None

    def label(self, name: str) -> str:
        """The form label of the model's field ``name``."""
        info = self.model.model_fields[name]
        return info.title or name.replace("_", " ").capitalize()

    def help(self, name: str) -> str:
        """The line of help under the field ``name`` in its form."""
        return self.model.model_fields[name].description or ""

    def enumeration(self, name: str) -> type[Labeled] | None:
        """The enumeration the field ``name`` takes its values from (in a list, or optional)."""
        return _labeled(self.model.model_fields[name].annotation)


def _labeled(annotation: Any) -> type[Labeled] | None:
    if isinstance(annotation, type) and issubclass(annotation, Labeled):
        return annotation
    for arg in get_args(annotation):
        found = _labeled(arg)
        if found is not None:
            return found
    return None


_STRENGTHS = tuple(
    (f"{n} – {word}", n)
    for n, word in enumerate(("slight", "some", "moderate", "strong", "decisive"), 1)
)


_NAME = FormField("name")
_DATES = tuple(FormField(f, "date", "YYYY-MM-DD") for f in ("start_date", "end_date"))


def _segment() -> Kind:
    """The people a campaign speaks to."""
    return Kind(
        models.Segment,
        "segments",
        "segments",
        "segment",
        on_delete="Message variants and activities aimed at it will no longer name a segment.",
        step="audience",
        new=lambda name, campaign: models.Segment(name=name),
        form=(
            _NAME,
            FormField("description", "long", rows=2),
            FormField("age_min", "int", "e.g. 50"),
            FormField("age_max", "int", "e.g. 74"),
            FormField("gender", placeholder="e.g. women, all"),
            FormField("location", placeholder="Town, district or area"),
            FormField("languages", "words", "Comma-separated, e.g. English, Spanish"),
            FormField("health_need", "long", "Condition or service needed"),
            FormField("care_stage", "choice", blank="–"),
            FormField("psychographics", "long", "Beliefs, fears, values"),
            FormField("payer_notes", "long", "Insurance or coverage", rows=2),
            FormField("literacy_grade", "int", "1-18, e.g. 6"),
            FormField("cultural_needs", "long", rows=2),
            FormField("preferred_channels", "choices"),
            FormField("population", "int", "People in the area, e.g. {example}", 12000),
            FormField("eligible_pct", "percent", "e.g. 60"),
            FormField("reachable_pct", "percent", "e.g. 50"),
            FormField("estimated_size", "int", "People you can reach"),
        ),
        json_fields=("languages", "preferred_channels"),
    )


def _influencer() -> Kind:
    """The people and groups who sway a segment."""
    return Kind(
        models.Influencer,
        "influencers",
        "influencers",
        "influencer",
        links=(Link("segments", models.Segment, many=True),),
        on_delete="Activities aimed at this influencer will no longer name one.",
        step="influencers",
        new=lambda name, campaign: models.Influencer(name=name, kind=InfluencerKind.OTHER),
        form=(
            _NAME,
            FormField("kind", "choice"),
            FormField("segments", "choices"),
            FormField("strength", "choice", choices=_STRENGTHS),
            FormField("relationship", "long"),
            FormField("approach", "long"),
            FormField("channels", "choices"),
            FormField("baseline_referrals", "rate", "e.g. 5 a month, or 20 a season"),
        ),
        json_fields=("channels",),
        skip=("segments",),
    )


def _message_variant() -> Kind:
    """What is said to a segment, and its A/B variants."""
    return Kind(
        models.MessageVariant,
        "message_variants",
        "messages",
        "message variant",
        links=(Link("segment", models.Segment, "segment_id"),),
        on_delete="Activities that carry it will no longer name a message.",
        step="message",
        new=lambda name, campaign: models.MessageVariant(name=name),
        form=(
            _NAME,
            FormField("segment", "choice", blank="All segments"),
            FormField("ab_label", placeholder="A, B... or blank"),
            FormField("channel", "choice", blank="Any channel"),
            FormField("headline"),
            FormField("body", "long", rows=5),
            FormField("call_to_action", placeholder="e.g. Book online today"),
            FormField("disclaimers", "lines", "One per line", rows=3),
        ),
        json_fields=("disclaimers",),
        skip=("claims", "testimonials"),
    )


def _activity() -> Kind:
    """What is done, on which channel and when, naming its segment, influencer and message."""
    return Kind(
        models.Activity,
        "activities",
        "activities",
        "activity",
        links=(
            Link("segment", models.Segment, "segment_id"),
            Link("influencer", models.Influencer, "influencer_id"),
            Link("message", models.MessageVariant, "message_id"),
        ),
        on_delete="Budget lines for it will no longer name an activity.",
        step="activities",
        new=lambda name, campaign: models.Activity(
            name=name,
            channel=Channel.EMAIL,
            journey_stage=JourneyStage.AWARENESS,
            start_date=campaign.start_date,
            end_date=campaign.end_date,
        ),
        form=(
            _NAME,
            FormField("channel", "choice"),
            FormField("journey_stage", "choice"),
            FormField("segment", "choice", blank="–"),
            FormField("influencer", "choice", blank="–"),
            FormField("message", "choice", blank="–"),
            *_DATES,
            FormField("owner"),
            FormField("staff_hours", "number", "e.g. {example}", 12.5),
            FormField("planned_cost_minor", "money"),
            FormField("description", "long"),
            FormField("list_consent", "choice", blank="Not recorded"),
            FormField("health_data_audience", "check"),
        ),
    )


def _measure() -> Kind:
    """The figures the campaign is judged by."""
    return Kind(
        models.Measure,
        "measures",
        "measures",
        "measure",
        step="measures",
        new=lambda name, campaign: models.Measure(name=name, category=MeasureCategory.ACQUISITION),
        form=(
            _NAME,
            FormField("category", "choice"),
            FormField("unit", placeholder="e.g. % of patients, appointments"),
            FormField("direction", "choice"),
            FormField("baseline", "number", "The figure today", percent_by_unit=True),
            FormField("target", "number", "The figure you commit to", percent_by_unit=True),
            FormField("data_source"),
            FormField("cadence", "choice"),
            FormField("primary", "check"),
            FormField("revenue", "check"),
        ),
        renamed={"primary": "is_primary", "revenue": "is_revenue"},
    )


def _budget_line() -> Kind:
    """The money given, by channel or activity."""
    return Kind(
        models.BudgetLine,
        "budget_lines",
        "budget",
        "budget line",
        links=(Link("activity", models.Activity, "activity_id"),),
        step="budget",
        new=lambda name, campaign: models.BudgetLine(name=name, amount_minor=0),
        form=(
            _NAME,
            FormField("amount_minor", "money"),
            FormField("channel", "choice", blank="–"),
            FormField("activity", "choice", blank="–"),
            FormField("note", "long"),
        ),
    )


def _cost() -> Kind:
    """Money spent, recorded or imported (outside the plan)."""
    return Kind(
        models.Cost,
        "costs",
        "costs",
        "cost",
        links=(Link("activity", models.Activity, "activity_id"),),
        ordered=False,
    )


def _result() -> Kind:
    """A measure's figure on a day (outside the plan)."""
    return Kind(
        models.Result,
        "results",
        "results",
        "result",
        links=(
            Link("measure", models.Measure, "measure_id"),
            Link("variant", models.MessageVariant, "variant_id"),
            Link("activity", models.Activity, "activity_id"),
            Link("segment", models.Segment, "segment_id"),
            Link("influencer", models.Influencer, "influencer_id"),
        ),
        renamed={"of": "trials"},
        ordered=False,
    )


def _review() -> Kind:
    """A sign-off of the plan (kept beside it, not in a step)."""
    return Kind(models.Review, "reviews", "reviews", "sign-off", ordered=False)


# The kinds in the order they are written, a kind after those it names: one entry each.
_ENTRIES: tuple[Callable[[], Kind], ...] = (
    _segment,
    _influencer,
    _message_variant,
    _activity,
    _measure,
    _budget_line,
    _cost,
    _result,
    _review,
)


@functools.cache
def kinds() -> tuple[Kind, ...]:
    """Every kind of item, in the order they are written (a kind after those it names). Built
    on first use: each entry names its model, and loading the models loads pydantic."""
    return tuple(entry() for entry in _ENTRIES)


@functools.cache
def _by_model() -> dict[type[Item], Kind]:
    return {k.model: k for k in kinds()}


def kind(model: type[Item]) -> Kind:
    """The kind of item ``model`` is (a ``KeyError`` for a model that is no kind of item)."""
    return _by_model()[model]


def plan_kinds() -> list[Kind]:
    """The kinds of item the plan is made of, in the order of its steps."""
    return [k for k in kinds() if k.in_plan]


def naming(model: type[Item]) -> list[tuple[Kind, Link]]:
    """Where items name an item of ``model``: each kind with its field that does."""
    return [(k, link) for k in kinds() for link in k.links if link.target is model]
