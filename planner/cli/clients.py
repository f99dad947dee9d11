"""A consultant's clients: ``planner clients`` rolls up each practice's campaigns, ``planner
client PRACTICE`` shows or keeps its details, which every brief of its campaigns shows."""

from __future__ import annotations

import re
from pathlib import Path

import click

from planner.cli.common import UserError, echo_json_list, echo_table, open_store, today

LOGO_LIMIT = 512 * 1024  # bytes: a logo, not a photograph
_COLOUR = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


@click.command(short_help="Each practice's campaigns, budget and spending.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see the README).")
@click.pass_context
def clients(ctx: click.Context, as_json: bool) -> None:
    """Every practice (client) with campaigns or kept details: how many campaigns (archived
    ones among them), how many need attention (over budget, behind target...), their budget
    and what they spent, by currency."""
    from planner.domain.numbers import format_amounts
    from planner.domain.words import practice_key
    from planner.tracking.attention import attention_by_practice

    store = open_store(ctx)
    found = store.list_clients()
    flagged = attention_by_practice(store, today=today())
    attention = {c.name: flagged.get(practice_key(c.name), 0) for c in found}
    if as_json:
        echo_json_list({**c.as_json(), "attention": attention[c.name]} for c in found)
        return
    if not found:
        click.echo("No practices yet: a campaign's practice, or 'planner client', makes one.")
        return

    table = [("Practice", "Campaigns", "Archived", "Attention", "Budget", "Spent", "Details")]
    for c in found:
        table.append(
            (
                c.name,
                str(c.campaigns),
                str(c.archived),
                str(attention[c.name]),
                format_amounts(c.budget),
                format_amounts(c.spent),
                "yes" if c.has_details else "no",
            )
        )
    echo_table(table)


@click.command(short_help="Show or keep a practice's details for its briefs.")
@click.argument("practice", metavar="PRACTICE")
@click.option("--name", metavar="TEXT", help="The practice's name as its briefs write it.")
@click.option("--address", metavar="TEXT", help="Its address.")
@click.option("--phone", metavar="TEXT", help="Its phone number.")
@click.option("--website", metavar="TEXT", help="Its website.")
@click.option(
    "--prepared-by",
    metavar="TEXT",
    help="Who prepares its briefs (a campaign's own 'Prepared by' comes first).",
)
@click.option(
    "--colour",
    "--color",
    "colour",
    metavar="HEX",
    help="The briefs' accent colour, such as #1f6f8b ('' for the standard one).",
)
@click.option("--logo", metavar="FILE", help="A PNG or JPEG for the briefs' cover ('' removes it).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def client(
    ctx: click.Context,
    practice: str,
    name: str | None,
    address: str | None,
    phone: str | None,
    website: str | None,
    prepared_by: str | None,
    colour: str | None,
    logo: str | None,
    as_json: bool,
) -> None:
    """Show the details kept for PRACTICE (as its campaigns name it; letter case does not
    matter), or keep those given: every brief of its campaigns then shows its address, phone
    and website, its logo on the cover and its colour (HTML, PDF and Word)."""
    import json

    changes: dict[str, object] = {
        key: value.strip()
        for key, value in {
            "name": name,
            "address": address,
            "phone": phone,
            "website": website,
            "prepared_by": prepared_by,
        }.items()
        if value is not None
    }
    if changes.get("name") == "":
        raise UserError("A practice needs a name; --name cannot be empty.")
    if colour is not None:
        changes["colour"] = _colour(colour)
    if logo is not None:
        changes["logo"] = _logo(logo) if logo.strip() else None
    store = open_store(ctx)
    if changes:
        kept = store.set_client(practice, changes)
        click.echo(f"Kept the details of {kept.name}; its campaigns' briefs show them.", err=True)
    else:
        kept = store.get_client(practice)
        if kept is None:
            raise UserError(
                f"No details are kept for '{practice}' yet; give them, such as "
                f'planner client "{practice}" --address "..." --phone "...".'
            )
    if as_json:
        click.echo(json.dumps(kept.as_json(), ensure_ascii=False, indent=2))
        return
    logo_said = f"{kept.logo_type}, {len(kept.logo):,} bytes" if kept.logo else "–"
    echo_table(
        [
            ("Practice", kept.name),
            ("Address", kept.address or "–"),
            ("Phone", kept.phone or "–"),
            ("Website", kept.website or "–"),
            ("Prepared by", kept.prepared_by or "–"),
            ("Colour", kept.colour or "standard"),
            ("Logo", logo_said),
        ]
    )


def _colour(text: str) -> str:
    """``#1f6f8b`` (or ``1f6f8b``, ``#17b``) as #rrggbb; "" for the standard colour."""
    text = text.strip()
    if not text:
        return ""
    match = _COLOUR.fullmatch(text)
    if match is None:
        raise UserError(f"'{text}' is not a colour; give it as a hex code such as #1f6f8b.")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return "#" + digits.lower()


def _logo(text: str) -> tuple[bytes, str]:
    """The logo file's bytes and type, read whole; only PNG and JPEG, up to LOGO_LIMIT."""
    path = Path(text).expanduser()
    try:
        size = path.stat().st_size
        if size > LOGO_LIMIT:
            raise UserError(
                f"The logo '{path}' is {size:,} bytes; a logo of up to {LOGO_LIMIT // 1024} KB "
                "keeps the briefs light. Save a smaller PNG or JPEG."
            )
        data = path.read_bytes()
    except UserError:
        raise
    except FileNotFoundError:
        raise UserError(f"There is no file '{path}'.") from None
    except IsADirectoryError:
        raise UserError(f"'{path}' is a folder; give the logo's file.") from None
    except OSError as exc:
        raise UserError(f"The logo '{path}' could not be read ({exc.strerror}).") from None
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return data, "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return data, "image/jpeg"
    raise UserError(f"The logo '{path}' is not a PNG or JPEG image.")
