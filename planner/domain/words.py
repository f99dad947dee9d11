"""Small helpers for the words the planner prints: counts with their nouns."""

from __future__ import annotations

# Nouns whose plural is not the singular with an "s".
_IRREGULAR = {
    "activity": "activities",
    "entry": "entries",
    "category": "categories",
    "reply": "replies",
    "inquiry": "inquiries",
    "enquiry": "enquiries",
    "person": "people",
}


def plural_of(noun: str) -> str:
    """The plural of ``noun``: 'cost' -> 'costs', 'activity' -> 'activities'."""
    if noun in _IRREGULAR:
        return _IRREGULAR[noun]
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def plural(count: int, noun: str, many: str | None = None) -> str:
    """'1 result', '4 costs', '1,200 rows': the count (with thousands separators) and the noun
    in the number that agrees with it; ``many`` gives an irregular plural."""
    word = noun if count == 1 else (many or plural_of(noun))
    return f"{count:,} {word}"


def practice_key(name: str) -> str:
    """A practice's name as compared: the same practice however its letters are cased or
    spaced ("Alder Street Clinic", "alder  street clinic")."""
    return " ".join(name.casefold().split())
