"""The plan from the command line: ``planner set ID FIELD VALUE`` for the campaign's own fields,
and for each kind of item ``planner segments|influencers|messages|activities|measures|budget
list|add|edit|delete``. Values are typed as in the planner's forms (numbers and amounts in the
campaign's number style, a choice by its label or code, several separated by commas), and
every write goes through the same checks as the planner's: the models' validation, the
approval check, and ``--version N`` refusing a write when the campaign has moved on."""

from __future__ import annotations

from typing import Any

import click

from planner.cli.common import CAMPAIGN_ID, UserError, echo_json_list, echo_table, open_store
from planner.domain import registry
from planner.domain.words import plural_of

VERSION_HELP = (
    "Write only if the campaign is still at this version (see 'planner show'); another "
    "change saved since is then reported, not overwritten."
)


def _read(store: Any, campaign_id: int) -> Any:
    return store.get_campaign(campaign_id, tracking=False)


def _typed(
    text: str, kind: str, label: str, campaign: Any, choices: Any = (), percent: bool = False
) -> Any:
    from planner.domain.numbers import style_of
    from planner.plan.typed import read_value

    try:
        return read_value(
            text,
            kind,
            label=label,
            currency=campaign.currency,
            style=style_of(campaign),
            choices=choices,
            percent=percent,
        )
    except ValueError as exc:
        raise UserError(f"{label}: {exc}") from None


def _shown(value: Any, name: str, campaign: Any, choice: Any = None) -> str:
    from planner.domain.numbers import style_of
    from planner.plan.revisions import show_value

    return show_value(value, name, campaign.currency, style_of(campaign), choice, whole=True)


# planner set ------------------------------------------------------------------------------------


@click.command(
    name="set",
    short_help="Change one of a campaign's own fields.",
    # a VALUE may start with "-" (-500): it is the value, not an option
    context_settings={"ignore_unknown_options": True},
)
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.argument("field", metavar="FIELD")
@click.argument("value", metavar="VALUE")
@click.option("--version", "version", type=int, help=VERSION_HELP)
@click.pass_context
def set_(ctx: click.Context, campaign_id: int, field: str, value: str, version: int | None) -> None:
    """Set FIELD of campaign ID to VALUE, typed as in the planner (dates as 2027-03-01,
    numbers in the campaign's style, jurisdictions separated by commas; "" empties a field).
    FIELD is a name such as name, practice, objective, start_date or start-date; 'planner set
    ID --help' lists them all below."""
    from planner.compliance.approval import update_campaign
    from planner.plan.revisions import choice_of
    from planner.plan.typed import campaign_choices, campaign_fields
    from planner.store import field_label

    fields = campaign_fields()
    name = field.strip().lower().replace("-", "_").replace(" ", "_")
    if name not in fields and f"{name}_minor" in fields:
        name = f"{name}_minor"  # an amount by its name in words: expected-revenue
    if name not in fields:
        known = ", ".join(sorted(f.removesuffix("_minor") for f in fields))
        raise UserError(
            f"A campaign has no field '{field}' that 'planner set' changes; it changes {known} "
            "(items have their own commands, such as 'planner segments add'; the status has "
            "'planner status')."
        )
    store = open_store(ctx)
    campaign = _read(store, campaign_id)
    label = field_label(name)
    typed = _typed(value, fields[name], label, campaign, campaign_choices(name))
    before = getattr(campaign, name)
    choice = choice_of("campaign", name)
    if typed == before:  # no new version, no history entry, no sign-off withdrawn
        click.echo(
            f"Campaign {campaign_id}: {label} is already {_shown(before, name, campaign, choice)};"
            f" nothing changed (version {campaign.version})."
        )
        return
    new_version = update_campaign(store, campaign_id, {name: typed}, expected_version=version)
    after = getattr(_read(store, campaign_id), name)
    click.echo(
        f"Campaign {campaign_id}: {label} {_shown(before, name, campaign, choice)} → "
        f"{_shown(after, name, campaign, choice)} (version {new_version})."
    )
    if name == "currency" and before != after:
        click.echo(
            f"Its amounts are not converted: {before} figures now read as {after}; change "
            "them if they were not already in it.",
            err=True,
        )


