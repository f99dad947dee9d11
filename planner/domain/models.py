"""The domain of a patient-relationship campaign as pydantic models.

These models are the one source of validation rules. The store, the CLI, the TUI, the JSON
export and the starters all validate through them. Inside a campaign, items refer to each other
by name (an activity targets the segment called "Adults 40-64"); the store keeps those links as
foreign keys between rows.

About 800 lines, on purpose: every model and its validators sit together so that the rules a
value must follow are read in one file (plain records without pydantic are in ``records``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from planner.domain.language import _, normalise_language
from planner.domain.money import is_currency
from planner.domain.records import (
    CONTROL_CHARS,
    MAX_MINOR,
    BriefFormat,
    Cadence,
    CampaignStatus,
    CareStage,
    Channel,
    Connection,
    ConsentBasis,
    CostRow,
    Direction,
    EvidenceKind,
    ImportKind,
    InfluencerKind,
    JourneyStage,
    Jurisdiction,
    MeasureCategory,
    MixP,
    Offering,
    ResultRow,
    ReviewDecision,
    ReviewKind,
)

# ---------------------------------------------------------------------------------------------
# Field types


def _no_control_chars(value: str) -> str:
    if CONTROL_CHARS.search(value):
        raise ValueError("must not contain control characters")
    return value


def _single_line(value: str) -> str:
    if "\n" in value or "\t" in value:
        raise ValueError("must fit on one line (no line breaks or tabs)")
    return value


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_single_line),
]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)]
# Amounts are whole minor units (cents), never a float, a string or a bool (MAX_MINOR: see
# planner.domain.records).
MinorUnits = Annotated[int, Field(ge=0, le=MAX_MINOR, strict=True)]
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]


class Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        validate_assignment=True,
        use_enum_values=False,
        str_strip_whitespace=True,
        # A model's validator is built when it is first used, not when the module loads: the
        # planner starts in half the time, and most screens use a few of the models.
        defer_build=True,
    )

    @field_validator("*", mode="after")
    @classmethod
    def _text_is_clean(cls, value: Any) -> Any:
        if isinstance(value, str):
            return _no_control_chars(value)
        if isinstance(value, list):
            for entry in value:
                if isinstance(entry, str):
                    _no_control_chars(entry)
        return value


# ---------------------------------------------------------------------------------------------
# ---------------------------------------------------------------------------------------------
# Items of a campaign


class Item(Model):
    """An item stored as a row of its own; ``id`` is the row id, absent before it is saved."""

    id: int | None = Field(default=None, exclude=True)


class Segment(Item):
    name: Name
    description: LongText = ""
    age_min: int | None = Field(default=None, ge=0, le=120, title="Youngest age")
    age_max: int | None = Field(default=None, ge=0, le=120, title="Oldest age")
    gender: ShortText = ""
    location: ShortText = ""
    languages: list[ShortText] = []
    psychographics: LongText = ""
    health_need: LongText = ""
    care_stage: CareStage | None = None
    payer_notes: LongText = ""
    literacy_grade: int | None = Field(default=None, ge=1, le=18, title="Target reading grade")
    cultural_needs: LongText = ""
    preferred_channels: list[Channel] = []
    population: int | None = Field(default=None, ge=0, le=10**10)
    eligible_pct: Percent | None = Field(default=None, title="Share eligible %")
    reachable_pct: Percent | None = Field(default=None, title="Share reachable %")
    estimated_size: int | None = Field(
        default=None, ge=0, le=10**10, description="Typed, or worked out from the three above."
    )

    @model_validator(mode="after")
    def _ages_in_order(self) -> Segment:
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValueError(
                f"the youngest age ({self.age_min}) is above the oldest age ({self.age_max})"
            )
        return self

    def sized(self) -> int | None:
        """Population x share eligible x share reachable, where all three are known."""
        if None in (self.population, self.eligible_pct, self.reachable_pct):
            return self.estimated_size
        return round(self.population * self.eligible_pct / 100 * self.reachable_pct / 100)

    def missing_shares(self) -> str:
        """The shares still to give to work the size out from the population: ``the eligible
        and reachable shares``, ``the reachable share``; blank when both are given."""
        eligible, reachable = self.eligible_pct is None, self.reachable_pct is None
        if eligible and reachable:
            return _("the eligible and reachable shares")
        if eligible:
            return _("the eligible share")
        return _("the reachable share") if reachable else ""

    @property
    def age_range(self) -> str:
        if self.age_min is None and self.age_max is None:
            return _("all ages")
        if self.age_max is None:
            return f"{self.age_min}+"
        if self.age_min is None:
            return _("up to %(age)s", age=self.age_max)
        return f"{self.age_min}-{self.age_max}"


class Influencer(Item):
    name: Name
    kind: InfluencerKind = InfluencerKind.OTHER
    segments: list[Name] = Field(default=[], title="Influences")
    strength: int = Field(default=3, ge=1, le=5)
    relationship: LongText = Field(default="", title="Relationship today")
    approach: LongText = Field(default="", title="Engagement approach")
    channels: list[Channel] = []
    baseline_referrals: int | None = Field(default=None, ge=0, le=10**9, title="Referrals today")


class Claim(Item):
    text: LongText = Field(min_length=1)
    evidence_kind: EvidenceKind | None = None
    evidence_reference: LongText = ""


class Testimonial(Item):
    """A patient's or endorser's words used in a message, with what the rules ask about them."""

    text: LongText = Field(min_length=1)
    endorser: ShortText = ""
    consent_on_file: bool = False  # a signed authorization to use their words, name, photo
    connection: Connection = Connection.NONE
    connection_disclosed: bool = False  # the message says how they are connected
    typicality: LongText = ""  # what patients can generally expect, said in the message


class MessageVariant(Item):
    name: Name
    segment: Name | None = None
    # The channel it is written for (activities add theirs).
    channel: Channel | None = Field(default=None, title="Written for")
    ab_label: Annotated[str, StringConstraints(pattern=r"^[A-Z]?$")] = Field(
        default="", title="A/B label"
    )
    headline: ShortText = ""
    body: LongText = ""
    call_to_action: ShortText = Field(
        default="", description="Reading level: worked out as you type."
    )
    claims: list[Claim] = []
    testimonials: list[Testimonial] = []
    disclaimers: list[LongText] = []

    def texts(self) -> list[tuple[str, str]]:
        """The message's own words, field by field: (field, text)."""
        parts = [("headline", self.headline), ("body", self.body)]
        parts.append(("call_to_action", self.call_to_action))
        parts += [(f"disclaimer {n}", text) for n, text in enumerate(self.disclaimers, 1)]
        return [(name, text) for name, text in parts if text]


