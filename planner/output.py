"""Writing a file the user asked for: all of it or none of it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from planner.errors import PlannerError


def user_path(path: str | Path) -> Path:
    """A path as typed, with ``~`` expanded; an unknown ``~user`` is a sentence, not a crash."""
    try:
        return Path(path).expanduser()
    except RuntimeError:
        raise PlannerError(
            f"'{path}' starts with a home folder that does not exist; type the full path."
        ) from None


def refuse_overwrite(path: Path, *, force: bool) -> None:
    """An existing file is replaced only when the user said so."""
    if user_path(path).exists() and not force:
        raise PlannerError(f"'{path}' already exists; pass --force to overwrite it.")


def write_file(path: Path, data: bytes | str, *, force: bool) -> Path:
    """Write ``data`` to ``path`` through a temporary file beside it and a rename, so that an
    interrupted write never leaves half a file. An existing file is replaced only with
    ``force``. Returns the path written (a link's target, when ``path`` is a link)."""
    path = user_path(path)
    refuse_overwrite(path, force=force)
    path = path.resolve()  # through a link, write the file it points to
    if path.exists() and not path.is_file():
        raise PlannerError(f"'{path}' is not a regular file; choose another output path.")
    if not path.parent.is_dir():
        raise PlannerError(f"The folder '{path.parent}' does not exist.")
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise PlannerError(f"'{path}' could not be written: {exc.strerror}.") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            tmp.chmod(0o644)  # mkstemp makes it private; a brief is for sharing
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise PlannerError(f"'{path}' could not be written: {exc.strerror}.") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
