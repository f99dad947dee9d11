"""Where the database is (``--db``, else ``$PLANNER_DB``, else the user data folder), and
opening the planner in the terminal on it: what both the entry point (``launch.py``) and the
command line (``main.py``) need, so that neither imports the other for it. Loads no click."""

from __future__ import annotations

import gc
import importlib
import os
from pathlib import Path

from planner.domain.errors import PlannerError
from planner.domain.resources import APP_NAME
from planner.store import Store

ENV_DB = "PLANNER_DB"


def default_db_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "planner.db"


def resolve_db_path(db: str | None) -> Path:
    """``--db``, else ``$PLANNER_DB``, else the user data folder (created on first use)."""
    if db is not None:
        if not db.strip():
            raise PlannerError("--db needs the path of a database file.")
        return Path(db).expanduser()
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB]).expanduser()
    path = default_db_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PlannerError(
            f"The data folder '{path.parent}' cannot be created ({exc.strerror}); choose a "
            f"database with --db or ${ENV_DB}."
        ) from None
    return path


def open_planner(store: Store) -> None:
    """Run the planner in the terminal on ``store``. The one place the core reaches the UI:
    loaded on demand, so that every command (and every import of planner/) runs without
    textual or rich."""
    make_app = importlib.import_module("screens.app").make_app
    app = make_app(store=store)
    # What start-up made lives as long as the planner: moved out of the cycle collector's
    # reach, so that no collection walks it again (and the collector on, if the start turned
    # it off: ``planner.cli.launch``).
    gc.freeze()
    gc.enable()
    app.run()
