"""The compliance review: health-advertising rules read from packs, checked against a campaign.

Rules live as data in ``data/rules/*.toml`` (one pack per jurisdiction, plus ad platforms,
social media and general checks); a consultant can add packs of their own in a folder. A rule
says what it applies to (message text, claim, testimonial, activity, campaign), how it matches
(phrases with the context around them, in English and Italian), why it matters, its citation
and a fix. Conditions that words cannot show (a testimonial's consent, an SMS list's consent)
are named checks implemented here.

The linter finds; people decide. A review finding can be accepted with a reason, a confirm item
ticked, a rule turned off for a campaign with a reason. Block findings stop approval, and so do
missing sign-offs: medical, legal, regulatory and privacy reviewers each approve the campaign's
current message version.
"""

from __future__ import annotations

import functools
import hashlib
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.domain.errors import PlannerError
from planner.domain.models import (
    Activity,
    Campaign,
    Channel,
    Claim,
    Connection,
    ConsentBasis,
    FindingDecision,
    Jurisdiction,
    MessageVariant,
    Offering,
    Review,
    ReviewDecision,
    ReviewKind,
    Testimonial,
)
from planner.domain.records import Labeled
from planner.domain.resources import data_dir

if TYPE_CHECKING:
    import datetime as dt

    from planner.store import Store


class Severity(Labeled):
    BLOCK = "block"  # must be fixed before the campaign can be approved
    REVIEW = "review"  # a person must look, and may accept it with a reason
    CONFIRM = "confirm"  # a checklist item to tick

    @property
    def rank(self) -> int:
        return list(Severity).index(self)

    @property
    def decision(self) -> str | None:
        """What a person records to settle a finding of this severity (a block is fixed)."""
        return {"review": "accepted", "confirm": "confirmed"}.get(self.value)


TARGETS = ("message", "claim", "testimonial", "activity", "campaign")
ADS = frozenset({Channel.SOCIAL_MEDIA, Channel.SEARCH_ADS, Channel.DISPLAY_ADS})
SIGN_OFFS = (ReviewKind.MEDICAL, ReviewKind.LEGAL, ReviewKind.REGULATORY, ReviewKind.PRIVACY)
# Jurisdictions whose packs also apply: Italy is in the European Union.
_ALSO = {"IT": ("EU",)}


class RulePackError(PlannerError):
    """A rule pack that cannot be read."""


# ---------------------------------------------------------------------------------------------
# Rules


_LEXICON_REF = re.compile(r"@([a-z][a-z0-9_-]*)")
LANGUAGES = ("en", "it", "es")  # the languages the shipped lexicons cover


def _phrase(phrase: str) -> str:
    """A phrase as a regular expression: any spacing between words; " ?" makes a space
    optional."""
    return re.sub(r" +", r"\\s+", re.sub(r" \?", r"\\s*", phrase.strip()))


@dataclass(frozen=True)
class Lexicon:
    """Terms of one kind (conditions, medicine names, incentives...) in several languages,
    kept as data in ``data/lexicons/`` so that every rule that needs them reads the same list;
    a user's own pack can add terms to it."""

    id: str
    title: str
    version: int
    terms: dict[str, tuple[str, ...]]  # language -> phrases
    files: tuple[str, ...] = ()

    def every(self) -> tuple[str, ...]:
        return tuple(t for terms in self.terms.values() for t in terms)


class Lexicons(dict[str, Lexicon]):
    """Every lexicon read, by id; expands ``@name`` in a rule's phrases."""

    def expand(self, phrase: str, seen: tuple[str, ...] = ()) -> str:
        def one(m: re.Match[str]) -> str:
            name = m.group(1)
            if name in seen:
                raise ValueError(f"the lexicon @{name} refers to itself")
            lexicon = self.get(name)
            if lexicon is None:
                known = ", ".join(f"@{k}" for k in sorted(self)) or "none"
                raise ValueError(f"it uses the lexicon @{name}, which is not defined ({known})")
            terms = sorted(set(lexicon.every()), key=lambda t: (-len(t), t))
            parts = [self.expand(_phrase(t), (*seen, name)) for t in terms]
            return _alternation(parts)

        return _LEXICON_REF.sub(one, phrase)


_SIMPLE_GROUP = re.compile(r"^\(([^()\[\]\\?*+{}]+)\)(?![?*+{])")


def _top_level_bar(pattern: str) -> bool:
    depth, escaped, in_class = 0, False, False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
    return False


def _alternation(parts: list[str]) -> str:
    """Alternatives as one group, gathered by their first letter behind a lookahead: the
    matcher then tries at each place in a text only the terms that can start there, which
    makes a lexicon of hundreds of terms several times faster to scan (the same matches)."""
    by_letter: dict[str, list[str]] = {}
    other: list[str] = []
    for part in parts:
        m = _SIMPLE_GROUP.match(part)  # "(the|our) best" is "the best" or "our best"
        alternatives = [a + part[m.end() :] for a in m.group(1).split("|")] if m else [part]
        for alt in alternatives:
            first = alt[:1]
            if first.isalpha() and alt[1:2] not in ("?", "*", "{") and not _top_level_bar(alt):
                by_letter.setdefault(first.casefold(), []).append(alt)
            else:
                other.append(alt)
    groups = [
        f"(?={re.escape(letter)})(?:{'|'.join(alts)})" for letter, alts in sorted(by_letter.items())
    ]
    return "(?:" + "|".join(groups + other) + ")"


