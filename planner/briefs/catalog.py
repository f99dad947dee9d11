"""The message catalogues of the brief's words: gathered from the code and the templates, merged
into each language's ``brief.po`` for a translator, and compiled to the ``brief.mo`` the
planner reads (see ``planner.domain.language``).

    python -m planner.briefs.catalog          # gather, merge and compile every language
    python -m planner.briefs.catalog --check  # fail if a word is untranslated or a .mo stale

The words are what the code marks ``_("...")``, ``ngettext(...)`` or ``N_("...")`` (in
``planner/``), what the templates write ``_("...")`` (in ``templates/``), and the words of every
option a brief shows (a channel's, a journey stage's: each enumeration's labels).
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from planner.domain.language import DOMAIN, ENGLISH, LANGUAGES, locale_dir
from planner.domain.resources import templates_dir

_PACKAGE = Path(__file__).resolve().parent.parent  # planner/
_KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


def _labels() -> Iterator[str]:
    """The words of every option a brief can show."""
    from planner.domain.records import Labeled
    from planner.tracking.progress import Standing

    def kinds(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from kinds(sub)

    for kind in [*kinds(Labeled), Standing]:
        for member in kind:
            yield member.label


def template() -> Catalog:
    """Every word to translate, with where it is written."""
    catalog = Catalog(project="Healthcare Campaign Planner", domain=DOMAIN)
    sources = [
        (_PACKAGE, [("**.py", "python")], {}),
        (templates_dir(), [("**.j2", "jinja2.ext:babel_extract")], {"**.j2": {"trimmed": "true"}}),
    ]
    for folder, methods, options in sources:
        found = extract_from_dir(
            str(folder), methods, keywords=_KEYWORDS, options_map=options, strip_comment_tags=True
        )
        for filename, lineno, message, comments, context in found:
            where = f"{folder.name}/{filename}"
            catalog.add(
                message, locations=[(where, lineno)], auto_comments=comments, context=context
            )
    for label in _labels():
        if label not in catalog:
            catalog.add(label, locations=[("planner/domain/records.py", 0)])
    return catalog


def _po_path(language: str) -> Path:
    return Path(locale_dir()) / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _read(path: Path, language: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN)
    with path.open("rb") as po:
        return read_po(po, locale=language, domain=DOMAIN)


def _po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False, sort_output=False, include_previous=True)
    return out.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def _stable(data: bytes) -> bytes:
    """A .po without the lines that change at every run (its creation and revision dates)."""
    return b"\n".join(
        line
        for line in data.splitlines()
        if not line.startswith((b'"POT-Creation-Date', b'"PO-Revision-Date'))
    )


def problems(language: str, words: Catalog | None = None) -> list[str]:
    """What stands between the catalogue of ``language`` and a brief wholly in it: words not
    in it or not translated, translations still marked fuzzy, a .mo older than its .po."""
    words = words or template()
    path = _po_path(language)
    catalog = _read(path, language)
    found = []
    for message in words:
        if not message.id:
            continue
        have = catalog.get(message.id, message.context)
        strings = [] if have is None else list(have.string if have.pluralizable else [have.string])
        if have is None or not all(strings):
            found.append(f"not translated: {message.id!r}")
        elif have.fuzzy:
            found.append(f"marked fuzzy (check the translation): {message.id!r}")
    mo = path.with_suffix(".mo")
    if not mo.exists() or mo.read_bytes() != _mo_bytes(catalog):
        found.append(
            f"{mo} is not compiled from {path.name} (run python -m planner.briefs.catalog)"
        )
    return found


def update(language: str, words: Catalog) -> None:
    """Merge the words into the language's .po (kept translations stay; new words come in
    untranslated; words no longer used are kept as obsolete) and compile its .mo."""
    path = _po_path(language)
    catalog = _read(path, language)
    catalog.update(words, no_fuzzy_matching=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    before = path.read_bytes() if path.exists() else b""
    after = _po_bytes(catalog)
    if _stable(after) != _stable(before):
        path.write_bytes(after)
    path.with_suffix(".mo").write_bytes(_mo_bytes(_read(path, language)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m planner.briefs.catalog", description=__doc__)
    parser.add_argument("--check", action="store_true", help="change nothing; list problems")
    args = parser.parse_args(argv)
    words = template()
    status = 0
    for language in LANGUAGES:
        if language == ENGLISH:
            continue
        if not args.check:
            update(language, words)
        for problem in problems(language, words):
            print(f"{language}: {problem}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
