"""One editing session on one campaign: what the TUI's forms save through.

The editor holds the campaign as last read and its version. Every write passes that version to
the store, so a write based on a stale read (another window saved in between) is refused with
a ``StaleWriteError`` instead of overwriting; after each write the campaign is read again, so
renames and deletions show everywhere at once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import ValidationError

from planner.domain.errors import PlannerError, describe_validation_error
from planner.domain.models import Campaign, Item, Measure, MessageVariant, MixElement, MixP
from planner.domain.numbers import style_of
from planner.domain.registry import naming, plan_kinds
from planner.plan.readings import keep
from planner.plan.revisions import notice
from planner.store import Store

I = TypeVar("I", bound=Item)  # noqa: E741

# The plan's kinds of item and the campaign field that lists them.
PLAN_LISTS: dict[type[Item], str] = {kind.model: kind.list_field for kind in plan_kinds()}


class CampaignEditor:
    def __init__(self, store: Store, campaign_id: int) -> None:
        self.store = store
        self.campaign_id = campaign_id
        self.campaign = store.get_campaign(campaign_id, tracking=False)
        # Set when a reload after our own write found someone else's write on top of it.
        self.changed_elsewhere = False
        # Counts the times the campaign was read again with others' changes in it; a screen
        # that remembers the count it showed knows when its forms are out of date.
        self.reloads = 0

    @property
    def version(self) -> int:
        return self.campaign.version

    def reload(self) -> Campaign:
        self.campaign = self.store.get_campaign(self.campaign_id, tracking=False)
        self.changed_elsewhere = False
        self.reloads += 1
        return self.campaign

    def _written(self, version: int, *, reshow: bool = False) -> None:
        """Read the campaign again after our write; ``reshow`` when the forms must show it
        again even if no one else wrote (an undo changed what they show)."""
        self.campaign = self.store.get_campaign(self.campaign_id, tracking=False)
        self.changed_elsewhere = self.campaign.version != version
        if self.changed_elsewhere or reshow:
            self.reloads += 1

    # Reading ------------------------------------------------------------------------------

    def items(self, model: type[I]) -> list[I]:
        return list(getattr(self.campaign, PLAN_LISTS[model]))

    def find(self, model: type[I], item_id: int | None) -> I | None:
        return next((i for i in self.items(model) if i.id == item_id), None)

    def new_name(self, model: type[Item], base: str) -> str:
        """``base``, or ``base 2``, ``base 3``... whichever no item of this kind is called."""
        taken = {i.name.casefold() for i in self.items(model)}
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            name = f"{base} {n}"
        return name

    def problem_with(self, item: Item) -> str:
        """The sentence that saving ``item`` would be refused with, or '' if it fits the plan
        (names unique, references known, one primary measure, budget within limits)."""
        field = PLAN_LISTS[type(item)]
        data = self.campaign.model_dump()
        rows = getattr(self.campaign, field)
        dumped = item.model_dump()
        index = next((n for n, i in enumerate(rows) if i.id == item.id), None)
        if index is None:
            data[field].append(dumped)
        else:
            data[field][index] = dumped
            old = rows[index].name.casefold()
            # The store links items by row id, so a rename carries over to every reference.
            for kind, link in naming(type(item)):
                if not kind.in_plan:
                    continue
                ref = link.field
                for row in data[kind.list_field]:
                    if link.many:
                        row[ref] = [item.name if n.casefold() == old else n for n in row[ref]]
                    elif row[ref] is not None and row[ref].casefold() == old:
                        row[ref] = item.name
        if isinstance(item, Measure) and item.primary:
            for row in data[field]:
                row["primary"] = row is dumped
        try:
            Campaign.model_validate(data, context={"style": style_of(self.campaign)})
        except ValidationError as exc:
            return describe_validation_error(exc)
        return ""

    # Writing ------------------------------------------------------------------------------

    def save_overview(self, changes: dict[str, Any]) -> None:
        version = self.store.update_campaign(
            self.campaign_id, changes, expected_version=self.version
        )
        self._written(version)

    def save_mix(self, p: MixP, element: MixElement) -> None:
        version = self.store.update_mix(self.campaign_id, p, element, expected_version=self.version)
        self._written(version)

    def add(self, item: Item) -> int:
        added = self.store.add_item(self.campaign_id, item, expected_version=self.version)
        self._written(added.version)
        self._keep_readings(item)
        return added.id

    def save(self, item: Item) -> None:
        if item.id is None:
            raise PlannerError("This item has not been saved yet, so it cannot be updated.")
        version = self.store.update_item(self.campaign_id, item, expected_version=self.version)
        self._written(version)
        self._keep_readings(item)

    def _keep_readings(self, item: Item) -> None:
        """After a message is saved, store its reading counts (worked out as it was typed),
        so that briefs and reviews read them back. Only a help for speed: should the store
        refuse them, the save stands and the next brief counts them again."""
        if isinstance(item, MessageVariant):
            with contextlib.suppress(PlannerError):
                keep(self.store, self.campaign)

    def delete(self, model: type[Item], item_id: int) -> None:
        version = self.store.delete_item(
            self.campaign_id, model, item_id, expected_version=self.version
        )
        self._written(version)

    def move(self, model: type[Item], item_id: int, position: int) -> None:
        version = self.store.move_item(
            self.campaign_id, model, item_id, position, expected_version=self.version
        )
        self._written(version)

    # Undo and redo ------------------------------------------------------------------------

    def undo(self, approval: Callable[[Campaign], None] | None = None) -> str:
        """Undo the campaign's last saved change (whichever field or item it was, in this
        window or another); returns what was undone, with what it was and what it is now.
        Raises ``PlannerError`` when there is nothing to undo, ``StaleWriteError`` when the
        campaign changed since it was read. ``approval`` (the compliance review's) refuses to
        put back an approved status on a campaign that is not ready."""
        undone, applied = self.store.undo(
            self.campaign_id, expected_version=self.version, approval=approval
        )
        self._written(applied.version, reshow=True)
        c = self.campaign
        return notice("Undone", undone.label, applied, c.currency, style_of(c))

    def revert(self, revision_id: int, approval: Callable[[Campaign], None] | None = None) -> str:
        """Put back what revision ``revision_id`` changed, as a new change (``planner revert``);
        refused when what it changed has been changed or deleted since."""
        done, applied = self.store.revert(
            self.campaign_id, revision_id, expected_version=self.version, approval=approval
        )
        self._written(applied.version, reshow=True)
        c = self.campaign
        said = notice(f"Reverted #{revision_id}", done.label, applied, c.currency, style_of(c))
        return f"{said}. Saved as revision {applied.id}."

    def redo(self, approval: Callable[[Campaign], None] | None = None) -> str:
        """Make again the change undone last; refused once another change was saved since."""
        _, applied = self.store.redo(
            self.campaign_id, expected_version=self.version, approval=approval
        )
        self._written(applied.version, reshow=True)
        c = self.campaign
        return notice("Redone", applied.label, applied, c.currency, style_of(c))