class MixElement(Model):
    description: LongText = ""
    items: list[ShortText] = []

    @property
    def is_empty(self) -> bool:
        return not self.description and not self.items


class MarketingMix(Model):
    product: MixElement = Field(default_factory=MixElement)
    price: MixElement = Field(default_factory=MixElement)
    place: MixElement = Field(default_factory=MixElement)
    promotion: MixElement = Field(default_factory=MixElement)
    people: MixElement = Field(default_factory=MixElement)
    process: MixElement = Field(default_factory=MixElement)
    physical_evidence: MixElement = Field(default_factory=MixElement)

    def elements(self) -> list[tuple[MixP, MixElement]]:
        return [(p, getattr(self, p.value)) for p in MixP]


class Activity(Item):
    name: Name
    channel: Channel
    journey_stage: JourneyStage
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    owner: ShortText = ""
    staff_hours: float = Field(default=0, ge=0, le=100_000, allow_inf_nan=False)
    planned_cost_minor: MinorUnits = Field(default=0, title="Planned cost")
    segment: Name | None = None
    influencer: Name | None = None
    message: Name | None = Field(default=None, title="Message variant")
    description: LongText = ""
    list_consent: ConsentBasis | None = Field(
        default=None, description="Email and SMS: why the people on the list may be written to."
    )
    health_data_audience: bool = Field(
        default=False,
        title="Audience from health data",
        description="Ticked when the audience is built from patient records or conditions.",
    )

    @model_validator(mode="after")
    def _dates_in_order(self) -> Activity:
        _check_dates(self.start_date, self.end_date, f"activity '{self.name}'")
        return self


