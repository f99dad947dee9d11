"""The compliance review in the TUI, driven by key presses: the Message step shows the findings
of the variant under the cursor; the Review screen filters, accepts, ticks, turns a rule off,
records sign-offs and approves, and a changed message withdraws the sign-offs."""

from __future__ import annotations

import datetime as dt

import pytest
from factories import compliance_campaign
from textual.widgets import Input, Select, Static

from planner.domain.models import CampaignStatus, ReviewKind
from planner.store import Store
from screens.app import make_app
from screens.dialogs import ReasonDialog, SignOffDialog
from screens.review import ReviewScreen
from screens.workspace import CampaignWorkspace

SIZE = (110, 36)
TODAY = dt.date(2027, 3, 1)


def _campaign(db_path, **changes) -> int:
    with Store.open(db_path) as store:
        return store.create_campaign(compliance_campaign(**changes))


def saved(db_path):
    with Store.open(db_path) as store:
        return store.get_campaign(1)


async def open_step(pilot, key: str) -> None:
    """Open the campaign under the cursor and press ``key`` (a step's number, Ctrl+R)."""
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CampaignWorkspace)
    await pilot.press(key)
    await pilot.pause()


async def open_review(pilot) -> ReviewScreen:
    await open_step(pilot, "ctrl+r")
    assert isinstance(pilot.app.screen, ReviewScreen)
    return pilot.app.screen


def rule_ids(screen: ReviewScreen) -> list[str]:
    return [f.rule.id for f in screen.shown]


async def test_the_message_step_shows_the_findings_of_the_variant_under_the_cursor(db_path):
    _campaign(db_path)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_step(pilot, "4")
        workspace = app.screen
        pane = workspace.current_pane()
        pane.table.focus()
        await pilot.pause()
        panel = pane.query_one("#variant-findings-text", Static)
        text = str(panel.render())
        assert "Findings on “Email offer”" in text
        assert "Marketing email without a way to unsubscribe" in text
        assert "“Guaranteed whiter teeth" in text
        # the matched words carry a style of their own
        spans = [s for s in panel.content.spans if "underline" in str(s.style)]
        highlighted = [str(panel.content)[s.start : s.end] for s in spans]
        assert "Guaranteed" in highlighted
        await pilot.press("down")
        await pilot.pause()
        text = str(panel.render())
        assert "Findings on “Ad”" in text and "Do you have gum disease" in text
        assert "unsubscribe" not in text, "the ad is not an email"
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_filter_accept_tick_and_turn_a_rule_off(db_path):
    _campaign(
        db_path,
        jurisdictions=["US", "IT"],
        core_message="Get a free electric toothbrush at your visit.",
    )
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert "US-FREE-OFFER" in rule_ids(screen) and "IT-INFORMATIVE" in rule_ids(screen)
        screen.query_one("#severity", Select).value = "review"
        await pilot.pause()
        assert {f.severity.value for f in screen.shown} == {"review"}
        screen.query_one("#severity", Select).value = "all"
        screen.query_one("#rule", Select).value = "US-FREE-OFFER"
        await pilot.pause()
        assert rule_ids(screen) == ["US-FREE-OFFER"]
        screen.query_one("#rule", Select).value = "all"
        screen.query_one("#severity", Select).value = "review"
        await pilot.pause()
        screen.query_one("#findings").focus()
        # accept the free offer with a reason
        index = rule_ids(screen).index("US-FREE-OFFER")
        screen.query_one("#findings").move_cursor(row=index)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press(*"Terms are on the booking page", "enter")
        await pilot.pause()
        accepted = next(f for f in screen.report.findings if f.rule.id == "US-FREE-OFFER")
        assert accepted.status == "accepted"
        decision = saved(db_path).finding_decisions[0]
        assert decision.reason == "Terms are on the booking page"
        # tick a checklist item
        await pilot.press("f")  # severity filter: on to confirm
        await pilot.pause()
        assert {f.severity.value for f in screen.shown} == {"confirm"}
        await pilot.press("space")
        await pilot.pause()
        assert screen.shown[0].status == "confirmed"
        # turn a rule off, with the reason
        screen.query_one("#severity", Select).value = "block"
        await pilot.pause()
        blocked = screen.current()
        assert blocked is not None
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*"Counsel cleared it", "enter")
        await pilot.pause()
        assert blocked.rule.id not in rule_ids(screen)
        assert blocked.rule.id in str(screen.query_one("#disabled-rules", Static).render())
    waivers = saved(db_path).disabled_rules
    assert [(w.rule_id, w.reason) for w in waivers] == [(blocked.rule.id, "Counsel cleared it")]


@pytest.mark.long
async def test_sign_offs_approval_and_withdrawal(db_path):
    _campaign(
        db_path,
        messages=[],
        activities=[],
        core_message="Cleanings every six months keep gums healthy.",
    )
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await pilot.press("ctrl+a")
        await pilot.pause()
        assert saved(db_path).status is CampaignStatus.DRAFT, "nobody has signed yet"
        for _ in range(4):
            await pilot.press("s")
            await pilot.pause()
            assert isinstance(app.screen, SignOffDialog)
            await pilot.press(*"Dr. Lee", "enter")
            await pilot.pause()
        states = [s.note for s in screen.signed]
        assert states == ["approved"] * 4
        assert all(s.review.date == TODAY for s in screen.signed)
        await pilot.press("ctrl+a")
        await pilot.pause()
        assert saved(db_path).status is CampaignStatus.APPROVED
        assert "Status: Approved" in str(screen.query_one("#review-status", Static).render())
        # change the core message: back to the Message step
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause()
        workspace = app.screen
        area = workspace.current_pane().query_one("#core-message TextArea")
        area.focus()
        area.text = "Cleanings twice a year keep gums healthy."
        await pilot.pause(1.0)  # saved a moment after typing
        await pilot.press("ctrl+r")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert [s.note for s in review.signed] == [
            "withdrawn: a message changed after this sign-off"
        ] * 4
    assert saved(db_path).status is CampaignStatus.IN_REVIEW


