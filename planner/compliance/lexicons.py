"""Lexicons: terms of one kind (conditions, medicine names, incentives...) in several languages,
and how a rule's phrases become one regular expression.

A rule names a lexicon as ``@name`` among its phrases; ``Lexicons.expand`` writes every term
of it in, gathered by the characters its terms can start with, so that a lexicon of hundreds
of terms scans quickly. How a text is read before it is matched is ``reading``.
The lexicons are read from ``data/lexicons/`` and from rule packs by ``packs``.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from planner.compliance.patterns import compile_kept
from planner.compliance.reading import unaccented

LEXICON_REF = re.compile(r"@([a-z][a-z0-9_-]*)")
LANGUAGES = ("en", "it", "es")  # the languages the shipped lexicons cover


_SPACING = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]| \?| +")  # escape, class, " ?", spaces


def as_regex(phrase: str) -> str:
    """A phrase as a regular expression: any spacing between words; " ?" makes a space
    optional; in a class such as ``[- ]`` a space is any one space character."""

    def spacing(m: re.Match[str]) -> str:
        found = m.group()
        if found.startswith("\\"):
            return found
        if found.startswith("["):
            return found.replace(" ", "\\s")
        return "\\s*" if found == " ?" else "\\s+"

    return _SPACING.sub(spacing, unaccented(phrase.strip()))


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

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # (phrase, lexicons it is inside) -> its openings, as read (see ``openings``)
        self.openings_read: dict[tuple[str, tuple[str, ...]], Found] = {}
        # (lexicon, lexicons it is inside) -> its terms as one regular expression
        self.expanded: dict[tuple[str, tuple[str, ...]], str] = {}

    def expand(self, phrase: str, seen: tuple[str, ...] = ()) -> str:
        def one(m: re.Match[str]) -> str:
            name = m.group(1)
            if name in seen:
                raise ValueError(f"the lexicon @{name} refers to itself")
            lexicon = self.get(name)
            if lexicon is None:
                known = ", ".join(f"@{k}" for k in sorted(self)) or "none"
                raise ValueError(f"it uses the lexicon @{name}, which is not defined ({known})")
            key = (name, seen)
            if key not in self.expanded:  # a lexicon is written the same wherever it is used
                terms = sorted(set(lexicon.every()), key=lambda t: (-len(t), t))
                parts = [self.expand(as_regex(t), (*seen, name)) for t in terms]
                self.expanded[key] = _alternation(parts)
            return self.expanded[key]

        return LEXICON_REF.sub(one, phrase)


_SIMPLE_GROUP = re.compile(r"^\(([^()\[\]\\?*+{}]+)\)(?![?*+{])")


def _top_level_bar(pattern: str) -> bool:
    return "|" in pattern and len(_split_bars(pattern)) > 1


def _alternation(parts: list[str]) -> str:
    """Alternatives as one group, gathered by the characters they can start with, each
    gathering behind a lookahead: the matcher then tries at each place in a text only the
    alternatives that can start there, which makes a lexicon of hundreds of terms many times
    faster to scan. Each gathering keeps the alternatives' order; those whose start cannot be
    told (``\\w+ectomy``, a match that may be empty) come after the gatherings. (Where two
    alternatives of different gatherings match at one place, which is taken may differ from a
    plain alternation's: the same rule is found, perhaps quoted longer or shorter.)"""
    alternatives: list[str] = []
    for part in parts:
        m = _SIMPLE_GROUP.match(part)  # "(the|our) best" is "the best" or "our best"
        alternatives += [a + part[m.end() :] for a in m.group(1).split("|")] if m else [part]
    gathered: dict[frozenset[str], list[str]] = {}
    unknown: list[str] = []
    for alt in alternatives:
        found = _firsts(alt)
        if found is None:
            unknown.append(alt)
        else:
            gathered.setdefault(found, []).append(alt)
    if not gathered:
        return "(?:" + "|".join(alternatives) + ")"
    groups = [
        f"{_ahead(found)}(?:{'|'.join(these)})"
        for found, these in sorted(gathered.items(), key=lambda item: sorted(item[0]))
    ]
    if unknown:
        return "(?:" + "|".join(groups + unknown) + ")"
    # every alternative's start told: the whole group behind a lookahead of them all, which
    # passes over a place none can start at in one step, and tells a larger pattern that
    # starts with this group what it can start with without reading it through
    return _ahead(frozenset().union(*gathered)) + "(?:" + "|".join(groups) + ")"


def _ahead(keys: frozenset[str]) -> str:
    return f"(?={next(iter(keys))})" if len(keys) == 1 else "(?=[" + "".join(sorted(keys)) + "])"


# A key is a lower-case letter (the patterns are compiled to ignore case), \d for any digit,
# or another sign, escaped: what a lookahead asks of the character a match starts with.
_KEYED = re.compile(r"\(\?=(\\d|\\.|[^\\()|?*+{}\[\].^$]|\[[^\]]+\])\)\(\?:")


@functools.lru_cache(maxsize=4096)
def _firsts(pattern: str) -> frozenset[str] | None:
    """The keys of the characters a match of ``pattern`` can start with; None where that
    cannot be told (a match may be empty, or start with a character of a wide class)."""
    keyed = _KEYED.match(pattern)
    if keyed is not None:  # a gathering of ``_alternation``, as written into a larger pattern
        key = keyed.group(1)
        return _class_keys(key[1:-1]) if key.startswith("[") else frozenset({key})
    i = 0
    while pattern.startswith(("(?<!", "(?<=", "(?=", "(?!"), i) or pattern.startswith("\\b", i):
        if pattern[i] == "\\":
            i += 2
            continue
        close = _closing(pattern, i)
        if close < 0:
            return None
        i = close + 1
    if i >= len(pattern):
        return None
    ch = pattern[i]
    if ch == "(":
        close = _closing(pattern, i)
        if close < 0:
            return None
        inner, rest = pattern[i + 1 : close], pattern[close + 1 :]
        if inner.startswith("?:"):
            inner = inner[2:]
        elif inner.startswith("?"):
            return None  # flags or a named group
        if rest[:1] not in ("?", "*", "+", "{") and all(
            _zero_width(branch) for branch in _split_bars(inner)
        ):  # "(?:^|(?<=[.!?]\s))": where a sentence starts, not what it starts with
            return _firsts(rest)
        found: set[str] = set()
        for branch in _split_bars(inner):
            one = _firsts(branch)
            if one is None:
                return None
            found |= one
        return _then(frozenset(found), rest)
    if ch == "[":
        close = pattern.find("]", i + 2)
        if close < 0:
            return None
        keys = _class_keys(pattern[i + 1 : close])
        return None if keys is None else _then(keys, pattern[close + 1 :])
    if ch == "\\":
        code = pattern[i + 1 : i + 2]
        if code == "d":
            key = "\\d"
        elif code and not is_word(code) and not code.isspace():
            key = re.escape(code)
        else:
            return None
        return _then(frozenset({key}), pattern[i + 2 :])
    key = _key(ch)
    if key is None or ch in _META:
        return None
    return _then(frozenset({key}), pattern[i + 1 :])


def _zero_width(pattern: str) -> bool:
    """Whether ``pattern`` only asserts where it is (``^``, ``\\b``, lookarounds), matching no
    character."""
    i = 0
    while i < len(pattern):
        if pattern[i] == "^":
            i += 1
        elif pattern.startswith("\\b", i):
            i += 2
        elif pattern.startswith(("(?<!", "(?<=", "(?=", "(?!"), i):
            close = _closing(pattern, i)
            if close < 0:
                return False
            i = close + 1
        else:
            return False
    return bool(pattern)


def _then(found: frozenset[str], rest: str) -> frozenset[str] | None:
    """The keys of a first atom that ``rest`` (its quantifier and what follows) comes after."""
    if rest[:1] in ("?", "*", "{"):  # perhaps not there: the match may start after it
        after = _firsts(_after_quantifier(rest))
        return None if after is None else found | after
    return found


def _key(ch: str) -> str | None:
    if ch.isdigit() and ch.isascii():
        return "\\d"
    if ch.isalpha():
        lower = ch.lower()
        # (a letter whose lower case is two, İ, or is folded otherwise, ß, cannot be a key:
        # the lookahead would ask for what the text does not hold)
        return lower if len(lower) == 1 and lower == ch.casefold() else None
    if ch.isspace() or ch.isdigit() or ch == "_":
        return None
    return re.escape(ch)


def _class_keys(chars: str) -> frozenset[str] | None:
    """The keys of a character class such as ``[$£€]`` or ``[’']``; None for a negation, a
    range or a wide escape."""
    if chars.startswith("^"):
        return None
    keys, i = set(), 0
    while i < len(chars):
        ch = chars[i]
        if ch == "\\":
            code = chars[i + 1 : i + 2]
            if code == "d":
                keys.add("\\d")
            elif code and not is_word(code) and not code.isspace():
                keys.add(re.escape(code))
            else:
                return None
            i += 2
            continue
        if ch == "-" and 0 < i < len(chars) - 1:
            return None  # a range such as a-z
        key = _key(ch)
        if key is None:
            return None
        keys.add(key)
        i += 1
    return frozenset(keys) or None


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
    return compile_kept(r"(?<!\w)" + _alternation(parts) + r"(?!\w)", re.IGNORECASE)


# Openings: what every match of a phrase holds -----------------------------------------------
#
# A rule's pattern can be large (a lexicon of conditions written into it several times), and
# compiling it takes time in every process, while most texts hold none of its words. The
# literal pieces of its phrases (one of which every match holds: "heal" of "heals? (your
# )?@conditions"), looked for in a text first, tell when the pattern cannot match there at
# all, and its compiling is saved. An opening is only ever a necessary condition: where a
# phrase's pieces cannot be told (it starts with a character class, ``\w``...), its rule is
# compiled and run as before.


class Opening(NamedTuple):
    """A literal piece of every match of a phrase, folded (see ``fold``); ``starts``: it
    starts where the match does (at the start of a word), ``ends``: it ends the match (at the
    end of a word)."""

    text: str
    starts: bool = True
    ends: bool = False

    def within(self, folded: str) -> bool:
        """Whether a folded text holds it, at the start or end of a word as it must be."""
        size, at = len(self.text), folded.find(self.text)
        while at >= 0:
            if not (self.starts and at > 0 and is_word(folded[at - 1])) and not (
                self.ends and at + size < len(folded) and is_word(folded[at + size])
            ):
                return True
            at = folded.find(self.text, at + 1)
        return False

    def implied_by(self, other: Opening) -> bool:
        """Whether a text that holds ``other`` holds this one too."""
        if self.ends or self.text not in other.text:
            return False
        return not self.starts or (other.starts and other.text.startswith(self.text))


def is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what re's \w is


_META = set("\\()[]{}?*+|.^$")
_QUANTIFIERS = "?*{"
_MOST_OPENINGS = 2000  # a phrase with more ways to be matched than this is simply compiled
_LONG_ENOUGH = 6  # an opening this long is rare enough in a text: read no further
# Characters an opening may hold. In a text they are found by ``fold``; re's IGNORECASE
# matches each only with characters that ``fold`` turns into it (a test tries every
# character Unicode has). Any other character ends an opening there.
_SAFE = frozenset(
    "abcdefghijklmnopqrstuvwxyz0 !\"#$%&'+,-./:;<=>@_`~’£€⭐"
    + "".join(chr(c) for c in range(0xDF, 0x100) if c != 0xF7)
)
_FOLDS = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})
_SPACES = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")
# Zero-width signs, and a character of a kind as many times as may be, at a phrase's start:
# what follows is in every match all the same (if no longer at its start).
_SKIPPABLE = re.compile(r"(?:\^|\\[bA]|(?:\\[wWsSD]|\.)(?:[?*+]|\{\d*,?\d*\})?\??)*")


