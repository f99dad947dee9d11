"""Writing an import: ``run_import`` writes a file's entries as one import, in one
transaction, which ``Store.undo_import`` takes back as a whole.

A file imported before (``file_digest``) is refused unless forced. A large file is read in a
second process (``read_in_child``) while this one writes, so that on two cores the import
takes about the time of the writing alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from planner.domain.children import Note, from_child
from planner.domain.models import (
    Campaign,
    CostRow,
    ImportKind,
    ImportOptions,
    ImportRecord,
    Result,
    result_row,
)
from planner.domain.numbers import style_of
from planner.imports.matching import Plan, plan_import
from planner.imports.reading import entries
from planner.imports.refusals import DuplicateImport, ImportRefused, SkipsMoney
from planner.imports.rows import Progress
from planner.imports.tally import Preview
from planner.store import Store
from planner.store.dbfiles import refuse_database

# A file estimated to hold this many rows is read in a second process while this one writes:
# on two cores the import takes about the time of the writing alone. Below it, starting the
# process would cost more than it saves.
PARALLEL_ROWS = 200_000
_BATCH_ROWS = 20_000


def file_digest(path: Path) -> str:
    """The file's SHA-256, which tells the same file imported twice."""
    refuse_database(path, "choose a file of costs or results that a tool exported.")
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def run_import(
    store: Store,
    plan: Plan,
    campaign_id: int,
    *,
    force: bool = False,
    skip_unreadable: bool = False,
    on_progress: Progress | None = None,
) -> tuple[ImportRecord, Preview]:
    """Import the planned file into the campaign as one import: all of its readable rows or,
    on any failure, nothing. A file imported before (and not undone) is refused unless
    ``force``; one with rows that hold money but cannot be read (a channel the planner does
    not know, a date that is not one) is refused with ``SkipsMoney`` unless
    ``skip_unreadable``, so that no money is left out without the user saying so."""
    plan.check()
    digest = file_digest(plan.path)
    if not force:  # told before the file is read; asked again under the write lock
        existing = store.find_import(campaign_id, plan.kind, digest)
        if existing is not None:
            raise DuplicateImport(existing)
    tally = Preview(plan.kind, plan.campaign.currency, style_of(plan.campaign))
    record = ImportRecord(
        campaign_id=campaign_id,
        kind=plan.kind,
        file_name=plan.path.name,
        content_hash=digest,
        format=plan.format.key,
    )

    def counted() -> tuple[int, int]:
        _check_counted(plan, tally, skip_unreadable)
        return tally.rows_read, tally.problem_rows

    expected = plan.sheet.estimated_rows()
    if expected >= PARALLEL_ROWS:
        read = _entries_from_child(plan, tally, on_progress)
    else:
        read = entries(plan, tally, on_progress)
    rows = read if plan.kind is ImportKind.COSTS else map(result_row, read)  # type: ignore[arg-type]
    written = store.import_entries(
        record,
        rows,  # type: ignore[arg-type]
        counted,
        expected=expected,
        refuse_again=None if force else DuplicateImport,
    )
    return written, tally


def _check_counted(plan: Plan, tally: Preview, skip_unreadable: bool) -> None:
    """Refuse to write what was read when money would be left out unasked, or nothing can be
    imported (a file with nothing readable is said so, unless mapping a channel would help)."""
    if tally.money_rows and not skip_unreadable and (tally.entries or tally.unknown_channels):
        raise SkipsMoney(tally)
    if tally.entries == 0:
        noun = "costs" if plan.kind is ImportKind.COSTS else "results"
        raise ImportRefused(
            f"Nothing in '{plan.path.name}' can be imported as {noun} ({tally.summary()}); "
            "nothing was written."
        )


def _entries_from_child(
    plan: Plan, tally: Preview, on_progress: Progress | None
) -> Iterator[CostRow] | Iterator[Result]:
    """``entries(plan, tally, on_progress)``, read by a child process and sent here in
    batches (``from_child``). The child reads the file as this process would (the same file,
    campaign and options make the same plan); its count of what it read becomes ``tally`` at
    the end. An error it meets is raised here; stopping early (a cancel) stops the child."""

    def noted(news: tuple[str, Any]) -> None:
        kind, value = news
        if kind == "progress":
            if on_progress is not None:
                on_progress(value, plan.sheet.size)
        else:
            for name, counted in vars(value).items():
                setattr(tally, name, counted)

    arguments = (plan.path, plan.campaign, plan.options, plan.today)
    return from_child(
        "planner.imports.run:read_in_child",
        arguments,
        f"'{plan.path.name}'",
        batch=_BATCH_ROWS,
        on_note=noted,
        refusal=ImportRefused,
    )


def read_in_child(
    path: Path, campaign: Campaign, options: ImportOptions, today: dt.date
) -> Iterator[Any]:
    """In the child process of ``_entries_from_child``: the file's entries, with notes of how
    far it has read, then its tally."""
    plan = plan_import(path, campaign, options)
    plan.today = today
    tally = Preview(plan.kind, campaign.currency, style_of(campaign))
    read = [0]

    def progress(done: int, total: int) -> None:
        read[0] = done

    for count, entry in enumerate(entries(plan, tally, progress), 1):
        yield entry
        if count % _BATCH_ROWS == 0:
            yield Note(("progress", read[0]))
    yield Note(("progress", plan.sheet.size))
    yield Note(("tally", tally))