def _shown(value: float, info: ValidationInfo) -> str:
    """A number in a sentence, as the campaign writes it when the validation was told its
    number style (``context={"style": "it_IT"}``: ``63,5``), else as ``63.5``."""
    style = (info.context or {}).get("style") if info is not None else None
    if style:
        from planner.domain.numbers import format_number

        return format_number(value, style)
    return f"{value:g}"


class Measure(Item):
    name: Name
    category: MeasureCategory
    unit: ShortText = ""
    direction: Direction = Direction.INCREASE
    baseline: float | None = Field(default=None, allow_inf_nan=False)
    target: float | None = Field(default=None, allow_inf_nan=False)
    data_source: ShortText = ""
    cadence: Cadence = Cadence.MONTHLY
    primary: bool = Field(default=False, title="Primary measure")
    revenue: bool = Field(
        default=False,
        title="Revenue measure",
        description="Its results are money the campaign brought in, in the campaign's currency: "
        "the return on what was spent (ROI) is worked out from them.",
    )

    @model_validator(mode="after")
    def _revenue_comes_in(self) -> Measure:
        if self.revenue and self.direction is Direction.DECREASE:
            raise ValueError(
                f"measure '{self.name}' is marked as the campaign's revenue, money coming in, "
                "so it should increase"
            )
        return self

    @model_validator(mode="after")
    def _target_in_direction(self, info: ValidationInfo) -> Measure:
        if self.baseline is not None and self.target is not None:
            target, baseline = _shown(self.target, info), _shown(self.baseline, info)
            if self.direction is Direction.INCREASE and self.target < self.baseline:
                raise ValueError(
                    f"the target ({target}) is below the baseline ({baseline}) "
                    "for a measure that should increase"
                )
            if self.direction is Direction.DECREASE and self.target > self.baseline:
                raise ValueError(
                    f"the target ({target}) is above the baseline ({baseline}) "
                    "for a measure that should decrease"
                )
        return self


class BudgetLine(Item):
    name: Name
    amount_minor: MinorUnits = Field(title="Amount")
    channel: Channel | None = None
    activity: Name | None = None
    note: LongText = ""


class Entry(Item):
    """Something recorded as the campaign runs: a cost or a result. ``date`` is the day it
    happened, or the last day of the period it covers when ``period_start`` is set."""

    date: dt.date
    period_start: dt.date | None = None

    @model_validator(mode="after")
    def _period_in_order(self) -> Entry:
        if self.period_start is not None and self.period_start > self.date:
            raise ValueError(f"the period starts ({self.period_start}) after it ends ({self.date})")
        return self

    @property
    def period(self) -> str:
        """``2027-03-01``, or ``2027-03-01..2027-03-31`` for a period."""
        if self.period_start is None or self.period_start == self.date:
            return self.date.isoformat()
        return f"{self.period_start.isoformat()}..{self.date.isoformat()}"


class Cost(Entry):
    amount_minor: MinorUnits
    # The channel the money went to; left blank, it is the activity's channel when the cost
    # is recorded (and stays so if the activity later moves to another channel).
    channel: Channel | None = None
    vendor: ShortText = ""
    activity: Name | None = None
    note: LongText = ""


