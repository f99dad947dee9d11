"""The stored counts behind the messages' reading grades.

Counting an English message's syllables loads the pronouncing dictionary (about a second); so
the counts are stored by the hash of the text when a message is saved, and a brief, a lint or
a review reads them back (``readability.consult``, which the command line's store
opener sets up) instead. A text whose counts are not stored (changed by
an undo, or saved by an older planner) is counted when it is read, and kept by the commands
that write (a brief, a campaign created or imported)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.plan import readability
from planner.plan.guide import variant_reading
from planner.plan.readability import reading_text

if TYPE_CHECKING:
    from planner.domain.models import Campaign
    from planner.store import Store


def keep(store: Store, campaign: Campaign | None = None) -> None:
    """Store the counts of ``campaign``'s messages read in English that ``store`` lacks
    (counting those not known) and any others counted in this process, in one transaction."""
    counts = readability.counted()
    if campaign is not None:
        segments = {s.name: s for s in campaign.segments}
        english = {}
        for variant in campaign.messages:
            reading = variant_reading(variant, segments.get(variant.segment or ""))
            if reading.scale is readability.FLESCH_KINCAID and reading.words:
                text = reading_text(variant.headline, variant.body, variant.call_to_action)
                english[readability.text_hash(text)] = readability.english_counts(text)
        have = store.text_readings(list(english))
        counts.update((h, c) for h, c in english.items() if h not in have)
    if counts:
        store.keep_text_readings(counts)
        readability.kept(counts)
