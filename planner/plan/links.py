"""Tracking links: each activity's own URL, tagged with UTM parameters, so that a web analytics
export (GA4 and the like) tells which activity brought a visit.

``utm_campaign`` names the campaign, ``utm_medium`` and ``utm_source`` the channel in the
words analytics tools group visits by (``email``, ``sms``, ``cpc``, ``social``...), and
``utm_content`` names the activity: readable (its name, in lower case with hyphens), the same
every time for the same plan, and unique within the campaign (a second activity of the same
written name takes ``-2``). Parameters the base URL already carries are kept, except the UTM
ones, which the link replaces.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from planner.domain.errors import PlannerError
from planner.domain.models import Campaign, web_address
from planner.domain.records import Channel

# Each channel as (utm_medium, utm_source): mediums that GA4's default channel groups know.
CHANNEL_TAGS: dict[Channel, tuple[str, str]] = {
    Channel.EMAIL: ("email", "newsletter"),
    Channel.SMS: ("sms", "sms"),
    Channel.SOCIAL_MEDIA: ("social", "social"),
    Channel.SEARCH_ADS: ("cpc", "search"),
    Channel.DISPLAY_ADS: ("display", "display"),
    Channel.PATIENT_PORTAL: ("referral", "patient-portal"),
    Channel.WEBSITE: ("website", "website"),
    Channel.PRINT_MAIL: ("print", "mail"),
    Channel.EVENTS: ("offline", "event"),
    Channel.TELEHEALTH: ("referral", "telehealth"),
    Channel.PHYSICIAN_LIAISON: ("referral", "physician-liaison"),
    Channel.PR: ("pr", "press"),
    Channel.OTHER: ("other", "other"),
}
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_content")


@dataclass(frozen=True)
class Link:
    activity: str
    url: str
    utm_source: str
    utm_medium: str
    utm_campaign: str
    utm_content: str

    def as_json(self) -> dict[str, str]:
        return {
            "activity": self.activity,
            "url": self.url,
            "utm_source": self.utm_source,
            "utm_medium": self.utm_medium,
            "utm_campaign": self.utm_campaign,
            "utm_content": self.utm_content,
        }


def slug(text: str) -> str:
    """``Flu clinic – Saturday (Città)`` as ``flu-clinic-saturday-citta``: lower case, letters
    without their accents, anything else one hyphen."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def checked_base(url: str) -> str:
    """The base URL as typed, checked (``planner.domain.models.web_address``), or a
    PlannerError saying what is wrong with it."""
    try:
        return web_address(url)
    except ValueError as exc:
        raise PlannerError(str(exc)[0].upper() + str(exc)[1:] + ".") from None


def content_tags(campaign: Campaign) -> dict[str, str]:
    """Each activity's ``utm_content`` (its tracking link's tag), by the tag: the activity's
    name, in the plan's order."""
    tags: dict[str, str] = {}
    for activity in campaign.activities:
        content = stem = slug(activity.name) or "activity"
        n = 1
        while content in tags:
            n += 1
            content = f"{stem}-{n}"
        tags[content] = activity.name
    return tags


def tracking_links(campaign: Campaign, base_url: str) -> list[Link]:
    """A link for each activity of the campaign, in the plan's order."""
    base = urlsplit(checked_base(base_url))
    kept = [(k, v) for k, v in parse_qsl(base.query, keep_blank_values=True) if k not in UTM_KEYS]
    name = slug(campaign.name) or "campaign"
    by_activity = {activity: tag for tag, activity in content_tags(campaign).items()}
    links = []
    for activity in campaign.activities:
        content = by_activity[activity.name]
        medium, source = CHANNEL_TAGS.get(activity.channel, ("other", "other"))
        tags = {
            "utm_source": source,
            "utm_medium": medium,
            "utm_campaign": name,
            "utm_content": content,
        }
        query = urlencode([*kept, *tags.items()])
        url = urlunsplit((base.scheme, base.netloc, base.path or "/", query, base.fragment))
        links.append(Link(activity.name, url, **tags))
    return links
