"""The tracking commands: ``planner costs`` and ``planner results`` (record, list and
delete what the campaign spent and achieved) and ``planner report`` (the figures)."""

from __future__ import annotations

from typing import Any

import click

from planner.cli.common import (
    CAMPAIGN_ID,
    UserError,
    echo_json,
    echo_json_list,
    echo_table,
    open_store,
    today,
)
from planner.domain.advice import command


def _value(parse: Any, text: str, *args: Any, **options: Any) -> Any:
    """Read a typed option; a value that cannot be read is a one-sentence user error."""
    try:
        return parse(text, *args, **options)
    except ValueError as exc:
        raise UserError(str(exc)) from None


def _echo_entries(
    entries: Any,
    currency: str,
    *,
    as_json: bool,
    headings: tuple[str, ...],
    cells: Any,
    empty: str,
) -> None:
    """Costs or results as a JSON list (streamed) or a table: id and date, the kind's own
    ``cells``, then the note; ``empty`` when there are none."""
    from planner.tracking import entry_json

    if as_json:
        echo_json_list(entry_json(e, currency) for e in entries)
        return
    table = [headings]
    for e in entries:
        table.append((str(e.id), e.period, *cells(e), e.note.replace("\n", " ")))
    if len(table) == 1:
        click.echo(empty)
        return
    echo_table(table)


@click.group(short_help="Record and list what the campaign spent.")
def costs() -> None:
    """Record what the campaign spent, list it, delete a wrong entry. Amounts are in the
    campaign's currency, typed in major units (120.50)."""


@costs.command(name="add")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option(
    "--date",
    "when",
    required=True,
    metavar="D",
    help="YYYY-MM-DD, a month (YYYY-MM) or a period (YYYY-MM-DD..YYYY-MM-DD).",
)
@click.option(
    "--amount", required=True, metavar="A", help="In the campaign's currency, e.g. 120.50."
)
@click.option(
    "--channel", metavar="C", help="e.g. email, sms, search_ads (default: the activity's)."
)
@click.option("--vendor", metavar="V", default="", help="Who was paid.")
@click.option("--activity", metavar="N", help="The name of the activity it paid for.")
@click.option("--note", metavar="T", default="", help="A note.")
@click.option(
    "--future",
    is_flag=True,
    help="Record a cost dated after today: committed, not yet paid (it counts from its date).",
)
@click.pass_context
def costs_add(
    ctx: click.Context,
    campaign_id: int,
    when: str,
    amount: str,
    channel: str | None,
    vendor: str,
    activity: str | None,
    note: str,
    future: bool,
) -> None:
    """Record a cost and print its id. A cost dated after today is refused unless --future
    says it is committed but not yet paid."""
    from planner.domain.inputs import parse_choice, parse_money, parse_period
    from planner.domain.models import Channel, Cost
    from planner.domain.numbers import format_money, style_of
    from planner.tracking import refuse_future_cost, starts_after

    store = open_store(ctx)
    campaign = store.get_campaign(campaign_id, tracking=False)
    style = style_of(campaign)
    start, end = _value(parse_period, when)
    if not amount.strip():
        raise UserError(
            f"--amount needs an amount, such as {format_money(12050, campaign.currency, style)}."
        )
    minor = _value(parse_money, amount, campaign.currency, style)
    chosen = _value(parse_choice, Channel, channel, "channel") if channel else None
    cost = _entry(
        Cost,
        date=end,
        period_start=start,
        amount_minor=minor,
        channel=chosen,
        vendor=vendor,
        activity=activity,
        note=note,
    )
    refused = None if future else refuse_future_cost(cost, today())
    if refused:
        raise UserError(refused)
    cost_id = store.add_entry(campaign_id, cost)
    click.echo(cost_id)
    later = (
        " It is dated after today: the figures count it from that day on."
        if starts_after(cost, today())
        else ""
    )
    click.echo(
        f"Recorded cost {cost_id}: {format_money(minor, campaign.currency, style, code=True)} "
        f"on {cost.period}." + later,
        err=True,
    )


def _entry(model: Any, **fields: Any) -> Any:
    from pydantic import ValidationError

    from planner.domain.errors import describe_validation_error

    try:
        return model(**fields)
    except ValidationError as exc:
        raise UserError(describe_validation_error(exc)) from None


@costs.command(name="list")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see the README).")
@click.pass_context
def costs_list(ctx: click.Context, campaign_id: int, as_json: bool) -> None:
    """List the recorded costs, oldest first."""
    from planner.domain.models import Cost
    from planner.domain.numbers import format_money, style_of

    store = open_store(ctx)
    with store.snapshot():  # read a thousand at a time, all as of one moment
        campaign = store.get_campaign(campaign_id, tracking=False)
        currency, style = campaign.currency, style_of(campaign)
        _echo_entries(
            store.iter_entries(campaign_id, Cost),
            currency,
            as_json=as_json,
            headings=("ID", "DATE", "AMOUNT", "CHANNEL", "ACTIVITY", "VENDOR", "NOTE"),
            cells=lambda e: (
                format_money(e.amount_minor, currency, style, code=True),
                e.channel.label if e.channel else "–",
                e.activity or "–",
                e.vendor,
            ),
            empty=f"No costs recorded for campaign {campaign_id} yet. Record one with: "
            + command(
                store.path,
                *("costs", "add", str(campaign_id)),
                *("--date", "YYYY-MM-DD", "--amount", "120.50"),
            ),
        )


