"""The table of each kind of item in the plan: its columns, their widths and how each cell
is written, and the reading legend under the messages list."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from planner.domain.models import (
    Activity,
    BudgetLine,
    Campaign,
    Influencer,
    Item,
    Measure,
    MessageVariant,
    Segment,
)
from planner.domain.numbers import (
    format_figure,
    format_money,
    format_number,
    format_rounded,
    style_of,
)
from planner.plan.guide import variant_reading
from planner.plan.links import content_tags
from planner.tracking.referrals import InfluencerReferrals, referrals_text
from screens.widgets.columns import Column


def _date(value: Any) -> str:
    return value.isoformat() if value else "–"  # with its year, as dates are typed


def _size(segment: Segment, style: str) -> str | Text:
    """A segment's estimated size; until it can be worked out, its population, marked
    ``pop.`` (the line under the list says what that means); ``–`` when neither is given."""
    size = segment.sized()
    if size is not None:
        return format_number(size, style)
    if segment.population is not None:
        return Text(f"pop. {format_number(segment.population, style)}", style="dim")
    return "–"


# The messages list shows each reading with its scale's initials; the line under it names them.
_INITIALS = {"Flesch-Kincaid grade": "FK", "Gulpease": "G", "Fernández-Huerta": "FH"}


def reading_legend(campaign: Campaign) -> str:
    """The line under the messages list: only the scales its readings use, in a few words (at
    80 columns every line taken from the list is a variant the user cannot see)."""
    segments = {s.name: s for s in campaign.segments}
    used = set()
    for variant in campaign.messages:
        r = variant_reading(variant, segments.get(variant.segment or ""))
        if r.scale is not None and r.grade is not None:
            used.add(_INITIALS[r.scale.name])
    names = {"FK": "FK Flesch-Kincaid grade", "G": "G Gulpease", "FH": "FH Fernández-Huerta"}
    parts = [names[key] for key in ("FK", "G", "FH") if key in used]
    if not parts:
        return ""
    tail = " (0-100, higher is easier)" if used & {"G", "FH"} else ""
    return f"Reading: {', '.join(parts)}{tail}."


def kind_columns(
    campaign: Campaign, referrals: dict[str, InfluencerReferrals] | None = None
) -> dict[type[Item], list[Column]]:
    """The columns of the table of each kind of item in the plan; ``referrals`` (by
    influencer, once any result names one) adds the influencers' referrals column."""
    money, style = campaign.currency, style_of(campaign)

    segments = {s.name: s for s in campaign.segments}
    # each activity's tracking link tag (utm_content), shown once the campaign has a landing
    # page for the links to lead to
    tags = {activity: tag for tag, activity in content_tags(campaign).items()}
    # each activity's tracking link tag (utm_content), shown once the campaign has a landing
    # page for the links to lead to
    tags = {activity: tag for tag, activity in content_tags(campaign).items()}

    def reading(variant: MessageVariant) -> str:
        """The score with its scale's initials (the line under the list names them)."""
        r = variant_reading(variant, segments.get(variant.segment or ""))
        return "–" if r.scale is None or r.grade is None else f"{_INITIALS[r.scale.name]} {r.short}"

    return {
        Segment: [
            Column("Segment", lambda s: s.name),
            Column("Ages", lambda s: s.age_range, 9, optional=True),
            Column(
                "Stage",
                lambda s: s.care_stage.label if s.care_stage else "–",
                11,
                optional=True,
            ),
            Column("Size", lambda s: _size(s, style), 11, right=True),
        ],
        Influencer: [
            Column("Influencer", lambda i: i.name),
            Column("Kind", lambda i: i.kind.label, 20, optional=True),
            Column("Strength", lambda i: "●" * i.strength, 8),
            *(
                [
                    Column(
                        "Referrals",
                        lambda i: referrals_text(
                            referrals.get(i.name), lambda v: format_rounded(v, style, 1)
                        ),
                        18,
                        right=True,
                    )
                ]
                if referrals
                else []
            ),
        ],
        MessageVariant: [
            Column("Variant", lambda m: m.name),
            Column("A/B", lambda m: m.ab_label or "–", 3, optional=True),
            Column("Reading", reading, 7, right=True),
            Column("Claims", lambda m: str(len(m.claims)), 6, right=True, optional=True),
        ],
        Activity: [
            Column("Activity", lambda a: a.name),
            *(
                [Column("Link tag", lambda a: tags.get(a.name, "–"), 18, optional=True)]
                if campaign.landing_page
                else []
            ),
            Column("Channel", lambda a: a.channel.label, 12, optional=True),
            Column("Stage", lambda a: a.journey_stage.label, 12),
            Column("Starts", lambda a: _date(a.start_date), 10, optional=True),
            Column(
                "Cost",
                lambda a: format_money(a.planned_cost_minor, money, style),
                9,
                right=True,
            ),
        ],
        Measure: [
            Column(
                "Measure",
                lambda m: ("★ " if m.primary else "") + ("¤ " if m.revenue else "") + m.name,
            ),
            Column(
                "Baseline",
                lambda m: format_figure(m.baseline, m.unit, style),
                8,
                right=True,
                optional=True,
            ),
            Column("Target", lambda m: format_figure(m.target, m.unit, style), 8, right=True),
            Column("Cadence", lambda m: m.cadence.label, 15, optional=True),
        ],
        BudgetLine: [
            Column("Budget line", lambda b: b.name),
            Column(
                "For",
                lambda b: b.activity or (b.channel.label if b.channel else "–"),
                16,
                optional=True,
            ),
            Column(
                "Amount",
                lambda b: format_money(b.amount_minor, money, style),
                11,
                right=True,
            ),
        ],
    }
