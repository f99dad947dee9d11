"""Reading rule packs: the shipped ones in ``data/rules/``, the lexicons in ``data/lexicons/``,
and a consultant's own folder of packs, each checked as it is read.

A pack that cannot be used is said in one sentence naming the file, the rule and what is wrong
(``RulePackError``). A user's patterns are compiled when the pack is read; the shipped ones
when first used (the tests compile them all), so that a command needing a few rules does not
pay for all of them. Packs are read once and kept while their files are unchanged.
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path
from typing import Any

from planner.compliance.checks import CHECKS
from planner.compliance.lexicons import LEXICON_REF, Lexicon, Lexicons, as_regex
from planner.compliance.rules import TARGETS, Rule, RuleSet, Severity
from planner.domain.errors import PlannerError
from planner.domain.models import Channel, Jurisdiction, Offering
from planner.domain.resources import data_dir


class RulePackError(PlannerError):
    """A rule pack that cannot be read."""


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
        if not LEXICON_REF.fullmatch(f"@{name}") or not isinstance(table, dict):
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
                    re.compile(as_regex(str(term)))
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
    for key in ("words", "near", "unless", "also", "required", "applies_to", "channels"):
        if isinstance(raw.get(key), str):  # a list is wanted: a string would be its letters
            raise ValueError(f"'{key}' is one text; write it as a list: {key} = ['...']")
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
