"""The planning steps, the questions each one answers, and whether a campaign has answered them.

The workspace walks a user through these steps in order and marks each one done or incomplete
with its reasons; the brief and the CLI can ask the same questions of a campaign. The rules are
deliberately about substance (is there a target? is anything planned after the first visit?),
not about filling every optional field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from planner.domain.models import Campaign, JourneyStage, MessageVariant, Segment
from planner.domain.numbers import format_money, format_rounded, style_of
from planner.plan.readability import Reading, message_language, read, reading_text
from planner.plan.staff import over_sentences, staff_time


class Step(StrEnum):
    OVERVIEW = "overview"
    AUDIENCE = "audience"
    INFLUENCERS = "influencers"
    MESSAGE = "message"
    MIX = "mix"
    ACTIVITIES = "activities"
    MEASURES = "measures"
    BUDGET = "budget"

    @property
    def number(self) -> int:
        return list(Step).index(self) + 1

    @property
    def title(self) -> str:
        return _TITLES[self]

    @property
    def intro(self) -> str:
        return _INTROS[self]

    @property
    def questions(self) -> list[str]:
        return _QUESTIONS[self]


_TITLES = {
    Step.OVERVIEW: "Overview",
    Step.AUDIENCE: "Audience",
    Step.INFLUENCERS: "Influencers",
    Step.MESSAGE: "Message",
    Step.MIX: "Marketing mix",
    Step.ACTIVITIES: "Activities",
    Step.MEASURES: "Measures",
    Step.BUDGET: "Budget",
}

_INTROS = {
    Step.OVERVIEW: "What the campaign is for, who runs it, when and where.",
    Step.AUDIENCE: "The groups of patients you want to reach, and how many people each holds.",
    Step.INFLUENCERS: "Who shapes your audience's choice of care, and how you will work with them.",
    Step.MESSAGE: "What you will say, to whom, and the evidence behind every claim.",
    Step.MIX: "The seven Ps: the service, its price, place, promotion, people, process and proof.",
    Step.ACTIVITIES: "What you will do, on which channel, at which stage of the patient journey.",
    Step.MEASURES: "How you will know it worked: the figures to watch, from where, how often.",
    Step.BUDGET: "What you plan to spend, against the planned cost of the activities.",
}

# The questions come from the planning material the product is built on, in our own words.
_QUESTIONS = {
    Step.OVERVIEW: [
        "Which service or condition is this campaign about?",
        "What should change by the end: the objective, with a number if you can give one?",
        "What exactly do you want patients or referrers to do (the desired behaviour)?",
        "When does it start and end, and in which countries or regions does it run?",
        "Who prepares the plan, and who must approve it?",
    ],
    Step.AUDIENCE: [
        "Who must respond: which age group, gender, place, language?",
        "Is the need preventive or screening, acute, chronic, or advanced care?",
        "What do they believe, fear or value about this service (psychographics)?",
        "How are they insured or covered, and has their coverage changed recently?",
        "How well do they read health information, and what cultural needs should you respect?",
        "How do they prefer to be reached, and how do they look for care?",
        "How many people are there, how many are eligible, how many can you reach?",
        "Are they new to the community or long-term residents?",
    ],
    Step.INFLUENCERS: [
        "Who influences this choice? Family doctors steer the choice of specialist; family, "
        "friends and health plans steer the choice of a family doctor.",
        "Could employers, colleges, community groups or online communities open doors?",
        "How strong is each one's influence, and how good is your relationship today?",
        "How will you engage them, through which channels, and how many referrals come today?",
    ],
    Step.MESSAGE: [
        "What do people need to know? Write one core message.",
        "How should it be said to each segment, in their language and at their reading level?",
        "Which two versions will you test against each other (A/B)?",
        "What single action do you ask for (the call to action)?",
        "Which claims do you make, and what evidence backs each one (a study, outcome data, a "
        "guideline, a testimonial given with consent)?",
        "Does it inform rather than hype? Which disclaimers does the law require?",
    ],
    Step.MIX: [
        "Product: which service, treatment or programme do you offer?",
        "Price: what will the patient or the insurer pay, stated plainly?",
        "Place: where and when is care available, and how easy is it to reach?",
        "Promotion: how will people hear about it?",
        "People: which clinicians and staff deliver it, and are they briefed?",
        "Process: how does a patient move from first contact to follow-up?",
        "Physical evidence: what will patients see and take home that shows quality?",
    ],
    Step.ACTIVITIES: [
        "Which channels reach each segment and influencer: email, text, social, ads, portal, "
        "website, print, events, telehealth, liaison visits, PR?",
        "What happens at each journey stage, from awareness to advocacy?",
        "How does the relationship continue after the first visit?",
        "Who owns each activity, when does it run, how many staff hours and what does it cost?",
        "Which message variant does each activity carry?",
    ],
    Step.MEASURES: [
        "What is the desired behaviour, and which figure shows it happening?",
        "More referrals from particular doctors? Better clinical measures? Higher satisfaction?",
        "Where does each figure come from, how often, and what is it today?",
        "What target do you commit to, and which measure matters most (the primary one)?",
        "Can you capture the data at the point of contact with the patient?",
    ],
    Step.BUDGET: [
        "What will each channel or activity cost, including printing, ads and staff time?",
        "Does the budget cover the planned cost of the activities?",
        "Who approves spending, and what happens if costs run over?",
    ],
}

# Stages that mean the relationship continues after the patient has chosen you.
AFTER_CHOICE = (JourneyStage.CARE_EXPERIENCE, JourneyStage.FOLLOW_UP, JourneyStage.ADVOCACY)


@dataclass(frozen=True)
class StepCheck:
    step: Step
    problems: list[str] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return not self.problems

    @property
    def summary(self) -> str:
        if self.done:
            return "Done"
        count = len(self.problems)
        return f"{count} thing{'s' if count != 1 else ''} to do"


def check_campaign(campaign: Campaign) -> dict[Step, StepCheck]:
    return {step: check_step(campaign, step) for step in Step}


def check_step(campaign: Campaign, step: Step) -> StepCheck:
    return StepCheck(step, _RULES[step](campaign) + _fill_ins(campaign, step))


# What a starter made for another practice leaves to fill in: "[your figure]", "[your phone]",
# "[the practice manager's name]" (see planner.plan.starters).
TO_FILL_IN = re.compile(r"\[(?:your|the) [^\[\]\n]{1,60}\]")


def placeholders(value: Any) -> list[str]:
    """The placeholders left in ``value`` (text, a list of texts, or a model's fields), each
    once, in order."""
    if hasattr(value, "model_dump_json"):
        text = value.model_dump_json()  # in one pass (none holds a quote or a backslash)
    else:
        text = value if isinstance(value, str) else "\n".join(map(str, value))
    return list(dict.fromkeys(TO_FILL_IN.findall(text)))


def _fill_ins(c: Campaign, step: Step) -> list[str]:
    """One sentence for each part of the step that holds a placeholder to fill in."""
    parts: list[tuple[str, Any]] = []
    if step is Step.OVERVIEW:
        fields = ("objective", "desired_behaviour", "prepared_by", "service_line")
        parts = [("the overview", [getattr(c, f) for f in fields])]
    elif step is Step.AUDIENCE:
        parts = [(f"segment '{s.name}'", s) for s in c.segments]
    elif step is Step.INFLUENCERS:
        parts = [(f"influencer '{i.name}'", i) for i in c.influencers]
    elif step is Step.MESSAGE:
        parts = [("the core message", c.core_message)]
        parts += [(f"variant '{m.name}'", m) for m in c.messages]
    elif step is Step.MIX:
        parts = [(f"the {p.label}", element) for p, element in c.mix.elements()]
    elif step is Step.ACTIVITIES:
        parts = [(f"activity '{a.name}'", a) for a in c.activities]
    elif step is Step.MEASURES:
        parts = [(f"measure '{m.name}'", m) for m in c.measures]
    elif step is Step.BUDGET:
        parts = [(f"budget line '{b.name}'", b) for b in c.budget]
    return [
        f"Fill in {_and(found, 'and')} in {what}."
        for what, value in parts
        if (found := placeholders(value))
    ]


def _overview(c: Campaign) -> list[str]:
    problems = []
    if not c.practice:
        problems.append("Name the practice running the campaign.")
    if not c.objective:
        problems.append("State the objective: what should change by the end.")
    if not c.desired_behaviour:
        problems.append("Describe the behaviour you want from patients or referrers.")
    if c.start_date is None or c.end_date is None:
        problems.append("Set the start and end dates.")
    if not c.jurisdictions:
        problems.append("Choose where the campaign runs (jurisdictions).")
    return problems


def _audience(c: Campaign) -> list[str]:
    if not c.segments:
        return ["Add at least one audience segment."]
    problems = []
    for s in c.segments:
        missing = []
        if not s.health_need:
            missing.append("health need")
        if s.care_stage is None:
            missing.append("care stage")
        if s.sized() is None:
            missing.append("estimated size")
        if not s.preferred_channels:
            missing.append("preferred channels")
        if s.literacy_grade is None:
            missing.append("target reading grade")
        if missing:
            problems.append(f"Segment '{s.name}' has no {_and(missing)}.")
    return problems


def _influencers(c: Campaign) -> list[str]:
    if not c.influencers:
        return ["Add who influences your audience's choice (doctors, family, health plans...)."]
    problems = []
    for i in c.influencers:
        if not i.segments:
            problems.append(f"Influencer '{i.name}' is not linked to any segment.")
        if not i.approach:
            problems.append(f"Influencer '{i.name}' has no engagement approach.")
    covered = {name.casefold() for i in c.influencers for name in i.segments}
    for s in c.segments:
        if s.name.casefold() not in covered:
            problems.append(f"No influencer is listed for segment '{s.name}'.")
    return problems


def variant_reading(variant: MessageVariant, segment: Segment | None = None) -> Reading:
    """How hard the variant is to read, on the scale of its segment's language (English,
    assumed, when the segment names no language or there is no segment), or of the language
    it is plainly written in when that is another the planner grades."""
    text = reading_text(variant.headline, variant.body, variant.call_to_action)
    return read(text, message_language(text, segment.languages if segment else None))


def reading_warning(variant: MessageVariant, segment: Segment | None) -> str:
    """A sentence when the variant reads harder than its segment's target grade, else ''."""
    if segment is None or segment.literacy_grade is None:
        return ""
    reading = variant_reading(variant, segment)
    if not reading.harder_than(segment.literacy_grade):
        return ""
    target = reading.target_words(segment.literacy_grade)
    if reading.scale is not None and reading.scale.higher_is_easier:
        return (
            f"Variant '{variant.name}' reads at {reading.figure}, harder than {target} "
            f"for segment '{segment.name}'."
        )
    return (
        f"Variant '{variant.name}' reads at {reading.figure}, above {target} "
        f"for segment '{segment.name}'."
    )


