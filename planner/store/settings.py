"""The settings, the history of exported briefs (an export is recorded as under way before
its file is written and settled after), and the stored counts of texts' reading grades.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from planner.domain.errors import DatabaseError
from planner.domain.later import Later
from planner.store.base import StoreBase
from planner.store.connection import _guarded

if TYPE_CHECKING:
    from planner.domain import models
    from planner.domain.models import BriefRender
else:
    # The models need pydantic; the planner starts without loading them, nor JSON.
    models = Later("planner.domain.models")


class SettingsMixin(StoreBase):
    """Settings, the history of exported briefs and the stored reading counts."""

    @_guarded
    def text_readings(self, hashes: list[str]) -> dict[str, tuple[int, int, int]]:
        """The stored reading counts (words, sentences, syllables) of the texts with these
        hashes, by hash; a hash with none stored is left out."""
        found: dict[str, tuple[int, int, int]] = {}
        with self._read():
            for start in range(0, len(hashes), 500):
                chunk = hashes[start : start + 500]
                rows = self.conn.execute(
                    "SELECT hash, words, sentences, syllables FROM text_readings "
                    f"WHERE hash IN ({','.join('?' * len(chunk))})",
                    chunk,
                )
                found.update((h, (w, s, y)) for h, w, s, y in rows)
        return found

    @_guarded
    def keep_text_readings(self, counts: dict[str, tuple[int, int, int]]) -> None:
        """Store reading counts by their text's hash, in one transaction (a hash already
        stored keeps its counts: the same hash, the same text, the same counts)."""
        if not counts:
            return
        with self._write():
            self.conn.executemany(
                "INSERT OR IGNORE INTO text_readings (hash, words, sentences, syllables) "
                "VALUES (?, ?, ?, ?)",
                [(h, *c) for h, c in counts.items()],
            )

    @_guarded
    def begin_render(self, render: BriefRender) -> int:
        """Record an exported brief as under way, before its file is put in place (see
        ``finish_render``): a process killed in between leaves a record that
        ``list_renders`` settles. Takes the write lock, so a busy database refuses the export
        before anything is written. History is not part of the plan: no version bump. Returns
        the record's id."""
        with self._write():
            return self._insert_render(render, pending=True)

    @_guarded
    def finish_render(
        self,
        render_id: int,
        render: BriefRender,
        *,
        place: Callable[[], None] = lambda: None,
        undo: Callable[[], None] = lambda: None,
    ) -> int:
        """Complete an export begun with ``begin_render``, in one transaction that holds the
        write lock while ``place()`` puts the brief where it goes: the record and the file go
        together. If the transaction fails, ``undo()`` takes the file back before the lock is
        let go. Returns the record's id: a new one if a reader settled the record away while
        the file was not yet there."""
        with self._write(undo=undo):
            done = self.conn.execute(
                "UPDATE brief_renders SET pending = 0 WHERE id = ? AND pending = 1", [render_id]
            )
            if done.rowcount == 0:
                render_id = self._insert_render(render, pending=False)
            place()
        return render_id

    @_guarded
    def drop_render(self, render_id: int) -> None:
        """Forget an export that was begun but not done."""
        with self._write():
            self.conn.execute("DELETE FROM brief_renders WHERE id = ? AND pending = 1", [render_id])

    def _insert_render(self, render: BriefRender, *, pending: bool) -> int:
        render = models.BriefRender.model_validate(render.model_dump())
        row = render.model_dump(mode="json", exclude={"id"})
        row["pending"] = int(pending)
        self._version(render.campaign_id)
        cur = self.conn.execute(
            f"INSERT INTO brief_renders ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
            list(row.values()),
        )
        return cur.lastrowid

    @_guarded
    def list_renders(
        self, campaign_id: int, *, settle: Callable[[BriefRender], bool] | None = None
    ) -> list[BriefRender]:
        """The campaign's exported briefs, newest first. An export still recorded as under
        way (its process was killed, or is still at work) is left out, unless ``settle`` says
        it was done (its file is in place): then it is kept, and the answer saved when the
        database can be written."""
        self._version(campaign_id)
        renders = self._renders(campaign_id)
        pending = [r for r, under_way in renders if under_way]
        if pending and settle is not None and not self.read_only:
            try:
                self._settle_renders(campaign_id, settle)
            except (sqlite3.Error, DatabaseError):
                pass  # busy, or read-only after all: settled below for this answer only
            else:
                renders = self._renders(campaign_id)
                pending = []
        done = {r.id for r in pending if settle is not None and settle(r)}
        return [r for r, under_way in renders if not under_way or r.id in done]

    def _settle_renders(self, campaign_id: int, settle: Callable[[BriefRender], bool]) -> None:
        """Decide each export under way, holding the write lock: an export in progress
        elsewhere cannot move on in between."""
        with self._write():
            for render, under_way in self._renders(campaign_id):
                if not under_way:
                    continue
                self.conn.execute(
                    "UPDATE brief_renders SET pending = 0 WHERE id = ? AND pending = 1"
                    if settle(render)
                    else "DELETE FROM brief_renders WHERE id = ? AND pending = 1",
                    [render.id],
                )

    def _renders(self, campaign_id: int) -> list[tuple[BriefRender, bool]]:
        """The campaign's export records, newest first, each with whether it is under way."""
        found = []
        for row in self._query(
            "SELECT * FROM brief_renders WHERE campaign_id = ? ORDER BY rendered_at DESC, id DESC",
            [campaign_id],
        ):
            under_way = bool(row.pop("pending"))
            found.append((models.BriefRender.model_validate(row), under_way))
        return found

    @_guarded
    def get_setting(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return None if row is None else row[0]

    @_guarded
    def set_setting(self, key: str, value: str | None) -> None:
        """Save a setting; ``None`` removes it."""
        with self._write():
            if value is None:
                self.conn.execute("DELETE FROM settings WHERE key = ?", [key])
            else:
                self.conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [key, value],
                )
