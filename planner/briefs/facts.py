"""The figures a brief shows beyond the plan itself: the month-by-month timeline, the journey
coverage matrix, the budget by channel and by activity, reading grades, review status,
tracking to date and the maturity assessment. Worked out here once, so that every output
format shows the same numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from planner.compliance import SIGN_OFFS, Report, RuleSet, lint_campaign, load_rules
from planner.domain import clock
from planner.domain.errors import PlannerError
from planner.domain.language import _, format_month
from planner.domain.models import (
    Activity,
    Campaign,
    Channel,
    JourneyStage,
    MessageVariant,
    Review,
    ReviewDecision,
    ReviewKind,
    Segment,
)
from planner.plan.guide import variant_reading
from planner.plan.links import Link, tracking_links
from planner.plan.staff import StaffTime, staff_time
from planner.store import TrackingData
from planner.tracking import (
    MoneyRow,
    TrackingReport,
    budget_by_activity,
    budget_by_channel,
    report,
)
from planner.tracking.lessons import REVIEW_FIELDS
from planner.tracking.maturity import Dimension, assess
from planner.tracking.referrals import InfluencerReferrals, influencer_referrals

MAX_MONTH_COLUMNS = 18  # beyond this the timeline shows quarters, so that it fits a page
REQUIRED_REVIEWS = SIGN_OFFS  # medical, legal, regulatory and privacy


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        return start <= self.end and end >= self.start


@dataclass(frozen=True)
class TimelineRow:
    activity: Activity
    start: dt.date
    end: dt.date
    campaign_dates: bool  # the activity has no dates of its own and runs for the campaign
    active: list[bool]


@dataclass(frozen=True)
class Timeline:
    periods: list[Period]
    unit: str  # "month" or "quarter"
    rows: list[TimelineRow]
    unscheduled: list[Activity]  # no dates of its own and none from the campaign


@dataclass(frozen=True)
class CoverageRow:
    stage: JourneyStage
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Coverage:
    channels: list[Channel]
    rows: list[CoverageRow]

    @property
    def gaps(self) -> list[JourneyStage]:
        return [row.stage for row in self.rows if not row.total]


@dataclass(frozen=True)
class VariantReading:
    variant: MessageVariant
    grade: float | None  # the score on the reading's scale
    described: str  # scale, score and meaning: "Gulpease 54 (hard for readers with ...)"
    above_target: bool
    badge: str = ""  # when above the target: the target on the reading's scale, in words


@dataclass(frozen=True)
class MessageGroup:
    segment: Segment | None  # None: the variants meant for every segment
    variants: list[VariantReading]


@dataclass(frozen=True)
class ReviewStatus:
    kind: ReviewKind
    latest: Review | None
    withdrawn: bool = False  # approved, then a message changed

    @property
    def approved(self) -> bool:
        return (
            self.latest is not None
            and self.latest.decision is ReviewDecision.APPROVED
            and not self.withdrawn
        )


@dataclass(frozen=True)
class BriefFacts:
    timeline: Timeline
    coverage: Coverage
    budget_by_channel: list[MoneyRow]
    budget_by_activity: list[MoneyRow]
    messages: list[MessageGroup]
    reviews: list[ReviewStatus]
    tracking: TrackingReport | None
    compliance: Report | None = None  # None when the rule packs could not be read
    # Where the campaign stands from ad hoc to closed loop; None before anything is tracked
    # or reviewed (a plan on paper has nothing to assess yet)
    maturity: list[Dimension] | None = None
    staff: StaffTime | None = None  # None when no activity has staff hours
    links: list[Link] = field(default_factory=list)  # with a landing page: each activity's
    # Each influencer's referrals a month since the start against today's; empty while no
    # result names an influencer
    referrals: dict[str, InfluencerReferrals] = field(default_factory=dict)

    @property
    def reviews_outstanding(self) -> list[ReviewKind]:
        return [r.kind for r in self.reviews if r.kind in REQUIRED_REVIEWS and not r.approved]

    @property
    def signoffs(self) -> list[Review]:
        return [r.latest for r in self.reviews if r.approved and r.latest is not None]


def facts(
    campaign: Campaign,
    tracking: TrackingData | None = None,
    today: dt.date | None = None,
    rules: RuleSet | PlannerError | None = None,
) -> BriefFacts:
    """What a brief shows beside the plan; ``rules`` are those the campaign is reviewed with
    (the user's packs with the shipped ones: ``rules_of``; the shipped ones if not given; an
    error if they could not be read, which the brief then says)."""
    by_channel = budget_by_channel(campaign)
    day = today or clock.today()
    tracked = None if tracking is None or tracking.empty else report(campaign, tracking, day)
    reviewed = any(getattr(campaign, field).strip() for field, _title in REVIEW_FIELDS) or bool(
        campaign.earlier_lessons.strip()
    )
    maturity = None
    if tracked is not None:
        assert tracking is not None
        maturity = assess(campaign, tracking, tracked)
    elif reviewed:
        nothing = TrackingData([], [], None, None, [])
        maturity = assess(campaign, nothing, report(campaign, nothing, day))
    return BriefFacts(
        timeline=timeline(campaign),
        coverage=coverage(campaign),
        budget_by_channel=by_channel,
        budget_by_activity=budget_by_activity(campaign),
        messages=message_groups(campaign),
        reviews=review_status(campaign),
        tracking=tracked,
        compliance=compliance_report(campaign, rules),
        maturity=maturity,
        referrals=influencer_referrals(campaign, tracking.by_influencer, day) if tracking else {},
        links=tracking_links(campaign, campaign.landing_page) if campaign.landing_page else [],
        staff=staffed if (staffed := staff_time(campaign)).owners else None,
    )


def compliance_report(
    campaign: Campaign, rules: RuleSet | PlannerError | None = None
) -> Report | None:
    """The campaign's review; None when its rules could not be read."""
    if isinstance(rules, PlannerError):
        return None
    try:
        return lint_campaign(campaign, rules if rules is not None else load_rules())
    except PlannerError:
        return None