# planner segments|influencers|messages|activities|measures|budget --------------------------------


def _option(field: registry.FormField) -> str:
    """``--age-min``; an amount by its name in words (``--planned-cost``, typed in the
    campaign's currency, not in cents)."""
    return "--" + field.name.removesuffix("_minor").replace("_", "-")


def _choices(kind: registry.Kind, field: registry.FormField, campaign: Any) -> Any:
    """A choice field's choices: the names of the items a link names, else the members of its
    enumeration, else its own list."""
    from planner.plan.typed import options

    if field.choices:
        return field.choices
    link = next((link for link in kind.links if link.field == field.name), None)
    if link is not None:
        named = getattr(campaign, registry.kind(link.target).list_field)
        return [(item.name, item.name) for item in named]
    enum = kind.enumeration(field.name)
    return options(enum) if enum is not None else ()


def _values(
    kind: registry.Kind, given: dict[str, str | None], campaign: Any, item: Any = None
) -> dict[str, Any]:
    """The options given, each read as its field's form reads it: a figure of a measure in
    "% of ..." may end with %, its unit being the one given, else the measure's own."""
    from planner.domain.rates import is_percent_unit

    unit = given.get("unit") or (getattr(item, "unit", "") if item is not None else "") or ""
    values = {}
    for field in kind.form:
        text = given.get(field.name)
        if text is None:
            continue
        label = kind.label(field.name).lower()
        percent = field.percent_by_unit and is_percent_unit(unit)
        choices = _choices(kind, field, campaign)
        values[field.name] = _typed(text, field.kind, label, campaign, choices, percent)
    return values


def _find(kind: registry.Kind, campaign: Any, name: str) -> Any:
    items = getattr(campaign, kind.list_field)
    wanted = name.strip().casefold()
    for item in items:
        if item.name.casefold() == wanted:
            return item
    names = ", ".join(f"'{i.name}'" for i in items) or "none yet"
    raise UserError(f"Campaign {campaign.id} has no {kind.noun} called '{name}' ({names}).")


def _model(kind: registry.Kind, data: dict[str, Any]) -> Any:
    return _validated(kind.model, data, kind.noun)


def _validated(model: Any, data: dict[str, Any], what: str) -> Any:
    """``data`` as a ``model``, checked as the planner's forms check it; else one sentence."""
    from pydantic import ValidationError

    from planner.domain.errors import describe_validation_error

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise UserError(describe_validation_error(exc, what)) from None


def _with_field_options(kind_name: str, command: Any, *, new: bool) -> Any:
    """``command`` with an option for each field of the kind's form (``--age-min``...)."""
    kind = _kind(kind_name)
    for field in reversed(kind.form):
        if field.name == "name":
            continue  # the NAME argument (add), or --rename (edit)
        help_text = kind.label(field.name)
        if field.kind == "money":
            help_text += " (in the campaign's currency, as it writes amounts: 1,234.50)"
        elif field.kind in ("choices", "words"):
            help_text += " (several separated by commas)"
        elif field.kind == "check":
            help_text += " (yes or no)"
        elif field.kind == "lines":
            help_text += " (lines separated by \\n)"
        command = click.option(_option(field), field.name, metavar="VALUE", help=help_text)(command)
    if not new:
        command = click.option("--rename", metavar="NAME", help="A new name.")(command)
    return command


def _kind(list_field: str) -> registry.Kind:
    return next(k for k in registry.plan_kinds() if k.list_field == list_field)


