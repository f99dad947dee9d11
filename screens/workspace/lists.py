"""The panes of the steps made of a list of items (segments, influencers, message variants,
activities, measures, budget lines): add by name, edit, delete and reorder from the keyboard,
with each step's own figures under its list."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Label, Static

from planner.compliance import Report, lint_campaign
from planner.compliance.approval import rules_of
from planner.domain import registry
from planner.domain.errors import PlannerError
from planner.domain.models import (
    Campaign,
    Influencer,
    Item,
    Measure,
    MessageVariant,
    Segment,
)
from planner.domain.numbers import format_money, format_number, style_of
from planner.domain.words import plural, plural_of
from planner.plan.editing import CampaignEditor
from planner.plan.guide import Step, stages_covered
from planner.plan.kpis import Kpi, kpi_library
from planner.tracking.referrals import InfluencerReferrals, influencer_referrals
from screens.dialogs import ConfirmDialog, KpiDialog
from screens.widgets.columns import fill_rows, fit_columns
from screens.widgets.findings import counts_text, finding_text
from screens.widgets.forms import AutoForm, FieldInput, FormScroll
from screens.workspace.editor import EditorScreen, SegmentEditor, VariantEditor
from screens.workspace.kinds import kind_columns, reading_legend
from screens.workspace.step import StepPane
from screens.workspace.targets import ItemTarget, OverviewTarget, core_message_fields

# The kind of item each step made of a list holds.


class ItemsTable(DataTable[Any]):
    """The items of a step, edited from the keyboard."""

    BINDINGS = [
        Binding("a", "add", "Add"),
        Binding("enter", "edit", "Edit"),
        Binding("d,delete", "delete", "Delete"),
        Binding("shift+up", "move(-1)", "Move up", show=False),
        Binding("shift+down", "move(1)", "Move down", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, classes="items")

    @property
    def pane(self) -> ListPane:
        for ancestor in self.ancestors:
            if isinstance(ancestor, ListPane):
                return ancestor
        raise AssertionError("an ItemsTable lives in a ListPane")  # pragma: no cover

    def selected_id(self) -> int | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return int(key) if key else None

    def action_add(self) -> None:
        self.pane.add()

    def action_edit(self) -> None:
        self.pane.edit(self.selected_id())

    def action_delete(self) -> None:
        self.pane.delete(self.selected_id())

    def action_move(self, offset: int) -> None:
        self.pane.move(self.selected_id(), offset)


class ListPane(StepPane):
    """A step made of a list of items: add, edit, delete, reorder."""

    def __init__(self, step: Step, editor: CampaignEditor) -> None:
        super().__init__(step, editor)
        self.model = next(k.model for k in registry.plan_kinds() if k.step == step)

    def body(self) -> ComposeResult:
        yield from self.above()
        noun = self.kind.noun
        with Horizontal(classes="quick-add"):
            yield Label(f"New {noun}", classes="label")
            yield FieldInput(placeholder="Its name, then Enter", classes="quick-add-name")
        yield ItemsTable()
        yield Static("", classes="empty", markup=False)
        yield Static("", classes="figures", markup=False)

    @property
    def quick_add(self) -> Input:
        return self.query_one(".quick-add-name", Input)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input is self.quick_add:
            event.stop()
            self.add_named(open_editor=True)

    def add_named(self, *, open_editor: bool) -> None:
        """Add the item named in the field above the list (and go on to its other fields)."""
        name = self.quick_add.value.strip()
        if not name:
            return
        item = self.new_item(name)
        try:
            item_id = self.editor.add(item)
        except PlannerError as exc:
            self.workspace.write_failed(exc)
            return
        self.quick_add.value = ""
        self.workspace.refresh_all(select=item_id)
        if open_editor:
            self.edit(item_id, named=True)

    def flush(self) -> bool:
        """A name typed above the list is not lost by leaving the step: it is added."""
        self.add_named(open_editor=False)
        return super().flush()

    def above(self) -> ComposeResult:
        yield from ()

    @property
    def kind(self) -> registry.Kind:
        return registry.kind(self.model)

    def new_item(self, name: str) -> Item:
        """A new item of the step's kind called ``name``, as a new one starts in this plan."""
        new = self.kind.new
        assert new is not None, "a kind of the plan makes new items"
        return new(name, self.editor.campaign)

    @property
    def table(self) -> ItemsTable:
        return self.query_one(ItemsTable)

    def on_resize(self) -> None:
        self.refresh_from(self.editor.campaign)

    def _referrals(self, campaign: Campaign) -> dict[str, InfluencerReferrals] | None:
        """The influencers' referrals since the start, for the Influencers step's list."""
        if self.model is not Influencer or campaign.id is None:
            return None
        today = self.app.today()
        try:
            sums = self.app.store.result_sums(
                campaign.id, "influencer", today=today, since_start=True, named_only=True
            )
        except PlannerError:
            return None
        return influencer_referrals(campaign, sums, today)

    def refresh_from(self, campaign: Campaign, select: int | None = None) -> None:
        table = self.table
        keep = select if select is not None else table.selected_id()
        kind = self.kind
        current = self.editor.campaign
        all_columns = kind_columns(current, self._referrals(current))[self.model]
        columns = fit_columns(table, all_columns, self.size.width or 60)
        items = list(self.editor.items(self.model))
        fill_rows(table, columns, items, [str(item.id) for item in items])
        ids = [i.id for i in items]
        if keep in ids:
            table.move_cursor(row=ids.index(keep))
        empty = self.query_one(".empty", Static)
        empty.display = not items
        empty.update(
            f"No {plural_of(kind.noun)} yet. Type a name above and press Enter to add one."
        )
        figures = self.figures(campaign)
        self.query_one(".figures", Static).update(figures)
        self.query_one(".figures", Static).display = bool(figures)

    def figures(self, campaign: Campaign) -> Text | str:
        return ""

    def focus_first(self) -> None:
        """The list if it has items; otherwise the first field, to type the first one."""
        if self.table.row_count:
            self.table.focus()
        else:
            super().focus_first()

    # Editing --------------------------------------------------------------------------

    def add(self, item: Item | None = None, *, new: bool = True) -> None:
        editor = self.editor
        if item is None:
            item = self.new_item(editor.new_name(self.model, f"New {self.kind.noun}"))
        try:
            item_id = editor.add(item)
        except PlannerError as exc:
            self.workspace.write_failed(exc)
            return
        self.workspace.refresh_all(select=item_id)
        self.edit(item_id, new=new)

    def edit(self, item_id: int | None, *, new: bool = False, named: bool = False) -> None:
        if item_id is None:
            return
        editor = self.editor
        screen_class = {Segment: SegmentEditor, MessageVariant: VariantEditor}.get(
            self.model, EditorScreen
        )
        title = self.kind.noun.capitalize()
        self.app.push_screen(
            screen_class(
                editor, ItemTarget(editor, self.model, item_id), title, new=new, named=named
            )
        )

    def delete(self, item_id: int | None) -> None:
        item = self.editor.find(self.model, item_id)
        if item is None or item_id is None:
            return
        kind = self.kind

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.editor.delete(self.model, item_id)
            except PlannerError as exc:
                self.workspace.write_failed(exc)
                return
            self.app.notify(f"Deleted the {kind.noun} “{item.name}”.")
            self.workspace.refresh_all()

        question = f"Delete the {kind.noun} “{item.name}”?"
        notes = [kind.on_delete] if kind.on_delete else []
        try:
            tracked = self.editor.store.count_tracked(self.editor.campaign_id, self.model, item_id)
        except PlannerError:
            tracked = 0
        if tracked and self.model is Measure:
            notes.append(
                f"Its {tracked} recorded result{'s' if tracked != 1 else ''} will be deleted "
                "with it."
            )
        elif tracked:
            notes.append(
                f"{tracked} recorded cost{'s' if tracked != 1 else ''} will no longer name an "
                "activity (the amounts stay)."
            )
        if notes:
            question += "\n\n" + " ".join(notes)
        self.app.push_screen(ConfirmDialog(question, yes="Delete"), confirmed)

    def move(self, item_id: int | None, offset: int) -> None:
        ids = [i.id for i in self.editor.items(self.model)]
        if item_id not in ids:
            return
        position = ids.index(item_id) + offset
        if not 0 <= position < len(ids):
            return
        try:
            self.editor.move(self.model, item_id, position)
        except PlannerError as exc:
            self.workspace.write_failed(exc)
            return
        self.workspace.refresh_all(select=item_id)


