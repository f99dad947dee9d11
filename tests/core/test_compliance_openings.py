"""A rule's pattern is compiled only for a text that could match it: the literal pieces of its
phrases (its openings: "heal" of "heals? (your )?@conditions", one of which every match
holds) are looked for first, and a rule none of whose openings is in a text stays quiet
without compiling its pattern (the largest take a twentieth of a second each, in every
``brief`` and ``lint``). An opening must never make the review miss what the pattern
finds: these tests try every rule on the corpus, on texts generated from its own pattern, and
every character Unicode has against the case-insensitive matching."""

from __future__ import annotations

import functools
import json
import random
import re
import sys
import tomllib
from pathlib import Path

import pytest
from compliance_corpus import CASES
from factories import full_campaign

from planner.compliance import lint_text, load_rules
from planner.compliance.findings import campaign_subjects
from planner.compliance.kept import read_openings
from planner.compliance.lexicons import _DIGIT, _SAFE, Lexicons, fold, openings
from planner.compliance.packs import load_rules as fresh_rules
from planner.compliance.reading import readable
from planner.compliance.rules import holds_an_opening

RULES = load_rules()
WORDED = [rule for rule in RULES.rules if rule.words]
CORPUS = Path(__file__).resolve().parents[1] / "compliance_corpus"


@functools.cache
def corpus_texts() -> tuple[str, ...]:
    """Every text of the corpus as the rules read it (accents, signs between words, "per
    cent"): made once for the process, as every list of phrases is tried on all of them."""
    texts = [case[0] for case in CASES]
    for path in sorted(CORPUS.glob("*.toml")):
        texts += [raw["text"] for raw in tomllib.loads(path.read_text("utf-8"))["case"]]
    texts += [subject.text for subject in campaign_subjects(full_campaign()) if subject.text]
    return tuple(readable(text).text for text in texts)


def assert_every_match_holds_an_opening(pattern, found, text: str) -> None:
    for m in pattern.finditer(text):
        around = fold(text[max(0, m.start() - 1) : m.end() + 1])
        assert any(o.within(around) for o in found), (m.group(), around)
        assert holds_an_opening(found, around), (m.group(), around)  # as a review looks


# Each list of phrases a rule is passed over by: its words, and the words it needs close by
# (near) or in the message (also).
LISTS = [
    (rule, name) for rule in WORDED for name in ("words", "near", "also") if getattr(rule, name)
]
IDS = [f"{rule.id}-{name}" for rule, name in LISTS]


def pattern_and_openings(rule, name: str):
    found = {"words": rule.openings, "near": rule.near_openings, "also": rule.also_openings}
    return getattr(rule, f"{name}_re"), found[name]


def test_every_rule_with_phrases_has_openings():
    """Every shipped rule can be passed over: none has a phrase whose pieces cannot be told."""
    blind = [f"{r.id}-{n}" for r, n in LISTS if pattern_and_openings(r, n)[1] is None]
    assert blind == []


@pytest.mark.parametrize(("rule", "name"), LISTS, ids=IDS)
def test_every_match_in_the_corpus_holds_an_opening(rule, name):
    pattern, found = pattern_and_openings(rule, name)
    texts = corpus_texts()
    assert len(texts) > 400
    for text in texts:
        assert_every_match_holds_an_opening(pattern, found, text)


def examples(pattern: re.Pattern[str], count: int, seed: int) -> list[str]:
    """Texts written from a pattern: at each branch one way taken at random, letters in any
    case, any spacing, with words around them (lookarounds are not honoured: a text that does
    not match after all is simply not found)."""
    from re import _constants as c
    from re import _parser

    tree = _parser.parse(pattern.pattern, pattern.flags)
    chance = random.Random(seed)
    letters = "aeiouxyzAÉßſKİı0123456789"

    def one_of(items) -> list[str]:
        """The characters a class stands for (a sample of them)."""
        if any(op is c.NEGATE for op, _ in items):
            return list(letters)
        options: list[str] = []
        for op, arg in items:
            if op is c.LITERAL:
                options.append(chr(arg))
            elif op is c.RANGE:
                options += [chr(arg[0]), chr(arg[1])]
            elif op is c.CATEGORY and "SPACE" in str(arg):
                options += [" ", "\t", " \n "]
            elif op is c.CATEGORY and "DIGIT" in str(arg):
                options += list("0579٣")
            elif op is c.CATEGORY:
                options += list(letters)
        return options or list(letters)

    def write(items) -> str:
        out = []
        for op, arg in items:
            if op is c.LITERAL:
                ch = chr(arg)
                out.append(chance.choice([ch, ch.upper(), ch.lower()]))
            elif op is c.IN:
                out.append(chance.choice(one_of(arg)))
            elif op is c.ANY:
                out.append(chance.choice(letters))
            elif op is c.BRANCH:
                out.append(write(chance.choice(arg[1])))
            elif op is c.SUBPATTERN:
                out.append(write(arg[3]))
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                low, high, inner = arg
                times = chance.randint(low, min(high, low + 2))
                out.append("".join(write(inner) for _ in range(times)))
            elif op is c.CATEGORY:
                out.append(chance.choice(one_of([(op, arg)])))
        return "".join(out)

    around = ["", "Yes: ", "xx ", "(", "Oggi "]
    return [
        chance.choice(around) + write(tree) + chance.choice(["", ".", " now", "s"])
        for _ in range(count)
    ]