def _register(
    group: click.Group, fn: Any, list_field: str, *, new: bool, short: str, long: str
) -> None:
    """``fn`` as the group's command ``add`` or ``edit``: ID, NAME, --version and an option for
    each field of the kind's form."""
    command = _with_field_options(list_field, click.pass_context(fn), new=new)
    command = click.option("--version", "version", type=int, help=VERSION_HELP)(command)
    if new:  # the name as NAME or --name (planner measures add ID --name "Walk-in bookings")
        command = click.option("--name", "named", metavar="NAME", help="Its name.")(command)
        command = click.argument("name", metavar="[NAME]", required=False)(command)
    else:
        command = click.argument("name", metavar="NAME")(command)
    command = click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)(command)
    group.command(name=fn.__name__, short_help=short, help=long)(command)


def _group(list_field: str, command_name: str) -> click.Group:
    kind = _kind(list_field)
    noun, nouns = kind.noun, plural_of(kind.noun)

    @click.group(name=command_name, short_help=f"List, add, edit or delete a campaign's {nouns}.")
    def group() -> None:
        pass

    group.help = (
        f"List, add, edit or delete the {nouns} of a campaign's plan, with the checks of the "
        f"planner's forms; each change is in 'planner history' and 'planner undo' takes it back."
    )

    @group.command(name="list", short_help=f"List a campaign's {nouns}.")
    @click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
    @click.option("--json", "as_json", is_flag=True, help=f"Every field of each {noun}.")
    @click.pass_context
    def list_(ctx: click.Context, campaign_id: int, as_json: bool) -> None:
        campaign = _read(open_store(ctx), campaign_id)
        items = getattr(campaign, list_field)
        if as_json:
            echo_json_list(item.model_dump(mode="json") for item in items)
            return
        if not items:
            click.echo(f"Campaign {campaign_id} has no {nouns} yet.")
            return
        shown = [f for f in kind.form if f.kind not in ("long", "lines")][:5]
        table = [tuple(kind.label(f.name) for f in shown)]
        for item in items:
            table.append(
                tuple(
                    _shown(getattr(item, f.name), f.name, campaign, kind.enumeration(f.name))
                    .strip("'")
                    .replace("(empty)", "")
                    for f in shown
                )
            )
        echo_table(table)

    def add(
        ctx: click.Context,
        campaign_id: int,
        name: str | None,
        named: str | None,
        version: int | None,
        **given: Any,
    ) -> None:
        if name is not None and named is not None and name != named:
            raise UserError(f"Give the {noun}'s name once: as NAME or as --name, not both.")
        name = name if name is not None else named
        if name is None:
            raise UserError(f"Give the new {noun} a name: NAME or --name.")
        store = open_store(ctx)
        campaign = _read(store, campaign_id)
        # as the planner's "New ..." field makes one (a measure's category...), then the fields
        start = kind.new(name, campaign).model_dump() if kind.new else {"name": name}
        item = _model(kind, {**start, "name": name, **_values(kind, given, campaign)})
        added = store.add_item(campaign_id, item, expected_version=version)
        click.echo(
            f"Added {noun} '{item.name}' to campaign {campaign_id} (version {added.version})."
        )

    _register(
        group,
        add,
        list_field,
        new=True,
        short=f"Add a {noun} called NAME.",
        long=f"Add a {noun} called NAME (or --name NAME) to campaign ID, with the fields given "
        "as options.",
    )

    def edit(
        ctx: click.Context,
        campaign_id: int,
        name: str,
        rename: str | None,
        version: int | None,
        **given: Any,
    ) -> None:
        store = open_store(ctx)
        campaign = _read(store, campaign_id)
        item = _find(kind, campaign, name)
        changes = _values(kind, given, campaign, item)
        if rename is not None:
            taken = [
                i.name
                for i in getattr(campaign, kind.list_field)
                if i.id != item.id and i.name.casefold() == rename.strip().casefold()
            ]
            if taken:
                raise UserError(
                    f"Campaign {campaign_id} already has a {kind.noun} called '{taken[0]}'; "
                    "choose another name."
                )
            changes["name"] = rename
        if not changes:
            raise UserError("Give the fields to change, such as --rename; see --help.")
        updated = _model(kind, {**item.model_dump(), **changes}).model_copy(update={"id": item.id})
        new_version = store.update_item(campaign_id, updated, expected_version=version)
        said = ", ".join(kind.label(k).lower() for k in changes)
        click.echo(
            f"Changed {noun} '{updated.name}' of campaign {campaign_id}: {said} "
            f"(version {new_version})."
        )

    _register(
        group,
        edit,
        list_field,
        new=False,
        short=f"Change fields of the {noun} called NAME.",
        long=f"Change the fields given as options of the {noun} called NAME in campaign ID; "
        "the others stay as they are.",
    )

    @group.command(name="delete", short_help=f"Delete the {noun} called NAME.")
    @click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
    @click.argument("name", metavar="NAME")
    @click.option("--version", "version", type=int, help=VERSION_HELP)
    @click.pass_context
    def delete(ctx: click.Context, campaign_id: int, name: str, version: int | None) -> None:
        store = open_store(ctx)
        item = _find(kind, _read(store, campaign_id), name)
        new_version = store.delete_item(campaign_id, kind.model, item.id, expected_version=version)
        after = f" {kind.on_delete}" if kind.on_delete else ""
        click.echo(
            f"Deleted {noun} '{item.name}' from campaign {campaign_id} (version {new_version})."
            f"{after} 'planner undo {campaign_id}' puts it back."
        )

    delete.help = (
        f"Delete the {noun} called NAME from campaign ID ('planner undo ID' puts it back)."
    )
    return group


