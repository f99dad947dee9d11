"""The command line: ``planner`` and its subcommands (``main.py`` is the group; each module
beside it holds the commands of one job, loaded when one of them is typed)."""
