"""Where a campaign stands on the way from ad hoc campaigns to measured, closed-loop
programmes: a few dimensions, each at a level with the evidence for it in a sentence, read from
what the campaign holds (``planner maturity ID``, the Lessons tab, the brief).

The dimensions follow the steps the planner's material describes: identify the key
influencers; know the audience and test the message; define the measures; close the loop on
responses (results tied to what caused them, from the tools that hold them); show the return;
and learn from each campaign for the next. Each is at one of four levels:

1. **Ad hoc**: nothing of it in the campaign yet;
2. **Planned**: it is in the plan;
3. **Measured**: figures are recorded for it;
4. **Closed loop**: the figures are tied back to what caused them and acted on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from planner.domain.language import N_, _, ngettext

if TYPE_CHECKING:
    from planner.domain.models import Campaign
    from planner.store import TrackingData
    from planner.tracking.figures import TrackingReport

LEVELS = {1: N_("Ad hoc"), 2: N_("Planned"), 3: N_("Measured"), 4: N_("Closed loop")}


@dataclass(frozen=True)
class Dimension:
    name: str
    level: int
    evidence: str  # why it is at that level, in a sentence
    next_step: str  # what would move it up ("" at the top)

    @property
    def level_name(self) -> str:
        return _(LEVELS[self.level])


def assess(campaign: Campaign, data: TrackingData, tracked: TrackingReport) -> list[Dimension]:
    """The campaign's dimensions, each at its level with its evidence."""
    return [
        _influencers(campaign, data),
        _message(campaign, data),
        _measures(campaign, tracked),
        _loop(campaign, data),
        _return(campaign, tracked),
        _learning(campaign),
    ]


def overall(dimensions: list[Dimension]) -> int:
    """The level most of the campaign has reached: the median of the dimensions' levels,
    rounded down (one strong dimension does not make a closed-loop programme)."""
    levels = sorted(d.level for d in dimensions)
    middle = len(levels) // 2
    if len(levels) % 2:
        return levels[middle]
    return (levels[middle - 1] + levels[middle]) // 2


def _influencers(campaign: Campaign, data: TrackingData) -> Dimension:
    name = _("Key influencers")
    influencers = campaign.influencers
    reached = {a.influencer for a in campaign.activities if a.influencer}
    with_results = data.evidence.influencers_with_results
    if not influencers:
        return Dimension(
            name,
            1,
            _(
                "No influencers are named: the physicians, family members or plans who sway "
                "patients' choices."
            ),
            _("Name the influencers in the Influencers step."),
        )
    if with_results:
        return Dimension(
            name,
            4,
            ngettext(
                "Results are recorded for %(num)s influencer of %(all)s: referrals are tied "
                "back to who made them.",
                "Results are recorded for %(num)s influencers of %(all)s: referrals are tied "
                "back to who made them.",
                with_results,
                all=len(influencers),
            ),
            "",
        )
    if reached:
        return Dimension(
            name,
            3,
            ngettext(
                "%(num)s influencer of %(all)s is reached by activities of their own, but no "
                "result is recorded for any influencer.",
                "%(num)s influencers of %(all)s are reached by activities of their own, but no "
                "result is recorded for any influencer.",
                len(reached),
                all=len(influencers),
            ),
            _("Record referrals with the influencer who made them (results add --influencer)."),
        )
    return Dimension(
        name,
        2,
        ngettext(
            "%(num)s influencer named, but no activity reaches them.",
            "%(num)s influencers named, but no activity reaches them.",
            len(influencers),
        ),
        _("Give the influencers activities of their own (an activity's Influencer)."),
    )


def _message(campaign: Campaign, data: TrackingData) -> Dimension:
    name = _("Audience and message")
    tested = data.evidence.variants_tested
    labelled = [m for m in campaign.messages if m.ab_label]
    if not campaign.segments or not campaign.messages:
        return Dimension(
            name,
            1,
            _("The campaign has no segments or no message variants yet."),
            _("Describe who is to be reached and what each segment is told."),
        )
    if tested >= 2:
        return Dimension(
            name,
            4,
            _(
                "%(num)s message variants have results with what they were out of: the "
                "message is tested and compared (planner abtest).",
                num=tested,
            ),
            "",
        )
    if labelled:
        return Dimension(
            name,
            3,
            ngettext(
                "%(num)s variant carries an A/B label, but fewer than two have results saying "
                "what they were out of.",
                "%(num)s variants carry an A/B label, but fewer than two have results saying "
                "what they were out of.",
                len(labelled),
            ),
            _("Record each variant's results with what they were out of (--variant, --of)."),
        )
    aimed = sum(1 for m in campaign.messages if m.segment)
    return Dimension(
        name,
        2,
        _(
            "%(segments)s and %(variants)s (%(aimed)s aimed at a segment); no variant is tested "
            "against another.",
            segments=ngettext("%(num)s segment", "%(num)s segments", len(campaign.segments)),
            variants=ngettext(
                "%(num)s message variant", "%(num)s message variants", len(campaign.messages)
            ),
            aimed=aimed,
        ),
        _("Write an A and a B variant for a segment and record how each does."),
    )