def _pattern(phrases: tuple[str, ...], lexicons: Lexicons | None = None) -> re.Pattern[str] | None:
    """One regular expression for a list of phrases: whole words, any case, any spacing;
    ``@name`` stands for every term of that lexicon."""
    if not phrases:
        return None
    parts = [_phrase(phrase) for phrase in phrases]
    if lexicons is not None:
        parts = [lexicons.expand(part) for part in parts]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    pack: str
    jurisdiction: str  # US, IT, UK, EU, or "any" (platform, social and general rules)
    severity: Severity
    applies_to: tuple[str, ...]
    why: str
    citation: str
    fix: str
    words: tuple[str, ...] = ()  # the phrases that raise it
    near: tuple[str, ...] = ()  # ...only with one of these in the same sentence, close by
    within: int = 6  # words between a phrase and its context
    near_scope: str = "sentence"  # where the context is looked for: sentence or text
    unless: tuple[str, ...] = ()  # ...and none of these in the scope below
    unless_scope: str = "sentence"  # sentence or message (the whole variant)
    also: tuple[str, ...] = ()  # ...and one of these somewhere in the message
    required: tuple[str, ...] = ()  # raised when none of these is in the message
    unless_evidence: bool = False  # quiet when the claim (or a claim of the variant) has evidence
    once: bool = False  # one finding per text, however many phrases match
    check: str = ""  # a named condition the campaign's data must meet (see CHECKS)
    channels: frozenset[Channel] = frozenset()  # empty: every channel
    fields: tuple[str, ...] = ()  # of a message: headline, body... (empty: every field)
    offerings: frozenset[Offering] = frozenset()  # empty: every kind of offering
    family: str = ""  # the concern it belongs to (superlatives, incentives...), across packs
    position: str = "anywhere"  # or "opener": a subject line or a text's first sentence
    lexicons: Lexicons | None = field(default=None, compare=False, repr=False)

    def _re(self, phrases: tuple[str, ...]) -> re.Pattern[str] | None:
        return _pattern(phrases, self.lexicons)

    @functools.cached_property
    def words_re(self) -> re.Pattern[str] | None:
        return self._re(self.words)

    @functools.cached_property
    def near_re(self) -> re.Pattern[str] | None:
        return self._re(self.near)

    @functools.cached_property
    def unless_re(self) -> re.Pattern[str] | None:
        return self._re(self.unless)

    @functools.cached_property
    def also_re(self) -> re.Pattern[str] | None:
        return self._re(self.also)

    @functools.cached_property
    def required_re(self) -> re.Pattern[str] | None:
        return self._re(self.required)

    @functools.cached_property
    def payers_re(self) -> re.Pattern[str] | None:
        """Medicare and Medicaid named in a text (for the checks that need them)."""
        if self.lexicons is None or "payers" not in self.lexicons:
            return None
        return self._re(("@payers",))

    def compile(self) -> None:
        """Compile every pattern now, so that a bad one is found when the pack is read."""
        for name in ("words_re", "near_re", "unless_re", "also_re", "required_re"):
            getattr(self, name)


@dataclass(frozen=True)
class RuleSet:
    """Every rule of the packs read, by id."""

    rules: tuple[Rule, ...]
    packs: tuple[tuple[str, str, str], ...]  # (pack id, title, file)
    lexicons: Lexicons = field(default_factory=Lexicons)

    def get(self, rule_id: str) -> Rule | None:
        return self._by_id.get(rule_id.strip().upper())

    @functools.cached_property
    def _by_id(self) -> dict[str, Rule]:
        return {rule.id.upper(): rule for rule in self.rules}

    def for_jurisdictions(self, jurisdictions: Iterable[str]) -> list[Rule]:
        wanted = {"any"}
        for code in jurisdictions:
            wanted.add(code)
            wanted.update(_ALSO.get(code, ()))
        return [rule for rule in self.rules if rule.jurisdiction in wanted]


_RULE_KEYS = {
    "id",
    "title",
    "severity",
    "applies_to",
    "why",
    "citation",
    "fix",
    "words",
    "near",
    "within",
    "near_scope",
    "unless",
    "unless_scope",
    "also",
    "required",
    "unless_evidence",
    "once",
    "check",
    "channels",
    "offerings",
    "fields",
    "jurisdiction",
    "family",
    "position",
}


def _read_toml(path: Path, what: str) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RulePackError(f"The {what} {path} cannot be read ({exc}).") from None
    except tomllib.TOMLDecodeError as exc:
        raise RulePackError(f"The {what} {path} is not valid TOML: {exc}.") from None


_LANGUAGE_KEY = re.compile(r"^[a-z]{2}$")