class AudiencePane(ListPane):
    def figures(self, campaign: Campaign) -> str:
        style = style_of(campaign)
        sizes = [s.sized() for s in campaign.segments]
        known = [s for s in sizes if s is not None]
        parts = []
        if known:
            text = f"Audience in all: {format_number(sum(known), style)} people"
            if len(known) < len(sizes):
                text += f" ({plural(len(sizes) - len(known), 'segment')} not sized yet)"
            parts.append(text + ".")
        if any(s.sized() is None and s.population is not None for s in campaign.segments):
            parts.append(
                "pop.: the whole population, until the eligible and reachable shares are given."
            )
        return " ".join(parts)


class MessagePane(ListPane):
    """The core message and the variants, with the compliance findings of the variant under
    the cursor next to it."""

    # Ctrl+R works from the core message and the "New message variant" field too; r, in the list.
    BINDINGS = [
        Binding("ctrl+r", "review", "Review"),
        Binding("r", "review", "Review", show=False),
    ]

    report: Report | None = None
    problem = ""  # why the rules could not be read

    def above(self) -> ComposeResult:
        yield AutoForm(
            OverviewTarget(self.editor, core_message_fields()),
            scroll=False,
            id="core-message",
        )

    def body(self) -> ComposeResult:
        yield from super().body()
        with FormScroll(id="variant-findings"):
            yield Static("", id="variant-findings-text")

    def refresh_from(self, campaign: Campaign, select: int | None = None) -> None:
        try:
            self.report = lint_campaign(campaign, rules_of(self.editor.store))
            self.problem = ""
        except PlannerError as exc:
            self.report, self.problem = None, str(exc)
        super().refresh_from(campaign, select)
        self.show_findings()

    def figures(self, campaign: Campaign) -> Text:
        legend = reading_legend(campaign)
        text = Text(f"{legend} " if legend else "")
        if self.report is None:
            text.append(self.problem or "", style="bold red")
            return text
        text.append_text(counts_text(self.report))
        text.append(" · Ctrl+R: the review")
        return text

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_findings()

    def show_findings(self) -> None:
        panel = self.query_one("#variant-findings-text", Static)
        variant = self.editor.find(MessageVariant, self.table.selected_id())
        if self.report is None or variant is None:
            panel.update("")
            self.query_one("#variant-findings").display = False
            return
        found = self.report.for_variant(variant.name)
        self.query_one("#variant-findings").display = True
        if not found:
            panel.update(Text(f"✓ No findings on “{variant.name}”.", style="green"))
            return
        text = Text(f"Findings on “{variant.name}” ({len(found)}):", style="bold")
        for finding in found:
            text.append("\n")
            text.append_text(finding_text(finding, details=False))
        panel.update(text)

    def action_review(self) -> None:
        self.workspace.action_review()


