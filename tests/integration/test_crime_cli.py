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


def test_a_year_without_data_is_an_error_not_a_zero_return(embedded_store: Path) -> None:
    result = runner.invoke(
        app, ["stats", "report", "--year", "1999", "--out", str(embedded_store / "r")]
    )
    assert result.exit_code == 1
    assert "no CSAE crimes recorded in 1999" in result.output and "0 %" not in result.output
    assert not (embedded_store / "r").exists()
    missing = runner.invoke(app, ["stats", "audit", str(embedded_store)])
    assert missing.exit_code == 1 and "manifest.json" in missing.output


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
    audited = runner.invoke(app, ["stats", "audit", str(out)])
    assert audited.exit_code == 0 and "none narrowed" in audited.output
    # a tampered return (a withheld count of 1-9 put back) fails the audit
    path = out / "victims_by_age_sex.csv"
    text = path.read_text()
    assert "[c]" in text
    path.write_text(text.replace("[c]", "1", 1))
    tampered = runner.invoke(app, ["stats", "audit", str(out)])
    assert tampered.exit_code == 1 and "FAIL" in tampered.output
