"""Sign-offs and approval: the medical, legal, regulatory and privacy reviewers each approve the
campaign's current message version, and a campaign is approved only when no block finding is
open, every checklist item is confirmed and every sign-off stands (``approval_problems``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.compliance.findings import lint_campaign
from planner.compliance.rules import RuleSet, Severity
from planner.domain.errors import PlannerError
from planner.domain.models import Campaign, Review, ReviewDecision, ReviewKind

if TYPE_CHECKING:
    import datetime as dt

    from planner.store import Store


SIGN_OFFS = (ReviewKind.MEDICAL, ReviewKind.LEGAL, ReviewKind.REGULATORY, ReviewKind.PRIVACY)


@dataclass(frozen=True)
class SignOff:
    kind: ReviewKind
    review: Review | None  # the latest recorded, if any
    standing: bool  # approved on the current message version
    note: str  # in words, for screens and briefs


def sign_offs(campaign: Campaign) -> list[SignOff]:
    """The latest sign-off of each kind (the one recorded last counts) and whether it stands."""
    latest: dict[ReviewKind, Review] = {}
    for review in campaign.reviews:  # in the order recorded
        latest[review.kind] = review
    result = []
    for kind in SIGN_OFFS:
        review = latest.get(kind)
        if review is None:
            result.append(SignOff(kind, None, False, "missing"))
            continue
        approved = review.decision is ReviewDecision.APPROVED
        # Not stamped (built outside the store): given on the messages as they are.
        current = review.message_version in (None, campaign.message_version)
        if approved and current:
            note = "approved"
        elif approved:
            note = "withdrawn: a message changed after this sign-off"
        else:
            note = review.decision.label.lower()
        result.append(SignOff(kind, review, approved and current, note))
    return result


def next_sign_off(campaign: Campaign) -> ReviewKind:
    """The kind of sign-off to record next: the first that does not stand yet."""
    return next((s.kind for s in sign_offs(campaign) if not s.standing), SIGN_OFFS[0])


def sign_off_date_problem(date: dt.date | None, today: dt.date) -> str:
    """Why a sign-off cannot carry this date ("" when it can): a sign-off records a decision
    already made, so it is dated today or earlier, never after today."""
    if date is None or date <= today:
        return ""
    return (
        f"The sign-off date {date.isoformat()} is after today ({today.isoformat()}); a "
        "sign-off records a decision already made, so give the day it was made."
    )


def record_sign_off(store: Store, campaign_id: int, review: Review, today: dt.date) -> None:
    """Save a reviewer's sign-off, refusing a date after today (the same rule in every face)."""
    problem = sign_off_date_problem(review.date, today)
    if problem:
        raise PlannerError(problem)
    store.add_item(campaign_id, review, expected_version=None)


def approval_problems(campaign: Campaign, rules: RuleSet) -> list[str]:
    """What stands between the campaign and approval, in words; empty when it can be approved."""
    report = lint_campaign(campaign, rules)
    problems = []
    blocks = report.blocking
    if blocks:
        ids = sorted({f.rule.id for f in blocks})
        problems.append(
            f"{len(blocks)} block finding{'s' if len(blocks) != 1 else ''} "
            f"({', '.join(ids)}) must be fixed"
        )
    unticked = report.of(Severity.CONFIRM)
    if unticked:
        problems.append(
            f"{len(unticked)} checklist item{'s' if len(unticked) != 1 else ''} must be confirmed"
        )
    missing = [s for s in sign_offs(campaign) if not s.standing]
    if missing:
        parts = [f"{s.kind.label.lower()} ({s.note})" for s in missing]
        problems.append("sign-off needed from " + ", ".join(parts))
    return problems