async def test_the_status_field_explains_why_a_campaign_cannot_be_approved(db_path):
    _campaign(db_path)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_step(pilot, "1")
        status = app.screen.query_one("#field-status", Select)
        status.value = CampaignStatus.APPROVED
        await pilot.pause(1.0)
        error = str(app.screen.query_one("#error-status", Static).render())
        assert error.startswith("Not yet:") and "block finding" in error
    assert saved(db_path).status is CampaignStatus.DRAFT


async def test_a_sign_off_needs_a_name_and_a_real_date(db_path):
    _campaign(db_path)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        await pilot.press("enter")
        await pilot.pause()
        assert "reviewer's name" in str(dialog.query_one("#problem", Static).render())
        dialog.query_one("#reviewer", Input).value = "Dr. Lee"
        dialog.query_one("#date", Input).value = "2027-02-30"
        dialog.query_one("#reviewer", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "not a day of the calendar" in str(dialog.query_one("#problem", Static).render())
        await pilot.press("escape")
    assert not saved(db_path).reviews


async def test_a_testimonial_added_in_the_variant_editor_is_checked(db_path):
    from textual.widgets import Checkbox, TextArea

    from screens.dialogs import TestimonialDialog
    from screens.workspace.editor import VariantEditor

    _campaign(db_path, messages=compliance_campaign().messages[1:], activities=[])  # the ad
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_step(pilot, "4")
        app.screen.current_pane().table.focus()
        await pilot.press("enter")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, VariantEditor)
        await pilot.press("ctrl+g")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TestimonialDialog)
        dialog.query_one("#quote-text", TextArea).text = "The hygienist was gentle and kind."
        dialog.query_one("#quote-endorser", Input).value = "Dana"
        dialog.query_one("#quote-endorser", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is editor
        findings = str(editor.query_one("#editor-findings", Static).render())
        assert "Patient testimonial without authorization" in findings
        # the consent is on file after all
        editor.query_one("#testimonials").focus()
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#quote-consent", Checkbox).value = True
        await pilot.click("#save")
        await pilot.pause()
        findings = str(editor.query_one("#editor-findings", Static).render())
        assert "Patient testimonial without authorization" not in findings
    (quote,) = saved(db_path).messages[0].testimonials
    assert (quote.endorser, quote.consent_on_file) == ("Dana", True)


async def test_the_sign_off_dialog_chooses_the_kind_and_refuses_a_date_after_today(db_path):
    _campaign(db_path)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SignOffDialog)
        kind = dialog.query_one("#kind", Select)
        assert kind.value is ReviewKind.MEDICAL  # the next one pending
        for name in ("reviewer", "date", "comments"):  # each a bordered box, all on screen
            field = dialog.query_one(f"#{name}", Input)
            assert not field.compact and field.region.height == 3
            assert field.styles.border_top[0] not in ("", "none")
            assert field.region.bottom <= 24
        await pilot.press(*"Avv. Conti")
        await pilot.press("shift+tab", "shift+tab")  # back past the decision to the kind
        assert dialog.focused is kind
        await pilot.press("enter", "down", "down", "down", "enter")
        await pilot.pause()
        assert kind.value is ReviewKind.PRIVACY
        date = dialog.query_one("#date", Input)
        date.value = "2031-03-01"
        date.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        assert str(dialog.query_one("#problem", Static).render()) == (
            "The sign-off date 2031-03-01 is after today (2027-03-01); a sign-off records a "
            "decision already made, so give the day it was made."
        )
        assert not saved(db_path).reviews
        date.value = "2027-02-26"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        privacy = next(s for s in screen.signed if s.kind is ReviewKind.PRIVACY)
        assert privacy.note == "approved" and privacy.review.reviewer == "Avv. Conti"
    [review] = saved(db_path).reviews
    assert (review.kind, review.date) == (ReviewKind.PRIVACY, dt.date(2027, 2, 26))


async def test_an_evidenced_claim_does_not_silence_the_variants_superlative(db_path):
    """Issue 24: a claim with internal outcome data backs that claim only; the Message step
    still shows 'the best dentists in town' as a superlative to review."""
    from planner.domain.models import Campaign, Claim, EvidenceKind, MessageVariant

    variant = MessageVariant(
        name="Implants",
        headline="Dental implants at Riverside",
        body="98% of our implants are still in place after ten years. The best dentists in town.",
        call_to_action="Call 555-0100.",
        claims=[
            Claim(
                text="98% of our implants are still in place after ten years",
                evidence_kind=EvidenceKind.OUTCOME_DATA,
                evidence_reference="Practice implant audit 2015-2025",
            )
        ],
    )
    with Store.open(db_path) as store:
        store.create_campaign(Campaign(name="Implants", jurisdictions=["US"], messages=[variant]))
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_step(pilot, "4")
        pane = app.screen.current_pane()
        pane.table.focus()
        await pilot.pause()
        text = str(pane.query_one("#variant-findings-text", Static).render())
        assert "Findings on “Implants” (1)" in text
        assert "Superlative or ranking without substantiation" in text
        assert "The best" in text
