"""The rules' patterns kept compiled in the user's cache folder: a later ``brief`` or ``lint``
reads a large pattern back instead of compiling it again (a tenth of a second or more of each).
Read back, a pattern finds exactly what it finds compiled; a damaged or foreign file, or a
cache folder that cannot be written, changes nothing but the time."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from compliance_corpus import CASES

from planner.compliance import lint_text, patterns
from planner.compliance.packs import load_rules

CORPUS = Path(__file__).resolve().parents[1] / "compliance_corpus"


def corpus_texts() -> list[str]:
    texts = [case[0] for case in CASES]
    for path in sorted(CORPUS.glob("*-dev.toml")):
        texts += [raw["text"] for raw in tomllib.loads(path.read_text("utf-8"))["case"]]
    return texts


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    patterns.compile_kept.cache_clear()
    yield tmp_path / "cache"
    patterns.compile_kept.cache_clear()


def fresh_rules(folder: Path):
    """The packs read as a new process reads them: nothing compiled in memory yet."""
    patterns.compile_kept.cache_clear()
    return load_rules(folder)


def kept_files(cache: Path) -> list[Path]:
    return sorted(cache.rglob("pattern-*"))


def the_largest_patterns(folder: Path) -> list[str]:
    rules = fresh_rules(folder)
    sources = {
        getattr(rule, name).pattern
        for rule in rules.rules
        for name in ("words_re", "near_re", "unless_re", "also_re")
        if getattr(rule, name) is not None
    }
    return sorted(sources, key=len)[-4:]


def counted_compiling(monkeypatch) -> list[str]:
    """The patterns compiled from here on (not read back from the cache folder)."""
    compiled: list[str] = []
    compile_now = patterns._compile

    def counted(pattern: str, flags: int):
        compiled.append(pattern)
        return compile_now(pattern, flags)

    monkeypatch.setattr(patterns, "_compile", counted)
    return compiled


@pytest.mark.long
def test_a_pattern_read_back_finds_what_it_finds_compiled(cache, tmp_path, monkeypatch):
    sources = the_largest_patterns(tmp_path)  # the shipped rules, compiled and kept
    assert len(kept_files(cache)) >= 4
    texts = corpus_texts()

    compiled = counted_compiling(monkeypatch)  # a second process reads every one back
    patterns.compile_kept.cache_clear()
    for source in sources:
        read = patterns.compile_kept(source, re.IGNORECASE)
        made = re.compile(source, re.IGNORECASE)
        assert read.flags == made.flags and read.groupindex == made.groupindex
        found = [[m.span() for m in read.finditer(t)] for t in texts]
        assert found == [[m.span() for m in made.finditer(t)] for t in texts]
        assert sum(map(len, found)) > 0
    assert compiled == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: data[: len(data) // 2],  # cut off as a full disk would
        lambda data: data[:-8] + bytes(8),  # the engine's instructions garbled
        lambda data: b"\xff" * 40,
    ],
    ids=["empty", "cut off", "garbled code", "not ours"],
)
def test_a_damaged_kept_pattern_is_compiled_anew_and_the_findings_stay(
    cache, tmp_path, monkeypatch, damage
):
    text = "Our cream cures acne for good, guaranteed: the best dermatologists in Boston."
    (tmp_path / "a").mkdir()
    before = lint_text(text, fresh_rules(tmp_path / "a"), jurisdictions=["US"]).findings
    assert {f.rule.id for f in before} >= {"US-ABSOLUTE"}
    files = kept_files(cache)
    assert files
    for path in files:
        path.write_bytes(damage(path.read_bytes()))
    (tmp_path / "b").mkdir()
    after = lint_text(text, fresh_rules(tmp_path / "b"), jurisdictions=["US"]).findings
    assert [(f.rule.id, f.start, f.end) for f in after] == [
        (f.rule.id, f.start, f.end) for f in before
    ]
    # written over with a whole one, read back by the next without compiling
    compiled = counted_compiling(monkeypatch)
    (tmp_path / "c").mkdir()
    again = lint_text(text, fresh_rules(tmp_path / "c"), jurisdictions=["US"]).findings
    assert [(f.rule.id, f.start, f.end) for f in again] == [
        (f.rule.id, f.start, f.end) for f in before
    ]
    assert compiled == []


def test_a_cache_folder_that_cannot_be_written_changes_nothing(tmp_path, monkeypatch):
    patterns.compile_kept.cache_clear()
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    text = "Our cream cures acne for good."
    found = lint_text(text, fresh_rules(tmp_path), jurisdictions=["US"]).findings
    assert "US-ABSOLUTE" in {f.rule.id for f in found}


def test_a_bad_pattern_is_still_refused_and_nothing_is_kept(cache):
    with pytest.raises(re.error):
        patterns.compile_kept("(unclosed", re.IGNORECASE)
    assert kept_files(cache) == []


@pytest.mark.long
def test_a_lexicon_gathered_by_first_letter_matches_where_its_plain_list_does(monkeypatch):
    """A lexicon's terms are gathered by the characters they can start with, so that a text is
    scanned for the few that can start at each place (a review of the whole development set
    takes a fifth of the time). At every place in a sentence (one in five of the corpus) a
    lexicon matches exactly where the plain list of its terms, one after the other, matches."""
    from planner.compliance import lexicons as lex
    from planner.compliance.reading import readable

    rules = load_rules(None)
    # (a match starts where no letter or digit is before it: the places to look at)
    texts = [
        (t, [i for i in range(len(t)) if not (i and lex.is_word(t[i - 1]))])
        for t in (readable(text).text for text in corpus_texts()[::5])
    ]
    gathered = {name: lex.compile_phrases((f"@{name}",), rules.lexicons) for name in rules.lexicons}
    plain_lexicons = lex.Lexicons(rules.lexicons)
    monkeypatch.setattr(lex, "_alternation", lambda parts: "(?:" + "|".join(parts) + ")")
    for name, pattern in gathered.items():
        plain = re.compile(r"(?<!\w)" + plain_lexicons.expand(f"@{name}") + r"(?!\w)", re.I)
        assert "(?=" in pattern.pattern and "(?=" not in plain.pattern, name
        for text, places in texts:
            starts = [i for i in places if pattern.match(text, i)]
            assert starts == [i for i in places if plain.match(text, i)], (name, text)
