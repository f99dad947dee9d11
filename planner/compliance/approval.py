"""Approval: whether a campaign may move to approved is the compliance review's decision, not
the database's.

A status change goes through ``update_campaign`` here: it reads the campaign (at its version
V), checks what stands between it and approval, and writes through the store with
``expected_version=V``, so that a change saved in between is refused as stale instead of being
approved unchecked. What stands between a campaign and approval (open blocking findings,
sign-offs not approved) is worked out by ``signoffs.approval_problems``. Undo, redo and revert
take ``refuse_unready(store)``, which the store calls before it puts back an approved status.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.compliance import RuleSet, approval_problems, load_rules
from planner.domain.errors import PlannerError, StaleWriteError
from planner.domain.models import Campaign
from planner.domain.records import CampaignStatus

if TYPE_CHECKING:
    from planner.store import Store

RULES_DIR_SETTING = "rules_dir"  # a folder of the user's own compliance rule packs
_ATTEMPTS = 5  # reads and checks of a status change with no version given


def rules_of(store: Store) -> RuleSet:
    """The shipped compliance rules, with the packs of the folder the user chose."""
    folder = store.get_setting(RULES_DIR_SETTING)
    return load_rules(Path(folder) if folder else None)


def check_approval(campaign: Campaign, rules: RuleSet) -> None:
    """Refuse to approve a campaign while the compliance review says it is not ready."""
    problems = approval_problems(campaign, rules)
    if problems:
        raise PlannerError("The campaign cannot be approved yet: " + "; ".join(problems) + ".")


def refuse_unready(store: Store) -> Callable[[Campaign], None]:
    """For undo, redo and revert: refuse to put back an approved status on a campaign the
    review says is not ready (the rules are loaded only if one is put back)."""
    return lambda campaign: check_approval(campaign, rules_of(store))


def update_campaign(
    store: Store, campaign_id: int, changes: dict[str, Any], *, expected_version: int | None
) -> int:
    """Change overview fields through the store; a change to approved only when the campaign
    as read is ready, written only if it is still that version. Returns the new version.

    With no ``expected_version`` (the command line: the user asked for the change whatever the
    version), a change saved by someone else between the check and the write is not a reason
    to refuse: the campaign is read and checked again, a few times, as one transaction would
    have done."""
    if "status" not in changes:
        return store.update_campaign(campaign_id, changes, expected_version=expected_version)
    for _ in range(_ATTEMPTS - 1):
        try:
            return _checked_update(store, campaign_id, changes, expected_version)
        except StaleWriteError:
            if expected_version is not None:
                raise
    return _checked_update(store, campaign_id, changes, expected_version)


def _checked_update(
    store: Store, campaign_id: int, changes: dict[str, Any], expected_version: int | None
) -> int:
    current = store.get_campaign(campaign_id, tracking=False)
    try:
        updated = Campaign.model_validate({**current.model_dump(), **changes})
    except ValueError:  # the store says what is wrong with the changes
        return store.update_campaign(campaign_id, changes, expected_version=expected_version)
    if updated.status is CampaignStatus.APPROVED and current.status is not CampaignStatus.APPROVED:
        store.check_currency_change(campaign_id, updated.currency)
        check_approval(updated, rules_of(store))
    version = current.version if expected_version is None else expected_version
    return store.update_campaign(campaign_id, changes, expected_version=version)
