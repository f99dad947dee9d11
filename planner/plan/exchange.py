"""The campaign as a versioned JSON document: export, import, and the starters' file format."""

from __future__ import annotations

import functools
import json
import json.scanner
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError

from planner.domain.children import Child
from planner.domain.errors import PlannerError, describe_errors, describe_validation_error
from planner.domain.models import (
    Campaign,
    Cost,
    Entry,
    EntryRows,
    Result,
    reference_names,
    unknown_reference,
)
from planner.plan.plain_entries import PlainEntries as _PlainEntries
from planner.store.dbfiles import refuse_database

FORMAT = "healthcare-campaign-planner/campaign"
# 2: a measure says whether it is the campaign's revenue (``revenue``); version 1 files are
# read with the measures marked that planners before the mark took for revenue.
# 3: a result may say what it is out of (``of``) and name the variant, activity, segment,
# influencer and channel it belongs to.
FORMAT_VERSION = 3


def to_document(campaign: Campaign, **extra: Any) -> dict[str, Any]:
    """The campaign as a JSON-ready dict: ``format``, ``format_version``, then ``campaign``."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        **extra,
        "campaign": campaign.model_dump(mode="json"),
    }


def dumps(campaign: Campaign, **extra: Any) -> str:
    """The campaign file's text: JSON indented by two spaces, each cost and result on a line
    of its own (see ``dump_chunks``)."""
    bare = campaign.model_copy(update={"costs": [], "results": []})
    lists = {"costs": campaign.costs, "results": campaign.results}
    return "".join(dump_chunks(bare, lists, **extra))


def dump_chunks(
    campaign: Campaign, entries: dict[str, Iterable[BaseModel | dict[str, Any]]], **extra: Any
) -> Iterator[str]:
    """The text ``dumps`` writes, a piece at a time, for a ``campaign`` read without its costs
    and results: ``entries`` gives them (``{"costs": ..., "results": ...}``, in the order the
    document lists them), and each is written as it is read, so that a campaign with a million
    costs is exported with the memory of one with none. Each cost and result is one line of
    the file: still JSON for any reader, and ``open_export`` reads them back a line at a time,
    several times faster than JSON's events one by one."""
    text = json.dumps(to_document(campaign, **extra), indent=2, ensure_ascii=False) + "\n"
    return streamed_lists(text, entries, depth=2, one_line=True)


def streamed_lists(
    text: str,
    lists: dict[str, Iterable[BaseModel | dict[str, Any]]],
    *,
    depth: int,
    one_line: bool = False,
) -> Iterator[str]:
    """``text``, JSON indented by two spaces in which each list named in ``lists`` is empty
    (``"costs": []``) at ``depth`` levels of keys, with the models of each list (or their
    ``model_dump(mode="json")``) written in instead, one at a time, exactly as
    ``json.dumps(..., indent=2)`` writes a list; with ``one_line``, each of them on one line.
    (A string in the JSON cannot hold the marker: its line breaks are written as ``\\n``.)"""
    pad = " " * (2 * depth)
    for name, items in lists.items():
        head, found, text = text.partition(f'\n{pad}"{name}": []')
        if not found:
            raise ValueError(f"no empty list {name!r} at depth {depth}")
        yield head + f'\n{pad}"{name}": ['
        inner, first = "\n" + pad + "  ", True
        written: list[str] = []  # a thousand at a time: one write for each, not one an item
        for item in items:
            data = item if isinstance(item, dict) else item.model_dump(mode="json")
            item_text = _one_line(data) if one_line else _indented(data, inner)
            written.append(("" if first else ",") + inner + item_text)
            first = False
            if len(written) == _BATCH:
                yield "".join(written)
                written.clear()
        yield "".join(written) + ("]" if first else f"\n{pad}]")
    yield text


_BATCH = 1000


_SCALAR = json.JSONEncoder(ensure_ascii=False).encode  # one value, by the C encoder
_STRING = json.encoder.encode_basestring  # a string as json.dumps(ensure_ascii=False) writes it
_FINITE = (float("-inf"), float("inf"))


def _scalar(value: Any) -> str:
    """One plain value as ``json.dumps`` writes it: the common kinds straight away (the
    encoder's ``encode`` builds an encoder at every call, which is most of an export's time),
    anything else by the encoder."""
    kind = type(value)
    if kind is str:
        return _STRING(value)
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    if kind is float and value == value and value not in _FINITE:
        return float.__repr__(value)
    return _SCALAR(value)  # True, False, NaN, infinity...


