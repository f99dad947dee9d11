"""Weighing a file's values, row by row, for identifiers of people (``ValueCheck``).

Every row is looked at, 256 rows at a time and column by column: a column of plain cells is
passed at a glance (``PLAIN_COLUMNS``); the cells of a column where ``GATE`` finds one that
might be an identifier are classified one by one (``cells.py``), and those holding one within
them (``within.py``) are weighed with the rest of their row. A column mostly of identifiers
refuses the file, as does a row holding two kinds of them.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import zip_longest

from planner.imports.patient_data.cells import GATE, SEP, classify
from planner.imports.patient_data.header import header_signals, join, refuse
from planner.imports.patient_data.within import (
    LONE_LABELS,
    MEDIUM,
    STRONG,
    TEXT,
    Found,
    folded_key,
    has_name,
    identifiers_in,
    role_mailboxes_only,
)


@dataclass(frozen=True)
class _Kind:
    plural: str  # as a column holds them
    one: str  # as a row holds one
    strong: bool


# In the order a row's identifiers are named. The last three are only found within text.
KINDS = {
    "name": _Kind("what look like people's names", "a person's name", False),
    "birth": _Kind("what look like dates of birth", "a date of birth", True),
    "email": _Kind("email addresses", "an email address", True),
    "phone": _Kind("phone numbers", "a phone number", True),
    "ssn": _Kind("Social Security numbers", "a Social Security number", True),
    "identity": _Kind("tax or identity numbers", "a tax or identity number", True),
    "diagnosis": _Kind("diagnosis codes", "a diagnosis code", True),
    "record": _Kind("patient record numbers", "a patient record number", True),
    "patient": _Kind("patients' names or numbers", "a patient's name or number", True),
    "address": _Kind("street addresses", "a street address", False),
}


_SEEN_CAP = 2048  # distinct values remembered per column and kind
_BATCH_ROWS = 256  # rows looked at in one glance

# Cells of aggregate exports that no identifier can be, within them either, each proven so by
# a test: a column of 256 such cells (one text, cells joined by SEP) is passed with one match,
# quicker than GATE and TEXT. A column holding an "@" is never passed so.


def _none_of(words: Iterable[str]) -> str:
    """A word of lower-case letters, its first one of either case, that is none of ``words``
    (lower case): a regex made from their trie, quicker than a look-ahead for each word."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def rest(node: dict[str, dict], first: bool = False) -> str:
        letters = sorted(char for char in node if char)
        other = "".join(c for c in string.ascii_lowercase if c not in letters)
        alternatives = [f"[{other}{other.upper() if first else ''}][a-z]*+"] if other else []
        alternatives += [
            (f"[{char}{char.upper()}]" if first else char) + rest(node[char]) for char in letters
        ]
        if "" not in node and not first:
            alternatives.append("")  # a word that is only the start of one
        return "(?:" + "|".join(alternatives) + ")"

    return rest(trie, first=True)


PLAIN_CELLS = (  # digits written [0-9]: \d would take in other scripts' digits too
    r"20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]",  # 2027-03-01
    r"[0-9][0-9]?[/.-][0-9][0-9]?[/.-]20[0-9][0-9]",  # 03/01/2027, 01.03.2027
    r"(?!0[0-9])[0-9]*+[.,]?[0-9]{0,4}+%?",  # 1250.50, 6.36%, 20270301, 0.0411, or empty
    r"(?:[a-z][a-z_]*+(?:[ -][a-z_]++)*+)?",  # search_ads, waiting for invoice (or empty)
    _none_of(LONE_LABELS) + r" [0-9]++",  # Vendor 12, line 12 (but not born 1961)
)
PLAIN_COLUMNS: list[Callable[[str], object]] = [
    re.compile(r"(?:\x1f(?:" + cell + "))*").fullmatch for cell in PLAIN_CELLS
]


@dataclass
class _Hits:
    """The cells of one column that hold one kind of identifier."""

    count: int = 0
    lines: list[int] = field(default_factory=list)  # the first three
    seen: set[int] = field(default_factory=set)  # hashes of distinct values, up to _SEEN_CAP