def _add_lexicons(
    lexicons: Lexicons, data: dict[str, Any], path: Path, *, check: bool = True
) -> None:
    """Read the ``[lexicon.NAME]`` tables of a file: a new lexicon, or terms added to one.
    A user's terms are checked one by one as they are read; the shipped ones by the tests."""
    tables = data.get("lexicon", {})
    if not isinstance(tables, dict):
        raise RulePackError(
            f"In {path}, 'lexicon' must be tables such as [lexicon.conditions] with a list of "
            "terms per language (en = [...])."
        )
    for name, table in tables.items():
        where = f"The lexicon '{name}' in {path}"
        if not _LEXICON_REF.fullmatch(f"@{name}") or not isinstance(table, dict):
            raise RulePackError(
                f"{where} cannot be used: a lexicon's name is lower-case letters, digits and "
                "dashes, and it holds lists of terms per language (en = [...])."
            )
        terms: dict[str, tuple[str, ...]] = {}
        for key, value in table.items():
            if key in ("title", "version", "about"):
                continue
            if not _LANGUAGE_KEY.match(key) or not isinstance(value, list):
                raise RulePackError(
                    f"{where} cannot be used: '{key}' is neither title, version, about nor a "
                    "two-letter language code with a list of terms."
                )
            for term in value if check else ():
                try:
                    re.compile(_phrase(str(term)))
                except re.error as exc:
                    raise RulePackError(
                        f"{where} cannot be used: the {key} term '{term}' is not a valid "
                        f"pattern ({exc})."
                    ) from None
            terms[key] = tuple(str(t) for t in value if str(t).strip())
        old = lexicons.get(name)
        if old is None:
            lexicons[name] = Lexicon(
                name,
                str(table.get("title", name)),
                int(table.get("version", 1)),
                terms,
                (str(path),),
            )
            continue
        merged = dict(old.terms)
        for lang, more in terms.items():
            merged[lang] = tuple(dict.fromkeys((*merged.get(lang, ()), *more)))
        lexicons[name] = Lexicon(name, old.title, old.version, merged, (*old.files, str(path)))


def _read_pack(
    path: Path, data: dict[str, Any], lexicons: Lexicons, *, check: bool = True
) -> tuple[tuple[str, str, str], list[Rule]]:
    pack = data.get("pack", {})
    pack_id = str(pack.get("id") or path.stem)
    try:
        jurisdiction = _jurisdiction(pack.get("jurisdiction", "any"))
    except ValueError as exc:
        raise RulePackError(f"The pack {path} cannot be used: {exc}.") from None
    rules = []
    for n, raw in enumerate(data.get("rule", []), 1):
        rule_id = f" ({raw['id']})" if isinstance(raw, dict) and raw.get("id") else ""
        where = f"Rule {n}{rule_id} of the pack {path}"
        try:
            rules.append(_rule(raw, pack_id, jurisdiction, lexicons, strict=check))
        except re.error as exc:
            raise RulePackError(
                f"{where} cannot be used: one of its patterns is not a valid regular "
                f"expression ({exc})."
            ) from None
        except (KeyError, ValueError, TypeError) as exc:
            raise RulePackError(f"{where} cannot be used: {exc}.") from None
    return (pack_id, str(pack.get("title", pack_id)), str(path)), rules


_NEEDED = ("id", "title", "severity", "why", "citation", "fix")


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _jurisdiction(value: object) -> str:
    """A pack's or a rule's jurisdiction as written (us, GB...), checked: a rule for a place
    the planner does not know would never be applied."""
    code = str(value).strip()
    if code.lower() == "any":
        return "any"
    code = "UK" if code.upper() == "GB" else code.upper()
    known = [j.value for j in Jurisdiction]
    if code not in known:
        raise ValueError(f"its jurisdiction '{value}' is none of {', '.join(known)} or any")
    return code


def _rule(
    raw: dict[str, Any], pack: str, jurisdiction: str, lexicons: Lexicons, *, strict: bool = True
) -> Rule:
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise ValueError(f"'{sorted(unknown)[0]}' is not a field a rule can have")
    missing = [key for key in _NEEDED if not str(raw.get(key, "")).strip()]
    if missing:
        raise ValueError(f"it has no {_or(missing)} (every rule needs {', '.join(_NEEDED)})")
    if raw["severity"] not in [s.value for s in Severity]:
        raise ValueError(
            f"its severity '{raw['severity']}' is none of {', '.join(s.value for s in Severity)}"
        )
    applies = tuple(raw.get("applies_to", ["message"]))
    for target in applies:
        if target not in TARGETS:
            raise ValueError(f"it applies to '{target}', which is none of {', '.join(TARGETS)}")
    check = str(raw.get("check", ""))
    if check and check not in CHECKS:
        raise ValueError(f"its check '{check}' is none the planner knows")
    if raw.get("unless_scope", "sentence") not in ("sentence", "message"):
        raise ValueError("unless_scope is either 'sentence' or 'message'")
    if raw.get("near_scope", "sentence") not in ("sentence", "text"):
        raise ValueError("near_scope is either 'sentence' or 'text'")
    if raw.get("position", "anywhere") not in ("anywhere", "opener"):
        raise ValueError("position is either 'anywhere' or 'opener'")
    rule = Rule(
        id=str(raw["id"]).strip().upper(),
        title=str(raw["title"]),
        pack=pack,
        jurisdiction=_jurisdiction(raw.get("jurisdiction", jurisdiction)),
        severity=Severity(raw["severity"]),
        applies_to=applies,
        why=str(raw["why"]).strip(),
        citation=str(raw["citation"]).strip(),
        fix=str(raw["fix"]).strip(),
        words=tuple(raw.get("words", ())),
        near=tuple(raw.get("near", ())),
        within=int(raw.get("within", 6)),
        near_scope=str(raw.get("near_scope", "sentence")),
        unless=tuple(raw.get("unless", ())),
        unless_scope=str(raw.get("unless_scope", "sentence")),
        also=tuple(raw.get("also", ())),
        required=tuple(raw.get("required", ())),
        unless_evidence=bool(raw.get("unless_evidence", False)),
        once=bool(raw.get("once", False)),
        check=check,
        channels=frozenset(Channel(c) for c in raw.get("channels", ())),
        offerings=frozenset(Offering(o) for o in raw.get("offerings", ())),
        fields=tuple(raw.get("fields", ())),
        family=str(raw.get("family", "")),
        position=str(raw.get("position", "anywhere")),
        lexicons=lexicons,
    )
    if not (rule.words or rule.required or rule.check):
        raise ValueError("it has no words, no required words and no check, so it never matches")
    if strict:  # a user's rule: a bad pattern is said when the pack is read
        rule.compile()
    return rule


