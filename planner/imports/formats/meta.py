"""Meta Ads Manager's export: Facebook and Instagram costs and figures per campaign, ad set or ad.

The amount is the column ``Amount spent (USD)``, whose header names the currency
(``currency_in_header``, read by ``Format.currency`` and ``Format.amount_column``); a row
with no campaign, ad set or ad name is a summary row, left out. Each row covers the days from
``Reporting starts`` to ``Reporting ends`` (or a ``Day``).
"""

from __future__ import annotations

from planner.domain.models import Channel
from planner.imports.formats.format import Format, Metric

META_ADS = Format(
    key="meta-ads",
    title="Meta Ads Manager export",
    vendor="Meta",
    channel=Channel.SOCIAL_MEDIA,
    signature=(("Campaign name", "Reporting starts", "Ad set name", "Ad name"),),
    currency_in_header=r"^amount spent \(([a-z]{3})\)$",
    defaults={
        "date": ("Day", "Reporting ends"),
        "start": ("Reporting starts",),
        "activity": ("Campaign name",),
    },
    metrics=(
        Metric("Results", ("meta results", "facebook results")),
        Metric("Link clicks", ("link clicks", "social clicks", "facebook clicks")),
        Metric("Impressions", ("social impressions", "facebook impressions")),
        Metric("Reach", ("reach", "people reached")),
        Metric("Cost per results"),
        Metric("Cost per result"),
        Metric("Frequency"),
    ),
    source_column="Campaign name",
    name_columns=("Campaign name", "Ad set name", "Ad name"),
)
