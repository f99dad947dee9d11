"""The planner's enumerations and plain records: everything of the domain that needs no
validation library. The home screen reads campaigns through these alone, so the planner starts
without loading pydantic; ``planner.domain.models`` builds the validated models on top of them and
offers every name here as its own.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Any, NamedTuple

# Characters below 32 other than a line break and a tab.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f]")

# Amounts are whole minor units (cents), never a float, a string or a bool. The ceiling (ten
# billion in major units) keeps every sum the store computes inside SQLite's 64-bit integers.
MAX_MINOR = 10**12


# ---------------------------------------------------------------------------------------------
# Enumerations


class Labeled(StrEnum):
    """An enumeration whose members have a human label for screens and briefs."""

    @property
    def label(self) -> str:
        return _LABELS.get(self.value, self.value.replace("_", " ").capitalize())


class CampaignStatus(Labeled):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    ACTIVE = "active"
    COMPLETED = "completed"


class Jurisdiction(Labeled):
    US = "US"
    IT = "IT"
    UK = "UK"
    EU = "EU"


class Channel(Labeled):
    EMAIL = "email"
    SMS = "sms"
    SOCIAL_MEDIA = "social_media"
    SEARCH_ADS = "search_ads"
    DISPLAY_ADS = "display_ads"
    PATIENT_PORTAL = "patient_portal"
    WEBSITE = "website"
    PRINT_MAIL = "print_mail"
    EVENTS = "events"
    TELEHEALTH = "telehealth"
    PHYSICIAN_LIAISON = "physician_liaison"
    PR = "pr"
    OTHER = "other"


class JourneyStage(Labeled):
    AWARENESS = "awareness"
    CONSIDERATION = "consideration"
    CHOICE = "choice"
    CARE_EXPERIENCE = "care_experience"
    FOLLOW_UP = "follow_up"
    ADVOCACY = "advocacy"


class CareStage(Labeled):
    PREVENTIVE = "preventive"
    ACUTE = "acute"
    CHRONIC = "chronic"
    ADVANCED = "advanced"


class InfluencerKind(Labeled):
    PRIMARY_CARE_PHYSICIAN = "primary_care_physician"
    SPECIALIST = "specialist"
    FAMILY_FRIENDS = "family_friends"
    HEALTH_PLAN = "health_plan"
    EMPLOYER = "employer"
    COLLEGE = "college"
    COMMUNITY_GROUP = "community_group"
    ONLINE_COMMUNITY = "online_community"
    OTHER = "other"


class EvidenceKind(Labeled):
    STUDY = "study"
    OUTCOME_DATA = "outcome_data"
    GUIDELINE = "guideline"
    TESTIMONIAL = "testimonial"
    OTHER = "other"


class MixP(Labeled):
    PRODUCT = "product"
    PRICE = "price"
    PLACE = "place"
    PROMOTION = "promotion"
    PEOPLE = "people"
    PROCESS = "process"
    PHYSICAL_EVIDENCE = "physical_evidence"


class MeasureCategory(Labeled):
    SATISFACTION = "satisfaction"
    RETENTION = "retention"
    ENGAGEMENT = "engagement"
    REFERRALS = "referrals"
    ACQUISITION = "acquisition"
    CLINICAL_OUTCOME = "clinical_outcome"
    FINANCIAL = "financial"


class Direction(Labeled):
    INCREASE = "increase"
    DECREASE = "decrease"


class Cadence(Labeled):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    END_OF_CAMPAIGN = "end_of_campaign"


class ReviewKind(Labeled):
    MEDICAL = "medical"
    LEGAL = "legal"
    REGULATORY = "regulatory"
    PRIVACY = "privacy"


class Offering(Labeled):
    """What the campaign promotes: some rules apply to a kind of offering only."""

    SERVICE = "service"
    PRESCRIPTION_DRUG = "prescription_drug"
    DEVICE = "device"
    OTC = "otc"
    COSMETIC_PROCEDURE = "cosmetic_procedure"


class Connection(Labeled):
    """What ties the person giving a testimonial to the practice."""

    NONE = "none"
    PAID = "paid"
    EMPLOYEE = "employee"
    FAMILY = "family"
    FREE_SERVICE = "free_service"


class ConsentBasis(Labeled):
    """Why the people on an email or SMS list may be sent this message."""

    EXPRESS_WRITTEN = "express_written"
    OPT_IN = "opt_in"
    EXISTING_PATIENTS = "existing_patients"
    HEALTHCARE_EXEMPTION = "healthcare_exemption"
    NONE = "none"


class ReviewDecision(Labeled):
    PENDING = "pending"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"


_LABELS = {
    "in_review": "In review",
    "US": "United States",
    "IT": "Italy",
    "UK": "United Kingdom",
    "EU": "European Union",
    "sms": "SMS",
    "social_media": "Social media",
    "search_ads": "Search ads",
    "display_ads": "Display ads",
    "patient_portal": "Patient portal",
    "website": "Website, SEO and blog",
    "print_mail": "Print and direct mail",
    "events": "Events and seminars",
    "physician_liaison": "Physician liaison",
    "pr": "PR",
    "care_experience": "Care experience",
    "follow_up": "Follow-up and retention",
    "primary_care_physician": "Primary-care physician",
    "family_friends": "Family and friends",
    "health_plan": "Health plan",
    "community_group": "Community group",
    "online_community": "Online community",
    "outcome_data": "Outcome data",
    "physical_evidence": "Physical evidence",
    "clinical_outcome": "Clinical outcome",
    "end_of_campaign": "End of campaign",
    "changes_requested": "Changes requested",
    "prescription_drug": "Prescription drug",
    "device": "Medical device",
    "otc": "Over-the-counter product",
    "cosmetic_procedure": "Cosmetic procedure",
    "free_service": "Free product or service",
    "paid": "Paid",
    "express_written": "Prior express written consent",
    "opt_in": "Opted in",
    "existing_patients": "Existing patients, no opt-in",
    "healthcare_exemption": "Health-care message exemption",
    "none": "None",
}


class BriefFormat(Labeled):
    MD = "md"
    HTML = "html"
    PDF = "pdf"
    DOCX = "docx"

    @property
    def label(self) -> str:
        return {"md": "Markdown", "html": "HTML", "pdf": "PDF", "docx": "Word"}[self.value]

    @property
    def binary(self) -> bool:
        """A file for its program, not text for a terminal."""
        return self in (BriefFormat.PDF, BriefFormat.DOCX)

    @property
    def suffix(self) -> str:
        return f".{self.value}"


class ImportKind(Labeled):
    COSTS = "costs"
    RESULTS = "results"


# ---------------------------------------------------------------------------------------------
# Plain records


# Costs and results as a bulk import writes them: plain tuples, ISO dates, checked by the
# importer as strictly as the models above (a million models would cost more than the writing).
# A cost: (date, period start or None, amount in minor units, channel value or None, vendor,
# activity name or None, note).
CostRow = tuple[str, str | None, int, str | None, str, str | None, str]
# A result: (measure name, date, period start or None, value, source, note, what it is out of
# or None, then the names of its variant, activity, segment and influencer and its channel
# value, each or None).
ResultRow = tuple[
    str,
    str,
    str | None,
    float,
    str,
    str,
    float | None,
    str | None,
    str | None,
    str | None,
    str | None,
    str | None,
]


class CampaignSummary(NamedTuple):
    """One row of the campaign list: read from the store's checked rows, so a plain record
    (a list of thousands is read each time the home screen shows: a named tuple is made in a
    fifth of the time a frozen dataclass takes)."""

    id: int
    name: str
    practice: str
    status: CampaignStatus
    start_date: dt.date | None
    end_date: dt.date | None
    currency: str
    budget_minor: int
    archived: bool
    version: int
    updated_at: str
    # How the campaign writes numbers (its chosen style, or the one its jurisdictions and
    # currency give): the list shows its budget the way the campaign's own screens do.
    style: str = "en_US"

    def as_json(self) -> dict[str, Any]:
        """As ``planner list --json`` gives it (without the time of the last change)."""
        return {
            "id": self.id,
            "name": self.name,
            "practice": self.practice,
            "status": self.status.value,
            "start_date": self.start_date.isoformat() if self.start_date else None,
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "currency": self.currency,
            "budget_minor": self.budget_minor,
            "archived": self.archived,
            "version": self.version,
        }


class TrashedCampaign(NamedTuple):
    """A campaign in the trash: kept whole until the trash is emptied, out of every list."""

    id: int
    name: str
    practice: str
    status: CampaignStatus
    deleted_at: str  # when it was moved to the trash (UTC, ISO 8601)
    costs: int  # how many costs and results it holds, from the running totals
    results: int

    def as_json(self) -> dict[str, Any]:
        """As ``planner trash --json`` gives it."""
        return {
            "id": self.id,
            "name": self.name,
            "practice": self.practice,
            "status": self.status.value,
            "deleted_at": self.deleted_at,
            "costs": self.costs,
            "results": self.results,
        }


class CalendarEntry(NamedTuple):
    """An activity with dates, as the calendar across campaigns shows it."""

    campaign_id: int
    campaign: str
    practice: str
    activity_id: int
    activity: str
    channel: str  # the Channel's value
    owner: str
    start: dt.date
    end: dt.date  # the last day it runs (the start, for a one-day activity)

    def as_json(self) -> dict[str, Any]:
        """As ``planner calendar --json`` gives it."""
        return {
            "campaign_id": self.campaign_id,
            "campaign": self.campaign,
            "practice": self.practice,
            "activity_id": self.activity_id,
            "activity": self.activity,
            "channel": self.channel,
            "owner": self.owner,
            "start_date": self.start.isoformat(),
            "end_date": self.end.isoformat(),
        }


class PrimaryMeasure(NamedTuple):
    """What the campaign list shows of a campaign's primary measure: read from the store's
    checked rows, as a plain record (the list reads one for each of thousands of campaigns)."""

    id: int
    name: str
    category: MeasureCategory
    unit: str
    direction: Direction
    baseline: float | None
    target: float | None
    revenue: bool = False


class Client(NamedTuple):
    """A practice (a consultant's client) with the details its briefs show: kept once for
    every campaign whose practice has its name (``planner client``)."""

    name: str
    address: str = ""
    phone: str = ""
    website: str = ""
    prepared_by: str = ""
    colour: str = ""  # the briefs' accent colour, #RRGGBB; "" for the standard one
    logo: bytes | None = None  # a PNG or JPEG shown on the brief's cover
    logo_type: str | None = None  # image/png or image/jpeg

    def logo_uri(self) -> str:
        """The logo as a data: address an HTML brief holds in itself (nothing is fetched)."""
        if not self.logo or not self.logo_type:
            return ""
        import base64

        return f"data:{self.logo_type};base64,{base64.b64encode(self.logo).decode('ascii')}"

    def as_json(self) -> dict[str, Any]:
        """As ``planner client --json`` gives it (the logo by its type and size)."""
        return {
            "name": self.name,
            "address": self.address,
            "phone": self.phone,
            "website": self.website,
            "prepared_by": self.prepared_by,
            "colour": self.colour,
            "logo": {"type": self.logo_type, "bytes": len(self.logo)} if self.logo else None,
        }


class ClientSummary(NamedTuple):
    """A practice's campaigns rolled up (``planner clients``): how many, and their budget and
    spending in each currency they are in."""

    name: str
    campaigns: int
    archived: int
    budget: dict[str, int]  # currency -> minor units
    spent: dict[str, int]
    has_details: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "campaigns": self.campaigns,
            "archived": self.archived,
            "budget_minor": self.budget,
            "spent_minor": self.spent,
            "details": self.has_details,
        }
