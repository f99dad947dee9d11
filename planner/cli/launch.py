"""The ``planner`` command's entry point, and where the database is.

``planner`` alone, or with only ``--db PATH``, opens the planner in the terminal straight away:
it has nothing for the command line to parse, so it starts without loading click and the
commands (a tenth of the time it takes to start). Anything else goes to ``planner.cli``.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

from planner.domain.errors import PlannerError
from planner.store import Store

ENV_DB = "PLANNER_DB"
APP_NAME = "healthcare-campaign-planner"


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
    make_app(store=store).run()


def database_only(args: list[str]) -> tuple[bool, str | None]:
    """Whether ``args`` do no more than choose the database (none, ``--db PATH`` or
    ``--db=PATH``), and the path they give."""
    if not args:
        return True, None
    if len(args) == 2 and args[0] == "--db":
        return True, args[1]
    if len(args) == 1 and args[0].startswith("--db="):
        return True, args[0].removeprefix("--db=")
    return False, None


def main() -> None:
    """``planner [--db PATH] [COMMAND ...]``."""
    plain, db = database_only(sys.argv[1:])
    if not plain:
        from planner.cli.main import main as command_line

        command_line(prog_name="planner")
        return
    try:
        store = Store.open(resolve_db_path(db))
    except PlannerError as exc:
        # As the command line says it (``UserError``): one sentence, exit code 2.
        print(f"Error: {exc}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:  # Ctrl+C while waiting for a locked database, as click says it
        print("Aborted!", file=sys.stderr)
        sys.exit(1)
    with store:
        open_planner(store)
