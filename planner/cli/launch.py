"""The ``planner`` command's entry point.

``planner`` alone, or with only ``--db PATH``, opens the planner in the terminal straight away:
it has nothing for the command line to parse, so it starts without loading click and the
commands (a tenth of the time it takes to start). Anything else goes to ``planner.cli.main``.
"""

from __future__ import annotations

import gc
import sys

from planner.cli.database import open_planner, resolve_db_path
from planner.domain.errors import PlannerError
from planner.store import Store


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
        # The one deliberate deferred import here: click and the command line load only when
        # there is something for them to parse (main.py never imports this module).
        from planner.cli.main import main as command_line

        command_line(prog_name="planner")
        return
    # Starting the planner makes hundreds of thousands of objects (Textual's modules and ours,
    # the first screen) that live as long as it does: the cycle collector stays off while they
    # are made, and ``open_planner`` then puts them out of its reach (about a tenth of the
    # time to the first screen).
    gc.disable()
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