class Result(Entry):
    measure: Name
    value: float = Field(allow_inf_nan=False, ge=-1e15, le=1e15)
    source: ShortText = ""
    note: LongText = ""
    # What the value is out of: 21 bookings of 500 invitations (the rate is value / of).
    of: float | None = Field(default=None, allow_inf_nan=False, gt=0, le=1e15, title="Out of")
    # What the result belongs to. Left blank, the activity's message variant, segment,
    # influencer and channel are taken when it is recorded (and the variant's segment).
    variant: Name | None = Field(default=None, title="Message variant")
    activity: Name | None = None
    segment: Name | None = None
    influencer: Name | None = None
    channel: Channel | None = None

    @model_validator(mode="after")
    def _counts_of_its_whole(self) -> Result:
        # (whether it is more than its whole depends on its measure's unit: ``beyond_whole``)
        if self.of is not None and self.value < 0:
            raise ValueError(f"a result out of {self.of:g} is not below 0 ({self.value:g})")
        if self.of is not None and not float(self.of).is_integer():
            raise ValueError(
                f"what a result is out of is a whole number (invitations, patients), not "
                f"{self.of:g}"
            )
        return self

    @property
    def breakdown(self) -> tuple[str | None, ...]:
        """(variant, activity, segment, influencer, channel value)."""
        channel = self.channel.value if self.channel else None
        return self.variant, self.activity, self.segment, self.influencer, channel


class EntryRows(NamedTuple):
    """Costs or results read as their rows (``cost_row``, ``result_row``), each checked as
    strictly as its model would be, without building it (a campaign file's million costs)."""

    kind: type[Entry]
    rows: list[CostRow] | list[ResultRow]


def cost_row(cost: Cost) -> CostRow:
    return (
        cost.date.isoformat(),
        cost.period_start.isoformat() if cost.period_start else None,
        cost.amount_minor,
        cost.channel.value if cost.channel else None,
        cost.vendor,
        cost.activity,
        cost.note,
    )


def cost_from_row(row: CostRow) -> Cost:
    day, start, minor, channel, vendor, activity, note = row
    return Cost(
        date=dt.date.fromisoformat(day),
        period_start=dt.date.fromisoformat(start) if start else None,
        amount_minor=minor,
        channel=Channel(channel) if channel else None,
        vendor=vendor,
        activity=activity,
        note=note,
    )


def result_from_row(row: ResultRow) -> Result:
    measure, day, start, value, source, note, of, variant, activity, segment, influencer, ch = row
    return Result(
        measure=measure,
        date=dt.date.fromisoformat(day),
        period_start=dt.date.fromisoformat(start) if start else None,
        value=value,
        source=source,
        note=note,
        of=of,
        variant=variant,
        activity=activity,
        segment=segment,
        influencer=influencer,
        channel=Channel(ch) if ch else None,
    )


def result_row(result: Result) -> ResultRow:
    return (
        result.measure,
        result.date.isoformat(),
        result.period_start.isoformat() if result.period_start else None,
        result.value,
        result.source,
        result.note,
        result.of,
        *result.breakdown,
    )


class Review(Item):
    kind: ReviewKind
    decision: ReviewDecision = ReviewDecision.PENDING
    reviewer: ShortText = ""
    date: dt.date | None = None
    comments: LongText = ""
    # The campaign's message version this sign-off was given on; a later change to a message
    # withdraws it. The store stamps it when the sign-off is recorded.
    message_version: int | None = Field(default=None, ge=0)


RuleId = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=1, max_length=80)
]


class RuleWaiver(Model):
    """A compliance rule turned off for one campaign, and why."""

    rule_id: RuleId
    reason: LongText = Field(min_length=1)
    created_at: str = ""


class FindingDecision(Model):
    """A reviewer's answer to one finding: a review finding accepted, a confirm item ticked."""

    key: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    rule_id: RuleId
    decision: Literal["accepted", "confirmed"]
    reason: LongText = ""
    name: ShortText = ""
    created_at: str = ""


# ---------------------------------------------------------------------------------------------
# The campaign


def _check_dates(start: dt.date | None, end: dt.date | None, what: str) -> None:
    if start is not None and end is not None and end < start:
        raise ValueError(f"the end date of {what} ({end}) is before its start date ({start})")