def fold(text: str) -> str:
    """A text as openings are looked for in it: lower case, any spacing as one space, any
    digit as 0, and ı, İ and ſ (which re matches with i and s) as i and s."""
    return _DIGIT.sub("0", _SPACES.sub(" ", text.translate(_FOLDS).lower()))


def _top_level(pattern: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, depth of parentheses) of each character of ``pattern`` from
    ``start`` that is neither escaped nor inside a character class; depth is counted before
    a "(" and after a ")"."""
    depth, escaped, in_class = 0, False, False
    for i in range(start, len(pattern)):
        ch = pattern[i]
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        else:
            if ch == ")":
                depth -= 1
            yield i, ch, depth
            if ch == "(":
                depth += 1


def _closing(pattern: str, start: int) -> int:
    """The index of the parenthesis that closes the group opened at ``start`` (-1: none)."""
    for i, ch, depth in _top_level(pattern, start):
        if ch == ")" and depth == 0:
            return i
    return -1


def _split_bars(pattern: str) -> list[str]:
    """A pattern cut at its top-level ``|``."""
    if "|" not in pattern:
        return [pattern]
    cuts = [i for i, ch, depth in _top_level(pattern) if ch == "|" and depth == 0]
    ends = [-1, *cuts, len(pattern)]
    return [pattern[a + 1 : b] for a, b in itertools.pairwise(ends)]


Found = frozenset[Opening] | None  # None: cannot be told


def _openings(phrase: str, lexicons: Lexicons, seen: tuple[str, ...]) -> Found:
    """The openings of ``phrase`` (one of them in every match of it)."""
    key = (phrase, seen)
    memo = lexicons.openings_read
    if key not in memo:  # a lexicon's terms are read once for all the rules that use them
        phrase = as_regex(phrase)  # as it is compiled: a space is any spacing
        bars = _split_bars(phrase)
        if len(bars) > 1:
            memo[key] = _union([_openings(p, lexicons, seen) for p in bars])
        else:
            memo[key] = _read_on(phrase, "", True, True, lexicons, seen)
    return memo[key]


def _read_on(
    phrase: str, run: str, starts: bool, tail: bool, lexicons: Lexicons, seen: tuple[str, ...]
) -> Found:
    """The openings of ``phrase`` after the literal ``run`` read before it; ``starts``: the
    run starts where the match does, ``tail``: the phrase ends where the match does. Where
    the phrase branches, each branch is read on; where it cannot be told, ``run`` is the
    opening (it is in every match all the same)."""

    def done(ends: bool = False) -> Found:
        text = _SPACES.sub(" ", run)  # a space stands for any spacing, as in the text
        if not text.strip():
            return None
        return frozenset({Opening(text, starts and text[0] != " ", ends and text[-1] != " ")})

    def either(branches: list[str], whole: bool = True) -> Found:
        found = _union([_read_on(b, run, starts, tail and whole, lexicons, seen) for b in branches])
        return found if found is not None else done()

    i = 0
    if not run:
        skipped = _SKIPPABLE.match(phrase)
        i = skipped.end()
        starts = starts and not set(skipped.group()) & set("wWsSD.")  # took no characters
    while i < len(phrase):
        if len(run) >= _LONG_ENOUGH:
            return done()
        ch = phrase[i]
        lexicon = LEXICON_REF.match(phrase, i) if ch == "@" else None
        if lexicon is not None:
            name, rest = lexicon.group(1), phrase[lexicon.end() :]
            if run or name in seen or name not in lexicons:
                return done()
            if not lexicons[name].every():
                return done()  # an empty lexicon: its pattern matches nothing, anywhere
            terms = [_openings(t, lexicons, (*seen, name)) for t in lexicons[name].every()]
            found = _union([_placed(f, starts, tail and not rest) for f in terms])
            if rest and rest[0] in _QUANTIFIERS:  # an optional lexicon: the match may go on
                after = _read_on(_after_quantifier(rest), "", starts, tail, lexicons, seen)
                found = _union([found, after])
            return found
        if ch == "(":
            close = _closing(phrase, i)
            if close < 0:
                return done()
            inner, rest = phrase[i + 1 : close], phrase[close + 1 :]
            if inner.startswith(("?<!", "?<=", "?=", "?!")):  # looks around: takes no text
                i = close + 1
                continue
            if inner.startswith("?:"):
                inner = inner[2:]
            elif inner.startswith("?"):
                return done()  # flags or a named group
            alternatives = _split_bars(inner)
            times = _repeats(rest)
            if times is None:
                return done()
            least, most, after = times
            if most <= 1:  # once, or perhaps not at all: the rest follows it
                once = [a + after for a in alternatives] if most else []
                return either(once + ([after] if least == 0 else []))
            # Perhaps several times: only its first time is sure to follow the run.
            more = either(alternatives, whole=False)
            if least > 0:
                return more
            found = _union([more, _read_on(after, run, starts, tail, lexicons, seen)])
            return found if found is not None else done()
        if ch == "[":
            close = phrase.find("]", i + 2)
            atoms = _class_atoms(phrase[i + 1 : close]) if close > 0 else None
            if atoms is None:
                return done()
            # one of a few characters: the phrase with each of them there
            return either([atom + phrase[close + 1 :] for atom in atoms])
        if phrase.startswith(("\\s*", "\\s?"), i):  # perhaps spacing
            after = _after_quantifier(phrase[i + 2 :])
            return either(["\\s+" + after, after])
        if ch == "\\":
            atom, code = phrase[i : i + 2], phrase[i + 1 : i + 2]
            if code == "d":
                letter = "0"  # any digit: folded to 0, as in the text
            elif code == "s":
                letter = " "  # any spacing, however long: one space in the folded text
                atom = phrase[i : i + 3] if phrase[i + 2 : i + 3] == "+" else atom
            elif code and not is_word(code):
                letter = code  # an escaped sign is itself
            else:
                return done()
        elif ch in _META:
            return done()
        else:
            atom, letter = ch, _DIGIT.sub("0", ch.lower())
        if letter not in _SAFE:
            return done()
        after = phrase[i + len(atom) :]
        if after[:1] == "?":  # perhaps not there
            return either([atom + _after_quantifier(after), _after_quantifier(after)])
        if after[:1] in ("*", "{"):
            return done()
        i += len(atom)
        if after[:1] == "+":  # once or more: the last time, with what follows, is a piece
            if len(run) + 1 >= _LONG_ENOUGH // 2:
                run += letter
                return done()
            run, starts = "", False
            i += 2 if after[1:2] == "?" else 1
        run += letter
    return done(ends=tail)


def _class_atoms(chars: str) -> list[str] | None:
    """The characters of a class such as ``[’']`` or ``[-\\s+]``, each written as a phrase
    would; None for a range, a negation, or a class too wide to try each of."""
    atoms, i = [], 0
    while i < len(chars):
        ch = chars[i]
        if ch == "\\":
            code = chars[i + 1 : i + 2]
            if code not in ("s", "d") and (not code or is_word(code)):
                return None
            atoms.append("\\s+" if code == "s" else "\\" + code)
            i += 2
            continue
        if ch in "^[" or (ch == "-" and 0 < i < len(chars) - 1):
            return None  # a negation, or a range such as a-z
        atoms.append(re.escape(ch))
        i += 1
    return atoms if 0 < len(atoms) <= 8 else None


def _placed(found: Found, starts: bool, tail: bool) -> Found:
    """Openings of a part of a phrase, placed in it: they start its match only if the part
    does, and end it only if the part does."""
    if found is None:
        return None
    return frozenset(Opening(o.text, o.starts and starts, o.ends and tail) for o in found)


_QUANTIFIER = re.compile(r"(?:([?*+])|\{(\d*)(,?)(\d*)\})[?+]?")


def _repeats(rest: str) -> tuple[int, float, str] | None:
    """How many times what comes before ``rest`` is there (at least, at most), by the
    quantifier ``rest`` starts with (none: once), and what follows the quantifier; None for
    a quantifier that cannot be read."""
    m = _QUANTIFIER.match(rest)
    if m is None:
        return (1, 1, rest) if not rest.startswith("{") else None
    sign, low, comma, high = m.groups()
    after = rest[m.end() :]
    if sign:
        return {"?": (0, 1, after), "*": (0, math.inf, after), "+": (1, math.inf, after)}[sign]
    least = int(low) if low else 0
    most = (int(high) if high else math.inf) if comma else least
    return least, most, after


def _after_quantifier(rest: str) -> str:
    """What follows a quantifier (``?``, ``*``, ``{m,n}``, and a lazy ``?`` after it)."""
    if rest.startswith("{"):
        end = rest.find("}")
        rest = rest[end + 1 :] if end >= 0 else ""
    else:
        rest = rest[1:]
    return rest[1:] if rest.startswith("?") else rest


def _union(found: list[Found]) -> Found:
    together: set[Opening] = set()
    for one in found:
        if one is None:
            return None
        together |= one
        if len(together) > _MOST_OPENINGS:
            return None
    return frozenset(together)


def openings(
    phrases: tuple[str, ...], lexicons: Lexicons | None = None
) -> tuple[Opening, ...] | None:
    """Openings, one of which is in every match of these phrases (those implied by one that
    starts them left out), or None if some phrase's cannot be told."""
    found = _union([_openings(p, lexicons or Lexicons(), ()) for p in phrases])
    if not found:
        return None
    kept: dict[str, list[Opening]] = {}
    for opening in sorted(found, key=lambda o: (len(o.text), o.ends, o.starts, o.text)):
        text = opening.text
        heads = (kept.get(text[:end], ()) for end in range(1, len(text) + 1))
        if not any(k.implied_by(opening) for head in heads for k in head):
            kept.setdefault(text, []).append(opening)
    return tuple(o for same in kept.values() for o in same)
