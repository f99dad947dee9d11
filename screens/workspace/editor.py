"""The editor of one item of the plan (a segment, a message variant...) or one of the 7Ps.

Every valid change is saved a moment after it is typed; Escape goes back to the step. A message
variant also lists its claims, each with the evidence behind it, and shows its reading grade
against the target of its segment; a segment works out its size from the sizing helper.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import (
    Button,
    DataTable,
    Input,
    Label,
    Static,
)

from planner.compliance import lint_campaign
from planner.compliance.approval import refuse_unready, rules_of
from planner.domain.errors import PlannerError, StaleWriteError
from planner.domain.models import (
    Connection,
    MessageVariant,
    Segment,
)
from planner.domain.numbers import format_number
from planner.plan.editing import CampaignEditor
from planner.plan.guide import variant_reading
from screens.base import PlannerScreen
from screens.dialogs import (
    ClaimDialog,
    ConfirmDialog,
    FormDialog,
    TestimonialDialog,
    leave_unsaved,
    offer_reload,
)
from screens.navigation import OpenReview
from screens.styles import css
from screens.widgets.findings import badge
from screens.widgets.forms import AutoForm, Form, FormTarget, undo_typing
from screens.widgets.header import Header
from screens.widgets.keybar import KeyBar
from screens.workspace.targets import ItemTarget


class EditorScreen(PlannerScreen[None]):
    """A form over one target, saved as the user types."""

    CSS_PATH = css("forms.tcss", "editor.tcss")
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+s", "save_now", "Save now"),
        # Before a field's own keys: typing is undone first, then the saved changes.
        Binding("ctrl+z", "undo", "Undo", show=False, priority=True),
        Binding("ctrl+y", "redo", "Redo", show=False, priority=True),
        Binding("ctrl+r", "review", "Compliance review", show=False),
    ]

    def __init__(
        self,
        editor: CampaignEditor,
        target: FormTarget,
        title: str,
        *,
        new: bool = False,
        named: bool = False,
    ) -> None:
        super().__init__()
        self.editor = editor
        self.target = target
        self.heading = title
        self.new = new  # added just now: dropped again if left untouched
        self.named = named  # its name was typed before it opened: start at the next field
        self.touched = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.heading, id="editor-title", markup=False)
        yield AutoForm(self.target, id="editor-form")
        yield KeyBar()

    @property
    def autoform(self) -> AutoForm:
        return self.query_one(AutoForm)

    def on_mount(self) -> None:
        self.sub_title = self.editor.campaign.name
        self.show_heading()
        self.call_after_refresh(self._focus_first)
        self.call_after_refresh(self.update_figures)

    def show_heading(self) -> None:
        name = ""
        if isinstance(self.target, ItemTarget):
            item = self.editor.find(self.target.model, self.target.item_id)
            name = getattr(item, "name", "")
        heading = f"{self.heading}: {name}" if name else self.heading
        self.query_one("#editor-title", Static).update(heading)

    def on_auto_form_saved(self, event: AutoForm.Saved) -> None:
        self.show_heading()

    def _focus_first(self) -> None:
        fields = self.target.fields
        start = 1 if self.named and len(fields) > 1 else 0
        first = self.autoform.form.widget(fields[start].name)
        first.focus()
        if self.new and isinstance(first, Input):
            # "New segment" is a name to replace, not one the user typed
            first.select_all()

    def flush(self) -> bool:
        return self.autoform.flush()

    def on_form_edited(self, event: Form.Edited) -> None:
        self.touched = True
        self.update_figures()

    def update_figures(self) -> None:
        """Figures worked out from the values on screen; nothing by default."""

    def on_auto_form_stale(self, event: AutoForm.Stale) -> None:
        offer_reload(self, self.reload)

    async def reload(self) -> None:
        try:
            self.editor.reload()
            self.target.initial()
        except PlannerError as exc:
            self.app.report(exc)
            self.dismiss()
            return
        await self.autoform.reload()
        self.app.notify("Reloaded the campaign as it is saved now.")
        self.call_after_refresh(self.update_figures)
        self.call_after_refresh(self._focus_first)

    def action_undo(self) -> None:
        if not undo_typing(self.focused):
            self.run_worker(self.undo_saved())

    def action_redo(self) -> None:
        if not undo_typing(self.focused, redo=True):
            self.run_worker(self.undo_saved(redo=True))

    async def undo_saved(self, *, redo: bool = False) -> None:
        """Undo (or redo) the campaign's last saved change (this item's or another's), show
        the form as it is now and say what changed; leave when the item is gone."""
        self.flush()
        try:
            approval = refuse_unready(self.editor.store)
            text = self.editor.redo(approval) if redo else self.editor.undo(approval)
        except PlannerError as exc:
            if isinstance(exc, StaleWriteError):
                offer_reload(self, self.reload)
            else:
                self.app.notify(str(exc), severity="warning")
            return
        self.touched = True  # the user acted: an undone item is not discarded as untouched
        self.app.notify(text)
        try:
            self.target.initial()
        except PlannerError:  # the undo took away the item on screen
            self.new = False
            self.dismiss()
            return
        await self.autoform.reload()
        self.show_heading()
        self.call_after_refresh(self.update_figures)

    def action_save_now(self) -> None:
        self.touched = True
        if self.flush():
            self.app.notify("Saved.")

    def action_review(self) -> None:
        """The compliance review, from any form of the campaign (as from its steps)."""
        self.flush()  # what is valid is saved; a field still wrong stays as typed
        self.app.post_message(OpenReview(self.editor, lambda _: self.after_review()))

    def after_review(self) -> None:
        """Back from the review: a sign-off or a decision may have changed the campaign."""
        self.editor.reload()

    def action_back(self) -> None:
        if self.flush():
            self._leave()
            return
        leave_unsaved(self, self._leave, invalid=self.autoform.has_invalid_change())

    def discard_if_untouched(self) -> None:
        """A new item the user never typed in is not kept (when leaving or quitting)."""
        if self.new and not self.touched and isinstance(self.target, ItemTarget):
            self.new = False
            try:
                self.editor.delete(self.target.model, self.target.item_id)
            except PlannerError as exc:
                self.app.report(exc)

    def _leave(self) -> None:
        self.discard_if_untouched()
        self.dismiss()


class SegmentEditor(EditorScreen):
    """A segment, with the sizing helper: population x eligible x reachable."""

    def update_figures(self) -> None:
        form = self.autoform.form
        values = form.read().values
        parts = [values.get(k) for k in ("population", "eligible_pct", "reachable_pct")]
        size_input = form.widget("estimated_size")
        if None in parts:
            size_input.disabled = False
            form.set_hint(
                "estimated_size",
                "Fill in population, share eligible and share reachable to work it out.",
            )
            return
        size = Segment.model_construct(
            population=parts[0], eligible_pct=parts[1], reachable_pct=parts[2]
        ).sized()
        form.set_value("estimated_size", size)
        size_input.disabled = True
        population, eligible, reachable = (format_number(p, form.style) for p in parts)
        form.set_hint(
            "estimated_size",
            f"= {population} × {eligible}% eligible × {reachable}% reachable",
        )


class VariantEditor(EditorScreen):
    """A message variant: its reading grade, and its claims with their evidence."""

    BINDINGS = [
        Binding("ctrl+l", "add_claim", "Add claim"),
        Binding("ctrl+g", "add_testimonial", "Add testimonial"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.heading, id="editor-title", markup=False)
        with Vertical(id="variant-body"):
            yield AutoForm(self.target, id="editor-form")
            with Vertical(id="claims-box"):
                with Horizontal(id="claims-head"):
                    yield Label("Claims and their evidence", id="claims-label")
                    yield Button("Add claim", id="add-claim", compact=True)
                yield ClaimsTable(id="claims")
            with Vertical(id="testimonials-box"):
                with Horizontal(id="testimonials-head"):
                    yield Label("Testimonials", id="testimonials-label")
                    yield Button("Add testimonial", id="add-testimonial", compact=True)
                yield TestimonialsTable(id="testimonials")
            yield Static("", id="editor-findings")
        yield KeyBar()

    def on_mount(self) -> None:
        super().on_mount()
        self.show_claims()
        self.show_testimonials()
        self.show_findings()

    def on_auto_form_saved(self, event: AutoForm.Saved) -> None:
        super().on_auto_form_saved(event)
        self.show_findings()

    def show_findings(self) -> None:
        """The compliance findings of the variant as saved, counted under the form."""
        widget = self.query_one("#editor-findings", Static)
        try:
            report = lint_campaign(self.editor.campaign, rules_of(self.editor.store))
            found = report.for_variant(self.variant.name)
        except PlannerError as exc:
            widget.update(str(exc))
            return
        if not found:
            widget.update(Text("✓ No compliance findings on this variant.", style="green"))
            return
        text = Text(f"{len(found)} compliance finding{'s' if len(found) != 1 else ''}: ")
        for n, finding in enumerate(found[:4]):
            if n:
                text.append(" · ")
            text.append_text(badge(finding.severity))
            text.append(f" {finding.rule.title}")
        if len(found) > 4:
            text.append(f" · and {len(found) - 4} more")
        text.append(" (the Message step and Ctrl+R show them all)", style="dim")
        widget.update(text)

    @property
    def variant(self) -> MessageVariant:
        assert isinstance(self.target, ItemTarget)
        item = self.target.item
        assert isinstance(item, MessageVariant)
        return item

    def update_figures(self) -> None:
        form = self.autoform.form
        values = form.read().values
        draft = MessageVariant.model_construct(
            name="",
            headline=values.get("headline") or "",
            body=values.get("body") or "",
            call_to_action=values.get("call_to_action") or "",
        )
        segment = next(
            (s for s in self.editor.campaign.segments if s.name == values.get("segment")), None
        )
        reading = variant_reading(draft, segment)
        target = segment.literacy_grade if segment else None
        text = f"Reading level: {reading.described}"
        warn = False
        if target is not None and reading.scale is not None:
            text += f"; the target for this segment is {reading.target_figure(target)}"
            if reading.harder_than(target):
                warn = True
                text += ". Use shorter sentences and everyday words."
        if not warn:  # the advice matters more than the counts, and the form has little room
            text += f" ({reading.words} words, {reading.sentences} sentences)."
        form.set_hint("call_to_action", text, warn=warn)

    def show_claims(self) -> None:
        table = self.query_one(ClaimsTable)
        table.clear(columns=True)
        width = max(20, self.size.width - 30)
        table.add_column("Claim", width=width)
        table.add_column("Evidence", width=20)
        try:
            claims = self.variant.claims
        except PlannerError:
            claims = []
        for n, claim in enumerate(claims):
            evidence = claim.evidence_kind.label if claim.evidence_kind else "none yet"
            table.add_row(Text(claim.text), Text(evidence), key=str(n))
        table.display = bool(claims)

    def save_part(self, field: str, items: list[Any]) -> None:
        """Save the claims or testimonials on top of the variant as last saved (the form's
        fields go on saving, or waiting for a fix, on their own)."""
        self.flush()
        try:
            self.editor.save(self.variant.model_copy(update={field: items}))
        except StaleWriteError:
            offer_reload(self, self.reload)
            return
        except PlannerError as exc:
            self.app.report(exc)
            return
        self.touched = True
        self.show_claims()
        self.show_testimonials()
        self.show_findings()

    def add_part(self, field: str) -> None:
        def added(item: Any) -> None:
            if item is not None:
                self.save_part(field, [*getattr(self.variant, field), item])

        self.app.push_screen(PARTS[field].dialog(), added)

    def edit_part(self, field: str, index: int) -> None:
        items = list(getattr(self.variant, field))

        def edited(item: Any) -> None:
            if item is not None:
                items[index] = item
                self.save_part(field, items)

        self.app.push_screen(PARTS[field].dialog(items[index]), edited)

    def delete_part(self, field: str, index: int) -> None:
        items = list(getattr(self.variant, field))

        def confirmed(yes: bool | None) -> None:
            if yes:
                del items[index]
                self.save_part(field, items)

        question = f"Delete the {PARTS[field].noun} “{items[index].text}”?"
        self.app.push_screen(ConfirmDialog(question, yes="Delete"), confirmed)

    def action_add_claim(self) -> None:
        self.add_part("claims")

    def action_add_testimonial(self) -> None:
        self.add_part("testimonials")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "add-claim":
            self.action_add_claim()
        elif event.button.id == "add-testimonial":
            self.action_add_testimonial()

    def show_testimonials(self) -> None:
        table = self.query_one(TestimonialsTable)
        table.clear(columns=True)
        table.add_column("Testimonial", width=max(20, self.size.width - 42))
        table.add_column("Consent", width=8)
        table.add_column("Connection", width=20)
        try:
            said = self.variant.testimonials
        except PlannerError:
            said = []
        for n, quote in enumerate(said):
            connection = quote.connection.label
            if quote.connection is not Connection.NONE:
                connection += ", disclosed" if quote.connection_disclosed else ", not said"
            table.add_row(
                Text(quote.text),
                Text("on file" if quote.consent_on_file else "missing"),
                Text(connection),
                key=str(n),
            )
        table.display = bool(said)


class PartsTable(DataTable[Any]):
    """The claims or the testimonials of the variant being edited."""

    field = ""

    def __init__(self, id: str) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def action_edit(self) -> None:
        if self.row_count and isinstance(self.screen, VariantEditor):
            self.screen.edit_part(self.field, self.cursor_row)

    def action_delete(self) -> None:
        if self.row_count and isinstance(self.screen, VariantEditor):
            self.screen.delete_part(self.field, self.cursor_row)


class ClaimsTable(PartsTable):
    BINDINGS = [
        Binding("enter", "edit", "Edit claim"),
        Binding("delete,d", "delete", "Delete claim"),
    ]
    field = "claims"


class TestimonialsTable(PartsTable):
    BINDINGS = [
        Binding("enter", "edit", "Edit testimonial"),
        Binding("delete,d", "delete", "Delete testimonial"),
    ]
    field = "testimonials"


@dataclass(frozen=True)
class _Part:
    noun: str
    dialog: type[FormDialog[Any]]


# The lists a variant holds besides its text, edited the same way.
PARTS = {
    "claims": _Part("claim", ClaimDialog),
    "testimonials": _Part("testimonial", TestimonialDialog),
}
