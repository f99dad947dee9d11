"""Lexicons: terms of one kind (conditions, medicine names, incentives...) in several languages,
and how a rule's phrases become one regular expression.

A rule names a lexicon as ``@name`` among its phrases; ``Lexicons.expand`` writes every term
of it in, gathered by first letter so that a lexicon of hundreds of terms scans quickly.
The lexicons are read from ``data/lexicons/`` and from rule packs by ``packs``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LEXICON_REF = re.compile(r"@([a-z][a-z0-9_-]*)")
LANGUAGES = ("en", "it", "es")  # the languages the shipped lexicons cover


def as_regex(phrase: str) -> str:
    """A phrase as a regular expression: any spacing between words; " ?" makes a space
    optional."""
    return re.sub(r" +", r"\\s+", re.sub(r" \?", r"\\s*", phrase.strip()))


@dataclass(frozen=True)
class Lexicon:
    """Terms of one kind (conditions, medicine names, incentives...) in several languages,
    kept as data in ``data/lexicons/`` so that every rule that needs them reads the same list;
    a user's own pack can add terms to it."""

    id: str
    title: str
    version: int
    terms: dict[str, tuple[str, ...]]  # language -> phrases
    files: tuple[str, ...] = ()

    def every(self) -> tuple[str, ...]:
        return tuple(t for terms in self.terms.values() for t in terms)


class Lexicons(dict[str, Lexicon]):
    """Every lexicon read, by id; expands ``@name`` in a rule's phrases."""

    def expand(self, phrase: str, seen: tuple[str, ...] = ()) -> str:
        def one(m: re.Match[str]) -> str:
            name = m.group(1)
            if name in seen:
                raise ValueError(f"the lexicon @{name} refers to itself")
            lexicon = self.get(name)
            if lexicon is None:
                known = ", ".join(f"@{k}" for k in sorted(self)) or "none"
                raise ValueError(f"it uses the lexicon @{name}, which is not defined ({known})")
            terms = sorted(set(lexicon.every()), key=lambda t: (-len(t), t))
            parts = [self.expand(as_regex(t), (*seen, name)) for t in terms]
            return _alternation(parts)

        return LEXICON_REF.sub(one, phrase)


_SIMPLE_GROUP = re.compile(r"^\(([^()\[\]\\?*+{}]+)\)(?![?*+{])")


def _top_level_bar(pattern: str) -> bool:
    depth, escaped, in_class = 0, False, False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
    return False


def _alternation(parts: list[str]) -> str:
    """Alternatives as one group, gathered by their first letter behind a lookahead: the
    matcher then tries at each place in a text only the terms that can start there, which
    makes a lexicon of hundreds of terms several times faster to scan (the same matches)."""
    by_letter: dict[str, list[str]] = {}
    other: list[str] = []
    for part in parts:
        m = _SIMPLE_GROUP.match(part)  # "(the|our) best" is "the best" or "our best"
        alternatives = [a + part[m.end() :] for a in m.group(1).split("|")] if m else [part]
        for alt in alternatives:
            first = alt[:1]
            if first.isalpha() and alt[1:2] not in ("?", "*", "{") and not _top_level_bar(alt):
                by_letter.setdefault(first.casefold(), []).append(alt)
            else:
                other.append(alt)
    groups = [
        f"(?={re.escape(letter)})(?:{'|'.join(alts)})" for letter, alts in sorted(by_letter.items())
    ]
    return "(?:" + "|".join(groups + other) + ")"


def compile_phrases(
    phrases: tuple[str, ...], lexicons: Lexicons | None = None
) -> re.Pattern[str] | None:
    """One regular expression for a list of phrases: whole words, any case, any spacing;
    ``@name`` stands for every term of that lexicon."""
    if not phrases:
        return None
    parts = [as_regex(phrase) for phrase in phrases]
    if lexicons is not None:
        parts = [lexicons.expand(part) for part in parts]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)
