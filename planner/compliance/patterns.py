"""The rules' regular expressions kept compiled between processes, in the user's cache folder.

A rule's pattern holds its lexicons' terms (a list of conditions written into a claim several
times over), and Python's regular expression compiler, written in Python, takes a tenth of a
second or more for the few large ones a small campaign's texts call for: time paid again by
every ``brief`` and ``lint``. What it makes of a pattern is a list of numbers for the matcher,
which depends only on the pattern, its flags and the Python that made it. That list is kept in
a file named by a hash of all three, and a later process hands it straight to the matcher.

The matcher checks any list it is given before it uses it (a damaged one is refused, never
run), and the file is only a cache: one that cannot be read, written or used changes nothing
but the time, and the pattern is then compiled as usual. This reads two functions of Python's
``re`` package that are not part of its documented interface; a Python that lacks them (or
changes what they give) compiles every pattern as usual and keeps nothing.
"""

from __future__ import annotations

import array
import contextlib
import functools
import hashlib
import json
import re
import sys
from pathlib import Path

from planner.domain.resources import cache_dir, keep_in_cache

_FOLDER = "compliance"
_PREFIX = "pattern-"
_KEPT_AT_MOST = 400  # files: the shipped rules make about 70, a user's packs some more

try:  # the engine's own version: a list made by another engine is never handed to this one
    import _sre
    from re import _compiler, _parser

    _ENGINE: str | None = f"{_sre.MAGIC}-{_sre.CODESIZE}-{re.__name__}"
    _CODE_TYPE = next(t for t in "IL" if array.array(t).itemsize == _sre.CODESIZE)
except Exception:  # pragma: no cover - another Python
    _ENGINE = None


@functools.lru_cache(maxsize=512)
def compile_kept(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, read back from the cache folder when a planner compiled
    the same pattern before (a bad pattern raises ``re.error`` as ``re.compile`` does). Kept
    in memory too, as ``re.compile`` keeps what it compiled: rules read again in the same
    process (another pack folder, the packs changed on disk) share their unchanged patterns."""
    if _ENGINE is None:
        return re.compile(pattern, flags)
    path = _path(pattern, flags)
    if path is not None:
        kept = _read(path, pattern)
        if kept is not None:
            return kept
    try:
        made, data = _compile(pattern, flags)
    except re.error:  # a bad pattern is refused as re.compile refuses it
        raise
    except Exception:  # the re package is not what this module knows: compile as usual
        return re.compile(pattern, flags)
    if path is not None and keep_in_cache(path, data):
        _tidy(path.parent)
    return made


def _path(pattern: str, flags: int) -> Path | None:
    key = f"{sys.version}\0{_ENGINE}\0{flags}\0{pattern}"
    name = _PREFIX + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    try:
        return cache_dir() / _FOLDER / name
    except Exception:  # no home folder to find a cache folder in
        return None


def _compile(pattern: str, flags: int) -> tuple[re.Pattern[str], bytes]:
    """What ``re.compile`` does (``re._compiler.compile``), keeping the list it makes."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groups = parsed.state.groups
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    all_flags = flags | parsed.state.flags
    made = _sre.compile(pattern, all_flags, code, groups - 1, groupindex, tuple(indexgroup))
    head = json.dumps(
        {"flags": all_flags, "groups": groups, "groupindex": groupindex, "index": indexgroup}
    ).encode("utf-8")
    data = len(head).to_bytes(4, "little") + head + array.array(_CODE_TYPE, code).tobytes()
    return made, data


def _read(path: Path, pattern: str) -> re.Pattern[str] | None:
    """The pattern from its kept file; None if there is none or it cannot be used."""
    with contextlib.suppress(Exception):  # missing, damaged or refused by the matcher
        data = path.read_bytes()
        size = int.from_bytes(data[:4], "little")
        head = json.loads(data[4 : 4 + size].decode("utf-8"))
        code = array.array(_CODE_TYPE)
        code.frombytes(data[4 + size :])
        groupindex = {str(k): int(v) for k, v in head["groupindex"].items()}
        index = tuple(None if n is None else str(n) for n in head["index"])
        groups = int(head["groups"])
        if len(index) != groups:
            return None
        flags = int(head["flags"])
        return _sre.compile(pattern, flags, code.tolist(), groups - 1, groupindex, index)
    return None


def _tidy(folder: Path) -> None:
    """Remove the oldest kept patterns past ``_KEPT_AT_MOST`` (those of rules and lexicons
    since changed, or of another Python)."""
    with contextlib.suppress(OSError):
        kept = [p for p in folder.iterdir() if p.name.startswith(_PREFIX)]
        if len(kept) <= _KEPT_AT_MOST:
            return
        kept.sort(key=lambda p: p.stat().st_mtime)
        for old in kept[: len(kept) - _KEPT_AT_MOST]:
            with contextlib.suppress(OSError):
                old.unlink()
