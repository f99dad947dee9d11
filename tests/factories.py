"""Builders of test data shared by the test modules."""

from __future__ import annotations

import datetime as dt

from planner.domain.models import (
    Activity,
    BudgetLine,
    Campaign,
    Claim,
    Cost,
    Influencer,
    MarketingMix,
    Measure,
    MessageVariant,
    MixElement,
    Result,
    Review,
    Segment,
)


def full_campaign(name: str = "Spring screening drive") -> Campaign:
    """A campaign with at least one of every kind of item, and links between them."""
    return Campaign(
        name=name,
        practice="Riverside Family Medicine",
        service_line="Primary care",
        prepared_by="Ana Ruiz, practice manager",
        objective="Bring lapsed patients back for their screening.",
        desired_behaviour="Book a screening visit within 30 days of the reminder.",
        start_date=dt.date(2027, 3, 1),
        end_date=dt.date(2027, 6, 30),
        currency="EUR",
        jurisdictions=["IT", "EU"],
        # Its words are English, and so is its brief (a campaign in Italy is otherwise briefed
        # in Italian: see test_brief_language).
        language="en",
        core_message="Screening finds problems early, when they are easier to treat.",
        segments=[
            Segment(
                name="Adults 50-74",
                age_min=50,
                age_max=74,
                gender="all",
                location="Verona",
                languages=["it", "en"],
                care_stage="preventive",
                literacy_grade=7,
                preferred_channels=["email", "sms"],
                population=12000,
                eligible_pct=60,
                reachable_pct=50,
                estimated_size=3600,
            ),
            Segment(name="Carers", description="Family members who book for a parent."),
        ],
        influencers=[
            Influencer(
                name="Family doctors",
                kind="primary_care_physician",
                segments=["Adults 50-74", "Carers"],
                strength=5,
                channels=["physician_liaison"],
                baseline_referrals=40,
            )
        ],
        messages=[
            MessageVariant(
                name="Core",
                headline="Your screening is due",
                body="A short visit, booked around your week.",
                call_to_action="Book online",
                claims=[
                    Claim(
                        text="Screening lowers the risk of late diagnosis.",
                        evidence_kind="guideline",
                        evidence_reference="Ministero della Salute, screening guideline 2023",
                    )
                ],
                disclaimers=["Talk to your doctor about what suits you."],
            ),
            MessageVariant(name="Adults A", segment="Adults 50-74", ab_label="A"),
            MessageVariant(name="Adults B", segment="Adults 50-74", ab_label="B"),
        ],
        mix=MarketingMix(
            product=MixElement(description="Screening visit", items=["30-minute slot"]),
            place=MixElement(items=["Main clinic", "Saturday clinic"]),
        ),
        activities=[
            Activity(
                name="Reminder email",
                channel="email",
                journey_stage="awareness",
                start_date=dt.date(2027, 3, 1),
                end_date=dt.date(2027, 3, 15),
                owner="Front desk",
                staff_hours=6,
                planned_cost_minor=15000,
                segment="Adults 50-74",
                message="Adults A",
            ),
            Activity(
                name="Doctor briefing",
                channel="physician_liaison",
                journey_stage="consideration",
                influencer="Family doctors",
            ),
        ],
        measures=[
            Measure(
                name="Screening rate",
                category="clinical_outcome",
                unit="%",
                baseline=42,
                target=55,
                data_source="Practice records",
                cadence="monthly",
                primary=True,
            ),
            Measure(
                name="No-show rate",
                category="retention",
                unit="%",
                direction="decrease",
                baseline=12,
                target=8,
            ),
        ],
        budget=[
            BudgetLine(name="Email tool", amount_minor=15000, channel="email"),
            BudgetLine(name="Briefing lunch", amount_minor=40000, activity="Doctor briefing"),
        ],
        costs=[
            Cost(
                date=dt.date(2027, 3, 2),
                amount_minor=12050,
                channel="email",
                vendor="Mailer",
                activity="Reminder email",
            )
        ],
        results=[Result(measure="Screening rate", date=dt.date(2027, 3, 31), value=44.5)],
        reviews=[
            Review(kind="medical", decision="approved", reviewer="Dr Bianchi", message_version=1)
        ],
    )