def rules_dir() -> Path:
    return data_dir() / "rules"


def lexicons_dir() -> Path:
    return data_dir() / "lexicons"


@functools.lru_cache(maxsize=8)
def _load(folders: tuple[Path, ...], stamp: tuple[float, ...]) -> RuleSet:
    lexicons = Lexicons()
    for path in sorted(lexicons_dir().glob("*.toml")):
        _add_lexicons(lexicons, _read_toml(path, "lexicon"), path, check=False)
    files = [
        (path, _read_toml(path, "rule pack"))
        for folder in folders
        for path in sorted(folder.glob("*.toml"))
    ]
    shipped = rules_dir()
    for path, data in files:  # every pack's lexicon terms first: a rule sees them all
        _add_lexicons(lexicons, data, path, check=path.parent != shipped)
    packs, rules, seen = [], [], {}
    for path, data in files:
        if "rule" not in data and "pack" not in data:
            continue  # a file of lexicon terms only
        # The shipped patterns compile when first used (tests compile them all), which keeps
        # a command that needs a few rules from paying for all of them.
        pack, found = _read_pack(path, data, lexicons, check=path.parent != shipped)
        packs.append(pack)
        for rule in found:
            if rule.id in seen:
                raise RulePackError(
                    f"Two rules are called {rule.id}: in {seen[rule.id]} and in {path}; "
                    "give the one of your own pack another id."
                )
            seen[rule.id] = path
            rules.append(rule)
    return RuleSet(tuple(rules), tuple(packs), lexicons)


def load_rules(extra: Path | None = None) -> RuleSet:
    """The shipped packs and lexicons, and the packs in ``extra`` (a consultant's own folder,
    whose ``[lexicon.NAME]`` tables add terms to the shipped lexicons). Read once and kept
    while the files are unchanged, patterns compiled."""
    folders = [rules_dir()]
    if extra is not None:
        extra = extra.expanduser()
        if not extra.is_dir():
            raise RulePackError(
                f"The rules folder {extra} does not exist or is not a folder; give a folder of "
                ".toml rule packs."
            )
        folders.append(extra)
    paths = [*sorted(lexicons_dir().glob("*.toml"))]
    paths += [p for f in folders for p in sorted(f.glob("*.toml"))]
    stamp = tuple(p.stat().st_mtime for p in paths)
    return _load(tuple(folders), stamp)


# ---------------------------------------------------------------------------------------------
# What is checked


@dataclass
class Subject:
    """One text (or one record) the rules look at."""

    kind: str  # message, claim, testimonial, activity, campaign
    key: str  # stable: decisions are kept against it
    label: str  # for people: "Variant 'Flu email', body"
    text: str
    channels: frozenset[Channel]
    variant: MessageVariant | None = None
    claim: Claim | None = None
    testimonial: Testimonial | None = None
    activity: Activity | None = None
    scope: str = ""  # the whole message the text belongs to

    @property
    def field(self) -> str:
        return self.key.rsplit(":", 1)[-1]


@dataclass
class Context:
    """What the rules know besides the text."""

    campaign: Campaign | None
    offering: Offering = Offering.SERVICE
    # variant name -> the texts of its claims that name their evidence
    evidenced: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @functools.cached_property
    def sms_exempt(self) -> frozenset[str]:
        """The variants sent by SMS under the health-care exemption."""
        if self.campaign is None:
            return frozenset()
        return frozenset(
            a.message
            for a in self.campaign.activities
            if a.message
            and a.channel is Channel.SMS
            and a.list_consent is ConsentBasis.HEALTHCARE_EXEMPTION
        )

    def covered(self, variant: MessageVariant | None, text: str, start: int, end: int) -> bool:
        """Whether a claim of the variant with its evidence says what matched: evidence for
        one claim ("98% implant survival, our outcome data") does not back another sentence
        of the same variant ("the best dentists in town")."""
        if variant is None:
            return False
        said = _plain(text[start:end])
        left, right = _sentence(text, start, end)
        sentence = _plain(text[left:right])
        return any(
            said in claim or (claim and claim in sentence)
            for claim in map(_plain, self.evidenced.get(variant.name, ()))
        )