def _delete_command(group: click.Group, noun: str, kind: str) -> None:
    """``costs delete ID COST_ID`` or ``results delete ID RESULT_ID``: one entry of the kind
    (``Cost`` or ``Result``) deleted by its id."""

    @group.command(name="delete", help=f"Delete a {noun} recorded by mistake.")
    @click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
    @click.argument(f"{noun}_id", metavar=f"{noun.upper()}_ID", type=CAMPAIGN_ID)
    @click.pass_context
    def delete(ctx: click.Context, campaign_id: int, **entry: int) -> None:
        from planner.domain import models

        (entry_id,) = entry.values()  # cost_id or result_id (named so for its refusal)
        open_store(ctx).delete_entry(campaign_id, getattr(models, kind), entry_id)
        click.echo(f"Deleted {noun} {entry_id}.")


_delete_command(costs, "cost", "Cost")


@click.group(short_help="Record and list the results of the campaign's measures.")
def results() -> None:
    """Record what each measure came to, list the results, delete a wrong one."""


@results.command(name="add")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option("--measure", required=True, metavar="NAME", help="The measure's name.")
@click.option(
    "--date",
    "when",
    required=True,
    metavar="D",
    help="YYYY-MM-DD, a month (YYYY-MM) or a period (YYYY-MM-DD..YYYY-MM-DD).",
)
@click.option("--value", required=True, metavar="V", help="The figure, e.g. 42 or 12.5.")
@click.option(
    "--of",
    "out_of",
    metavar="N",
    help="What the figure is out of: --value 21 --of 500 for 21 bookings of 500 invitations.",
)
@click.option("--variant", metavar="NAME", help="The message variant it belongs to.")
@click.option(
    "--activity",
    metavar="NAME",
    help="The activity it belongs to (its variant, segment, influencer and channel are "
    "taken for those not given).",
)
@click.option("--segment", metavar="NAME", help="The segment it belongs to.")
@click.option("--influencer", metavar="NAME", help="The influencer it belongs to.")
@click.option("--channel", metavar="C", help="The channel it belongs to, e.g. email or sms.")
@click.option("--source", metavar="S", default="", help="Where the figure comes from.")
@click.option("--note", metavar="T", default="", help="A note.")
@click.pass_context
def results_add(
    ctx: click.Context,
    campaign_id: int,
    measure: str,
    when: str,
    value: str,
    out_of: str | None,
    variant: str | None,
    activity: str | None,
    segment: str | None,
    influencer: str | None,
    channel: str | None,
    source: str,
    note: str,
) -> None:
    """Record a result of a measure and print its id. A result may say what it is out of
    (--of) and what it belongs to (a variant, an activity, a segment, an influencer, a
    channel), which abtest and report --by compare."""
    from planner.domain.inputs import parse_choice, parse_number, parse_period
    from planner.domain.models import Channel, Result
    from planner.domain.numbers import format_number, is_percent_unit, style_of
    from planner.tracking import refuse_future_result

    store = open_store(ctx)
    campaign = store.get_campaign(campaign_id, tracking=False)
    style = style_of(campaign)
    start, end = _value(parse_period, when)
    found = [m for m in campaign.measures if m.name.casefold() == measure.strip().casefold()]
    percent = not found or is_percent_unit(found[0].unit)  # an unknown measure is refused below
    number = _value(parse_number, value, style, percent=percent)
    if number is None:
        raise UserError("--value needs a number, such as 42 or 12.5.")
    whole = None
    if out_of is not None:
        whole = _value(parse_number, out_of, style)
        if whole is None or whole <= 0:
            raise UserError(
                f"--of needs a number above 0, such as {format_number(500, style)} "
                "(the invitations that the bookings came from)."
            )
    chosen = _value(parse_choice, Channel, channel, "channel") if channel else None
    result = _entry(
        Result,
        measure=measure,
        date=end,
        period_start=start,
        value=number,
        of=whole,
        variant=variant,
        activity=activity,
        segment=segment,
        influencer=influencer,
        channel=chosen,
        source=source,
        note=note,
    )
    refused = refuse_future_result(result, today())
    if refused:
        raise UserError(refused)
    result_id = store.add_entry(campaign_id, result)
    click.echo(result_id)
    of = f" of {out_of.strip()}" if out_of is not None else ""
    click.echo(
        f"Recorded result {result_id}: {measure} {value.strip()}{of} on {result.period}.",
        err=True,
    )


