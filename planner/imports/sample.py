"""The first rows of a file, read before anything is imported: they are checked for patients'
data, and show how the file writes numbers (``1,234.50`` or ``1.234,50``) and dates (day or
month first)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from planner.domain.models import ImportKind
from planner.domain.numbers import decimal_point, example, style_of
from planner.imports.cells import guess_day_first, guess_decimal, is_ambiguous_date, read_date

if TYPE_CHECKING:
    from planner.imports.matching import Plan

SAMPLE_ROWS = 2000  # rows read up front to learn how the file writes numbers and dates
Rows = list[tuple[int, list[str]]]  # (line, cells)


def first_rows(plan: Plan) -> Iterator[tuple[int, list[str]]]:
    """The first data rows, as the import will see them (totals and filtered rows left out)."""
    count = 0
    is_total = plan.format.total_test(plan.sheet)
    for line, cells in plan.sheet.rows():
        if is_total(cells) or not plan.kept(cells):
            continue
        yield line, cells
        count += 1
        if count >= SAMPLE_ROWS:
            return


def check_values(plan: Plan, sample: Rows) -> None:
    """Refuse a file whose first rows are about patients before asking for a mapping: a short
    file is refused here as a whole. Reading the file checks every row again."""
    check = plan.value_check()
    for line, cells in sample:
        check.add(line, cells)
    check.check()


def learn_style(plan: Plan, sample: Rows) -> None:
    """How the file writes numbers (decimal point or comma) and dates (day or month first)."""
    _learn_decimal(plan, sample)
    _learn_day_first(plan, sample)


def _learn_decimal(plan: Plan, sample: Rows) -> None:
    """The file's decimal point, from its figures; without a sign of it, the campaign's."""
    numeric = [
        b.column
        for name, b in plan.fields.items()
        if name in ("amount", "value") and b.column is not None
    ]
    if plan.kind is ImportKind.RESULTS and not plan.long:
        numeric += [i for i in range(len(plan.sheet.header)) if i not in numeric]
    if plan.format.value_column is not None:
        numeric += [
            i
            for name in ("HCAHPS Answer Percent", "HCAHPS Linear Mean Value")
            if (i := plan.sheet.column(name)) is not None
        ]
    texts = [cells[i] for _, cells in sample for i in numeric]
    guess = guess_decimal(texts)
    if guess is not None:
        plan.decimal = guess
        return
    # the campaign's way, not a guess: values it cannot tell apart are refused
    plan.style_of_campaign = style_of(plan.campaign)
    plan.decimal = decimal_point(plan.style_of_campaign)
    if any("," in text or "." in text for text in texts):
        plan.notices.append(
            "Nothing in the file's first rows shows whether it writes numbers as 1,234.50 "
            "or 1.234,50; they are read as this campaign writes them "
            f"({example(plan.style_of_campaign)}), and a value that could be read either "
            "way (such as 12.000) is listed as a row that cannot be read."
        )


def _learn_day_first(plan: Plan, sample: Rows) -> None:
    """Whether the file's dates write the day first: as the user or the format says, else as
    its dates show; dates that could be read either way are read month first, and said so."""
    dates = [
        b.column
        for name, b in plan.fields.items()
        if name in ("date", "start") and b.column is not None
    ]
    texts = [cells[i] for _, cells in sample for i in dates]
    if plan.options.day_first is not None:
        plan.day_first = plan.options.day_first
        return
    if plan.format.day_first is not None:
        plan.day_first = plan.format.day_first
        return
    found = guess_day_first(texts)
    plan.day_first = bool(found)
    if found is not None:
        return
    ambiguous = next((t.strip() for t in texts if is_ambiguous_date(t)), None)
    if ambiguous:
        read = read_date(ambiguous, day_first=False)
        plan.notices.append(
            f"Dates such as '{ambiguous}' could be read either way; they are read "
            f"month first ({read:%d %B %Y}). If the file writes the day first, read "
            "them as day first (--day-first)."
        )
