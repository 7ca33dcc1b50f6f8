"""The command line starts without the platform: help and version load no heavy module, code
arguments are checked against the code lists, and progress reaches a log as plain lines."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from safeguard.cli import app
from safeguard.progress import PlainProgress, progress_bar, status_lines

runner = CliRunner(env={"COLUMNS": "200"})
HEAVY = ("sqlalchemy", "fastapi", "pandas", "duckdb", "splink", "igraph", "safeguard.bootstrap")


@pytest.mark.parametrize("argv", [["--help"], ["version"], ["identity", "--help"]])
def test_help_and_version_load_no_heavy_module(argv: list[str]) -> None:
    code = (
        "import sys\n"
        "from safeguard.cli import app\n"
        f"try:\n    app({argv!r})\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_users_add_help_lists_the_roles() -> None:
    result = runner.invoke(app, ["users", "add", "--help"])
    assert result.exit_code == 0
    for role in ("mash", "practitioner", "statistician", "licensing_officer", "auditor"):
        assert role in result.output


@pytest.fixture()
def embedded_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SAFEGUARD_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    return tmp_path


@pytest.mark.parametrize(
    "argv",
    [
        ["risk", "report", "--la", "E99999999"],
        [
            "licensing",
            "check",
            "--authority",
            "XYZ",
            "--first-name",
            "A",
            "--surname",
            "B",
            "--dob",
            "1980-01-01",
        ],  # fmt: skip
        ["licensing", "notices", "--authority", "XYZ"],
        ["licensing", "out-of-area", "--area", "E99999999"],
    ],
)
def test_unknown_area_codes_are_refused_in_a_sentence(
    embedded_store: Path, argv: list[str]
) -> None:
    result = runner.invoke(app, argv)
    assert result.exit_code == 1
    assert "is not a local authority this platform knows" in result.output
    assert "E08000018 (Rotherham)" in result.output
    assert "Traceback" not in result.output


def test_plain_progress_prints_a_line_per_tenth_and_per_new_description() -> None:
    out = io.StringIO()
    with PlainProgress(Console(file=out, width=200)) as bar:
        task = bar.add_task("children", total=100)
        for _ in range(100):
            bar.advance(task, 1)
        bar.update(task, description="writing")
    lines = out.getvalue().splitlines()
    assert [line.split("] ", 1)[1] for line in lines[:2]] == ["children 0/100", "children 10/100"]
    assert sum("children" in line for line in lines) == 11  # 0 %, 10 %, …, 100 %
    assert lines[-1].endswith("writing 100/100")


def test_not_a_terminal_gets_plain_lines() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=False)
    assert isinstance(progress_bar(console), PlainProgress)
    with status_lines(console, "linking records") as update:
        update("training the model")
    assert [line.split("] ", 1)[1] for line in out.getvalue().splitlines()] == [
        "linking records",
        "training the model",
    ]


def test_synth_shows_progress_lines_in_a_log(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["synth", "--children", "200", "--seed", "3", "--out", str(tmp_path / "r")]
    )
    assert result.exit_code == 0, result.output
    assert "children 200/200" in result.output
