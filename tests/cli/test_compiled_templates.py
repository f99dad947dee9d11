"""Brief templates compiled once: a ``planner brief`` keeps the compiled templates in the user's
cache folder and the next one reads them back instead of compiling again (a tenth of a second
of every brief). A template changed since is compiled anew; a damaged or unwritable cache
changes nothing a user sees."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def planner(db: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A planner command in a fresh process, with ``cache`` as the user's cache folder."""
    done = subprocess.run(
        [sys.executable, "-m", "planner", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "XDG_CACHE_HOME": str(cache)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def kept(cache: Path) -> dict[Path, int]:
    """The compiled templates kept, with the time each was written."""
    folder = cache / "healthcare-campaign-planner" / "templates"
    return {path: path.stat().st_mtime_ns for path in sorted(folder.glob("*.jinja"))}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "planner.db"
    planner(path, tmp_path / "cache", "new", "Flu 2027", "--from", "flu-vaccination")
    return path


def brief(db: Path, cache: Path, out: Path, *more: str) -> bytes:
    planner(db, cache, "brief", "1", "--format", "html", "-o", str(out), "--force", *more)
    return out.read_bytes()


def test_the_next_brief_reads_the_compiled_templates_back(db, tmp_path):
    cache = tmp_path / "cache"
    first = brief(db, cache, tmp_path / "a.html")
    written = kept(cache)
    assert len(written) >= 3  # the brief, its sections and the HTML building blocks
    second = brief(db, cache, tmp_path / "b.html")
    assert second == first
    assert kept(cache) == written  # read back, not compiled and written again


def test_a_template_changed_since_is_compiled_anew(db, tmp_path):
    cache, mine = tmp_path / "cache", tmp_path / "mine"
    planner(db, cache, "templates", str(mine))
    body = mine / "body.j2"
    standard = body.read_text(encoding="utf-8")
    body.write_text(standard.replace("Prepared by", "Written for the board by"), "utf-8")
    first = brief(db, cache, tmp_path / "a.html", "--template-dir", str(mine))
    assert b"Written for the board by" in first
    body.write_text(standard.replace("Prepared by", "Written for the partners by"), "utf-8")
    second = brief(db, cache, tmp_path / "b.html", "--template-dir", str(mine))
    assert b"Written for the partners by" in second and b"for the board" not in second


@pytest.mark.long
def test_a_damaged_or_unwritable_cache_changes_nothing(db, tmp_path):
    cache = tmp_path / "cache"
    expected = brief(db, cache, tmp_path / "a.html")
    for path in kept(cache):
        path.write_bytes(b"not compiled code")  # a disk that garbled them
    assert brief(db, cache, tmp_path / "b.html") == expected
    assert all(path.read_bytes() != b"not compiled code" for path in kept(cache))
    unwritable = tmp_path / "a-file"
    unwritable.write_text("the cache folder's place is taken by a file")
    done = planner(db, unwritable, "brief", "1", "--format", "html", "-o", str(tmp_path / "c.html"))
    assert (tmp_path / "c.html").read_bytes() == expected
    assert done.stderr.startswith("Wrote the HTML brief") and done.stderr.count("\n") == 1
