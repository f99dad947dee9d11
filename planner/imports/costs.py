"""Reading a file's rows as costs: the amount, its dates, and what it was spent on.

The amount is read in the campaign's currency (a row or a header in another refuses the file);
an amount as plain as ``1250.50`` is read without the general number reader. A row's
activity, channel and vendor are read once per distinct set of texts: the activity matched
by name, the channel as the user mapped it or as spreadsheets name it (``channels.py``), else
the format's. A cost is checked as the Cost model checks it, and yielded as a row ready to
write: a million models would cost more than writing them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import NoReturn

from planner.domain.models import CONTROL_CHARS, MAX_MINOR, Channel, CostRow, cost_from_row
from planner.domain.money import exponent, format_minor
from planner.domain.numbers import ambiguous_in_file
from planner.imports.cells import CurrencyMismatch, read_amount
from planner.imports.channels import channel_key, read_channel
from planner.imports.matching import Binding, Plan
from planner.imports.refusals import ImportRefused
from planner.imports.rows import Dates, date_reader, memo, text_of
from planner.imports.tally import PREVIEW_ENTRIES, LeftOut, Preview, Problem, add_to

_PLAIN_AMOUNTS = {
    ".": re.compile(r"(\d{1,13})(?:\.(\d{1,3}))?"),
    ",": re.compile(r"(\d{1,13})(?:,(\d{1,3}))?"),
}
_CONTROL_REASON = "it holds control characters, which a text may not"


def costs(plan: Plan, tally: Preview, rows: Iterator[tuple[int, list[str]]]) -> Iterator[CostRow]:
    """The costs the rows hold, as rows ready to write, counted into ``tally``; rows that
    cannot be read are noted there, with the money they hold."""
    fields = plan.fields
    read_dates = date_reader(plan)
    amount_text = text_of(fields["amount"])
    read_amount_of = _amount_reader(plan, tally)
    row_of = _row_maker(plan, tally)
    sample, entries, total, first, last = tally.sample, 0, 0, "9999", ""
    after = plan.today.isoformat()
    try:
        for line, cells in rows:
            dates = read_dates(cells)
            if dates is None:
                binding = fields.get("date") or fields.get("start")
                column = binding.name if binding else "date"
                tally.add_problem(Problem(line, column, "", "there is no date"))
                continue
            if type(dates) is Problem:
                tally.add_problem(Problem(line, dates.column, dates.value, dates.reason))
                tally.skip_money(_money_of(amount_text(cells), plan))
                continue
            minor = read_amount_of(line, cells)
            if minor is None:  # noted, or nothing spent on that row
                continue
            if (dates[0] or dates[1]) > after:  # type: ignore[index]
                tally.future += 1
                tally.future_minor += minor
                continue
            row = row_of(line, cells, dates, minor)  # type: ignore[arg-type]
            if row is None:
                continue
            entries += 1
            total += minor
            if len(sample) < PREVIEW_ENTRIES:
                sample.append(cost_from_row(row))
            day, start = row[0], row[1]
            if (start or day) < first:
                first = start or day
            if day > last:
                last = day
            yield row
    finally:
        tally.entries += entries
        tally.total_minor += total
        if entries:
            tally.first_day, tally.last_day = first, last


def _amount_reader(plan: Plan, tally: Preview) -> Callable[[int, list[str]], int | None]:
    """Reads a row's amount in minor units; None when it cannot be read (noted in ``tally``)
    or is nothing spent (counted there). An amount in another currency refuses the file."""
    fields = plan.fields
    currency = plan.campaign.currency
    places = exponent(currency)
    plain = _PLAIN_AMOUNTS[plan.decimal]
    amount = fields["amount"]
    code_of, amount_of = text_of(fields.get("currency")), text_of(amount)
    # BHD 12.500: the currency's own way, not a number that could be read two ways
    doubtful = plan.style_of_campaign if places != 3 else None

    def read(line: int, cells: list[str]) -> int | None:
        code = code_of(cells)
        if code and code.strip().upper() != currency:
            _refuse_currency(line, CurrencyMismatch(code.strip().upper(), currency), currency)
        text = amount_of(cells)
        match = plain.fullmatch(text)
        if match is not None and len(fraction := match[2] or "") <= places:
            minor = int(match[1]) * 10**places
            if fraction:
                minor += int(fraction) * 10 ** (places - len(fraction))
        else:
            doubt = doubtful and ambiguous_in_file(text, doubtful)
            if doubt:
                _refuse(tally, line, amount, text, doubt)
                return None
            try:
                minor = read_amount(text, currency, plan.decimal)
            except CurrencyMismatch as exc:
                _refuse_currency(line, exc, currency)
            except ValueError as exc:
                _refuse(tally, line, amount, text, exc)
                return None
        if not minor:  # nothing spent on that row
            tally.empty += 1
            return None
        return minor

    return read


def _row_maker(
    plan: Plan, tally: Preview
) -> Callable[[int, list[str], Dates, int], CostRow | None]:
    """Makes a cost's row to write from a row of the file, its dates and amount; None when
    it cannot be (noted in ``tally`` with its money) or is of a channel left out."""
    fields, fmt = plan.fields, plan.format
    currency = plan.campaign.currency
    amount, note_b = fields["amount"], fields.get("note")
    amount_of, note_of = text_of(amount), text_of(note_b)
    describe = _describer(plan)
    source_index = plan.sheet.column(fmt.source_column or "")

    def row_of(line: int, cells: list[str], dates: Dates, minor: int) -> CostRow | None:
        if minor > MAX_MINOR:
            most = format_minor(MAX_MINOR, currency)
            _refuse(tally, line, amount, amount_of(cells), f"more than one cost can be ({most})")
            tally.skip_money(minor)
            return None
        described = describe(cells)
        if type(described) is Problem:
            tally.add_problem(
                Problem(
                    line,
                    described.column,
                    described.value,
                    described.reason,
                    described.unknown_channel,
                )
            )
            tally.skip_money(minor, described.value if described.unknown_channel else None)
            return None
        if type(described) is LeftOut:
            add_to(tally.left_out, described.text, minor)
            return None
        activity, channel, vendor = described  # type: ignore[misc]
        note = note_of(cells).strip()[:20_000].rstrip()
        if CONTROL_CHARS.search(note):
            _refuse(tally, line, note_b, "", _CONTROL_REASON)
            tally.skip_money(minor)
            return None
        if not note and source_index is not None and cells[source_index].strip():
            source = f"{fmt.vendor}: {cells[source_index].strip()}"[:20_000].rstrip()
            note = "" if CONTROL_CHARS.search(source) else source
        day, start = dates[1], dates[0]
        return (day, start, minor, channel, vendor, activity, note)

    return row_of


Described = tuple[str | None, str | None, str]  # activity, channel, vendor


def _describer(plan: Plan) -> Callable[[list[str]], Described | Problem | LeftOut]:
    """A cost row's activity, channel and vendor, or the Problem (line 0) with one of them."""
    fields, fmt = plan.fields, plan.format
    activities = [a.name for a in plan.campaign.activities]
    type_index = plan.sheet.column(fmt.type_column or "")
    kind = Binding(type_index, fmt.type_column or "") if type_index is not None else None
    activity_b, channel_b, vendor_b = (fields.get(n) for n in ("activity", "channel", "vendor"))
    mapped = plan.channels

    def describe(
        activity_text: str, channel_text: str, vendor_text: str, kind_text: str
    ) -> Described | Problem | LeftOut:
        activity = _match_activity(activity_text, activities)
        channel: Channel | None = None
        if channel_b is not None:
            key = channel_key(channel_text) if mapped else ""
            if key in mapped:  # the user's word for it comes first
                channel = mapped[key][1]
                if channel is None:
                    return LeftOut(key, channel_text.strip())
            else:
                try:
                    channel = read_channel(channel_text)
                except ValueError as exc:
                    text = channel_text.strip()
                    return Problem(0, channel_b.name, text, str(exc), unknown_channel=True)
        elif activity is None:
            channel = (fmt.channel_of and fmt.channel_of(kind_text)) or fmt.channel
        vendor = vendor_text.strip()[:200].rstrip()
        if CONTROL_CHARS.search(vendor):
            assert vendor_b is not None
            return Problem(0, vendor_b.name, vendor, _CONTROL_REASON)
        return activity, channel.value if channel else None, vendor or fmt.vendor

    return memo([activity_b, channel_b, vendor_b, kind], describe)