def _message(c: Campaign) -> list[str]:
    problems = []
    if not c.core_message:
        problems.append("Write the core message.")
    if not c.messages:
        problems.append("Add at least one message variant.")
    segments = {s.name.casefold(): s for s in c.segments}
    with_variant = {m.segment.casefold() for m in c.messages if m.segment}
    for s in c.segments:
        if s.name.casefold() not in with_variant:
            problems.append(f"Segment '{s.name}' has no message variant.")
    for m in c.messages:
        missing = [
            label
            for label, value in (
                ("headline", m.headline),
                ("body", m.body),
                ("call to action", m.call_to_action),
            )
            if not value
        ]
        if missing:
            problems.append(f"Variant '{m.name}' has no {_and(missing)}.")
        for claim in m.claims:
            if claim.evidence_kind is None or not claim.evidence_reference:
                problems.append(
                    f"A claim in variant '{m.name}' has no evidence: “{_clip(claim.text)}”."
                )
        segment = segments.get(m.segment.casefold()) if m.segment else None
        warning = reading_warning(m, segment)
        if warning:
            problems.append(warning)
    return problems


def _mix(c: Campaign) -> list[str]:
    return [f"{p.label} is empty." for p, element in c.mix.elements() if element.is_empty]


def _activities(c: Campaign) -> list[str]:
    if not c.activities:
        return ["Plan at least one activity."]
    problems = []
    if not any(a.journey_stage in AFTER_CHOICE for a in c.activities):
        problems.append(
            "Nothing is planned after the choice stage: plan how the relationship continues "
            "after the first visit (care experience, follow-up, advocacy)."
        )
    for a in c.activities:
        missing = []
        if a.start_date is None or a.end_date is None:
            missing.append("dates")
        if not a.owner:
            missing.append("owner")
        if missing:
            problems.append(f"Activity '{a.name}' has no {_and(missing)}.")
        elif (c.start_date and a.start_date < c.start_date) or (
            c.end_date and a.end_date > c.end_date
        ):
            problems.append(f"Activity '{a.name}' runs outside the campaign dates.")
    style = style_of(c)
    return problems + over_sentences(staff_time(c), lambda h: format_rounded(h, style, 1))


