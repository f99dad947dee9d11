"""Choose a CSV file from the folders on this computer."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DirectoryTree, Label

from screens.styles import css

SUFFIXES = {".csv", ".tsv", ".txt"}


class FilePicker(ModalScreen[Path | None]):
    """Choose a CSV file from the folders on this computer."""

    CSS_PATH = css("dialogs.tcss", "importing.tcss")
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, start: Path) -> None:
        super().__init__()
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="file-picker"):
            yield Label("Choose a CSV file (Enter opens a folder or picks a file)", classes="title")
            yield CsvTree(self.start, id="file-tree")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one(CsvTree).focus()

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        self.dismiss(event.path)

    def on_button_pressed(self) -> None:
        self.dismiss(None)


class CsvTree(DirectoryTree):
    """Folders and the files an import can read; hidden files left out."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [
            p
            for p in paths
            if not p.name.startswith(".") and (p.is_dir() or p.suffix.lower() in SUFFIXES)
        ]
