"""The compliance commands: ``planner lint``, ``planner rules``, ``planner rule``,
``planner finding``, ``planner signoff``, ``planner signoffs`` and ``planner status``."""

from __future__ import annotations

from pathlib import Path

import click

from planner.cli.common import (
    CAMPAIGN_ID,
    UserError,
    echo_json,
    echo_table,
    open_store,
    read_date,
    today,
)
from planner.cli.database import resolve_db_path
from planner.compliance import (
    Finding,
    Report,
    RuleSet,
    Severity,
    jurisdiction_codes,
    lint_campaign,
    lint_text,
    load_rules,
    record_sign_off,
    sign_offs,
)
from planner.compliance.approval import RULES_DIR_SETTING, rules_of, update_campaign
from planner.domain.advice import command
from planner.domain.inputs import parse_choice
from planner.domain.models import (
    CampaignStatus,
    Channel,
    FindingDecision,
    Offering,
    Review,
    ReviewDecision,
    ReviewKind,
)
from planner.store import Store

CHANNELS = [c.value for c in Channel]
OFFERINGS = [o.value for o in Offering]


def _text_rules(ctx: click.Context, folder: Path | None) -> RuleSet:
    """The rules for ``lint --text``: with the folder remembered by ``rules --use-folder`` when
    the database exists (a text check does not create one)."""
    if folder is None and resolve_db_path(ctx.ensure_object(dict).get("db")).exists():
        return _rules(open_store(ctx), None)
    return _rules(None, folder)


def _rules(store: Store | None, folder: Path | None) -> RuleSet:
    if folder is None and store is not None:
        return rules_of(store)
    return load_rules(folder)


def _finding_lines(finding: Finding) -> list[str]:
    where = finding.subject
    if finding.matched:
        where += f': "{finding.matched}"'
    status = "" if finding.open else f" [{finding.status}]"
    lines = [f"{finding.severity.value.upper():<7} {finding.rule.id}{status}  {where}"]
    lines.append(f"        {finding.rule.title}: {finding.message}")
    lines.append(f"        Fix: {finding.rule.fix}")
    lines.append(f"        Source: {finding.rule.citation}.  Key: {finding.key}")
    if finding.decision is not None and finding.decision.reason:
        by = f" ({finding.decision.name})" if finding.decision.name else ""
        lines.append(f"        Accepted{by}: {finding.decision.reason}")
    return lines


def summary_line(report: Report) -> str:
    counts = report.counts()
    parts = [f"{counts[s.value]} {s.value}" for s in Severity]
    line = ", ".join(parts) + " open"
    decided = [f"{counts[k]} {k}" for k in ("accepted", "confirmed") if counts[k]]
    if decided:
        line += "; " + ", ".join(decided)
    return line + "."


def _echo_report(report: Report, fmt: str, header: str) -> None:
    if fmt == "json":
        echo_json([f.as_json() for f in report.findings])
        return
    if header:
        click.echo(header)
    for finding in report.findings:
        for line in _finding_lines(finding):
            click.echo(line)
    for rule, rule_id, why in report.disabled:
        title = rule.title if rule else "(a rule no pack has now)"
        click.echo(f"OFF     {rule_id}  {title}: turned off for this campaign. {why}")
    click.echo(summary_line(report) if report.findings else "No findings.")


@click.command(short_help="Check messages against the health-advertising rules.")
@click.argument("campaign_id", metavar="[ID]", type=CAMPAIGN_ID, required=False)
@click.option("--text", metavar="TEXT", help="Check this text instead of a campaign.")
@click.option(
    "--jurisdiction",
    "jurisdictions",
    metavar="US|IT|UK|EU",
    multiple=True,
    help="With --text: whose rules apply (repeat for several).",
)
@click.option(
    "--channel",
    "channels",
    type=click.Choice(CHANNELS),
    multiple=True,
    help="With --text: the channel it goes out on (platform rules apply to ads and social).",
)
@click.option("--offering", type=click.Choice(OFFERINGS), default="service", help="With --text.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option(
    "--rules",
    "folder",
    type=click.Path(path_type=Path),
    help="A folder of rule packs of your own, used besides the shipped ones.",
)
@click.pass_context
def lint(
    ctx: click.Context,
    campaign_id: int | None,
    text: str | None,
    jurisdictions: tuple[str, ...],
    channels: tuple[str, ...],
    offering: str,
    fmt: str,
    folder: Path | None,
) -> None:
    """Check a campaign's messages, claims, testimonials and activities (ID), or one text
    (--text), against the rule packs of its jurisdictions. Every finding says what matched,
    why it matters, where the rule comes from and how to fix it.

    Exit status: 1 when a block finding stands, 0 otherwise, 2 on a usage error."""
    if (campaign_id is None) == (text is None):
        raise UserError("Give a campaign ID or --text TEXT to check (one of the two).")
    if text is not None:
        report = lint_text(
            text,
            _text_rules(ctx, folder),
            jurisdictions=jurisdiction_codes(jurisdictions),
            channels=[Channel(c) for c in channels],
            offering=Offering(offering),
        )
        header = ""
        if not jurisdictions:
            header = (
                "No jurisdiction given: only the ad-platform, social-media and general rules "
                "were checked; add --jurisdiction US, IT, UK or EU for the law's."
            )
        _echo_report(report, fmt, header)
    else:
        if jurisdictions or channels or offering != "service":
            raise UserError(
                "--jurisdiction, --channel and --offering go with --text; a campaign's own "
                "are set in its plan."
            )
        store = open_store(ctx)
        campaign = store.get_campaign(campaign_id, tracking=False)
        report = lint_campaign(campaign, _rules(store, folder))
        codes = ", ".join(report.jurisdictions) or "no jurisdiction"
        _echo_report(report, fmt, f"Campaign {campaign_id} '{campaign.name}' ({codes}):")
    ctx.exit(1 if report.blocking else 0)