def stages_covered(campaign: Campaign) -> dict[JourneyStage, int]:
    counts = dict.fromkeys(JourneyStage, 0)
    for a in campaign.activities:
        counts[a.journey_stage] += 1
    return counts


def _measures(c: Campaign) -> list[str]:
    if not c.measures:
        return ["Choose at least one measure, from the library or your own."]
    problems = []
    if not any(m.primary for m in c.measures):
        problems.append(
            "Mark one measure as the primary measure (until then the brief shows the first)."
        )
    for m in c.measures:
        missing = []
        if m.baseline is None:
            missing.append("baseline")
        if m.target is None:
            missing.append("target")
        if not m.data_source:
            missing.append("data source")
        if missing:
            problems.append(f"Measure '{m.name}' has no {_and(missing)}.")
    return problems


def _budget(c: Campaign) -> list[str]:
    if not c.budget:
        return ["Add budget lines for the channels or activities you will pay for."]
    budget, planned = c.total_budget_minor, c.planned_cost_minor
    if planned > budget:
        style = style_of(c)

        def money(minor: int) -> str:
            return format_money(minor, c.currency, style, code=True)

        return [
            f"The activities' planned costs ({money(planned)}) are above the budget "
            f"({money(budget)}) by {money(planned - budget)}."
        ]
    return []


_RULES = {
    Step.OVERVIEW: _overview,
    Step.AUDIENCE: _audience,
    Step.INFLUENCERS: _influencers,
    Step.MESSAGE: _message,
    Step.MIX: _mix,
    Step.ACTIVITIES: _activities,
    Step.MEASURES: _measures,
    Step.BUDGET: _budget,
}


def _and(words: list[str], joiner: str = "or") -> str:
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + f" {joiner} " + words[-1]


def _clip(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
