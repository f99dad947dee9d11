"""The benchmarks' data, built the same way every time: no randomness, only arithmetic.

    python -m benchmarks.generate [--scale 1.0] [--force]

At scale 1.0 (the full run) the large database holds 2,000 ordinary campaigns (a few rows of
each kind; some with costs and results, so the portfolio shows spending and progress), one
large campaign (40 segments, 60 influencers, 80 message variants, 200 activities, 120
measures, 1,000,000 costs and 500,000 results over two years) and one campaign with 10 rows of
each kind. A scale multiplies the number of ordinary campaigns and of the large campaign's
costs and results (0.1, the quick run: 200 campaigns, 100,000 costs, 50,000 results); the
large campaign's plan keeps its size at every scale, so its screens show the same rows.

Everything is written through the store's public API: ``create_campaign`` for the plans (with their
messages' reading counts, as the planner keeps them) and ``import_entries`` (the bulk path of a
file import) for the large campaign's costs and results.
Databases are cached in ``benchmarks/.cache/``, keyed by the scale and ``VERSION`` (bump it
whenever what is generated changes) and built again when the planner's schema has moved on.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from planner.domain.models import (
    Activity,
    BudgetLine,
    Campaign,
    CampaignStatus,
    Channel,
    Claim,
    Cost,
    CostRow,
    Direction,
    ImportKind,
    ImportRecord,
    Influencer,
    InfluencerKind,
    JourneyStage,
    MarketingMix,
    Measure,
    MeasureCategory,
    MessageVariant,
    MixElement,
    Result,
    ResultRow,
    Review,
    Segment,
    Testimonial,
    cost_from_row,
    result_from_row,
)
from planner.store import Store

VERSION = 4  # 4: the campaigns' reading counts stored, as the planner stores them
CACHE = Path(__file__).resolve().parent / ".cache"

# The day the app is told it is: the large campaign has run for two years of its two and a half,
# and its costs and results cover those two years.
TODAY = dt.date(2027, 12, 31)

CAMPAIGNS = 2_000
COSTS = 1_000_000
RESULTS = 500_000
LARGE_NAME = "Regional prevention programme 2026-2028"
SMALL_NAME = "Regional prevention pilot (ten of each)"
STARTUP_CAMPAIGNS = 5

LARGE_SEGMENTS = 40
LARGE_INFLUENCERS = 60
LARGE_VARIANTS = 80
LARGE_ACTIVITIES = 200
LARGE_MEASURES = 120
LARGE_BUDGET_LINES = 40
LARGE_START = dt.date(2026, 1, 1)
LARGE_END = dt.date(2028, 6, 30)
LARGE_DAYS = 730  # the days the costs and results are spread over, from the start

CHANNELS = [c for c in Channel if c is not Channel.OTHER]
STAGES = list(JourneyStage)
KINDS = [k for k in InfluencerKind if k is not InfluencerKind.OTHER]
CATEGORIES = list(MeasureCategory)

AGES = [(18, 29), (30, 39), (40, 49), (50, 64), (65, 74), (75, 100), (0, 17), (25, 54)]
NEEDS = [
    ("Screening", "preventive", "Overdue for a routine screening visit."),
    ("Diabetes", "chronic", "Type 2 diabetes: yearly eye and foot checks, HbA1c every quarter."),
    ("Heart health", "chronic", "High blood pressure or raised cholesterol."),
    ("Vaccination", "preventive", "Seasonal flu and pneumococcal vaccination."),
    ("Back pain", "acute", "Recent back or neck pain, seen within a week."),
    ("Prenatal", "preventive", "Pregnant, booking the first prenatal visit."),
    ("Dental check", "preventive", "No dental check-up in the past 18 months."),
    ("Knee care", "advanced", "Referred for a knee replacement consultation."),
]
TOWNS = ["Riverside", "Hillcrest", "Northgate", "Lakeview", "Old Town"]
PRACTICES = [
    "Riverside Family Medicine",
    "Hillcrest Dental Care",
    "Northgate Physiotherapy",
    "Lakeview Primary Care Group",
    "Old Town Women's Health",
    "Maple Street Paediatrics",
    "Harbour Eye Clinic",
]
# Units the tracking module counts (results add up) and units it averages.
UNITS = ["appointments", "%", "score", "referrals", "visits", "currency", "sign-ups", "days"]


@dataclass(frozen=True)
class Generated:
    """A generated database and the ids of the campaigns the benchmarks open."""

    path: Path
    scale: float
    campaigns: int  # every campaign in the file
    large_id: int
    small_id: int
    costs: int
    results: int
    seconds: float  # how long it took to build (0: it was in the cache)


def scaled(count: int, scale: float) -> int:
    return max(1, round(count * scale))


def day(n: int, start: dt.date = LARGE_START) -> dt.date:
    return start + dt.timedelta(days=n)


# ---------------------------------------------------------------------------------------------
# Ordinary campaigns: a few rows of each kind


def ordinary_campaign(n: int) -> Campaign:
    """The n-th ordinary campaign: two segments, an influencer, two variants, three activities,
    two measures, two budget lines; every third has costs and every fourth has results."""
    practice = PRACTICES[n % len(PRACTICES)]
    title, stage, need = NEEDS[n % len(NEEDS)]
    low, high = AGES[n % len(AGES)]
    start = dt.date(2026, 1, 1) + dt.timedelta(days=(n * 37) % 700)
    end = start + dt.timedelta(days=60 + (n * 11) % 240)
    town = TOWNS[n % len(TOWNS)]
    seg_a, seg_b = f"{title} patients {low}-{high}", "Family carers"
    channel = CHANNELS[n % len(CHANNELS)]
    second = CHANNELS[(n + 3) % len(CHANNELS)]
    budget = 50_000 + (n * 7_919) % 900_000
    measures = [
        Measure(
            name="Booked appointments",
            category=MeasureCategory.ACQUISITION,
            unit="appointments",
            baseline=0,
            target=float(40 + n % 160),
            primary=True,
        ),
        Measure(
            name="Patient satisfaction",
            category=MeasureCategory.SATISFACTION,
            unit="score",
            baseline=70,
            target=85,
            data_source="Press Ganey survey",
            cadence="quarterly",
        ),
    ]
    activities = [
        Activity(
            name=f"{channel.label} reminder",
            channel=channel,
            journey_stage=JourneyStage.AWARENESS,
            start_date=start,
            end_date=start + dt.timedelta(days=14),
            owner="Front desk",
            staff_hours=4 + n % 10,
            planned_cost_minor=budget // 3,
            segment=seg_a,
            message="Main",
        ),
        Activity(
            name=f"{second.label} follow-up",
            channel=second,
            journey_stage=JourneyStage.FOLLOW_UP,
            start_date=start + dt.timedelta(days=30),
            end_date=end,
            planned_cost_minor=budget // 4,
            segment=seg_b,
            message="Carers",
        ),
        Activity(
            name="Doctor briefing",
            channel=Channel.PHYSICIAN_LIAISON,
            journey_stage=JourneyStage.CONSIDERATION,
            influencer="Family doctors",
        ),
    ]
    costs: list[Cost] = []
    if n % 3 == 0:
        costs = [
            Cost(
                date=start + dt.timedelta(days=k * 9),
                amount_minor=budget // (5 + k + n % 4),
                vendor=f"Vendor {n % 41}",
                activity=activities[k % 2].name,
            )
            for k in range(3)
        ]
    results: list[Result] = []
    if n % 4 == 0:
        results = [
            Result(
                measure="Booked appointments",
                date=start + dt.timedelta(days=7 * (k + 1)),
                value=float(5 + (n + k) % 20),
                source="Practice records",
            )
            for k in range(4)
        ]
    statuses = list(CampaignStatus)
    status = statuses[n % len(statuses)]
    if status is CampaignStatus.APPROVED:
        status = CampaignStatus.ACTIVE
    return Campaign(
        name=f"{title} {town} {2026 + n % 2} #{n + 1:04d}",
        practice=practice,
        service_line=title,
        prepared_by="Practice manager",
        objective=f"Bring {need[0].lower()}{need[1:]} patients in for care.",
        desired_behaviour="Book a visit within 30 days of the first contact.",
        start_date=start,
        end_date=end,
        currency=["USD", "EUR", "GBP"][n % 3],
        jurisdictions=[["US"], ["IT", "EU"], ["UK"]][n % 3],
        status=status,
        core_message=f"{need} A short visit, booked around your week.",
        segments=[
            Segment(
                name=seg_a,
                age_min=low,
                age_max=high,
                location=town,
                care_stage=stage,
                literacy_grade=6 + n % 3,
                preferred_channels=[channel],
                estimated_size=500 + (n * 13) % 5_000,
            ),
            Segment(name=seg_b, description="Relatives who book visits for a parent."),
        ],
        influencers=[
            Influencer(
                name="Family doctors",
                kind=InfluencerKind.PRIMARY_CARE_PHYSICIAN,
                segments=[seg_a],
                strength=3 + n % 3,
            )
        ],
        messages=[
            MessageVariant(
                name="Main",
                segment=seg_a,
                headline="Your visit is due",
                body="Book a short visit with the team you know.",
                call_to_action="Call us or book online",
            ),
            MessageVariant(
                name="Carers",
                segment=seg_b,
                headline="Helping a parent stay well",
                body="We can book the visit and remind you the day before.",
                call_to_action="Call the front desk",
            ),
        ],
        activities=activities,
        measures=measures,
        budget=[
            BudgetLine(name="Channels", amount_minor=budget // 2, channel=channel),
            BudgetLine(name="Follow-up", amount_minor=budget // 2, activity=activities[1].name),
        ],
        costs=costs,
        results=results,
    )


# ---------------------------------------------------------------------------------------------
# The large campaign's plan, and the campaign with ten rows of each kind


def _segments(count: int) -> list[Segment]:
    segments = []
    for i in range(count):
        title, stage, need = NEEDS[i % len(NEEDS)]
        low, high = AGES[(i // len(NEEDS)) % len(AGES)]
        town = TOWNS[i % len(TOWNS)]
        segments.append(
            Segment(
                name=f"{title} {low}-{high}, {town} #{i + 1}",
                description=f"Registered patients of the practices in {town}.",
                age_min=low,
                age_max=high,
                gender="All",
                location=town,
                languages=["English", "Spanish"][: 1 + i % 2],
                psychographics="Trust their own doctor; short on time on weekdays.",
                health_need=need,
                care_stage=stage,
                payer_notes="Most are covered by a commercial plan; some by Medicaid.",
                literacy_grade=6 + i % 3,
                preferred_channels=[CHANNELS[i % len(CHANNELS)], CHANNELS[(i + 5) % 12]],
                population=2_000 + i * 150,
                eligible_pct=40 + i % 30,
                reachable_pct=50 + i % 40,
            )
        )
    return segments


def _influencers(count: int, segments: list[str]) -> list[Influencer]:
    return [
        Influencer(
            name=f"{KINDS[i % len(KINDS)].label} group {i + 1}",
            kind=KINDS[i % len(KINDS)],
            segments=sorted({segments[i % len(segments)], segments[(i * 7 + 3) % len(segments)]}),
            strength=1 + i % 5,
            relationship="Meets the practice twice a year.",
            approach="A short briefing with printed material to hand out.",
            channels=[Channel.PHYSICIAN_LIAISON, CHANNELS[i % len(CHANNELS)]],
            baseline_referrals=10 + i % 50,
        )
        for i in range(count)
    ]


def _variants(count: int, segments: list[str]) -> list[MessageVariant]:
    variants = []
    for i in range(count):
        segment = segments[i % len(segments)]
        variants.append(
            MessageVariant(
                name=f"Variant {i + 1:03d} {'AB'[i % 2]}",
                segment=segment,
                channel=CHANNELS[i % len(CHANNELS)],
                ab_label="AB"[i % 2],
                headline=f"A visit that fits your week ({segment.split(',')[0]})",
                body=(
                    "Our nurses and doctors see you at a time that suits you. The visit takes "
                    "about twenty minutes and you leave knowing what comes next."
                ),
                call_to_action="Book online or call the front desk",
                claims=[
                    Claim(
                        text="Regular check-ups find problems early, when they are easier to treat",
                        evidence_kind="guideline",
                        evidence_reference="USPSTF recommendation, 2024",
                    )
                ]
                if i % 3 == 0
                else [],
                disclaimers=["Talk to your doctor about what is right for you."],
            )
        )
    return variants


def _activities(
    count: int, segments: list[str], influencers: list[str], variants: list[str]
) -> list[Activity]:
    activities = []
    for i in range(count):
        channel = CHANNELS[i % len(CHANNELS)]
        start = day((i * 53) % (LARGE_DAYS - 90))
        liaison = channel is Channel.PHYSICIAN_LIAISON
        activities.append(
            Activity(
                name=f"{channel.label} {i + 1:03d}",
                channel=channel,
                journey_stage=STAGES[i % len(STAGES)],
                start_date=start,
                end_date=start + dt.timedelta(days=14 + i % 75),
                owner=["Front desk", "Marketing lead", "Practice manager", "Nurse team"][i % 4],
                staff_hours=float(2 + i % 40),
                planned_cost_minor=100_000 + (i * 104_729) % 20_000_000,
                segment=None if liaison else segments[i % len(segments)],
                influencer=influencers[i % len(influencers)] if liaison else None,
                message=None if liaison else variants[i % len(variants)],
                description=f"Wave {1 + i % 8} of the programme.",
            )
        )
    return activities


def _measures(count: int) -> list[Measure]:
    measures = []
    for i in range(count):
        unit = UNITS[i % len(UNITS)]
        decrease = unit == "days"  # waiting time: lower is better
        baseline = float(10 + i % 50)
        target = baseline - 5 if decrease else baseline + 10 + i % 40
        measures.append(
            Measure(
                name=f"{CATEGORIES[i % len(CATEGORIES)].label} measure {i + 1:03d}",
                category=CATEGORIES[i % len(CATEGORIES)],
                unit=unit,
                direction=Direction.DECREASE if decrease else Direction.INCREASE,
                baseline=baseline,
                target=target,
                data_source=["Practice records", "Press Ganey", "Email tool", "GA4"][i % 4],
                cadence=["weekly", "monthly", "quarterly"][i % 3],
                primary=i == 0,
            )
        )
    return measures


def plan(
    name: str,
    *,
    segments: int,
    influencers: int,
    variants: int,
    activities: int,
    measures: int,
    budget_lines: int,
) -> Campaign:
    """A campaign of the regional programme with this many rows of each kind of plan item."""
    segment_items = _segments(segments)
    seg_names = [s.name for s in segment_items]
    influencer_items = _influencers(influencers, seg_names)
    variant_items = _variants(variants, seg_names)
    activity_items = _activities(
        activities, seg_names, [i.name for i in influencer_items], [v.name for v in variant_items]
    )
    return Campaign(
        name=name,
        practice="Lakeview Primary Care Group (12 sites)",
        service_line="Prevention and chronic care",
        prepared_by="Regional marketing team",
        objective="Raise screening, vaccination and chronic-care follow-up across 12 sites.",
        desired_behaviour="Patients book the visit their care plan asks for, and come back.",
        start_date=LARGE_START,
        end_date=LARGE_END,
        currency="USD",
        jurisdictions=["US"],
        status=CampaignStatus.ACTIVE,
        core_message="Care that finds problems early, at a time that fits your week.",
        segments=segment_items,
        influencers=influencer_items,
        messages=variant_items,
        mix=MarketingMix(
            product=MixElement(description="Screening, vaccination and follow-up visits"),
            place=MixElement(items=[f"{town} clinic" for town in TOWNS]),
            promotion=MixElement(items=["Email", "SMS", "Print", "Events"]),
        ),
        activities=activity_items,
        measures=_measures(measures),
        budget=[
            BudgetLine(
                name=f"Budget line {i + 1:02d}",
                amount_minor=80_000_000 + (i * 7_919) % 10_000_000,
                channel=CHANNELS[i % len(CHANNELS)] if i % 2 == 0 else None,
                activity=activity_items[(i * 5) % activities].name if i % 2 else None,
            )
            for i in range(budget_lines)
        ],
        reviews=[Review(kind="medical", decision="approved", reviewer="Dr Osei")],
    )


def large_plan() -> Campaign:
    """The large campaign without its costs and results (which are imported in bulk)."""
    return plan(
        LARGE_NAME,
        segments=LARGE_SEGMENTS,
        influencers=LARGE_INFLUENCERS,
        variants=LARGE_VARIANTS,
        activities=LARGE_ACTIVITIES,
        measures=LARGE_MEASURES,
        budget_lines=LARGE_BUDGET_LINES,
    )


def small_campaign() -> Campaign:
    """The baseline of the large campaign: ten rows of each kind, costs and results too."""
    small = plan(
        SMALL_NAME,
        segments=10,
        influencers=10,
        variants=10,
        activities=10,
        measures=10,
        budget_lines=10,
    )
    small.costs = [cost_from_row(row) for row in cost_rows(10, small.activities)]
    small.results = [result_from_row(row) for row in result_rows(10, small.measures)]
    return Campaign.model_validate(small.model_dump())


# ---------------------------------------------------------------------------------------------
# Costs and results, as the rows an import writes


def cost_rows(count: int, activities: list[Activity]) -> Iterator[CostRow]:
    """``count`` costs over the campaign's two years, spread across the activities (their
    channel, or now and then another one) and 53 vendors; some cover a month."""
    dates = [day(d).isoformat() for d in range(LARGE_DAYS)]
    names = [a.name for a in activities]
    vendors = [f"Vendor {v:02d}" for v in range(53)]
    channels = [c.value for c in CHANNELS]
    for i in range(count):
        d = (i * 7_919) % LARGE_DAYS
        period = dates[d - 29] if i % 50 == 0 and d >= 29 else None
        yield (
            dates[d],
            period,
            50 + (i * 7_907) % 5_000,
            channels[i % len(channels)] if i % 10 == 0 else None,
            vendors[i % len(vendors)],
            names[i % len(names)] if i % 20 else None,
            f"Invoice {i}" if i % 7 == 0 else "",
        )


def result_rows(count: int, measures: list[Measure]) -> Iterator[ResultRow]:
    """``count`` results across the measures, from a month before the start (the last ones
    before it are baselines) to the end, moving from each measure's baseline to its target."""
    dates = [day(d - 30).isoformat() for d in range(LARGE_DAYS + 30)]
    sources = ["Practice records", "Press Ganey", "Email tool", "GA4", "Survey"]
    for i in range(count):
        m = measures[i % len(measures)]
        d = (i * 104_729) % len(dates)
        base, target = m.baseline or 0.0, m.target or 0.0
        value = base + (target - base) * d / len(dates) + (i % 11 - 5) * 0.1
        source = sources[i % len(sources)]
        # (no denominator and no breakdown: what a measure's own report holds)
        yield (m.name, dates[d], None, round(value, 2), source, "", *(None,) * 6)


