"""Writing an import: ``run_import`` writes a file's entries as one import, in one
transaction, which ``Store.undo_import`` takes back as a whole.

A file imported before (``file_digest``) is refused unless forced. A large file is read in a
second process (``read_for_parent``) while this one writes, so that on two cores the import
takes about the time of the writing alone.
"""

from __future__ import annotations

import hashlib
import pickle
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from planner.domain.errors import PlannerError
from planner.domain.models import CostRow, ImportKind, ImportRecord, Result, result_row
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
_CHILD = "from planner.imports.run import read_for_parent; read_for_parent()"


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
    batches. The child reads the file as this process would (the same file, campaign and
    options make the same plan); its count of what it read becomes ``tally`` at the end. An
    error it meets is raised here; stopping early (a cancel) stops the child. The child is a
    plain ``python`` process talking through its standard input and output, so that nothing
    of this one (a full-screen terminal, threads) is copied into it."""
    # What the child says on its standard error goes to a file, read only if it fails: a pipe
    # that nobody reads while the rows flow could fill and stop it.
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        assert child.stdin is not None and child.stdout is not None
        try:
            try:
                with child.stdin:
                    pickle.dump((plan.path, plan.campaign, plan.options, plan.today), child.stdin)
            except BrokenPipeError:
                pass  # it died at once: what it said is read below
            yield from _received(child, errors, plan, tally, on_progress)
        finally:
            if child.poll() is None:
                child.kill()
            child.wait()
            child.stdout.close()


def _received(
    child: subprocess.Popen[bytes],
    errors: IO[bytes],
    plan: Plan,
    tally: Preview,
    on_progress: Progress | None,
) -> Iterator[Any]:
    """The entries the child sends, batch by batch, until it says it is done (its tally
    becomes ``tally``) or what stopped it."""
    assert child.stdout is not None
    while True:
        try:
            message = pickle.load(child.stdout)  # one message a pickle, each on its own
        except (EOFError, pickle.UnpicklingError):  # it ended, maybe half-way through one
            child.wait()
            errors.seek(0)
            lines = errors.read().decode(errors="replace").strip().splitlines()
            why = lines[-1] if lines else _ended(child.returncode)
            raise ImportRefused(
                f"Reading '{plan.path.name}' stopped unexpectedly ({why}); nothing was "
                "written."
            ) from None
        if message[0] == "rows":
            _, batch, done = message
            yield from batch
            if on_progress is not None:
                on_progress(done, plan.sheet.size)
        elif message[0] == "done":
            for name, value in vars(message[1]).items():
                setattr(tally, name, value)
            return
        else:
            raise message[1]


def _ended(returncode: int) -> str:
    """How a reading process that said nothing ended, in words."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"the reading process was stopped by {name}"
    return f"the reading process ended with exit status {returncode}"


def read_for_parent() -> None:
    """The child process of ``_entries_from_child``: read the file named on standard input
    and write its entries to standard output in batches, then the tally, or the error that
    stopped the reading."""
    # An interrupt from the terminal reaches both processes: the importing one stops this
    # one, which leaves the decision to it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = sys.stdout.buffer
    path, campaign, options, today = pickle.load(sys.stdin.buffer)

    def send(message: tuple[Any, ...]) -> None:
        pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()

    try:
        plan = plan_import(path, campaign, options)
        plan.today = today
        tally = Preview(plan.kind, campaign.currency, style_of(campaign))
        read = [0]

        def progress(done: int, total: int) -> None:
            read[0] = done

        batch: list[Any] = []
        for entry in entries(plan, tally, progress):
            batch.append(entry)
            if len(batch) >= _BATCH_ROWS:
                send(("rows", batch, read[0]))
                batch = []
        send(("rows", batch, plan.sheet.size))
        send(("done", tally))
    except PlannerError as exc:
        send(("error", exc))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the importing process stopped (cancelled or killed): nothing to tell it
