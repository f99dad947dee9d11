"""Forms that save as the user types.

A ``FieldSpec`` says how one model field is shown and read back; a ``Form`` lays the fields out
with the error message under each one; an ``AutoForm`` checks every change at once and, when
the values are valid, saves them after a short pause through a ``FormTarget``. An invalid value
is never saved and the last saved value stays in the store; the state line says which.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, SelectionList, Static, TextArea

from planner.domain.errors import PlannerError, StaleWriteError, field_message
from planner.domain.inputs import parse_lines, show, show_money, show_number
from planner.plan.typed import parser

if TYPE_CHECKING:
    from pydantic import ValidationError

# Seconds of quiet after the last keystroke before a valid form is saved.
SAVE_DELAY = 0.6
# Steps of typing Ctrl+Z can take back in one field.
UNDO_STEPS = 100

Choices = Sequence[tuple[str, Any]]


def field_errors(exc: ValidationError, names: set[str], cross: str) -> dict[str, str]:
    """Each pydantic error under the field it is about; rules across fields go under
    ``cross`` (or the form as a whole)."""
    found: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        loc = error.get("loc", ())
        key = str(loc[0]) if loc and str(loc[0]) in names else cross
        found.setdefault(key, field_message(error))
    return found


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form: the model field it edits, and how it is typed."""

    name: str
    label: str
    # text long int number percent rate money amount (money or blank) date period choice
    # choices words lines check
    kind: str = "text"
    placeholder: str = ""
    choices: Choices | Callable[[], Choices] = ()
    blank: str | None = None  # for an optional choice: the label of "none"
    rows: int = 3  # height of a long text
    hint: str = ""  # a line of help under the field
    # For a number: whether, given the values read so far, its unit is a percentage (a
    # trailing % is then accepted, as in 12% for a baseline in "% of recalled patients").
    percent_if: Callable[[dict[str, Any]], bool] | None = None


@dataclass
class FormValues:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # field name -> sentence


class FormTarget(Protocol):
    """What a form edits: where its values come from and where they are saved."""

    fields: list[FieldSpec]
    currency: str
    style: str | None  # the campaign's number style (planner.domain.numbers)

    def initial(self) -> dict[str, Any]: ...

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        """Errors by field name ('' for the form as a whole); empty when the values can be
        saved."""
        ...

    def save(self, changes: dict[str, Any]) -> None:
        """Save the fields the user changed (only those: another window may have saved the
        others since this form was filled)."""
        ...

    def refresh_fields(self) -> None:
        """Rebuild choices and the currency after the campaign was read again."""
        ...


class KeysInOrder:
    """Keys apply to a field in the order they were typed, however fast they come.

    Textual inserts a typed letter in the field as the field takes its key, but runs the
    field's own key bindings (Backspace, Delete, the arrows, Home, End) only once the key
    has travelled up to the app. Keys sent in one burst (a fast typist, a paste of keys,
    tmux) reach the field before the first Backspace comes back from that trip, so the
    letters went in first: ten Backspaces and ``2026-10-01`` left ``01/12026-1``. Here the
    field runs its own binding as it takes the key, in turn with the letters."""

    async def _on_key(self: Any, event: events.Key) -> None:
        if event.is_printable:
            return  # the widget's own handler inserts it, in turn
        active = self.screen.active_bindings.get(event.key)
        if active is None or active.node is not self or not active.enabled:
            return  # a key for the form, the screen or the app: on its usual way
        event.stop()
        event.prevent_default()
        await self.run_action(active.binding.action)


