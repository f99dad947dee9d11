"""Where the shipped templates and data are, from a checkout and from an installed wheel.

In a checkout they are the top-level ``templates/`` and ``data/`` folders beside ``planner/``.
A wheel carries them inside the package as ``planner/_shipped/templates`` and
``planner/_shipped/data`` (see ``[tool.hatch.build.targets.wheel.force-include]``).
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "healthcare-campaign-planner"  # its folders: data, cache
_PACKAGE = Path(__file__).resolve().parent.parent  # planner/


def _shipped(name: str) -> Path:
    installed = _PACKAGE / "_shipped" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def templates_dir() -> Path:
    return _shipped("templates")


def data_dir() -> Path:
    return _shipped("data")


def cache_dir() -> Path:
    """The user's cache folder for the planner (``~/.cache/healthcare-campaign-planner`` on
    Linux, or under ``$XDG_CACHE_HOME``): what it keeps there it can always make again."""
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def keep_in_cache(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` in the cache folder, whole or not at all (another planner
    may be reading it), the folder made if need be; False if it could not be written (a
    read-only or full disk: the cache is only a cache)."""
    import tempfile  # not at start-up: it takes 10 ms to load

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True
