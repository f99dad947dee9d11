"""What the rules look at and what they know besides the text.

A campaign is cut into ``Subject``s: the campaign as a record, its core message, each variant
(whole, field by field, each claim and testimonial) and each activity, with the channels it
goes out on and the whole message it belongs to. ``Context`` holds what a check needs from the
campaign: its offering, the variants sent under the SMS health-care exemption, and which
claims name their evidence (``covered``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from planner.compliance.rules import WORD, sentence_bounds
from planner.domain.models import (
    Activity,
    Campaign,
    Channel,
    Claim,
    ConsentBasis,
    MessageVariant,
    Offering,
    Testimonial,
)


@dataclass
class Subject:
    """One text (or one record) the rules look at."""

    kind: str  # message, claim, testimonial, activity, campaign
    key: str  # stable: decisions are kept against it
    label: str  # for people: "Variant 'Flu email', body"
    text: str
    channels: frozenset[Channel]
    variant: MessageVariant | None = None
    claim: Claim | None = None
    testimonial: Testimonial | None = None
    activity: Activity | None = None
    scope: str = ""  # the whole message the text belongs to

    @property
    def field(self) -> str:
        return self.key.rsplit(":", 1)[-1]


@dataclass
class Context:
    """What the rules know besides the text."""

    campaign: Campaign | None
    offering: Offering = Offering.SERVICE
    # variant name -> the texts of its claims that name their evidence
    evidenced: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @functools.cached_property
    def sms_exempt(self) -> frozenset[str]:
        """The variants sent by SMS under the health-care exemption."""
        if self.campaign is None:
            return frozenset()
        return frozenset(
            a.message
            for a in self.campaign.activities
            if a.message
            and a.channel is Channel.SMS
            and a.list_consent is ConsentBasis.HEALTHCARE_EXEMPTION
        )

    def covered(self, variant: MessageVariant | None, text: str, start: int, end: int) -> bool:
        """Whether a claim of the variant with its evidence says what matched: evidence for
        one claim ("98% implant survival, our outcome data") does not back another sentence
        of the same variant ("the best dentists in town")."""
        if variant is None:
            return False
        said = _plain(text[start:end])
        left, right = sentence_bounds(text, start, end)
        sentence = _plain(text[left:right])
        return any(
            said in claim or (claim and claim in sentence)
            for claim in map(_plain, self.evidenced.get(variant.name, ()))
        )


def _plain(text: str) -> str:
    return " ".join(WORD.findall(text.casefold()))


def _variant_channels(campaign: Campaign, variant: MessageVariant) -> frozenset[Channel]:
    found = {a.channel for a in campaign.activities if a.message == variant.name}
    if variant.channel is not None:
        found.add(variant.channel)
    return frozenset(found)


def _message_scope(campaign: Campaign, variant: MessageVariant, channels: frozenset) -> str:
    parts = [text for _, text in variant.texts()]
    if Channel.EMAIL in channels and campaign.email_footer:
        parts.append(campaign.email_footer)
    return "\n".join(parts)


def campaign_subjects(campaign: Campaign) -> list[Subject]:
    every = {a.channel for a in campaign.activities}
    every.update(m.channel for m in campaign.messages if m.channel is not None)
    subjects = [Subject("campaign", "campaign:campaign", "The campaign", "", frozenset(every))]
    if campaign.core_message:
        subjects.append(
            Subject(
                "message",
                "core:core_message",
                "Core message",
                campaign.core_message,
                frozenset(),
                scope=campaign.core_message,
            )
        )
    for variant in campaign.messages:
        channels = _variant_channels(campaign, variant)
        scope = _message_scope(campaign, variant, channels)
        where = f"Variant '{variant.name}'"
        base = f"variant:{variant.name}"
        subjects.append(
            Subject("variant", f"{base}:whole", where, "", channels, variant, scope=scope)
        )
        for name, text in variant.texts():
            subjects.append(
                Subject(
                    "message",
                    f"{base}:{name}",
                    f"{where}, {name.replace('_', ' ')}",
                    text,
                    channels,
                    variant,
                    scope=scope,
                )
            )
        for n, claim in enumerate(variant.claims, 1):
            subjects.append(
                Subject(
                    "claim",
                    f"{base}:claim:{claim.text[:60]}",
                    f"{where}, claim {n}",
                    claim.text,
                    channels,
                    variant,
                    claim=claim,
                    scope=scope,
                )
            )
        for n, said in enumerate(variant.testimonials, 1):
            who = f" ({said.endorser})" if said.endorser else ""
            subjects.append(
                Subject(
                    "testimonial",
                    f"{base}:testimonial:{said.text[:60]}",
                    f"{where}, testimonial {n}{who}",
                    said.text,
                    channels,
                    variant,
                    testimonial=said,
                    scope=scope,
                )
            )
    for activity in campaign.activities:
        subjects.append(
            Subject(
                "activity",
                f"activity:{activity.name}",
                f"Activity '{activity.name}'",
                activity.description,
                frozenset({activity.channel}),
                activity=activity,
                scope=activity.description,
            )
        )
    return subjects
