"""Opening an exported spreadsheet (CSV or TSV) as its header and a stream of rows.

Exports differ in everything but their data: UTF-8 with or without a byte-order mark, UTF-16
from Excel, Windows-1252; commas, semicolons or tabs; title and date-range lines above the
header; ``#`` comment lines. :func:`open_sheet` looks at the first 64 KB to find the encoding,
the delimiter and the header, then :meth:`Sheet.rows` streams the rest, so a file of any size is
read in constant memory.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from planner.domain.errors import PlannerError
from planner.store.dbfiles import refuse_database

SAMPLE_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "cp1252": "Windows-1252",
}

# csv refuses a field longer than 128 KB by default; a cell of a real export is far shorter,
# but a note column may be long.
csv.field_size_limit(16 * 1024 * 1024)


class FileProblem(PlannerError):
    """The file as a whole cannot be read (not a CSV, empty, unreadable)."""


def normalize(name: str) -> str:
    """A column name as matched: without a BOM, extra spaces or case (``" Cost "`` = ``cost``)."""
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def _is_comment(record: list[str]) -> bool:
    return (
        bool(record)
        and record[0].lstrip().startswith("#")
        and not any(cell.strip() for cell in record[1:])
    )


def _is_blank(record: list[str]) -> bool:
    return not any(cell.strip() for cell in record)


@dataclass(frozen=True)
class Sheet:
    """A spreadsheet file: how it is written, its header, and the lines above the header."""

    path: Path
    size: int
    encoding: str
    delimiter: str
    header: tuple[str, ...]
    header_record: int  # how many csv records come before the header
    preamble: tuple[str, ...]  # lines above the header that are not comments
    comments: tuple[str, ...]  # "#" lines above the header, without the "#"

    @functools.cached_property
    def columns(self) -> tuple[str, ...]:
        """The header's names, cleaned of stray spaces and byte-order marks."""
        return tuple(" ".join(name.replace("\ufeff", "").split()) for name in self.header)

    @functools.cached_property
    def _positions(self) -> dict[str, int]:
        positions: dict[str, int] = {}
        for index, column in enumerate(self.header):
            positions.setdefault(normalize(column), index)
        return positions

    def column(self, name: str) -> int | None:
        """The position of the first column called ``name`` (in any case), or None."""
        return self._positions.get(normalize(name))

    @property
    def description(self) -> str:
        """``UTF-16, tab-separated`` as a user would say it."""
        return (
            f"{ENCODING_NAMES.get(self.encoding, self.encoding)}, "
            f"{DELIMITER_NAMES[self.delimiter]}-separated"
        )

    def estimated_rows(self) -> int:
        """About how many lines the file has, from how many its first 64 KiB hold."""
        with self.path.open("rb") as raw:
            head = raw.read(65536)
        if not head:
            return 0
        return self.size * max(1, head.count(b"\n")) // len(head)

    def rows(
        self, on_progress: Callable[[int, int], None] | None = None, every: int = 2000
    ) -> Iterator[tuple[int, list[str]]]:
        """Each data row below the header as (its line number in the file, its cells padded to
        the header's width). Blank and ``#`` lines are left out. ``on_progress(bytes read,
        file size)`` is called every ``every`` rows and at the end."""
        width, header = len(self.header), self.header_record
        with self.path.open("rb") as raw:
            text = io.TextIOWrapper(raw, encoding=self.encoding, newline="")
            reader = csv.reader(text, delimiter=self.delimiter)
            count = 0
            try:
                for index, record in enumerate(reader):
                    if index <= header:
                        continue
                    # Most rows start with a filled cell that is not a comment: look no further.
                    head = record[0].strip() if record else ""
                    if not head:
                        if _is_blank(record):
                            continue
                    elif head[0] == "#" and _is_comment(record):
                        continue
                    if len(record) < width:
                        record.extend([""] * (width - len(record)))
                    yield reader.line_num, record
                    if on_progress is not None:
                        count += 1
                        if count % every == 0:
                            on_progress(raw.tell(), self.size)
            except UnicodeDecodeError:
                raise FileProblem(
                    f"Line {reader.line_num + 1} of '{self.path.name}' is not "
                    f"{ENCODING_NAMES.get(self.encoding, self.encoding)} like the lines before "
                    "it; save the file again as 'CSV UTF-8' and import that."
                ) from None
            except csv.Error as exc:
                raise FileProblem(
                    f"Line {reader.line_num} of '{self.path.name}' cannot be read as CSV ({exc})."
                ) from None
        if on_progress is not None:
            on_progress(self.size, self.size)


