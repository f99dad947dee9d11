"""The stored counts behind the messages' reading grades.

Counting an English message's syllables loads the pronouncing dictionary (about a second); so
the counts are stored by the hash of the text when a message is saved, and a brief, a lint or
a review reads them back (``readability.consult``, which the command line's store
opener sets up) instead. A text whose counts are not stored (changed by
an undo, or saved by an older planner) is counted when it is read, and kept when the command
that read it is done (``planner.cli.common.keep_counted``), or by the next save in the TUI."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from planner.plan import readability
from planner.plan.guide import variant_reading
from planner.plan.readability import reading_text

if TYPE_CHECKING:
    from planner.domain.models import Campaign
    from planner.store import Store


def english_counts(
    campaign: Campaign, known: Collection[str] = ()
) -> dict[str, readability.Counts]:
    """The counts of ``campaign``'s messages read in English, by the hash of their text, but
    for those whose hash is ``known`` (those known in this process, or to a store it
    consults, are not counted again)."""
    segments = {s.name: s for s in campaign.segments}
    english = {}
    for variant in campaign.messages:
        text = reading_text(variant.headline, variant.body, variant.call_to_action)
        if readability.text_hash(text) in known:
            continue
        reading = variant_reading(variant, segments.get(variant.segment or ""))
        if reading.scale is readability.FLESCH_KINCAID and reading.words:
            english[readability.text_hash(text)] = readability.english_counts(text)
    return english


def keep(store: Store, campaign: Campaign | None = None) -> None:
    """Store the counts of ``campaign``'s messages read in English that ``store`` lacks
    (counting those not known) and any others counted in this process, in one transaction."""
    counts = readability.counted()
    if campaign is not None:
        english = english_counts(campaign)
        have = store.text_readings(list(english))
        counts.update((h, c) for h, c in english.items() if h not in have)
    if counts:
        store.keep_text_readings(counts)
        readability.kept(counts)


def _message_hashes(campaign: Campaign) -> set[str]:
    return {
        readability.text_hash(reading_text(v.headline, v.body, v.call_to_action))
        for v in campaign.messages
    }


def carried(store: Store, campaign: Campaign) -> dict[str, list[int]]:
    """The stored counts of ``campaign``'s messages, by hash, for its campaign file: the
    planner that imports it then needs no dictionary for them (``take``)."""
    found = store.text_readings(sorted(_message_hashes(campaign)))
    return {h: list(found[h]) for h in sorted(found)}


def take(store: Store, campaign: Campaign, given: Any) -> None:
    """Store the counts a campaign file carries (``carried``) for ``campaign``'s messages.
    A count is taken only under the hash of one of its messages' texts as this planner
    counts them (the same text and the same counter: counts of another text, or from another
    counter, are left to be counted anew), and only as three whole numbers."""
    if not isinstance(given, dict):
        return
    wanted = _message_hashes(campaign)
    counts = {
        h: (c[0], c[1], c[2])
        for h, c in given.items()
        if h in wanted
        and isinstance(c, list)
        and len(c) == 3
        and all(type(n) is int and 0 <= n < 10_000_000 for n in c)
    }
    if counts:
        store.keep_text_readings(counts)