def _unique(names: list[str], what: str, message: str = "") -> None:
    seen: set[str] = set()
    for name in names:
        key = name.casefold()
        if key in seen:
            raise ValueError(
                message.format(name=name)
                or f"two {what} are called '{name}'; give each a different name"
            )
        seen.add(key)


def web_address(url: str) -> str:
    """A web address as typed, checked: http or https, with a host and no space; a
    ValueError says what is wrong."""
    from urllib.parse import urlsplit

    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"'{url}' is not a web address; give the page the links lead to, such as "
            "https://www.example-practice.com/flu"
        )
    if any(ch.isspace() for ch in url):
        raise ValueError(f"'{url}' has a space in it; a web address has none")
    return url


def _landing_page(url: str) -> str:
    return web_address(url) if url.strip() else ""


class Campaign(Model):
    """A whole campaign: the plan, and what was spent and observed since."""

    id: int | None = Field(default=None, exclude=True)
    version: int = Field(default=0, exclude=True)
    archived: bool = Field(default=False, exclude=True)

    name: Name
    practice: ShortText = ""
    service_line: ShortText = ""
    prepared_by: ShortText = ""
    objective: LongText = ""
    desired_behaviour: LongText = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    currency: str = "USD"
    jurisdictions: list[Jurisdiction] = []
    status: CampaignStatus = CampaignStatus.DRAFT
    core_message: LongText = ""
    offering: Offering = Offering.SERVICE
    email_footer: LongText = ""  # the footer every marketing email carries
    # How numbers are typed and shown (a locale such as it_IT: 1.234,50); None: worked out
    # from the jurisdictions and currency (planner.domain.numbers.style_of).
    number_style: str | None = None
    # The language its brief is written in ("en", "it"); None: Italian for Italy or the
    # Italian number style, otherwise English (planner.domain.language.language_of).
    language: str | None = Field(
        default=None,
        title="Brief language",
        description="The language of the brief's own words (headings, labels, dates); unset: "
        "Italian for Italy or the Italian number style, otherwise English.",
    )
    # The page the campaign's messages lead to: each activity's tracking link starts from it.
    landing_page: Annotated[ShortText, AfterValidator(_landing_page)] = Field(
        default="",
        title="Landing page",
        description="The web address the messages lead to; each activity gets its own "
        "tracking link to it.",
    )
    # The hours a month each person can give the campaign's activities (None: not set).
    staff_hours_per_month: float | None = Field(
        default=None,
        ge=0,
        le=10_000,
        allow_inf_nan=False,
        title="Staff hours a month",
        description="What each person can give the campaign in a month; a month above it is "
        "flagged.",
    )
    # What the plan expects back, as the CRM campaign objects of larger tools carry it: the
    # responses (results of the primary measure, such as bookings) and the revenue.
    expected_responses: int | None = Field(
        default=None,
        ge=0,
        le=10**9,
        title="Expected responses",
        description="How many the primary measure should count by the end (bookings, "
        "referrals): the planned cost per response is worked out from it.",
    )
    expected_revenue_minor: MinorUnits | None = Field(
        default=None,
        title="Expected revenue",
        description="The money the campaign should bring in: the planned return (ROI).",
    )
    # The end-of-campaign review: what the practice learned, for the next campaign.
    what_worked: LongText = Field(default="", title="What worked")
    what_did_not_work: LongText = Field(default="", title="What did not work")
    next_time: LongText = Field(default="", title="Decisions for next time")
    # The review of the campaign this one was copied from, carried along to read.
    earlier_lessons: LongText = Field(default="", title="Lessons from before")
    # Moves on whenever a message's words change (the core message, a variant, its claims or
    # testimonials): sign-offs given on an older version stand withdrawn.
    message_version: int = Field(default=1, exclude=True)

    segments: list[Segment] = []
    influencers: list[Influencer] = []
    messages: list[MessageVariant] = []
    mix: MarketingMix = Field(default_factory=MarketingMix)
    activities: list[Activity] = []
    measures: list[Measure] = []
    budget: list[BudgetLine] = []
    costs: list[Cost] = []
    results: list[Result] = []
    reviews: list[Review] = []
    disabled_rules: list[RuleWaiver] = []
    finding_decisions: list[FindingDecision] = []

    @field_validator("currency", mode="before")
    @classmethod
    def _currency_code(cls, value: Any) -> Any:
        if isinstance(value, str):
            code = value.strip().upper()
            if not is_currency(code):
                raise ValueError(
                    f"'{value}' is not an ISO 4217 currency code; use three letters such as "
                    "USD, EUR or GBP"
                )
            return code
        return value

    @field_validator("number_style", mode="before")
    @classmethod
    def _number_style(cls, value: Any) -> Any:
        if isinstance(value, str):
            if not value.strip() or value.strip().casefold() == "auto":
                return None
            from planner.domain.numbers import normalise_style  # Babel's data, only when one is set

            return normalise_style(value)
        return value

    @field_validator("language", mode="before")
    @classmethod
    def _language(cls, value: Any) -> Any:
        if isinstance(value, str):
            if not value.strip() or value.strip().casefold() == "auto":
                return None
            return normalise_language(value)
        return value

    @field_validator("jurisdictions")
    @classmethod
    def _no_repeated_jurisdictions(cls, value: list[Jurisdiction]) -> list[Jurisdiction]:
        return list(dict.fromkeys(value))

    @model_validator(mode="after")
    def _consistent(self) -> Campaign:
        _check_dates(self.start_date, self.end_date, "the campaign")
        _unique([s.name for s in self.segments], "segments")
        _unique([i.name for i in self.influencers], "influencers")
        _unique([m.name for m in self.messages], "message variants")
        _unique([a.name for a in self.activities], "activities")
        _unique([m.name for m in self.measures], "measures")
        segments = {s.name.casefold() for s in self.segments}
        influencers = {i.name.casefold() for i in self.influencers}
        messages = {m.name.casefold() for m in self.messages}
        activities = {a.name.casefold() for a in self.activities}
        measures = {m.name.casefold() for m in self.measures}

        def known(name: str | None, names: set[str], what: str, where: str) -> None:
            if name is not None and name.casefold() not in names:
                raise ValueError(f"{where} refers to the {what} '{name}', which does not exist")

        for inf in self.influencers:
            _unique(inf.segments, "", f"influencer '{inf.name}' lists the segment '{{name}}' twice")
            for seg in inf.segments:
                known(seg, segments, "segment", f"influencer '{inf.name}'")
        for msg in self.messages:
            known(msg.segment, segments, "segment", f"message variant '{msg.name}'")
        for act in self.activities:
            where = f"activity '{act.name}'"
            known(act.segment, segments, "segment", where)
            known(act.influencer, influencers, "influencer", where)
            known(act.message, messages, "message variant", where)
        for line in self.budget:
            known(line.activity, activities, "activity", f"budget line '{line.name}'")
        names = {
            "activity": activities,
            "measure": measures,
            "variant": messages,
            "segment": segments,
            "influencer": influencers,
        }
        for entry in (*self.costs, *self.results):
            problem = unknown_reference(entry, names)
            if problem:
                raise ValueError(problem)
        if sum(1 for m in self.measures if m.primary) > 1:
            raise ValueError("only one measure can be the primary measure")
        if self.total_budget_minor > MAX_MINOR or self.planned_cost_minor > MAX_MINOR:
            raise ValueError("the budget adds up to more than the planner can hold")
        return self

    # Figures a screen or a brief asks for ------------------------------------------------

    @property
    def total_budget_minor(self) -> int:
        return sum(line.amount_minor for line in self.budget)

    @property
    def planned_cost_minor(self) -> int:
        return sum(a.planned_cost_minor for a in self.activities)

    @property
    def primary_measure(self) -> Measure | None:
        for measure in self.measures:
            if measure.primary:
                return measure
        return self.measures[0] if self.measures else None


