"""`safeguard licensing …` on an embedded store: register add/import, check, decide."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeguard.cli import app
from safeguard.synth.identifiers import driving_licence

runner = CliRunner(env={"COLUMNS": "200"})
DL = driving_licence("Hartley", "Amelia", None, date(1982, 5, 1), "F")
LA = ["--authority", "E08000018"]


@pytest.fixture(autouse=True)
def embedded_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SAFEGUARD_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    return tmp_path


def test_add_check_decide(embedded_store: Path) -> None:
    added = runner.invoke(app, ["licensing", "register", "add", *LA, "--decision", "revoked",
                                "--decided-on", "2022-02-02", "--first-name", "Amelia",
                                "--surname", "Hartley", "--dob", "1982-05-01", "--sex", "F",
                                "--driving-licence", DL, "--reason", "safeguarding"])  # fmt: skip
    assert added.exit_code == 0, added.output
    checked = runner.invoke(app, ["licensing", "check", "--authority", "E08000005",
                                  "--first-name", "Millie", "--surname", "Hartly",
                                  "--dob", "1982-01-05", "--json"])  # fmt: skip
    assert checked.exit_code == 0, checked.output
    result = json.loads(checked.output)
    assert [c["authority"] for c in result["candidates"]] == ["E08000018"]
    decided = runner.invoke(app, ["licensing", "decide", str(result["check_id"]),
                                  "--authority", "E08000005", "--decision", "refused"])  # fmt: skip
    assert decided.exit_code == 0, decided.output
    wrong = runner.invoke(app, ["licensing", "decide", str(result["check_id"]), *LA,
                                "--decision", "granted"])  # fmt: skip
    assert wrong.exit_code == 1 and "only the authority" in wrong.output
    report = runner.invoke(app, ["licensing", "compliance"])
    assert report.exit_code == 0 and "E08000005" in report.output


def test_import_reports_row_and_field(embedded_store: Path) -> None:
    path = embedded_store / "register.csv"
    path.write_text(
        "decision,decided_on,first_name,surname,dob,driving_licence\n"
        "refused,2023-01-01,Amelia,Hartley,1982-05-01,\n"
        "refused,2023-01-01,Amelia,Hartley,1982-05-01,NOTALICENCE\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["licensing", "register", "import", str(path), *LA])
    assert result.exit_code == 1 and "row 2: driving_licence" in result.output
    bad_check = runner.invoke(app, ["licensing", "check", *LA, "--first-name", "A",
                                    "--surname", "B", "--dob", "01/02/1980"])  # fmt: skip
    assert bad_check.exit_code == 1 and "dob" in bad_check.output


def test_sync_out_of_area_and_notices(embedded_store: Path) -> None:
    from safeguard.bootstrap import bootstrap
    from safeguard.config import Settings
    from tests.integration.test_licensing_service import PLATE, load

    platform = bootstrap(
        Settings(database_url=f"sqlite:///{embedded_store}/cli.db", environment="test")
    )
    load(platform)
    platform.close()
    synced = runner.invoke(app, ["licensing", "sync"])
    assert synced.exit_code == 0 and "Added 1 register entries" in synced.output
    away = runner.invoke(app, ["licensing", "out-of-area", "--area", "E08000018"])
    assert away.exit_code == 0 and PLATE in away.output
    notices = runner.invoke(app, ["licensing", "notices", "--raise"])
    assert notices.exit_code == 0 and f"plate:{PLATE}" in notices.output