class ValueCheck:
    """Looks at every row's values, with what the header says, for identifiers of people.

    ``add`` each row as it is read; rows are looked at 256 at a time, column by column (see
    ``_flush``). The columns are weighed every 200 rows from the 20th on, and a row that
    refuses the file (see ``_judge``) does so at the end of its batch; ``check`` at the end.
    Columns at the ``exempt`` indices (a facility's) are not looked at."""

    def __init__(self, columns: list[str], exempt: Iterable[int] = ()) -> None:
        self.columns = list(columns)
        self.exempt = set(exempt)
        self.named = header_signals(self.columns, self.exempt)
        self.rows = 0
        self.hits: dict[tuple[int, str], _Hits] = {}
        self.row: str | None = None  # what the first row refusing the file holds, said
        self._contact: tuple[str, frozenset[str]] | None = None  # the first phone or address
        self._batch: list[tuple[int, list[str]]] = []
        self._plains: dict[int, Callable[[str], object]] = {}
        self._kinds: dict[str, str | None] = {}
        self._clean: set[str] = set()  # cells holding no identifier within them
        self._within: dict[str, tuple[Found, ...]] = {}  # cells holding some, with what
        self._next_check = 20

    def add(self, line: int, cells: list[str]) -> None:
        """Look at one row (in a batch of rows: a glance at a column of many is quicker)."""
        self._batch.append((line, cells))
        if len(self._batch) >= _BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        """Look at the rows added since, column by column: a column of plain cells is passed
        at a glance; the cells of a column where ``GATE`` finds one that might be an
        identifier are classified one by one, and those holding one within them (``_found``)
        are weighed with the rest of their row."""
        batch, self._batch = self._batch, []
        if not batch:
            return
        columns = zip_longest(*(cells for _, cells in batch), fillvalue="")
        suspects = []
        within = []
        for index, column in enumerate(columns):
            if index >= len(self.columns):
                break  # cells past the header's are not read
            if index in self.exempt:
                continue
            text = SEP + SEP.join(column)
            email = "@" in text
            if not email and self._plain(index, text):
                continue
            if email or GATE.search(text):
                suspects.append(index)
            found = self._found(column)
            if found:
                within.append((index, found))
        if not suspects and not within:
            self.rows += len(batch)
            return
        for line, cells in batch:
            self.rows += 1
            self._look(line, cells, suspects, within)
        if self.row is not None:
            self.check()

    def _plain(self, index: int, text: str) -> bool:
        """Whether a column's cells are all of one of the plain kinds (the kind it had last
        time tried first)."""
        known = self._plains.get(index)
        if known is not None and known(text):
            return True
        for plain in PLAIN_COLUMNS:
            if plain(text):
                self._plains[index] = plain
                return True
        return False

    def _found(self, column: tuple[str, ...]) -> dict[str, tuple[Found, ...]]:
        """The cells of a column holding identifiers within them, with what they hold. The
        column's distinct cells not seen before are searched at once with ``TEXT`` (files
        repeat their campaigns and notes), and one by one only if that finds something."""
        cells = set(column)
        cells -= self._clean
        if not cells:
            return {}
        new = cells.difference(self._within)
        found = {cell: self._within[cell] for cell in cells - new}
        if new:
            text = SEP + SEP.join(new)
            if "@" in text or TEXT.search(text):
                for cell in new:
                    held = identifiers_in(cell)
                    self._remember(cell, held)
                    if held:
                        found[cell] = held
            else:
                for cell in new:
                    self._remember(cell, ())
        return found

    def _remember(self, cell: str, held: tuple[Found, ...]) -> None:
        """Remember what a short cell holds within it, up to 50,000 cells."""
        if len(cell) > 200:
            return
        known: dict[str, tuple[Found, ...]] | set[str] = self._within if held else self._clean
        if len(known) >= 50_000:
            known.clear()
        if held:
            self._within[cell] = held
        else:
            self._clean.add(cell)

    def _kind(self, cell: str) -> str | None:
        """``classify(cell)``, remembered for short cells: files repeat their values."""
        try:
            return self._kinds[cell]
        except KeyError:
            kind = classify(cell)
            if len(cell) <= 100:
                if len(self._kinds) >= 50_000:
                    self._kinds.clear()
                self._kinds[cell] = kind
            return kind

    def _look(
        self,
        line: int,
        cells: list[str],
        indices: list[int],
        within: list[tuple[int, dict[str, tuple[Found, ...]]]],
    ) -> None:
        """Classify a row's cells in the columns at ``indices``, gather what its cells in the
        columns of ``within`` hold, and judge the row if it holds anything."""
        found: list[tuple[int, str]] = []
        for index in indices:
            cell = cells[index] if index < len(cells) else ""
            kind = self._kind(cell)
            if kind is None or (kind == "email" and role_mailboxes_only(cell)):
                continue
            hits = self.hits.setdefault((index, kind), _Hits())
            hits.count += 1
            if len(hits.lines) < 3:
                hits.lines.append(line)
            if len(hits.seen) < _SEEN_CAP:
                hits.seen.add(hash(cell.strip().casefold()))
            found.append((index, kind))
        held = [
            (index, each)
            for index, cells_found in within
            for each in cells_found.get(cells[index] if index < len(cells) else "", ())
        ]
        if self.row is None and (held or len(found) >= 2 or any(k == "phone" for _, k in found)):
            self._judge(line, cells, found, held)
        if self.rows >= self._next_check:
            self._next_check = self.rows + 200
            self._weigh()

    def _judge(
        self,
        line: int,
        cells: list[str],
        found: list[tuple[int, str]],
        held: list[tuple[int, Found]],
    ) -> None:
        """Whether a row refuses the file: it holds a strong identifier, or two kinds of
        identifier (but a phone number and a street address alone, which any vendor has), or
        a person's name beside another kind (but beside a phone-shaped cell alone: Google
        Ads writes an account's Customer ID as 123-456-7890, next to campaigns that may be
        named after people). Else its phone numbers and street addresses are compared with
        the first row's: another row with different ones refuses the file."""
        kinds: dict[int, set[str]] = {}
        for index, kind in found:
            kinds.setdefault(index, set()).add(kind)
        for index, each in held:
            kinds.setdefault(index, set()).add(each.kind)
        others = set().union(*kinds.values()) - {"name"}
        phones_in_text = any(each.kind == "phone" and not each.whole for _, each in held)
        beside_name = others if phones_in_text else others - {"phone"}
        if beside_name:  # then a name in text counts
            whole = {index for index, _ in found}  # a cell that is an identifier is one
            for index, cell in enumerate(cells[: len(self.columns)]):
                if index not in self.exempt and index not in whole and has_name(cell):
                    kinds.setdefault(index, set()).add("name")
        named = any("name" in held_kinds for held_kinds in kinds.values())
        if (
            any(each.weight == STRONG for _, each in held)
            or (len(others) >= 2 and others != {"phone", "address"})
            or (named and beside_name)
        ):
            self.row = self._said(line, kinds)
            return
        contacts = {each.key for _, each in held if each.weight == MEDIUM}
        contacts |= {folded_key(cells[index]) for index, kind in found if kind == "phone"}
        if not contacts:
            return
        said = self._said(
            line,
            {i: k & {"phone", "address"} for i, k in kinds.items() if k & {"phone", "address"}},
        )
        if self._contact is None:
            self._contact = said, frozenset(contacts)
        elif not contacts <= self._contact[1]:
            self.row = f"{self._contact[0]} and {said}"

    def _said(self, line: int, kinds: dict[int, set[str]]) -> str:
        """``line 12 holds a person's name and a date of birth in column 'Note'``."""
        parts = [
            join([KINDS[kind].one for kind in KINDS if kind in _named(kinds[index])])
            + f" in column '{self.columns[index].strip()}'"
            for index in sorted(kinds)
        ]
        return f"line {line} holds {join(parts)}"

    def _counts(self, kind: str, hits: _Hits) -> bool:
        """Whether a column's identifiers of one kind make it a column of them: mostly
        identifiers (a fifth for a strong kind, half for names), or 20 of them, and more than
        one value (an ad account's number on every row is not a list of phones). Names must
        also be mostly different: a vendor paid every month is not a patient list."""
        distinct, count = len(hits.seen), hits.count
        if distinct < 2:
            return False
        least = min(3, self.rows)
        if KINDS[kind].strong:
            return count >= 20 or (count >= least and count * 5 >= self.rows)
        return distinct * 2 >= min(count, _SEEN_CAP) and (
            count >= 20 or (count >= least and count * 2 >= self.rows)
        )

    def check(self) -> None:
        """Refuse the file if a column is strongly about people, or two columns may be, or a
        row refused it (see ``_judge``)."""
        self._flush()
        self._weigh()
        if self.row is not None:
            refuse([self.row])

    def _weigh(self) -> None:
        """Refuse the file if a column is strongly about people, or two columns may be."""
        by_values: dict[int, list[str]] = {}
        strong = False
        for (index, kind), hits in sorted(self.hits.items()):
            if self._counts(kind, hits):
                shown = ", ".join(str(n) for n in hits.lines)
                by_values.setdefault(index, []).append(f"{KINDS[kind].plural} (lines {shown})")
                strong = strong or KINDS[kind].strong
        found: dict[int, str] = {}
        for index in sorted(set(by_values) | set(self.named)):
            why, named_strong = self.named.get(index, ("", False))
            strong = strong or named_strong
            if index in by_values and not named_strong:
                found[index] = "holds " + join(by_values[index])
            else:
                found[index] = why
        if strong or len(found) >= 2:
            refuse([f"column '{self.columns[i].strip()}' {why}" for i, why in found.items()])


def _named(kinds: set[str]) -> set[str]:
    """The kinds a cell is said to hold: a patient's name is not said to be a person's too."""
    return kinds - {"name"} if "patient" in kinds else kinds