def reference_names(campaign: Campaign) -> dict[str, set[str]]:
    """The names (casefolded) a cost or a result may refer to, by the field that names them:
    what ``unknown_reference`` is given."""
    return {
        "activity": {a.name.casefold() for a in campaign.activities},
        "measure": {m.name.casefold() for m in campaign.measures},
        "variant": {m.name.casefold() for m in campaign.messages},
        "segment": {s.name.casefold() for s in campaign.segments},
        "influencer": {i.name.casefold() for i in campaign.influencers},
    }


_REFERRED = {
    "measure": "measure",
    "variant": "message variant",
    "activity": "activity",
    "segment": "segment",
    "influencer": "influencer",
}


def unknown_reference(entry: Entry, names: dict[str, set[str]]) -> str:
    """What is wrong with the names a cost or a result refers to, given those of the
    campaign (``reference_names``): blank when each names one of them. A campaign's
    validation says it, and so does an import that reads its costs one at a time. (Whether a
    result is more than its whole is asked when it is written, never when it is read: a
    measure's unit may change after its results.)"""
    if isinstance(entry, Cost):
        activity = entry.activity
        if activity is not None and activity.casefold() not in names["activity"]:
            return (
                f"the cost of {entry.date} refers to the activity '{activity}', "
                "which does not exist"
            )
        return ""
    for field, what in _REFERRED.items():
        name = getattr(entry, field)
        if name is not None and name.casefold() not in names[field]:
            return f"the result of {entry.date} refers to the {what} '{name}', which does not exist"
    return ""


