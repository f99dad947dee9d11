"""The Review screen: every compliance finding of a campaign, filtered by severity and rule; review
findings accepted with a reason, confirm items ticked, rules turned off with a reason; the
medical, legal, regulatory and privacy sign-offs; and the approval of the campaign.

Every decision is saved at once through the store, in one transaction, and the list is worked
out again from the saved campaign.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Label, Select, Static

from planner.compliance import (
    Finding,
    Report,
    Severity,
    SignOff,
    approval_problems,
    lint_campaign,
    next_sign_off,
    record_sign_off,
    sign_offs,
)
from planner.compliance.approval import rules_of, update_campaign
from planner.domain.errors import PlannerError
from planner.domain.models import (
    CampaignStatus,
    FindingDecision,
    Review,
)
from planner.plan.editing import CampaignEditor
from screens.base import PlannerScreen
from screens.dialogs import ReasonDialog, SignOffDialog
from screens.styles import css
from screens.widgets.columns import Column, fill_rows, fit_columns
from screens.widgets.findings import SEVERITY_STYLE, counts_text, finding_text, status_mark
from screens.widgets.header import Header
from screens.widgets.keybar import KeyBar

ALL = "all"

# The findings and the sign-offs in columns that fit the screen; a finding's full text is in
# the panel under the list, for the row under the cursor.
FINDING_COLUMNS = [
    Column("Sev", lambda f: Text(f.severity.value, style=SEVERITY_STYLE[f.severity]), 7),
    Column("Where", lambda f: f.subject, weight=3, least=28),
    Column("Rule", lambda f: f.rule.id, weight=2),
    Column("Matched", lambda f: f.matched or "–", optional=True),
    Column("State", lambda f: status_mark(f) or "open", 11),
]

SIGN_OFF_COLUMNS = [
    Column("Sign-off", lambda s: s.kind.label, 10),
    Column("State", lambda s: Text(s.note, style="green" if s.standing else "yellow"), weight=2),
    Column("Reviewer", lambda s: s.review.reviewer if s.review else ""),
    Column("Date", lambda s: s.review.date.isoformat() if s.review and s.review.date else "", 10),
    Column("Comments", lambda s: s.review.comments if s.review else "", optional=True),
]


class FindingsTable(DataTable[Any]):
    BINDINGS = [
        Binding("a", "screen.accept", "Accept"),
        Binding("space", "screen.confirm", "Tick"),
        # Shown in the panel under the list, for the finding under the cursor: the key bar
        # keeps room for Sign off and Approve at 80 columns.
        Binding("o", "screen.reopen", "Reopen", show=False),
        Binding("x", "screen.disable_rule", "Rule off", show=False),
    ]


class SignOffTable(DataTable[Any]):
    BINDINGS = [Binding("enter", "screen.sign_off", "Sign off")]


class ReviewScreen(PlannerScreen[None]):
    """The compliance review of one campaign."""

    CSS_PATH = css("review.tcss")
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("s", "sign_off", "Sign off"),
        Binding("ctrl+a", "approve", "Approve"),
        Binding("f", "cycle_severity", "Severity filter", show=False),
    ]

    def __init__(self, editor: CampaignEditor) -> None:
        super().__init__()
        self.editor = editor
        self.report: Report | None = None
        self.shown: list[Finding] = []
        self.signed: list[SignOff] = []
        self.shown_width = 0  # the width the tables were laid out for

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="review-status")
        with Horizontal(id="filters"):
            yield Label("Severity", classes="filter-label")
            yield Select(
                [("All", ALL)] + [(s.value.capitalize(), s.value) for s in Severity],
                value=ALL,
                allow_blank=False,
                id="severity",
                compact=True,
            )
            yield Label("Rule", classes="filter-label")
            yield Select(
                [("All rules", ALL)], value=ALL, allow_blank=False, id="rule", compact=True
            )
        yield FindingsTable(id="findings", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="finding-detail"):
            yield Static("", id="finding-text")
        yield Static("Sign-offs (s or Enter records one)", classes="section")
        yield SignOffTable(id="signoffs", cursor_type="row")
        yield Static("", id="disabled-rules")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = f"Compliance review: {self.editor.campaign.name}"
        self.refresh_report()
        self.query_one("#findings", FindingsTable).focus()

    def on_resize(self) -> None:
        if self.size.width != self.shown_width:
            self.show_findings()
            self.show_sign_offs()

    # Showing ------------------------------------------------------------------------------

    def refresh_report(self) -> None:
        campaign = self.editor.campaign
        try:
            self.report = lint_campaign(campaign, rules_of(self.editor.store))
        except PlannerError as exc:
            self.report = None
            self.query_one("#review-status", Static).update(Text(str(exc), style="bold red"))
            return
        report = self.report
        status = Text(f"Status: {campaign.status.label} · ")
        status.append_text(counts_text(report))
        codes = ", ".join(report.jurisdictions) or "none chosen"
        status.append(f" · jurisdictions: {codes}")
        self.query_one("#review-status", Static).update(status)
        rules = sorted({f.rule.id for f in report.findings})
        select = self.query_one("#rule", Select)
        current = select.value
        select.set_options([("All rules", ALL)] + [(r, r) for r in rules])
        select.value = current if current in rules else ALL
        self.show_findings()
        self.show_sign_offs()
        self.show_disabled()

    def show_findings(self) -> None:
        table = self.query_one("#findings", FindingsTable)
        keep = table.cursor_row
        table.clear()
        if self.report is None:
            return
        severity = self.query_one("#severity", Select).value
        rule = self.query_one("#rule", Select).value
        self.shown = [
            f
            for f in self.report.findings
            if (severity == ALL or f.severity.value == severity)
            and (rule == ALL or f.rule.id == rule)
        ]
        self.shown_width = self.size.width
        columns = fit_columns(table, FINDING_COLUMNS, self.size.width or 80)
        fill_rows(table, columns, self.shown, [str(n) for n in range(len(self.shown))])
        if self.shown:
            table.move_cursor(row=min(keep, len(self.shown) - 1))
        self.show_detail()

    def current(self) -> Finding | None:
        table = self.query_one("#findings", FindingsTable)
        if not self.shown or not table.row_count:
            return None
        return self.shown[min(table.cursor_row, len(self.shown) - 1)]

    def show_detail(self) -> None:
        finding = self.current()
        text = self.query_one("#finding-text", Static)
        if finding is None:
            if self.report is not None and not self.report.findings:
                text.update(Text("✓ Nothing to review: no rule found anything.", style="green"))
            else:
                text.update("No finding matches the filters.")
            return
        detail = finding_text(finding)
        detail.append("\n")
        detail.append(
            {
                Severity.BLOCK: "Fix it in the plan, or x turns the rule off with a reason.",
                Severity.REVIEW: "a accepts it with a reason; o reopens it.",
                Severity.CONFIRM: "Space ticks it as confirmed; o reopens it.",
            }[finding.severity],
            style="dim",
        )
        text.update(detail)

    def show_sign_offs(self) -> None:
        table = self.query_one("#signoffs", SignOffTable)
        row = table.cursor_row
        table.clear()
        self.signed = sign_offs(self.editor.campaign)
        columns = fit_columns(table, SIGN_OFF_COLUMNS, self.size.width or 80)
        fill_rows(table, columns, self.signed, [s.kind.value for s in self.signed])
        table.move_cursor(row=row)

    def show_disabled(self) -> None:
        widget = self.query_one("#disabled-rules", Static)
        if self.report is None or not self.report.disabled:
            widget.display = False
            return
        lines = Text("Rules turned off for this campaign:", style="bold")
        for rule, rule_id, why in self.report.disabled:
            title = rule.title if rule else "no pack has this rule now"
            lines.append(f"\n{rule_id} ({title}): {why}")
        widget.update(lines)
        widget.display = True

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id in ("severity", "rule"):
            self.show_findings()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "findings":
            self.show_detail()

    # Deciding -----------------------------------------------------------------------------

    def _saved(self, write: Any, done: str) -> None:
        try:
            write()
        except PlannerError as exc:
            self.app.report(exc)
            return
        self.editor.reload()
        self.refresh_report()
        self.app.notify(done)

    def action_accept(self) -> None:
        finding = self.current()
        if finding is None:
            return
        if finding.severity is not Severity.REVIEW:
            self.app.notify(
                "Only a review finding is accepted. "
                + (
                    "A block finding is fixed in the plan (or its rule turned off with x)."
                    if finding.severity is Severity.BLOCK
                    else "A confirm item is ticked with Space."
                ),
                severity="warning",
            )
            return

        def accepted(reason: str | None) -> None:
            if reason:
                self._decide(finding, "accepted", reason)

        self.app.push_screen(
            ReasonDialog(
                "Accept the finding",
                f"{finding.rule.title}: {finding.subject}. Why is it acceptable?",
                "Accept",
            ),
            accepted,
        )

    def action_confirm(self) -> None:
        finding = self.current()
        if finding is None:
            return
        if finding.severity is not Severity.CONFIRM:
            self.app.notify("Space ticks checklist (confirm) items.", severity="warning")
            return
        if finding.status == "confirmed":
            self.action_reopen()
            return
        self._decide(finding, "confirmed", "")

    def _decide(self, finding: Finding, decision: str, reason: str) -> None:
        choice = FindingDecision(
            key=finding.key,
            rule_id=finding.rule.id,
            decision=decision,
            reason=reason,
            name=self.editor.campaign.prepared_by[:200],
        )
        self._saved(
            lambda: self.editor.store.decide_finding(
                self.editor.campaign_id, choice, expected_version=None
            ),
            f"{'Accepted' if decision == 'accepted' else 'Confirmed'}: {finding.rule.title}.",
        )

    def action_reopen(self) -> None:
        finding = self.current()
        if finding is None or finding.open:
            return
        self._saved(
            lambda: self.editor.store.undo_decision(
                self.editor.campaign_id, finding.key, expected_version=None
            ),
            f"Reopened: {finding.rule.title}.",
        )

    def action_disable_rule(self) -> None:
        finding = self.current()
        if finding is None:
            return
        rule = finding.rule

        def turned_off(reason: str | None) -> None:
            if reason:
                self._saved(
                    lambda: self.editor.store.disable_rule(
                        self.editor.campaign_id, rule.id, reason, expected_version=None
                    ),
                    f"Rule {rule.id} is off for this campaign.",
                )

        self.app.push_screen(
            ReasonDialog(
                f"Turn off {rule.id}",
                f"“{rule.title}” will not be checked for this campaign at all. Why does it "
                "not apply? The reason is shown in the brief.",
                "Turn off",
            ),
            turned_off,
        )

    def action_sign_off(self) -> None:
        """Record a sign-off: of the kind under the cursor when the sign-offs table has the
        focus, else the next one pending (the dialog lets either be changed)."""
        table = self.query_one("#signoffs", SignOffTable)
        campaign = self.editor.campaign
        kind = (
            self.signed[table.cursor_row].kind
            if self.focused is table and self.signed
            else next_sign_off(campaign)
        )
        today = self.app.today() if hasattr(self.app, "today") else dt.date.today()

        def recorded(review: Review | None) -> None:
            if review is not None:
                self._saved(
                    lambda: record_sign_off(
                        self.editor.store, self.editor.campaign_id, review, today
                    ),
                    f"Recorded the {review.kind.label.lower()} sign-off.",
                )

        self.app.push_screen(SignOffDialog(kind, today), recorded)

    def action_approve(self) -> None:
        campaign = self.editor.campaign
        if campaign.status is CampaignStatus.APPROVED:
            self.app.notify("The campaign is approved already.")
            return
        try:
            problems = approval_problems(campaign, rules_of(self.editor.store))
        except PlannerError as exc:
            self.app.report(exc)
            return
        if problems:
            self.app.notify(
                "Not approved yet: " + "; ".join(problems) + ".",
                severity="warning",
                timeout=10,
            )
            return
        self._saved(
            lambda: update_campaign(
                self.editor.store,
                self.editor.campaign_id,
                {"status": CampaignStatus.APPROVED},
                expected_version=None,
            ),
            "The campaign is approved.",
        )

    def action_cycle_severity(self) -> None:
        select = self.query_one("#severity", Select)
        order = [ALL] + [s.value for s in Severity]
        select.value = order[(order.index(select.value) + 1) % len(order)]

    def action_back(self) -> None:
        self.dismiss()

    def commands(self) -> list[SystemCommand]:
        return [
            SystemCommand(
                "Approve the campaign",
                "When no block finding, unticked checklist item or missing sign-off stands",
                self.action_approve,
            ),
            SystemCommand(
                "Record a sign-off", "Medical, legal, regulatory or privacy", self.action_sign_off
            ),
            SystemCommand(
                "Show block findings only", "Filter the list by severity", self._only_blocks
            ),
        ]

    def _only_blocks(self) -> None:
        self.query_one("#severity", Select).value = Severity.BLOCK.value