@functools.lru_cache(maxsize=64)
def _key(key: str, pad: str) -> str:
    return f"{pad}{_STRING(key)}: "


def _indented(item: dict[str, Any], inner: str) -> str:
    """``json.dumps(item, indent=2)`` with its lines after the first starting with ``inner``:
    a cost or a result holds only plain values, which are written one by one (with an indent,
    json writes everything in Python, at twice the time)."""
    if not item or any(isinstance(v, (dict, list)) for v in item.values()):
        return json.dumps(item, indent=2, ensure_ascii=False).replace("\n", inner)
    pad = inner + "  "
    fields = ",".join(_key(key, pad) + _scalar(value) for key, value in item.items())
    return "{" + fields + inner + "}"


def _one_line(item: dict[str, Any]) -> str:
    """``json.dumps(item, ensure_ascii=False)``: a cost or a result on one line."""
    if any(isinstance(v, (dict, list)) for v in item.values()):
        return json.dumps(item, ensure_ascii=False)
    return "{" + ", ".join(_key(key, "") + _scalar(value) for key, value in item.items()) + "}"


def from_document(data: Any, source: str = "The file") -> Campaign:
    """Validate a document and return its campaign, or raise a one-sentence PlannerError."""
    if not isinstance(data, dict) or "campaign" not in data:
        raise PlannerError(
            f"{source} is not a campaign export: it has no 'campaign' section. "
            "Use a file written by 'planner export'."
        )
    if data.get("format", FORMAT) != FORMAT:
        raise PlannerError(f"{source} is a '{data.get('format')}' file, not a campaign export.")
    version = data.get("format_version", FORMAT_VERSION)
    if not isinstance(version, int) or version < 1:
        raise PlannerError(f"{source} has an unreadable format_version ({version!r}).")
    if version > FORMAT_VERSION:
        raise PlannerError(
            f"{source} was written by a newer planner (format version {version}); "
            f"this one reads up to version {FORMAT_VERSION}. Upgrade the planner to import it."
        )
    try:
        campaign = Campaign.model_validate(data["campaign"])
    except ValidationError as exc:
        raise PlannerError(
            describe_validation_error(exc, f"{source} has an invalid campaign")
        ) from None
    if version < 2:
        campaign = _revenue_marked(campaign, data["campaign"].get("measures") or [])
    return campaign


def _revenue_marked(campaign: Campaign, written: list[Any]) -> Campaign:
    """A campaign of a version 1 file, its measures marked as revenue where the planner that
    wrote it took them for revenue (a measure that says so itself keeps its word)."""
    from planner.domain.measures import looks_like_revenue

    measures = [
        m.model_copy(update={"revenue": looks_like_revenue(m, campaign.currency)})
        if isinstance(raw, dict) and "revenue" not in raw
        else m
        for m, raw in zip(campaign.measures, written, strict=True)
    ]
    return campaign.model_copy(update={"measures": measures})