def _plain(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _variant_channels(campaign: Campaign, variant: MessageVariant) -> frozenset[Channel]:
    found = {a.channel for a in campaign.activities if a.message == variant.name}
    if variant.channel is not None:
        found.add(variant.channel)
    return frozenset(found)


def _message_scope(campaign: Campaign, variant: MessageVariant, channels: frozenset) -> str:
    parts = [text for _, text in variant.texts()]
    if Channel.EMAIL in channels and campaign.email_footer:
        parts.append(campaign.email_footer)
    return "\n".join(parts)


def campaign_subjects(campaign: Campaign) -> list[Subject]:
    every = {a.channel for a in campaign.activities}
    every.update(m.channel for m in campaign.messages if m.channel is not None)
    subjects = [Subject("campaign", "campaign:campaign", "The campaign", "", frozenset(every))]
    if campaign.core_message:
        subjects.append(
            Subject(
                "message",
                "core:core_message",
                "Core message",
                campaign.core_message,
                frozenset(),
                scope=campaign.core_message,
            )
        )
    for variant in campaign.messages:
        channels = _variant_channels(campaign, variant)
        scope = _message_scope(campaign, variant, channels)
        where = f"Variant '{variant.name}'"
        base = f"variant:{variant.name}"
        subjects.append(
            Subject("variant", f"{base}:whole", where, "", channels, variant, scope=scope)
        )
        for name, text in variant.texts():
            subjects.append(
                Subject(
                    "message",
                    f"{base}:{name}",
                    f"{where}, {name.replace('_', ' ')}",
                    text,
                    channels,
                    variant,
                    scope=scope,
                )
            )
        for n, claim in enumerate(variant.claims, 1):
            subjects.append(
                Subject(
                    "claim",
                    f"{base}:claim:{claim.text[:60]}",
                    f"{where}, claim {n}",
                    claim.text,
                    channels,
                    variant,
                    claim=claim,
                    scope=scope,
                )
            )
        for n, said in enumerate(variant.testimonials, 1):
            who = f" ({said.endorser})" if said.endorser else ""
            subjects.append(
                Subject(
                    "testimonial",
                    f"{base}:testimonial:{said.text[:60]}",
                    f"{where}, testimonial {n}{who}",
                    said.text,
                    channels,
                    variant,
                    testimonial=said,
                    scope=scope,
                )
            )
    for activity in campaign.activities:
        subjects.append(
            Subject(
                "activity",
                f"activity:{activity.name}",
                f"Activity '{activity.name}'",
                activity.description,
                frozenset({activity.channel}),
                activity=activity,
                scope=activity.description,
            )
        )
    return subjects


# ---------------------------------------------------------------------------------------------
# Findings


@dataclass
class Finding:
    rule: Rule
    subject: str  # the label of what was checked
    field: str
    text: str  # the whole text that was checked ('' for a record)
    start: int
    end: int
    detail: str  # what exactly is wrong, in a sentence
    key: str
    decision: FindingDecision | None = None

    @property
    def matched(self) -> str:
        return self.text[self.start : self.end]

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    @property
    def status(self) -> str:
        """open, accepted or confirmed."""
        if self.decision is None:
            return "open"
        return self.decision.decision

    @property
    def open(self) -> bool:
        return self.decision is None

    @property
    def message(self) -> str:
        return self.detail or self.rule.why

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "key": self.key,
            "rule": self.rule.id,
            "severity": self.severity.value,
            "title": self.rule.title,
            "subject": self.subject,
            "field": self.field,
            "matched": self.matched,
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "why": self.rule.why,
            "citation": self.rule.citation,
            "fix": self.rule.fix,
            "family": self.rule.family,
            "status": self.status,
        }
        if self.decision is not None:
            data["reason"] = self.decision.reason
            data["decided_by"] = self.decision.name
        return data


def _key(rule: Rule, subject: Subject, matched: str) -> str:
    raw = f"{rule.id}|{subject.key}|{' '.join(matched.casefold().split())}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:10]


_SENTENCE_END = re.compile(r"[.!?;:\n]+(?=\s|$)|\n")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence holding text[start:end]."""
    left = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        left = m.end()
    m = _SENTENCE_END.search(text, end)
    return left, (m.start() if m else len(text))


def _words_between(text: str, a: int, b: int) -> int:
    return len(_WORD.findall(text, a, b)) if a < b else 0


def _near(rule: Rule, text: str, start: int, end: int) -> tuple[int, int] | None:
    """The context phrase closest to the match, in its sentence and within the rule's reach."""
    assert rule.near_re is not None
    if rule.near_scope == "text":
        left, right = 0, len(text)
    else:
        left, right = _sentence(text, start, end)
    best: tuple[int, int, int] | None = None
    for m in rule.near_re.finditer(text, left, right):
        if m.start() < end and m.end() > start:
            continue  # the same words
        gap = _words_between(text, m.end(), start) if m.end() <= start else 0
        if m.start() >= end:
            gap = _words_between(text, end, m.start())
        if gap <= rule.within and (best is None or gap < best[0]):
            best = (gap, m.start(), m.end())
    return None if best is None else (best[1], best[2])


def match_text(rule: Rule, text: str, scope: str = "") -> Iterator[tuple[int, int]]:
    """Where the rule's phrases match in ``text``, with their context; ``scope`` is the whole
    message the text is part of (for ``also`` and message-wide ``unless``)."""
    if rule.words_re is None or not text:
        return
    scope = scope or text
    checked_scope = False  # the message-wide conditions, looked at once a phrase matches
    taken: list[tuple[int, int]] = []
    for m in rule.words_re.finditer(text):
        if not checked_scope:
            if rule.also_re is not None and not rule.also_re.search(scope):
                return
            if rule.unless_scope == "message" and rule.unless_re and rule.unless_re.search(scope):
                return
            checked_scope = True
        start, end = m.span()
        if start == end:
            continue
        if rule.near_re is not None:
            other = _near(rule, text, start, end)
            if other is None:
                continue
            start, end = min(start, other[0]), max(end, other[1])
        if rule.unless_re is not None and rule.unless_scope == "sentence":
            left, right = _sentence(text, start, end)
            if rule.unless_re.search(text, left, right):
                continue
        if any(start < b and end > a for a, b in taken):
            continue
        taken.append((start, end))
        yield start, end
        if rule.once:
            return


