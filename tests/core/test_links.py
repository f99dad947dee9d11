"""Issue 27: each activity's tracking link, with UTM parameters a web analytics export can
attribute visits by."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from factories import full_campaign

from planner.domain.errors import PlannerError
from planner.domain.models import Activity, Campaign
from planner.domain.records import Channel, JourneyStage
from planner.plan.links import slug, tracking_links
from planner.plan.starters import list_starters


def activity(name: str, channel: Channel = Channel.EMAIL) -> Activity:
    return Activity(name=name, channel=channel, journey_stage=JourneyStage.AWARENESS)


def tags(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_each_activity_gets_its_tagged_link():
    campaign = Campaign(
        name="Flu 2027 – Città Alta",
        activities=[
            activity("Reminder e-mail (October)"),
            activity("Search ads: flu shots", Channel.SEARCH_ADS),
            activity("Flyer at the pharmacy", Channel.PRINT_MAIL),
        ],
    )
    found = tracking_links(campaign, "https://www.example-practice.com/flu")
    assert [link.activity for link in found] == [a.name for a in campaign.activities]
    first = found[0]
    assert first.url == (
        "https://www.example-practice.com/flu?utm_source=newsletter&utm_medium=email"
        "&utm_campaign=flu-2027-citta-alta&utm_content=reminder-e-mail-october"
    )
    assert tags(found[1].url)["utm_medium"] == ["cpc"]
    assert tags(found[2].url)["utm_content"] == ["flyer-at-the-pharmacy"]


def test_the_same_written_name_twice_gives_two_links_and_the_same_plan_the_same_links():
    campaign = Campaign(
        name="Screening",
        activities=[activity("Reminder!"), activity("reminder"), activity("Reminder ?")],
    )
    contents = [link.utm_content for link in tracking_links(campaign, "http://a.example")]
    assert contents == ["reminder", "reminder-2", "reminder-3"]
    again = [link.utm_content for link in tracking_links(campaign, "http://a.example")]
    assert again == contents


def test_the_base_urls_own_parameters_and_fragment_are_kept_and_old_utm_replaced():
    campaign = Campaign(name="Screening", activities=[activity("Letter", Channel.PRINT_MAIL)])
    (link,) = tracking_links(
        campaign, "https://example.org/book?lang=it&utm_source=old&utm_term=x#form"
    )
    parts = urlsplit(link.url)
    assert parts.fragment == "form"
    assert parse_qs(parts.query) == {
        "lang": ["it"],
        "utm_term": ["x"],
        "utm_source": ["mail"],
        "utm_medium": ["print"],
        "utm_campaign": ["screening"],
        "utm_content": ["letter"],
    }


@pytest.mark.parametrize(
    "base", ["example.org/flu", "ftp://example.org", "https://", "https://exa mple.org", ""]
)
def test_a_base_that_is_not_a_web_address_is_refused_in_a_sentence(base):
    with pytest.raises(PlannerError, match="web address"):
        tracking_links(full_campaign(), base)


def test_every_starters_links_are_unique():
    for starter in list_starters():
        campaign = starter.load()
        found = tracking_links(campaign, "https://example.org/")
        assert len({link.url for link in found}) == len(campaign.activities) > 0


def test_slug():
    assert slug("Vaccinazione antinfluenzale – Sàbado (niños)") == (
        "vaccinazione-antinfluenzale-sabado-ninos"
    )
    assert slug("!!!") == ""
