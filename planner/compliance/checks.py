"""Named checks: conditions on a campaign's data that words cannot show (a testimonial's consent,
an SMS list's consent, an audience of minors or of Medicare patients, the reading level).

A rule names its check (``check = "sms_consent"``); each check yields ``(start, end, detail)``
in the subject's text (0, 0 for a record) for each problem it finds. ``TEXT_CHECKS`` are those
that can look at a text alone, without a campaign's records.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from planner.compliance.context import Context, Subject
from planner.compliance.rules import Rule, match_text, search
from planner.domain.models import Channel, Connection, ConsentBasis

# Named checks: conditions on the campaign's data. Each yields (start, end, detail) in the
# subject's text (0, 0 for a record) for each problem it finds.
Check = Callable[[Rule, Subject, Context], Iterable[tuple[int, int, str]]]
CHECKS: dict[str, Check] = {}


def check(name: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        CHECKS[name] = fn
        return fn

    return register


def _words_then(rule: Rule, subject: Subject, detail: str) -> Iterator[tuple[int, int, str]]:
    if not rule.words:
        yield 0, 0, detail
        return
    for start, end in match_text(rule, subject.text, subject.scope):
        yield start, end, detail


@check("testimonial_consent")
def _testimonial_consent(rule: Rule, subject: Subject, ctx: Context):
    said = subject.testimonial
    if said is not None and not said.consent_on_file:
        who = said.endorser or "the person quoted"
        yield 0, 0, f"No signed authorization from {who} is on file for this testimonial."


@check("testimonial_connection")
def _testimonial_connection(rule: Rule, subject: Subject, ctx: Context):
    said = subject.testimonial
    if (
        said is not None
        and said.connection is not Connection.NONE
        and not said.connection_disclosed
    ):
        yield (
            0,
            0,
            f"The endorser's connection ({said.connection.label.lower()}) is not disclosed "
            "in the message.",
        )


_VARY_ONLY = re.compile(r"^\W*(individual\s+)?results\s+(may|can|will)\s+vary\W*$", re.I)


@check("testimonial_typicality")
def _testimonial_typicality(rule: Rule, subject: Subject, ctx: Context):
    said = subject.testimonial
    if said is None:
        return
    typical = said.typicality.strip()
    if typical and not _VARY_ONLY.match(typical):
        return
    detail = (
        "It reports a specific result, and 'results may vary' alone does not say what "
        "patients generally achieve."
        if typical
        else "It reports a specific result with no statement of what patients generally achieve."
    )
    yield from _words_then(rule, subject, detail)


@check("testimonial_present")
def _testimonial_present(rule: Rule, subject: Subject, ctx: Context):
    if subject.testimonial is not None:
        yield 0, 0, "The message uses a testimonial."


@check("sms_consent")
def _sms_consent(rule: Rule, subject: Subject, ctx: Context):
    activity = subject.activity
    if activity is None or activity.channel is not Channel.SMS:
        return
    basis = activity.list_consent
    if basis in (ConsentBasis.EXPRESS_WRITTEN, ConsentBasis.HEALTHCARE_EXEMPTION):
        return
    said = (
        "no consent basis is recorded" if basis is None else f"the list's basis is '{basis.label}'"
    )
    yield 0, 0, f"SMS marketing needs prior express written consent; {said}."


@check("list_consent")
def _list_consent(rule: Rule, subject: Subject, ctx: Context):
    activity = subject.activity
    if activity is None or activity.channel not in (Channel.EMAIL, Channel.SMS):
        return
    if activity.list_consent in (None, ConsentBasis.NONE):
        what = "email" if activity.channel is Channel.EMAIL else "SMS"
        yield 0, 0, f"No consent basis is recorded for the list this {what} goes to."


@check("sms_exemption_promo")
def _sms_exemption_promo(rule: Rule, subject: Subject, ctx: Context):
    if subject.variant is None or ctx.campaign is None:
        return
    if subject.variant.name in ctx.sms_exempt:
        yield from _words_then(
            rule, subject, "It goes out under the health-care exemption but promotes."
        )


@check("health_data_audience")
def _health_data_audience(rule: Rule, subject: Subject, ctx: Context):
    activity = subject.activity
    if activity is not None and activity.health_data_audience:
        yield 0, 0, "Its audience is built from patient records or health conditions."


@check("minors_in_audience")
def _minors(rule: Rule, subject: Subject, ctx: Context):
    variant = subject.variant
    if variant is None or ctx.campaign is None:
        return
    segment = next((s for s in ctx.campaign.segments if s.name == variant.segment), None)
    if segment is not None and segment.age_min is not None and segment.age_min >= 18:
        return
    detail = (
        f"Segment '{segment.name}' is not limited to adults (18+)."
        if segment
        else "The variant is not aimed at a segment limited to adults (18+)."
    )
    yield from _words_then(rule, subject, detail)


@check("medicare_audience")
def _medicare(rule: Rule, subject: Subject, ctx: Context):
    """Words of the rule in a message that reaches Medicare or Medicaid patients: the campaign's
    segments say so, or the message itself names them."""
    named = rule.payers_re
    if named is None:
        return
    if search(named, subject.scope or subject.text):
        detail = f"{rule.why} The message names Medicare or Medicaid patients."
    elif ctx.campaign is not None and any(
        search(named, f"{s.payer_notes} {s.description} {s.name}") for s in ctx.campaign.segments
    ):
        detail = f"{rule.why} The campaign's segments are Medicare or Medicaid patients."
    else:
        return
    yield from _words_then(rule, subject, detail)


# Checks that can look at a text alone (``planner lint --text``), without a campaign's records.
TEXT_CHECKS = frozenset({"medicare_audience"})


@check("reading_level")
def _reading(rule: Rule, subject: Subject, ctx: Context):
    from planner.plan.guide import reading_warning  # textstat loads on first use

    if subject.variant is None or ctx.campaign is None:
        return
    segment = next((s for s in ctx.campaign.segments if s.name == subject.variant.segment), None)
    warning = reading_warning(subject.variant, segment)
    if warning:
        yield 0, 0, warning


@check("campaign")
def _campaign(rule: Rule, subject: Subject, ctx: Context):
    yield 0, 0, ""


@check("no_jurisdiction")
def _no_jurisdiction(rule: Rule, subject: Subject, ctx: Context):
    if ctx.campaign is not None and not ctx.campaign.jurisdictions:
        yield 0, 0, ""
