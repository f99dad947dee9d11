"""Issue 27, referrals closed back to their source: each influencer's referrals a month since
the start against the referrals a month the plan says it makes today, in the brief and the
Influencers step."""

from __future__ import annotations

import datetime as dt

import pytest
from factories import referral_campaign as campaign
from factories import referrals_recorded as recorded

from planner.briefs.render import render_markdown
from planner.store import Store
from planner.tracking.referrals import influencer_referrals, referrals_text

TODAY = dt.date(2027, 3, 31)  # two months in: 61 days = 2.004 months


def test_each_influencer_moved_up_down_or_not_at_all(db_path):
    cid = recorded(db_path)
    with Store.open(db_path) as store:
        campaign_, data = store.tracking_data(cid, today=TODAY)
    found = influencer_referrals(campaign_, data.by_influencer, TODAY)
    months = 61 / (365.25 / 12)
    assert found["Dr Rossi"].recorded == 10
    assert found["Dr Rossi"].per_month == pytest.approx(10 / months)
    assert (found["Dr Rossi"].moved, found["Dr Bianchi"].moved) == ("up", "down")
    assert (found["Dr Verdi"].recorded, found["Dr Verdi"].moved) == (0, None)
    assert referrals_text(found["Dr Rossi"]) == "2 → 5 a month ↑"
    assert referrals_text(found["Dr Verdi"]) == "? → 0 a month"


def test_nothing_is_shown_until_a_result_names_an_influencer():
    assert influencer_referrals(campaign(), [], TODAY) == {}
    assert "Referrals since the start" not in render_markdown(campaign(), today=TODAY)


def test_the_brief_shows_which_influencers_moved(db_path):
    cid = recorded(db_path)
    with Store.open(db_path) as store:
        campaign_, data = store.tracking_data(cid, today=TODAY)
    brief = render_markdown(campaign_, tracking=data, today=TODAY)
    assert "### Referrals since the start" in brief
    assert "| Dr Rossi | 2 | 4.99 | 10 | Up |" in brief
    assert "| Dr Bianchi | 5 | 3.99 | 8 | Down |" in brief
    assert "| Dr Verdi | Not known | 0 | 0 | – |" in brief
