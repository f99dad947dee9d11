"""The core stays headless, and a wheel carries the templates and starters it needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CORE_MODULES = [
    "planner",
    "planner.domain.models",
    "planner.store",
    "planner.plan.exchange",
    "planner.plan.starters",
    "planner.briefs",
    "planner.plan.campaigns",
    "planner.domain.money",
    "planner.cli.main",
    "planner.cli.campaigns",
    "planner.cli.history",
    "planner.cli.briefs",
    "planner.cli.tracking",
    "planner.cli.care",
    "planner.cli.compliance",
    "planner.cli.imports",
    "planner.cli.launch",
    "planner.cli.database",
]


def test_planner_modules_do_not_import_textual_or_rich(tmp_path):
    code = (
        "import importlib, json, sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('textual', 'rich', 'screens'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert json.loads(result.stdout) == []


def test_no_planner_source_mentions_the_ui_packages():
    for path in (ROOT / "planner").rglob("*.py"):
        for line in path.read_text().splitlines():
            stripped = line.strip()
            assert not stripped.startswith(
                (
                    "import textual",
                    "from textual",
                    "import rich",
                    "from rich",
                    "from screens",
                    "import screens",
                )
            ), path


@pytest.mark.slow
def test_a_wheel_carries_templates_and_starters(tmp_path):
    if not (ROOT / "pyproject.toml").exists():
        pytest.skip("needs the source checkout")
    wheel_dir = tmp_path / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheel_dir), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheel_dir.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    from planner.briefs import TEMPLATE_FILES

    for template in TEMPLATE_FILES:
        assert f"planner/_shipped/templates/{template}" in names
    assert any(n.startswith("planner/_shipped/data/starters/") for n in names)
    assert any(n.startswith("screens/") and n.endswith(".tcss") for n in names)

    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    code = (
        "import planner, planner.domain.resources as r\n"
        "from planner.plan.starters import list_starters\n"
        "from planner.briefs import render_html, render_markdown\n"
        "starters = list_starters()\n"
        f"assert str(r.templates_dir()).startswith({str(unpacked)!r}), r.templates_dir()\n"
        "text = render_markdown(starters[0].load())\n"
        "assert 'id=\"summary\"' in render_html(starters[0].load())\n"
        "print(len(starters), text.splitlines()[0])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(unpacked)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    count, heading = result.stdout.split(" ", 1)
    assert int(count) >= 5
    assert heading.startswith("# Campaign brief:")
