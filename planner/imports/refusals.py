"""Why a file as a whole is not imported: each a ``PlannerError`` with one sentence to show,
naming the file's columns where the user has to choose one (``columns_hint``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.domain.errors import PlannerError
from planner.domain.models import ImportKind, ImportRecord

if TYPE_CHECKING:
    from planner.imports.tabular import Sheet
    from planner.imports.tally import Preview


class ImportRefused(PlannerError):
    """The file as a whole cannot be imported into this campaign."""


class NeedsMapping(ImportRefused):
    """The file can be read, but the user has to say which column holds what first."""


class SkipsMoney(ImportRefused):
    """Rows holding money cannot be read, and the import was not told to go on without them."""

    def __init__(self, tally: Preview) -> None:
        self.tally = tally
        super().__init__(f"{tally.unreadable_money()}; nothing was written.")


class DuplicateImport(PlannerError):
    """The same file was imported into the campaign before and not undone."""

    def __init__(self, record: ImportRecord) -> None:
        self.record = record
        noun = "costs" if record.kind is ImportKind.COSTS else "results"
        super().__init__(
            f"'{record.file_name}' was already imported into this campaign on "
            f"{record.created_at[:16].replace('T', ' ')} UTC (import {record.id}, "
            f"{record.entries:,} {noun}); importing it again would count them twice. Undo "
            f"import {record.id} first, or import it again anyway (--force)."
        )


def columns_hint(sheet: Sheet) -> str:
    """The file's columns, as a sentence names them (the first 25)."""
    names = [f"'{name}'" for name in sheet.columns if name]
    if len(names) > 25:
        return ", ".join(names[:25]) + f" and {len(names) - 25} more"
    return ", ".join(names)