class FieldInput(KeysInOrder, Input):
    """A one-line field that never loses what it holds by accident.

    Focus keeps the value and puts the cursor at its end (as most forms do) instead of
    selecting it all, where the next key would replace it. Several pasted lines are kept,
    joined by "; ". A field left scrolled to the end of a long value shows its start again
    once the focus moves on.

    ``whole``: a short code that is replaced rather than edited (a currency, ``USD``, in a
    field three letters long) is selected on focus, so that typing ``EUR`` replaces it instead
    of being refused by a full field.
    """

    def __init__(self, value: str = "", *, whole: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("compact", True)
        super().__init__(value, select_on_focus=False, **kwargs)
        self.whole = whole

    # Textual calls these besides Input's own handlers of the same events (each class in the
    # MRO gets its turn), so they do not call super().

    def _on_focus(self, event: events.Focus) -> None:
        if self.whole:
            self.select_all()
        else:
            self.cursor_position = len(self.value)

    def _on_blur(self, event: events.Blur) -> None:
        self.scroll_home(animate=False, immediate=True)

    def _on_paste(self, event: events.Paste) -> None:
        lines = [line.strip() for line in event.text.splitlines() if line.strip()]
        if len(lines) > 1:
            event.stop()
            event.prevent_default()
            joined = "; ".join(lines)
            if self.selection.is_empty:
                self.insert_text_at_cursor(joined)
            else:
                self.replace(joined, *self.selection)
        # one line: Input's own handler inserts it


class FieldArea(KeysInOrder, TextArea):
    """A text of several lines that, like ``FieldInput``, takes the focus with the cursor at
    the end of what it holds, so that typing goes on from there."""

    def _on_focus(self, event: events.Focus) -> None:
        self.move_cursor(self.document.end)


class FormScroll(VerticalScroll, can_focus=False):
    """The scrolling body of a form. Not a stop of its own for Tab: the fields in it take the
    focus, and it scrolls to show the one that has it."""


def _widget_id(name: str) -> str:
    return f"field-{name}"


class Form(Vertical):
    """Labelled fields, each with room for its error underneath."""

    class Edited(Message):
        """A field's value changed (typed, picked or ticked by the user)."""

    def __init__(
        self,
        fields: list[FieldSpec],
        values: dict[str, Any],
        currency: str,
        style: str | None = None,
    ) -> None:
        super().__init__(classes="form")
        self.fields = fields
        self.initial = values
        self.currency = currency
        self.style = style  # numbers are typed and shown in the campaign's number style
        self.ready = False
        self.shown_errors: dict[str, str] = {}
        self.shown_hints: dict[str, tuple[str, bool]] = {}
        # Typing in each one-line field, for Ctrl+Z (a TextArea keeps its own): the values
        # before each word typed, the values undone (for Ctrl+Y), the value last seen.
        self.typed: dict[str, list[str]] = {}
        self.untyped: dict[str, list[str]] = {}
        self.seen: dict[str, str] = {}
        self.word: dict[str, bool] = {}
        self.restored: dict[str, str] = {}
        self.loading: set[TextArea] = set()  # text areas given a stored text, not typed

    def compose(self) -> ComposeResult:
        for spec in self.fields:
            with Vertical(classes=f"field kind-{spec.kind}", id=f"row-{spec.name}"):
                with Horizontal(classes="line"):
                    # A checkbox says what it is on its own line; the label column stays
                    # empty so the box lines up with the other fields.
                    yield Label("" if spec.kind == "check" else spec.label, classes="label")
                    yield self._widget(spec, self.initial.get(spec.name))
                yield Static("", classes="error", id=f"error-{spec.name}", markup=False)
                if spec.hint:
                    yield Static(spec.hint, classes="hint", id=f"hint-{spec.name}", markup=False)

    def on_mount(self) -> None:
        # Widgets report their first values as changes; only the user's own edits count.
        self.call_after_refresh(self._arm)

    def _arm(self) -> None:
        self.ready = True

    def _widget(self, spec: FieldSpec, value: Any) -> Widget:
        wid = _widget_id(spec.name)
        kind = spec.kind
        if kind == "long":
            area = FieldArea(
                value or "", id=wid, soft_wrap=True, compact=True, placeholder=spec.placeholder
            )
            area.styles.height = spec.rows
            return area
        if kind == "lines":
            area = FieldArea(
                "\n".join(value or []), id=wid, compact=True, placeholder=spec.placeholder
            )
            area.styles.height = spec.rows
            return area
        if kind == "choice":
            options = list(self.choices(spec))
            if value is not None and value not in [v for _, v in options]:
                options.append((str(value), value))  # never drop what is stored
            return Select(
                options,
                value=value if value is not None else Select.NULL,
                allow_blank=spec.blank is not None,
                prompt=spec.blank or "Choose",
                id=wid,
                compact=True,
            )
        if kind == "choices":
            chosen = list(value or [])
            options = list(self.choices(spec))
            known = [v for _, v in options]
            options += [(str(v), v) for v in chosen if v not in known]
            return SelectionList[Any](
                *[(label, v, v in chosen) for label, v in options],
                id=wid,
                compact=True,
            )
        if kind == "check":
            return Checkbox(spec.label, bool(value), id=wid, compact=True)
        if kind in ("money", "amount") and not value:
            # Nothing yet is shown empty (blank reads as zero): typing into the field, which
            # keeps what it holds, then gives "250", not "0.00250".
            placeholder = spec.placeholder or self.shown(spec, 0)
            return FieldInput("", placeholder=placeholder, id=wid)
        return FieldInput(self.shown(spec, value), placeholder=spec.placeholder, id=wid)

    def shown(self, spec: FieldSpec, value: Any) -> str:
        """A value as typed back in the field, numbers in the campaign's style."""
        if spec.kind == "words":
            return ", ".join(value or [])
        if spec.kind in ("money", "amount"):
            return show_money(value or 0, self.currency, self.style)
        if spec.kind in ("int", "number", "percent", "rate") and isinstance(value, (int, float)):
            return show_number(value, self.style)
        return show(value)

    @staticmethod
    def choices(spec: FieldSpec) -> Choices:
        return spec.choices() if callable(spec.choices) else spec.choices

    def widget(self, name: str) -> Widget:
        return self.query_one(f"#{_widget_id(name)}")

    def read(self) -> FormValues:
        """The values as typed, and a sentence for each one that cannot be read."""
        result = FormValues()
        for spec in self.fields:
            widget = self.widget(spec.name)
            try:
                result.values[spec.name] = self._read_one(spec, widget, result.values)
            except ValueError as exc:
                result.errors[spec.name] = str(exc)
        return result

    def _read_one(self, spec: FieldSpec, widget: Widget, read: dict[str, Any]) -> Any:
        kind = spec.kind
        if isinstance(widget, TextArea):
            return parse_lines(widget.text) if kind == "lines" else widget.text.strip()
        if isinstance(widget, Select):
            return None if widget.value == Select.NULL else widget.value
        if isinstance(widget, SelectionList):
            order = [widget.get_option_at_index(i).value for i in range(widget.option_count)]
            return sorted(widget.selected, key=order.index)
        if isinstance(widget, Checkbox):
            return widget.value
        assert isinstance(widget, Input)
        text = widget.value
        percent = spec.percent_if is not None and spec.percent_if(read)
        read_text = parser(kind, self.currency, self.style, percent=percent)
        return read_text(text) if read_text else text.strip()

    def show_errors(self, errors: dict[str, str]) -> None:
        for spec in self.fields:
            message = errors.get(spec.name, "")
            if self.shown_errors.get(spec.name, "") == message:
                continue  # untouched: an update costs a layout pass on every keystroke
            self.shown_errors[spec.name] = message
            error = self.query_one(f"#error-{spec.name}", Static)
            error.update(message)
            error.display = bool(message)
            self.query_one(f"#row-{spec.name}").set_class(bool(message), "invalid")

    def set_value(self, name: str, value: Any) -> None:
        """Show a value the form computed (not typed), such as an estimated size."""
        widget = self.widget(name)
        spec = next(spec for spec in self.fields if spec.name == name)
        if isinstance(widget, Input) and widget.value != self.shown(spec, value):
            widget.value = self.shown(spec, value)

    def set_hint(self, name: str, text: str, *, warn: bool = False) -> None:
        if self.shown_hints.get(name) == (text, warn):
            return
        self.shown_hints[name] = (text, warn)
        hint = self.query_one(f"#hint-{name}", Static)
        hint.update(text)
        hint.set_class(warn, "warn")

    def on_key(self, event: events.Key) -> None:
        """A printable key typed in a field belongs to the field: a choice list's own keys
        (space ticks) still work, but the key never reaches a step's or the screen's
        shortcut (``3`` in a list of choices does not jump to step 3)."""
        if not event.is_printable:
            return
        active = self.screen.active_bindings.get(event.key)
        if active is None or self not in active.node.ancestors:
            event.stop()
            event.prevent_default()

    # Every kind of widget reports a change its own way; the form reports one message.

    def _edited(self) -> None:
        if self.ready:
            self.post_message(self.Edited())

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._remember(event.input, event.value)
        self._edited()

    def _remember(self, field: Input, value: str) -> None:
        """Keep the value before each word typed (a paste or a deletion is a step of its own),
        so that Ctrl+Z takes typing back a word at a time."""
        key = field.id or ""
        before = self.seen.get(key)
        self.seen[key] = value
        if self.restored.get(key) == value:  # our own undo or redo showing
            del self.restored[key]
            self.word[key] = False
            return
        if not self.ready or before is None or before == value:
            return
        letter = len(value) == len(before) + 1 and value.startswith(before)
        # A space after a word starts the next step: " draft" is taken back at once.
        new_word = letter and value[-1].isspace() and not before[-1:].isspace()
        if not (letter and self.word.get(key)) or new_word:
            steps = self.typed.setdefault(key, [])
            steps.append(before)
            del steps[:-UNDO_STEPS]
        self.word[key] = letter
        self.untyped.pop(key, None)

    def undo_typing(self, field: Input, *, redo: bool = False) -> bool:
        """Take back the last word typed in ``field`` (or type it again); False if there is
        nothing to take back."""
        key = field.id or ""
        source, other = (self.untyped, self.typed) if redo else (self.typed, self.untyped)
        steps = source.get(key)
        if not steps:
            return False
        value = steps.pop()
        other.setdefault(key, []).append(field.value)
        self.restored[key] = value
        field.value = value
        field.cursor_position = len(value)
        return True

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if event.text_area in self.loading:
            self.loading.discard(event.text_area)  # the change load() made
            return
        self._edited()

    def load(self, name: str, text: str, label: str) -> None:
        """Show another stored text (and label) in a long-text field, in the same widget, so
        that keys already on their way to it still reach it. Not counted as an edit."""
        area = self.widget(name)
        assert isinstance(area, TextArea)
        self.loading.add(area)
        area.load_text(text)
        self.query_one(f"#row-{name} .label", Label).update(label)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._edited()

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        self._edited()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._edited()


class AutoForm(Vertical):
    """A form over a target, saved a moment after each valid change."""

    class Saved(Message):
        """The target's values were saved."""

    class Stale(Message):
        """A save was refused because the campaign changed elsewhere."""

        def __init__(self, error: StaleWriteError) -> None:
            super().__init__()
            self.error = error

    def __init__(self, target: FormTarget, *, scroll: bool = True, id: str | None = None) -> None:
        super().__init__(id=id, classes="autoform")
        self.target = target
        self.scroll = scroll
        self.pending = False
        self.saved_values: dict[str, Any] = {}
        self._timer: Timer | None = None
        self._state = ("All changes saved.", "saved")

    def compose(self) -> ComposeResult:
        yield Static("All changes saved.", classes="save-state saved", markup=False)
        target = self.target
        form = Form(target.fields, target.initial(), target.currency, target.style)
        if self.scroll:
            with FormScroll(classes="form-scroll"):
                yield form
        else:
            yield form

    def on_mount(self) -> None:
        self.saved_values = self.target.initial()

    @property
    def form(self) -> Form:
        return self.query_one(Form)

    def state(self, text: str, kind: str) -> None:
        if self._state == (text, kind):
            return
        self._state = (text, kind)
        line = self.query_one(".save-state", Static)
        line.update(text)
        for name in ("saved", "editing", "unsaved"):
            line.set_class(name == kind, name)

    def check(self) -> FormValues:
        """Read and check the values, showing each problem next to its field."""
        read = self.form.read()
        if not read.errors:
            try:
                read.errors = self.target.check(read.values)
            except PlannerError as exc:  # e.g. the item was deleted in another window
                read.errors = {"": str(exc)}
        self.form.show_errors(read.errors)
        general = read.errors.get("")
        if general:
            self.state(f"Not saved: {general}", "unsaved")
        elif read.errors:
            self.state(f"Not saved: {self._fields_to_fix(read.errors)}", "unsaved")
        return read

    def _fields_to_fix(self, errors: dict[str, str]) -> str:
        labels = [spec.label for spec in self.target.fields if spec.name in errors]
        quoted = ", ".join(f"'{label}'" for label in labels)
        return (
            f"{quoted} {'needs' if len(labels) == 1 else 'need'} fixing (in red); "
            "the last saved value is kept until then."
        )

    def on_form_edited(self, event: Form.Edited) -> None:
        # Not stopped: the screen may show figures worked out from the values.
        self.pending = True
        read = self.check()
        if not read.errors:
            self.state("Editing…", "editing")
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SAVE_DELAY, self.flush)

    def flush(self) -> bool:
        """Save the valid changes now. A field that cannot be saved keeps its last saved value
        in the store; returns False while such a field (or a refusal) is left."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not self.pending:
            return True
        read = self.check()
        if "" in read.errors:
            return False
        values = dict(read.values)
        bad = set(read.errors)
        for name in bad:  # every other field is saved; these keep their saved values
            values[name] = self.saved_values.get(name)
        if bad and self.target.check(values):
            return False
        changes = {k: v for k, v in values.items() if v != self.saved_values.get(k)}
        if changes:
            try:
                self.target.save(changes)
            except StaleWriteError as exc:
                self.state("Not saved: the campaign was changed in another window.", "unsaved")
                self.post_message(self.Stale(exc))
                return False
            except PlannerError as exc:
                self.state(f"Not saved: {exc}", "unsaved")
                return False
            self.saved_values = values
            self.post_message(self.Saved())
        if bad:
            self.state(f"Other changes saved. {self._fields_to_fix(read.errors)}", "unsaved")
            return False
        self.pending = False
        self.state("All changes saved.", "saved")
        return True

    def has_invalid_change(self) -> bool:
        """True when the user typed something that cannot be saved as it stands."""
        return self.pending and bool(self.check().errors)

    async def reload(self) -> None:
        """Show the target's stored values again, dropping whatever was not saved."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.pending = False
        self._state = ("All changes saved.", "saved")
        self.target.refresh_fields()
        focused = self.screen.focused
        had_focus = focused is not None and self in focused.ancestors
        focused_id = focused.id if had_focus and focused is not None else None
        await self.recompose()
        self.saved_values = self.target.initial()
        if had_focus:  # the focus stays in the same field, shown anew, not lost
            again = self.query(f"#{focused_id}") if focused_id else None
            if again:
                again.first().focus()
            else:
                self.screen.focus_next()


def undo_typing(widget: Widget | None, *, redo: bool = False) -> bool:
    """Undo (or redo) typing in the focused field: a text area's own history, a one-line
    field's in its form. False when the field has nothing to undo, or no field has focus."""
    if isinstance(widget, TextArea):
        history = widget.history
        if widget.read_only or not (history.redo_stack if redo else history.undo_stack):
            return False
        if redo:
            widget.redo()
        else:
            widget.undo()
        return True
    if isinstance(widget, Input):
        form = next((node for node in widget.ancestors if isinstance(node, Form)), None)
        return form is not None and form.undo_typing(widget, redo=redo)
    return False


def flush_forms(node: Widget) -> bool:
    """Save what waits in every form under ``node``; each one is flushed even after one that
    cannot save. False if any change is left unsaved."""
    results = [form.flush() for form in node.query(AutoForm)]
    return all(results)
