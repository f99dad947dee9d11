"""``planner doctor`` and ``planner backup`` in plain words: what the health check found, and
where a backup goes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from planner.domain.advice import command
from planner.domain.words import plural
from planner.store import Health


def default_backup_path(
    database: Path, now: dt.datetime | None = None, *, as_is: bool = False
) -> Path:
    """Beside the database, named for the time: ``planner.db.backup-20271103T091500Z.bak``
    (the doctor lists these as the database's backups to restore); an unchecked copy of a
    damaged file ``planner.db.as-is-20271103T091500Z.unchecked`` (which it does not)."""
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    if as_is:
        return database.with_name(f"{database.name}.as-is-{stamp}.unchecked")
    return database.with_name(f"{database.name}.backup-{stamp}.bak")


def size_words(size: int) -> str:
    if size < 1024:
        return plural(size, "byte")
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    if size < 1024**3:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{size / 1024**3:.1f} GB"


def _age(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 2:
        return "just now"
    if minutes < 120:
        return f"{minutes} minutes ago"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} hours ago"
    return f"{hours // 24} days ago"


def report(health: Health, now: dt.datetime | None = None) -> list[str]:
    """The doctor's findings, a line each, the verdict last."""
    now = now or dt.datetime.now(dt.UTC)
    size = size_words(health.size_bytes)
    if health.wal_bytes:
        # The log's size bounds what it holds: written back already, some of it may be.
        size += (
            f", and up to {size_words(health.wal_bytes)} not yet written back from its "
            "write-ahead log"
        )
    lines = [f"Database: {health.path.resolve()} ({size})"]
    lines.extend(_disk_lines(health))
    if health.unreadable:
        lines.append(f"Checks: the file cannot be checked: {health.unreadable.rstrip('.')}.")
    elif health.disk_fault:
        lines.append(
            f"Checks: SQLite could not check the file: {health.disk_fault}. That is a fault "
            "of the disk, not of the file."
        )
    else:
        if health.integrity:
            shown = "; ".join(" ".join(found.split()) for found in health.integrity[:3])
            lines.append(f"Integrity: damaged. SQLite reports: {shown}.")
        else:
            lines.append("Integrity: the file is whole (SQLite's integrity check passed).")
        if health.broken_links:
            where = ", ".join(f"{n} in {table}" for table, n in sorted(health.broken_links.items()))
            lines.append(f"Links: some rows point at records that are gone ({where}).")
        else:
            lines.append("Links: every record points at records that exist.")
        applied = len(health.applied)
        if health.unknown:
            lines.append(
                f"Schema: written by a newer planner (schema change {health.unknown[-1]}); "
                "this planner will not open it. Upgrade the planner."
            )
        elif health.pending:
            lines.append(
                f"Schema: {plural(applied, 'change')} applied, {len(health.pending)} to come; "
                "the planner "
                "makes a backup beside the file and upgrades it when it next opens it."
            )
        else:
            lines.append(f"Schema: up to date ({plural(applied, 'change')} applied).")
        campaigns = health.campaigns - health.archived
        lines.append(
            f"Campaigns: {campaigns}"
            + (f", and {health.archived} archived" if health.archived else "")
            + "."
        )
    if health.backups:
        newest = _newest_backup(health)
        when = dt.datetime.fromtimestamp(newest.stat().st_mtime, dt.UTC)
        lines.append(
            f"Last backup: {newest.name}, {when:%Y-%m-%d %H:%M} UTC "
            f"({_age((now - when).total_seconds())}); {len(health.backups)} beside the database."
        )
    elif health.unreadable or health.integrity:  # no backup can be made: see the verdict
        lines.append("Last backup: none beside the database.")
    else:
        backup = command(health.path, "backup")
        lines.append(f"Last backup: none beside the database; make one with '{backup}'.")
    lines.append(_verdict(health))
    return lines


def _disk_lines(health: Health) -> list[str]:
    """The room left on the disk, and what was cleared away."""
    lines = []
    if health.disk_full:
        lines.append(
            f"Space: the disk is full ({size_words(health.free_bytes or 0)} free); nothing "
            "can be saved until some space is freed."
        )
    elif health.free_bytes is not None:
        lines.append(f"Space: {size_words(health.free_bytes)} free on its disk.")
    if health.removed:
        names = ", ".join(path.name for path in health.removed)
        lines.append(
            f"Leftovers: removed {len(health.removed)} unfinished copy file"
            f"{'s' if len(health.removed) > 1 else ''} of a backup that was stopped ({names})."
        )
    return lines


def _newest_backup(health: Health) -> Path:
    """The backup to go back to: the newest one made as a backup (``planner backup``, the
    copy before an upgrade), not the copy a restore kept of what it replaced, which would
    undo that restore; that copy only when there is no other."""
    made = [b for b in health.backups if ".before-restore-" not in b.name]
    return (made or health.backups)[0]


def _verdict(health: Health) -> str:
    """Healthy, or what to do: free space for a full disk, mend a failing disk, and restore
    a backup only for damage (a backup lacks whatever was saved after it). The database is
    never changed by the doctor (unfinished copies beside it are removed, and said so)."""
    unchanged = "nothing in the database was changed"
    if health.healthy:
        return "Verdict: healthy."
    if health.unknown and not (health.damaged or health.disk_fault or health.disk_full):
        return f"Verdict: healthy, but for a newer planner; {unchanged}."
    doctor = command(health.path, "doctor")
    if health.disk_full and not health.damaged:
        return (
            f"Verdict: the disk is full; {unchanged}. Free some space, then run "
            f"'{doctor}' again. Do not restore a backup: nothing is known to be wrong "
            "with the file, and a backup lacks what was saved after it."
        )
    if health.disk_fault:
        return (
            f"Verdict: needs attention; {unchanged}. The disk could not be read: check it, "
            f"then run '{doctor}' again before restoring anything."
        )
    if health.backups:
        restore = command(health.path, "restore", _newest_backup(health))
        return (
            f"Verdict: needs attention; {unchanged}. To recover, run '{restore}' "
            "(the damaged file is kept beside it)."
        )
    restore = command(health.path, "restore", "BACKUP")
    verdict = (
        f"Verdict: needs attention; {unchanged}. To recover, run '{restore}' with "
        "your newest copy of the file"
    )
    if health.damaged_pages:  # no checked backup can be made of it (see planner backup)
        as_is = command(health.path, "backup", "--as-is")
        verdict += (
            "; without one, the planner cannot mend the file: keep it as it is, unchecked, "
            f"for someone who knows SQLite to rescue what it holds, with '{as_is}'"
        )
    return verdict + "."
