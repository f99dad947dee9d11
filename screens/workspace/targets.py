"""What each form edits: the fields of every kind of item, and how a form's values are checked
against the models and saved through the campaign's editing session."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from planner.compliance import approval_problems
from planner.compliance.approval import rules_of
from planner.domain import registry
from planner.domain.errors import PlannerError
from planner.domain.language import LANGUAGES
from planner.domain.models import (
    Activity,
    Campaign,
    CampaignStatus,
    Item,
    Jurisdiction,
    Measure,
    MixElement,
    MixP,
    Offering,
    Segment,
)
from planner.domain.numbers import format_number, is_percent_unit, style_choices, style_of
from planner.plan.editing import CampaignEditor
from planner.plan.typed import options
from screens.widgets.forms import FieldSpec, field_errors

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
            "language",
            "Brief language",
            "choice",
            choices=[(name, code) for code, name in LANGUAGES.items()],
            blank="Automatic: Italian for Italy, else English",
            hint="The language of the brief's own words: headings, labels, dates. Unset: "
            "Italian for Italy or the Italian number style, otherwise English.",
        ),
        FieldSpec(
            "landing_page",
            "Landing page",
            placeholder="https://www.example-practice.com/flu",
            hint="Where the messages lead: each activity gets its own tracking link to it.",
        ),
        FieldSpec(
            "staff_hours_per_month",
            "Staff hours a month",
            "number",
            "e.g. 10",
            hint="What each person can give the campaign in a month; the Activities step "
            "flags a month above it.",
        ),
        FieldSpec(
            "expected_responses",
            "Expected responses",
            "int",
            "e.g. 120",
            hint="How many the primary measure should count by the end (bookings, referrals).",
        ),
        FieldSpec(
            "expected_revenue_minor",
            "Expected revenue",
            "amount",
            hint="The money the campaign should bring in: tracking shows the planned return.",
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
    """The form of one kind of item, as the registry lists its fields, labelled from the
    model; choices of other items come from ``campaign``."""
    kind = registry.kind(model)
    links = {link.field: link for link in kind.links}
    return [_field_spec(kind, field, links.get(field.name), campaign) for field in kind.form]


def _field_spec(
    kind: registry.Kind, field: registry.FormField, link: registry.Link | None, campaign: Campaign
) -> FieldSpec:
    """A form field as shown: an amount's label ends with the currency, an example is written
    in the campaign's number style, and a choice of items offers the names in the campaign."""
    label = kind.label(field.name)
    if field.kind == "money":
        label = f"{label} {campaign.currency}"
    placeholder = field.placeholder
    if field.example is not None:
        placeholder = placeholder.format(example=format_number(field.example, style_of(campaign)))
    choices: list[tuple[str, Any]] = list(field.choices)
    if field.kind in ("choice", "choices") and not choices:
        if link is not None:
            named = getattr(campaign, registry.kind(link.target).list_field)
            choices = [(i.name, i.name) for i in named]
        else:
            enum = kind.enumeration(field.name)
            assert enum is not None, f"{field.name} needs its choices"
            choices = options(enum)
    return FieldSpec(
        field.name,
        label,
        field.kind,
        placeholder,
        choices,
        field.blank,
        field.rows,
        kind.help(field.name),
        _in_percent if field.percent_by_unit else None,
    )


def _in_percent(values: dict[str, Any]) -> bool:
    """Whether a measure's figures are in % of something (its unit says so)."""
    return is_percent_unit(values.get("unit") or "")


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
            return field_errors(exc, set(values), _CROSS.get(self.model, ""))
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
            updated = Campaign.model_validate({**campaign.model_dump(), **values})
        except ValidationError as exc:
            return field_errors(exc, set(values), "end_date" if "end_date" in values else "")
        if (
            values.get("status") is CampaignStatus.APPROVED
            and campaign.status is not CampaignStatus.APPROVED
        ):
            try:  # the approval gate, shown under the field before anything is saved
                problems = approval_problems(updated, rules_of(self.editor.store))
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
            return field_errors(exc, set(values), "")
        return {}

    def refresh_fields(self) -> None:
        self.currency = self.editor.campaign.currency
        self.style = style_of(self.editor.campaign)

    def save(self, changes: dict[str, Any]) -> None:
        self.editor.save_mix(self.p, MixElement.model_validate({**self.initial(), **changes}))