@pytest.mark.parametrize(("rule", "name"), LISTS, ids=IDS)
def test_every_match_of_generated_text_holds_an_opening(rule, name):
    """Texts written from the rule's own patterns, hundreds each."""
    pattern, found = pattern_and_openings(rule, name)
    texts = examples(pattern, 300, seed=len(rule.id))
    matched = 0
    for text in texts:
        matched += bool(pattern.search(text))
        assert_every_match_holds_an_opening(pattern, found, text)
    assert matched >= 100  # most texts written from it do match


def test_fold_turns_whatever_ignorecase_matches_into_the_same_character():
    """For each character an opening may hold, every character re's IGNORECASE matches with
    it folds to it (ſ to s, K to k, ẞ to ß, any digit to 0), so that an opening is found
    wherever the pattern can match."""
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    for ch in sorted(_SAFE - {" "}):
        pattern = r"\d" if ch == "0" else re.escape(ch)
        for m in re.finditer(pattern, every, re.IGNORECASE):
            assert fold(m.group()) == ch, (ch, m.group(), hex(ord(m.group())))
    for m in re.finditer(r"\s+", every):
        assert fold(m.group()) == " "
    assert all(_DIGIT.fullmatch(d) for d in "0123456789")


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("heals? (your )?@x", {"heal ", "heals "}),  # a space is needed after heal
        ("colou?r", {"color", "colour"}),
        ("lunch ?time", {"luncht", "lunch "}),
        (r"\w+day only", {"day on"}),  # after letters of any kind: anywhere in a word
        (r"\d+ ?% off", {"0% off", "0 % of"}),  # the last digit, with what follows
        ("pain[- ]free", {"pain-f", "pain f"}),  # in a class, a space is one space
        ("(the|our) best", {"the be", "our be"}),
        (r"[^a-z]tail", None),  # a class of every letter but some: cannot be told
    ],
)
def test_openings_of_phrases(phrase, expected):
    lexicons = Lexicons()
    found = openings((phrase,), lexicons)
    assert (found if found is None else {o.text for o in found}) == expected


def test_an_opening_at_a_words_start_or_end_is_only_found_there():
    (heal,) = [o for o in openings(("heal",), Lexicons())]
    assert heal.within(fold("It will HEAL you.")) and not heal.within(fold("heart health"))
    (best,) = openings((r"\w+'s best",), Lexicons())
    assert best.within(fold("Boston's best")) and not best.within(fold("the best"))


def test_a_rule_that_cannot_match_a_text_is_not_compiled(tmp_path):
    """Linting plain information compiles none of the large patterns (a fresh read of the
    packs: the rules read elsewhere in the suite may be compiled already)."""
    rules = fresh_rules(tmp_path)  # an empty folder of one's own: the shipped rules, anew
    report = lint_text("Our clinic opens at nine on weekdays.", rules, jurisdictions=["US"])
    assert report.findings == []
    compiled = [rule.id for rule in rules.rules if "words_re" in rule.__dict__]
    assert "US-ABSOLUTE" not in compiled and "GEN-DISCOURAGE-TREATMENT" not in compiled
    found = lint_text("Our cream cures acne for good.", rules, jurisdictions=["US"])
    assert "US-ABSOLUTE" in {f.rule.id for f in found.findings}


