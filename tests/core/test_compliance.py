"""The compliance review of a whole campaign: which packs apply, what each record raises, rules
turned off and findings accepted, sign-offs withdrawn by a message change, and the approval
gate. Plus property tests: the linter never crashes and its offsets point at what matched."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from factories import compliance_campaign
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.compliance import (
    RulePackError,
    Severity,
    approval,
    approval_problems,
    lint_campaign,
    lint_text,
    load_rules,
    sign_offs,
)
from planner.compliance.approval import refuse_unready, update_campaign
from planner.domain.errors import PlannerError, StaleWriteError
from planner.domain.models import (
    CampaignStatus,
    Channel,
    Connection,
    ConsentBasis,
    FindingDecision,
    Review,
)
from planner.domain.models import (
    Testimonial as Quote,
)

RULES = load_rules()


def ids(report) -> set[str]:
    return {f.rule.id for f in report.findings}


def open_ids(report) -> set[str]:
    return {f.rule.id for f in report.findings if f.open}


# Packs ---------------------------------------------------------------------------------------


def test_the_campaign_jurisdictions_choose_the_packs():
    us = lint_campaign(compliance_campaign(), RULES)
    assert {r.pack for r in us.rules} == {"us", "ads", "social", "general"}
    assert "US-ABSOLUTE" in ids(us) and not any(i.startswith("IT-") for i in ids(us))

    italy = lint_campaign(compliance_campaign(jurisdictions=["IT"]), RULES)
    assert {r.pack for r in italy.rules} == {"it", "eu", "ads", "social", "general"}
    assert "IT-TESTIMONIALS" in ids(italy) and not any(i.startswith("US-") for i in ids(italy))


def test_a_campaign_without_jurisdictions_is_told_to_choose_them():
    report = lint_campaign(compliance_campaign(jurisdictions=[]), RULES)
    assert "GEN-JURISDICTION" in ids(report)
    assert not any(i.startswith(("US-", "IT-", "UK-", "EU-")) for i in ids(report))


def test_what_each_record_raises():
    report = lint_campaign(compliance_campaign(), RULES)
    found = ids(report)
    # the email has neither an unsubscribe link nor a postal address, and a guarantee
    assert {"US-EMAIL-OPTOUT", "US-EMAIL-ADDRESS", "US-ABSOLUTE"} <= found
    # the testimonial: no authorization, a specific result with no typical result
    assert {"US-HIPAA-TESTIMONIAL", "US-TYPICALITY"} <= found
    # the SMS list has no written consent; the ad speaks of the viewer's condition
    assert {"US-SMS-CONSENT", "ADS-PERSONAL-ATTRIBUTES"} <= found
    ad = next(f for f in report.findings if f.rule.id == "ADS-PERSONAL-ATTRIBUTES")
    assert ad.subject == "Variant 'Ad', headline" and ad.matched == "Do you have gum disease"
    # the ad is not an email: no email rule is raised on it
    assert not any(
        f.subject.startswith("Variant 'Ad'") and "EMAIL" in f.rule.id for f in report.findings
    )


def test_fixing_the_records_quiets_the_rules():
    campaign = compliance_campaign(
        email_footer="Unsubscribe: reply STOP. Oak Street Dental, 12 Oak Street, Springfield."
    )
    email = campaign.messages[0]
    said = Quote(
        text="My teeth were 3 shades whiter in 2 weeks!",
        endorser="Dana",
        consent_on_file=True,
        typicality="Most patients see teeth 1 to 3 shades whiter.",
    )
    campaign.messages[0] = email.model_copy(
        update={"body": "A cleaning and a check-up in one visit.", "testimonials": [said]}
    )
    campaign.activities[1] = campaign.activities[1].model_copy(
        update={"list_consent": ConsentBasis.EXPRESS_WRITTEN}
    )
    campaign.messages[1] = campaign.messages[1].model_copy(
        update={"headline": "Gum care at Oak Street Dental"}
    )
    report = lint_campaign(campaign, RULES)
    assert not report.blocking, [(f.rule.id, f.subject, f.message) for f in report.blocking]


def test_a_review_asked_again_of_an_unchanged_campaign_is_the_same_and_its_own():
    """The review of a campaign unchanged since it was last asked for (the workspace asks at
    each refresh, a brief at each render) is the same; each caller gets a report of its own to
    change, and the campaign changed is reviewed anew."""
    campaign = compliance_campaign()
    first = lint_campaign(campaign, RULES)
    found = [(f.rule.id, f.subject, f.start, f.end) for f in first.findings]
    assert found, "the campaign has problems to find"
    first.findings[0].decision = FindingDecision(
        key=first.findings[0].key, rule_id=first.findings[0].rule.id, decision="accepted"
    )
    first.findings.pop()
    again = lint_campaign(campaign.model_copy(deep=True), RULES)
    assert [(f.rule.id, f.subject, f.start, f.end) for f in again.findings] == found
    assert all(f.decision is None for f in again.findings)
    fixed = campaign.model_copy(
        update={"email_footer": "Unsubscribe: reply STOP. Oak Street Dental, 12 Oak Street."}
    )
    assert len(lint_campaign(fixed, RULES).findings) < len(found)
    offer = compliance_campaign(
        messages=[], activities=[], core_message="Get a free electric toothbrush at your visit."
    )
    offer.activities = []
    free = next(f for f in lint_campaign(offer, RULES).findings if f.rule.id == "US-FREE-OFFER")
    offer.finding_decisions = [
        FindingDecision(key=free.key, rule_id=free.rule.id, decision="accepted", reason="ok")
    ]
    mine = next(f for f in lint_campaign(offer, RULES).findings if f.key == free.key)
    mine.decision.reason = "changed by the first caller"
    theirs = next(f for f in lint_campaign(offer, RULES).findings if f.key == free.key)
    assert theirs.decision.reason == "ok"


def test_a_connected_endorser_must_be_disclosed():
    campaign = compliance_campaign()
    said = (
        campaign.messages[0]
        .testimonials[0]
        .model_copy(update={"connection": Connection.EMPLOYEE, "consent_on_file": True})
    )
    campaign.messages[0] = campaign.messages[0].model_copy(update={"testimonials": [said]})
    finding = next(
        f for f in lint_campaign(campaign, RULES).findings if f.rule.id == "US-MATERIAL-CONNECTION"
    )
    assert "employee" in finding.message
    said = said.model_copy(update={"connection_disclosed": True})
    campaign.messages[0] = campaign.messages[0].model_copy(update={"testimonials": [said]})
    assert "US-MATERIAL-CONNECTION" not in ids(lint_campaign(campaign, RULES))


def test_a_claim_with_evidence_is_not_an_unsupported_claim():
    text = "Clinically proven to relieve sensitivity."
    bare = compliance_campaign()
    bare.messages[1] = bare.messages[1].model_copy(update={"body": text})
    assert "US-SUBSTANTIATION" in ids(lint_campaign(bare, RULES))
    from planner.domain.models import Claim

    backed = bare.messages[1].model_copy(
        update={
            "claims": [
                Claim(text=text, evidence_kind="study", evidence_reference="J Dent Res 2021;100:12")
            ]
        }
    )
    bare.messages[1] = backed
    assert "US-SUBSTANTIATION" not in ids(lint_campaign(bare, RULES))


# Decisions -----------------------------------------------------------------------------------


def test_a_disabled_rule_is_not_applied_and_its_reason_is_kept():
    campaign = compliance_campaign()
    from planner.domain.models import RuleWaiver

    campaign.disabled_rules = [
        RuleWaiver(rule_id="US-ABSOLUTE", reason="Counsel approved the wording on 3 March.")
    ]
    report = lint_campaign(campaign, RULES)
    assert "US-ABSOLUTE" not in ids(report)
    ((rule, rule_id, why),) = report.disabled
    assert rule is not None and rule_id == "US-ABSOLUTE" and why.startswith("Counsel")


def test_accepting_a_review_finding_and_ticking_a_confirm_item():
    campaign = compliance_campaign(
        messages=[], activities=[], core_message="Get a free electric toothbrush at your visit."
    )
    campaign.activities = []
    report = lint_campaign(campaign, RULES)
    free = next(f for f in report.findings if f.rule.id == "US-FREE-OFFER")
    assert free.severity is Severity.REVIEW and free.open
    campaign.finding_decisions = [
        FindingDecision(
            key=free.key,
            rule_id=free.rule.id,
            decision="accepted",
            reason="The offer's terms are on the booking page.",
            name="Ana",
        )
    ]
    again = next(f for f in lint_campaign(campaign, RULES).findings if f.key == free.key)
    assert again.status == "accepted" and not again.open
    # a block finding cannot be accepted away
    absolute = compliance_campaign()
    block = lint_campaign(absolute, RULES).blocking[0]
    absolute.finding_decisions = [
        FindingDecision(key=block.key, rule_id=block.rule.id, decision="accepted", reason="x")
    ]
    assert block.key in {f.key for f in lint_campaign(absolute, RULES).blocking}


def test_findings_keep_their_key_while_the_text_around_them_changes():
    campaign = compliance_campaign(messages=[], activities=[], core_message="Guaranteed results.")
    before = lint_campaign(campaign, RULES).blocking[0].key
    campaign.core_message = "Guaranteed results, every time, for everyone."
    assert lint_campaign(campaign, RULES).blocking[0].key == before


# Sign-offs and the approval gate (through the store) ------------------------------------------


def _fixed(store) -> int:
    campaign = compliance_campaign(
        email_footer="Unsubscribe at any time. Oak Street Dental, 12 Oak Street, Springfield.",
        messages=[],
        activities=[],
        core_message="Cleanings every six months keep gums healthy.",
    )
    return store.create_campaign(campaign)


def _sign_all(store, campaign_id: int) -> None:
    for kind in ("medical", "legal", "regulatory", "privacy"):
        store.add_item(
            campaign_id,
            Review(kind=kind, decision="approved", reviewer="Dr. Lee", date=dt.date(2027, 3, 1)),
            expected_version=None,
        )


def test_approval_needs_every_sign_off_and_no_block_finding(store):
    campaign_id = store.create_campaign(compliance_campaign())
    with pytest.raises(PlannerError, match=r"cannot be approved yet: .*block finding.*sign-off"):
        update_campaign(store, campaign_id, {"status": "approved"}, expected_version=None)
    assert store.get_campaign(campaign_id).status is CampaignStatus.DRAFT

    fixed = _fixed(store)
    with pytest.raises(PlannerError, match="sign-off needed from medical \\(missing\\)"):
        update_campaign(store, fixed, {"status": "approved"}, expected_version=None)
    _sign_all(store, fixed)
    update_campaign(store, fixed, {"status": "approved"}, expected_version=None)
    assert store.get_campaign(fixed).status is CampaignStatus.APPROVED


def test_changing_a_message_withdraws_the_sign_offs(store):
    campaign_id = _fixed(store)
    _sign_all(store, campaign_id)
    update_campaign(store, campaign_id, {"status": "approved"}, expected_version=None)
    assert all(s.standing for s in sign_offs(store.get_campaign(campaign_id)))

    store.update_campaign(campaign_id, {"objective": "More visits"}, expected_version=None)
    campaign = store.get_campaign(campaign_id)
    assert campaign.status is CampaignStatus.APPROVED, "not a message: the sign-offs stand"

    store.update_campaign(
        campaign_id,
        {"core_message": "Cleanings twice a year keep gums healthy."},
        expected_version=None,
    )
    campaign = store.get_campaign(campaign_id)
    assert campaign.status is CampaignStatus.IN_REVIEW
    assert [s.note for s in sign_offs(campaign)] == [
        "withdrawn: a message changed after this sign-off"
    ] * 4
    assert "sign-off needed from medical (withdrawn" in "; ".join(
        approval_problems(campaign, RULES)
    )


def test_a_new_variant_or_a_changed_claim_moves_the_message_version(store):
    from planner.domain.models import Claim, MessageVariant

    campaign_id = _fixed(store)
    version = store.get_campaign(campaign_id).message_version
    added = store.add_item(campaign_id, MessageVariant(name="Poster"), expected_version=None)
    after_add = store.get_campaign(campaign_id).message_version
    assert after_add == version + 1
    poster = next(m for m in store.get_campaign(campaign_id).messages if m.id == added.id)
    store.update_item(
        campaign_id,
        poster.model_copy(update={"claims": [Claim(text="Helps")]}),
        expected_version=None,
    )
    assert store.get_campaign(campaign_id).message_version == after_add + 1
    store.move_item(campaign_id, MessageVariant, added.id, 0, expected_version=None)
    assert store.get_campaign(campaign_id).message_version == after_add + 1, "order only"


def test_disabling_a_rule_and_deciding_a_finding_are_saved(store):
    campaign_id = store.create_campaign(compliance_campaign())
    store.disable_rule(campaign_id, "us-absolute", "Counsel approved it.", expected_version=None)
    store.decide_finding(
        campaign_id,
        FindingDecision(
            key="abc123",
            rule_id="US-FREE-OFFER",
            decision="accepted",
            reason="Terms on the page",
            name="Ana",
        ),
        expected_version=None,
    )
    campaign = store.get_campaign(campaign_id)
    assert [(w.rule_id, w.reason) for w in campaign.disabled_rules] == [
        ("US-ABSOLUTE", "Counsel approved it.")
    ]
    assert campaign.finding_decisions[0].reason == "Terms on the page"
    store.enable_rule(campaign_id, "US-ABSOLUTE", expected_version=None)
    store.undo_decision(campaign_id, "abc123", expected_version=None)
    campaign = store.get_campaign(campaign_id)
    assert not campaign.disabled_rules and not campaign.finding_decisions


# Packs of one's own ------------------------------------------------------------------------


def test_a_pack_of_ones_own_adds_rules(tmp_path):
    (tmp_path / "clinic.toml").write_text(
        '[pack]\nid = "clinic"\njurisdiction = "any"\n\n[[rule]]\nid = "OWN-NO-CHEAP"\n'
        'title = "Cheap"\nseverity = "review"\nwords = ["cheap(est)?"]\nwhy = "Our style."\n'
        'citation = "House style guide"\nfix = "Say affordable."\n',
        encoding="utf-8",
    )
    rules = load_rules(tmp_path)
    report = lint_text("The cheapest check-up in town.", rules)
    assert [f.rule.id for f in report.findings] == ["OWN-NO-CHEAP"]


def test_a_pack_changed_between_two_reviews_of_one_text_is_asked_anew(tmp_path):
    """What each rule found in a text is kept for the next review of it (the workspace reviews
    the whole campaign after each edit); a pack changed on disk is read anew, and the same
    text is reviewed with its new phrases, not what the old ones found."""
    pack = tmp_path / "clinic.toml"

    def write(words: str) -> None:
        pack.write_text(
            '[pack]\nid = "clinic"\njurisdiction = "any"\n\n[[rule]]\nid = "OWN-WORDS"\n'
            f'title = "House words"\nseverity = "review"\nwords = ["{words}"]\n'
            'why = "Our style."\ncitation = "House style guide"\nfix = "Say it plainly."\n',
            encoding="utf-8",
        )

    text = "The cheapest check-up in town, with no queue."
    write("cheap(est)?")
    first = lint_text(text, load_rules(tmp_path))
    assert [f.matched for f in first.findings if f.rule.id == "OWN-WORDS"] == ["cheapest"]
    second = lint_text(text, load_rules(tmp_path))  # the same rules: what they found is kept
    assert [f.matched for f in second.findings if f.rule.id == "OWN-WORDS"] == ["cheapest"]
    write("no queue")
    stamp = pack.stat().st_mtime + 5  # a later save, however coarse the file system's clock
    os.utime(pack, (stamp, stamp))
    again = lint_text(text, load_rules(tmp_path))
    assert [f.matched for f in again.findings if f.rule.id == "OWN-WORDS"] == ["no queue"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[[rule]\n", "not valid TOML"),
        (
            '[[rule]]\nid = "X"\ntitle = "t"\nseverity = "block"\nwhy = "w"\ncitation = "c"\n'
            'fix = "f"\n',
            "never matches",
        ),
        (
            '[[rule]]\nid = "X"\ntitle = "t"\nseverity = "block"\nwhy = "w"\ncitation = "c"\n'
            'fix = "f"\nwords = ["(unclosed"]\n',
            "cannot be used",
        ),
        (
            '[[rule]]\nid = "US-ABSOLUTE"\ntitle = "t"\nseverity = "block"\nwhy = "w"\n'
            'citation = "c"\nfix = "f"\nwords = ["x"]\n',
            "Two rules are called US-ABSOLUTE",
        ),
        (
            '[[rule]]\nid = "X"\ntitle = "t"\nseverity = "urgent"\nwhy = "w"\ncitation = "c"\n'
            'fix = "f"\nwords = ["x"]\n',
            "cannot be used",
        ),
        (  # one phrase written without its list: it was read as its letters, 'f' a match
            '[[rule]]\nid = "X"\ntitle = "t"\nseverity = "block"\nwhy = "w"\ncitation = "c"\n'
            'fix = "f"\nwords = "foo"\n',
            r"'words' is one text; write it as a list: words = \['...'\]",
        ),
    ],
)
def test_a_bad_pack_gets_a_sentence(tmp_path, content, message):
    (tmp_path / "bad.toml").write_text(content, encoding="utf-8")
    with pytest.raises(RulePackError, match=message):
        load_rules(tmp_path)


# Properties ----------------------------------------------------------------------------------

_WORDS = st.sampled_from(
    [
        "you",
        "your",
        "diabetes",
        "free",
        "guaranteed",
        "cure",
        "sconto",
        "gratis",
        "5-star",
        "review",
        "get",
        "refer",
        "a friend",
        "$50",
        "100%",
        "effective",
        "hai",
        "il diabete",
        "-20%",
        "terms",
        ".",
        "!",
        "\n",
        "  ",
        "before and after",
        "lose 10 kg",
        "é",
        "’",
    ]
)
_TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(_WORDS, st.text(max_size=8)), max_size=40).map(" ".join),
)


@settings(max_examples=300, deadline=None)
@given(
    text=_TEXTS,
    jurisdictions=st.lists(st.sampled_from(["US", "IT", "UK", "EU"]), unique=True),
    channels=st.lists(st.sampled_from(list(Channel)), unique=True, max_size=3),
)
def test_the_linter_never_crashes_and_offsets_point_at_the_match(text, jurisdictions, channels):
    report = lint_text(text, RULES, jurisdictions=jurisdictions, channels=channels)
    for finding in report.findings:
        assert 0 <= finding.start <= finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.matched
        assert finding.message and finding.rule.citation
        if not finding.rule.required:
            assert finding.matched.strip(), "a finding from words says what matched"


def test_the_offering_and_a_health_data_audience_choose_their_rules():
    from planner.domain.models import Activity, Offering

    drug = compliance_campaign(
        offering=Offering.PRESCRIPTION_DRUG,
        messages=[],
        activities=[
            Activity(
                name="Retargeting",
                channel="display_ads",
                journey_stage="awareness",
                health_data_audience=True,
            )
        ],
        core_message="Our new inhaler helps control asthma symptoms.",
    )
    found = ids(lint_campaign(drug, RULES))
    # benefits without risks; patient records used to market a product; a health audience
    assert {"US-FAIR-BALANCE", "US-HIPAA-MARKETING", "ADS-HEALTH-AUDIENCES"} <= found
    assert "US-HIPAA-OWN-SERVICES" not in found
    balanced = drug.model_copy(
        update={"core_message": drug.core_message + " Side effects include a dry mouth."}
    )
    assert "US-FAIR-BALANCE" not in ids(lint_campaign(balanced, RULES))

    service = drug.model_copy(update={"offering": Offering.SERVICE})
    found = ids(lint_campaign(service, RULES))
    assert "US-FAIR-BALANCE" not in found and "US-HIPAA-MARKETING" not in found
    assert "US-HIPAA-OWN-SERVICES" in found, "a confirm item: own services only"


def test_undo_puts_back_an_approved_status_only_on_a_ready_campaign(store):
    campaign_id = _fixed(store)
    _sign_all(store, campaign_id)
    update_campaign(store, campaign_id, {"status": "approved"}, expected_version=None)
    store.update_campaign(campaign_id, {"objective": "More visits"}, expected_version=None)
    store.update_campaign(campaign_id, {"status": "draft"}, expected_version=None)
    medical = next(r for r in store.get_campaign(campaign_id).reviews if r.kind == "medical")
    store.delete_item(campaign_id, Review, medical.id, expected_version=None)
    with pytest.raises(PlannerError, match="cannot be approved yet: sign-off needed from medical"):
        store.undo(campaign_id, expected_version=None, approval=refuse_unready(store))
    assert store.get_campaign(campaign_id).status is CampaignStatus.DRAFT


def test_an_approval_checked_on_an_older_version_is_refused_as_stale(store):
    campaign_id = _fixed(store)
    _sign_all(store, campaign_id)
    version = store.get_campaign(campaign_id).version
    store.update_campaign(campaign_id, {"objective": "More visits"}, expected_version=None)
    with pytest.raises(StaleWriteError, match="was changed elsewhere"):
        update_campaign(store, campaign_id, {"status": "approved"}, expected_version=version)
    assert store.get_campaign(campaign_id).status is CampaignStatus.DRAFT


def test_an_approval_with_no_version_given_is_checked_again_after_a_change_in_between(
    store, monkeypatch
):
    """`planner status ID approved` names no version: another window saving between the check
    and the write is not a reason to refuse; the campaign is read and checked again."""
    campaign_id = _fixed(store)
    _sign_all(store, campaign_id)
    checks = []
    check = approval.check_approval

    def check_then_someone_saves(campaign, rules):
        check(campaign, rules)
        checks.append(campaign.objective)
        if len(checks) == 1:  # another window saves while the first check runs
            store.update_campaign(campaign_id, {"objective": "More visits"}, expected_version=None)

    monkeypatch.setattr(approval, "check_approval", check_then_someone_saves)
    update_campaign(store, campaign_id, {"status": "approved"}, expected_version=None)
    saved = store.get_campaign(campaign_id)
    assert saved.status is CampaignStatus.APPROVED and saved.objective == "More visits"
    assert checks[-1] == "More visits"  # the approval was checked on what was saved
