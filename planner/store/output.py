"""Writing a file the user asked for: all of it or none of it."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from planner.domain.errors import PlannerError
from planner.store.dbfiles import refuse_database


def user_path(path: str | Path) -> Path:
    """A path as typed, with ``~`` expanded; an unknown ``~user`` is a sentence, not a crash."""
    try:
        return Path(path).expanduser()
    except RuntimeError:
        raise PlannerError(
            f"'{path}' starts with a home folder that does not exist; type the full path."
        ) from None


def refuse_destination(path: Path) -> None:
    """Refuse to write over the planner's own database (or a file SQLite keeps beside it),
    before anything else is asked about the file."""
    refuse_database(path, "writing there would destroy it. Choose another file name.")


def refuse_overwrite(path: Path, *, force: bool) -> None:
    """An existing file is replaced only when the user said so."""
    if user_path(path).exists() and not force:
        raise PlannerError(f"'{path}' already exists; pass --force to overwrite it.")


def write_file(path: Path, data: bytes | str | Iterable[str], *, force: bool) -> Path:
    """Write ``data`` to ``path`` through a temporary file beside it and a rename, so that an
    interrupted write never leaves half a file. An existing file is replaced only with
    ``force``. Returns the path written (a link's target, when ``path`` is a link)."""
    staged = stage_file(path, data, force=force)
    staged.commit()
    return staged.path


def stage_file(path: Path, data: bytes | str | Iterable[str], *, force: bool) -> StagedFile:
    """Write ``data`` (text in pieces is written as it is made) in full, flushed to disk, to
    a temporary file beside ``path``, to be put in place with ``StagedFile.place()``. An
    existing file may be replaced only with ``force``; through a link, the file it points to
    is the one written."""
    path = user_path(path)
    refuse_destination(path)
    refuse_overwrite(path, force=force)
    path = path.resolve()  # through a link, write the file it points to
    if path.exists() and not path.is_file():
        raise PlannerError(f"'{path}' is not a regular file; choose another output path.")
    if not path.parent.is_dir():
        raise PlannerError(f"The folder '{path.parent}' does not exist.")
    tmp = _temporary(path, ".tmp")
    try:
        with tmp.open("wb") as handle:
            for chunk in _chunks(data):
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            tmp.chmod(0o644)  # mkstemp makes it private; a brief is for sharing
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise PlannerError(f"'{path}' could not be written: {exc.strerror}.") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return StagedFile(path, tmp)


def _chunks(data: bytes | str | Iterable[str]) -> Iterator[bytes]:
    """What to write, as bytes, a piece at a time when it comes in pieces."""
    if isinstance(data, bytes):
        yield data
    elif isinstance(data, str):
        yield data.encode("utf-8")
    else:
        for piece in data:
            yield piece.encode("utf-8")


def _temporary(path: Path, suffix: str) -> Path:
    """A new, empty, hidden file beside ``path``."""
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    except OSError as exc:
        raise PlannerError(f"'{path}' could not be written: {exc.strerror}.") from None
    os.close(fd)
    return Path(name)


@dataclass
class StagedFile:
    """A file written in full beside its place, not yet there. ``place()`` puts it there with
    one rename (all of it or none of it), keeping the file it replaces aside; then ``keep()``
    lets that old file go, or ``undo()`` brings it back (or removes the new file when there
    was none). Each step may be repeated; ``undo()`` before ``place()`` drops the new file."""

    path: Path
    tmp: Path
    placed: bool = False
    old: Path | None = None  # the file replaced, until keep() or undo()

    def commit(self) -> None:
        """Put the file in place and keep it; on any failure, take it back."""
        try:
            self.place()
        except BaseException:
            self.undo()
            raise
        self.keep()

    def place(self) -> None:
        if self.placed:
            return
        try:
            if self.path.exists():
                self.old = _set_aside(self.path)
            self.tmp.replace(self.path)
        except OSError as exc:
            raise PlannerError(f"'{self.path}' could not be written: {exc.strerror}.") from None
        self.placed = True

    def keep(self) -> None:
        if self.old is not None:
            self.old.unlink(missing_ok=True)
            self.old = None

    def undo(self) -> None:
        with contextlib.suppress(OSError):
            if not self.placed:
                self.tmp.unlink(missing_ok=True)
                self.keep()
            elif self.old is not None:
                self.old.replace(self.path)
                self.old = None
                self.placed = False
            else:
                self.path.unlink(missing_ok=True)
                self.placed = False


def _set_aside(path: Path) -> Path:
    """A second name for the file at ``path``, hidden beside it, so that it survives being
    replaced: a hard link, or a copy where the file system has none."""
    old = _temporary(path, ".old")
    try:
        old.unlink()
        os.link(path, old)
    except OSError:
        try:
            shutil.copy2(path, old)
        except OSError:
            old.unlink(missing_ok=True)
            raise
    return old