def _measures(campaign: Campaign, tracked: TrackingReport) -> Dimension:
    name = _("Measures")
    primary = tracked.primary
    if not campaign.measures or primary is None:
        return Dimension(
            name,
            1,
            _("No measures are defined: nothing says what success looks like."),
            _("Define the measures in the Measures step, one of them primary."),
        )
    m = primary.measure
    if m.baseline is None or m.target is None:
        return Dimension(
            name,
            2,
            ngettext(
                "%(num)s measure defined; the primary one, '%(name)s', lacks a baseline.",
                "%(num)s measures defined; the primary one, '%(name)s', lacks a baseline.",
                len(campaign.measures),
                name=m.name,
            )
            if m.baseline is None
            else ngettext(
                "%(num)s measure defined; the primary one, '%(name)s', lacks a target.",
                "%(num)s measures defined; the primary one, '%(name)s', lacks a target.",
                len(campaign.measures),
                name=m.name,
            ),
            _("Give the primary measure a baseline and a target."),
        )
    if primary.progress_pct is None:
        return Dimension(
            name,
            3,
            _(
                "'%(name)s' has a baseline and a target, but no result since the start yet.",
                name=m.name,
            ),
            _("Record the primary measure's results as they come."),
        )
    return Dimension(
        name,
        4,
        _(
            "'%(name)s' is %(pct)s%% of the way from its baseline to its target (%(standing)s).",
            name=m.name,
            pct=round(primary.progress_pct),
            standing=_(primary.standing.label).lower(),
        ),
        "",
    )


def _loop(campaign: Campaign, data: TrackingData) -> Dimension:
    name = _("Closing the loop")
    results = sum(m.count for m in data.measures)
    attributed = data.evidence.activities_with_results
    imports = data.evidence.results_imports
    if not results:
        return Dimension(
            name,
            1,
            _("No results are recorded: the responses are not captured."),
            _("Record or import the results of the measures."),
        )
    if attributed:
        return Dimension(
            name,
            4,
            ngettext(
                "Results are tied to %(num)s activity: each response is traced to the "
                "touch-point that caused it.",
                "Results are tied to %(num)s activities: each response is traced to the "
                "touch-point that caused it.",
                attributed,
            ),
            "",
        )
    if imports:
        return Dimension(
            name,
            3,
            ngettext(
                "Results come from %(num)s imported file, but none is tied to an activity.",
                "Results come from %(num)s imported files, but none is tied to an activity.",
                imports,
            ),
            _("Map the activity or variant when importing (--map activity=COLUMN)."),
        )
    return Dimension(
        name,
        2,
        ngettext(
            "%(num)s result typed in by hand, none tied to an activity.",
            "%(num)s results typed in by hand, none tied to an activity.",
            results,
        ),
        _("Import results from the tools that hold them, with the activity each belongs to."),
    )


def _return(campaign: Campaign, tracked: TrackingReport) -> Dimension:
    name = _("Return")
    if tracked.roi is not None:
        return Dimension(
            name,
            4,
            _(
                "The return on what was spent is known: ROI %(roi)s%%.",
                roi=round(tracked.roi * 100),
            ),
            "",
        )
    per_result = [c for c in tracked.cost_per_result if c.per_result_minor is not None]
    if per_result:
        return Dimension(
            name,
            3,
            ngettext(
                "The cost per result is known for %(num)s measure, but not the return: no "
                "revenue measure has results.",
                "The cost per result is known for %(num)s measures, but not the return: no "
                "revenue measure has results.",
                len(per_result),
            ),
            _("Mark the measure whose results are money in as the revenue measure, and record it."),
        )
    if tracked.cost_count:
        return Dimension(
            name,
            2,
            ngettext(
                "%(num)s cost recorded, but no result that counts things to weigh it against.",
                "%(num)s costs recorded, but no result that counts things to weigh them against.",
                tracked.cost_count,
            ),
            _("Record results of a measure that counts (bookings, referrals)."),
        )
    return Dimension(
        name,
        1,
        _("No costs are recorded: what the campaign costs is not known."),
        _("Record or import the costs."),
    )


def _learning(campaign: Campaign) -> Dimension:
    name = _("Learning")
    said = [t for t in (campaign.what_worked, campaign.what_did_not_work) if t.strip()]
    if campaign.next_time.strip():
        return Dimension(
            name,
            4,
            _("The end-of-campaign review records decisions for next time."),
            "",
        )
    if said:
        return Dimension(
            name,
            3,
            _(
                "The end-of-campaign review says what worked or did not, but decides nothing "
                "for next time."
            ),
            _("Write the decisions for next time in the review."),
        )
    if campaign.status.value == "completed":
        return Dimension(
            name,
            2,
            _("The campaign is completed, but its review is not written."),
            _("Write what worked, what did not and what to do next time (planner lessons)."),
        )
    return Dimension(
        name,
        1,
        _("No end-of-campaign review yet."),
        _("When the campaign ends, write what worked, what did not and what to do next time."),
    )


def maturity_json(campaign: Campaign, dimensions: list[Dimension]) -> dict[str, Any]:
    """The assessment as ``planner maturity ID --json`` prints it (documented in the README)."""
    level = overall(dimensions)
    return {
        "campaign_id": campaign.id,
        "campaign": campaign.name,
        "level": level,
        "level_name": LEVELS[level],
        "levels": {str(n): name for n, name in LEVELS.items()},
        "dimensions": [
            {
                "name": d.name,
                "level": d.level,
                "level_name": d.level_name,
                "evidence": d.evidence,
                "next_step": d.next_step or None,
            }
            for d in dimensions
        ],
    }