def bulk_import(
    store: Store, campaign_id: int, kind: ImportKind, rows: Iterator[CostRow] | Iterator[ResultRow]
) -> int:
    """Write the rows through the store's import path, as a file import would; returns how
    many were written."""
    seen = 0

    def counting() -> Iterator[CostRow] | Iterator[ResultRow]:
        nonlocal seen
        for row in rows:
            seen += 1
            yield row

    record = ImportRecord(
        campaign_id=campaign_id,
        kind=kind,
        file_name=f"generated-{kind.value}.csv",
        content_hash=hashlib.sha256(f"benchmarks {VERSION} {kind.value}".encode()).hexdigest(),
        format="generic",
    )
    done = store.import_entries(record, counting(), lambda: (seen, 0))
    return done.entries


# ---------------------------------------------------------------------------------------------
# Message variants for the compliance lint

LINT_VARIANTS = 1_000
LINT_SEGMENTS = 20
OPENINGS = [
    "Guaranteed results for",
    "The best care in town for",
    "A friendly check-up for",
    "Risk-free treatment for",
    "Your visit is due,",
    "A free consultation for",
    "Limited time: half price for",
    "Gentle, modern care for",
]
MIDDLES = [
    "Our new therapy can cure your back pain in 3 weeks.",
    "Patients rate us 5-star reviews every month.",
    "Book a short visit with the team you know and leave with a clear plan.",
    "Refer a friend and both of you get a gift card.",
    "We are the leading clinic in the region, better than the hospital.",
    "Screening finds problems early, when they are easier to treat.",
    "It is completely safe, with no side effects at all.",
    "Lose 10 pounds before summer with our weight-loss plan.",
    "Our nurses explain every step, and you can bring a family member.",
    "The visit takes about twenty minutes and is covered by most plans.",
    "This miracle treatment works for everyone, even when others failed.",
]
CLOSINGS = [
    "Call today.",
    "Hurry, last chance to book this week only.",
    "Talk to your doctor about what is right for you.",
    "Results vary from person to person.",
    "Book online at any time.",
]