def loads(text: str, source: str = "The file") -> Campaign:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlannerError(
            f"{source} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    except (ValueError, RecursionError):
        raise PlannerError(
            f"{source} holds numbers or nesting too large to be a campaign export."
        ) from None
    return from_document(data, source)


def read_file(path: Path) -> Campaign:
    source = f"'{path}'"
    refuse_database(path, "choose a campaign file that 'planner export' wrote.")
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PlannerError(f"There is no file {source}.") from None
    except IsADirectoryError:
        raise PlannerError(f"{source} is a folder, not a campaign file.") from None
    except UnicodeDecodeError:
        raise PlannerError(
            f"{source} is not a text file; expected a campaign export in JSON."
        ) from None
    except OSError as exc:
        raise PlannerError(f"{source} cannot be read: {exc.strerror}.") from None
    return loads(text, source)


# Reading a campaign file as it streams by ----------------------------------------------------

_ENTRY_LISTS = {"costs": Cost, "results": Result}
_BOM = b"\xef\xbb\xbf"
_DEEPEST = 500  # levels of nesting: json.loads gives up near 1,000; a campaign uses 6
# A file this size or smaller that the streaming reader refuses is read whole once more, for
# the sentence a whole read gives (the line and column of the mistake); larger ones are told
# by the line the streaming reader stopped at.
_READ_WHOLE_BELOW = 16 * 1024 * 1024


class _TooDeep(Exception):
    pass


class Streamed:
    """A file's costs and results, read and checked as they are taken; ``expected``: how many
    of each the file lists, where that is known before they are read (the store then builds
    the tables' indexes once at the end rather than row by row)."""

    def __init__(
        self,
        entries: Iterator[Entry | EntryRows],
        expected: dict[str, int] | None = None,
        readings: Any = None,
    ) -> None:
        self.entries = entries
        self.expected = expected or {}
        self.readings = readings  # the messages' reading counts the file carries, as written

    def __iter__(self) -> Iterator[Entry | EntryRows]:
        for item in self.entries:
            if type(item) is _Counted:  # the reading counts the reading process worked out
                given = self.readings if isinstance(self.readings, dict) else {}
                self.readings = {**item.counts, **given}
            else:
                yield item


class _Counted(NamedTuple):
    counts: dict[str, list[int]]


def _read_for_parent(
    path: Path,
    campaign: Campaign,
    sections: dict[str, _Section],
    source: str,
    read: Any,
    carried: Any,
) -> Iterator[Entry | EntryRows | _Counted]:
    """In the reading process: the file's costs and results, then the reading counts of the
    campaign's messages that the file does not carry (the dictionary they need loads there,
    while the importing process writes)."""
    from planner.plan.readings import english_counts

    yield from _line_entries(path, campaign, sections, source, read)
    counts = english_counts(campaign, carried if isinstance(carried, dict) else ())
    yield _Counted({h: list(c) for h, c in counts.items()})


def open_export(path: Path) -> tuple[Campaign, Streamed]:
    """The campaign in a file ``planner export`` wrote, read in two steps so that a campaign
    with a million costs takes the memory of one with none: its plan (everything but the
    ``costs`` and ``results`` lists, wherever they are in the file), validated at once; then
    an iterator of its costs and results, read from the file again and validated one at a
    time against the plan, as ``Store.create_campaign`` writes them. A refusal is raised
    before the plan is returned or, for a cost or a result, by the iterator (the store then
    saves nothing); it is the sentence ``read_file`` gives for the whole file, except that a
    file over 16 MB that is not JSON is told by line, not by line and column."""
    import ijson

    source = f"'{path}'"
    refuse_database(path, "choose a campaign file that 'planner export' wrote.")
    try:
        read = Path(path).stat()
        # a file that may hold many entries: the process that will read them starts now
        child = Child(_READER, source) if read.st_size >= _PARALLEL_BYTES else None
        try:
            laid_out = _line_layout(path)
            if laid_out is not None:  # as this planner writes it: a cost or a result a line
                plan, sections = laid_out
                campaign = from_document(plan, source)
                counts = {name: section.entries for name, section in sections.items()}
                carried = plan.get("text_readings")
                if child is not None and sum(counts.values()) >= _PARALLEL_ENTRIES:
                    arguments = (path, campaign, sections, source, read, carried)
                    entries = child.items(arguments)  # read by another core as it goes
                    child = None
                else:
                    entries = _line_entries(path, campaign, sections, source, read)
                return campaign, Streamed(entries, counts, carried)
        finally:
            if child is not None:
                child.stop()
        with _opened(path) as file:
            document, lists = _read_plan(ijson.basic_parse(file, use_float=True))
    except FileNotFoundError:
        raise PlannerError(f"There is no file {source}.") from None
    except IsADirectoryError:
        raise PlannerError(f"{source} is a folder, not a campaign file.") from None
    except (ijson.JSONError, _TooDeep) as exc:
        if read.st_size <= _READ_WHOLE_BELOW:
            # the sentence a whole read gives; or, for what json reads and ijson does not
            # (NaN, a number past 64 bits), the campaign it reads, as it always was
            return read_file(path), iter(())
        raise PlannerError(_refused(path, exc, source)) from None
    except OSError as exc:
        raise PlannerError(f"{source} cannot be read: {exc.strerror}.") from None
    campaign = from_document(document, source)
    readings = document.get("text_readings") if isinstance(document, dict) else None
    return campaign, Streamed(_entries(path, campaign, lists, source, read), None, readings)


def _opened(path: Path) -> Any:
    """The file to read in bytes, after its UTF-8 byte order mark if it has one."""
    file = open(path, "rb")  # noqa: SIM115 - closed by the caller's with
    if file.read(len(_BOM)) != _BOM:
        file.seek(0)
    return file


def _read_plan(events: Iterable[tuple[str, Any]]) -> tuple[Any, dict[str, int]]:
    """The document ``json.loads`` gives, built from ijson's events, but with an empty list
    for the campaign's ``costs`` and ``results`` (their entries are passed over), and how
    many times each list was found."""
    found = dict.fromkeys(_ENTRY_LISTS, 0)
    root: list[Any] = []
    stack: list[Any] = [root]  # the containers being built, innermost last
    keys: list[Any] = [None]  # the key each container's next value goes under
    skipped = 0  # levels inside a list of entries being passed over
    for event, value in events:
        if skipped:
            if event == "start_map" or event == "start_array":
                skipped += 1
                if len(stack) + skipped > _DEEPEST:
                    raise _TooDeep
            elif event == "end_map" or event == "end_array":
                skipped -= 1
            continue
        if event == "map_key":
            keys[-1] = value
            continue
        if event == "end_map" or event == "end_array":
            stack.pop()
            keys.pop()
            continue
        if event == "start_array" and _entry_list(stack, keys):
            found[keys[2]] += 1
            stack[2][keys[2]] = []
            skipped = 1
            continue
        if event == "start_map" or event == "start_array":
            value = {} if event == "start_map" else []
        parent = stack[-1]
        if isinstance(parent, dict):
            parent[keys[-1]] = value
        else:
            parent.append(value)
        if event == "start_map" or event == "start_array":
            stack.append(value)
            keys.append(None)
            if len(stack) > _DEEPEST:
                raise _TooDeep
    return root[0], found


def _entry_list(stack: list[Any], keys: list[Any]) -> bool:
    """Whether the value starting now is the campaign's ``costs`` or ``results``."""
    return (
        len(stack) == 3
        and isinstance(stack[1], dict)
        and keys[1] == "campaign"
        and isinstance(stack[2], dict)
        and keys[2] in _ENTRY_LISTS
    )


def _refused(path: Path, exc: Exception, source: str) -> str:
    """The sentence for a large file the streaming reader refused."""
    said = exc.args[0] if exc.args else ""
    if isinstance(said, bytes):
        said = said.decode("utf-8", "replace")
    reason = str(said).splitlines()[0].strip() if said else ""
    if isinstance(exc, _TooDeep) or "overflow" in reason:
        return f"{source} holds numbers or nesting too large to be a campaign export."
    return f"{source} is not valid JSON (line {_error_line(path)}: {reason})."


def _error_line(path: Path) -> int:
    """The line of the file at which the streaming reader stops: it is given the file a line
    (at most 64 KB) at a time."""
    import ijson

    class Discard:
        def send(self, value: Any) -> None:
            pass

    parser = ijson.basic_parse_coro(Discard(), use_float=True)
    line = 1
    with _opened(path) as file:
        try:
            for piece in iter(lambda: file.readline(64 * 1024), b""):
                parser.send(piece)
                line += piece.count(b"\n")
            parser.close()
        except ijson.JSONError:
            pass
    return line


class _Reading:
    """What reading a file's costs and results has found so far. As a whole read, an invalid
    field is told before a name the plan lacks, and the first is told with how many more
    problems were found; once something is wrong, nothing more is given to be written."""

    def __init__(self, campaign: Campaign, source: str) -> None:
        self.source = source
        self.names = reference_names(campaign)
        self.plain = _PlainEntries(self.names)
        self.first: list[Any] = []  # the first invalid field's errors
        self.more = 0  # the problems after those
        self.unknown = ""  # the first name of an item the plan lacks
        self.changed = PlannerError(f"{source} changed while it was read; nothing was imported.")

    @property
    def clean(self) -> bool:
        """Nothing is wrong so far (an entry may take the shortcut)."""
        return not self.first and not self.unknown

    def entry(
        self, model: type[Entry], name: str, index: int, data: Any
    ) -> Entry | EntryRows | None:
        """The cost or result to write (as its row when it holds exactly what this planner
        writes, else its model), or None: something is wrong, with it or before it."""
        if self.clean:
            row = (self.plain.cost if model is Cost else self.plain.result)(data)
            if row is not None:
                return EntryRows(model, [row])
        try:
            entry = model.model_validate(data)
        except ValidationError as exc:
            errors = [{**e, "loc": (name, index, *e["loc"])} for e in exc.errors(include_url=False)]
            if self.first:
                self.more += len(errors)
            else:
                self.first = errors
            return None
        if not self.first:
            self.unknown = self.unknown or unknown_reference(entry, self.names)
            if not self.unknown:
                return entry
        return None

    def done(self, path: Path, read: Any) -> None:
        """Raise what was found wrong, or that the file changed while it was read."""
        after = Path(path).stat()
        if (read.st_size, read.st_mtime_ns) != (after.st_size, after.st_mtime_ns):
            raise self.changed
        what = f"{self.source} has an invalid campaign"
        if self.first:
            raise PlannerError(describe_errors(self.first, what, self.more))
        if self.unknown:
            raise PlannerError(
                describe_errors([{"type": "value_error", "msg": self.unknown}], what)
            )


def _entries(
    path: Path, campaign: Campaign, lists: dict[str, int], source: str, read: os.stat_result
) -> Iterator[Entry | EntryRows]:
    """The costs, then the results, of the file, each validated as ``Campaign`` validates
    it. A list given twice is refused (which one a whole read keeps cannot be told as it
    streams). As a whole read, an invalid field is told before a name the plan lacks, and
    the first is told with how many more problems were found."""
    import ijson

    for name, count in lists.items():
        if count > 1:
            raise PlannerError(
                f"{source} lists the campaign's {name} {count} times; keep one list."
            )
    reading = _Reading(campaign, source)
    for name, model in _ENTRY_LISTS.items():
        if not lists[name]:
            continue
        try:
            file = _opened(path)
        except OSError:
            raise reading.changed from None
        with file:
            items = ijson.items(file, f"campaign.{name}.item", use_float=True)
            for index, data in _read_on(enumerate(items), reading.changed):
                entry = reading.entry(model, name, index, data)
                if entry is not None:
                    yield entry
    reading.done(path, read)


# A file as this planner writes it (``dump_chunks``): each cost and result on a line of its
# own, inside the campaign's "costs" and "results" lists. Such a file is read a line at a time
# (``json.loads`` of a line is several times faster than JSON's events one by one), and each
# entry that holds exactly what this planner writes is checked without building its model (as
# strictly: anything else is checked by its model, for the same sentence). Any other layout,
# or a file whose layout is not quite this one, is read as JSON's events as before.
_SECTION = re.compile(rb'^    "(costs|results)": \[\r?\n$')
_ENTRY_PAD = b"      {"
_PARALLEL_ENTRIES = 200_000  # a file of this many is read by a second process as it is written
_PARALLEL_BYTES = 16 * 1024 * 1024  # a file this large may hold that many: the process starts
_READER = "planner.plan.exchange:_read_for_parent"
_MARK = "\u0000entries of this file"  # put in the plan where a list of entries was


class _Section(NamedTuple):
    offset: int  # the byte its first entry's line starts at
    entries: int  # how many lines
    line: int  # the line number of the first


def _line_layout(path: Path) -> tuple[Any, dict[str, _Section]] | None:
    """The file's plan (the document without its costs and results, as ``json.loads`` gives
    it) and where its costs and results are, if it is laid out as this planner writes it:
    else None. Read as bytes, the plan a line at a time and the entries' lines a few
    megabytes at a time, looked at only for their shape (the first pass reads no entry)."""
    head: list[bytes] = []
    sections: dict[str, _Section] = {}
    with _opened(path) as file:
        number = 0
        while line := file.readline():
            number += 1
            found = _SECTION.match(line)
            if found is None:
                head.append(line)
                continue
            name = found.group(1).decode()
            if name in sections:
                return None  # a list given twice: the events' reading says so
            head.append(f'    "{name}": [{json.dumps(_MARK)}]'.encode())
            start = file.tell()
            ended = _section_end(file, start)
            if ended is None:
                return None
            count, closing, after = ended
            head.append(closing[1:] + b"\n")
            sections[name] = _Section(start, count, number + 1)
            number += count + 1
            file.seek(after)
    if not sections:
        return None
    try:
        plan = json.loads(b"".join(head))
        lists = plan["campaign"]
        for name in sections:
            if lists[name] != [_MARK]:
                return None
            lists[name] = []
    except (ValueError, RecursionError, TypeError, KeyError):
        return None  # told as the events' reading tells it
    return plan, sections


_CHUNK = 4 * 1024 * 1024


def _section_end(file: Any, start: int) -> tuple[int, bytes, int] | None:
    """From ``start``, the first entry's line of a list of costs or results: how many lines of
    entries, the line that closes the list, and where the line after it starts; None if a
    line is not as this planner writes it (an entry, each but the last with its comma)."""
    count, at, comma, tail = 0, start, True, b""
    file.seek(start)
    while True:
        chunk = file.read(_CHUNK)
        block = tail + chunk
        cut = block.rfind(b"\n") + 1 if chunk else len(block)
        if cut == 0:
            if not chunk:
                return None  # the file ends inside the list
            tail = block
            continue
        lines, tail = block[:cut], block[cut:]
        total = lines.count(b"\n") + (not lines.endswith(b"\n"))
        entries = lines.startswith(_ENTRY_PAD) + lines.count(b"\n" + _ENTRY_PAD)
        if comma and entries == total and lines.count(b"},\n") == total:
            count, at = count + total, at + cut  # all entries, each with its comma: on
            continue
        for line in lines.splitlines(keepends=True):  # the list ends here, or looks wrong
            if not line.startswith(_ENTRY_PAD):
                closing = line.strip()
                if closing not in (b"]", b"],") or comma:
                    return None
                return count, closing, at + len(line)
            if not comma:
                return None
            end = line.rstrip(b"\r\n")
            comma = end.endswith(b"},")
            if not comma and not end.endswith(b"}"):
                return None
            count, at = count + 1, at + len(line)
        if not chunk:
            return None


def _line_entries(
    path: Path, campaign: Campaign, sections: dict[str, _Section], source: str, read: Any
) -> Iterator[Entry | EntryRows]:
    """The costs, then the results, of a file laid out as this planner writes it, read a line
    at a time and checked as ``_entries`` checks them (the same sentences)."""
    reading = _Reading(campaign, source)
    plain = reading.plain
    for name, model in _ENTRY_LISTS.items():
        section = sections.get(name)
        if section is None:
            continue
        check_line = plain.cost_line if model is Cost else plain.result_line
        skip = len(_ENTRY_PAD) - 1
        try:
            file = _opened(path)
        except OSError:
            raise reading.changed from None
        with file:
            file.seek(section.offset)
            index = 0
            rows: list[Any] = []  # read as this planner writes them, not yet given
            for number in range(section.line, section.line + section.entries):
                line = file.readline()
                if not line.startswith(_ENTRY_PAD):
                    raise reading.changed
                if reading.clean:  # as this planner writes it: read without JSON's reader
                    try:
                        text = line[skip:].rstrip(b"\r\n").removesuffix(b",").decode()
                    except UnicodeDecodeError:
                        text = ""
                    row = check_line(text)
                    if row is not None:
                        rows.append(row)
                        if len(rows) == _BATCH:
                            yield EntryRows(model, rows)
                            rows = []
                        index += 1
                        continue
                if rows:  # what was read before this one goes first
                    yield EntryRows(model, rows)
                    rows = []
                try:
                    items = _line_items(line)
                except (ValueError, RecursionError) as exc:
                    raise PlannerError(_bad_line(path, exc, number, source, read)) from None
                for data in items:
                    entry = reading.entry(model, name, index, data)
                    if entry is not None:
                        yield entry
                    index += 1
            if rows:
                yield EntryRows(model, rows)
    reading.done(path, read)


_SCAN = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[attr-defined]


def _line_items(line: bytes) -> list[Any]:
    """The entries on one line: one, as this planner writes them, or several."""
    text = line[len(_ENTRY_PAD) - 1 :].rstrip(b"\r\n")
    if text.endswith(b","):
        text = text[:-1]
    try:
        said = text.decode()
        item, end = _SCAN(said, 0)  # the C scanner: json.loads without its checks of bytes
        if end == len(said):
            return [item]
    except (ValueError, StopIteration, RecursionError):
        pass
    return json.loads(b"[" + text + b"]")  # several on one line, or not JSON


def _bad_line(path: Path, exc: Exception, number: int, source: str, read: Any) -> str:
    """The sentence for an entry's line that is not JSON: for a small file, the one a whole
    read gives (with the column); else by its line, as a large file's events are told."""
    if read.st_size <= _READ_WHOLE_BELOW:
        try:
            read_file(path)
        except PlannerError as refused:
            return str(refused)
    if isinstance(exc, json.JSONDecodeError):
        return f"{source} is not valid JSON (line {number}: {exc.msg})."
    return f"{source} holds numbers or nesting too large to be a campaign export."


def _read_on(items: Iterator[Any], changed: PlannerError) -> Iterator[Any]:
    """``items``, read from a file that read well a moment ago: if it now does not, it was
    changed in between, which ``changed`` says."""
    import ijson

    try:
        yield from items
    except (ijson.JSONError, OSError):
        raise changed from None
