"""The command line: ``planner`` and its subcommands.

- ``launch.py``: the entry point; ``planner`` alone opens the TUI without loading click.
- ``database.py``: where the database is, and opening the TUI on it (no click).
- ``main.py``: the click group, its options, and ``COMMANDS``: each command's module, imported
  only when the command is run or the help lists it (click's lazy subcommands).
- ``common.py``: what the command modules share (``UserError``, ``CAMPAIGN_ID``, the store).
- One module a job: ``campaigns.py``, ``history.py``, ``briefs.py``, ``tracking.py``,
  ``imports.py``, ``compliance.py``, ``care.py`` (backup, doctor, restore, serve; with the
  doctor's words in ``doctor.py``).
"""
