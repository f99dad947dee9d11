"""``planner calendar``: the activities of every campaign by month, with the busy weeks and the
weeks when campaigns overlap; ``--ics FILE`` writes them as a calendar to import."""

from __future__ import annotations

from pathlib import Path

import click

from planner.cli.common import echo_json, echo_table, open_store, read_date
from planner.domain.errors import PlannerError
from planner.domain.words import practice_key


def _day(date) -> str:  # type: ignore[no-untyped-def]
    return f"{date.day} {date:%b %Y}"


@click.command(short_help="The activities of every campaign by month, or as an .ics file.")
@click.option("--from", "start", metavar="DATE", help="Only activities running on or after it.")
@click.option("--to", "end", metavar="DATE", help="Only activities running on or before it.")
@click.option("--practice", metavar="NAME", help="Only this practice's (client's) campaigns.")
@click.option("--all", "show_all", is_flag=True, help="Include archived campaigns.")
@click.option(
    "--ics",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write the activities as an iCalendar file (Outlook, Google, Apple calendars).",
)
@click.option("--force", is_flag=True, help="With --ics: replace the file if it exists.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see the README).")
@click.pass_context
def calendar(
    ctx: click.Context,
    start: str | None,
    end: str | None,
    practice: str | None,
    show_all: bool,
    ics: Path | None,
    force: bool,
    as_json: bool,
) -> None:
    """The activities of every campaign by month: when each runs, its campaign and practice,
    channel and owner; then the weeks with many activities running, or more than one
    campaign's. Activities without dates are counted, not placed."""
    from planner.plan.calendar import BUSY_ACTIVITIES, busy_weeks, by_month, channel_label, to_ics
    from planner.store.output import refuse_overwrite, write_file

    first, last = read_date(start), read_date(end)
    if first and last and last < first:
        raise PlannerError(f"--to {last} is before --from {first}; nothing was shown.")
    if ics is not None:
        refuse_overwrite(ics, force=force)
    store = open_store(ctx)
    entries, undated = store.calendar_entries(start=first, end=last, include_archived=show_all)
    everything = entries
    if practice is not None:
        entries = [e for e in entries if practice_key(e.practice) == practice_key(practice)]
    if ics is not None:
        done = write_file(ics, to_ics(entries), force=force)
        what = "1 activity" if len(entries) == 1 else f"{len(entries)} activities"
        click.echo(f"Wrote {what} to {done} (import it in Outlook, Google or Apple Calendar).")
        return
    if as_json:
        echo_json([e.as_json() for e in entries])
        return
    if not entries:
        when = " in that time" if first or last else ""
        if practice is None:
            click.echo(f"No activities with dates{when}.")
        else:
            known = sorted({e.practice for e in everything if e.practice}, key=str.casefold)
            listed = "; ".join(known) if known else "none has a practice yet"
            click.echo(
                f"No activities with dates of the practice '{practice}'{when}. "
                f"Practices with dated activities: {listed}."
            )
    for month, running in by_month(entries, first, last):
        click.echo(f"{month:%B %Y}")
        table = [("DATES", "ACTIVITY", "CAMPAIGN", "PRACTICE", "CHANNEL", "OWNER")]
        for e in running:
            dates = _day(e.start) if e.start == e.end else f"{_day(e.start)} to {_day(e.end)}"
            table.append((dates, e.activity, e.campaign, e.practice, channel_label(e), e.owner))
        echo_table(table)
        click.echo("")
    weeks = busy_weeks(entries, first, last)
    if weeks:
        click.echo(
            f"Busy weeks ({BUSY_ACTIVITIES} or more activities running, or more than one "
            "campaign of a practice):"
        )
        for week in weeks:
            overlap = "".join(
                f"; {' and '.join(names)} overlap (one practice's)" for names in week.overlaps
            )
            click.echo(f"  week of {_day(week.monday)}: {week.activities} activities{overlap}")
    if undated:
        what = "1 activity has" if undated == 1 else f"{undated} activities have"
        click.echo(f"{what} no dates yet and cannot be placed (the Activities step).")