# Timeline ------------------------------------------------------------------------------------


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _periods(first: dt.date, last: dt.date) -> tuple[list[Period], str]:
    months = []
    month = _month_start(first)
    while month <= last:
        following = _next_month(month)
        months.append(Period(month, following - dt.timedelta(days=1), format_month(month)))
        month = following
    if len(months) <= MAX_MONTH_COLUMNS:
        return months, "month"
    quarters: dict[tuple[int, int], list[Period]] = {}
    for m in months:
        quarters.setdefault((m.start.year, (m.start.month - 1) // 3 + 1), []).append(m)
    return [
        Period(ms[0].start, ms[-1].end, _("Q%(quarter)s %(year)s", quarter=q, year=year))
        for (year, q), ms in quarters.items()
    ], "quarter"


def timeline(campaign: Campaign) -> Timeline:
    spans = []
    unscheduled = []
    for a in campaign.activities:
        start = a.start_date or campaign.start_date
        end = a.end_date or campaign.end_date
        if start is None or end is None or end < start:
            unscheduled.append(a)
            continue
        assumed = a.start_date is None or a.end_date is None
        spans.append((a, start, end, assumed))
    if not spans:
        return Timeline([], "month", [], unscheduled)
    first = min(span[1] for span in spans)
    last = max(span[2] for span in spans)
    if campaign.start_date and campaign.end_date and campaign.start_date <= campaign.end_date:
        first, last = min(first, campaign.start_date), max(last, campaign.end_date)
    periods, unit = _periods(first, last)
    rows = [
        TimelineRow(a, start, end, assumed, [p.overlaps(start, end) for p in periods])
        for a, start, end, assumed in spans
    ]
    return Timeline(periods, unit, rows, unscheduled)


# Journey coverage ------------------------------------------------------------------------------


def coverage(campaign: Campaign) -> Coverage:
    used = {a.channel for a in campaign.activities}
    channels = [ch for ch in Channel if ch in used]
    rows = []
    for stage in JourneyStage:
        counts = [
            sum(1 for a in campaign.activities if a.journey_stage is stage and a.channel is ch)
            for ch in channels
        ]
        rows.append(CoverageRow(stage, counts))
    return Coverage(channels, rows)


# Messages --------------------------------------------------------------------------------------


def message_groups(campaign: Campaign) -> list[MessageGroup]:
    """Variants grouped by segment (those for every segment first), each with its reading."""
    segments = {s.name: s for s in campaign.segments}

    def reading(v: MessageVariant, segment: Segment | None) -> VariantReading:
        r = variant_reading(v, segment)
        target = segment.literacy_grade if segment else None
        if not r.harder_than(target):
            return VariantReading(v, r.grade, r.described, False)
        assert target is not None and r.scale is not None
        if r.scale.higher_is_easier:
            badge = _("harder than the target, %(target)s", target=r.target_figure(target))
        else:
            badge = _("above the target grade")
        return VariantReading(v, r.grade, r.described, True, badge)

    groups = []
    general = [v for v in campaign.messages if v.segment is None]
    if general:
        groups.append(MessageGroup(None, [reading(v, None) for v in general]))
    for name, segment in segments.items():
        own = [v for v in campaign.messages if v.segment == name]
        if own:
            groups.append(MessageGroup(segment, [reading(v, segment) for v in own]))
    return groups


# Reviews ---------------------------------------------------------------------------------------


def review_status(campaign: Campaign) -> list[ReviewStatus]:
    """The latest decision of each kind of review; the required kinds always appear. The
    latest is the one recorded last (reviews are kept in the order they were entered), whatever
    date it carries."""
    latest = {review.kind: review for review in campaign.reviews}
    return [
        ReviewStatus(
            kind,
            latest.get(kind),
            kind in latest
            and latest[kind].decision is ReviewDecision.APPROVED
            and latest[kind].message_version not in (None, campaign.message_version),
        )
        for kind in ReviewKind
        if kind in REQUIRED_REVIEWS or kind in latest
    ]