def detect_encoding(head: bytes) -> str:
    """The encoding of a file that starts with ``head``."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4:
        return "utf-16-le"
    if len(sample) >= 4 and sample[0::2].count(0) > len(sample) // 4:
        return "utf-16-be"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not merely a character cut at the sample's end
            return "cp1252"
    return "utf-8"


def _records(text: str, delimiter: str) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        return []


def open_sheet(path: str | Path, is_header: Callable[[list[str]], bool] | None = None) -> Sheet:
    """Find how the file at ``path`` is written and where its header is. ``is_header`` tells
    a known export's header at once; otherwise the header is the first line with as many
    columns as most lines below it."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise FileProblem(f"'{path}' is a folder; choose a CSV file in it.")
    refuse_database(path, "choose a file of costs or results that a tool exported.")
    try:
        size = path.stat().st_size
        with path.open("rb") as raw:
            head = raw.read(SAMPLE_BYTES)
    except FileNotFoundError:
        raise FileProblem(f"There is no file at '{path}'.") from None
    except OSError as exc:
        raise FileProblem(f"'{path}' cannot be read ({exc.strerror or exc}).") from None
    if not head.strip():
        raise FileProblem(f"'{path.name}' is empty.")
    if head.startswith(b"PK\x03\x04"):
        raise FileProblem(
            f"'{path.name}' is an Excel workbook or another zipped file; save it as CSV "
            "(File > Save As > CSV) and import that."
        )
    if head.startswith(b"%PDF"):
        raise FileProblem(f"'{path.name}' is a PDF; export the report as CSV and import that.")
    encoding = detect_encoding(head)
    if encoding in ("utf-8", "cp1252", "utf-8-sig") and b"\x00" in head:
        raise FileProblem(f"'{path.name}' is not a text file; export the data as CSV.")
    text = head.decode(encoding, errors="replace")
    if len(head) == SAMPLE_BYTES:  # drop the line cut by the sample's end
        text = text[: max(text.rfind("\n"), 0)]
    text = text.lstrip("\ufeff")

    parsed = {delimiter: _records(text, delimiter) for delimiter in DELIMITERS}
    if is_header is not None:
        for index in range(50):
            for delimiter, records in parsed.items():
                if index < len(records) and is_header(records[index]):
                    return _sheet(path, size, encoding, delimiter, records, index)
    best: tuple[int, int, str, int] | None = None
    for delimiter, records in parsed.items():
        data = [r for r in records if not _is_blank(r) and not _is_comment(r)]
        if not data:
            continue
        width, count = Counter(len(r) for r in data[-200:]).most_common(1)[0]
        if width < 2:
            continue
        for index, record in enumerate(records):
            filled = sum(1 for cell in record if cell.strip())
            if len(record) == width and not _is_comment(record) and filled * 2 >= width:
                if best is None or (count, width) > (best[0], best[1]):
                    best = (count, width, delimiter, index)
                break
    if best is None:
        raise FileProblem(
            f"'{path.name}' has a single column; a file of costs or results needs at least a "
            "date and an amount or a value, separated by commas, semicolons or tabs."
        )
    _, _, delimiter, index = best
    return _sheet(path, size, encoding, delimiter, parsed[delimiter], index)


def _sheet(
    path: Path, size: int, encoding: str, delimiter: str, records: list[list[str]], index: int
) -> Sheet:
    above = records[:index]
    comments = tuple(r[0].lstrip()[1:].strip() for r in above if _is_comment(r))
    preamble = tuple(
        " ".join(cell.strip() for cell in r if cell.strip())
        for r in above
        if not _is_comment(r) and not _is_blank(r)
    )
    header = tuple(cell.strip() for cell in records[index])
    return Sheet(path, size, encoding, delimiter, header, index, preamble, comments)