def tracked_campaign(**changes) -> Campaign:
    """60 days from 1 March 2027; a budget of USD 1,500.00; four measures."""
    data = dict(
        name="New patients",
        start_date=dt.date(2027, 3, 1),
        end_date=dt.date(2027, 4, 29),
        currency="USD",
        activities=[
            Activity(
                name="Reminder email",
                channel="email",
                journey_stage="awareness",
                planned_cost_minor=80000,
            ),
            Activity(
                name="Flyers",
                channel="print_mail",
                journey_stage="awareness",
                planned_cost_minor=40000,
            ),
        ],
        budget=[
            BudgetLine(name="Email tool", amount_minor=100000, channel="email"),
            BudgetLine(name="Printing", amount_minor=50000, activity="Flyers"),
        ],
        measures=[
            Measure(
                name="New-patient appointments",
                category="acquisition",
                unit="appointments",
                baseline=0,
                target=100,
                primary=True,
            ),
            Measure(
                name="No-show rate",
                category="retention",
                unit="% of booked appointments missed",
                direction="decrease",
                baseline=12,
                target=8,
            ),
            Measure(
                name="Revenue", category="financial", unit="currency", target=20000, revenue=True
            ),
            Measure(name="Satisfaction", category="satisfaction", unit="score", target=90),
        ],
    )
    data.update(changes)
    return Campaign(**data)


def import_campaign(**changes) -> Campaign:
    """A USD campaign whose activities and measures match the import fixtures' names."""
    campaign = Campaign(
        name="Flu season",
        currency="USD",
        start_date=dt.date(2027, 3, 1),
        end_date=dt.date(2027, 4, 30),
        activities=[
            Activity(name="Flu shots search", channel="search_ads", journey_stage="awareness"),
            Activity(name="Flu shots Facebook", channel="social_media", journey_stage="awareness"),
            Activity(name="Spring recall", channel="email", journey_stage="follow_up"),
        ],
        measures=[
            Measure(name="Ad clicks", category="engagement", unit="clicks", target=3000),
            Measure(name="Email open rate", category="engagement", unit="%", target=40),
            Measure(name="Email click rate", category="engagement", unit="%", target=5),
            Measure(name="Website sessions", category="engagement", unit="sessions"),
            Measure(name="Key event rate", category="engagement", unit="% of sessions"),
            Measure(name="HCAHPS star rating", category="satisfaction", unit="stars (1-5)"),
            Measure(
                name="Overall hospital rating", category="satisfaction", unit="% rating 9 or 10"
            ),
            Measure(name="New-patient appointments", category="acquisition", unit="appointments"),
            Measure(name="Patient satisfaction", category="satisfaction", unit="stars (1-5)"),
        ],
    )
    return campaign.model_copy(update=changes)


def compliance_campaign(**changes) -> Campaign:
    """A US dental campaign whose messages break some rules: an email with no footer, an SMS
    list without consent, a testimonial with a result and no authorization, an ad that speaks
    of the viewer's condition."""
    from planner.domain.models import ConsentBasis, Testimonial

    data = dict(
        name="Smile month",
        practice="Oak Street Dental",
        currency="USD",
        jurisdictions=["US"],
        core_message="Regular cleanings keep teeth and gums healthy.",
        segments=[Segment(name="Adults", age_min=18, literacy_grade=8)],
        messages=[
            MessageVariant(
                name="Email offer",
                segment="Adults",
                channel="email",
                headline="Your spring check-up",
                body="Guaranteed whiter teeth after one visit. Call us to book.",
                testimonials=[
                    Testimonial(text="My teeth were 3 shades whiter in 2 weeks!", endorser="Dana")
                ],
            ),
            MessageVariant(
                name="Ad",
                segment="Adults",
                headline="Do you have gum disease?",
                body="Book a check-up with our hygienists.",
            ),
        ],
        activities=[
            Activity(
                name="Spring email",
                channel="email",
                journey_stage="awareness",
                message="Email offer",
                list_consent=ConsentBasis.OPT_IN,
            ),
            Activity(name="Reminder texts", channel="sms", journey_stage="choice"),
            Activity(
                name="Search ads", channel="search_ads", journey_stage="awareness", message="Ad"
            ),
        ],
    )
    data.update(changes)
    return Campaign(**data)


def as_if_from_a_newer_planner(db_path) -> None:
    """Record a schema change this planner does not know, as a newer planner would."""
    import sqlite3

    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('planner', '9999_future', 'later')"
    )
    conn.commit()
    conn.close()


def as_first_released(db_path) -> None:
    """A database as the planner's first release left it: its first schema change only."""
    as_released(db_path, "0001_initial")


