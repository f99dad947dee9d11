"""The rules' openings kept between processes, in the user's cache folder.

Working out the openings of every rule (``Rule.openings``: the literal pieces that tell when a
rule's pattern cannot match) reads thousands of lexicon terms, which takes a few hundredths
of a second in every ``brief`` and ``lint``. They depend only on the rules, the lexicons and
the code that reads them (``lexicons.py``, and ``reading.py`` for a phrase's accents), so they
are kept in a file named by a hash of all three: a process with the same packs reads them
back; another pack, another lexicon term or another planner works them out anew. The file is
only a cache: one that cannot be read or written changes nothing but the time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from planner.compliance import lexicons as phrase_code
from planner.compliance import reading as text_code
from planner.compliance.lexicons import Lexicons, Opening
from planner.compliance.rules import Rule, RuleSet
from planner.domain.resources import cache_dir, keep_in_cache

_KINDS = ("openings", "near_openings", "also_openings")  # the Rule properties kept
_CODE = (phrase_code, text_code)  # the modules whose code works the openings out
_FOLDER = "compliance"


def _digest(rules: Iterable[Rule], lexicons: Lexicons) -> str:
    parts: list[Any] = [Path(str(m.__file__)).read_text(encoding="utf-8") for m in _CODE]
    parts += [(name, lexicons[name].every()) for name in sorted(lexicons)]
    parts += [(rule.id, rule.words, rule.near, rule.also) for rule in rules]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:24]


def _as_json(found: tuple[Opening, ...] | None) -> list[list[Any]] | None:
    return None if found is None else [list(o) for o in found]


def _from_json(found: list[list[Any]] | None) -> tuple[Opening, ...] | None:
    return None if found is None else tuple(Opening(t, bool(s), bool(e)) for t, s, e in found)


def read_openings(ruleset: RuleSet) -> None:
    """Give every rule of the set its openings (see ``Rule.cannot_match``), once, before its
    first review: read back from the kept file if there is one for these rules and lexicons,
    else worked out now (a tenth of a second) and kept."""
    if "_openings_read" not in ruleset.__dict__:
        _read(ruleset.rules, ruleset.lexicons)
        ruleset.__dict__["_openings_read"] = True


def _read(rules: tuple[Rule, ...], lexicons: Lexicons) -> None:
    try:
        folder: Path | None = cache_dir() / _FOLDER
        path: Path | None = folder / f"openings-{_digest(rules, lexicons)}.json"
    except Exception:  # no home folder to find a cache folder in
        folder = path = None
    kept: dict[str, Any] = {}
    if path is not None:
        with contextlib.suppress(OSError, ValueError):
            kept = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(kept, dict) and all(rule.id in kept for rule in rules):
        try:  # every rule's read first: a damaged file gives none of them anything
            read = [{kind: _from_json(kept[rule.id][kind]) for kind in _KINDS} for rule in rules]
        except (KeyError, TypeError, ValueError):
            read = []  # worked out anew and written over
        if read:
            for rule, found in zip(rules, read, strict=True):
                rule.__dict__.update(found)
            return
    made = {rule.id: {kind: _as_json(getattr(rule, kind)) for kind in _KINDS} for rule in rules}
    if folder is not None and path is not None:
        _keep(folder, path, json.dumps(made, ensure_ascii=False))


def _keep(folder: Path, path: Path, text: str) -> None:
    """Keep the file, and remove those of other rules and lexicons."""
    if keep_in_cache(path, text.encode("utf-8")):
        for old in folder.glob("openings-*.json"):
            if old != path:
                with contextlib.suppress(OSError):
                    old.unlink()