class ActivitiesPane(ListPane):
    def figures(self, campaign: Campaign) -> Text:
        counts = stages_covered(campaign)
        text = Text("Journey: ")
        for n, (stage, count) in enumerate(counts.items()):
            if n:
                text.append(" · ")
            text.append(f"{stage.label} {count}", style="" if count else "bold red")
        return text


class MeasuresPane(ListPane):
    # Ctrl+K works from the "New measure" field too, where a plain k is typed; k still works
    # in the list.
    BINDINGS = [
        Binding("ctrl+k", "from_library", "KPI library", priority=True),
        Binding("k", "from_library", "KPI library", show=False),
    ]

    def figures(self, campaign: Campaign) -> str:
        return (
            "★ marks the primary measure, ¤ the revenue (the return is worked out from it). "
            "Ctrl+K: add one from the KPI library."
        )

    def action_from_library(self) -> None:
        def chosen(kpi: Kpi | None) -> None:
            if kpi is None:
                return
            editor = self.editor
            primary = not any(m.primary for m in editor.campaign.measures)
            measure = kpi.measure(primary=primary)
            measure = measure.model_copy(update={"name": editor.new_name(Measure, kpi.name)})
            self.add(measure, new=False)

        try:
            kpis = kpi_library()
        except PlannerError as exc:
            self.app.report(exc)
            return
        self.app.push_screen(KpiDialog(kpis), chosen)


class BudgetPane(ListPane):
    def figures(self, campaign: Campaign) -> Text:
        budget, planned = campaign.total_budget_minor, campaign.planned_cost_minor

        def money(minor: int) -> str:
            return format_money(minor, campaign.currency, style_of(campaign), code=True)

        text = Text(f"Budget {money(budget)} · activities planned at ")
        text.append(money(planned))
        if planned > budget:
            text.append(f" · over by {money(planned - budget)}", style="bold red")
        else:
            text.append(f" · {money(budget - planned)} unallocated")
        return text
