"""Google Ads' campaign report: costs and figures per campaign (and per day, if segmented so).

The report starts with its title and date-range lines (the period of a report without a Day
column), ends with ``Total:`` rows, and names each campaign's type, which says its channel
(search or display). The amount is the Cost column, in the Currency code column's currency.
"""

from __future__ import annotations

from planner.domain.models import Channel
from planner.imports.formats.format import Format, Metric


def _google_channel(kind: str) -> Channel | None:
    kind = kind.strip().casefold()
    if kind in ("display", "video", "demand gen", "discovery", "app"):
        return Channel.DISPLAY_ADS
    return Channel.SEARCH_ADS if kind else None


GOOGLE_ADS = Format(
    key="google-ads",
    title="Google Ads campaign report",
    vendor="Google Ads",
    channel=Channel.SEARCH_ADS,
    signature=(
        ("Campaign",),
        ("Cost",),
        ("Impr.", "Impressions", "Clicks"),
        ("Currency code", "Campaign status", "Campaign type", "Avg. CPC", "Budget"),
    ),
    defaults={
        "date": ("Day", "Date"),
        "amount": ("Cost",),
        "currency": ("Currency code",),
        "activity": ("Campaign",),
    },
    metrics=(
        Metric("Clicks", ("ad clicks", "clicks on ads", "search ad clicks")),
        Metric("Impr.", ("ad impressions", "impressions")),
        Metric("Conversions", ("ad conversions", "conversions")),
        Metric("CTR", ("click-through rate", "ctr")),
        Metric("Conv. rate", ("conversion rate",)),
        Metric("Interactions"),
        Metric("Avg. CPC"),
        Metric("Cost / conv."),
        Metric("Optimization score"),
        Metric("Optimisation score"),
    ),
    source_column="Campaign",
    type_column="Campaign type",
    channel_of=_google_channel,
    facility_columns=("Customer ID",),  # an account's number, written like a phone number
)
