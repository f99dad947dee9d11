"""The campaign workspace: one pane per planning step, a sidebar that shows which steps are
done, and (for a new campaign) a guided path with Next and Back.

Every edit goes through the campaign's ``CampaignEditor``, which saves it in one transaction and
refuses it if another window saved first. The panes are rebuilt from the saved campaign after
each change, so what the screen shows is what the file holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import (
    Button,
    ContentSwitcher,
    DataTable,
    Input,
    Label,
    OptionList,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from planner.compliance import Report, lint_campaign
from planner.domain.errors import PlannerError, StaleWriteError
from planner.domain.models import (
    Activity,
    BudgetLine,
    Campaign,
    Channel,
    Influencer,
    InfluencerKind,
    Item,
    JourneyStage,
    Measure,
    MeasureCategory,
    MessageVariant,
    MixP,
    Segment,
)
from planner.domain.numbers import format_figure, format_money, format_number, style_of
from planner.domain.words import plural, plural_of
from planner.plan.editing import CampaignEditor
from planner.plan.guide import Step, StepCheck, check_campaign, stages_covered, variant_reading
from planner.plan.kpis import Kpi, kpi_library
from screens.dialogs import ConfirmDialog, KpiDialog, leave_unsaved, offer_reload
from screens.navigation import OpenBrief, OpenReview, OpenTracking
from screens.styles import css
from screens.widgets.columns import Column, fill_rows, fit_columns
from screens.widgets.findings import counts_text, finding_text
from screens.widgets.forms import AutoForm, FieldInput, FormScroll, flush_forms, undo_typing
from screens.widgets.header import Header
from screens.widgets.keybar import KeyBar
from screens.workspace.editor import EditorScreen, SegmentEditor, VariantEditor
from screens.workspace.targets import (
    ItemTarget,
    MixTarget,
    OverviewTarget,
    core_message_fields,
    overview_fields,
)


def _date(value: Any) -> str:
    return value.isoformat() if value else "–"  # with its year, as dates are typed


@dataclass(frozen=True)
class ItemKind:
    """How one kind of item is listed, added and named in messages."""

    model: type[Item]
    noun: str
    columns: list[Column]
    new: Callable[[str], Item]
    delete_note: str = ""


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


def _kinds(campaign: Campaign) -> dict[type[Item], ItemKind]:
    money, style = campaign.currency, style_of(campaign)

    segments = {s.name: s for s in campaign.segments}

    def reading(variant: MessageVariant) -> str:
        """The score with its scale's initials (the line under the list names them)."""
        r = variant_reading(variant, segments.get(variant.segment or ""))
        return "–" if r.scale is None or r.grade is None else f"{_INITIALS[r.scale.name]} {r.short}"

    return {
        Segment: ItemKind(
            Segment,
            "segment",
            [
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
            lambda name: Segment(name=name),
            "Message variants and activities aimed at it will no longer name a segment.",
        ),
        Influencer: ItemKind(
            Influencer,
            "influencer",
            [
                Column("Influencer", lambda i: i.name),
                Column("Kind", lambda i: i.kind.label, 20, optional=True),
                Column("Strength", lambda i: "●" * i.strength, 8),
            ],
            lambda name: Influencer(name=name, kind=InfluencerKind.OTHER),
            "Activities aimed at this influencer will no longer name one.",
        ),
        MessageVariant: ItemKind(
            MessageVariant,
            "message variant",
            [
                Column("Variant", lambda m: m.name),
                Column("A/B", lambda m: m.ab_label or "–", 3, optional=True),
                Column("Reading", reading, 7, right=True),
                Column("Claims", lambda m: str(len(m.claims)), 6, right=True, optional=True),
            ],
            lambda name: MessageVariant(name=name),
            "Activities that carry it will no longer name a message.",
        ),
        Activity: ItemKind(
            Activity,
            "activity",
            [
                Column("Activity", lambda a: a.name),
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
            lambda name: Activity(
                name=name,
                channel=Channel.EMAIL,
                journey_stage=JourneyStage.AWARENESS,
                start_date=campaign.start_date,
                end_date=campaign.end_date,
            ),
            "Budget lines for it will no longer name an activity.",
        ),
        Measure: ItemKind(
            Measure,
            "measure",
            [
                Column("Measure", lambda m: ("★ " if m.primary else "") + m.name),
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
            lambda name: Measure(name=name, category=MeasureCategory.ACQUISITION),
        ),
        BudgetLine: ItemKind(
            BudgetLine,
            "budget line",
            [
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
            lambda name: BudgetLine(name=name, amount_minor=0),
        ),
    }


_STEP_MODELS: dict[Step, type[Item]] = {
    Step.AUDIENCE: Segment,
    Step.INFLUENCERS: Influencer,
    Step.MESSAGE: MessageVariant,
    Step.ACTIVITIES: Activity,
    Step.MEASURES: Measure,
    Step.BUDGET: BudgetLine,
}


# ---------------------------------------------------------------------------------------------
# Panes


class StepPane(Vertical):
    """One planning step: its title, what is still to do, and its content."""

    def __init__(self, step: Step, editor: CampaignEditor) -> None:
        super().__init__(id=step.value, classes="pane")
        self.step = step
        self.editor = editor

    @property
    def workspace(self) -> CampaignWorkspace:
        screen = self.screen
        assert isinstance(screen, CampaignWorkspace)
        return screen

    def compose(self) -> ComposeResult:
        yield Static(f"{self.step.number}. {self.step.title}", classes="step-title")
        yield Static(self.step.intro, classes="step-intro", markup=False)
        yield Static("", classes="step-status", markup=False)
        yield from self.body()

    def body(self) -> ComposeResult:
        yield from ()

    def show_check(self, check: StepCheck) -> None:
        status = self.query_one(".step-status", Static)
        status.set_class(check.done, "done")
        if check.done:
            status.update("✓ Done. Everything this step asks for is in the plan.")
            return
        shown = check.problems[:2]
        lines = [f"• {p}" for p in shown]
        if len(check.problems) > 2:
            lines.append(f"  …and {len(check.problems) - 2} more: F1 shows them all.")
        status.update("\n".join(lines))

    def refresh_from(self, campaign: Campaign) -> None:
        """Show the saved campaign (tables, totals); forms keep what the user is typing."""

    def focus_first(self) -> None:
        for widget in self.query("DataTable, Input, TextArea, Select, SelectionList"):
            if widget.focusable:
                widget.focus()
                return

    def flush(self) -> bool:
        return flush_forms(self)


class FormPane(StepPane):
    """A step edited as one form over the campaign itself (the overview)."""

    def body(self) -> ComposeResult:
        yield AutoForm(OverviewTarget(self.editor, overview_fields()))


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
        self.model = _STEP_MODELS[step]

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
        item = self.kind.new(name)
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
    def kind(self) -> ItemKind:
        return _kinds(self.editor.campaign)[self.model]

    @property
    def table(self) -> ItemsTable:
        return self.query_one(ItemsTable)

    def on_resize(self) -> None:
        self.refresh_from(self.editor.campaign)

    def refresh_from(self, campaign: Campaign, select: int | None = None) -> None:
        table = self.table
        keep = select if select is not None else table.selected_id()
        kind = self.kind
        columns = fit_columns(table, kind.columns, self.size.width or 60)
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
            item = self.kind.new(editor.new_name(self.model, f"New {self.kind.noun}"))
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
        notes = [kind.delete_note] if kind.delete_note else []
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
            self.report = lint_campaign(campaign, self.editor.store.rules())
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
        return "★ marks the primary measure. Ctrl+K: add one from the KPI library."

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


class MixTable(DataTable[Any]):
    """The seven Ps. Enter edits the one under the cursor; typing goes on in its
    description above the table, so no key typed here is taken for a shortcut."""

    BINDINGS = [Binding("enter", "edit", "Edit")]

    def __init__(self) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, classes="items")

    @property
    def pane(self) -> MixPane:
        pane = self.parent
        assert isinstance(pane, MixPane)
        return pane

    def action_edit(self) -> None:
        if self.row_count:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
            self.pane.edit(MixP(key))

    def on_key(self, event: events.Key) -> None:
        if event.is_printable:
            event.stop()
            event.prevent_default()
            self.pane.type_into_description(event)


class DescriptionTarget(MixTarget):
    """The description of the P under the cursor, written above the table of the seven."""

    def __init__(self, editor: CampaignEditor, p: MixP) -> None:
        super().__init__(editor, p)
        self.fields = [replace(self.fields[0], rows=2)]

    def shown(self) -> dict[str, Any]:
        """The saved values of the fields shown (the items are not)."""
        initial = self.initial()
        return {spec.name: initial[spec.name] for spec in self.fields}


class MixPane(StepPane):
    """The seven Ps: the description of the one under the cursor can be written here, and
    Enter opens it whole (its items too)."""

    def body(self) -> ComposeResult:
        yield AutoForm(
            DescriptionTarget(self.editor, MixP.PRODUCT), scroll=False, id="mix-description"
        )
        yield MixTable()

    @property
    def description(self) -> AutoForm:
        return self.query_one("#mix-description", AutoForm)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # The row under the cursor now: a rebuilt table reports row 0 before its cursor is
        # put back, and that P must not flash into the field.
        table = self.query_one(MixTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if key:
                self.show_description(MixP(key))

    def show_description(self, p: MixP) -> None:
        """Show the P's description as saved (after saving what was typed for another)."""
        form = self.description
        target = form.target
        assert isinstance(target, DescriptionTarget)
        shown = target.shown()
        if target.p is p and (
            form.pending or {name: form.saved_values.get(name) for name in shown} == shown
        ):
            return
        form.flush()
        target = DescriptionTarget(self.editor, p)
        form.target = target
        form.saved_values = target.initial()
        form.form.load("description", target.shown()["description"], p.label)

    def type_into_description(self, key: events.Key) -> None:
        """A key typed on the table goes on the end of the description of the P under the
        cursor. It is handed on to the field at once, in the order typed: the keys that
        follow, once the field has the focus, reach it after this one."""
        table = self.query_one(MixTable)
        key_value = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key_value:
            self.show_description(MixP(key_value))
        field = self.description.form.widget("description")
        assert isinstance(field, TextArea)
        field.move_cursor(field.document.end)
        field.post_message(events.Key(key.key, key.character))
        field.focus()

    def on_resize(self) -> None:
        self.refresh_from(self.editor.campaign)

    def refresh_from(self, campaign: Campaign, select: int | None = None) -> None:
        table = self.query_one(MixTable)
        row = table.cursor_row
        columns = [
            Column("P", lambda p: p.label, 17),
            Column("Description", lambda e: e.description),
            Column("Items", lambda e: str(len(e.items)), 5, optional=True),
        ]
        shown = fit_columns(table, columns, self.size.width or 60)
        for p, element in campaign.mix.elements():
            description = Text(element.description or "empty", no_wrap=True, overflow="ellipsis")
            if element.is_empty:
                description.stylize("bold red")
            cells = [Text(p.label), description, Text(str(len(element.items)), justify="right")]
            table.add_row(*cells[: len(shown)], key=p.value)
        table.move_cursor(row=row)
        target = self.description.target
        assert isinstance(target, DescriptionTarget)
        self.show_description(target.p)  # saved in the P's own editor since

    def focus_first(self) -> None:
        self.query_one(MixTable).focus()

    def edit(self, p: MixP) -> None:
        editor = self.editor
        self.description.flush()
        self.app.push_screen(
            EditorScreen(editor, MixTarget(editor, p), f"Marketing mix: {p.label}")
        )


def make_pane(step: Step, editor: CampaignEditor) -> StepPane:
    panes: dict[Step, Callable[[Step, CampaignEditor], StepPane]] = {
        Step.OVERVIEW: FormPane,
        Step.AUDIENCE: AudiencePane,
        Step.INFLUENCERS: ListPane,
        Step.MESSAGE: MessagePane,
        Step.MIX: MixPane,
        Step.ACTIVITIES: ActivitiesPane,
        Step.MEASURES: MeasuresPane,
        Step.BUDGET: BudgetPane,
    }
    return panes[step](step, editor)


# ---------------------------------------------------------------------------------------------
# The workspace

# What the help panel teaches besides the key bar.
KEYS_HELP = [
    "Tab, Shift+Tab: the next or previous field",
    "Ctrl+N, Ctrl+B: the next or previous step",
    "1 to 8 in the step list: that step",
    "In a list, Enter edits, a adds, d deletes; the field above it adds one by its name",
    "Ctrl+O: the brief · Ctrl+R: the review · Ctrl+T: tracking",
    "Ctrl+Z: undo typing in a field, then the last saved change · Ctrl+Y: redo",
    "Escape: back (from here, to the campaigns)",
]


class CampaignWorkspace(Screen[None]):
    """Plan one campaign step by step."""

    CSS_PATH = css("forms.tcss", "workspace.tcss")
    BINDINGS = [
        Binding("escape", "close", "Campaigns"),
        Binding("ctrl+n", "next_step", "Next step"),
        Binding("ctrl+b", "previous_step", "Previous"),
        Binding("f1,question_mark", "toggle_help", "Help"),
        Binding("ctrl+o", "preview", "Brief"),
        Binding("ctrl+t", "tracking", "Tracking", show=False),
        Binding("ctrl+r", "review", "Compliance review", show=False),
        # Before a field's own keys: typing is undone first, then the saved changes.
        Binding("ctrl+z", "undo", "Undo", show=False, priority=True),
        Binding("ctrl+y", "redo", "Redo", show=False, priority=True),
        *[Binding(str(n), f"goto({n})", f"Step {n}", show=False) for n in range(1, 9)],
    ]

    # Below 100 columns the help panel takes the step's place until it is closed: beside it,
    # the step was squeezed to a few words a line and its list hidden.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    guided: reactive[bool] = reactive(False)

    def __init__(self, editor: CampaignEditor, *, guided: bool = False) -> None:
        super().__init__()
        self.editor = editor
        self.step = Step.OVERVIEW
        self.shown_reloads = editor.reloads
        self.checks: dict[Step, StepCheck] = {}
        self.set_reactive(CampaignWorkspace.guided, guided)
        self.focus_before_help: Widget | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="workspace"):
            with Vertical(id="sidebar"):
                yield OptionList(*[Option(step.title, id=step.value) for step in Step], id="steps")
                yield Static("", id="progress")
            # Panes are mounted on the first visit to their step and kept: a small screen
            # stays quick to lay out on every keystroke.
            with ContentSwitcher(initial=self.step.value, id="panes"):
                yield make_pane(self.step, self.editor)
            with VerticalScroll(id="help"):
                yield Static("", id="help-text", markup=False)
        with Horizontal(id="guide"):
            yield Button("◀ Back", id="guide-back", compact=True)
            yield Static("", id="guide-progress")
            yield Button("Next ▶", id="guide-next", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = self.editor.campaign.name
        self.query_one("#help").display = False
        self.watch_guided(self.guided)
        self.refresh_all()
        # A new campaign starts typing at once; an existing one starts from the step list,
        # where the number keys move between the steps.
        if self.guided:
            self.call_after_refresh(self.current_pane().focus_first)
        else:
            self.query_one("#steps", OptionList).focus()

    # Showing ------------------------------------------------------------------------------

    def pane(self, step: Step) -> StepPane | None:
        """The step's pane, if it has been shown yet."""
        found = self.query(f"#{step.value}").results(StepPane)
        return next(iter(found), None)

    def current_pane(self) -> StepPane:
        pane = self.pane(self.step)
        assert pane is not None
        return pane

    def refresh_all(self, select: int | None = None) -> None:
        campaign = self.editor.campaign
        if self.editor.changed_elsewhere:
            self.editor.changed_elsewhere = False
            self.app.notify(
                "Another window saved changes to this campaign too; they are shown now.",
                severity="warning",
            )
        if self.editor.reloads != self.shown_reloads:
            # The campaign was read again (here or in an item editor): show it in the forms.
            self.shown_reloads = self.editor.reloads
            self.run_worker(self._reload_forms())
        self.sub_title = campaign.name
        self.checks = check_campaign(campaign)
        steps = self.query_one("#steps", OptionList)
        for step, check in self.checks.items():
            prompt = Text(f"{step.number} {step.title}")
            prompt.pad_right(max(1, 16 - len(prompt)))
            if check.done:
                prompt.append("✓", style="bold green")
            else:
                prompt.append(f"{len(check.problems)}!", style="bold yellow")
            steps.replace_option_prompt(step.value, prompt)
        for pane in self.query(StepPane):
            pane.show_check(self.checks[pane.step])
            if pane.step is self.step and isinstance(pane, ListPane):
                pane.refresh_from(campaign, select)
            else:
                pane.refresh_from(campaign)
        self.show_progress()
        self.show_help()

    def show_progress(self) -> None:
        done = sum(1 for c in self.checks.values() if c.done)
        total = len(Step)
        self.query_one("#progress", Static).update(f"{done} of {total} steps done")
        self.query_one("#guide-progress", Static).update(
            f"Step {self.step.number} of {total}: {self.step.title} · {done} of {total} done"
        )
        self.query_one("#guide-back", Button).disabled = self.step is Step.OVERVIEW
        last = self.step is list(Step)[-1]
        self.query_one("#guide-next", Button).label = "Finish ✓" if last else "Next ▶"

    def show_help(self) -> None:
        step = self.step
        check = self.checks.get(step)
        lines = [f"{step.number}. {step.title}: questions to answer", ""]
        lines += [f"• {q}" for q in step.questions]
        if check is not None and not check.done:
            lines += ["", "Still to do:", ""] + [f"• {p}" for p in check.problems]
        lines += ["", "Keys:", ""] + [f"• {k}" for k in KEYS_HELP]
        lines += ["", "F1, ? or Escape closes this panel."]
        self.query_one("#help-text", Static).update("\n".join(lines))

    def watch_guided(self, guided: bool) -> None:
        self.query_one("#guide").display = guided

    def go(self, step: Step, *, focus: bool = True) -> None:
        """Show a step (after saving what waits on the one left); ``focus`` moves into it."""
        self.call_next(self._show_step, step, focus)

    async def _show_step(self, step: Step, focus: bool) -> None:
        if step is not self.step:
            self.current_pane().flush()
        pane = self.pane(step)
        switcher = self.query_one(ContentSwitcher)
        if pane is None:
            pane = make_pane(step, self.editor)
            await switcher.mount(pane)
            pane.show_check(self.checks[step])
        self.step = step
        switcher.current = step.value
        pane.refresh_from(self.editor.campaign)
        steps = self.query_one("#steps", OptionList)
        index = list(Step).index(step)
        if steps.highlighted != index:
            steps.highlighted = index
        self.show_progress()
        self.show_help()
        self.call_after_refresh(self._rewrap, pane)
        if focus:
            self.call_after_refresh(pane.focus_first)

    @staticmethod
    def _rewrap(pane: StepPane) -> None:
        """A text area laid out before its pane was shown wraps at width 0; wrap it again."""
        for area in pane.query(TextArea):
            if area.soft_wrap:
                area.soft_wrap = False
                area.soft_wrap = True

    # Events -------------------------------------------------------------------------------

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "steps" and event.option.id:
            self.go(Step(event.option.id), focus=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "steps" and event.option.id:
            self.go(Step(event.option.id))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "guide-next":
            self.action_next_step()
        elif event.button.id == "guide-back":
            self.action_previous_step()

    def on_auto_form_saved(self, event: AutoForm.Saved) -> None:
        self.refresh_all()

    def on_auto_form_stale(self, event: AutoForm.Stale) -> None:
        self.offer_reload()

    def on_screen_resume(self) -> None:
        self.refresh_all()

    def write_failed(self, error: PlannerError) -> None:
        if isinstance(error, StaleWriteError):
            self.offer_reload()
        else:
            self.app.report(error)

    def offer_reload(self) -> None:
        offer_reload(self, self.reload)

    async def reload(self) -> None:
        try:
            self.editor.reload()
        except PlannerError as exc:
            self.app.report(exc)
            return
        self.refresh_all()
        self.app.notify("Reloaded the campaign as it is saved now.")

    async def _reload_forms(self) -> None:
        for form in self.query(AutoForm):
            await form.reload()

    def flush(self) -> bool:
        results = [pane.flush() for pane in self.query(StepPane)]  # each one, even after a no
        return all(results)

    # Actions ------------------------------------------------------------------------------

    def action_goto(self, number: int) -> None:
        self.go(list(Step)[number - 1])

    def action_next_step(self) -> None:
        steps = list(Step)
        index = steps.index(self.step)
        if index + 1 < len(steps):
            self.go(steps[index + 1])
            return
        self.flush()
        done = sum(1 for c in self.checks.values() if c.done)
        self.guided = False
        if done == len(steps):
            self.app.notify(
                "Every step is done. Press Ctrl+O for the brief: preview it and export it."
            )
        else:
            self.app.notify(
                f"{done} of {len(steps)} steps are done; the sidebar shows what is left. "
                "Move freely between the steps with the number keys or the sidebar."
            )

    def action_previous_step(self) -> None:
        steps = list(Step)
        index = steps.index(self.step)
        if index > 0:
            self.go(steps[index - 1])

    def action_undo(self) -> None:
        if not undo_typing(self.focused):
            self.undo_saved()

    def action_redo(self) -> None:
        if not undo_typing(self.focused, redo=True):
            self.undo_saved(redo=True)

    def undo_saved(self, *, redo: bool = False) -> None:
        """Undo (or redo) the campaign's last saved change, show the forms as they are now
        and say what changed, with what it was and what it is."""
        self.flush()
        try:
            text = self.editor.redo() if redo else self.editor.undo()
        except PlannerError as exc:
            if isinstance(exc, StaleWriteError):
                self.offer_reload()
            else:
                self.app.notify(str(exc), severity="warning")
            return
        self.refresh_all()
        self.app.notify(text)

    def action_toggle_help(self) -> None:
        self.show_help_panel(not self.query_one("#help").display)

    def show_help_panel(self, show: bool) -> None:
        """Open or close the help panel. Where it takes the step's place (a narrow screen),
        the focus goes to the panel, so that its keys scroll it and none works on a list out
        of sight, and it comes back to where it was when the panel closes."""
        panel = self.query_one("#help")
        panel.display = show
        self.set_class(show, "-help")
        panes = self.query_one("#panes")
        if show and self.has_class("-narrow") and self.focused in panes.query("*"):
            self.focus_before_help = self.focused
            panel.focus()
        elif not show and self.focus_before_help is not None:
            if self.focus_before_help.is_attached:
                self.focus_before_help.focus()
            self.focus_before_help = None
        # The step narrows or widens: lay its table out again once the new width is known
        # (its own resize event does not always come before the screen is drawn).
        self.call_after_refresh(self._relay_out)

    def _relay_out(self) -> None:
        pane = self.current_pane()
        if isinstance(pane, (ListPane, MixPane)):
            pane.refresh_from(self.editor.campaign)

    def action_toggle_guided(self) -> None:
        self.guided = not self.guided

    def action_preview(self) -> None:
        self.flush()
        self.app.post_message(OpenBrief(self.editor.campaign_id))

    def action_tracking(self) -> None:
        self.flush()
        self.app.post_message(OpenTracking(self.editor.campaign_id))

    def action_review(self) -> None:
        self.flush()
        self.app.post_message(OpenReview(self.editor, lambda _: self.refresh_all()))

    def action_close(self) -> None:
        help_panel = self.query_one("#help")
        if help_panel.display:  # Escape closes the help panel first, as it says
            self.show_help_panel(False)
            return
        if self.flush():
            self.dismiss()
            return
        invalid = any(f.has_invalid_change() for f in self.query(AutoForm))
        leave_unsaved(self, self.dismiss, invalid=invalid)

    def commands(self) -> Iterable[SystemCommand]:
        for step in Step:
            yield SystemCommand(
                f"Go to step {step.number}: {step.title}",
                step.intro,
                lambda step=step: self.go(step),
            )
        yield SystemCommand("Next step", "Move on to the next planning step", self.action_next_step)
        yield SystemCommand(
            "Previous step", "Go back to the previous planning step", self.action_previous_step
        )
        pane = self.current_pane()
        if isinstance(pane, ListPane):
            noun = pane.kind.noun
            yield SystemCommand(f"Add {noun}", f"Add a {noun} to this step", pane.add)
        if isinstance(pane, MeasuresPane):
            yield SystemCommand(
                "Add a measure from the KPI library",
                "HCAHPS, Press Ganey, no-show rate, open rate, HbA1c control...",
                pane.action_from_library,
            )
        yield SystemCommand(
            "Undo the last saved change",
            "Ctrl+Z: put back what the campaign's last saved change changed",
            self.undo_saved,
        )
        yield SystemCommand(
            "Redo", "Ctrl+Y: make the change undone last again", lambda: self.undo_saved(redo=True)
        )
        yield SystemCommand(
            "Show or hide the help panel",
            "The questions this step should answer",
            self.action_toggle_help,
        )
        yield SystemCommand(
            "Guided mode on or off", "Next and Back through the steps", self.action_toggle_guided
        )
        yield SystemCommand(
            "Track costs and results",
            "Budget against spending, progress to target, cost per result, ROI, with charts",
            self.action_tracking,
        )
        yield SystemCommand(
            "Compliance review",
            "Every finding of the health-advertising rules, the checklist and the sign-offs",
            self.action_review,
        )
        yield SystemCommand(
            "Open the brief",
            "Preview the campaign brief, export it as Markdown, HTML or PDF, see past exports",
            self.action_preview,
        )
