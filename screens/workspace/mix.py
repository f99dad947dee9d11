"""The marketing mix pane: the seven Ps in a table, the description of the one under the
cursor written above it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, TextArea

from planner.domain.models import Campaign, MixP
from planner.plan.editing import CampaignEditor
from screens.widgets.columns import Column, fit_columns
from screens.widgets.forms import AutoForm
from screens.workspace.editor import EditorScreen
from screens.workspace.step import StepPane
from screens.workspace.targets import MixTarget


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
