"""`safeguard stats refresh` and `safeguard stats report`, on an empty and a loaded store."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeguard.cli import app
from tests.samples import CRIME, POLICE, TWO_CHILDREN

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture(autouse=True)
def embedded_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SAFEGUARD_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    return tmp_path


def test_report_on_an_empty_store_still_writes_a_return(embedded_store: Path) -> None:
    result = runner.invoke(
        app, ["stats", "report", "--year", "2024", "--out", str(embedded_store / "r")]
    )
    assert result.exit_code == 0, result.output
    assert (embedded_store / "r" / "index.html").exists()


def test_refresh_then_report(embedded_store: Path) -> None:
    region = embedded_store / "region" / POLICE
    region.mkdir(parents=True)
    (region / "persons.csv").write_bytes(TWO_CHILDREN)
    (region / "events.csv").write_bytes(CRIME)
    assert runner.invoke(app, ["ingest", str(embedded_store / "region")]).exit_code == 0
    refreshed = runner.invoke(app, ["stats", "refresh"])
    assert refreshed.exit_code == 0 and "1 crimes, 0 group-based" in refreshed.output
    out = embedded_store / "report"
    result = runner.invoke(app, ["stats", "report", "--year", "2024", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "national-return-2024.ods").exists() and (
        out / "suspects_rates_by_ethnicity.csv"
    ).exists()