def as_released(db_path, last: str) -> None:
    """A database as a release whose last schema change was ``last`` left it."""
    from sqlite_utils import Database

    from planner.store.schema import _migrations

    db = Database(db_path)
    for migration in _migrations()._migrations:
        with db.conn:  # each change committed, as the planner's upgrade does
            migration.fn(db)
            db["_sqlite_migrations"].insert(
                {"migration_set": "planner", "name": migration.name, "applied_at": "2026-01-01"}
            )
        if migration.name == last:
            break
    else:
        raise ValueError(f"no schema change {last}")
    db.close()


def ab_campaign(**changes) -> Campaign:
    """A USD recall campaign testing two emails on one segment (variants A and B, each sent
    by its own activity), flyers left by a referring physician, and three measures: bookings
    (counted), the open rate (%) and collections (revenue)."""
    data = dict(
        name="Recall A/B",
        currency="USD",
        start_date=dt.date(2027, 3, 1),
        end_date=dt.date(2027, 4, 30),
        segments=[Segment(name="Parents"), Segment(name="Seniors")],
        influencers=[
            Influencer(name="Dr Rossi", kind="primary_care_physician", segments=["Seniors"])
        ],
        messages=[
            MessageVariant(name="Short email", segment="Parents", ab_label="A"),
            MessageVariant(name="Story email", segment="Parents", ab_label="B"),
        ],
        activities=[
            Activity(
                name="Email A",
                channel="email",
                journey_stage="awareness",
                message="Short email",
                segment="Parents",
            ),
            Activity(
                name="Email B",
                channel="email",
                journey_stage="awareness",
                message="Story email",
                segment="Parents",
            ),
            Activity(
                name="Flyers",
                channel="print_mail",
                journey_stage="awareness",
                segment="Seniors",
                influencer="Dr Rossi",
            ),
        ],
        measures=[
            Measure(name="Bookings", category="acquisition", unit="bookings", primary=True),
            Measure(name="Open rate", category="engagement", unit="% of emails opened"),
            Measure(name="Collections", category="financial", unit="USD", revenue=True),
        ],
    )
    data.update(changes)
    return Campaign(**data)


def referral_campaign() -> Campaign:
    """Three referring physicians (two with their referrals a month today) and a measure of
    referrals received, from 30 January to 30 June 2027."""
    return Campaign(
        name="Cardiology referrals",
        start_date=dt.date(2027, 1, 30),
        end_date=dt.date(2027, 6, 30),
        influencers=[
            Influencer(name="Dr Rossi", baseline_referrals=2),
            Influencer(name="Dr Bianchi", baseline_referrals=5),
            Influencer(name="Dr Verdi"),
        ],
        measures=[
            Measure(name="Referrals received", category="acquisition", unit="referrals"),
            Measure(name="Bookings", category="acquisition", unit="bookings"),
        ],
    )


def referrals_recorded(db_path) -> int:
    """``referral_campaign`` stored with its referrals: Dr Rossi 10 and Dr Bianchi 8 since the
    start (and 50 before it), and 99 bookings (no referrals) for Dr Verdi; returns its id."""
    from planner.store import Store

    with Store.open(db_path) as store:
        cid = store.create_campaign(referral_campaign())
        for day, who, value in (
            ("2027-02-15", "Dr Rossi", 4),
            ("2027-03-15", "Dr Rossi", 6),
            ("2027-03-15", "Dr Bianchi", 8),
            ("2027-01-10", "Dr Bianchi", 50),  # before the start: a baseline reading
        ):
            store.add_entry(
                cid,
                Result(measure="Referrals received", date=day, value=value, influencer=who),
            )
        store.add_entry(
            cid, Result(measure="Bookings", date="2027-03-01", value=99, influencer="Dr Verdi")
        )
        return cid


def three_changes(db_path) -> int:
    """A campaign with three saved changes: its core message rewritten, a segment added, and
    another deleted."""
    from planner.domain.models import Segment
    from planner.store import Store

    with Store.open(db_path) as store:
        cid = store.create_campaign(full_campaign("Flu 2027"))
        version = store.campaign_version(cid)
        version = store.update_campaign(
            cid,
            {"core_message": "Book your flu vaccine online or at the desk."},
            expected_version=version,
        )
        segment = Segment(name="Carers of older patients")
        added = store.add_item(cid, segment, expected_version=version)
        carers = next(s for s in store.get_campaign(cid).segments if s.name == "Carers")
        store.delete_item(cid, Segment, carers.id, expected_version=added.version)
    return cid