def test_openings_kept_by_a_planner_that_reads_text_otherwise_are_worked_out_anew(
    tmp_path, monkeypatch
):
    """How a phrase's accents are read (``reading.py``) goes into its openings as much as the
    lexicons' code does: a planner whose reading differs (another version) does not take the
    openings another kept, it works them out and keeps its own."""
    from planner.compliance import reading

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "one").mkdir()
    read_openings(fresh_rules(tmp_path / "one"))
    (before,) = (tmp_path / "cache").rglob("openings-*.json")
    other = tmp_path / "reading.py"
    other.write_text(Path(reading.__file__).read_text("utf-8") + "\n# read otherwise\n", "utf-8")
    monkeypatch.setattr(reading, "__file__", str(other))
    (tmp_path / "two").mkdir()
    read_openings(fresh_rules(tmp_path / "two"))
    (after,) = (tmp_path / "cache").rglob("openings-*.json")
    assert after.name != before.name


def test_openings_are_kept_for_the_next_process_and_read_back_the_same(tmp_path, monkeypatch):
    """The openings worked out once are kept in the cache folder, named by the rules and
    lexicons they come from; read back, they are the ones worked out; a damaged file is
    worked out anew and written over."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    first = fresh_rules(tmp_path / "one")
    read_openings(first)
    (kept,) = (tmp_path / "cache").rglob("openings-*.json")
    worked_out = {r.id: (r.openings, r.near_openings, r.also_openings) for r in first.rules}
    assert sum(1 for found in worked_out.values() if found[0]) >= 45

    def read_back(folder: Path) -> dict:
        rules = fresh_rules(folder)
        read_openings(rules)
        return {r.id: (r.openings, r.near_openings, r.also_openings) for r in rules.rules}

    assert read_back(tmp_path / "two") == worked_out
    whole = json.loads(kept.read_text())
    kept.write_text('{"US-ABSOLUTE": 1}')
    (tmp_path / "three").mkdir()
    assert read_back(tmp_path / "three") == worked_out
    # Every rule there, the last one's openings garbled: none is taken from the file.
    garbled = {**whole, first.rules[-1].id: {"openings": [["x"]]}}
    for rule in first.rules[:-1]:
        garbled[rule.id] = {k: [["garbled", True, True]] for k in whole[rule.id]}
    kept.write_text(json.dumps(garbled))
    (tmp_path / "four").mkdir()
    assert read_back(tmp_path / "four") == worked_out
    assert "US-ABSOLUTE" in json.loads(kept.read_text())
    # A pack of one's own with a lexicon term of its own: other openings, in another file.
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "terms.toml").write_text('[lexicon.cures]\nen = ["zapsickness"]\n')
    rules = fresh_rules(mine)
    read_openings(rules)
    assert any(o.text == "zapsic" for o in rules.get("US-ABSOLUTE").openings)
    assert len(list((tmp_path / "cache").rglob("openings-*.json"))) == 1  # the other removed


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("s(a){2}", "saa"),
        ("(re)*book now", "Rerebook now"),
        ("x(-)*ray scan", "x--ray scan"),
        ("(1){1,3}?éß", "x 11éß."),
        ("’(?:a?)*", "(’AaA "),
        ("pain(-| )*free", "Totally pain - free injections."),
        ("(ab)+c", "ababc"),
        ("@empty foo", "say  foo"),
    ],
)
def test_a_group_said_several_times_or_an_empty_lexicon_still_finds_the_match(phrase, text):
    """Found by a review: a group repeated with * or {m,n} was read as at most once, and an
    empty lexicon (whose pattern matches nothing, so anywhere) as matching never."""
    from planner.compliance.lexicons import Lexicon, compile_phrases

    lexicons = Lexicons({"empty": Lexicon("empty", "Empty", 1, {"en": ()})})
    pattern = compile_phrases((phrase, "bar"), lexicons)
    found = openings((phrase, "bar"), lexicons)
    text = readable(text).text  # as the rules read it: "éß" is "eß"
    assert pattern.search(text)
    assert found is None or any(o.within(fold(text)) for o in found), found


def test_a_lexicon_term_starting_with_sharp_s_or_dotted_capital_i_matches():
    from planner.compliance.lexicons import Lexicon, compile_phrases

    lexicons = Lexicons({"x": Lexicon("x", "X", 1, {"it": ("İlaç", "ßkincare", "Best")})})
    pattern = compile_phrases(("@x",), lexicons)
    texts = ("İlaç!", "ẞKINCARE", "the best", "Ilac")
    assert [bool(pattern.search(readable(t).text)) for t in texts] == [True] * 4