class BriefRender(Model):
    """One exported brief: what was written, when, from which version of the campaign."""

    id: int | None = None
    campaign_id: int
    rendered_at: str  # ISO 8601, UTC
    format: BriefFormat
    campaign_version: int
    sha256: str
    size: int  # bytes
    path: str | None = None  # None: written to standard output
    template_dir: str | None = None  # None: the shipped templates
    # who it was for: the team (everything) or the client (no internal review, no version)
    audience: Literal["internal", "client"] = "internal"


# ---------------------------------------------------------------------------------------------
# Imports of exported files


FormatKey = Literal["auto", "google-ads", "meta-ads", "mailchimp", "ga4", "hcahps", "generic"]


class ImportOptions(Model):
    """How to read a file: which kind of entries it holds, its format (or "auto"), which
    column holds each field (``{"amount": "Cost"}``; for results also ``{"Email open rate":
    "Open Rate"}``, a measure of the campaign and the column with its figures), whether its
    dates write the day first (None: found from the file), which rows to keep
    (``{"Facility ID": "010001"}``; a value ending in ``*`` keeps every value starting so), and
    the channels the file names in words the planner does not know (``{"Stampa":
    "print_mail"}``; ``""`` leaves that channel's rows out of this import)."""

    kind: ImportKind
    format: FormatKey = "auto"
    fields: dict[str, str] = Field(default_factory=dict)
    day_first: bool | None = None
    where: dict[str, str] = Field(default_factory=dict)
    channels: dict[str, str] = Field(default_factory=dict)


class SavedMapping(ImportOptions):
    """Import options saved under a name, to read the next file of the same kind alike."""

    name: Name


class ImportRecord(Model):
    """One imported file: what it was, what it added, and whether it was undone."""

    id: int | None = None
    campaign_id: int
    kind: ImportKind
    file_name: str
    content_hash: str  # sha256 of the file's bytes
    format: str
    rows_read: int = 0  # data rows in the file (totals and filtered rows left out)
    entries: int = 0  # costs or results written
    skipped: int = 0  # rows that could not be read
    total_minor: int | None = None  # the costs' sum (costs only)
    created_at: str = ""  # ISO 8601, UTC
    undone_at: str | None = None