@click.command(short_help="List the compliance rules.")
@click.option("--jurisdiction", "jurisdictions", metavar="US|IT|UK|EU", multiple=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option(
    "--use-folder",
    metavar="DIR",
    help="Remember a folder of rule packs of your own ('' forgets it).",
)
@click.pass_context
def rules(
    ctx: click.Context, jurisdictions: tuple[str, ...], as_json: bool, use_folder: str | None
) -> None:
    """List the rules of the shipped packs (and of your own folder): id, severity, title."""
    store = open_store(ctx)
    if use_folder is not None:
        if use_folder.strip():
            load_rules(Path(use_folder))  # refuse a folder or a pack that cannot be read
            remembered = str(Path(use_folder).expanduser().resolve())
            store.set_setting(RULES_DIR_SETTING, remembered)
            click.echo(
                f"Remembered {remembered}: its packs are used besides the shipped ones by "
                "'planner lint' and the planner's review.",
                err=True,
            )
        else:
            store.set_setting(RULES_DIR_SETTING, None)
            click.echo("Forgot the rules folder: only the shipped packs are used.", err=True)
    found = _rules(store, None)
    chosen = (
        found.for_jurisdictions(jurisdiction_codes(jurisdictions))
        if jurisdictions
        else list(found.rules)
    )
    if as_json:
        data = [
            {
                "id": r.id,
                "pack": r.pack,
                "jurisdiction": r.jurisdiction,
                "severity": r.severity.value,
                "title": r.title,
                "family": r.family,
                "applies_to": list(r.applies_to),
                "channels": sorted(c.value for c in r.channels),
                "why": r.why,
                "citation": r.citation,
                "fix": r.fix,
            }
            for r in chosen
        ]
        echo_json(data)
        return
    table = [("RULE", "WHERE", "SEVERITY", "TITLE")]
    table += [(r.id, r.jurisdiction, r.severity.value, r.title) for r in chosen]
    echo_table(table)


@click.group(short_help="Turn a rule off or on for a campaign.")
def rule() -> None:
    """Turn a compliance rule off for one campaign (with the reason, which the brief shows),
    or on again."""


@rule.command(name="disable")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.argument("rule_id", metavar="RULE")
@click.option("--reason", required=True, help="Why the rule does not apply to this campaign.")
@click.pass_context
def rule_disable(ctx: click.Context, campaign_id: int, rule_id: str, reason: str) -> None:
    store = open_store(ctx)
    if _rules(store, None).get(rule_id) is None:
        raise UserError(f"There is no rule {rule_id}; '{command(store.path, 'rules')}' lists them.")
    if not reason.strip():
        raise UserError("Give the reason the rule does not apply, with --reason.")
    store.disable_rule(campaign_id, rule_id, reason, expected_version=None)
    click.echo(f"Rule {rule_id.upper()} is off for campaign {campaign_id}.")


@rule.command(name="enable")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.argument("rule_id", metavar="RULE")
@click.pass_context
def rule_enable(ctx: click.Context, campaign_id: int, rule_id: str) -> None:
    open_store(ctx).enable_rule(campaign_id, rule_id, expected_version=None)
    click.echo(f"Rule {rule_id.upper()} applies to campaign {campaign_id} again.")


@click.group(short_help="Accept a review finding or tick a confirm item.")
def finding() -> None:
    """Decide a finding by the key 'planner lint ID' prints: accept a review finding with a
    reason, tick a confirm item, or reopen either. Block findings are fixed, not accepted."""


def _find(store: Store, campaign_id: int, key: str) -> Finding:
    campaign = store.get_campaign(campaign_id, tracking=False)
    report = lint_campaign(campaign, _rules(store, None))
    match = next((f for f in report.findings if f.key == key.strip()), None)
    if match is None:
        raise UserError(
            f"Campaign {campaign_id} has no finding {key}; "
            f"'{command(store.path, 'lint', str(campaign_id))}' shows the keys."
        )
    return match


def _decide(
    ctx: click.Context, campaign_id: int, key: str, decision: str, reason: str, name: str
) -> Finding:
    store = open_store(ctx)
    found = _find(store, campaign_id, key)
    if found.severity.decision != decision:
        hint = {
            Severity.BLOCK: "a block finding must be fixed (or its rule turned off with a reason)",
            Severity.REVIEW: "a review finding is accepted, with a reason",
            Severity.CONFIRM: "a confirm item is confirmed",
        }[found.severity]
        raise UserError(f"Finding {key} is {found.severity.value}: {hint}.")
    store.decide_finding(
        campaign_id,
        FindingDecision(
            key=found.key, rule_id=found.rule.id, decision=decision, reason=reason, name=name
        ),
        expected_version=None,
    )
    return found


@finding.command(name="accept")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.argument("key")
@click.option("--reason", required=True, help="Why the finding is acceptable.")
@click.option("--name", default="", help="Who accepts it.")
@click.pass_context
def finding_accept(ctx: click.Context, campaign_id: int, key: str, reason: str, name: str) -> None:
    if not reason.strip():
        raise UserError("Give the reason the finding is acceptable, with --reason.")
    found = _decide(ctx, campaign_id, key, "accepted", reason, name)
    click.echo(f"Accepted {found.rule.id} on {found.subject}.")


@finding.command(name="confirm")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.argument("key")
@click.option("--name", default="", help="Who confirms it.")
@click.pass_context
def finding_confirm(ctx: click.Context, campaign_id: int, key: str, name: str) -> None:
    found = _decide(ctx, campaign_id, key, "confirmed", "", name)
    click.echo(f"Confirmed: {found.rule.title}.")


@finding.command(name="reopen")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.argument("key")
@click.pass_context
def finding_reopen(ctx: click.Context, campaign_id: int, key: str) -> None:
    open_store(ctx).undo_decision(campaign_id, key, expected_version=None)
    click.echo(f"Finding {key} is open again.")


@click.command(short_help="Record a medical, legal, regulatory or privacy sign-off.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.argument("kind", type=click.Choice([k.value for k in ReviewKind]))
@click.option(
    "--decision",
    type=click.Choice([d.value for d in ReviewDecision if d is not ReviewDecision.PENDING]),
    required=True,
)
@click.option("--name", required=True, help="The reviewer's name.")
@click.option("--date", "when", metavar="DATE", help="YYYY-MM-DD (default: today).")
@click.option("--comments", default="", help="What the reviewer said.")
@click.pass_context
def signoff(
    ctx: click.Context,
    campaign_id: int,
    kind: str,
    decision: str,
    name: str,
    when: str | None,
    comments: str,
) -> None:
    """Record a reviewer's decision on the campaign's messages as they are now. A later change
    to a message withdraws it."""
    if not name.strip():
        raise UserError("Give the reviewer's name with --name.")
    review = Review(
        kind=kind,
        decision=decision,
        reviewer=name,
        date=read_date(when) or today(),
        comments=comments,
    )
    record_sign_off(open_store(ctx), campaign_id, review, today())
    click.echo(f"Recorded the {review.kind.label.lower()} sign-off: {review.decision.label}.")


@click.command(short_help="Show the sign-offs of a campaign.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def signoffs(ctx: click.Context, campaign_id: int, as_json: bool) -> None:
    """The latest sign-off of each kind, and whether it stands for the current messages."""
    campaign = open_store(ctx).get_campaign(campaign_id, tracking=False)
    found = sign_offs(campaign)
    if as_json:
        data = [
            {
                "kind": s.kind.value,
                "standing": s.standing,
                "state": s.note,
                "decision": s.review.decision.value if s.review else None,
                "reviewer": s.review.reviewer if s.review else None,
                "date": s.review.date.isoformat() if s.review and s.review.date else None,
                "comments": s.review.comments if s.review else None,
            }
            for s in found
        ]
        echo_json(data)
        return
    table = [("SIGN-OFF", "STATE", "REVIEWER", "DATE")]
    for s in found:
        review = s.review
        table.append(
            (
                s.kind.label,
                s.note,
                review.reviewer if review else "",
                review.date.isoformat() if review and review.date else "",
            )
        )
    echo_table(table)


@click.command(short_help="Move a campaign to another status.")
@click.argument("campaign_id", metavar="ID", type=CAMPAIGN_ID)
@click.argument("status", metavar="STATUS")
@click.pass_context
def status(ctx: click.Context, campaign_id: int, status: str) -> None:
    """Set the status: draft, in_review, approved, active or completed. A campaign is approved
    only with no block finding, every checklist item confirmed and all four sign-offs."""
    try:
        chosen = parse_choice(CampaignStatus, status, "status")
    except ValueError as exc:
        raise UserError(str(exc)) from None
    update_campaign(open_store(ctx), campaign_id, {"status": chosen}, expected_version=None)
    click.echo(f"Campaign {campaign_id} is now {chosen.label.lower()}.")
