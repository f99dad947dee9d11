"""How a compliance finding looks on screen: the matched words highlighted in their text, with
what the rule says and how to fix it."""

from __future__ import annotations

from rich.text import Text

from planner.compliance import Finding, Report, Severity, highlight_spans

SEVERITY_STYLE = {
    Severity.BLOCK: "bold white on dark_red",
    Severity.REVIEW: "bold black on yellow",
    Severity.CONFIRM: "bold white on blue",
}
MATCH_STYLE = {
    Severity.BLOCK: "bold underline red",
    Severity.REVIEW: "bold underline dark_orange",
    Severity.CONFIRM: "bold underline blue",
}


def badge(severity: Severity) -> Text:
    return Text(f" {severity.value.upper()} ", style=SEVERITY_STYLE[severity])


def status_mark(finding: Finding) -> str:
    return {"open": "", "accepted": "✓ accepted", "confirmed": "☑ confirmed"}[finding.status]


def finding_text(finding: Finding, *, details: bool = True) -> Text:
    """A finding in a few lines: badge, title, where, the text with the match highlighted."""
    text = Text()
    text.append_text(badge(finding.severity))
    text.append(f" {finding.rule.title}", style="bold")
    text.append(f"  {finding.rule.id}", style="dim")
    mark = status_mark(finding)
    if mark:
        text.append(f"  {mark}", style="green")
    text.append(f"\n{finding.subject}")
    if finding.matched:
        cut, start, end = highlight_spans(finding)
        quoted = Text("\n“")
        quoted.append(cut[:start])
        quoted.append(cut[start:end], style=MATCH_STYLE[finding.severity])
        quoted.append(cut[end:])
        quoted.append("”")
        text.append_text(quoted)
    text.append(f"\n{finding.message}")
    if details:
        text.append(f"\nFix: {finding.rule.fix}", style="italic")
        text.append(f"\nSource: {finding.rule.citation}", style="dim")
        if finding.decision is not None and finding.decision.reason:
            by = f" by {finding.decision.name}" if finding.decision.name else ""
            text.append(f"\nAccepted{by}: {finding.decision.reason}", style="green")
    return text


def counts_text(report: Report) -> Text:
    """'2 block · 1 review · 1 confirm open' in the severities' colours; 'No findings.'"""
    counts = report.counts()
    if not report.findings:
        return Text("✓ No compliance findings.", style="bold green")
    text = Text("Compliance: ")
    for n, severity in enumerate(Severity):
        if n:
            text.append(" · ")
        count = counts[severity.value]
        text.append(f"{count} {severity.value}", style=MATCH_STYLE[severity] if count else "dim")
    text.append(" open")
    decided = counts["accepted"] + counts["confirmed"]
    if decided:
        text.append(f" · {decided} decided", style="green")
    return text
