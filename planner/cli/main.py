"""The command line: the ``planner`` group, its options, and where each of its commands is.
``planner`` alone opens the TUI (``launch.py`` does that without loading click).

Each command lives in the module of its job, as a plain click command, and is imported only
when it is run or the help lists it (click's lazy subcommands): ``planner list`` starts without
the compliance rules, pydantic's models or the web server (a tenth of a second and more)."""

from __future__ import annotations

import importlib
import sqlite3
from typing import Any

import click

from planner import __version__
from planner.cli.common import NUMBERED, UserError, open_store, today
from planner.cli.database import APP_NAME, ENV_DB, open_planner
from planner.domain.errors import PlannerError
from planner.store import explain_sqlite_error

# Every command, by name: the module of its job and its name there. ``planner --help`` lists
# them in alphabetical order.
COMMANDS = {
    "starters": "planner.cli.campaigns:starters",
    "new": "planner.cli.campaigns:new",
    "number-style": "planner.cli.campaigns:number_style",
    "list": "planner.cli.campaigns:list_",
    "show": "planner.cli.campaigns:show",
    "export": "planner.cli.campaigns:export",
    "import-campaign": "planner.cli.campaigns:import_campaign",
    "copy": "planner.cli.copies:copy",
    "archive": "planner.cli.campaigns:archive",
    "unarchive": "planner.cli.campaigns:unarchive",
    "delete": "planner.cli.trash:delete",
    "undelete": "planner.cli.trash:undelete",
    "trash": "planner.cli.trash:trash",
    "calendar": "planner.cli.calendar:calendar",
    "clients": "planner.cli.clients:clients",
    "client": "planner.cli.clients:client",
    "set": "planner.cli.items:set_",
    "segments": "planner.cli.items:segments",
    "influencers": "planner.cli.items:influencers",
    "messages": "planner.cli.items:messages",
    "claims": "planner.cli.items:claims",
    "activities": "planner.cli.items:activities",
    "measures": "planner.cli.items:measures",
    "budget": "planner.cli.items:budget",
    "history": "planner.cli.history:history",
    "undo": "planner.cli.history:undo",
    "redo": "planner.cli.history:redo",
    "revert": "planner.cli.history:revert",
    "brief": "planner.cli.briefs:brief",
    "briefs": "planner.cli.briefs:briefs",
    "templates": "planner.cli.briefs:templates",
    "links": "planner.cli.links:links",
    "costs": "planner.cli.tracking:costs",
    "results": "planner.cli.tracking:results",
    "report": "planner.cli.tracking:report",
    "abtest": "planner.cli.tracking:abtest",
    "lessons": "planner.cli.lessons:lessons",
    "maturity": "planner.cli.lessons:maturity",
    "staff": "planner.cli.lessons:staff",
    "import": "planner.cli.imports:import_",
    "imports": "planner.cli.imports:imports",
    "lint": "planner.cli.compliance:lint",
    "rules": "planner.cli.compliance:rules",
    "rule": "planner.cli.compliance:rule",
    "finding": "planner.cli.compliance:finding",
    "signoff": "planner.cli.compliance:signoff",
    "signoffs": "planner.cli.compliance:signoffs",
    "status": "planner.cli.compliance:status",
    "backup": "planner.cli.care:backup",
    "doctor": "planner.cli.care:doctor",
    "restore": "planner.cli.care:restore",
    "serve": "planner.cli.care:serve",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported when they are needed (click's "Lazily Loading
    Subcommands"): ``lazy_subcommands`` maps each name to "module:command"."""

    def __init__(self, *args: Any, lazy_subcommands: dict[str, str] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.lazy_subcommands = lazy_subcommands or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy_subcommands])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy_subcommands:
            return super().get_command(ctx, cmd_name)
        module, _, name = self.lazy_subcommands[cmd_name].partition(":")
        found = getattr(importlib.import_module(module), name)
        if not isinstance(found, click.Command):
            raise TypeError(f"{self.lazy_subcommands[cmd_name]} is not a click command.")
        return found


class PlannerGroup(LazyGroup):
    """Turns every PlannerError raised by a command into a one-sentence UserError (and so any
    SQLite error no store method has put in words, such as one met while a list is printed
    as it is read), and a missing argument into a sentence saying what to type."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.MissingParameter as exc:
            raise UserError(_missing(exc)) from None
        except PlannerError as exc:
            raise UserError(str(exc)) from None
        except sqlite3.Error as exc:
            store = ctx.obj.get("store") if isinstance(ctx.obj, dict) else None
            raise UserError(explain_sqlite_error(exc, store.path if store else None)) from None


def _missing(exc: click.MissingParameter) -> str:
    """A missing argument or option in a sentence that says what to type."""
    param, ctx = exc.param, exc.ctx
    path = ctx.command_path if ctx else "planner"
    if path.endswith(" new") and param is not None and param.name == "name":
        return 'Give the new campaign a name: planner new "Flu season 2027".'
    if isinstance(param, click.Argument) and param.name in NUMBERED:
        what, listing = NUMBERED[param.name]
        return (
            f"Say which {what}: {path} {param.make_metavar(ctx) if ctx else 'ID'}, with the "
            f"number '{listing}' shows (such as {path} 1)."
        )
    if isinstance(param, click.Option):
        name = max(param.opts, key=len)
        told = ""
        if param.help:
            said = param.help.rstrip(".")
            said = said[0].lower() + said[1:] if said[1:2].islower() else said
            told = f" ({said})"
        return f"{path} needs {name}{told}; see '{path} --help'."
    named = param.human_readable_name if param else "a value"
    return f"{path} needs {named}; see '{path} --help'."


@click.group(cls=PlannerGroup, lazy_subcommands=COMMANDS, invoke_without_command=True)
@click.option(
    "--db",
    metavar="PATH",
    help=f"The database file (default: ${ENV_DB}, else {APP_NAME}/planner.db in your user "
    "data folder).",
)
@click.version_option(__version__, prog_name="planner")
@click.pass_context
def main(ctx: click.Context, db: str | None) -> None:
    """Healthcare Campaign Planner: plan a patient-relationship campaign, render its brief,
    and track what it cost and achieved.

    Run without a command to open the planner in the terminal.
    """
    ctx.ensure_object(dict)["db"] = db
    if db is not None and not db.strip():
        raise UserError("--db needs the path of a database file.")
    today()  # a $PLANNER_TODAY that is not a date is said now, before anything is opened
    if ctx.invoked_subcommand is None:
        open_planner(open_store(ctx))


if __name__ == "__main__":  # pragma: no cover
    main()
