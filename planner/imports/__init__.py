"""Importing costs and results from the files practices already have.

``plan_import`` opens a file, recognises its format, and matches its columns to a campaign:
which column holds each field of a cost, which measure each column of figures reports.
``preview`` reads every row as the import would and counts what would be written, with every
row that cannot be read. ``run_import`` writes it as one import, in one transaction, which
``Store.undo_import`` takes back as a whole. Files are streamed, never loaded whole.

The steps, a module each:

- ``formats/``: the exports the planner knows, one module per source (``meta.py``,
  ``google_ads.py``, ``mailchimp.py``, ``ga4.py``, ``hcahps.py``, ``generic.py``);
- ``tabular.py``: opening a CSV or TSV file as a sheet of rows; ``cells.py``: reading a cell's
  number, amount or date; ``channels.py``: the names spreadsheets give channels;
- ``matching.py``: recognising a file and binding its columns (``Plan``, ``plan_import``);
  ``sample.py``: its first rows, which show how it writes numbers and dates;
  ``measures.py``: matching the campaign's measures to the file's figures;
- ``rows.py``: the rows of data; ``costs.py`` and ``results.py``: reading them as costs or
  results; ``reading.py``: the whole file as an import would read it (``preview``);
- ``tally.py``: what an import would write, counted (``Preview``, ``Problem``);
- ``run.py``: writing it (``run_import``), a large file read in a second process;
- ``refusals.py``: why a file as a whole is not imported;
- ``patient_data/``: telling aggregate figures from data about patients, which is refused.
"""

from __future__ import annotations

from planner.imports.matching import Plan, plan_import
from planner.imports.reading import preview
from planner.imports.refusals import DuplicateImport, ImportRefused, SkipsMoney
from planner.imports.run import file_digest, run_import
from planner.imports.tally import Preview

__all__ = [
    "DuplicateImport",
    "ImportRefused",
    "Plan",
    "Preview",
    "SkipsMoney",
    "file_digest",
    "plan_import",
    "preview",
    "run_import",
]