def _match_activity(text: str, names: list[str]) -> str | None:
    """The campaign's activity a source campaign's name stands for, where it is clear."""
    key = text.strip().casefold()
    if not key:
        return None
    for name in names:
        if name.casefold() == key:
            return name
    contained = [
        name
        for name in names
        if len(name) >= 4 and (name.casefold() in key or (len(key) >= 4 and key in name.casefold()))
    ]
    return contained[0] if len(contained) == 1 else None


def _money_of(text: str, plan: Plan) -> int:
    """The amount a row that cannot be read holds, or 0 when that cannot be read either."""
    try:
        return read_amount(text, plan.campaign.currency, plan.decimal)
    except ValueError:  # a CurrencyMismatch too: the row is counted where it is read
        return 0


def _refuse(tally: Preview, line: int, binding: Binding | None, text: str, error: object) -> None:
    """Note that a row cannot be read for the value of ``binding``."""
    assert binding is not None
    tally.add_problem(Problem(line, binding.name, text.strip(), str(error)))


def _refuse_currency(line: int, exc: CurrencyMismatch, currency: str) -> NoReturn:
    message = str(exc)
    message = message[0].lower() + message[1:] if message.startswith("The") else message
    raise ImportRefused(
        f"Line {line}: {message} Nothing was imported; export the report in {currency}."
    )
