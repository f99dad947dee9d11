"""Choose the folder of a consultant's own brief templates, or the standard ones."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from planner.briefs import TEMPLATE_FILES, copy_templates, save_template_dir
from planner.domain.errors import PlannerError
from planner.store.output import user_path
from screens.styles import css
from screens.widgets.forms import FieldInput


class TemplatesDialog(ModalScreen[str | None]):
    """Choose the folder of a consultant's own brief templates, or the standard ones.
    Dismisses with the folder chosen, "" for the standard templates, None if cancelled."""

    CSS_PATH = css("dialogs.tcss")
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Brief templates", classes="title")
            yield Static(
                "A folder of your own templates brands every brief: a file there replaces the "
                "standard one of the same name (brief.css holds the styles, body.j2 the "
                "sections). Leave it empty for the standard templates.",
                classes="question",
            )
            yield Label("Template folder")
            yield FieldInput(
                self.current, placeholder="e.g. ~/Clients/templates", id="folder", compact=False
            )
            yield Static("", id="problem", classes="problem", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Use folder", variant="primary", id="use")
                yield Button("Copy standard templates there", id="copy")
                yield Button("Cancel", id="cancel")

    @on(Input.Submitted, "#folder")
    def _submitted(self) -> None:
        self._choose(copy=False)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self._choose(copy=event.button.id == "copy")

    def _choose(self, *, copy: bool) -> None:
        text = self.query_one("#folder", Input).value.strip()
        problem = self.query_one("#problem", Static)
        try:
            if copy:
                if not text:
                    problem.update("Type the folder to copy the standard templates into.")
                    return
                folder = user_path(text)
                if any((folder / name).exists() for name in TEMPLATE_FILES):
                    problem.update(
                        f"'{folder}' already holds templates; choose Use folder to use them."
                    )
                    return
                copy_templates(folder)
            chosen = save_template_dir(self.app.store, Path(text) if text else None)
        except PlannerError as exc:
            problem.update(str(exc))
            return
        self.dismiss(str(chosen) if chosen else "")
