"""What each form edits: the fields of every kind of item, and how a form's values are checked
against the models and saved through the campaign's editing session."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from planner.compliance import approval_problems
from planner.domain.errors import PlannerError
from planner.domain.models import (
    Activity,
    BudgetLine,
    Cadence,
    Campaign,
    CampaignStatus,
    CareStage,
    Channel,
    ConsentBasis,
    Direction,
    Influencer,
    InfluencerKind,
    Item,
    JourneyStage,
    Jurisdiction,
    Measure,
    MeasureCategory,
    MessageVariant,
    MixElement,
    MixP,
    Offering,
    Segment,
)
from planner.domain.numbers import format_number, is_percent_unit, style_choices, style_of
from planner.plan.editing import CampaignEditor
from screens.widgets.forms import FieldSpec, options
from screens.widgets.forms import field_errors as _errors

# ---------------------------------------------------------------------------------------------
# The fields of each step


def overview_fields() -> list[FieldSpec]:
    return [
        FieldSpec("name", "Name"),
        FieldSpec("practice", "Practice", placeholder="e.g. Riverside Family Medicine"),
        FieldSpec("service_line", "Service line", placeholder="e.g. Adult vaccination"),
        FieldSpec("prepared_by", "Prepared by"),
        FieldSpec("objective", "Objective", "long", "What should change, by how much"),
        FieldSpec(
            "desired_behaviour", "Desired behaviour", "long", "What patients or referrers do"
        ),
        FieldSpec("start_date", "Start date", "date", "YYYY-MM-DD"),
        FieldSpec("end_date", "End date", "date", "YYYY-MM-DD"),
        FieldSpec("currency", "Currency", placeholder="ISO 4217 code, e.g. USD, EUR, GBP"),
        FieldSpec("jurisdictions", "Jurisdictions", "choices", choices=options(Jurisdiction)),
        FieldSpec(
            "number_style",
            "Number style",
            "choice",
            choices=style_choices,
            blank="From jurisdictions and currency",
            hint="How numbers and amounts are typed and shown. Unset: 1.234,50 for Italy or "
            "the euro, otherwise 1,234.50.",
        ),
        FieldSpec(
            "offering",
            "Offering",
            "choice",
            choices=options(Offering),
            hint="What the campaign promotes; some rules apply to drugs or devices only.",
        ),
        FieldSpec(
            "email_footer",
            "Email footer",
            "long",
            "Unsubscribe link and postal address",
            rows=2,
            hint="Every marketing email carries it; the compliance review checks it.",
        ),
        FieldSpec(
            "status",
            "Status",
            "choice",
            choices=options(CampaignStatus),
            hint="Approved only with no block finding, the checklist ticked and all sign-offs.",
        ),
    ]


def core_message_fields() -> list[FieldSpec]:
    return [
        FieldSpec(
            "core_message",
            "Core message",
            "long",
            "The one thing every patient should take away",
            rows=4,
        )
    ]


def mix_fields(p: MixP) -> list[FieldSpec]:
    return [
        FieldSpec("description", p.label, "long", rows=5),
        FieldSpec("items", "Items", "lines", "One per line", rows=6),
    ]


def item_fields(model: type[Item], campaign: Campaign) -> list[FieldSpec]:
    """The form of one kind of item; choices of other items come from ``campaign``."""

    def names(items: list[Any]) -> list[tuple[str, str]]:
        return [(i.name, i.name) for i in items]

    segments = names(campaign.segments)
    style = style_of(campaign)
    thousands, half = format_number(12000, style), format_number(12.5, style)

    def percent(values: dict[str, Any]) -> bool:  # a measure's figures in % of something
        return is_percent_unit(values.get("unit") or "")

    if model is Segment:
        return [
            FieldSpec("name", "Name"),
            FieldSpec("description", "Description", "long", rows=2),
            FieldSpec("age_min", "Youngest age", "int", "e.g. 50"),
            FieldSpec("age_max", "Oldest age", "int", "e.g. 74"),
            FieldSpec("gender", "Gender", placeholder="e.g. women, all"),
            FieldSpec("location", "Location", placeholder="Town, district or area"),
            FieldSpec("languages", "Languages", "words", "Comma-separated, e.g. English, Spanish"),
            FieldSpec("health_need", "Health need", "long", "Condition or service needed"),
            FieldSpec("care_stage", "Care stage", "choice", choices=options(CareStage), blank="–"),
            FieldSpec("psychographics", "Psychographics", "long", "Beliefs, fears, values"),
            FieldSpec("payer_notes", "Payer notes", "long", "Insurance or coverage", rows=2),
            FieldSpec("literacy_grade", "Target reading grade", "int", "1-18, e.g. 6"),
            FieldSpec("cultural_needs", "Cultural needs", "long", rows=2),
            FieldSpec(
                "preferred_channels", "Preferred channels", "choices", choices=options(Channel)
            ),
            FieldSpec(
                "population", "Population", "int", f"People in the area, e.g. {thousands}"
            ),
            FieldSpec("eligible_pct", "Share eligible %", "percent", "e.g. 60"),
            FieldSpec("reachable_pct", "Share reachable %", "percent", "e.g. 50"),
            FieldSpec(
                "estimated_size",
                "Estimated size",
                "int",
                "People you can reach",
                hint="Typed, or worked out from the three above.",
            ),
        ]
    if model is Influencer:
        return [
            FieldSpec("name", "Name"),
            FieldSpec("kind", "Kind", "choice", choices=options(InfluencerKind)),
            FieldSpec("segments", "Influences", "choices", choices=segments),
            FieldSpec(
                "strength",
                "Strength",
                "choice",
                choices=[(f"{n} – {w}", n) for n, w in _STRENGTHS],
            ),
            FieldSpec("relationship", "Relationship today", "long"),
            FieldSpec("approach", "Engagement approach", "long"),
            FieldSpec("channels", "Channels", "choices", choices=options(Channel)),
            FieldSpec(
                "baseline_referrals", "Referrals today", "rate", "e.g. 5 a month, or 20 a season"
            ),
        ]
    if model is MessageVariant:
        return [
            FieldSpec("name", "Name"),
            FieldSpec("segment", "Segment", "choice", choices=segments, blank="All segments"),
            FieldSpec("ab_label", "A/B label", placeholder="A, B... or blank"),
            FieldSpec(
                "channel", "Written for", "choice", choices=options(Channel), blank="Any channel"
            ),
            FieldSpec("headline", "Headline"),
            FieldSpec("body", "Body", "long", rows=5),
            FieldSpec(
                "call_to_action",
                "Call to action",
                placeholder="e.g. Book online today",
                hint="Reading level: worked out as you type.",
            ),
            FieldSpec("disclaimers", "Disclaimers", "lines", "One per line", rows=3),
        ]
    if model is Activity:
        return [
            FieldSpec("name", "Name"),
            FieldSpec("channel", "Channel", "choice", choices=options(Channel)),
            FieldSpec("journey_stage", "Journey stage", "choice", choices=options(JourneyStage)),
            FieldSpec("segment", "Segment", "choice", choices=segments, blank="–"),
            FieldSpec(
                "influencer",
                "Influencer",
                "choice",
                choices=names(campaign.influencers),
                blank="–",
            ),
            FieldSpec(
                "message", "Message variant", "choice", choices=names(campaign.messages), blank="–"
            ),
            FieldSpec("start_date", "Start date", "date", "YYYY-MM-DD"),
            FieldSpec("end_date", "End date", "date", "YYYY-MM-DD"),
            FieldSpec("owner", "Owner"),
            FieldSpec("staff_hours", "Staff hours", "number", f"e.g. {half}"),
            FieldSpec("planned_cost_minor", f"Planned cost {campaign.currency}", "money"),
            FieldSpec("description", "Description", "long"),
            FieldSpec(
                "list_consent",
                "List consent",
                "choice",
                choices=options(ConsentBasis),
                blank="Not recorded",
                hint="Email and SMS: why the people on the list may be written to.",
            ),
            FieldSpec(
                "health_data_audience",
                "Audience from health data",
                "check",
                hint="Ticked when the audience is built from patient records or conditions.",
            ),
        ]
    if model is Measure:
        return [
            FieldSpec("name", "Name"),
            FieldSpec("category", "Category", "choice", choices=options(MeasureCategory)),
            FieldSpec("unit", "Unit", placeholder="e.g. % of patients, appointments"),
            FieldSpec("direction", "Direction", "choice", choices=options(Direction)),
            FieldSpec("baseline", "Baseline", "number", "The figure today", percent_if=percent),
            FieldSpec(
                "target", "Target", "number", "The figure you commit to", percent_if=percent
            ),
            FieldSpec("data_source", "Data source"),
            FieldSpec("cadence", "Cadence", "choice", choices=options(Cadence)),
            FieldSpec("primary", "Primary measure", "check"),
        ]
    if model is BudgetLine:
        return [
            FieldSpec("name", "Name"),
            FieldSpec("amount_minor", f"Amount {campaign.currency}", "money"),
            FieldSpec("channel", "Channel", "choice", choices=options(Channel), blank="–"),
            FieldSpec(
                "activity", "Activity", "choice", choices=names(campaign.activities), blank="–"
            ),
            FieldSpec("note", "Note", "long"),
        ]
    raise PlannerError(f"A {model.__name__} has no form.")  # pragma: no cover


_STRENGTHS = [(1, "slight"), (2, "some"), (3, "moderate"), (4, "strong"), (5, "decisive")]

# A rule across fields is shown under the second field it compares.
_CROSS = {Segment: "age_max", Activity: "end_date", Measure: "target"}


# ---------------------------------------------------------------------------------------------
# Targets


class ItemTarget:
    """A saved item of the plan (a segment, an activity...)."""

    def __init__(self, editor: CampaignEditor, model: type[Item], item_id: int) -> None:
        self.editor = editor
        self.model = model
        self.item_id = item_id
        self.refresh_fields()

    def refresh_fields(self) -> None:
        """Choices (segment names...) and the currency as the campaign holds them now."""
        self.fields = item_fields(self.model, self.editor.campaign)
        self.currency = self.editor.campaign.currency
        self.style = style_of(self.editor.campaign)

    @property
    def item(self) -> Item:
        item = self.editor.find(self.model, self.item_id)
        if item is None:
            raise PlannerError(
                "This item is no longer in the campaign; it was deleted in another window."
            )
        return item

    def initial(self) -> dict[str, Any]:
        data = self.item.model_dump()
        return {spec.name: data.get(spec.name) for spec in self.fields}

    def build(self, values: dict[str, Any]) -> Item:
        """The saved item with ``values`` put over it (a segment's size worked out)."""
        data = {**self.item.model_dump(), **values}
        if self.model is Segment and None not in (
            data.get("population"),
            data.get("eligible_pct"),
            data.get("reachable_pct"),
        ):
            data["estimated_size"] = Segment.model_construct(**data).sized()
        return self.model.model_validate(
            {**data, "id": self.item_id}, context={"style": self.style}
        )

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        try:
            item = self.build(values)
        except ValidationError as exc:
            return _errors(exc, set(values), _CROSS.get(self.model, ""))
        except PlannerError as exc:
            return {"": str(exc)}
        problem = self.editor.problem_with(item)
        if not problem:
            return {}
        if " are called " in problem:
            return {"name": problem}
        return {"": problem}

    def save(self, changes: dict[str, Any]) -> None:
        self.editor.save(self.build(changes))


class OverviewTarget:
    """Fields of the campaign itself (the overview, the core message)."""

    def __init__(self, editor: CampaignEditor, fields: list[FieldSpec]) -> None:
        self.editor = editor
        self.fields = fields
        self.currency = editor.campaign.currency
        self.style = style_of(editor.campaign)

    def initial(self) -> dict[str, Any]:
        data = self.editor.campaign.model_dump()
        return {spec.name: data.get(spec.name) for spec in self.fields}

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        campaign = self.editor.campaign
        try:
            Campaign.model_validate({**campaign.model_dump(), **values})
        except ValidationError as exc:
            return _errors(exc, set(values), "end_date" if "end_date" in values else "")
        if (
            values.get("status") is CampaignStatus.APPROVED
            and campaign.status is not CampaignStatus.APPROVED
        ):
            try:  # the approval gate, shown under the field before anything is saved
                problems = approval_problems(campaign, self.editor.store.rules())
            except PlannerError as exc:
                return {"status": str(exc)}
            if problems:
                return {"status": "Not yet: " + "; ".join(problems) + " (Ctrl+R: the review)."}
        if "currency" in values:
            try:  # the store's rule, shown under the field before anything is saved
                self.editor.store.check_currency_change(campaign.id, values["currency"])
            except PlannerError as exc:
                return {"currency": str(exc)}
        return {}

    def refresh_fields(self) -> None:
        self.currency = self.editor.campaign.currency
        self.style = style_of(self.editor.campaign)

    def save(self, changes: dict[str, Any]) -> None:
        self.editor.save_overview(changes)


class MixTarget:
    """One of the seven Ps."""

    def __init__(self, editor: CampaignEditor, p: MixP) -> None:
        self.editor = editor
        self.p = p
        self.fields = mix_fields(p)
        self.currency = editor.campaign.currency
        self.style = style_of(editor.campaign)

    def initial(self) -> dict[str, Any]:
        return getattr(self.editor.campaign.mix, self.p.value).model_dump()

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        try:
            MixElement.model_validate(values)
        except ValidationError as exc:
            return _errors(exc, set(values), "")
        return {}

    def refresh_fields(self) -> None:
        self.currency = self.editor.campaign.currency
        self.style = style_of(self.editor.campaign)

    def save(self, changes: dict[str, Any]) -> None:
        self.editor.save_mix(self.p, MixElement.model_validate({**self.initial(), **changes}))