# Named checks: conditions on the campaign's data. Each yields (start, end, detail) in the
# subject's text (0, 0 for a record) for each problem it finds.
Check = Callable[[Rule, Subject, Context], Iterable[tuple[int, int, str]]]
CHECKS: dict[str, Check] = {}


def check(name: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        CHECKS[name] = fn
        return fn

    return register


def _words_then(rule: Rule, subject: Subject, detail: str) -> Iterator[tuple[int, int, str]]:
    if rule.words_re is None:
        yield 0, 0, detail
        return
    for start, end in match_text(rule, subject.text, subject.scope):
        yield start, end, detail


@check("testimonial_consent")
def _testimonial_consent(rule: Rule, subject: Subject, ctx: Context):
    said = subject.testimonial
    if said is not None and not said.consent_on_file:
        who = said.endorser or "the person quoted"
        yield 0, 0, f"No signed authorization from {who} is on file for this testimonial."


@check("testimonial_connection")
def _testimonial_connection(rule: Rule, subject: Subject, ctx: Context):
    said = subject.testimonial
    if (
        said is not None
        and said.connection is not Connection.NONE
        and not said.connection_disclosed
    ):
        yield (
            0,
            0,
            f"The endorser's connection ({said.connection.label.lower()}) is not disclosed "
            "in the message.",
        )


_VARY_ONLY = re.compile(r"^\W*(individual\s+)?results\s+(may|can|will)\s+vary\W*$", re.I)


@check("testimonial_typicality")
def _testimonial_typicality(rule: Rule, subject: Subject, ctx: Context):
    said = subject.testimonial
    if said is None:
        return
    typical = said.typicality.strip()
    if typical and not _VARY_ONLY.match(typical):
        return
    detail = (
        "It reports a specific result, and 'results may vary' alone does not say what "
        "patients generally achieve."
        if typical
        else "It reports a specific result with no statement of what patients generally achieve."
    )
    yield from _words_then(rule, subject, detail)


@check("testimonial_present")
def _testimonial_present(rule: Rule, subject: Subject, ctx: Context):
    if subject.testimonial is not None:
        yield 0, 0, "The message uses a testimonial."


def _consent(subject: Subject) -> ConsentBasis | None:
    return subject.activity.list_consent if subject.activity else None


@check("sms_consent")
def _sms_consent(rule: Rule, subject: Subject, ctx: Context):
    activity = subject.activity
    if activity is None or activity.channel is not Channel.SMS:
        return
    basis = activity.list_consent
    if basis in (ConsentBasis.EXPRESS_WRITTEN, ConsentBasis.HEALTHCARE_EXEMPTION):
        return
    said = (
        "no consent basis is recorded" if basis is None else f"the list's basis is '{basis.label}'"
    )
    yield 0, 0, f"SMS marketing needs prior express written consent; {said}."


@check("list_consent")
def _list_consent(rule: Rule, subject: Subject, ctx: Context):
    activity = subject.activity
    if activity is None or activity.channel not in (Channel.EMAIL, Channel.SMS):
        return
    if activity.list_consent in (None, ConsentBasis.NONE):
        what = "email" if activity.channel is Channel.EMAIL else "SMS"
        yield 0, 0, f"No consent basis is recorded for the list this {what} goes to."


@check("sms_exemption_promo")
def _sms_exemption_promo(rule: Rule, subject: Subject, ctx: Context):
    if subject.variant is None or ctx.campaign is None:
        return
    if subject.variant.name in ctx.sms_exempt:
        yield from _words_then(
            rule, subject, "It goes out under the health-care exemption but promotes."
        )


@check("health_data_audience")
def _health_data_audience(rule: Rule, subject: Subject, ctx: Context):
    activity = subject.activity
    if activity is not None and activity.health_data_audience:
        yield 0, 0, "Its audience is built from patient records or health conditions."


@check("minors_in_audience")
def _minors(rule: Rule, subject: Subject, ctx: Context):
    variant = subject.variant
    if variant is None or ctx.campaign is None:
        return
    segment = next((s for s in ctx.campaign.segments if s.name == variant.segment), None)
    if segment is not None and segment.age_min is not None and segment.age_min >= 18:
        return
    detail = (
        f"Segment '{segment.name}' is not limited to adults (18+)."
        if segment
        else "The variant is not aimed at a segment limited to adults (18+)."
    )
    yield from _words_then(rule, subject, detail)


@check("medicare_audience")
def _medicare(rule: Rule, subject: Subject, ctx: Context):
    """Words of the rule in a message that reaches Medicare or Medicaid patients: the campaign's
    segments say so, or the message itself names them."""
    named = rule.payers_re
    if named is None:
        return
    if named.search(subject.scope or subject.text):
        detail = f"{rule.why} The message names Medicare or Medicaid patients."
    elif ctx.campaign is not None and any(
        named.search(f"{s.payer_notes} {s.description} {s.name}") for s in ctx.campaign.segments
    ):
        detail = f"{rule.why} The campaign's segments are Medicare or Medicaid patients."
    else:
        return
    yield from _words_then(rule, subject, detail)


# Checks that can look at a text alone (``planner lint --text``), without a campaign's records.
TEXT_CHECKS = frozenset({"medicare_audience"})


@check("reading_level")
def _reading(rule: Rule, subject: Subject, ctx: Context):
    from planner.plan.guide import reading_warning  # textstat loads on first use

    if subject.variant is None or ctx.campaign is None:
        return
    segment = next((s for s in ctx.campaign.segments if s.name == subject.variant.segment), None)
    warning = reading_warning(subject.variant, segment)
    if warning:
        yield 0, 0, warning


@check("campaign")
def _campaign(rule: Rule, subject: Subject, ctx: Context):
    yield 0, 0, ""


@check("no_jurisdiction")
def _no_jurisdiction(rule: Rule, subject: Subject, ctx: Context):
    if ctx.campaign is not None and not ctx.campaign.jurisdictions:
        yield 0, 0, ""


def _applies(rule: Rule, subject: Subject, ctx: Context) -> bool:
    kind = "message" if subject.kind == "variant" else subject.kind
    if kind not in rule.applies_to:
        return False
    if subject.kind == "variant" and not (rule.required or rule.check):
        return False  # a variant as a whole is checked for what it lacks, not for its words
    if subject.kind == "message" and subject.variant is not None and rule.required:
        return False  # what a variant lacks is checked once, on the whole variant
    if subject.kind == "message" and rule.check in ("reading_level",):
        return False
    if rule.fields and subject.field not in rule.fields:
        return False
    if rule.channels and not (rule.channels & subject.channels):
        return False
    if rule.offerings and ctx.offering not in rule.offerings:
        return False
    claim = subject.claim
    return not (rule.unless_evidence and claim is not None and claim.evidence_reference.strip())


def _opener(subject: Subject) -> int:
    """How much of the text an opener rule looks at: a subject line whole, else the first
    sentence (an SMS's or an email's opening words); 0 for other fields."""
    if subject.field in ("headline", "subject"):
        return len(subject.text)
    if subject.field not in ("body", "whole"):
        return 0
    # "Subject:" or a practice's name before a colon is not the opening sentence
    for m in _SENTENCE_END.finditer(subject.text):
        if _words_between(subject.text, 0, m.start()) >= 5:
            return m.start()
    return len(subject.text)


def lint_subject(rule: Rule, subject: Subject, ctx: Context) -> Iterator[Finding]:
    if not _applies(rule, subject, ctx):
        return
    if rule.check:
        hits: Iterable[tuple[int, int, str]] = CHECKS[rule.check](rule, subject, ctx)
    elif rule.required:
        assert rule.required_re is not None
        scope = subject.scope or subject.text
        hits = [] if rule.required_re.search(scope) else [(0, 0, "")]
    else:
        hits = ((s, e, "") for s, e in match_text(rule, subject.text, subject.scope))
    if rule.position == "opener":
        limit = _opener(subject)
        hits = [(s, e, d) for s, e, d in hits if e <= limit]
    if rule.unless_evidence and subject.claim is None and subject.variant is not None:
        hits = [
            (s, e, d)
            for s, e, d in hits
            if not (e > s and ctx.covered(subject.variant, subject.text, s, e))
        ]
    for start, end, detail in hits:
        text = subject.text if end > start else ""
        yield Finding(
            rule,
            subject.label,
            subject.field,
            text,
            start if text else 0,
            end if text else 0,
            detail,
            _key(rule, subject, text[start:end] if text else ""),
        )


@dataclass
class Report:
    """The compliance review of a campaign (or of one text)."""

    findings: list[Finding]
    rules: list[Rule]  # the rules that were applied
    disabled: list[tuple[Rule | None, str, str]] = field(default_factory=list)  # (rule, id, why)
    jurisdictions: list[str] = field(default_factory=list)

    def of(self, severity: Severity, *, open_only: bool = True) -> list[Finding]:
        return [f for f in self.findings if f.severity is severity and (f.open or not open_only)]

    @property
    def blocking(self) -> list[Finding]:
        return self.of(Severity.BLOCK)

    def counts(self) -> dict[str, int]:
        counts = {s.value: len(self.of(s)) for s in Severity}
        counts["accepted"] = sum(1 for f in self.findings if f.status == "accepted")
        counts["confirmed"] = sum(1 for f in self.findings if f.status == "confirmed")
        return counts

    def for_variant(self, name: str) -> list[Finding]:
        prefix = f"Variant '{name}'"
        return [f for f in self.findings if f.subject.startswith(prefix)]


def _order(finding: Finding) -> tuple[int, str, int]:
    return finding.severity.rank, finding.subject, finding.start


def lint_campaign(campaign: Campaign, rules: RuleSet) -> Report:
    """Every finding of the rules of the campaign's jurisdictions, with the decisions taken."""
    waived = {w.rule_id.upper(): w.reason for w in campaign.disabled_rules}
    codes = [j.value for j in campaign.jurisdictions]
    applied = [r for r in rules.for_jurisdictions(codes) if r.id not in waived]
    ctx = Context(
        campaign,
        campaign.offering,
        {
            m.name: tuple(c.text for c in m.claims if c.evidence_reference.strip())
            for m in campaign.messages
        },
    )
    decisions = {d.key: d for d in campaign.finding_decisions}
    findings = []
    for subject in campaign_subjects(campaign):
        for rule in applied:
            for finding in lint_subject(rule, subject, ctx):
                decision = decisions.get(finding.key)
                if decision is not None and _fits(decision, finding):
                    finding.decision = decision
                findings.append(finding)
    findings.sort(key=_order)
    disabled = [(rules.get(rule_id), rule_id, why) for rule_id, why in sorted(waived.items())]
    return Report(findings, applied, disabled, codes)


def _fits(decision: FindingDecision, finding: Finding) -> bool:
    return (
        decision.decision == finding.severity.decision
        and decision.rule_id.upper() == finding.rule.id
    )


def lint_text(
    text: str,
    rules: RuleSet,
    *,
    jurisdictions: Iterable[str] = (),
    channels: Iterable[Channel] = (),
    offering: Offering = Offering.SERVICE,
) -> Report:
    """The findings of one piece of message text, as if it were a variant's body on these
    channels. Checks that need a campaign's records (consent, testimonials) stay quiet."""
    codes = list(jurisdictions)
    applied = [
        r
        for r in rules.for_jurisdictions(codes)
        if "message" in r.applies_to and (not r.check or r.check in TEXT_CHECKS)
    ]
    subject = Subject("message", "text:body", "Text", text, frozenset(channels), scope=text)
    ctx = Context(None, offering)
    findings = [f for rule in applied for f in lint_subject(rule, subject, ctx)]
    findings.sort(key=_order)
    return Report(findings, applied, [], codes)


# ---------------------------------------------------------------------------------------------
# Sign-offs and approval


@dataclass(frozen=True)
class SignOff:
    kind: ReviewKind
    review: Review | None  # the latest recorded, if any
    standing: bool  # approved on the current message version
    note: str  # in words, for screens and briefs


def sign_offs(campaign: Campaign) -> list[SignOff]:
    """The latest sign-off of each kind (the one recorded last counts) and whether it stands."""
    latest: dict[ReviewKind, Review] = {}
    for review in campaign.reviews:  # in the order recorded
        latest[review.kind] = review
    result = []
    for kind in SIGN_OFFS:
        review = latest.get(kind)
        if review is None:
            result.append(SignOff(kind, None, False, "missing"))
            continue
        approved = review.decision is ReviewDecision.APPROVED
        # Not stamped (built outside the store): given on the messages as they are.
        current = review.message_version in (None, campaign.message_version)
        if approved and current:
            note = "approved"
        elif approved:
            note = "withdrawn: a message changed after this sign-off"
        else:
            note = review.decision.label.lower()
        result.append(SignOff(kind, review, approved and current, note))
    return result


def next_sign_off(campaign: Campaign) -> ReviewKind:
    """The kind of sign-off to record next: the first that does not stand yet."""
    return next((s.kind for s in sign_offs(campaign) if not s.standing), SIGN_OFFS[0])


def sign_off_date_problem(date: dt.date | None, today: dt.date) -> str:
    """Why a sign-off cannot carry this date ("" when it can): a sign-off records a decision
    already made, so it is dated today or earlier, never after today."""
    if date is None or date <= today:
        return ""
    return (
        f"The sign-off date {date.isoformat()} is after today ({today.isoformat()}); a "
        "sign-off records a decision already made, so give the day it was made."
    )


def record_sign_off(store: Store, campaign_id: int, review: Review, today: dt.date) -> None:
    """Save a reviewer's sign-off, refusing a date after today (the same rule in every face)."""
    problem = sign_off_date_problem(review.date, today)
    if problem:
        raise PlannerError(problem)
    store.add_item(campaign_id, review, expected_version=None)


def approval_problems(campaign: Campaign, rules: RuleSet) -> list[str]:
    """What stands between the campaign and approval, in words; empty when it can be approved."""
    report = lint_campaign(campaign, rules)
    problems = []
    blocks = report.blocking
    if blocks:
        ids = sorted({f.rule.id for f in blocks})
        problems.append(
            f"{len(blocks)} block finding{'s' if len(blocks) != 1 else ''} "
            f"({', '.join(ids)}) must be fixed"
        )
    unticked = report.of(Severity.CONFIRM)
    if unticked:
        problems.append(
            f"{len(unticked)} checklist item{'s' if len(unticked) != 1 else ''} must be confirmed"
        )
    missing = [s for s in sign_offs(campaign) if not s.standing]
    if missing:
        parts = [f"{s.kind.label.lower()} ({s.note})" for s in missing]
        problems.append("sign-off needed from " + ", ".join(parts))
    return problems


def highlight_spans(finding: Finding) -> tuple[str, int, int]:
    """The text of a finding cut to about a line around its match, and the match's offsets in
    what is returned."""
    text, start, end = finding.text, finding.start, finding.end
    left = max(0, start - 60)
    right = min(len(text), end + 60)
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(text) else ""
    cut = prefix + text[left:right].replace("\n", " ") + suffix
    offset = len(prefix) - left
    return cut, start + offset, end + offset


def jurisdiction_codes(values: Iterable[str]) -> list[str]:
    """Jurisdiction codes as typed (us, IT...), checked."""
    codes = []
    for value in values:
        code = value.strip().upper()
        if code == "GB":
            code = "UK"
        if code not in {j.value for j in Jurisdiction}:
            known = ", ".join(j.value for j in Jurisdiction)
            raise PlannerError(f"'{value}' is not a jurisdiction; choose from {known}.")
        codes.append(code)
    return codes