def lint_variant(i: int, segments: list[str]) -> MessageVariant:
    """The i-th variant: its wording picked by arithmetic from phrases, many of which the
    compliance rules flag (guarantees, superlatives, cures, gifts, urgency, weight loss); some
    carry a claim (with or without its evidence), some a testimonial without consent."""
    opening = OPENINGS[i % len(OPENINGS)]
    first = MIDDLES[i % len(MIDDLES)]
    second = MIDDLES[(i * 7 + 3) % len(MIDDLES)]
    closing = CLOSINGS[(i // 3) % len(CLOSINGS)]
    segment = segments[i % len(segments)]
    claims = []
    if i % 4 == 0:
        claims.append(
            Claim(
                text=f"{(i % 9) + 1} in 10 patients feel better within {i % 6 + 2} weeks.",
                evidence_kind="outcome_data" if i % 8 == 0 else None,
                evidence_reference="Practice audit 2026" if i % 8 == 0 else "",
            )
        )
    testimonials = []
    if i % 5 == 0:
        testimonials.append(
            Testimonial(
                text=f"I was back at work in {i % 5 + 2} days. The best clinic ever!",
                endorser=f"Patient {i}",
                consent_on_file=i % 10 == 0,
            )
        )
    return MessageVariant(
        name=f"Message {i + 1:04d}",
        segment=segment,
        channel=CHANNELS[i % len(CHANNELS)],
        ab_label="AB"[i % 2],
        headline=f"{opening} {segment.split(',')[0].lower()} (offer {i + 1})",
        body=f"{first} {second} Visit {i + 1} of the programme.",
        call_to_action=closing,
        claims=claims,
        testimonials=testimonials,
        disclaimers=["Individual results vary."] if i % 3 == 0 else [],
    )


def lint_campaign_data(count: int = LINT_VARIANTS) -> Campaign:
    """A campaign with ``count`` distinct message variants across 20 segments. The variants
    name their channel, so no activity is needed to lint them."""
    segments = _segments(LINT_SEGMENTS)
    names = [s.name for s in segments]
    return Campaign(
        name="Compliance lint benchmark",
        currency="USD",
        jurisdictions=["US", "UK", "EU"],
        core_message="Care that finds problems early, at a time that fits your week.",
        email_footer="Lakeview Primary Care, 1 Main Street, Lakeview. Unsubscribe at any time.",
        segments=segments,
        messages=[lint_variant(i, names) for i in range(count)],
    )


def lint_single_data(whole: Campaign, index: int = 0) -> Campaign:
    """The same campaign holding only its ``index``-th variant and that variant's segment."""
    variant = whole.messages[index]
    data = whole.model_dump()
    data["segments"] = [s.model_dump() for s in whole.segments if s.name == variant.segment]
    data["messages"] = [variant.model_dump()]
    return Campaign.model_validate(data)


# ---------------------------------------------------------------------------------------------
# Databases


@contextlib.contextmanager
def _cache_lock(folder: Path) -> Iterator[None]:
    """Hold the cache folder for one process at a time while it looks for a database and
    builds it: benchmarks started together (the test suite's workers) build it once, and none
    replaces a file another has open."""
    with open(folder / ".lock", "a+b") as lock:
        if sys.platform == "win32":
            import msvcrt

            lock.seek(0)
            while True:
                try:
                    msvcrt.locking(lock.fileno(), msvcrt.LK_LOCK, 1)
                    break
                except OSError:  # LK_LOCK gives up after ten seconds: wait on
                    continue
            try:
                yield
            finally:
                lock.seek(0)
                msvcrt.locking(lock.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _build(path: Path, fill: Callable[[Store], dict[str, int]]) -> dict[str, int]:
    """Build a database at a temporary name and move it into place once complete, so that an
    interrupted run leaves nothing half-written in the cache."""
    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, *(partial.with_name(partial.name + s) for s in ("-wal", "-shm"))):
        leftover.unlink(missing_ok=True)
    store = Store.open(partial)
    try:
        # A generated file needs no protection against a power cut: write without waiting for
        # the disk at every commit.
        store.db.execute("PRAGMA synchronous = OFF")
        facts = fill(store)
    finally:
        store.close()
    os.replace(partial, path)
    return facts


def _create(store: Store, campaign: Campaign) -> int:
    """A campaign created as the planner creates one (``planner.plan.campaigns``): with its
    messages' reading counts stored, so that its commands need no pronouncing dictionary."""
    from planner.plan.readings import keep

    campaign_id = store.create_campaign(campaign)
    keep(store, campaign)
    return campaign_id


def _fill_large(scale: float) -> Callable[[Store], dict[str, int]]:
    def fill(store: Store) -> dict[str, int]:
        count = scaled(CAMPAIGNS, scale)
        for n in range(count):
            _create(store, ordinary_campaign(n))
        plan = large_plan()
        large_id = _create(store, plan)
        costs = bulk_import(
            store, large_id, ImportKind.COSTS, cost_rows(scaled(COSTS, scale), plan.activities)
        )
        results = bulk_import(
            store,
            large_id,
            ImportKind.RESULTS,
            result_rows(scaled(RESULTS, scale), plan.measures),
        )
        small_id = _create(store, small_campaign())
        return {
            "campaigns": count + 2,
            "large_id": large_id,
            "small_id": small_id,
            "costs": costs,
            "results": results,
        }

    return fill


def large_database(scale: float, *, force: bool = False, folder: Path = CACHE) -> Generated:
    """The large database at this scale, from the cache or built now."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"large-v{VERSION}-scale{scale:g}.db"
    facts_path = path.with_suffix(".json")
    schema = current_schema()
    with _cache_lock(folder):
        if not force and path.exists() and facts_path.exists():
            facts = json.loads(facts_path.read_text())
            # A file of an older schema would be upgraded (and backed up) by the first
            # benchmark that opens it, inside its timing: build it again instead.
            if facts.pop("schema", None) == schema:
                return Generated(path=path, scale=scale, seconds=0.0, **facts)
        facts_path.unlink(missing_ok=True)
        start = time.perf_counter()
        facts = _build(path, _fill_large(scale))
        seconds = time.perf_counter() - start
        facts_path.write_text(json.dumps({**facts, "schema": schema}, indent=2))
    return Generated(path=path, scale=scale, seconds=seconds, **facts)


def current_schema() -> str:
    """The schema this version of the planner writes: its last migration's name."""
    with Store.open(":memory:") as store:
        return store.schema_version()


def startup_database(path: Path) -> None:
    """A database with a few ordinary campaigns: what a practice manager opens every day."""

    def fill(store: Store) -> dict[str, int]:
        for n in range(STARTUP_CAMPAIGNS):
            store.create_campaign(ordinary_campaign(n))
        return {"campaigns": STARTUP_CAMPAIGNS}

    _build(path, fill)


def empty_list_database(path: Path) -> None:
    """A database whose campaign list is empty: its one campaign is archived. (With no campaign
    at all the app shows its welcome screen over the list, which would be timed too.)"""

    def fill(store: Store) -> dict[str, int]:
        campaign_id = store.create_campaign(ordinary_campaign(0))
        store.set_archived(campaign_id, True)
        return {"campaigns": 0}

    _build(path, fill)


HOME_CAMPAIGNS = 20_000  # a consultant's database, for the whole-process home figures


def many_campaigns_database(count: int = HOME_CAMPAIGNS, *, folder: Path = CACHE) -> Path:
    """A database of ``count`` ordinary campaigns (no large one), from the cache or built now:
    what a consultant who plans for many practices opens every day."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"many-v{VERSION}-{count}.db"
    facts_path = path.with_suffix(".json")
    schema = current_schema()

    def fill(store: Store) -> dict[str, int]:
        for n in range(count):
            store.create_campaign(ordinary_campaign(n))
        return {"campaigns": count}

    with _cache_lock(folder):
        cached = path.exists() and facts_path.exists()
        if cached and json.loads(facts_path.read_text()).get("schema") == schema:
            return path
        facts_path.unlink(missing_ok=True)
        facts = _build(path, fill)
        facts_path.write_text(json.dumps({**facts, "schema": schema}, indent=2))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 full, 0.1 quick")
    parser.add_argument("--force", action="store_true", help="build again even if cached")
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 10:
        parser.error("--scale must be above 0 and at most 10")
    made = large_database(args.scale, force=args.force)
    how = f"built in {made.seconds:.1f} s" if made.seconds else "from the cache"
    print(f"{made.path} ({how})")
    print(json.dumps({k: v for k, v in asdict(made).items() if k != "path"}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
