"""``planner doctor`` and ``planner backup`` in plain words: what the health check found, and
where a backup goes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from planner.store import Health


def default_backup_path(database: Path, now: dt.datetime | None = None) -> Path:
    """Beside the database, named for the time: ``planner.db.backup-20271103T091500Z.bak``
    (the doctor lists these as the database's backups)."""
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    return database.with_name(f"{database.name}.backup-{stamp}.bak")


def size_words(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


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
    lines = [f"Database: {health.path.resolve()} ({size_words(health.size_bytes)})"]
    if health.unreadable:
        lines.append(f"Checks: the file cannot be checked: {health.unreadable.rstrip('.')}.")
    else:
        if health.integrity:
            shown = "; ".join(health.integrity[:3])
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
                f"Schema: {applied} changes applied, {len(health.pending)} to come; the planner "
                "makes a backup beside the file and upgrades it when it next opens it."
            )
        else:
            lines.append(f"Schema: up to date ({applied} changes applied).")
        campaigns = health.campaigns - health.archived
        lines.append(
            f"Campaigns: {campaigns}"
            + (f", and {health.archived} archived" if health.archived else "")
            + "."
        )
    if health.backups:
        newest = health.backups[0]
        when = dt.datetime.fromtimestamp(newest.stat().st_mtime, dt.UTC)
        lines.append(
            f"Last backup: {newest.name}, {when:%Y-%m-%d %H:%M} UTC "
            f"({_age((now - when).total_seconds())}); {len(health.backups)} beside the database."
        )
    else:
        lines.append("Last backup: none beside the database; make one with 'planner backup'.")
    if health.healthy:
        lines.append("Verdict: healthy.")
    elif health.unknown and not (health.unreadable or health.integrity or health.broken_links):
        lines.append("Verdict: healthy, but for a newer planner; nothing was changed.")
    else:
        restore = (
            f"copy {health.backups[0].name} over {health.path.name} while the planner is "
            "closed (keep the damaged file aside)"
            if health.backups
            else "restore your newest copy of the file while the planner is closed"
        )
        lines.append(f"Verdict: needs attention; nothing was changed. To recover, {restore}.")
    return lines