@results.command(name="list")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option("--measure", metavar="NAME", help="Only this measure's results.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see the README).")
@click.pass_context
def results_list(ctx: click.Context, campaign_id: int, measure: str | None, as_json: bool) -> None:
    """List the recorded results, oldest first."""
    from planner.domain.inputs import show_number
    from planner.domain.models import Result
    from planner.domain.numbers import style_of
    from planner.tracking import result_for

    store = open_store(ctx)
    with store.snapshot():  # read a thousand at a time, all as of one moment
        campaign = store.get_campaign(campaign_id, tracking=False)
        style = style_of(campaign)
        labels = {m.name: m.ab_label for m in campaign.messages if m.ab_label}
        _echo_entries(
            store.iter_entries(campaign_id, Result, measure=measure),
            campaign.currency,
            as_json=as_json,
            headings=("ID", "DATE", "MEASURE", "VALUE", "OF", "FOR", "SOURCE", "NOTE"),
            cells=lambda e: (
                e.measure,
                show_number(e.value, style),
                "–" if e.of is None else show_number(e.of, style),
                result_for(e, labels),
                e.source,
            ),
            empty=f"No results recorded for campaign {campaign_id} yet. Record one with: "
            + command(
                store.path,
                *("results", "add", str(campaign_id), "--measure", "NAME"),
                *("--date", "YYYY-MM-DD", "--value", "42"),
            ),
        )


_delete_command(results, "result", "Result")


@click.command(short_help="Budget against spending, progress to target, cost per result, ROI.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option(
    "--by",
    type=click.Choice(["activity", "variant", "segment", "influencer", "channel"]),
    help="The figures by activity, message variant, segment, influencer or channel: spent, "
    "results per measure, cost per result and share of the total.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see the README).")
@click.pass_context
def report(ctx: click.Context, campaign_id: int, by: str | None, as_json: bool) -> None:
    """What the campaign has spent and achieved so far: budget against spending in total and
    by channel, the burn rate and projected spend, each measure's progress to its target,
    cost per result and ROI; with --by, the same by activity, variant, segment, influencer or
    channel. The README gives the formulas."""
    from planner.tracking import report as build
    from planner.tracking import report_json, report_lines

    day = today()
    store = open_store(ctx)
    if by is not None:
        from planner.tracking.dimensions import by_dimension, dimension_json, dimension_lines

        with store.snapshot():
            campaign, data = store.tracking_data(campaign_id, today=day)
            sums = store.result_sums(campaign_id, by, today=day, since_start=True)
        rows = by_dimension(campaign, data, sums, by)
        if as_json:
            echo_json(dimension_json(campaign, rows, by, day.isoformat()))
        else:
            click.echo("\n".join(dimension_lines(campaign, rows, by, day.isoformat())))
        return
    campaign, data = store.tracking_data(campaign_id, today=day)
    found = build(campaign, data, day)
    if as_json:
        echo_json(report_json(found))
    else:
        click.echo("\n".join(report_lines(found)))


@click.command(short_help="Compare the message variants: which one works better, if any.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option("--measure", required=True, metavar="NAME", help="The measure to compare them on.")
@click.option(
    "--segment",
    metavar="NAME",
    help="Compare the variants aimed at this segment (needed "
    "when the variants with results are aimed at several).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see the README).")
@click.pass_context
def abtest(
    ctx: click.Context, campaign_id: int, measure: str, segment: str | None, as_json: bool
) -> None:
    """Compare the message variants of a segment on a measure, from the results recorded
    with --variant (or --activity) and --of: each variant's rate with its 95% interval,
    whether the difference could be chance, and a winner only when it is unlikely to be and
    each variant has been tried enough; otherwise how many more trials would tell. The
    README gives the formulas."""
    from planner.domain.numbers import format_number, style_of
    from planner.domain.words import plural
    from planner.tracking.abtest import ab_test, ab_test_json, rate_text, verdict_words

    store = open_store(ctx)
    with store.snapshot():
        campaign = store.get_campaign(campaign_id, tracking=False)
        sums = store.result_sums(
            campaign_id, "variant", measure=measure, segment=segment, today=today()
        )
    chosen = next(m for m in campaign.measures if m.name.casefold() == measure.casefold())
    found = next(
        (s.name for s in campaign.segments if segment and s.name.casefold() == segment.casefold()),
        None,
    )
    test = ab_test(campaign, chosen, sums, found)
    style = style_of(campaign)
    if as_json:
        echo_json(ab_test_json(test, campaign_id, style))
        return
    table = [("VARIANT", "SUCCESSES", "TRIALS", "RATE", "95% INTERVAL", "MORE NEEDED")]
    for arm in test.verdict.arms:
        low, high = arm.interval
        table.append(
            (
                f"{arm.label}: {arm.name}" if arm.label else arm.name,
                format_number(arm.successes, style),
                format_number(arm.trials, style),
                rate_text(arm.rate, style),
                f"{rate_text(low, style)} to {rate_text(high, style)}",
                format_number(test.verdict.more_needed.get(arm.name, 0), style),
            )
        )
    if len(table) > 1:
        echo_table(table)
        click.echo("")
    click.echo(verdict_words(test, style))
    if test.left_out:
        click.echo(
            f"{plural(test.left_out, 'result')} of '{chosen.name}' name no variant or not "
            "what they are out of, so they are not compared."
        )