segments = _group("segments", "segments")
influencers = _group("influencers", "influencers")
messages = _group("messages", "messages")
activities = _group("activities", "activities")
measures = _group("measures", "measures")
budget = _group("budget", "budget")


# planner claims ---------------------------------------------------------------------------------


@click.group(name="claims", short_help="List, add, edit or delete a message variant's claims.")
def claims() -> None:
    """The claims a message variant makes, each with its evidence: the same as the claims of
    the planner's Message step, checked as its claim dialog checks them."""


@claims.command(name="list", short_help="List the claims of a campaign's message variants.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option("--json", "as_json", is_flag=True, help="Each claim with its variant.")
@click.pass_context
def claims_list(ctx: click.Context, campaign_id: int, as_json: bool) -> None:
    """List the claims of campaign ID's message variants, with their evidence."""
    campaign = _read(open_store(ctx), campaign_id)
    found = [(v, c) for v in campaign.messages for c in v.claims]
    if as_json:
        echo_json_list(
            {"variant": v.name, **c.model_dump(mode="json", exclude={"id"})} for v, c in found
        )
        return
    if not found:
        click.echo(f"Campaign {campaign_id} has no claims yet.")
        return
    table = [("Variant", "Claim", "Evidence", "Reference")]
    for v, c in found:
        kind = c.evidence_kind.label if c.evidence_kind else ""
        table.append((v.name, c.text, kind, c.evidence_reference))
    echo_table(table)


@claims.command(name="add", short_help="Add a claim to a message variant.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.argument("variant", metavar="VARIANT")
@click.argument("text", metavar="TEXT")
@click.option("--evidence", metavar="KIND", help="The kind of evidence, by its label or code.")
@click.option("--reference", metavar="TEXT", default="", help="Where the evidence is.")
@click.option("--version", "version", type=int, help=VERSION_HELP)
@click.pass_context
def claims_add(
    ctx: click.Context,
    campaign_id: int,
    variant: str,
    text: str,
    evidence: str | None,
    reference: str,
    version: int | None,
) -> None:
    """Add the claim TEXT to the message variant called VARIANT of campaign ID."""
    from planner.domain.models import Claim
    from planner.domain.records import EvidenceKind
    from planner.plan.typed import options

    store = open_store(ctx)
    campaign = _read(store, campaign_id)
    kind = _kind("messages")
    found = _find(kind, campaign, variant)
    if any(c.text.strip().casefold() == text.strip().casefold() for c in found.claims):
        raise UserError(f"The message variant '{found.name}' already makes the claim '{text}'.")
    evidence_kind = (
        _typed(evidence, "choice", "evidence", campaign, options(EvidenceKind))
        if evidence
        else None
    )
    data = {"text": text, "evidence_kind": evidence_kind, "evidence_reference": reference}
    claim = _validated(Claim, data, "claim")
    updated = found.model_copy(update={"claims": [*found.claims, claim]})
    new_version = store.update_item(campaign_id, updated, expected_version=version)
    click.echo(
        f"Added a claim to message variant '{found.name}' of campaign {campaign_id} "
        f"(version {new_version})."
    )


@claims.command(name="edit", short_help="Change a claim of a message variant.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.argument("variant", metavar="VARIANT")
@click.argument("text", metavar="TEXT")
@click.option("--text", "new_text", metavar="TEXT", help="Its new words.")
@click.option("--evidence", metavar="KIND", help="The kind of evidence ('' for none).")
@click.option("--reference", metavar="TEXT", help="Where the evidence is.")
@click.option("--version", "version", type=int, help=VERSION_HELP)
@click.pass_context
def claims_edit(
    ctx: click.Context,
    campaign_id: int,
    variant: str,
    text: str,
    new_text: str | None,
    evidence: str | None,
    reference: str | None,
    version: int | None,
) -> None:
    """Change the claim TEXT of the message variant called VARIANT of campaign ID: its words,
    its kind of evidence or where the evidence is."""
    from planner.domain.models import Claim
    from planner.domain.records import EvidenceKind
    from planner.plan.typed import options

    store = open_store(ctx)
    campaign = _read(store, campaign_id)
    found = _find(_kind("messages"), campaign, variant)
    claim = _claim_of(found, text)
    changes: dict[str, Any] = {}
    if new_text is not None:
        changes["text"] = new_text
    if evidence is not None:
        changes["evidence_kind"] = _typed(
            evidence, "choice", "evidence", campaign, options(EvidenceKind)
        )
    if reference is not None:
        changes["evidence_reference"] = reference
    if not changes:
        raise UserError("Give what to change: --text, --evidence or --reference.")
    edited = _validated(Claim, {**claim.model_dump(), **changes}, "claim")
    claims = [edited if c is claim else c for c in found.claims]
    new_version = store.update_item(
        campaign_id, found.model_copy(update={"claims": claims}), expected_version=version
    )
    click.echo(
        f"Changed a claim of message variant '{found.name}' of campaign {campaign_id} "
        f"(version {new_version})."
    )


def _claim_of(variant: Any, text: str) -> Any:
    """The variant's claim whose words are ``text`` (any case)."""
    wanted = text.strip().casefold()
    for claim in variant.claims:
        if claim.text.strip().casefold() == wanted:
            return claim
    raise UserError(f"The message variant '{variant.name}' makes no claim '{text}'.")


@claims.command(name="delete", short_help="Delete a claim of a message variant.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.argument("variant", metavar="VARIANT")
@click.argument("text", metavar="TEXT")
@click.option("--version", "version", type=int, help=VERSION_HELP)
@click.pass_context
def claims_delete(
    ctx: click.Context, campaign_id: int, variant: str, text: str, version: int | None
) -> None:
    """Delete the claim TEXT (as 'planner claims list' gives it) from the message variant
    called VARIANT of campaign ID; 'planner undo ID' puts it back."""
    store = open_store(ctx)
    found = _find(_kind("messages"), _read(store, campaign_id), variant)
    claim = _claim_of(found, text)
    kept = [c for c in found.claims if c is not claim]
    updated = found.model_copy(update={"claims": kept})
    new_version = store.update_item(campaign_id, updated, expected_version=version)
    click.echo(
        f"Deleted the claim from message variant '{found.name}' of campaign {campaign_id} "
        f"(version {new_version}). 'planner undo {campaign_id}' puts it back."
    )
